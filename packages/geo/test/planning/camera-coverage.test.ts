import { describe, expect, it } from 'vitest';
import { cameraViewPolygon, coveredPoints, distanceMetres, inView, pointsInView, seededRandom, toBng, type CameraView } from '../../src/index';
import { expectGolden, readInput } from '../golden';
import { loadCrimes } from '../hotspots-fixtures';

interface CameraFeature {
  properties: { name: string; type: string; radiusM: number; bearingDeg?: number; fieldOfViewDeg?: number };
  geometry: { coordinates: [number, number] };
}

const fixture = readInput('planning', 'cameras') as { features: CameraFeature[] };
const cameraXy = toBng(Float64Array.from(fixture.features.flatMap((f) => f.geometry.coordinates)));
const cameras: CameraView[] = fixture.features.map((f, i) => ({
  x: cameraXy[2 * i]!,
  y: cameraXy[2 * i + 1]!,
  radius: f.properties.radiusM,
  ...(f.properties.bearingDeg !== undefined && { bearing: f.properties.bearingDeg, fieldOfView: f.properties.fieldOfViewDeg! }),
}));
const crimes = loadCrimes();

/** The rule written out with trigonometry on every point, no index. */
function bruteForceSees(cam: CameraView, x: number, y: number): boolean {
  const dx = x - cam.x, dy = y - cam.y;
  const d = Math.hypot(dx, dy);
  if (d > cam.radius + 1e-9) return false;
  if (cam.bearing === undefined || cam.fieldOfView === undefined || cam.fieldOfView >= 360 || d === 0) return true;
  const bearingTo = ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
  const off = Math.min(Math.abs(bearingTo - cam.bearing), 360 - Math.abs(bearingTo - cam.bearing));
  return off <= cam.fieldOfView / 2 + 1e-9;
}

describe('camera coverage (radius and field of view)', () => {
  it('matches a brute-force check of every crime against every camera', () => {
    const got = coveredPoints(crimes.xy, cameras);
    const n = crimes.xy.length / 2;
    let covered = 0;
    for (let i = 0; i < n; i++) {
      const want = cameras.some((c) => bruteForceSees(c, crimes.xy[2 * i]!, crimes.xy[2 * i + 1]!)) ? 1 : 0;
      expect(got[i], `crime ${i}`).toBe(want);
      covered += want;
    }
    expect(covered).toBeGreaterThan(100);
    for (const c of cameras) {
      const want = [...Array(n).keys()].filter((i) => bruteForceSees(c, crimes.xy[2 * i]!, crimes.xy[2 * i + 1]!));
      expect(pointsInView(crimes.xy, c)).toEqual(want);
    }
  });

  it('matches on random points and random sectors too, edges included', () => {
    const rng = seededRandom(77);
    const xy = new Float64Array(4000);
    for (let i = 0; i < xy.length; i++) xy[i] = Math.round((rng.next() - 0.5) * 400);
    for (let t = 0; t < 40; t++) {
      const cam: CameraView = { x: 0, y: 0, radius: 20 + rng.int(0, 180), ...(t % 4 !== 0 && { bearing: rng.int(0, 359), fieldOfView: rng.pick([10, 45, 90, 120, 180, 270, 359, 360]) }) };
      const mask = coveredPoints(xy, [cam]);
      for (let i = 0; i < 2000; i++) expect(mask[i]).toBe(bruteForceSees(cam, xy[2 * i]!, xy[2 * i + 1]!) ? 1 : 0);
    }
  });

  it('reads bearings clockwise from north, wraps at 360° and includes the sector edges', () => {
    expect(inView(0, 50, 100, 0, 90)).toBe(true); // due north, facing north
    expect(inView(0, -50, 100, 0, 90)).toBe(false); // behind
    expect(inView(50, 0, 100, 90, 10)).toBe(true); // east, facing east
    expect(inView(-50, 1, 100, 350, 30)).toBe(false);
    expect(inView(-1, 50, 100, 350, 30)).toBe(true); // wraps past north
    expect(inView(50, 50, 100, 0, 90)).toBe(true); // exactly on the 45° edge
    expect(inView(70.8, 70.8, 100, 0, 360)).toBe(false); // just outside the radius
    expect(inView(0, 0, 100, 180, 10)).toBe(true); // the camera's own spot
  });

  it('matches the golden coverage of the fixture cameras and their drawn sectors', () => {
    const counts = cameras.map((c) => pointsInView(crimes.xy, c).length);
    expectGolden('planning', 'camera-views', {
      type: 'FeatureCollection',
      features: fixture.features.map((f, i) => ({
        type: 'Feature',
        properties: { ...f.properties, crimesInView: counts[i] },
        geometry: cameraViewPolygon(f.geometry.coordinates, f.properties.radiusM, { bearing: f.properties.bearingDeg, fieldOfView: f.properties.fieldOfViewDeg }, 32),
      })),
    });
  });

  it('draws sectors whose arc lies at the radius and between the two edge bearings', () => {
    const c: [number, number] = [-1.15, 52.95];
    const g = cameraViewPolygon(c, 120, { bearing: 90, fieldOfView: 60 });
    const ring = g.coordinates[0]!;
    expect(ring[0]).toEqual(c);
    expect(ring[ring.length - 1]).toEqual(c);
    for (const p of ring.slice(1, -1)) {
      expect(distanceMetres(c, p)).toBeCloseTo(120, 0);
      expect(p[0]).toBeGreaterThan(c[0]); // all to the east
    }
    expect(cameraViewPolygon(c, 50, {}).coordinates[0]).toHaveLength(65);
    expect(() => cameraViewPolygon(c, 0, { bearing: 0, fieldOfView: 90 })).toThrow(RangeError);
  });
});
