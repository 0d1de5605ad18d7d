import * as turf from '@turf/turf';
import type { AreaGeometry, BBox, Position } from '@safer-places/schemas';
import { bboxIntersects, geometryBBox } from './bbox';
import { areaSquareMetres } from './measure';
import { lonLatToBng } from './projection/bng';

export interface OverlapShare {
  code: string;
  /** Share of the polygon's own area that lies inside the drawn area, 0–1. */
  shareInside: number;
  /** Overlap in square metres on the British National Grid (measure.ts). */
  overlapM2: number;
}

/**
 * How much of each polygon (e.g. each LSOA) lies inside an area: the basis for area-weighted population. Only
 * polygons whose bbox meets the area's are looked at, and polygons with no overlap are left out, so the work grows
 * with the polygons near the area, not with how many are passed.
 *
 * The overlap is the area of the intersection as Turf's polygon clipping on lon/lat would draw it, measured on the
 * British National Grid like every other area the product reports (areaSquareMetres), but without building the
 * intersection polygon: by Green's theorem its area is the sum, over the pieces of each boundary that lie inside the
 * other polygon, of the pieces' shoelace terms (ends projected to the grid). Where the two boundaries touch or run
 * along each other (a vertex on the other's edge, shared edges: an area made of LSOAs), that sum needs care Turf
 * already takes, so that pair is clipped by Turf instead.
 */
export function overlapShares(area: AreaGeometry, polygons: { code: string; geometry: AreaGeometry; bbox?: BBox }[]): OverlapShare[] {
  const box = geometryBBox(area);
  let prepared: Region | undefined;
  const out: OverlapShare[] = [];
  for (const p of polygons) {
    if (!bboxIntersects(p.bbox ?? geometryBBox(p.geometry), box)) continue;
    prepared ??= prepare(area);
    const overlapM2 = overlapArea(prepared, prepare(p.geometry)) ?? turfOverlapArea(area, p.geometry);
    if (!(overlapM2 > 0)) continue;
    const polygonM2 = polygonArea(p.geometry);
    out.push({ code: p.code, shareInside: polygonM2 > 0 ? Math.min(1, overlapM2 / polygonM2) : 1, overlapM2 });
  }
  return out;
}

/** Whether two areas share any point (touching counts). */
export function areasIntersect(a: AreaGeometry, b: AreaGeometry): boolean {
  if (!bboxIntersects(geometryBBox(a), geometryBBox(b))) return false;
  return turf.booleanIntersects(turf.feature(a), turf.feature(b));
}

/** The overlap as before this module computed it itself: Turf's intersection, measured on the grid. */
function turfOverlapArea(area: AreaGeometry, polygon: AreaGeometry): number {
  const overlap = turf.intersect(turf.featureCollection([turf.feature(area), turf.feature(polygon)]));
  const g = overlap?.geometry;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return 0;
  return areaSquareMetres(g as AreaGeometry);
}

/**
 * A polygon's own area on the grid, remembered per geometry object: LSOA geometries are kept by the reference cache,
 * so an LSOA is measured once, not once per drawn area.
 */
const polygonAreas = new WeakMap<AreaGeometry, number>();
function polygonArea(g: AreaGeometry): number {
  let m2 = polygonAreas.get(g);
  if (m2 === undefined) polygonAreas.set(g, (m2 = areaSquareMetres(g)));
  return m2;
}

/** One ring: lon/lat and grid positions (interleaved, not closed), and +1 or -1 to orient it (outer CCW, holes CW). */
interface Ring {
  n: number;
  ll: Float64Array;
  xy: Float64Array;
  orient: number;
}
interface Region {
  rings: Ring[];
}

/** Below this (relative), a crossing is taken to be at an end of an edge, or two edges parallel: a touching pair. */
const TOUCH = 1e-9;

function prepare(g: AreaGeometry): Region {
  const rings: Ring[] = [];
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const polygon of polygons) {
    polygon.forEach((ring, k) => {
      const r = openRing(ring);
      if (r.n < 3) return;
      const signed = signedArea(r.ll, r.n);
      if (signed === 0) return;
      r.orient = (k === 0 ? 1 : -1) * Math.sign(signed);
      rings.push(r);
    });
  }
  return { rings };
}

function openRing(ring: readonly Position[]): Ring {
  let n = ring.length;
  if (n > 1 && ring[0]![0] === ring[n - 1]![0] && ring[0]![1] === ring[n - 1]![1]) n--;
  const ll = new Float64Array(2 * n);
  const xy = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const lon = ring[i]![0], lat = ring[i]![1];
    ll[2 * i] = lon;
    ll[2 * i + 1] = lat;
    const [x, y] = lonLatToBng(lon, lat);
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
  }
  return { n, ll, xy, orient: 1 };
}

