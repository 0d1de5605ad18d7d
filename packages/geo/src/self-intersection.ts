import type { AreaGeometry, Position } from '@safer-places/schemas';

/**
 * First point where a ring of a polygon crosses or touches itself, or crosses / overlaps another ring of the same
 * polygon (a hole crossing its shell, two holes crossing). Rings of a polygon may touch at a single point (OGC
 * allows it), and separate parts of a MultiPolygon are not compared. Returns null when nothing is wrong.
 *
 * Not turf.kinks: kinks flags a hole touching its shell at one vertex and misses collinear overlaps and spikes.
 * Segments are swept in x order, so typical rings cost about O(n log n) rather than O(n²).
 */
export function findSelfIntersection(g: AreaGeometry): Position | null {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of polygons) {
    const hit = polygonIntersection(rings);
    if (hit) return hit;
  }
  return null;
}

interface Segments {
  x1: Float64Array;
  y1: Float64Array;
  x2: Float64Array;
  y2: Float64Array;
  ring: Int32Array;
  index: Int32Array;
  ringSize: Int32Array;
}

function buildSegments(rings: Position[][]): Segments {
  const cleaned = rings.map(dedupeRing);
  const n = cleaned.reduce((s, r) => s + Math.max(0, r.length - 1), 0);
  const seg: Segments = {
    x1: new Float64Array(n),
    y1: new Float64Array(n),
    x2: new Float64Array(n),
    y2: new Float64Array(n),
    ring: new Int32Array(n),
    index: new Int32Array(n),
    ringSize: new Int32Array(n),
  };
  let k = 0;
  cleaned.forEach((ring, r) => {
    for (let i = 0; i < ring.length - 1; i++, k++) {
      seg.x1[k] = ring[i]![0];
      seg.y1[k] = ring[i]![1];
      seg.x2[k] = ring[i + 1]![0];
      seg.y2[k] = ring[i + 1]![1];
      seg.ring[k] = r;
      seg.index[k] = i;
      seg.ringSize[k] = ring.length - 1;
    }
  });
  return seg;
}

/** Repeated consecutive vertices are harmless but would hide which segments are neighbours. */
function dedupeRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  // Make sure the ring is closed so the closing segment is tested too.
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && out.length > 1 && (first[0] !== last[0] || first[1] !== last[1])) out.push(first);
  return out;
}

function polygonIntersection(rings: Position[][]): Position | null {
  const s = buildSegments(rings);
  const n = s.x1.length;
  const minX = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    minX[i] = Math.min(s.x1[i]!, s.x2[i]!);
    order[i] = i;
  }
  order.sort((a, b) => minX[a]! - minX[b]! || a - b);

  // Keep the hit with the smallest (segment, other segment) so "first" does not depend on the sweep order.
  let best: Position | null = null;
  let bestA = Infinity;
  let bestB = Infinity;
  for (let oi = 0; oi < n; oi++) {
    const a = order[oi]!;
    const aMaxX = Math.max(s.x1[a]!, s.x2[a]!);
    const aMinY = Math.min(s.y1[a]!, s.y2[a]!);
    const aMaxY = Math.max(s.y1[a]!, s.y2[a]!);
    for (let oj = oi + 1; oj < n; oj++) {
      const b = order[oj]!;
      if (minX[b]! > aMaxX) break;
      if (Math.max(s.y1[b]!, s.y2[b]!) < aMinY || Math.min(s.y1[b]!, s.y2[b]!) > aMaxY) continue;
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      if (lo > bestA || (lo === bestA && hi >= bestB)) continue;
      const p = pairIntersection(s, lo, hi);
      if (p) {
        best = p;
        bestA = lo;
        bestB = hi;
      }
    }
  }
  return best;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** Is q (known collinear with segment p1-p2) within the segment's box? */
function onSegment(px1: number, py1: number, px2: number, py2: number, qx: number, qy: number): boolean {
  return qx >= Math.min(px1, px2) && qx <= Math.max(px1, px2) && qy >= Math.min(py1, py2) && qy <= Math.max(py1, py2);
}

function pairIntersection(s: Segments, a: number, b: number): Position | null {
  const ax1 = s.x1[a]!, ay1 = s.y1[a]!, ax2 = s.x2[a]!, ay2 = s.y2[a]!;
  const bx1 = s.x1[b]!, by1 = s.y1[b]!, bx2 = s.x2[b]!, by2 = s.y2[b]!;
  const sameRing = s.ring[a] === s.ring[b];
  const size = s.ringSize[a]!;
  const ia = s.index[a]!;
  const ib = s.index[b]!;
  const adjacent = sameRing && (ib - ia === 1 || ia - ib === 1 || (size > 2 && Math.abs(ib - ia) === size - 1));

  const o1 = orient(ax1, ay1, ax2, ay2, bx1, by1);
  const o2 = orient(ax1, ay1, ax2, ay2, bx2, by2);
  const o3 = orient(bx1, by1, bx2, by2, ax1, ay1);
  const o4 = orient(bx1, by1, bx2, by2, ax2, ay2);

  if (adjacent) {
    // Neighbours share a vertex by construction; they are wrong only when they fold back over each other (a spike).
    if (o1 !== 0 || o2 !== 0) return null;
    const dot = (ax2 - ax1) * (bx2 - bx1) + (ay2 - ay1) * (by2 - by1);
    if (dot >= 0) return null;
    // The fold happens at the shared vertex.
    if (ax2 === bx1 && ay2 === by1) return [ax2, ay2];
    return [ax1, ay1];
  }

  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
    const t = o3 / (o3 - o4);
    return [ax1 + t * (ax2 - ax1), ay1 + t * (ay2 - ay1)];
  }

  if (o1 === 0 && o2 === 0) {
    // Collinear: an overlap of positive length is always invalid; a single shared point only within one ring.
    const useX = Math.abs(ax2 - ax1) >= Math.abs(ay2 - ay1);
    const pa1 = useX ? ax1 : ay1, pa2 = useX ? ax2 : ay2, pb1 = useX ? bx1 : by1, pb2 = useX ? bx2 : by2;
    const lo = Math.max(Math.min(pa1, pa2), Math.min(pb1, pb2));
    const hi = Math.min(Math.max(pa1, pa2), Math.max(pb1, pb2));
    if (lo > hi) return null;
    if (lo < hi || sameRing) {
      // Report the overlap's start, which is one of the four endpoints.
      for (const [x, y] of [[ax1, ay1], [ax2, ay2], [bx1, by1], [bx2, by2]] as Position[]) {
        if ((useX ? x : y) === lo) return [x, y];
      }
    }
    return null;
  }

  if (!sameRing) return null; // a single touching point between different rings is allowed
  if (o1 === 0 && onSegment(ax1, ay1, ax2, ay2, bx1, by1)) return [bx1, by1];
  if (o2 === 0 && onSegment(ax1, ay1, ax2, ay2, bx2, by2)) return [bx2, by2];
  if (o3 === 0 && onSegment(bx1, by1, bx2, by2, ax1, ay1)) return [ax1, ay1];
  if (o4 === 0 && onSegment(bx1, by1, bx2, by2, ax2, ay2)) return [ax2, ay2];
  return null;
}
