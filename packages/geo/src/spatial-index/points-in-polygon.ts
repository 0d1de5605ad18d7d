import type KDBush from 'kdbush';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import { kdTree } from './kd-tree';

/**
 * Which of up to millions of points lie inside a drawn polygon: a KD-tree (kdbush) range query on the polygon's
 * bounding box, then an even-odd crossing test against only the edges in the point's horizontal band. Build the index
 * once per point set; each query then costs the points in the box, not the whole set.
 *
 * Boundaries follow createPolygonLocator: edges are half-open in y and a point exactly on an edge counts for the side to
 * its right (above, for horizontal edges), so two polygons sharing an edge never both claim a point. Holes work;
 * MultiPolygon parts are united (a point inside any part is inside).
 */
export interface PointIndex {
  /** Number of points indexed (including non-finite ones, which are never found). */
  readonly size: number;
  readonly xy: Float64Array;
  readonly tree: KDBush;
}

/** Indexes interleaved x/y points (lon/lat or BNG — query with polygons in the same coordinates). */
export function createPointIndex(xy: Float64Array): PointIndex {
  // Ids stay aligned with point indices; non-finite points go far outside any real query box.
  return { size: xy.length >> 1, xy, tree: kdTree(xy) };
}

interface Part {
  minY: number;
  maxY: number;
  bandHeight: number;
  bands: number;
  /** CSR: edges of band b are edgeIds[bandStart[b]..bandStart[b+1]). */
  bandStart: Uint32Array;
  edgeIds: Uint32Array;
  /** Per edge: yLow, yHigh, xAtYLow, dx/dy. */
  edges: Float64Array;
}

function buildPart(rings: Position[][]): Part | null {
  const list: number[] = [];
  let minY = Infinity, maxY = -Infinity;
  for (const ring of rings) {
    const m = ring.length;
    for (let k = 0; k < m; k++) {
      const [x1, y1] = ring[k]!;
      const [x2, y2] = ring[(k + 1) % m]!;
      if (y1 === y2) continue; // half-open counting never uses horizontal edges
      const low = y1 < y2;
      const ya = low ? y1 : y2, xa = low ? x1 : x2, yb = low ? y2 : y1, xb = low ? x2 : x1;
      list.push(ya, yb, xa, (xb - xa) / (yb - ya));
      if (ya < minY) minY = ya;
      if (yb > maxY) maxY = yb;
    }
  }
  const e = list.length / 4;
  if (e === 0) return null;
  const edges = Float64Array.from(list);
  // About one band per edge: a point then meets only the two or three edges crossing its band.
  const bands = Math.max(1, Math.min(4096, e));
  const bandHeight = (maxY - minY) / bands || 1;
  const band = (y: number) => Math.min(bands - 1, Math.max(0, Math.floor((y - minY) / bandHeight)));
  const bandStart = new Uint32Array(bands + 1);
  for (let k = 0; k < e; k++) for (let b = band(edges[4 * k]!); b <= band(edges[4 * k + 1]!); b++) bandStart[b + 1]!++;
  for (let b = 0; b < bands; b++) bandStart[b + 1]! += bandStart[b]!;
  const edgeIds = new Uint32Array(bandStart[bands]!);
  const fill = bandStart.slice(0, bands);
  for (let k = 0; k < e; k++) for (let b = band(edges[4 * k]!); b <= band(edges[4 * k + 1]!); b++) edgeIds[fill[b]!++] = k;
  return { minY, maxY, bandHeight, bands, bandStart, edgeIds, edges };
}

function insidePart(p: Part, x: number, y: number): boolean {
  if (!(y >= p.minY && y < p.maxY)) return false;
  // Same clamped formula as when the edges were binned, so an edge's band range always covers its points.
  const b = Math.min(p.bands - 1, Math.floor((y - p.minY) / p.bandHeight));
  const { edges, edgeIds } = p;
  let inside = false;
  for (let j = p.bandStart[b]!, end = p.bandStart[b + 1]!; j < end; j++) {
    const k = edgeIds[j]! * 4;
    if (y >= edges[k]! && y < edges[k + 1]! && x < edges[k + 2]! + (y - edges[k]!) * edges[k + 3]!) inside = !inside;
  }
  return inside;
}

/**
 * Indices (ascending) of the indexed points inside `polygon`.
 *
 * Walks kdbush's own tree (its public ids/coords arrays, in KD order) instead of calling range(): points are tested as
 * they are found and nothing is allocated per point. Hits go into a bitset, which yields them in ascending order
 * without a sort.
 */
export function pointsInPolygon(index: PointIndex, polygon: AreaGeometry): Uint32Array {
  const polys = polygon.type === 'Polygon' ? [polygon.coordinates] : polygon.coordinates;
  const parts: Part[] = [];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const rings of polys) {
    const part = buildPart(rings);
    if (part) parts.push(part);
    for (const [x, y] of rings[0] ?? []) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (parts.length === 0 || index.size === 0) return new Uint32Array(0);

  const { ids, coords, nodeSize } = index.tree;
  const bits = new Uint32Array((index.size + 31) >>> 5);
  let hits = 0;
  const single = parts.length === 1 ? parts[0]! : null;
  const test = (i: number) => {
    const x = coords[2 * i]!, y = coords[2 * i + 1]!;
    if (x < minX || x > maxX || y < minY || y > maxY) return;
    let inside = false;
    if (single) inside = insidePart(single, x, y);
    else for (let q = 0; q < parts.length && !inside; q++) inside = insidePart(parts[q]!, x, y);
    if (inside) {
      const id = ids[i]!;
      bits[id >>> 5]! |= 1 << (id & 31);
      hits++;
    }
  };

  // Iterative KD-tree range search: [left, right, axis] per pending node.
  const stack = new Int32Array(3 * 64);
  let sp = 0;
  stack[sp++] = 0;
  stack[sp++] = ids.length - 1;
  stack[sp++] = 0;
  while (sp > 0) {
    const axis = stack[--sp]!;
    const right = stack[--sp]!;
    const left = stack[--sp]!;
    if (right - left <= nodeSize) {
      for (let i = left; i <= right; i++) test(i);
      continue;
    }
    const m = (left + right) >> 1;
    test(m);
    const split = coords[2 * m + axis]!;
    if (axis === 0 ? minX <= split : minY <= split) {
      stack[sp++] = left;
      stack[sp++] = m - 1;
      stack[sp++] = 1 - axis;
    }
    if (axis === 0 ? maxX >= split : maxY >= split) {
      stack[sp++] = m + 1;
      stack[sp++] = right;
      stack[sp++] = 1 - axis;
    }
  }

  const out = new Uint32Array(hits);
  let k = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const low = word & -word;
      out[k++] = (w << 5) + (31 - Math.clz32(low));
      word ^= low;
    }
  }
  return out;
}

/** Points per category among `indices` (category[i] in 0…categoryCount−1; others ignored). */
export function countByCategory(indices: ArrayLike<number>, category: ArrayLike<number>, categoryCount = 14): Uint32Array {
  const out = new Uint32Array(categoryCount);
  for (let k = 0; k < indices.length; k++) {
    const c = category[indices[k]!]!;
    if (c >= 0 && c < categoryCount) out[c]!++;
  }
  return out;
}
