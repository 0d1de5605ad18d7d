import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '@safer-places/schemas';
import { areaSquareMetres, areasIntersect, distanceMetres, distanceToAreaMetres, overlapShares, seededRandom, tessellate } from '../src/index';
import { expectGolden, readInput } from './golden';

const fc = readInput<{ features: { properties: { role: string; code?: string }; geometry: AreaGeometry }[] }>('area-overlap', 'three-squares');
const lsoas = fc.features.filter((f) => f.properties.role === 'lsoa').map((f) => ({ code: f.properties.code!, geometry: f.geometry }));
const area = fc.features.find((f) => f.properties.role === 'area')!.geometry;

describe('overlapShares', () => {
  it('gives each polygon the share of its own area inside the drawn area', () => {
    const shares = overlapShares(area, lsoas);
    expect(shares.map((s) => s.code)).toEqual(['A', 'B']);
    expect(shares[0]!.shareInside).toBeCloseTo(0.5, 3);
    expect(shares[1]!.shareInside).toBeCloseTo(0.5, 3);
    expect(shares[0]!.overlapM2 + shares[1]!.overlapM2).toBeCloseTo(areaSquareMetres(area), -1);
    expectGolden('area-overlap', 'three-squares-shares', { type: 'FeatureCollection', features: shares.map((s) => ({ type: 'Feature', properties: s, geometry: lsoas.find((l) => l.code === s.code)!.geometry })) });
  });

  it('a polygon wholly inside counts in full; one outside is left out', () => {
    const big = turf.bboxPolygon([-1.21, 52.99, -1.165, 53.02]).geometry as AreaGeometry;
    const shares = overlapShares(big, lsoas);
    expect(shares.map((s) => [s.code, Number(s.shareInside.toFixed(6))])).toEqual([['A', 1], ['B', 1], ['C', expect.closeTo(0.333333, 3)]]);
  });
});

/** What overlapShares answered when every pair was clipped by Turf: the reference the boundary sums must agree with. */
function turfShares(area: AreaGeometry, polygons: { code: string; geometry: AreaGeometry }[]) {
  return polygons.flatMap((p) => {
    const g = turf.intersect(turf.featureCollection([turf.feature(area), turf.feature(p.geometry)]))?.geometry;
    const m2 = g && (g.type === 'Polygon' || g.type === 'MultiPolygon') ? areaSquareMetres(g as AreaGeometry) : 0;
    return m2 > 0 ? [{ code: p.code, overlapM2: m2, shareInside: Math.min(1, m2 / areaSquareMetres(p.geometry)) }] : [];
  });
}

function expectSameShares(area: AreaGeometry, polygons: { code: string; geometry: AreaGeometry }[]) {
  const got = overlapShares(area, polygons);
  const want = turfShares(area, polygons);
  // Turf may report slivers of a few mm² where boundaries graze; anything real is in both.
  const real = (s: { overlapM2: number }) => s.overlapM2 > 1e-3;
  expect(got.filter(real).map((s) => s.code)).toEqual(want.filter(real).map((s) => s.code));
  for (const w of want.filter(real)) {
    const g = got.find((s) => s.code === w.code)!;
    expect(Math.abs(g.overlapM2 - w.overlapM2), `${w.code}: ${g.overlapM2} vs ${w.overlapM2}`).toBeLessThanOrEqual(1e-6 * w.overlapM2 + 1e-3);
    expect(g.shareInside).toBeCloseTo(w.shareInside, 9);
  }
  return got;
}

describe('overlapShares agrees with clipping by Turf', () => {
  const rng = seededRandom(15);
  const seeds = Array.from({ length: 160 }, () => [-1.25 + rng.next() * 0.2, 52.9 + rng.next() * 0.12] as [number, number]);
  const cells = tessellate(seeds, [-1.25, 52.9, -1.05, 53.02]).map((geometry, i) => ({ code: `C${i}`, geometry: geometry as AreaGeometry }));
  const circle = (lon: number, lat: number, km: number, steps = 64) => turf.circle([lon, lat], km, { units: 'kilometers', steps }).geometry as AreaGeometry;

  it('drawn circles of 100 m to 3 km over irregular cells', () => {
    for (let k = 0; k < 25; k++) {
      const area = circle(-1.23 + rng.next() * 0.16, 52.92 + rng.next() * 0.08, 0.1 + rng.next() * 2.9, 16 + Math.floor(rng.next() * 100));
      const got = expectSameShares(area, cells);
      // Every cell's overlap adds up to the area (the cells tile the box, which holds the circle).
      if (k === 0) expect(got.reduce((s, x) => s + x.overlapM2, 0)).toBeCloseTo(areaSquareMetres(area), -1);
    }
  });

  it('concave areas, areas with holes and multi-part areas, wound either way', () => {
    const star = (lon: number, lat: number, r: number, points: number): AreaGeometry => ({
      type: 'Polygon',
      coordinates: [Array.from({ length: 2 * points + 1 }, (_, i) => {
        const a = (Math.PI * (i % (2 * points))) / points;
        const rr = i % 2 === 0 ? r : r * 0.35;
        return [lon + rr * 1.6 * Math.cos(a), lat + rr * Math.sin(a)] as [number, number];
      })],
    });
    const ring = (g: AreaGeometry) => (g as { coordinates: [number, number][][] }).coordinates[0]!;
    const withHole = { type: 'Polygon' as const, coordinates: [ring(circle(-1.15, 52.96, 2)), ring(circle(-1.152, 52.961, 0.8)).slice().reverse()] };
    const clockwise = { type: 'Polygon' as const, coordinates: [ring(star(-1.17, 52.97, 0.02, 7)).slice().reverse()] };
    const parts = { type: 'MultiPolygon' as const, coordinates: [[ring(circle(-1.2, 52.95, 0.7))], [ring(star(-1.1, 52.99, 0.015, 5))]] };
    for (const area of [star(-1.15, 52.96, 0.03, 9), withHole, clockwise, parts] as AreaGeometry[]) expectSameShares(area, cells);
  });

  it('areas whose edges run along the cells\' edges (an area made of cells) give the same shares', () => {
    const two = turf.union(turf.featureCollection([turf.feature(cells[3]!.geometry), turf.feature(cells[4]!.geometry)]))!.geometry as AreaGeometry;
    expectSameShares(cells[7]!.geometry, cells);
    expectSameShares(two, cells);
  });
});

describe('areasIntersect and distances', () => {
  it('tells overlapping, touching and separate areas apart', () => {
    expect(areasIntersect(area, lsoas[0]!.geometry)).toBe(true);
    expect(areasIntersect(lsoas[0]!.geometry, lsoas[1]!.geometry)).toBe(true); // shared edge
    expect(areasIntersect(area, lsoas[2]!.geometry)).toBe(false);
  });

  it('measures British National Grid metres (measure.ts), within 0.4 % of metres on the ground', () => {
    // 0.015° of longitude at 53° N: 1,003.5 m on Turf's sphere, 1,006.7 m on the grid (which is what every panel uses).
    expect(distanceMetres([-1.2, 53.0], [-1.185, 53.0])).toBeCloseTo(1006.7, 1);
    expect(distanceToAreaMetres([-1.185, 53.0045], area)).toBe(0);
    expect(distanceToAreaMetres([-1.17, 53.0045], area)).toBeCloseTo(503.3, 1);
    expect(Math.abs(distanceMetres([-1.2, 53.0], [-1.185, 53.0]) / turf.distance([-1.2, 53.0], [-1.185, 53.0], { units: 'meters' }) - 1)).toBeLessThan(0.004);
  });
});
