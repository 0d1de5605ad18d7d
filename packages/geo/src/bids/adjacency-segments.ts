import Flatbush from 'flatbush';
import type { AreaGeometry } from '@safer-places/schemas';
import { fromPairs, type Adjacency } from './adjacency';
import { polygonsOf } from './vertex-key';

/**
 * The straightforward way to find polygons that share a boundary, kept as the reference and benchmark baseline for
 * polygonAdjacency: candidate pairs from overlapping bounding boxes (flatbush), then every edge of one polygon against
 * every edge of the other, neighbours when two edges are collinear (within `tolerance` degrees) and overlap for more
 * than `tolerance`. Tolerant of boundaries whose vertices do not line up, but O(pairs × edges²).
 */
export function adjacencyBySegments(geometries: readonly AreaGeometry[], tolerance = 1e-6): Adjacency {
  const n = geometries.length;
  const edges: Float64Array[] = [];
  const index = new Flatbush(Math.max(1, n));
  for (const g of geometries) {
    const list: number[] = [];
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const rings of polygonsOf(g)) {
      for (const ring of rings) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const [x1, y1] = ring[k]!;
          const [x2, y2] = ring[k + 1]!;
          list.push(x1, y1, x2, y2);
          minX = Math.min(minX, x1);
          minY = Math.min(minY, y1);
          maxX = Math.max(maxX, x1);
          maxY = Math.max(maxY, y1);
        }
      }
    }
    edges.push(Float64Array.from(list));
    index.add(minX, minY, maxX, maxY);
  }
  if (n === 0) index.add(0, 0, 0, 0);
  index.finish();
  const pairs = new Set<number>();
  for (let i = 0; i < n; i++) {
    const a = edges[i]!;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let k = 0; k < a.length; k += 2) {
      minX = Math.min(minX, a[k]!);
      maxX = Math.max(maxX, a[k]!);
      minY = Math.min(minY, a[k + 1]!);
      maxY = Math.max(maxY, a[k + 1]!);
    }
    for (const j of index.search(minX - tolerance, minY - tolerance, maxX + tolerance, maxY + tolerance)) {
      if (j <= i) continue;
      if (shareSegment(a, edges[j]!, tolerance)) pairs.add(i * 67108864 + j);
    }
  }
  return fromPairs(n, pairs);
}

function shareSegment(a: Float64Array, b: Float64Array, tol: number): boolean {
  for (let p = 0; p < a.length; p += 4) {
    for (let q = 0; q < b.length; q += 4) {
      if (overlapLength(a[p]!, a[p + 1]!, a[p + 2]!, a[p + 3]!, b[q]!, b[q + 1]!, b[q + 2]!, b[q + 3]!, tol) > tol) return true;
    }
  }
  return false;
}

/** Length along segment 1 over which segment 2 runs on it (both within tol of one line); 0 when not collinear. */
function overlapLength(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, x4: number, y4: number, tol: number): number {
  const dx = x2 - x1, dy = y2 - y1;
  const len = Math.hypot(dx, dy);
  if (len <= tol) return 0;
  const ux = dx / len, uy = dy / len;
  // Perpendicular distances of segment 2's ends from line 1.
  if (Math.abs((x3 - x1) * uy - (y3 - y1) * ux) > tol) return 0;
  if (Math.abs((x4 - x1) * uy - (y4 - y1) * ux) > tol) return 0;
  const t3 = (x3 - x1) * ux + (y3 - y1) * uy;
  const t4 = (x4 - x1) * ux + (y4 - y1) * uy;
  const lo = Math.max(0, Math.min(t3, t4));
  const hi = Math.min(len, Math.max(t3, t4));
  return hi - lo;
}
