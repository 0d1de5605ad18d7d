import type { Month, StrategicRow, StrategicTable } from '@safer-places/schemas';
import { CATEGORY_INDEX, CRIME_CATEGORIES, CRIME_GROUPS, addMonths, monthRange, percentChange, shareToPercent } from '@safer-places/schemas';

/** Suggested target: "Reduce" where the last 12 months are up by at least this share on the 12 before. */
export const DEFAULT_REDUCE_THRESHOLD = 0.05;

/**
 * The strategic-assessment table of the partnership plans: the 12 months ending `to` against the 12 before, per
 * police.uk category and for the two groups, with volume and % change and a suggested Reduce / Monitor target.
 * `count(categoryIndex, month)` supplies the figures, so districts, CSPs and drawn areas share one implementation.
 */
export function strategicTable(
  count: (categoryIndex: number, month: Month) => number,
  to: Month,
  availableMonths: ReadonlySet<Month>,
  threshold = DEFAULT_REDUCE_THRESHOLD,
): StrategicTable {
  const currentMonths = monthRange(addMonths(to, -11), to);
  const previousMonths = monthRange(addMonths(to, -23), addMonths(to, -12));
  const sum = (indices: number[], months: Month[]) => months.reduce((s, m) => s + indices.reduce((t, i) => t + count(i, m), 0), 0);
  const row = (key: string, label: string, indices: number[]): StrategicRow => {
    const current = sum(indices, currentMonths);
    const previous = sum(indices, previousMonths);
    const changePct = percentChange(current, previous);
    const rising = previous > 0 ? (current - previous) / previous >= threshold : current > 0;
    return { key, label, current, previous, change: current - previous, changePct, target: rising ? 'Reduce' : 'Monitor' };
  };
  const all = CRIME_CATEGORIES.map((_, i) => i);
  const neighbourhood = CRIME_GROUPS['neighbourhood-crime'].categories.map((c) => CATEGORY_INDEX[c]);
  return {
    current: { from: currentMonths[0]!, to },
    previous: { from: previousMonths[0]!, to: previousMonths[previousMonths.length - 1]! },
    previousComplete: previousMonths.every((m) => availableMonths.has(m)),
    rows: [
      row('all-crime', CRIME_GROUPS['all-crime'].label, all),
      row('neighbourhood-crime', CRIME_GROUPS['neighbourhood-crime'].label, neighbourhood),
      ...CRIME_CATEGORIES.map((c, i) => row(c.slug, c.label, [i])),
    ],
    rule: `Suggested target "Reduce" where the last 12 months are up by ${shareToPercent(threshold)} % or more on the previous 12 (or where there were none before and some now); otherwise "Monitor". Partnerships set their own targets: treat this as a prompt.`,
  };
}
