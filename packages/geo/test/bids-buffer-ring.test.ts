import { describe, expect, it } from 'vitest';
import { area, booleanPointInPolygon, intersect, featureCollection, feature } from '@turf/turf';
import type { AreaGeometry } from '@safer-places/schemas';
import { bufferArea, bufferRing, dissolvePolygons } from '../src/index';
import { expectGolden, readInput } from './golden';

const fc = readInput('bids', 'nottingham-lsoas') as { features: { geometry: AreaGeometry; properties: { LSOA21CD: string } }[] };
const target = dissolvePolygons(fc.features.slice(0, 3).map((f) => f.geometry)).geometry!;

describe('bufferRing', () => {
  it('matches the golden 500 m ring around three Nottingham LSOAs', () => {
    expectGolden('bids', 'nottingham-buffer-500m', { type: 'Feature', properties: { bufferM: 500 }, geometry: bufferRing(target, 500) });
  });

  it('is the buffered area minus the target: no overlap, and about perimeter × d + πd² in size', () => {
    const d = 200;
    const sq: AreaGeometry = { type: 'Polygon', coordinates: [[[-1.2, 53], [-1.18, 53], [-1.18, 53.012], [-1.2, 53.012], [-1.2, 53]]] };
    const ring = bufferRing(sq, d)!;
    const overlap = intersect(featureCollection([feature(ring as any), feature(sq as any)]));
    expect(overlap ? area(overlap) : 0).toBeLessThan(1);
    const side = Math.sqrt(area(sq as any));
    expect(area(ring as any) / (4 * side * d + Math.PI * d * d)).toBeCloseTo(1, 1);
    expect(booleanPointInPolygon([-1.19, 53.006], ring as any)).toBe(false);
    expect(area(bufferArea(sq, d) as any)).toBeCloseTo(area(ring as any) + area(sq as any), -3);
  });

  it('is null for 0 m', () => {
    expect(bufferRing(target, 0)).toBeNull();
  });
});
