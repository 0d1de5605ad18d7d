import Flatbush from 'flatbush';
import type { AreaGeometry, Position } from '@safer-places/schemas';

/**
 * Why an area geometry is not a valid OGC (Simple Features) polygon or multipolygon. turf.booleanValid is not enough:
 * it accepts bowties and does not look at how rings sit inside one another.
 */
export type AreaProblemKind =
  /** A polygon without rings, a ring without positions. */
  | 'empty'
  /** A position that is not two finite numbers. */
  | 'bad-coordinate'
  /** A ring whose last position is not its first. */
  | 'not-closed'
  /** Fewer than 3 different corners once repeated consecutive positions are ignored. */
  | 'too-few-points'
  /** Every position on one straight line: the ring encloses nothing. */
  | 'zero-area'
  /** A ring crosses, touches or doubles back on itself. */
  | 'self-intersection'
  /** Two rings of one polygon cross, or share an edge. */
  | 'rings-cross'
  /** A hole is (partly) outside its polygon's outer ring. */
  | 'hole-outside-shell'
  /** One hole lies inside another, or two holes overlap. */
  | 'holes-overlap'
  /** Rings touching one another in a closed loop cut the polygon's interior into pieces. */
  | 'disconnected-interior'
  /** Two parts of a MultiPolygon overlap, one lies inside another, or they share an edge. */
  | 'parts-overlap';

export interface AreaProblem {
  kind: AreaProblemKind;
  /** Names the problem and where it is (ring, `coordinates[…]` path, [lon, lat]); no field name, no remedy. */
  message: string;
  /** Where to mark it on a map; null only when there is no usable coordinate (e.g. an empty ring). */
  point: Position | null;
}

/**
 * First reason (if any) why `g` is not a valid polygon / multipolygon in the OGC sense, which is what JTS / GEOS /
 * PostGIS check with IsValid:
 * - positions are finite; rings are closed, have at least 3 different corners and enclose an area (repeated
 *   consecutive positions are allowed, but ignored when counting);
 * - no ring crosses, touches or doubles back on itself;
 * - rings of one polygon do not cross and share no edge; they may touch at single points, but not in a closed loop
 *   (two points between the same pair of rings, or a chain of holes from the outer ring back to it), since that
 *   cuts the interior into pieces;
 * - every hole lies inside its outer ring, and no hole lies inside or overlaps another;
 * - parts of a MultiPolygon have no interior in common and share no edge (touching at points is fine, as is a part
 *   inside another part's hole).
 *
 * Checks run in that order, so the answer names the most basic problem; among crossings, the first in ring order.
 *
 * Cost: edges are paired through a packed R-tree (flatbush) over their boxes, so a ring costs about O(n log n) even
 * when long edges defeat a plain x-sweep. Rings are then placed against each other (only pairs whose boxes overlap)
 * with one point per stretch of ring between touching points: a stretch meets no other ring, so it lies wholly on one
 * side of each. Untouched rings need a single point, so placing costs O(n) in the usual case.
 * Arithmetic is plain floating point: points exactly on another ring (shared vertices, a vertex on an edge) are handled
 * exactly when the coordinates are, but a vertex a rounding error away from an edge may read as a tiny crossing or gap.
 */
export function findAreaProblem(g: AreaGeometry): AreaProblem | null {
  return check(g, 1);
}

/** The same checks pairing every edge with every other: O(n²), the baseline for the bench and a second opinion in tests. */
export function findAreaProblemUnindexed(g: AreaGeometry): AreaProblem | null {
  return check(g, 0);
}

/**
 * First point where a ring of a polygon crosses or touches itself, or crosses / overlaps another ring of the same
 * polygon (a hole crossing its shell, two holes crossing). Rings of a polygon may touch at a single point (OGC
 * allows it), and separate parts of a MultiPolygon are not compared. Returns null when nothing is wrong.
 *
 * Only the crossing part of findAreaProblem (same engine, one polygon at a time, empty rings skipped and unclosed
 * ones closed): use findAreaProblem for the full validity check.
 *
 * Not turf.kinks: kinks rejects a hole touching its shell at one point (valid in OGC), cannot see collinear overlaps
 * (a spike folding back on itself) and compares every pair of segments.
 */
export function findSelfIntersection(g: AreaGeometry): Position | null {
  for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
    const hit = check({ type: 'Polygon', coordinates: rings }, 2);
    if (hit) return hit.point;
  }
  return null;
}

