import { ValidationError } from './errors';

/** The most rows one CSV export may have; every export today is far below it (tables per area, LSOA or spot). */
export const MAX_EXPORT_ROWS = 100_000;

/**
 * CSV for spreadsheets, safe to open: text cells starting with = + - @ (or a tab / carriage return) are prefixed with
 * an apostrophe so Excel and Sheets show them instead of running them as formulas. Numbers stay numbers.
 */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  if (rows.length > MAX_EXPORT_ROWS) {
    throw new ValidationError(`the export would have ${rows.length.toLocaleString('en-GB')} rows; the limit is ${MAX_EXPORT_ROWS.toLocaleString('en-GB')}: choose a shorter period or a smaller area`);
  }
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
