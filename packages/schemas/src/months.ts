import * as z from 'zod';

/*
 * Month arithmetic, one implementation for the API, the domain, the importer and the web app. Months are "YYYY-MM"
 * strings, which sort as they should; dates are "YYYY-MM-DD".
 */

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'months are YYYY-MM');
export type Month = string;

/** Months since year 0 (2024-01 → 2024 × 12): consecutive months are consecutive integers. */
export function monthOrdinal(month: Month): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** The inverse of {@link monthOrdinal}. */
export function ordinalMonth(ordinal: number): Month {
  return `${Math.floor(ordinal / 12)}-${String((ordinal % 12) + 1).padStart(2, '0')}`;
}

/** The month `delta` months after `month` (before, when negative): addMonths('2024-11', 3) = '2025-02'. */
export function addMonths(month: Month, delta: number): Month {
  return ordinalMonth(monthOrdinal(month) + delta);
}

/** Inclusive list of months from..to; empty when from > to. */
export function monthRange(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Nov 2024". */
export function monthLabel(month: Month): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTH_NAMES[m - 1]} ${y}`;
}

/** "Dec 2023 to Nov 2024 (12 months)", or "Nov 2024 (1 month)". */
export function periodLabel(from: Month, to: Month): string {
  const n = monthRange(from, to).length;
  return from === to ? `${monthLabel(from)} (1 month)` : `${monthLabel(from)} to ${monthLabel(to)} (${n} months)`;
}

/** A date `months` calendar months later, clamped to the month's end: 2024-11-30 + 3 → 2025-02-28. */
export function addMonthsToDate(isoDay: string, months: number): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