/** Twice the signed area of a lon/lat ring (only its sign is used). */
function signedArea(ll: Float64Array, n: number): number {
  const x0 = ll[0]!, y0 = ll[1]!;
  let s = 0;
  for (let i = 1; i < n - 1; i++) s += (ll[2 * i]! - x0) * (ll[2 * i + 3]! - y0) - (ll[2 * i + 2]! - x0) * (ll[2 * i + 1]! - y0);
  return s;
}

/**
 * Area (m², grid) of a ∩ b from their boundaries: each boundary cut where it crosses the other, and the pieces inside
 * the other summed as shoelace terms about a common origin. null when the boundaries touch or overlap anywhere (then
 * the sum's treatment of the shared points would matter).
 */
function overlapArea(a: Region, b: Region): number | null {
  if (a.rings.length === 0 || b.rings.length === 0) return 0;
  const ox = a.rings[0]!.xy[0]!, oy = a.rings[0]!.xy[1]!;
  const fromA = boundaryInside(a, b, ox, oy);
  if (fromA === null) return null;
  const fromB = boundaryInside(b, a, ox, oy);
  if (fromB === null) return null;
  return Math.max(0, (fromA + fromB) / 2);
}

/** Twice the oriented shoelace sum of the pieces of `from`'s boundary inside `other`; null on touching boundaries. */
function boundaryInside(from: Region, other: Region, ox: number, oy: number): number | null {
  let sum = 0;
  const cuts: number[] = [];
  for (const ring of from.rings) {
    const { n, ll, xy } = ring;
    let ringSum = 0;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const ax = ll[2 * i]!, ay = ll[2 * i + 1]!, bx = ll[2 * j]!, by = ll[2 * j + 1]!;
      cuts.length = 0;
      if (!crossings(ax, ay, bx, by, other, cuts)) return null;
      if (cuts.length > 1) cuts.sort((p, q) => p - q);
      // Pieces between consecutive cuts lie wholly inside or wholly outside `other`: their midpoints tell.
      let t0 = 0;
      let px = xy[2 * i]! - ox, py = xy[2 * i + 1]! - oy;
      for (let k = 0; k <= cuts.length; k++) {
        const t1 = k < cuts.length ? cuts[k]! : 1;
        let qx: number, qy: number;
        if (k < cuts.length) {
          const [x, y] = lonLatToBng(ax + (bx - ax) * t1, ay + (by - ay) * t1);
          qx = x - ox;
          qy = y - oy;
        } else {
          qx = xy[2 * j]! - ox;
          qy = xy[2 * j + 1]! - oy;
        }
        const tm = (t0 + t1) / 2;
        if (inside(other, ax + (bx - ax) * tm, ay + (by - ay) * tm)) ringSum += px * qy - qx * py;
        t0 = t1;
        px = qx;
        py = qy;
      }
    }
    sum += ring.orient * ringSum;
  }
  return sum;
}

/**
 * Adds to `cuts` the parameters (0–1 along a→b) where the segment crosses `other`'s boundary. False if it touches it:
 * a crossing at an end of either edge, or a parallel edge on the same line.
 */
function crossings(ax: number, ay: number, bx: number, by: number, other: Region, cuts: number[]): boolean {
  const rx = bx - ax, ry = by - ay;
  const rLen = Math.hypot(rx, ry);
  const minX = Math.min(ax, bx), maxX = Math.max(ax, bx), minY = Math.min(ay, by), maxY = Math.max(ay, by);
  for (const ring of other.rings) {
    const { n, ll } = ring;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const cx = ll[2 * i]!, cy = ll[2 * i + 1]!, dx = ll[2 * j]!, dy = ll[2 * j + 1]!;
      if ((cx < minX && dx < minX) || (cx > maxX && dx > maxX) || (cy < minY && dy < minY) || (cy > maxY && dy > maxY)) continue;
      const sx = dx - cx, sy = dy - cy;
      const sLen = Math.hypot(sx, sy);
      const denom = rx * sy - ry * sx;
      const qx = cx - ax, qy = cy - ay;
      if (Math.abs(denom) <= TOUCH * rLen * sLen) {
        // Parallel: on the same line (and within each other's box, so overlapping or meeting) is touching.
        if (Math.abs(qx * ry - qy * rx) <= TOUCH * rLen * Math.max(rLen, Math.hypot(qx, qy))) return false;
        continue;
      }
      const t = (qx * sy - qy * sx) / denom;
      const u = (qx * ry - qy * rx) / denom;
      if (t < -TOUCH || t > 1 + TOUCH || u < -TOUCH || u > 1 + TOUCH) continue;
      if (t <= TOUCH || t >= 1 - TOUCH || u <= TOUCH || u >= 1 - TOUCH) return false;
      cuts.push(t);
    }
  }
  return true;
}

/** Even-odd test of a lon/lat point against every ring of a region (holes and parts alike). */
function inside(region: Region, x: number, y: number): boolean {
  let odd = false;
  for (const { n, ll } of region.rings) {
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = ll[2 * i]!, yi = ll[2 * i + 1]!, xj = ll[2 * j]!, yj = ll[2 * j + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}
