import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon, featureCollection, point, pointsWithinPolygon } from '@turf/turf';
import type { AreaGeometry } from '@safer-places/schemas';
import { countByCategory, createPointIndex, pointsInPolygon, seededRandom } from '../../src/index';
import { expectGolden, readInput } from '../golden';

const polygons = readInput('spatial-index/points-in-polygon', 'polygons').features as { properties: { name: string }; geometry: AreaGeometry }[];

function randomPoints(n: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  const xy = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = -1.162 + rng.next() * 0.032;
    xy[2 * i + 1] = 52.938 + rng.next() * 0.024;
  }
  return xy;
}

describe('pointsInPolygon', () => {
  it('agrees with turf.pointsWithinPolygon on 20,000 random points (holes, concave edges, multipolygons)', () => {
    const xy = randomPoints(20_000, 41);
    const index = createPointIndex(xy);
    const fc = featureCollection(Array.from({ length: 20_000 }, (_, i) => point([xy[2 * i]!, xy[2 * i + 1]!], { i })));
    for (const { geometry } of polygons) {
      const want = pointsWithinPolygon(fc, geometry as any).features.map((f) => (f.properties as { i: number }).i).sort((a, b) => a - b);
      const got = pointsInPolygon(index, geometry);
      expect(got.length).toBeGreaterThan(500);
      expect([...got]).toEqual(want);
    }
  });

  it('decides boundary points like createPolygonLocator: left/bottom edges in, right/top edges out', () => {
    const square: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]] };
    const xy = Float64Array.of(0, 5, 10, 5, 5, 0, 5, 10, 5, 5, 0, 0, 10, 10, -1, 5);
    expect([...pointsInPolygon(createPointIndex(xy), square)]).toEqual([0, 2, 4, 5]);
    // Two squares sharing an edge never both claim a point on it.
    const right: AreaGeometry = { type: 'Polygon', coordinates: [[[10, 0], [20, 0], [20, 10], [10, 10], [10, 0]]] };
    expect([...pointsInPolygon(createPointIndex(xy), right)]).toEqual([1]);
  });

  it('returns nothing for empty input, skips non-finite points, and tolerates open rings', () => {
    const square: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10]]] };
    expect([...pointsInPolygon(createPointIndex(new Float64Array(0)), square)]).toEqual([]);
    const xy = Float64Array.of(Number.NaN, 5, 5, 5, 5, Infinity, 3, 3);
    expect([...pointsInPolygon(createPointIndex(xy), square)]).toEqual([1, 3]);
    const degenerate: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [0, 0]]] };
    expect([...pointsInPolygon(createPointIndex(xy), degenerate)]).toEqual([]);
  });

  it('agrees with turf on a flat 720-vertex star, where every band holds different edges', () => {
    const ring: [number, number][] = [];
    for (let k = 0; k < 720; k++) {
      const a = (k / 720) * 2 * Math.PI;
      const r = k % 2 === 0 ? 1 : 0.6; // a star: concave everywhere
      ring.push([r * Math.cos(a) * 0.01, r * Math.sin(a) * 0.001]);
    }
    ring.push(ring[0]!);
    const star: AreaGeometry = { type: 'Polygon', coordinates: [ring] };
    const rng = seededRandom(43);
    const xy = Float64Array.from({ length: 20_000 }, (_, k) => (k % 2 === 0 ? (rng.next() - 0.5) * 0.022 : (rng.next() - 0.5) * 0.0022));
    const got = [...pointsInPolygon(createPointIndex(xy), star)];
    const want = [...Array(10_000).keys()].filter((i) => booleanPointInPolygon([xy[2 * i]!, xy[2 * i + 1]!], star as any));
    expect(want.length).toBeGreaterThan(1_000);
    expect(got).toEqual(want);
  });

  it('matches the golden selection', () => {
    const xy = randomPoints(3_000, 42);
    const index = createPointIndex(xy);
    expectGolden('spatial-index/points-in-polygon', 'inside', {
      type: 'FeatureCollection',
      features: polygons.map((p) => ({ type: 'Feature', properties: { name: p.properties.name, inside: [...pointsInPolygon(index, p.geometry)] }, geometry: p.geometry })),
    });
  });
});

describe('countByCategory', () => {
  it('counts the selected points per category and ignores out-of-range codes', () => {
    const category = Uint8Array.of(0, 2, 2, 13, 14, 2);
    expect([...countByCategory([0, 1, 2, 4, 5], category)]).toEqual([1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...countByCategory([3], category, 14)][13]).toBe(1);
  });
});
