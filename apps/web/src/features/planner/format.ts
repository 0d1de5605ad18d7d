import type { BBox, Position } from '@safer-places/schemas';
import { formatDistance, formatInteger, formatNumber } from '../../shared/format';

/*
 * The planner's numbers, places and dates in words.
 */

/** The product's one distance format (850 → "850 m", 1,234 → "1.2 km"), kept here for the planner's imports. */
export { formatDistance };

/** 45 → "45 min", 150 → "2 h 30 min", 120 → "2 h". */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? `${formatInteger(h)} h` : `${formatInteger(h)} h ${rest} min`;
}

export function formatLonLat(p: Position): string {
  return `${p[1].toFixed(5)}° N, ${Math.abs(p[0]).toFixed(5)}° ${p[0] < 0 ? 'W' : 'E'}`;
}

/** "3.2 km × 2.1 km" for a box. */
export function boxSize(b: BBox): string {
  const kx = 111_320 * Math.cos((((b[1] + b[3]) / 2) * Math.PI) / 180);
  return `${formatDistance((b[2] - b[0]) * kx)} × ${formatDistance((b[3] - b[1]) * 110_574)}`;
}

/** A coverage figure for people: "1,234 of 10,000 crimes (12 %)". */
export function coveredText(covered: number, total: number, share: number | null): string {
  return `${formatInteger(covered)} of ${formatInteger(total)} crimes${share === null ? '' : ` (${formatNumber(share * 100, share < 0.1 ? 1 : 0)} %)`}`;
}

/** Today as YYYY-MM-DD in the UK (for the visit date). */
export function todayIso(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