const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
/** Is q (known collinear with p1-p2) within the segment's box? */
const within = (px1: number, py1: number, px2: number, py2: number, qx: number, qy: number) =>
  qx >= Math.min(px1, px2) && qx <= Math.max(px1, px2) && qy >= Math.min(py1, py2) && qy <= Math.max(py1, py2);
const fmt = (x: number, y: number) => `[${x.toFixed(6)}, ${y.toFixed(6)}]`;

/** A point standing for a stretch of ring: where, the edge it is on, and whether it is the ring's first vertex. */
type Sample = [x: number, y: number, edge: number, vertex: boolean];

/** mode 0: every check, all pairs; 1: every check, indexed; 2: crossings only, lenient (findSelfIntersection). */
function check(g: AreaGeometry, mode: 0 | 1 | 2): AreaProblem | null {
  const multi = g.type === 'MultiPolygon';
  const lenient = mode === 2;
  const polygons: unknown[] = multi ? (Array.isArray(g.coordinates) ? g.coordinates : []) : [g.coordinates];
  // Rings (ids in part, then ring order) and their edges, repeated consecutive positions dropped.
  const ringPart: number[] = [], ringIndex: number[] = [], ringFirst: number[] = [], ringCount: number[] = [], box: number[] = [];
  const partFirst: number[] = [], partCount: number[] = [];
  const X1: number[] = [], Y1: number[] = [], X2: number[] = [], Y2: number[] = [], edgeRing: number[] = [], edgePos: number[] = [];
  let n = 0;

  const name = (p: number, r: number) => (r ? `hole ${r}` : 'the outer ring') + (multi ? ` of part ${p + 1}` : '');
  const path = (p: number, r: number, i?: number) => `coordinates${multi ? `[${p}]` : ''}[${r}]${i === undefined ? '' : `[${i}]`}`;
  const pos = (s: number) => path(ringPart[edgeRing[s]!]!, ringIndex[edgeRing[s]!]!, edgePos[s]);
  const edge = (s: number) => `the edge from ${pos(s)}`;
  const fail = (kind: AreaProblemKind, message: string, point: Position | null = null): AreaProblem => ({ kind, message, point });

  // ------------------------------------------------------------------------------------------ 1. structure
  const empty = (what: string, where: string) => fail('empty', `${where} is empty: ${what} needs at least one ${what === 'a ring' ? 'position' : 'ring'}`);
  if (!polygons.length) return fail('empty', 'coordinates is empty: a MultiPolygon needs at least one polygon');
  for (let p = 0; p < polygons.length; p++) {
    const rings = polygons[p];
    partFirst.push(ringPart.length);
    if (!Array.isArray(rings) || !rings.length) {
      if (lenient) continue;
      return empty('a polygon', `coordinates${multi ? `[${p}]` : ''}`);
    }
    for (let r = 0; r < rings.length; r++) {
      const ring = rings[r] as Position[];
      if (!Array.isArray(ring) || !ring.length) {
        if (lenient) continue;
        return empty('a ring', path(p, r));
      }
      const bad = lenient ? -1 : ring.findIndex((q) => !Number.isFinite(q?.[0]) || !Number.isFinite(q?.[1]));
      if (bad >= 0) return fail('bad-coordinate', `${path(p, r, bad)} in ${name(p, r)} is not a position of two finite numbers`);
      const [fx, fy] = ring[0]!;
      const [lx, ly] = ring[ring.length - 1]!;
      if (!lenient && (fx !== lx || fy !== ly)) {
        return fail('not-closed', `${name(p, r)} is not closed: its last position (${path(p, r, ring.length - 1)}) must repeat its first, ${fmt(fx, fy)}`, [fx, fy]);
      }
      const id = ringPart.length;
      const first = n;
      ringPart.push(p);
      ringIndex.push(r);
      ringFirst.push(n);
      let minX = fx, minY = fy, maxX = fx, maxY = fy, px = fx, py = fy, start = 0;
      const add = (x: number, y: number, i: number) => {
        X1[n] = px;
        Y1[n] = py;
        X2[n] = x;
        Y2[n] = y;
        edgeRing[n] = id;
        edgePos[n++] = start;
        px = x;
        py = y;
        start = i;
        minX = Math.min(minX, x);
        minY = Math.min(minY, y);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
      };
      for (let i = 1; i < ring.length; i++) if (ring[i]![0] !== px || ring[i]![1] !== py) add(ring[i]![0], ring[i]![1], i);
      if (px !== fx || py !== fy) add(fx, fy, 0); // lenient: an unclosed ring still gets its closing edge
      const count = n - first;
      ringCount.push(count);
      box.push(minX, minY, maxX, maxY);
      if (lenient) continue;
      if (count < 3) {
        return fail('too-few-points', `${name(p, r)} has fewer than 3 different corners (repeated positions count once)`, [fx, fy]);
      }
      let line = true;
      for (let s = first + 1; s < n && line; s++) line = orient(fx, fy, X2[first]!, Y2[first]!, X2[s]!, Y2[s]!) === 0;
      if (line) return fail('zero-area', `${name(p, r)} encloses no area: all its positions lie on one straight line`, [fx, fy]);
    }
    partCount.push(ringPart.length - partFirst[p]!);
  }

  // ------------------------------------------------------------------------------------------ 2. crossings
  const touches: number[] = []; // x, y, edge a, edge b: where two different rings touch

  /** how: 0 a proper crossing, 1 edges along each other, 2 a ring touching itself. */
  const crossing = (a: number, b: number, at: Position, how: 0 | 1 | 2): AreaProblem => {
    const ra = edgeRing[a]!, rb = edgeRing[b]!, pa = ringPart[ra]!, pb = ringPart[rb]!;
    const [kind, who]: [AreaProblemKind, string] =
      ra === rb
        ? ['self-intersection', `edges of ${name(pa, ringIndex[ra]!)}`]
        : pa === pb
          ? ['rings-cross', `${name(pa, ringIndex[ra]!)} and ${name(pb, ringIndex[rb]!)}`]
          : ['parts-overlap', `parts ${pa + 1} and ${pb + 1} of the MultiPolygon overlap: their edges`];
    return fail(kind, `${who} ${['cross each other at', 'run along each other from', 'touch at'][how]} ${fmt(at[0], at[1])} (${edge(a)} and ${edge(b)})`, at);
  };

  /** Edges a < b: a problem, or null (after noting where two rings touch). */
  const pair = (a: number, b: number): AreaProblem | null => {
    const ax1 = X1[a]!, ay1 = Y1[a]!, ax2 = X2[a]!, ay2 = Y2[a]!, bx1 = X1[b]!, by1 = Y1[b]!, bx2 = X2[b]!, by2 = Y2[b]!;
    const ra = edgeRing[a]!, same = ra === edgeRing[b];
    const o1 = orient(ax1, ay1, ax2, ay2, bx1, by1), o2 = orient(ax1, ay1, ax2, ay2, bx2, by2);
    // b wholly on one side of a's line: no contact (the common case, so first).
    if ((o1 > 0 && o2 > 0) || (o1 < 0 && o2 < 0)) return null;
    if (same && (b - a === 1 || (a === ringFirst[ra] && b === a + ringCount[ra]! - 1))) {
      // Neighbours share a vertex; they are wrong only when they fold back over each other (a spike).
      if (o1 || o2 || (ax2 - ax1) * (bx2 - bx1) + (ay2 - ay1) * (by2 - by1) >= 0) return null;
      return crossing(a, b, ax2 === bx1 && ay2 === by1 ? [ax2, ay2] : [ax1, ay1], 1);
    }
    const o3 = orient(bx1, by1, bx2, by2, ax1, ay1), o4 = orient(bx1, by1, bx2, by2, ax2, ay2);
    if ((o3 > 0 && o4 > 0) || (o3 < 0 && o4 < 0)) return null;
    if (o1 && o2 && o3 && o4) {
      const t = o3 / (o3 - o4);
      return crossing(a, b, [ax1 + t * (ax2 - ax1), ay1 + t * (ay2 - ay1)], 0);
    }
    let at: Position | undefined;
    if (!o1 && !o2) {
      // Collinear: overlapping by a positive length is always wrong; a single shared point is a touch.
      const useX = Math.abs(ax2 - ax1) >= Math.abs(ay2 - ay1);
      const k = useX ? 0 : 1;
      const ends: Position[] = [[ax1, ay1], [ax2, ay2], [bx1, by1], [bx2, by2]];
      const lo = Math.max(Math.min(ends[0]![k], ends[1]![k]), Math.min(ends[2]![k], ends[3]![k]));
      const hi = Math.min(Math.max(ends[0]![k], ends[1]![k]), Math.max(ends[2]![k], ends[3]![k]));
      if (lo > hi) return null;
      at = ends.find((q) => q[k] === lo)!;
      if (lo < hi) return crossing(a, b, at, 1);
    } else if (!o1 && within(ax1, ay1, ax2, ay2, bx1, by1)) at = [bx1, by1];
    else if (!o2 && within(ax1, ay1, ax2, ay2, bx2, by2)) at = [bx2, by2];
    else if (!o3 && within(bx1, by1, bx2, by2, ax1, ay1)) at = [ax1, ay1];
    else if (!o4 && within(bx1, by1, bx2, by2, ax2, ay2)) at = [ax2, ay2];
    if (!at) return null;
    if (same) return crossing(a, b, at, 2);
    touches.push(at[0], at[1], a, b);
    return null;
  };

  const lo = (v: number[], w: number[], s: number) => Math.min(v[s]!, w[s]!);
  const hi = (v: number[], w: number[], s: number) => Math.max(v[s]!, w[s]!);
  if (mode && n > 32) {
    const index = new Flatbush(n);
    for (let s = 0; s < n; s++) index.add(lo(X1, X2, s), lo(Y1, Y2, s), hi(X1, X2, s), hi(Y1, Y2, s));
    index.finish();
    for (let a = 0; a < n; a++) {
      // The first partner in ring order, so the answer does not depend on the tree.
      let found: AreaProblem | null = null, bestB = n;
      index.search(lo(X1, X2, a), lo(Y1, Y2, a), hi(X1, X2, a), hi(Y1, Y2, a), (b) => {
        const hit = b > a && b < bestB ? pair(a, b) : null;
        if (hit) [found, bestB] = [hit, b];
        return false;
      });
      if (found) return found;
    }
  } else {
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        if (lo(X1, X2, a) > hi(X1, X2, b) || lo(X1, X2, b) > hi(X1, X2, a) || lo(Y1, Y2, a) > hi(Y1, Y2, b) || lo(Y1, Y2, b) > hi(Y1, Y2, a)) continue;
        const hit = pair(a, b);
        if (hit) return hit;
      }
    }
  }
  if (lenient) return null;

  // ------------------------------------------------------------------------------------------ 3. placing rings
  const touched = new Uint8Array(ringPart.length);
  const touchPoints = new Set<string>();
  const cuts = new Map<number, Position[]>(); // touching points inside an edge
  for (let t = 0; t < touches.length; t += 4) {
    const x = touches[t]!, y = touches[t + 1]!;
    touchPoints.add(`${x},${y}`);
    for (const s of [touches[t + 2]!, touches[t + 3]!]) {
      touched[edgeRing[s]!] = 1;
      if ((x !== X1[s] || y !== Y1[s]) && (x !== X2[s] || y !== Y2[s])) cuts.set(s, [...(cuts.get(s) ?? []), [x, y]]);
    }
  }

  /** One point per stretch of the ring between touching points; a ring touching nothing is one stretch. */
  const samples = (r: number): Sample[] => {
    const f = ringFirst[r]!;
    if (!touched[r]) return [[X1[f]!, Y1[f]!, f, true]];
    const out: Sample[] = [];
    for (let s = f; s < f + ringCount[r]!; s++) {
      const ax = X1[s]!, ay = Y1[s]!;
      const pts: Position[] = [[ax, ay], ...(cuts.get(s) ?? []).sort((u, v) => Math.abs(u[0] - ax) + Math.abs(u[1] - ay) - Math.abs(v[0] - ax) - Math.abs(v[1] - ay)), [X2[s]!, Y2[s]!]];
      for (let k = 0; k + 1 < pts.length; k++) {
        const [px, py] = pts[k]!, [qx, qy] = pts[k + 1]!;
        if ((k || touchPoints.has(`${px},${py}`)) && (px !== qx || py !== qy)) out.push([(px + qx) / 2, (py + qy) / 2, s, false]);
      }
    }
    return out;
  };

  /** Strictly inside ring r (samples are never on another ring, so its boundary needs no case of its own). */
  const inside = (r: number, x: number, y: number) => {
    if (x < box[4 * r]! || x > box[4 * r + 2]! || y < box[4 * r + 1]! || y > box[4 * r + 3]!) return false;
    let odd = false;
    for (let s = ringFirst[r]!; s < ringFirst[r]! + ringCount[r]!; s++) {
      if (Y1[s]! > y !== Y2[s]! > y && x < X1[s]! + ((y - Y1[s]!) * (X2[s]! - X1[s]!)) / (Y2[s]! - Y1[s]!)) odd = !odd;
    }
    return odd;
  };

  /** The first sample of ring r passing `test`, and whether all did. */
  const place = (r: number, test: (x: number, y: number) => boolean): [Sample | undefined, boolean] => {
    const all = samples(r);
    const hits = all.filter(([x, y]) => test(x, y));
    return [hits[0], hits.length === all.length];
  };
  const said = ([x, y, s, vertex]: Sample) => `${vertex ? pos(s) : edge(s)}, at ${fmt(x, y)}`;

  /** Pairs (i < j) of the given rings whose boxes overlap, by a sweep over their x ranges. */
  const overlapping = (rings: number[]) => {
    const sorted = [...rings].sort((a, b) => box[4 * a]! - box[4 * b]!);
    const out: [number, number][] = [];
    sorted.forEach((a, i) => {
      for (let j = i + 1; j < sorted.length && box[4 * sorted[j]!]! <= box[4 * a + 2]!; j++) {
        const b = sorted[j]!;
        if (box[4 * a + 1]! <= box[4 * b + 3]! && box[4 * b + 1]! <= box[4 * a + 3]!) out.push(a < b ? [a, b] : [b, a]);
      }
    });
    return out.sort((u, v) => u[0] - v[0] || u[1] - v[1]);
  };

  for (let p = 0; p < partFirst.length; p++) {
    const shell = partFirst[p]!, holes: number[] = [];
    for (let h = shell + 1; h < shell + partCount[p]!; h++) holes.push(h);
    const outer = multi ? ` of part ${p + 1}` : '';

    for (const h of holes) {
      const [hit, all] = place(h, (x, y) => !inside(shell, x, y));
      if (hit) {
        return fail('hole-outside-shell', `${name(p, ringIndex[h]!)} ${all ? 'lies' : 'runs'} outside the outer ring${outer} (${said(hit)} is outside it)`, [hit[0], hit[1]]);
      }
    }

    for (const [a, b] of overlapping(holes)) {
      for (const [i, o] of [[b, a], [a, b]]) {
        const [hit, all] = place(i!, (x, y) => inside(o!, x, y));
        if (hit) {
          const ni = name(p, ringIndex[i!]!), no = name(p, ringIndex[o!]!);
          return fail('holes-overlap', `${ni} ${all ? `lies inside ${no}` : `and ${no} overlap`} (${said(hit)} is inside ${all ? 'it' : no})`, [hit[0], hit[1]]);
        }
      }
    }

    // Rings touching in a closed loop cut the interior: union-find over rings and touching points; a loop shows as a
    // ring joining a point already in its set. Several rings meeting at one point form no loop.
    const ids = new Map<string, number>();
    const joined = new Set<string>();
    const parent = Array.from({ length: partCount[p]! }, (_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    for (let t = 0; t < touches.length; t += 4) {
      const key = `${touches[t]},${touches[t + 1]}`;
      for (const s of [touches[t + 2]!, touches[t + 3]!]) {
        const r = edgeRing[s]!;
        // The same ring at the same point, noted again by another pair of edges, is no new link.
        if (ringPart[r] !== p || joined.has(`${key}|${r}`)) continue;
        joined.add(`${key}|${r}`);
        if (!ids.has(key)) ids.set(key, parent.push(parent.length) - 1);
        const [a, b] = [find(r - shell), find(ids.get(key)!)];
        if (a === b) {
          const other = edgeRing[touches[t + 2] === s ? touches[t + 3]! : touches[t + 2]!]!;
          return fail(
            'disconnected-interior',
            `${name(p, ringIndex[r]!)} touches ${name(p, ringIndex[other]!)} at ${fmt(touches[t]!, touches[t + 1]!)}, closing a loop of touching rings that cuts the polygon${outer} into separate pieces`,
            [touches[t]!, touches[t + 1]!],
          );
        }
        parent[a] = b;
      }
    }
  }

  // Parts share no interior: with no crossings left, two parts' interiors meet only if a stretch of one part's
  // boundary runs through the other's interior, so every ring of each is placed against the other part.
  const inPart = (p: number, x: number, y: number) => {
    for (let r = partFirst[p]!; r < partFirst[p]! + partCount[p]!; r++) if (inside(r, x, y) !== (r === partFirst[p])) return false;
    return true;
  };
  for (const [sa, sb] of overlapping(partFirst)) {
    const pa = ringPart[sa]!, pb = ringPart[sb]!;
    for (const [i, o] of [[pb, pa], [pa, pb]]) {
      for (let r = partFirst[i!]!; r < partFirst[i!]! + partCount[i!]!; r++) {
        const [hit, all] = place(r, (x, y) => inPart(o!, x, y));
        if (!hit) continue;
        const message =
          all && r === partFirst[i!]
            ? `part ${i! + 1} of the MultiPolygon lies inside part ${o! + 1}`
            : `parts ${Math.min(i!, o!) + 1} and ${Math.max(i!, o!) + 1} of the MultiPolygon overlap`;
        return fail('parts-overlap', `${message} (${said(hit)} is inside part ${o! + 1})`, [hit[0], hit[1]]);
      }
    }
  }
  return null;
}
