import { bngToLonLat } from '../projection/bng';
import { kdTree } from '../spatial-index/kd-tree';
import { DEFAULT_SNAP_THRESHOLD, uniqueCoordinates, type UniqueCoordinates } from './snap-points';

/**
 * Top-N patrol hot spots, following published practice (radius ≤ 150 m, ≥ 500 m between centres): greedily take the
 * published crime location whose 150 m disc holds the most selected crimes, rule out every other centre closer than
 * 500 m, repeat. Because 500 m > 2 × 150 m the discs never overlap, so no crime is counted twice. Candidate centres are
 * the distinct published coordinates (police.uk snap points), which makes the search exact and cheap: ~16 k candidates
 * for all of Nottinghamshire's crime in two years.
 *
 * Ties (equal counts) go to the candidate whose first crime comes first in input order, so results are reproducible.
 */
export interface TopHotspotOptions {
  /** How many spots. Default 10. */
  n?: number;
  /** Disc radius in metres. Default 150. */
  radius?: number;
  /** Minimum distance between centres in metres. Default 500. */
  minSeparation?: number;
  /** Spots with fewer crimes are not reported. Default 1. */
  minCount?: number;
  /** Selected points (e.g. one period). Default all. */
  indices?: ArrayLike<number>;
  /** Per-point location text (police.uk "Location", e.g. "On or near High Street"), indexed like the points. */
  locations?: readonly (string | null | undefined)[];
  /** Per-point lon/lat, indexed like the points, so centres report the published coordinates exactly. */
  lonLat?: Float64Array;
  /** Snap-point warning threshold on the share of crimes at the single most common coordinate. Default 0.5. */
  snapThreshold?: number;
}

export interface TopHotspot {
  /** 1-based. */
  rank: number;
  /** Centre in BNG metres: a published crime location. */
  x: number;
  y: number;
  lon: number;
  lat: number;
  /** Selected crimes within the radius of the centre. */
  count: number;
  /** Distance from the centre to the farthest crime counted (≤ the radius option). */
  radius: number;
  /** Indices of the crimes counted, ascending. */
  members: Uint32Array;
  /** Most common location text among the members and the share of members that carry it (null without texts). */
  location: { text: string; count: number; share: number } | null;
  /** The single most common coordinate among the members (often, but not always, the centre). */
  topCoordinate: { x: number; y: number; lon: number; lat: number; count: number; share: number };
  /** topCoordinate.share > snapThreshold: most of the spot is one published map point, probably one address. */
  snapPointWarning: boolean;
}

