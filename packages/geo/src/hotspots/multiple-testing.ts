/**
 * Normal p-values and multiple-testing corrections with the semantics of R's `p.adjust` (ties and NaN included):
 *
 * - `none`: the raw two-sided p-value.
 * - `fdr`: Benjamini–Hochberg step-up. With the m valid p-values sorted ascending, p_(i) becomes
 *   min over j ≥ i of min(1, m·p_(j)/j). Controls the expected share of false hot spots among those reported.
 * - `holm`: Holm step-down. p_(i) becomes max over j ≤ i of min(1, (m − j + 1)·p_(j)). Controls the chance of even one
 *   false hot spot (family-wise error); stricter than `fdr`, and sfhotspot's default.
 *
 * m counts only finite p-values (cells outside the study area are NaN and are not tests).
 */
export type PAdjustMethod = 'none' | 'fdr' | 'holm';
export const P_ADJUST_METHODS: readonly PAdjustMethod[] = ['none', 'fdr', 'holm'];

const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * Complementary error function to ~1e-15 relative accuracy. Both branches sum positive terms only, so small tail
 * p-values keep their precision (1 − erf(x) would lose it): a series for x < 2, Laplace's continued fraction above.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - 2 * INV_SQRT_PI * Math.exp(-x2) * sum;
  }
  if (x > 27) return 0; // e^(−729) underflows anyway
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by the modified Lentz method.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (INV_SQRT_PI * Math.exp(-x * x)) / f;
}

/** Two-sided p-value of a standard normal z-score: P(|Z| ≥ |z|). NaN stays NaN. */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/**
 * Adjusts `p` (NaN entries are skipped and stay NaN) as R's `p.adjust(p, method)` would. O(m log m); tied p-values get
 * the same adjusted value.
 */
export function adjustPValues(p: ArrayLike<number>, method: PAdjustMethod = 'fdr', out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(p.length);
  if (method === 'none') {
    for (let i = 0; i < p.length; i++) res[i] = p[i]!;
    return res;
  }
  let m = 0;
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i]!)) m++;
  const sorted = new Float64Array(m);
  for (let i = 0, k = 0; i < p.length; i++) if (!Number.isNaN(p[i]!)) sorted[k++] = p[i]!;
  sorted.sort();
  // Distinct values with multiplicities; the adjustment only depends on those.
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]!++;
    else {
      values.push(sorted[i]!);
      counts.push(1);
    }
  }
  const adjusted = adjustSortedDistinct(values, counts, method);
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (Number.isNaN(v)) {
      res[i] = NaN;
      continue;
    }
    let lo = 0, hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    res[i] = adjusted[lo]!;
  }
  return res;
}

/**
 * Adjusts a list of p-values given as distinct entries with multiplicities (`counts[d]` tests share `values[d]`), in
 * any order; equal values in different entries are treated as ties. Gi* on a count grid has only a few thousand
 * distinct (neighbourhood sum, neighbour count) pairs among hundreds of thousands of cells, so this avoids sorting
 * every cell.
 */
export function adjustDistinct(values: ArrayLike<number>, counts: ArrayLike<number>, method: PAdjustMethod): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (method === 'none') {
    for (let d = 0; d < n; d++) out[d] = values[d]!;
    return out;
  }
  const order = Array.from({ length: n }, (_, d) => d).filter((d) => !Number.isNaN(values[d]!) && counts[d]! > 0);
  order.sort((a, b) => values[a]! - values[b]!);
  const merged: number[] = [];
  const mergedCounts: number[] = [];
  const slot = new Int32Array(n).fill(-1);
  for (const d of order) {
    if (merged.length > 0 && merged[merged.length - 1] === values[d]) mergedCounts[mergedCounts.length - 1]! += counts[d]!;
    else {
      merged.push(values[d]!);
      mergedCounts.push(counts[d]!);
    }
    slot[d] = merged.length - 1;
  }
  const adjusted = adjustSortedDistinct(merged, mergedCounts, method);
  for (let d = 0; d < n; d++) out[d] = slot[d]! >= 0 ? adjusted[slot[d]!]! : NaN;
  return out;
}

/** `values` strictly ascending, `counts[d]` ≥ 1 tests at each. */
function adjustSortedDistinct(values: readonly number[], counts: readonly number[], method: PAdjustMethod): Float64Array {
  const D = values.length;
  const out = new Float64Array(D);
  let m = 0;
  for (const c of counts) m += c;
  if (method === 'fdr') {
    // A group of ties occupies ranks a..b; R's cummin from the top gives all of them the value at rank b.
    let rank = m;
    let running = Infinity;
    for (let d = D - 1; d >= 0; d--) {
      running = Math.min(running, (m * values[d]!) / rank);
      out[d] = Math.min(1, running);
      rank -= counts[d]!;
    }
  } else if (method === 'holm') {
    // R's cummax from the bottom gives a group of ties the value at its first rank a: (m − a + 1)·p.
    let before = 0;
    let running = 0;
    for (let d = 0; d < D; d++) {
      running = Math.max(running, (m - before) * values[d]!);
      out[d] = Math.min(1, running);
      before += counts[d]!;
    }
  } else {
    for (let d = 0; d < D; d++) out[d] = values[d]!;
  }
  return out;
}
