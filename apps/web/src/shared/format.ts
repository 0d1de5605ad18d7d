/** Display formatting: every number the user reads goes through here so the app speaks en-GB consistently. */
import { roundHalfAway, shareToPercent } from '@safer-places/schemas';

const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MONTH_LONG = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

const integerFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const gbpWhole = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
const gbpPence = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A whole number with thousands separators: 12345 → "12,345". */
export function formatInteger(n: number): string {
  return integerFormat.format(n);
}

/** A number with up to `digits` decimals: formatNumber(1234.567, 1) → "1,234.6". */
export function formatNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

/** Crimes per 1,000 residents, always one decimal so columns line up: 3 → "3.0". */
export function formatRate(n: number): string {
  return new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
}

/** Pounds sterling; pence only when there are any: 250000 → "£250,000", 99.5 → "£99.50". */
export function formatGbp(n: number): string {
  return Number.isInteger(n) ? gbpWhole.format(n) : gbpPence.format(n);
}

export function formatMetres(n: number): string {
  return `${formatInteger(n)} m`;
}

const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * A distance for reading: whole metres under 1 km ("850 m"), kilometres with one decimal under 10 km ("1.2 km",
 * "1.0 km") and whole kilometres from 10 km ("28 km", "1,234 km"). Halves round away from zero (850.5 m → "851 m"), and
 * a distance that rounds up to the next unit is shown in it (999.6 m → "1.0 km", 9,960 m → "10 km"). Distances in the
 * product are British National Grid metres. Not a number: "—".
 */
export function formatDistance(metres: number): string {
  if (!Number.isFinite(metres)) return '—';
  const m = roundHalfAway(metres, 0);
  if (Math.abs(m) < 1000) return `${formatInteger(m)} m`;
  const km1 = roundHalfAway(metres / 1000, 1);
  if (Math.abs(km1) < 10) return `${oneDecimal.format(km1)} km`;
  return `${formatInteger(roundHalfAway(metres / 1000, 0))} km`;
}

function parseMonth(month: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new RangeError(`not a YYYY-MM month: ${month}`);
  const mm = Number(m[2]);
  if (mm < 1 || mm > 12) throw new RangeError(`not a YYYY-MM month: ${month}`);
  return { year: Number(m[1]), month: mm };
}

/** "2024-12" → "Dec 2024". */
export function monthLabel(month: string): string {
  const { year, month: m } = parseMonth(month);
  return `${MONTH_SHORT[m - 1]} ${year}`;
}

/** "2024-12" → "December 2024". */
export function monthLabelLong(month: string): string {
  const { year, month: m } = parseMonth(month);
  return `${MONTH_LONG[m - 1]} ${year}`;
}

/** "2024-03-01" → "1 Mar 2024". Anything else is returned unchanged rather than shown as "Invalid Date". */
export function formatDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  const mm = Number(m[2]);
  if (mm < 1 || mm > 12) return isoDate;
  return `${Number(m[3])} ${MONTH_SHORT[mm - 1]} ${m[1]}`;
}

/** An ISO timestamp as UK local date and time, e.g. "3 Feb 2025, 14:05". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/London',
  }).format(d);
}

/** "1 crime", "2 crimes". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatInteger(n)} ${n === 1 ? singular : pluralForm}`;
}

/** 1 → "1st", 2 → "2nd", 11 → "11th", 23 → "23rd". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${formatInteger(n)}${suffix}`;
}

/**
 * A share (0–1) as a percentage: one decimal below 10 %, whole numbers above: 0.056 → "5.6 %", 0.42 → "42 %". Halves
 * round away from zero by the product's one rule (shareToPercent in @safer-places/schemas): 0.1225 → "12 %",
 * 0.0125 → "1.3 %", −0.0125 → "-1.3 %".
 */
export function formatPercent(share: number): string {
  const pct = share * 100;
  if (pct === 0) return '0 %';
  if (pct > 0 && pct < 0.1) return '< 0.1 %';
  const digits = Math.abs(pct) < 10 ? 1 : 0;
  return `${formatNumber(shareToPercent(share, digits), digits)} %`;
}

/** Square kilometres with two decimals below 10 km²: 0.74 → "0.74 km²", 12.3 → "12.3 km²". */
export function formatKm2(n: number): string {
  return `${formatNumber(n, n < 10 ? 2 : 1)} km²`;
}
