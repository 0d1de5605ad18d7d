import type { StrategicRow, StrategicTable } from '@safer-places/schemas';
import { PERCENT_DECIMALS, roundHalfAway } from '@safer-places/schemas';
import { formatInteger, formatNumber, monthLabel } from '../../shared/format';

/*
 * The strategic-assessment table as text: volumes, signed changes, % change (with "new" and "n/a" where there is no
 * previous figure to compare against) and the suggested target. Shared by the area panel and the district/CSP view.
 */

/** U+2212, the typographic minus: "−12" reads as a negative number, "-12" can read as a dash. */
export const MINUS = '\u2212';

/** +12, −3, 0 — with thousands separators. */
export function formatSignedInteger(n: number): string {
  if (n === 0) return '0';
  return `${n > 0 ? '+' : MINUS}${formatInteger(Math.abs(n))}`;
}

/**
 * % change to one decimal: "+12.5 %", "−3.0 %", "0.0 %", halves away from zero (+12.25 → "+12.3 %", −12.25 →
 * "−12.3 %") by the product's one rule (roundHalfAway in @safer-places/schemas; the server already sends figures rounded
 * by it, so this only guards figures from elsewhere). With nothing in the previous 12 months there is no percentage:
 * "new" when there are crimes now, "n/a" when there are none in either period.
 */
export function formatChangePct(row: Pick<StrategicRow, 'changePct' | 'current' | 'previous'>): string {
  if (row.changePct === null) return row.current > 0 ? 'new' : 'n/a';
  const pct = roundHalfAway(row.changePct, PERCENT_DECIMALS);
  if (pct === 0) return '0.0 %';
  const abs = formatNumber(Math.abs(pct), PERCENT_DECIMALS);
  const text = abs.includes('.') ? abs : `${abs}.0`;
  return `${pct > 0 ? '+' : MINUS}${text} %`;
}

/** What "new" and "n/a" mean, for a footnote under the table. */
export const CHANGE_PCT_NOTE = '“new”: none in the previous 12 months, some now. “n/a”: none in either period.';

export interface StrategicDisplayRow {
  key: string;
  label: string;
  current: string;
  previous: string;
  change: string;
  changePct: string;
  target: StrategicRow['target'];
  /** The two groups (all crime, neighbourhood crime) are totals; the 14 categories follow them. */
  isGroup: boolean;
}

export function strategicDisplayRows(table: StrategicTable): StrategicDisplayRow[] {
  return table.rows.map((r) => ({
    key: r.key,
    label: r.label,
    current: formatInteger(r.current),
    previous: formatInteger(r.previous),
    change: formatSignedInteger(r.change),
    changePct: formatChangePct(r),
    target: r.target,
    isGroup: r.key === 'all-crime' || r.key === 'neighbourhood-crime',
  }));
}

/** Column headings for the two periods: "Jan 2024 to Dec 2024". */
export function strategicPeriodLabels(table: Pick<StrategicTable, 'current' | 'previous'>): { current: string; previous: string } {
  return {
    current: `${monthLabel(table.current.from)} to ${monthLabel(table.current.to)}`,
    previous: `${monthLabel(table.previous.from)} to ${monthLabel(table.previous.to)}`,
  };
}

/** The warning shown when the previous 12 months are not all in the dataset. */
export function previousIncompleteNote(table: Pick<StrategicTable, 'previous' | 'previousComplete'>): string | null {
  if (table.previousComplete) return null;
  return (
    `Previous period incomplete: the data does not cover all of ${monthLabel(table.previous.from)} to ${monthLabel(table.previous.to)}, ` +
    'so changes and targets compare against fewer months and overstate any rise.'
  );
}
