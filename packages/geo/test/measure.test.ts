import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import {
  areaSquareKilometres,
  areaSquareMetres,
  cameraViewAt,
  cameraViewPolygon,
  circlePolygon,
  coverageCircle,
  coveredAmong,
  coveredPoints,
  createPointIndex,
  destinationPosition,
  distanceMetres,
  distanceToArea,
  distanceToAreaMetres,
  inView,
  lonLatToBng,
  overlapShares,
  projectPosition,
  ringAreaSquareMetres,
  ringPerimeterMetres,
  sectorPolygon,
  seededRandom,
  toBng,
  unprojectPosition,
  type CameraView,
} from '../src/index';
import { boundariesAvailable, nottinghamshireLsoas } from './bids-real-data';
import { expectGolden, readInput } from './golden';

interface Squares {
  features: (
    | { properties: { name: string; note: string; bng: [number, number][] }; geometry: AreaGeometry }
    | { properties: { name: string; easting: number; northing: number }; geometry: { type: 'Point'; coordinates: Position } }
  )[];
}
const squares = readInput<Squares>('measure', 'bng-squares');
const area = (name: string) => (squares.features.find((f) => f.properties.name === name)!.geometry as AreaGeometry);
const point = (name: string) => (squares.features.find((f) => f.properties.name === name)!.geometry as { coordinates: Position }).coordinates;

interface EdgeCase {
  features: { properties: { name: string; easting: number; northing: number; radiusM?: number; metresFromCamera?: number }; geometry: { coordinates: Position } }[];
}
const edge = readInput<EdgeCase>('measure', 'camera-edge');
const camera = edge.features[0]!;
const crimes = edge.features.slice(1);

/** The drawn-area panel's model before this module: flat-earth degrees on a sphere of mean radius 6,371,008.8 m. */
function sphereFlatMetres(a: Position, b: Position): number {
  const k = (6_371_008.8 * Math.PI) / 180;
  return Math.hypot((b[0] - a[0]) * k * Math.cos((a[1] * Math.PI) / 180), (b[1] - a[1]) * k);
}