export function topHotspots(xy: Float64Array, options: TopHotspotOptions = {}): TopHotspot[] {
  const n = options.n ?? 10;
  const radius = options.radius ?? 150;
  const separation = options.minSeparation ?? 500;
  const minCount = options.minCount ?? 1;
  const snapThreshold = options.snapThreshold ?? DEFAULT_SNAP_THRESHOLD;
  if (!(radius > 0) || !(separation >= 0) || !(n >= 0)) throw new RangeError('topHotspots: radius must be > 0, n and minSeparation ≥ 0');

  const coords = uniqueCoordinates(xy, options.indices);
  const U = coords.count;
  if (U === 0 || n === 0) return [];
  const index = kdTree(coords.xy, U);

  // Crimes within the radius of a candidate centre: computed lazily. Every candidate starts with an upper bound, the
  // crimes in the 3 × 3 block of radius-sized buckets around its own (which holds its whole disc); the best entry of a
  // max-heap is made exact before it can be taken, so only candidates that could still win are ever counted.
  const found = new Uint32Array(U);
  const exactScore = (u: number): number => {
    const m = index.withinInto(coords.xy[2 * u]!, coords.xy[2 * u + 1]!, radius, found);
    let s = 0;
    for (let k = 0; k < m; k++) s += coords.weight[found[k]!]!;
    return s;
  };
  const bound = bucketBounds(coords, radius * (1 + 1e-9));
  // Heap entries: score, exact flag, candidate. Order: higher score first; at equal scores a bound before an exact
  // score (it might tie and come first), then the candidate whose first crime comes first.
  const heapScore: number[] = [], heapExact: boolean[] = [], heapU: number[] = [];
  const before = (a: number, b: number) =>
    heapScore[a]! !== heapScore[b]! ? heapScore[a]! > heapScore[b]! : heapExact[a] !== heapExact[b] ? !heapExact[a] : coords.first[heapU[a]!]! < coords.first[heapU[b]!]!;
  const swap = (a: number, b: number) => {
    [heapScore[a], heapScore[b]] = [heapScore[b]!, heapScore[a]!];
    [heapExact[a], heapExact[b]] = [heapExact[b]!, heapExact[a]!];
    [heapU[a], heapU[b]] = [heapU[b]!, heapU[a]!];
  };
  const push = (score: number, exact: boolean, u: number) => {
    let k = heapScore.length;
    heapScore.push(score);
    heapExact.push(exact);
    heapU.push(u);
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!before(k, parent)) break;
      swap(k, parent);
      k = parent;
    }
  };
  const pop = () => {
    const top = { score: heapScore[0]!, exact: heapExact[0]!, u: heapU[0]! };
    const last = heapScore.length - 1;
    swap(0, last);
    heapScore.pop();
    heapExact.pop();
    heapU.pop();
    for (let k = 0; ; ) {
      const l = 2 * k + 1, r = l + 1;
      let best = k;
      if (l < last && before(l, best)) best = l;
      if (r < last && before(r, best)) best = r;
      if (best === k) break;
      swap(k, best);
      k = best;
    }
    return top;
  };
  for (let u = 0; u < U; u++) push(bound[u]!, false, u);

  // Crimes of each distinct coordinate, for members/locations (counting sort by id).
  const start = new Uint32Array(U + 1);
  for (let u = 0; u < U; u++) start[u + 1] = start[u]! + coords.weight[u]!;
  const byCoord = new Uint32Array(start[U]!);
  const fill = start.slice(0, U);
  for (let i = 0; i < coords.ids.length; i++) {
    const u = coords.ids[i]!;
    if (u < U) byCoord[fill[u]!++] = i;
  }

  const excluded = new Uint8Array(U);
  const result: TopHotspot[] = [];
  while (heapScore.length > 0 && result.length < n) {
    const entry = pop();
    const c = entry.u;
    if (excluded[c]) continue;
    if (!entry.exact) {
      push(exactScore(c), true, c);
      continue;
    }
    if (entry.score < minCount) break;
    const cx = coords.xy[2 * c]!, cy = coords.xy[2 * c + 1]!;

    const m = index.withinInto(cx, cy, radius, found);
    const members: number[] = [];
    let farthest = 0;
    let top = -1;
    for (let k = 0; k < m; k++) {
      const u = found[k]!;
      const d = Math.hypot(coords.xy[2 * u]! - cx, coords.xy[2 * u + 1]! - cy);
      if (d > farthest) farthest = d;
      if (top < 0 || coords.weight[u]! > coords.weight[top]! || (coords.weight[u] === coords.weight[top] && coords.first[u]! < coords.first[top]!)) top = u;
      for (let j = start[u]!; j < start[u + 1]!; j++) members.push(byCoord[j]!);
    }
    const memberArray = Uint32Array.from(members).sort();
    const count = memberArray.length;

    const topCount = coords.weight[top]!;
    const topShare = topCount / count;
    const [topLon, topLat] = lonLatOf(coords, top, options.lonLat);
    const [lon, lat] = lonLatOf(coords, c, options.lonLat);
    result.push({
      rank: result.length + 1,
      x: cx,
      y: cy,
      lon,
      lat,
      count,
      radius: farthest,
      members: memberArray,
      location: options.locations ? mostCommonText(options.locations, memberArray) : null,
      topCoordinate: { x: coords.xy[2 * top]!, y: coords.xy[2 * top + 1]!, lon: topLon, lat: topLat, count: topCount, share: topShare },
      snapPointWarning: topShare > snapThreshold,
    });

    for (const u of index.within(cx, cy, separation)) {
      // within() is inclusive; a centre exactly minSeparation away is still allowed.
      if (Math.hypot(coords.xy[2 * u]! - cx, coords.xy[2 * u + 1]! - cy) < separation) excluded[u] = 1;
    }
    excluded[c] = 1;
  }
  return result;
}

