import type { AreaGeometry, Position } from '@safer-places/schemas';

/**
 * First point where a ring of a polygon crosses or touches itself, or crosses / overlaps another ring of the same
 * polygon (a hole crossing its shell, two holes crossing). Rings of a polygon may touch at a single point (OGC
 * allows it), and separate parts of a MultiPolygon are not compared. Returns null when nothing is wrong.
 *
 * Not turf.kinks: kinks rejects a hole touching its shell at one point (valid in OGC), cannot see collinear overlaps
 * (a spike folding back on itself) and compares every pair of segments.
 * Segments are swept in x order, so typical rings cost about O(n log n) rather than O(n²).
 * Limitation: a hole leaving its shell exactly through a shell vertex looks like a touch and is not reported.
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
  n: number;
  x1: Float64Array;
  y1: Float64Array;
  x2: Float64Array;
  y2: Float64Array;
  ring: Int32Array;
  index: Int32Array;
  ringSize: Int32Array;
}

let scratch: Segments | null = null;

/** Reused buffers: validating many small polygons would otherwise spend most of its time allocating. */
function scratchFor(cap: number): Segments {
  if (!scratch || scratch.x1.length < cap) {
    const size = Math.max(cap, 64);
    scratch = {
      n: 0,
      x1: new Float64Array(size),
      y1: new Float64Array(size),
      x2: new Float64Array(size),
      y2: new Float64Array(size),
      ring: new Int32Array(size),
      index: new Int32Array(size),
      ringSize: new Int32Array(size),
    };
  }
  return scratch;
}

/** Flattens rings into segments, skipping repeated consecutive vertices (harmless, but they would hide neighbours). */
function buildSegments(rings: Position[][]): Segments {
  let cap = 0;
  for (const ring of rings) cap += ring.length;
  const s = scratchFor(cap);
  let k = 0;
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r]!;
    if (ring.length === 0) continue;
    const start = k;
    let px = ring[0]![0];
    let py = ring[0]![1];
    const fx = px;
    const fy = py;
    const add = (x: number, y: number) => {
      s.x1[k] = px;
      s.y1[k] = py;
      s.x2[k] = x;
      s.y2[k] = y;
      s.ring[k] = r;
      s.index[k] = k - start;
      k++;
      px = x;
      py = y;
    };
    for (let i = 1; i < ring.length; i++) {
      const p = ring[i]!;
      if (p[0] !== px || p[1] !== py) add(p[0], p[1]);
    }
    // An unclosed ring still gets its closing segment.
    if (px !== fx || py !== fy) add(fx, fy);
    for (let j = start; j < k; j++) s.ringSize[j] = k - start;
  }
  s.n = k;
  return s;
}

/** Below this many segments testing all pairs beats sorting. */
const SMALL = 48;

function polygonIntersection(rings: Position[][]): Position | null {
  const s = buildSegments(rings);
  const n = s.n;
  if (n <= SMALL) {
    // Pairs in (a, b) order, so the first hit is the first in ring order.
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        if (!boxesMeet(s, a, b)) continue;
        const p = pairIntersection(s, a, b);
        if (p) return p;
      }
    }
    return null;
  }

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
    for (let oj = oi + 1; oj < n; oj++) {
      const b = order[oj]!;
      if (minX[b]! > aMaxX) break;
      if (!boxesMeet(s, a, b)) continue;
      const lo = a < b ? a : b;
      const hi = a < b ? b : a;
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

function boxesMeet(s: Segments, a: number, b: number): boolean {
  const ay1 = s.y1[a]!, ay2 = s.y2[a]!, by1 = s.y1[b]!, by2 = s.y2[b]!;
  if ((ay1 < ay2 ? ay1 : ay2) > (by1 > by2 ? by1 : by2) || (by1 < by2 ? by1 : by2) > (ay1 > ay2 ? ay1 : ay2)) return false;
  const ax1 = s.x1[a]!, ax2 = s.x2[a]!, bx1 = s.x1[b]!, bx2 = s.x2[b]!;
  return !((ax1 < ax2 ? ax1 : ax2) > (bx1 > bx2 ? bx1 : bx2) || (bx1 < bx2 ? bx1 : bx2) > (ax1 > ax2 ? ax1 : ax2));
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
