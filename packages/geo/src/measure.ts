import type { AreaGeometry, PolygonGeometry, Position } from '@safer-places/schemas';
import { bngToLonLat, lonLatToBng, toBng } from './projection/bng';
import { coveredPoints, type CameraView } from './planning/camera-coverage';
import type { PointIndex } from './spatial-index/points-in-polygon';

/*
 * One model of distance and area for the whole product: British National Grid (EPSG:27700) planar metres.
 *
 * Every distance (camera coverage, a help point's distance to an area, patrol legs, a camera's move) and every area (a
 * drawn area's km², an LSOA's km², overlaps) is measured on the grid: positions are projected with the same proj4
 * definition the hot spot and planner analyses use (hotspots/bng.ts), then measured with plane geometry. That is what
 * ONS publishes LSOA areas in, and what the planner's coverage model (planning/camera-coverage.ts) counts in, so a
 * figure in one panel agrees with the same figure in another.
 *
 * Grid metres are not ground metres: the grid's scale factor is 0.99960 on its central meridian (2° W) and about
 * 1.0004 at the far east and west of Great Britain, so a grid distance is within 0.04 % of the distance on the
 * ellipsoid. A polygon's edges are straight lines on the grid.
 */

/** A lon/lat position (WGS84 degrees) as BNG easting and northing in metres. */
export function projectPosition(p: Position): [number, number] {
  return lonLatToBng(p[0], p[1]);
}

/**
 * A BNG easting/northing back to lon/lat (WGS84 degrees), such that projectPosition gives (x, y) back to within 1e-7 m.
 * proj4's inverse of the Helmert datum shift is the forward shift with its signs flipped, which is off by about a
 * millimetre; one correction step (aim again, by the miss) removes that.
 */
export function unprojectPosition(x: number, y: number): Position {
  return localInverse(x, y)(x, y);
}

/**
 * An inverse projection for points near (x0, y0), exact to ~1e-7 m within a few kilometres: proj4's inverse aimed off by
 * its own miss at (x0, y0), which is the same to well under a micrometre across that distance.
 */
function localInverse(x0: number, y0: number): (x: number, y: number) => Position {
  const [lon, lat] = bngToLonLat(x0, y0);
  const [fx, fy] = lonLatToBng(lon, lat);
  const ex = fx - x0, ey = fy - y0;
  if (!Number.isFinite(ex) || !Number.isFinite(ey)) return (x, y) => bngToLonLat(x, y);
  return (x, y) => bngToLonLat(x - ex, y - ey);
}

/** A ring of lon/lat positions as interleaved BNG metres. */
export function projectRing(ring: readonly Position[]): Float64Array {
  const lonLat = new Float64Array(ring.length * 2);
  for (let i = 0; i < ring.length; i++) {
    lonLat[2 * i] = ring[i]![0];
    lonLat[2 * i + 1] = ring[i]![1];
  }
  return toBng(lonLat, lonLat);
}

/** Straight-line distance in BNG metres between two lon/lat positions. */
export function distanceMetres(a: Position, b: Position): number {
  const [ax, ay] = lonLatToBng(a[0], a[1]);
  const [bx, by] = lonLatToBng(b[0], b[1]);
  return Math.hypot(bx - ax, by - ay);
}

/**
 * Signed area (m²) of a ring of interleaved planar points, open or closed: positive when counter-clockwise. The shoelace
 * sum is taken about the first vertex, so eastings and northings in the hundreds of thousands lose no precision.
 */
export function planarRingArea(xy: ArrayLike<number>): number {
  const n = xy.length >> 1;
  if (n < 3) return 0;
  const x0 = xy[0]!, y0 = xy[1]!;
  let s = 0;
  let px = 0, py = 0;
  for (let i = 1; i < n; i++) {
    const qx = xy[2 * i]! - x0, qy = xy[2 * i + 1]! - y0;
    s += px * qy - qx * py;
    px = qx;
    py = qy;
  }
  // The closing edge back to the first vertex (0, 0) adds px * 0 - 0 * py = 0.
  return s / 2;
}