/**
 * {@link topHotspots} for each crime category: `category[i]` is point i's category index (0…categoryCount−1, e.g. the
 * order of CRIME_CATEGORIES); `options.indices` narrows the points first (e.g. to a period).
 */
export function topHotspotsByCategory(
  xy: Float64Array,
  category: ArrayLike<number>,
  options: TopHotspotOptions & { categoryCount?: number } = {},
): TopHotspot[][] {
  const categoryCount = options.categoryCount ?? 14;
  const n = options.indices ? options.indices.length : xy.length >> 1;
  const sizes = new Uint32Array(categoryCount + 1);
  for (let k = 0; k < n; k++) {
    const c = category[options.indices ? options.indices[k]! : k]!;
    if (c >= 0 && c < categoryCount) sizes[c + 1]!++;
  }
  for (let c = 0; c < categoryCount; c++) sizes[c + 1]! += sizes[c]!;
  const sorted = new Uint32Array(sizes[categoryCount]!);
  const fill = sizes.slice(0, categoryCount);
  for (let k = 0; k < n; k++) {
    const i = options.indices ? options.indices[k]! : k;
    const c = category[i]!;
    if (c >= 0 && c < categoryCount) sorted[fill[c]!++] = i;
  }
  const out: TopHotspot[][] = [];
  for (let c = 0; c < categoryCount; c++) out.push(topHotspots(xy, { ...options, indices: sorted.subarray(sizes[c]!, sizes[c + 1]!) }));
  return out;
}

/** Per distinct coordinate, the crimes in the 3 × 3 block of `size`-metre buckets around its own: ≥ those within `size`. */
function bucketBounds(coords: UniqueCoordinates, size: number): Float64Array {
  const U = coords.count;
  let minX = Infinity, minY = Infinity, maxX = -Infinity;
  for (let u = 0; u < U; u++) {
    minX = Math.min(minX, coords.xy[2 * u]!);
    minY = Math.min(minY, coords.xy[2 * u + 1]!);
    maxX = Math.max(maxX, coords.xy[2 * u]!);
  }
  const cols = Math.floor((maxX - minX) / size) + 1;
  const key = (col: number, row: number) => row * cols + col;
  const sums = new Map<number, number>();
  const colOf = new Int32Array(U), rowOf = new Int32Array(U);
  for (let u = 0; u < U; u++) {
    colOf[u] = Math.floor((coords.xy[2 * u]! - minX) / size);
    rowOf[u] = Math.floor((coords.xy[2 * u + 1]! - minY) / size);
    const k = key(colOf[u]!, rowOf[u]!);
    sums.set(k, (sums.get(k) ?? 0) + coords.weight[u]!);
  }
  const bound = new Float64Array(U);
  for (let u = 0; u < U; u++) {
    let s = 0;
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        const c = colOf[u]! + dc;
        if (c >= 0 && c < cols) s += sums.get(key(c, rowOf[u]! + dr)) ?? 0;
      }
    }
    bound[u] = s;
  }
  return bound;
}

function lonLatOf(coords: UniqueCoordinates, u: number, lonLat: Float64Array | undefined): [number, number] {
  if (lonLat) {
    const i = coords.first[u]!;
    return [lonLat[2 * i]!, lonLat[2 * i + 1]!];
  }
  return bngToLonLat(coords.xy[2 * u]!, coords.xy[2 * u + 1]!);
}

function mostCommonText(texts: readonly (string | null | undefined)[], members: Uint32Array): TopHotspot['location'] {
  const tally = new Map<string, number>();
  for (const i of members) {
    const t = texts[i]?.trim();
    if (t) tally.set(t, (tally.get(t) ?? 0) + 1);
  }
  let best: string | null = null, bestCount = 0;
  for (const [t, c] of tally) {
    if (c > bestCount) {
      best = t;
      bestCount = c;
    }
  }
  return best === null ? null : { text: best, count: bestCount, share: bestCount / members.length };
}
