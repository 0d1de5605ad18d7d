import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '@safer-places/schemas';
import { areaSquareMetres, areasIntersect, distanceMetres, distanceToAreaMetres, overlapShares } from '../src/index';
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