describe('measure: one model of distance and area (British National Grid metres)', () => {
  it('measures a square laid out on the grid exactly: area, perimeter, edges and diagonals', () => {
    const sq = area('square');
    expect(areaSquareMetres(sq)).toBeCloseTo(1_000_000, 3);
    expect(areaSquareKilometres(sq)).toBeCloseTo(1, 9);
    expect(ringPerimeterMetres((sq as { coordinates: Position[][] }).coordinates[0]!)).toBeCloseTo(4000, 5);
    expect(distanceMetres(point('south-west'), point('south-east'))).toBeCloseTo(1000, 6);
    expect(distanceMetres(point('south-east'), point('north-east'))).toBeCloseTo(1000, 6);
    expect(distanceMetres(point('south-west'), point('north-east'))).toBeCloseTo(1000 * Math.SQRT2, 6);
    // A hole is taken off whatever its winding; MultiPolygon parts add up.
    expect(areaSquareMetres(area('square-with-hole'))).toBeCloseTo(1_000_000 - 200 * 200, 3);
    expect(areaSquareMetres(area('two-squares'))).toBeCloseTo(1_000_000 + 500 * 500, 3);
    const reversed = (sq as { coordinates: Position[][] }).coordinates[0]!.slice().reverse();
    expect(ringAreaSquareMetres(reversed)).toBeCloseTo(1_000_000, 3);
  });

  it('measures distances to an area: 0 inside, else to the nearest edge or corner', () => {
    const sq = area('square');
    expect(distanceToAreaMetres(point('centre'), sq)).toBe(0);
    expect(distanceToAreaMetres(point('east-of-square'), sq)).toBeCloseTo(250, 6);
    expect(distanceToAreaMetres(point('beyond-north-east-corner'), sq)).toBeCloseTo(500, 6); // 300 m east, 400 m north
    // The centre is in the hole: 100 m to the hole's edge.
    expect(distanceToAreaMetres(point('centre'), area('square-with-hole'))).toBeCloseTo(100, 6);
    const toTwo = distanceToArea(area('two-squares'));
    expect(toTwo(point('east-of-square'))).toBeCloseTo(250, 6);
    expect(toTwo(point('beyond-north-east-corner'))).toBeCloseTo(500, 6);
  });

  it('matches the golden measurements of the fixture squares', () => {
    const mm = (x: number) => Math.round(x * 1000) / 1000;
    const points = squares.features.filter((f) => f.geometry.type === 'Point').map((f) => ({ name: f.properties.name, at: (f.geometry as { coordinates: Position }).coordinates }));
    expectGolden('measure', 'bng-squares', {
      type: 'FeatureCollection',
      features: squares.features
        .filter((f) => f.geometry.type !== 'Point')
        .map((f) => {
          const g = f.geometry as AreaGeometry;
          return {
            type: 'Feature',
            properties: {
              name: f.properties.name,
              areaM2: mm(areaSquareMetres(g)),
              areaKm2: mm(areaSquareKilometres(g)),
              outerPerimeterM: mm(ringPerimeterMetres(g.type === 'Polygon' ? g.coordinates[0]! : g.coordinates[0]![0]!)),
              distanceM: Object.fromEntries(points.map((p) => [p.name, mm(distanceToAreaMetres(p.at, g))])),
            },
            geometry: g,
          };
        }),
    });
  });

  it('is the grid, not the sphere: Turf reads the same square 0.3 % to 0.4 % small', () => {
    // A grid kilometre at 1.15° W is 0.99965 of a kilometre on the ellipsoid, and the mean-radius sphere is smaller still
    // at 53° N: Turf's area of the same four corners is about 0.4 % less.
    const sphere = turf.area(turf.feature(area('square')));
    expect(sphere / areaSquareMetres(area('square'))).toBeGreaterThan(0.994);
    expect(sphere / areaSquareMetres(area('square'))).toBeLessThan(0.998);
    // LSOA overlaps report grid m² too.
    const [share] = overlapShares(area('square'), [{ code: 'X', geometry: area('square') }]);
    expect(share!.overlapM2).toBeCloseTo(areaSquareMetres(area('square')), 0);
    expect(share!.shareInside).toBeCloseTo(1, 9);
  });

  it('projects and unprojects consistently to well under a micrometre, and moves along grid bearings', () => {
    const [x, y] = projectPosition(point('centre'));
    expect(x).toBeCloseTo(457500, 6);
    expect(y).toBeCloseTo(340500, 6);
    const back = projectPosition(unprojectPosition(457_123.456, 340_987.654));
    expect(Math.abs(back[0] - 457_123.456)).toBeLessThan(1e-6);
    expect(Math.abs(back[1] - 340_987.654)).toBeLessThan(1e-6);
    const north = projectPosition(destinationPosition(point('centre'), 300, 0));
    expect(north[0]).toBeCloseTo(457500, 6);
    expect(north[1]).toBeCloseTo(340800, 6);
    const east = projectPosition(destinationPosition(point('centre'), 300, 90));
    expect(east[0]).toBeCloseTo(457800, 6);
    expect(east[1]).toBeCloseTo(340500, 6);
  });

  it('draws circles and sectors whose vertices lie on the radius in grid metres', () => {
    const c = point('centre');
    const circle = circlePolygon(c, 150, 32);
    expect(circle.coordinates[0]).toHaveLength(33);
    expect(circle.coordinates[0]![0]).toEqual(circle.coordinates[0]![32]);
    for (const p of circle.coordinates[0]!) expect(Math.abs(distanceMetres(c, p) - 150)).toBeLessThan(1e-6);
    expect(coverageCircle(c, 150, 32)).toEqual(circle);
    const sector = sectorPolygon(c, 100, 60, 120, 8);
    const ring = sector.coordinates[0]!;
    expect(ring).toHaveLength(11);
    expect(ring[0]).toEqual(c);
    expect(ring[10]).toEqual(c);
    const [cx, cy] = projectPosition(c);
    for (const p of ring.slice(1, -1)) {
      const [px, py] = projectPosition(p);
      expect(Math.abs(Math.hypot(px - cx, py - cy) - 100)).toBeLessThan(1e-6);
      const bearing = ((Math.atan2(px - cx, py - cy) * 180) / Math.PI + 360) % 360;
      expect(bearing).toBeGreaterThanOrEqual(60 - 1e-6);
      expect(bearing).toBeLessThanOrEqual(120 + 1e-6);
    }
    // A sector across north, and the map's camera view polygon, use the same construction.
    expect(sectorPolygon(c, 100, 330, 30, 8).coordinates[0]).toHaveLength(11);
    expect(cameraViewPolygon(c, 100, { bearing: 90, fieldOfView: 60 }, 48)).toEqual(sectorPolygon(c, 100, 60, 120, 8));
  });
});

