/**
 * Point selections as index arrays: every hotspot function takes `indices` so one set of typed arrays (coordinates,
 * category index 0–13, month index) serves every filter without copying coordinates.
 */
export interface PointFilter {
  /** Per-point category index (e.g. the order of CRIME_CATEGORIES). */
  category?: ArrayLike<number>;
  /** Keep these categories (all when omitted). */
  categories?: Iterable<number>;
  /** Per-point month index (e.g. months since 2000-01). */
  month?: ArrayLike<number>;
  /** Inclusive month range. */
  fromMonth?: number;
  toMonth?: number;
  /** Start from these points instead of all of them. */
  within?: ArrayLike<number>;
}

/** Indices (ascending when `within` is ascending) of the points passing every given filter. */
export function selectPoints(count: number, filter: PointFilter): Uint32Array {
  const keep = filter.categories ? new Uint8Array(256) : null;
  if (keep) for (const c of filter.categories!) if (c >= 0 && c < 256) keep[c] = 1;
  if (keep && !filter.category) throw new RangeError('selectPoints: categories given without per-point category');
  if ((filter.fromMonth !== undefined || filter.toMonth !== undefined) && !filter.month) {
    throw new RangeError('selectPoints: a month range needs per-point months');
  }
  const from = filter.fromMonth ?? -Infinity;
  const to = filter.toMonth ?? Infinity;
  const n = filter.within ? filter.within.length : count;
  const out = new Uint32Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = filter.within ? filter.within[k]! : k;
    if (keep && !keep[filter.category![i]!]) continue;
    if (filter.month) {
      const mo = filter.month[i]!;
      if (mo < from || mo > to) continue;
    }
    out[m++] = i;
  }
  return out.slice(0, m);
}
