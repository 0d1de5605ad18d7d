/**
 * Quantile classification for the choropleth.
 *
 * Class i holds the values v with lowerBounds[i] <= v < lowerBounds[i + 1] (the last class also holds the maximum).
 * Lower bounds are values taken from the data at the quantile positions, so every class boundary is a value that
 * actually occurs. Tied values are never split across classes: when quantile positions fall on the same value the
 * duplicate bound is dropped and fewer classes are returned (all zeros → one class). Nulls, NaN and infinities are
 * "no data" and take no part in the breaks.
 *
 * Zero is a class of its own. Crime counts and rates are never negative, and "none recorded" is a different finding
 * from "a few": when the data hold both zeros and positive values, 0 is the first class and the positive values share
 * the remaining classCount − 1 quantile classes. (Quantiles over every value either let zeros swallow the lower
 * quantiles, so a sparse category came out as "0" and one wide class, or, with fewer zeros, put 0 in a class with
 * small counts such as "0–2 crimes".)
 */

export interface ClassRange {
  /** Inclusive lower bound of the class. */
  lower: number;
  /** Smallest and largest value that fell into the class (what the legend shows). */
  min: number;
  max: number;
  count: number;
}

export interface Classification {
  lowerBounds: number[];
  classes: ClassRange[];
  /** Number of values that were null or not finite. */
  noData: number;
}

function finiteValues(values: readonly (number | null | undefined)[]): number[] {
  const out: number[] = [];
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  return out;
}

export function quantileBreaks(values: readonly (number | null | undefined)[], classCount = 5): Classification {
  if (!Number.isInteger(classCount) || classCount < 1) throw new RangeError('classCount must be a positive integer');
  const sorted = finiteValues(values).sort((a, b) => a - b);
  const noData = values.length - sorted.length;
  const n = sorted.length;
  if (n === 0) return { lowerBounds: [], classes: [], noData };

  // Zero on its own: only where nothing is negative, some values are 0, some are above, and there are classes to spare.
  const zeros = sorted[0] === 0 ? sorted.findIndex((v) => v > 0) : -1;
  const zeroClass = classCount > 1 && zeros > 0;
  const lowerBounds = zeroClass ? [0, ...quantileBounds(sorted.slice(zeros), classCount - 1)] : quantileBounds(sorted, classCount);

  const classes: ClassRange[] = lowerBounds.map((lower) => ({ lower, min: Infinity, max: -Infinity, count: 0 }));
  for (const v of sorted) {
    const c = classes[classIndex(v, lowerBounds)]!;
    c.count++;
    if (v < c.min) c.min = v;
    if (v > c.max) c.max = v;
  }
  // A bound is a data value, so every class holds at least that value: no empty classes.
  return { lowerBounds, classes, noData };
}

/** Lower bounds of up to classCount quantile classes of sorted (non-empty) values: the minimum, then each quantile value above the last bound. */
function quantileBounds(sorted: readonly number[], classCount: number): number[] {
  const n = sorted.length;
  const bounds: number[] = [sorted[0]!];
  for (let i = 1; i < classCount; i++) {
    const bound = sorted[Math.min(n - 1, Math.ceil((i * n) / classCount))]!;
    if (bound > bounds[bounds.length - 1]!) bounds.push(bound);
  }
  return bounds;
}

/** Index of the class holding value, or -1 for no data (null, NaN, infinities, or no classes at all). */
export function classIndex(value: number | null | undefined, lowerBounds: readonly number[]): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || lowerBounds.length === 0) return -1;
  let idx = 0;
  for (let i = 1; i < lowerBounds.length; i++) {
    if (value >= lowerBounds[i]!) idx = i;
    else break;
  }
  return idx;
}
