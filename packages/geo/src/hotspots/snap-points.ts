/**
 * police.uk publishes each crime at the nearest of a fixed set of anonymised map points (street midpoints, parks,
 * shops, stations…), so many crimes share one exact coordinate: Nottinghamshire's 256 k located crimes in 2023–24 sit
 * on ~16 k points. A "hot spot" made mostly of one such point is often a single address (a supermarket's shoplifting,
 * a police station's recorded crimes) rather than a street problem, and analysts should be told.
 */

/** Marks a point that was not selected or has no finite coordinates. */
export const NO_COORDINATE = 0xffffffff;
/** A cell/spot is flagged when more than this share of its crimes sits on its single most common coordinate. */
export const DEFAULT_SNAP_THRESHOLD = 0.5;

export interface UniqueCoordinates {
  /** Per input point: index of its distinct coordinate, or NO_COORDINATE. */
  ids: Uint32Array;
  /** Number of distinct coordinates. */
  count: number;
  /** Interleaved x/y of each distinct coordinate. */
  xy: Float64Array;
  /** Selected points at each distinct coordinate. */
  weight: Uint32Array;
  /** Lowest-ordered selected point at each distinct coordinate (first seen in `indices` order). */
  first: Uint32Array;
}

/**
 * Groups points by exact coordinate (bitwise equal doubles, with −0 = 0) through an open-addressing hash table:
 * linear in the number of points, no strings, no sorting.
 */
export function uniqueCoordinates(xy: Float64Array, indices?: ArrayLike<number>): UniqueCoordinates {
  const total = xy.length >> 1;
  const n = indices ? indices.length : total;
  const ids = new Uint32Array(total).fill(NO_COORDINATE);
  let size = 16;
  while (size < n * 2) size <<= 1;
  const table = new Int32Array(size).fill(-1);
  const mask = size - 1;
  const ux = new Float64Array(Math.max(1, n) * 2);
  const weight = new Uint32Array(Math.max(1, n));
  const first = new Uint32Array(Math.max(1, n));
  const scratch = new Float64Array(2);
  const words = new Uint32Array(scratch.buffer);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const i = indices ? indices[k]! : k;
    const x = xy[2 * i]! + 0;
    const y = xy[2 * i + 1]! + 0;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    scratch[0] = x;
    scratch[1] = y;
    let h = Math.imul(words[0]! ^ Math.imul(words[1]!, 0x9e3779b1), 0x85ebca6b);
    h = Math.imul(h ^ words[2]! ^ (h >>> 15), 0xc2b2ae35);
    h = Math.imul(h ^ words[3]! ^ (h >>> 13), 0x27d4eb2f);
    h ^= h >>> 16;
    let slot = h & mask;
    for (;;) {
      const u = table[slot]!;
      if (u < 0) {
        table[slot] = count;
        ux[2 * count] = x;
        ux[2 * count + 1] = y;
        weight[count] = 1;
        first[count] = i;
        ids[i] = count++;
        break;
      }
      if (ux[2 * u] === x && ux[2 * u + 1] === y) {
        weight[u]!++;
        ids[i] = u;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { ids, count, xy: ux.slice(0, count * 2), weight: weight.slice(0, count), first: first.slice(0, count) };
}

export interface DominantCoordinate {
  /** Distinct-coordinate id (into UniqueCoordinates), or NO_COORDINATE when there are no members. */
  id: number;
  x: number;
  y: number;
  /** Members on that coordinate. */
  count: number;
  /** count / members with a coordinate. */
  share: number;
}

/** The most common exact coordinate among `members` (point indices); ties go to the coordinate seen first. */
export function dominantCoordinate(coords: UniqueCoordinates, members: ArrayLike<number>): DominantCoordinate {
  const tally = new Map<number, number>();
  let total = 0;
  for (let k = 0; k < members.length; k++) {
    const id = coords.ids[members[k]!]!;
    if (id === NO_COORDINATE) continue;
    total++;
    tally.set(id, (tally.get(id) ?? 0) + 1);
  }
  // Map iteration follows insertion, i.e. first-seen order, which breaks ties.
  let best = NO_COORDINATE, bestCount = 0;
  for (const [id, c] of tally) {
    if (c > bestCount) {
      bestCount = c;
      best = id;
    }
  }
  if (best === NO_COORDINATE) return { id: NO_COORDINATE, x: NaN, y: NaN, count: 0, share: 0 };
  return { id: best, x: coords.xy[2 * best]!, y: coords.xy[2 * best + 1]!, count: bestCount, share: bestCount / total };
}

export interface SnapPointCheck {
  cell: number;
  /** Selected crimes in the cell. */
  count: number;
  /** Crimes on the cell's most common coordinate. */
  topCount: number;
  share: number;
  /** The most common coordinate (same units as the input xy). */
  x: number;
  y: number;
  /** share > threshold: most of the cell's crimes are one published map point. */
  flagged: boolean;
}

export interface SnapPointOptions {
  /** Default 0.5: flagged when strictly more than half the crimes share one coordinate. */
  threshold?: number;
  /** Selected points (e.g. one category and period); default all. */
  indices?: ArrayLike<number>;
  /** Reuse a grouping already computed for the same points and selection. */
  coords?: UniqueCoordinates;
}

/**
 * Snap-point check for the cells the caller asks about (typically the Gi* hot cells): per cell, the share of its
 * crimes on its single most common coordinate, flagged above the threshold. Cells without crimes get share 0.
 */
export function snapPointCheck(
  xy: Float64Array,
  cellOfPoint: Int32Array,
  cells: ArrayLike<number>,
  options: SnapPointOptions = {},
): SnapPointCheck[] {
  const threshold = options.threshold ?? DEFAULT_SNAP_THRESHOLD;
  const coords = options.coords ?? uniqueCoordinates(xy, options.indices);
  const slotOfCell = new Map<number, number>();
  for (let k = 0; k < cells.length; k++) if (!slotOfCell.has(cells[k]!)) slotOfCell.set(cells[k]!, slotOfCell.size);
  const members: number[][] = Array.from({ length: slotOfCell.size }, () => []);
  const n = options.indices ? options.indices.length : xy.length >> 1;
  for (let k = 0; k < n; k++) {
    const i = options.indices ? options.indices[k]! : k;
    const c = cellOfPoint[i]!;
    if (c < 0) continue;
    const slot = slotOfCell.get(c);
    if (slot !== undefined) members[slot]!.push(i);
  }
  const out: SnapPointCheck[] = [];
  for (const [cell, slot] of slotOfCell) {
    const list = members[slot]!;
    const top = dominantCoordinate(coords, list);
    out.push({ cell, count: list.length, topCount: top.count, share: top.share, x: top.x, y: top.y, flagged: top.share > threshold });
  }
  return out;
}
