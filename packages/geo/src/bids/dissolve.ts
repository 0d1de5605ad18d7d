import type { AreaGeometry, Position } from '@safer-places/schemas';
import { planarPathLength, planarRingArea, projectRing } from '../measure';
import { findSelfIntersection } from '../self-intersection';
import { unionAreas } from '../union-areas';
import { nodeVertices } from './node-vertices';
import { createVertexKeyer, directedEdgeKey, polygonsOf, DEFAULT_VERTEX_PRECISION } from './vertex-key';

/**
 * Dissolves adjacent polygons of a clean coverage (LSOAs) into one area by boundary-edge cancellation:
 *
 * 0. vertices within `snapM` (default 1 m) of a neighbour's edge are inserted into that edge (node-vertices), so both
 *    sides of a common boundary have the same vertices even where the boundaries were generalised separately;
 * 1. every ring is oriented (outer counter-clockwise, holes clockwise) and split into directed edges between quantised
 *    vertices (vertex-key: ~0.1 m), which also snaps away sub-decimetre gaps between neighbours;
 * 2. an edge whose reverse is present belongs to two selected polygons (an inner boundary) and both cancel;
 * 3. the remaining edges are chained into rings, taking the sharpest right turn where several leave one vertex (so an
 *    outline goes round the outside and gaps become holes), and rings that pass a vertex twice are split there (two
 *    areas touching at a corner stay two polygons; a hole touching the outline stays a hole);
 * 4. counter-clockwise rings are outlines, clockwise ones holes (each given to the smallest outline containing it);
 *    holes and outlines smaller than `minAreaM2` or thinner than `minWidthM` (2 × area / perimeter) are slivers and
 *    dropped.
 *
 * Near-linear in the number of vertices and free of floating-point clipping. When the input is not a clean coverage
 * (the edges do not chain up, or the result has crossing or nested outlines because polygons overlap), it falls back to a polygon-clipping union (turf) of the snapped input,
 * with the same sliver removal.
 */
export interface DissolveOptions {
  precision?: number;
  /** Vertices this close (m) to another ring's edge are inserted into it first. Default 1 m; 0 turns it off. */
  snapM?: number;
  /** Holes and parts below this area (m²) are slivers. Default 500 m² (the smallest English LSOA is ~100× larger). */
  minAreaM2?: number;
  /** Holes and parts whose mean width 2A/P is below this (m) are slivers. Default 2 m. */
  minWidthM?: number;
}

export interface DissolveResult {
  geometry: AreaGeometry | null;
  method: 'edge-cancellation' | 'clipping-union';
  /** Slivers (holes or parts) removed. */
  sliversRemoved: number;
}

export function dissolvePolygons(geometries: readonly AreaGeometry[], options: DissolveOptions = {}): DissolveResult {
  const precision = options.precision ?? DEFAULT_VERTEX_PRECISION;
  if (geometries.length === 0) return { geometry: null, method: 'edge-cancellation', sliversRemoved: 0 };
  const snapM = options.snapM ?? 1;
  const noded = snapM > 0 ? nodeVertices(geometries, snapM) : geometries;
  const traced = traceCoverage(noded, precision);
  if (traced) {
    const result = assemble(traced, options, 'edge-cancellation');
    if (result && (!result.geometry || !findSelfIntersection(result.geometry))) return result;
  }
  const snapped = geometries.map((g) => snap(g, precision));
  const union = unionAreas(snapped);
  if (!union) return { geometry: null, method: 'clipping-union', sliversRemoved: 0 };
  const rings = polygonsOf(union).flat().map((r) => r.slice(0, -1));
  return assemble(rings, options, 'clipping-union', false)!;
}

/** Rings (open: last vertex ≠ first) of the dissolved coverage, or null when the edges do not chain up. */
function traceCoverage(geometries: readonly AreaGeometry[], precision: number): Position[][] | null {
  const keyer = createVertexKeyer(geometries, precision);
  const edges = new Map<number, number>();
  const add = (a: number, b: number) => {
    const reverse = directedEdgeKey(b, a);
    const r = edges.get(reverse);
    if (r !== undefined) {
      if (r === 1) edges.delete(reverse);
      else edges.set(reverse, r - 1);
      return;
    }
    const key = directedEdgeKey(a, b);
    edges.set(key, (edges.get(key) ?? 0) + 1);
  };
  for (const g of geometries) {
    for (const rings of polygonsOf(g)) {
      rings.forEach((ring, r) => {
        const ids: number[] = [];
        for (const [x, y] of ring) {
          const v = keyer.id(x, y);
          if (ids.length === 0 || ids[ids.length - 1] !== v) ids.push(v);
        }
        if (ids.length > 1 && ids[0] === ids[ids.length - 1]) ids.pop();
        if (ids.length < 3) return;
        const ccw = signedArea(ids.map((v) => keyer.coords[v]!)) > 0;
        // Outer rings counter-clockwise, holes clockwise.
        if (ccw !== (r === 0)) ids.reverse();
        for (let k = 0; k < ids.length; k++) add(ids[k]!, ids[(k + 1) % ids.length]!);
      });
    }
  }
  const out = new Map<number, number[]>();
  for (const [key, count] of edges) {
    if (count !== 1) return null; // the same edge twice in one direction: overlapping polygons
    const a = Math.floor(key / 67108864);
    const b = key - a * 67108864;
    let list = out.get(a);
    if (!list) out.set(a, (list = []));
    list.push(b);
  }
  const coords = keyer.coords;
  const rings: Position[][] = [];
  for (const [start, list] of out) {
    while (list.length > 0) {
      const path: number[] = [start];
      let prev = start;
      let cur = list.pop()!;
      let guard = edges.size + 1;
      while (cur !== start) {
        if (guard-- < 0) return null;
        path.push(cur);
        const next = out.get(cur);
        if (!next || next.length === 0) return null; // an open chain: not a clean coverage
        const k = next.length === 1 ? 0 : rightmost(coords[prev]!, coords[cur]!, next.map((v) => coords[v]!));
        prev = cur;
        cur = next.splice(k, 1)[0]!;
      }
      for (const ring of splitAtRepeats(path)) rings.push(ring.map((v) => coords[v]!));
    }
  }
  return rings;
}

