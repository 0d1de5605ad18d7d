import { addMonths, monthOrdinal, monthSchema, type Month } from '@safer-places/schemas';
import { monthLabel } from './format';

// Month arithmetic and labels are the schemas' (one implementation for API and web); the period control's choices are here.
export { addMonths, periodLabel, type Month } from '@safer-places/schemas';

export interface MonthRange {
  from: Month;
  to: Month;
}

export const PERIOD_CHOICES = [
  { value: 'last-1', label: 'Latest month', months: 1 },
  { value: 'last-3', label: 'Last 3 months', months: 3 },
  { value: 'last-12', label: 'Last 12 months', months: 12 },
  { value: 'custom', label: 'Custom range', months: null },
] as const;
export type PeriodChoice = (typeof PERIOD_CHOICES)[number]['value'];

/** True for a real YYYY-MM month (the API's own check). */
export function isMonth(value: string): boolean {
  return monthSchema.safeParse(value).success;
}

function toIndex(month: Month): number {
  if (!isMonth(month)) throw new RangeError(`not a YYYY-MM month: ${month}`);
  return monthOrdinal(month);
}

/** Number of months in [from, to], both included; 0 when to is before from. */
export function monthsInclusive(from: Month, to: Month): number {
  return Math.max(0, toIndex(to) - toIndex(from) + 1);
}

/** The last n months ending with lastMonth, never starting before firstMonth when given. */
export function lastNMonths(lastMonth: Month, n: number, firstMonth?: Month | null): MonthRange {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive whole number of months');
  let from = addMonths(lastMonth, -(n - 1));
  if (firstMonth && toIndex(from) < toIndex(firstMonth)) from = firstMonth;
  return { from, to: lastMonth };
}

export type PeriodResolution = { ok: true; range: MonthRange } | { ok: false; error: string };

/**
 * Turns the period control's state into a month range the stats endpoint accepts, or a message for the user.
 * Custom ranges are checked against the months the dataset holds.
 */
export function resolvePeriod(
  choice: PeriodChoice,
  dataset: { firstMonth: Month | null; lastMonth: Month | null },
  custom: { from: string; to: string },
): PeriodResolution {
  const { firstMonth, lastMonth } = dataset;
  if (!lastMonth) return { ok: false, error: 'This dataset has no crime months.' };
  if (choice !== 'custom') {
    const months = PERIOD_CHOICES.find((c) => c.value === choice)!.months!;
    return { ok: true, range: lastNMonths(lastMonth, months, firstMonth) };
  }
  if (!isMonth(custom.from) || !isMonth(custom.to)) return { ok: false, error: 'Choose both a first and a last month.' };
  if (toIndex(custom.to) < toIndex(custom.from)) return { ok: false, error: 'The last month must not be before the first month.' };
  if (toIndex(custom.to) > toIndex(lastMonth)) {
    return { ok: false, error: `The data ends in ${monthLabel(lastMonth)}.` };
  }
  if (firstMonth && toIndex(custom.from) < toIndex(firstMonth)) {
    return { ok: false, error: `The data starts in ${monthLabel(firstMonth)}.` };
  }
  return { ok: true, range: { from: custom.from, to: custom.to } };
}