describe('camera coverage: the area panel and the planner agree (the 100.27 m case)', () => {
  const view = cameraViewAt(camera.geometry.coordinates, camera.properties.radiusM!);
  const lonLat = Float64Array.from(crimes.flatMap((c) => c.geometry.coordinates));
  const members = crimes.map((_, i) => i);

  it('places the crimes from their grid coordinates', () => {
    for (const f of [camera, ...crimes]) {
      const [lon, lat] = unprojectPosition(f.properties.easting, f.properties.northing);
      expect(lon).toBeCloseTo(f.geometry.coordinates[0], 10);
      expect(lat).toBeCloseTo(f.geometry.coordinates[1], 10);
    }
    expect(view.x).toBeCloseTo(camera.properties.easting, 6);
    expect(view.y).toBeCloseTo(camera.properties.northing, 6);
  });

  it('a crime 100.27 m from a 100 m camera is covered by neither; one 99.73 m away by both', () => {
    const planner = coveredPoints(toBng(lonLat), [view]);
    const panel = coveredAmong(createPointIndex(lonLat), members, [view]);
    const expected = crimes.map((c) => (c.properties.metresFromCamera! <= 100 ? 1 : 0));
    expect(Array.from(planner)).toEqual(expected);
    expect(Array.from(panel)).toEqual(expected);
    const east = crimes.findIndex((c) => c.properties.name === 'east-100.27');
    expect(distanceMetres(camera.geometry.coordinates, crimes[east]!.geometry.coordinates)).toBeCloseTo(100.27, 6);
    expect(planner[east]).toBe(0);
    expect(panel[east]).toBe(0);
    // The old panel model (flat-earth degrees on the mean sphere) put the same crime 0.3 % nearer, inside the radius:
    // that was the disagreement.
    const old = sphereFlatMetres(camera.geometry.coordinates, crimes[east]!.geometry.coordinates);
    expect(old).toBeLessThan(100);
    expect(inView(old, 0, 100)).toBe(true);
  });

  it('agrees point for point with coveredPoints on random crimes round cameras with and without a field of view', () => {
    const rng = seededRandom(2718);
    const centre = camera.geometry.coordinates;
    const n = 20_000;
    const pts = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      // Within ~600 m of the first camera, many on or near the edges of the views.
      const p = destinationPosition(centre, rng.next() * 600, rng.next() * 360);
      pts[2 * i] = p[0];
      pts[2 * i + 1] = p[1];
    }
    const cams: CameraView[] = [
      view,
      cameraViewAt(destinationPosition(centre, 250, 90), 150, { bearing: 45, fieldOfView: 90 }),
      cameraViewAt(destinationPosition(centre, 300, 200), 75, { bearing: 350, fieldOfView: 40 }),
      cameraViewAt(destinationPosition(centre, 400, 300), 30),
      cameraViewAt(destinationPosition(centre, 150, 10), 120, { bearing: 180, fieldOfView: 360 }),
    ];
    // Crimes exactly on radii and sector edges, where a loose model would disagree.
    const edgeCrimes: Position[] = [];
    for (const d of [99.999, 100, 100.001, 100.27]) for (const b of [0, 45, 90, 135, 180, 270]) edgeCrimes.push(destinationPosition(centre, d, b));
    const all = Float64Array.from([...pts, ...edgeCrimes.flat()]);
    const index = createPointIndex(all);
    const total = all.length / 2;
    // Every other crime is in the selection, as a category or period filter would leave it.
    const members = Array.from({ length: Math.ceil(total / 2) }, (_, k) => 2 * k);
    const selected = Float64Array.from(members.flatMap((i) => [all[2 * i]!, all[2 * i + 1]!]));
    const planner = coveredPoints(toBng(selected), cams);
    const panel = coveredAmong(index, members, cams);
    expect(Array.from(panel)).toEqual(Array.from(planner));
    const covered = planner.reduce((s, v) => s + v, 0);
    expect(covered).toBeGreaterThan(1000);
    expect(covered).toBeLessThan(members.length);
  });

  it('counts nothing without cameras or members, and ignores cameras with no radius', () => {
    const index = createPointIndex(lonLat);
    expect(Array.from(coveredAmong(index, [], [view]))).toEqual([]);
    expect(Array.from(coveredAmong(index, members, []))).toEqual(members.map(() => 0));
    expect(Array.from(coveredAmong(index, members, [{ ...view, radius: 0 }]))).toEqual(members.map(() => 0));
    const [x, y] = lonLatToBng(camera.geometry.coordinates[0], camera.geometry.coordinates[1]);
    expect([x, y]).toEqual([view.x, view.y]);
  });
});

const available = boundariesAvailable();

describe.runIf(available)('the county on the grid (684 real Nottinghamshire LSOA21 boundaries)', () => {
  it('is 2,161.3 km² on the British National Grid, where Turf\'s sphere made it 2,153.8 km²', () => {
    const lsoas = nottinghamshireLsoas();
    expect(lsoas).toHaveLength(684);
    const grid = lsoas.reduce((s, l) => s + areaSquareKilometres(l.geometry), 0);
    const sphere = lsoas.reduce((s, l) => s + turf.area(turf.feature(l.geometry)), 0) / 1e6;
    expect(Math.round(grid * 10) / 10).toBe(2161.3);
    expect(Math.round(sphere * 10) / 10).toBe(2153.8);
    // Grid area is ground area × k² (k ≈ 0.99965 here), so it sits ~0.07 % under the ellipsoid's ~2,162.8 km²; the
    // sphere's error is five times that.
    expect(grid / sphere).toBeGreaterThan(1.003);
    expect(grid / sphere).toBeLessThan(1.004);
  });
});