/** Index of the candidate making the sharpest right turn after travelling a → b. */
function rightmost(a: Position, b: Position, candidates: Position[]): number {
  const ix = b[0] - a[0], iy = b[1] - a[1];
  let best = 0;
  let bestAngle = Infinity;
  candidates.forEach((c, k) => {
    const dx = c[0] - b[0], dy = c[1] - b[1];
    const angle = Math.atan2(ix * dy - iy * dx, ix * dx + iy * dy);
    if (angle < bestAngle) {
      bestAngle = angle;
      best = k;
    }
  });
  return best;
}

/** Splits a closed vertex path into simple rings wherever it returns to a vertex it has already passed. */
function splitAtRepeats(path: number[]): number[][] {
  const rings: number[][] = [];
  const stack: number[] = [];
  const at = new Map<number, number>();
  for (const v of path) {
    const k = at.get(v);
    if (k !== undefined) {
      const loop = stack.splice(k + 1);
      for (const w of loop) at.delete(w);
      if (loop.length >= 2) rings.push([v, ...loop]);
      continue;
    }
    at.set(v, stack.length);
    stack.push(v);
  }
  if (stack.length >= 3) rings.push(stack);
  return rings;
}

/** Outlines with their holes; null when outlines nest or overlap (overlapping input), unless `strict` is off. */
function assemble(rings: Position[][], options: DissolveOptions, method: DissolveResult['method'], strict = true): DissolveResult | null {
  const minArea = options.minAreaM2 ?? 500;
  const minWidth = options.minWidthM ?? 2;
  let sliversRemoved = 0;
  const shells: { ring: Position[]; area: number; holes: Position[][] }[] = [];
  const holes: Position[][] = [];
  for (const ring of rings) {
    if (ring.length < 3) continue;
    const a = signedArea(ring);
    // Sliver area and width in British National Grid metres, as every area the product reports (measure.ts).
    const xy = projectRing(ring);
    const m2 = Math.abs(planarRingArea(xy));
    const width = (2 * m2) / (planarPathLength(xy, true) || 1);
    if (m2 < minArea || width < minWidth) {
      sliversRemoved++;
      continue;
    }
    if (a > 0) shells.push({ ring, area: Math.abs(a), holes: [] });
    else holes.push(ring);
  }
  shells.sort((x, y) => x.area - y.area);
  for (const hole of holes) {
    const [x0, y0] = hole[0]!;
    const [x1, y1] = hole[1]!;
    const probe: Position = [(x0 + x1) / 2, (y0 + y1) / 2];
    const owner = shells.find((s) => s.area > Math.abs(signedArea(hole)) && pointInRing(probe, s.ring));
    if (owner) owner.holes.push(hole);
    else sliversRemoved++; // a hole outside every outline cannot be drawn; only a broken input gives one
  }
  if (shells.length === 0) return { geometry: null, method, sliversRemoved };
  if (strict) {
    // An outline inside another outline (and not in one of its holes) means the input polygons overlapped.
    for (let i = 0; i < shells.length; i++) {
      const [x0, y0] = shells[i]!.ring[0]!;
      const [x1, y1] = shells[i]!.ring[1]!;
      const probe: Position = [(x0 + x1) / 2, (y0 + y1) / 2];
      for (let j = i + 1; j < shells.length; j++) {
        const outer = shells[j]!;
        if (pointInRing(probe, outer.ring) && !outer.holes.some((h) => pointInRing(probe, h))) return null;
      }
    }
  }
  shells.sort((x, y) => y.area - x.area);
  const close = (r: Position[]) => [...r.map((p) => [p[0], p[1]] as Position), [r[0]![0], r[0]![1]] as Position];
  const polygons = shells.map((s) => [close(s.ring), ...s.holes.map(close)]);
  const geometry: AreaGeometry = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
  return { geometry, method, sliversRemoved };
}

/** Shoelace area in degrees² of an open or closed ring; positive when counter-clockwise. */
export function signedArea(ring: readonly Position[]): number {
  let s = 0;
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % n]!;
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

function pointInRing([x, y]: Position, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function snap(g: AreaGeometry, precision: number): AreaGeometry {
  const r = (p: Position): Position => [Math.round(p[0] / precision) * precision, Math.round(p[1] / precision) * precision];
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map((ring) => ring.map(r)) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map((ring) => ring.map(r))) };
}