/** Length (m) of a path of interleaved planar points; with `closed`, the edge from the last point back to the first too. */
export function planarPathLength(xy: ArrayLike<number>, closed = false): number {
  const n = xy.length >> 1;
  let total = 0;
  for (let i = 1; i < n; i++) total += Math.hypot(xy[2 * i]! - xy[2 * i - 2]!, xy[2 * i + 1]! - xy[2 * i - 1]!);
  if (closed && n > 1) total += Math.hypot(xy[0]! - xy[2 * n - 2]!, xy[1]! - xy[2 * n - 1]!);
  return total;
}

/** Area (m², unsigned) of one lon/lat ring, open or closed, on the grid. */
export function ringAreaSquareMetres(ring: readonly Position[]): number {
  return Math.abs(planarRingArea(projectRing(ring)));
}

/** Perimeter (m) of one lon/lat ring on the grid; an open ring is closed for the measurement. */
export function ringPerimeterMetres(ring: readonly Position[]): number {
  const n = ring.length;
  const closedAlready = n > 1 && ring[0]![0] === ring[n - 1]![0] && ring[0]![1] === ring[n - 1]![1];
  return planarPathLength(projectRing(ring), !closedAlready);
}

/** The polygons of an area geometry, each as its rings. */
function polygonsOf(g: AreaGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/**
 * Area in square metres on the British National Grid: each polygon's outer ring less its holes, whatever their winding,
 * summed over the parts of a MultiPolygon.
 */
export function areaSquareMetres(g: AreaGeometry): number {
  let total = 0;
  for (const rings of polygonsOf(g)) {
    rings.forEach((ring, k) => {
      const a = ringAreaSquareMetres(ring);
      total += k === 0 ? a : -a;
    });
  }
  return Math.max(0, total);
}

/** Area in km² on the British National Grid (unrounded). */
export function areaSquareKilometres(g: AreaGeometry): number {
  return areaSquareMetres(g) / 1e6;
}

/** An area's rings projected once, to measure many points against it. */
interface ProjectedArea {
  /** Per polygon, its rings as interleaved BNG metres. */
  polygons: Float64Array[][];
}

function projectArea(area: AreaGeometry): ProjectedArea {
  return { polygons: polygonsOf(area).map((rings) => rings.map(projectRing)) };
}

/** Even-odd test of a point against one polygon's rings (outer and holes), on the grid. */
function insidePolygon(rings: readonly Float64Array[], x: number, y: number): boolean {
  let inside = false;
  for (const r of rings) {
    const n = r.length >> 1;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = r[2 * i]!, yi = r[2 * i + 1]!, xj = r[2 * j]!, yj = r[2 * j + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Distance from (x, y) to the segment (ax, ay)–(bx, by), all planar metres. */
export function pointSegmentDistance(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function distanceToProjected(area: ProjectedArea, x: number, y: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return NaN;
  for (const rings of area.polygons) if (insidePolygon(rings, x, y)) return 0;
  let best = Infinity;
  for (const rings of area.polygons) {
    for (const r of rings) {
      const n = r.length >> 1;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const d = pointSegmentDistance(x, y, r[2 * j]!, r[2 * j + 1]!, r[2 * i]!, r[2 * i + 1]!);
        if (d < best) best = d;
      }
    }
  }
  return best;
}

/**
 * A function giving the distance in BNG metres from a lon/lat point to `area`: 0 inside (or on the edge), else to its
 * nearest edge. The area is projected once, so measuring many points (help points) costs one projection each.
 */
export function distanceToArea(area: AreaGeometry): (point: Position) => number {
  const projected = projectArea(area);
  return (point) => {
    const [x, y] = lonLatToBng(point[0], point[1]);
    return distanceToProjected(projected, x, y);
  };
}

/** Distance in BNG metres from a point to an area: 0 inside, else to its nearest edge. See {@link distanceToArea}. */
export function distanceToAreaMetres(point: Position, area: AreaGeometry): number {
  return distanceToArea(area)(point);
}

/**
 * The lon/lat position `distanceM` grid metres from `center` on the grid bearing `bearingDeg` (degrees clockwise from
 * grid north, the bearing the coverage model uses).
 */
export function destinationPosition(center: Position, distanceM: number, bearingDeg: number): Position {
  const [x, y] = lonLatToBng(center[0], center[1]);
  return bngDestination(localInverse(x, y), x, y, distanceM, bearingDeg);
}

function bngDestination(inverse: (x: number, y: number) => Position, x: number, y: number, distanceM: number, bearingDeg: number): Position {
  const b = (bearingDeg * Math.PI) / 180;
  return inverse(x + distanceM * Math.sin(b), y + distanceM * Math.cos(b));
}

/**
 * A circle of `radiusM` grid metres around `center`, as a closed lon/lat ring of `steps` vertices plus the closing one:
 * exactly the disc the coverage model counts (vertices on the radius, counter-clockwise from north as turf.circle).
 */
export function circlePolygon(center: Position, radiusM: number, steps = 64): PolygonGeometry {
  const [x, y] = lonLatToBng(center[0], center[1]);
  const inverse = localInverse(x, y);
  const ring: Position[] = [];
  for (let i = 0; i < steps; i++) ring.push(bngDestination(inverse, x, y, radiusM, (i * -360) / steps));
  ring.push([ring[0]![0], ring[0]![1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * The sector of a circle of `radiusM` grid metres from grid bearing `bearing1` clockwise to `bearing2` (degrees), closed
 * at the centre: centre, `steps` + 1 arc vertices, centre (the vertex order of turf.sector).
 */
export function sectorPolygon(center: Position, radiusM: number, bearing1: number, bearing2: number, steps = 64): PolygonGeometry {
  const [x, y] = lonLatToBng(center[0], center[1]);
  const inverse = localInverse(x, y);
  const start = ((bearing1 % 360) + 360) % 360;
  let end = ((bearing2 % 360) + 360) % 360;
  if (end <= start) end += 360;
  const ring: Position[] = [[center[0], center[1]]];
  for (let i = 0; i <= steps; i++) ring.push(bngDestination(inverse, x, y, radiusM, i === steps ? end : start + (i * (end - start)) / steps));
  ring.push([center[0], center[1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** A camera at a lon/lat position as the coverage model sees it: BNG position, radius and optional sector. */
export function cameraViewAt(position: Position, radiusM: number, view: { bearing?: number; fieldOfView?: number } = {}): CameraView {
  const [x, y] = lonLatToBng(position[0], position[1]);
  const { bearing, fieldOfView } = view;
  return { x, y, radius: radiusM, ...(bearing !== undefined && fieldOfView !== undefined && { bearing, fieldOfView }) };
}

/**
 * Which of some lon/lat points any camera sees, by the planner's coverage model: the answer is exactly
 * `coveredPoints(toBng(those points), cameras)`, in the order of `members` (1 seen, 0 not).
 *
 * `index` is a KD-tree over lon/lat points (createPointIndex) and `members` the indices into it to test. Only the
 * points in a box around each camera are projected: the box is the lon/lat extent of a grid square 1.5 × the radius
 * (plus a metre) either side of the camera, which holds the whole coverage disc with room to spare (the grid's scale
 * varies by well under 1 % across it and its rotation against lon/lat is a few degrees), so no point the cameras see
 * is left out of the test.
 */
export function coveredAmong(index: PointIndex, members: ArrayLike<number>, cameras: readonly CameraView[]): Uint8Array {
  const out = new Uint8Array(members.length);
  if (members.length === 0 || cameras.length === 0) return out;
  const position = new Int32Array(index.size).fill(-1);
  for (let k = 0; k < members.length; k++) position[members[k]!] = k;
  const candidates: number[] = [];
  const taken = new Uint8Array(members.length);
  for (const cam of cameras) {
    if (!(cam.radius > 0) || !Number.isFinite(cam.x) || !Number.isFinite(cam.y)) continue;
    const h = 1.5 * cam.radius + 1;
    let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    for (const [sx, sy] of [[-1, -1], [1, -1], [1, 1], [-1, 1]] as const) {
      const [lon, lat] = bngToLonLat(cam.x + sx * h, cam.y + sy * h);
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
    for (const id of index.tree.range(minLon, minLat, maxLon, maxLat)) {
      const k = id < index.size ? position[id]! : -1;
      if (k < 0 || taken[k]) continue;
      taken[k] = 1;
      candidates.push(k);
    }
  }
  if (candidates.length === 0) return out;
  const lonLat = new Float64Array(candidates.length * 2);
  candidates.forEach((k, j) => {
    const i = members[k]!;
    lonLat[2 * j] = index.xy[2 * i]!;
    lonLat[2 * j + 1] = index.xy[2 * i + 1]!;
  });
  const seen = coveredPoints(toBng(lonLat, lonLat), cameras);
  candidates.forEach((k, j) => (out[k] = seen[j]!));
  return out;
}
