import Flatbush from 'flatbush';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import { polygonsOf } from './vertex-key';

const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/**
 * Vertex-to-edge snapping ("noding") for boundaries that should meet but were digitised or generalised separately: every
 * vertex lying within `toleranceM` metres of another ring's edge (and not already one of its ends) is inserted into
 * that edge at its own exact position. Afterwards two neighbours' common boundary has the same vertices on both sides,
 * so edge cancellation dissolves it instead of leaving a sliver. Edges are found with a flatbush index over edge boxes;
 * distances use a local equirectangular scale (exact to well under a millimetre at these distances).
 */
export function nodeVertices(geometries: readonly AreaGeometry[], toleranceM = 1): AreaGeometry[] {
  const rings: Position[][] = [];
  for (const g of geometries) for (const poly of polygonsOf(g)) for (const ring of poly) rings.push(ring);
  let edgeCount = 0;
  for (const r of rings) edgeCount += Math.max(0, r.length - 1);
  if (edgeCount === 0) return geometries.map((g) => structuredClone(g));
  const lat0 = rings[0]![0]![1];
  const kx = Math.cos((lat0 * Math.PI) / 180);
  const tolY = toleranceM / M_PER_DEG;
  const tolX = tolY / kx;
  const edgeRing = new Int32Array(edgeCount);
  const edgeIndex = new Int32Array(edgeCount);
  const index = new Flatbush(edgeCount);
  let e = 0;
  rings.forEach((ring, r) => {
    for (let k = 0; k + 1 < ring.length; k++) {
      const [x1, y1] = ring[k]!;
      const [x2, y2] = ring[k + 1]!;
      index.add(Math.min(x1, x2) - tolX, Math.min(y1, y2) - tolY, Math.max(x1, x2) + tolX, Math.max(y1, y2) + tolY);
      edgeRing[e] = r;
      edgeIndex[e] = k;
      e++;
    }
  });
  index.finish();

  // Insertions per ring edge: [t, vertex].
  const inserts = new Map<number, { t: number; p: Position }[]>();
  const tol2 = toleranceM * toleranceM;
  rings.forEach((ring) => {
    for (let k = 0; k + 1 < ring.length; k++) {
      const p = ring[k]!;
      for (const hit of index.search(p[0], p[1], p[0], p[1])) {
        const r = edgeRing[hit]!;
        const other = rings[r]!;
        if (other === ring) continue;
        const a = other[edgeIndex[hit]!]!;
        const b = other[edgeIndex[hit]! + 1]!;
        if ((a[0] === p[0] && a[1] === p[1]) || (b[0] === p[0] && b[1] === p[1])) continue;
        const dx = (b[0] - a[0]) * kx * M_PER_DEG, dy = (b[1] - a[1]) * M_PER_DEG;
        const px = (p[0] - a[0]) * kx * M_PER_DEG, py = (p[1] - a[1]) * M_PER_DEG;
        const len2 = dx * dx + dy * dy;
        if (len2 === 0) continue;
        const t = (px * dx + py * dy) / len2;
        // Near an end already: that end and p are the same point for the dissolve's vertex snapping, or p is a
        // vertex next to the end; either way nothing to insert.
        if (t * t * len2 <= tol2 || (1 - t) * (1 - t) * len2 <= tol2) continue;
        if (t <= 0 || t >= 1) continue;
        const qx = px - t * dx, qy = py - t * dy;
        if (qx * qx + qy * qy > tol2) continue;
        let list = inserts.get(hit);
        if (!list) inserts.set(hit, (list = []));
        if (!list.some((x) => x.p[0] === p[0] && x.p[1] === p[1])) list.push({ t, p: [p[0], p[1]] });
      }
    }
  });
  if (inserts.size === 0) return geometries.map((g) => structuredClone(g));

  // Rebuild the rings with their insertions, in input order.
  const ringStart: number[] = [];
  let acc = 0;
  for (const r of rings) {
    ringStart.push(acc);
    acc += Math.max(0, r.length - 1);
  }
  let ri = 0;
  const rebuild = (ring: Position[]): Position[] => {
    const base = ringStart[ri++]!;
    const out: Position[] = [];
    for (let k = 0; k < ring.length; k++) {
      out.push([ring[k]![0], ring[k]![1]]);
      const list = k + 1 < ring.length ? inserts.get(base + k) : undefined;
      if (list) for (const x of [...list].sort((u, v) => u.t - v.t)) out.push(x.p);
    }
    return out;
  };
  return geometries.map((g) =>
    g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: g.coordinates.map(rebuild) }
      : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map(rebuild)) },
  );
}
