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

  // Crimes within the radius of every candidate centre.
  const found = new Uint32Array(U);
  const score = new Uint32Array(U);
  for (let u = 0; u < U; u++) {
    const m = index.withinInto(coords.xy[2 * u]!, coords.xy[2 * u + 1]!, radius, found);
    let s = 0;
    for (let k = 0; k < m; k++) s += coords.weight[found[k]!]!;
    score[u] = s;
  }
  const order = new Uint32Array(U);
  for (let u = 0; u < U; u++) order[u] = u;
  order.sort((a, b) => score[b]! - score[a]! || coords.first[a]! - coords.first[b]!);

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
  for (let o = 0; o < U && result.length < n; o++) {
    const c = order[o]!;
    if (excluded[c]) continue;
    if (score[c]! < minCount) break;
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
