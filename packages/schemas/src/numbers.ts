/*
 * One rounding rule for every percentage and share the product shows, on the server and in the browser alike.
 *
 * The rule: round HALF AWAY FROM ZERO to a fixed number of decimals (one, for percentages, unless a caller asks for
 * another), judged on the exact value, not on its nearest binary double:
 *
 *   +12.25 → 12.3    −12.25 → −12.3    12.24 → 12.2    0.05 → 0.1    −0.05 → −0.1
 *
 * Math.round rounds halves up (−12.25 → −12.2) and `toFixed` rounds the binary double (1.005.toFixed(2) is "1.00"),
 * so neither is used. A percentage of two counts (a change, a share) is rounded from the exact ratio with integer
 * arithmetic; any other number is rounded from its shortest decimal form (15 significant digits), so a value whose
 * binary double sits a hair below a half (0.1225 × 100 = 12.249999999999998) still rounds as the half it stands for.
 */

/** Decimals every percentage is shown with, unless a caller asks for another. */
export const PERCENT_DECIMALS = 1;

function checkDecimals(decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) throw new RangeError(`decimals must be an integer 0–10, got ${decimals}`);
  return decimals;
}

/**
 * `value` rounded half away from zero to `decimals` decimals: roundHalfAway(12.25, 1) = 12.3, roundHalfAway(−12.25, 1)
 * = −12.3, roundHalfAway(1.005, 2) = 1.01. Non-finite values come back unchanged; −0 comes back as 0.
 */
export function roundHalfAway(value: number, decimals = PERCENT_DECIMALS): number {
  checkDecimals(decimals);
  if (!Number.isFinite(value)) return value;
  const f = 10 ** decimals;
  const scaled = Math.abs(value) * f;
  // Past 2^52 every double is a whole number: nothing to round.
  if (scaled >= 2 ** 52) return value;
  // The shortest decimal form to 15 significant digits drops the binary noise of the multiplication (and of the value).
  const clean = Number(scaled.toPrecision(15));
  const rounded = Math.floor(clean + 0.5) / f;
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/**
 * `part / whole × scale`, rounded half away from zero to `decimals` decimals. Whole-number inputs are divided exactly
 * (integer arithmetic, no floating point); others fall back to roundHalfAway. Null when `whole` is 0 or not finite.
 */
function roundRatio(part: number, whole: number, scale: number, decimals: number): number | null {
  checkDecimals(decimals);
  if (whole === 0 || !Number.isFinite(whole) || !Number.isFinite(part)) return null;
  const f = 10 ** decimals;
  const numerator = Math.abs(part) * scale * f;
  const denominator = Math.abs(whole);
  const negative = part !== 0 && part < 0 !== whole < 0;
  if (Number.isInteger(part) && Number.isInteger(whole) && Number.isSafeInteger(numerator) && Number.isSafeInteger(2 * numerator) && Number.isSafeInteger(2 * denominator)) {
    const q = Math.floor(numerator / denominator);
    // The remainder numerator − q·denominator is exact for safe integers; compare 2·remainder with the divisor.
    let remainder = numerator - q * denominator;
    let quotient = q;
    // Division may round q one off near the limit of doubles; settle it exactly.
    if (remainder < 0) {
      quotient -= 1;
      remainder += denominator;
    } else if (remainder >= denominator) {
      quotient += 1;
      remainder -= denominator;
    }
    const rounded = (2 * remainder >= denominator ? quotient + 1 : quotient) / f;
    return negative && rounded !== 0 ? -rounded : rounded;
  }
  const r = roundHalfAway((Math.abs(part) / denominator) * scale, decimals);
  return negative && r !== 0 ? -r : r;
}

/**
 * Percentage change from `previous` to `current`, rounded half away from zero (one decimal by default):
 * percentChange(449, 400) = 12.3, percentChange(351, 400) = −12.3. Null when `previous` is not above zero (nothing to
 * compare against: the caller says "new" or "n/a").
 */
export function percentChange(current: number, previous: number, decimals = PERCENT_DECIMALS): number | null {
  if (!(previous > 0)) return null;
  return roundRatio(current - previous, previous, 100, decimals);
}

/** `part` as a percentage of `whole`, rounded half away from zero (one decimal by default). Null when `whole` is 0. */
export function percentOf(part: number, whole: number, decimals = PERCENT_DECIMALS): number | null {
  return roundRatio(part, whole, 100, decimals);
}

/**
 * `part / whole` as a share (0–1), rounded half away from zero to `decimals` decimals (three by default, i.e. a tenth
 * of a percent): shareOf(1, 8) = 0.125, shareOf(1, 16) = 0.063. Null when `whole` is 0.
 */
export function shareOf(part: number, whole: number, decimals = 3): number | null {
  return roundRatio(part, whole, 1, decimals);
}

/** A share (0–1) as a percentage, rounded half away from zero: shareToPercent(0.1225) = 12.3. */
export function shareToPercent(share: number, decimals = PERCENT_DECIMALS): number {
  // The binary noise of ×100 (0.1225 × 100 = 12.249999999999998) is dropped by roundHalfAway's decimal step.
  return roundHalfAway(share * 100, decimals);
}
