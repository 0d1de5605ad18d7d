import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from '@safer-places/schemas';
import { coverageCollection } from '../src/map/coverage';

const cameras: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', id: 'a', geometry: { type: 'Point', coordinates: [-1.15, 53.14] }, properties: { id: 'a', type: 'ptz', status: 'live', coverageRadiusM: 150 } },
    { type: 'Feature', id: 'b', geometry: { type: 'Point', coordinates: [-1.2, 53.1] }, properties: { id: 'b', type: 'fixed', status: 'decommissioned', coverageRadiusM: 100 } },
    { type: 'Feature', id: 'c', geometry: { type: 'Point', coordinates: [-1.1, 53.0] }, properties: { id: 'c', type: 'anpr', status: 'planned', coverageRadiusM: 30 } },
  ],
};

/** Metres between two lon/lat points (haversine). */
function metres(a: [number, number], b: [number, number]): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

describe('coverageCollection', () => {
  const fc = coverageCollection(cameras, 32);
  it('makes one circle per working camera and none for decommissioned ones', () => {
    expect(fc.features.map((f) => f.properties)).toEqual([
      { id: 'a', type: 'ptz', radiusM: 150 },
      { id: 'c', type: 'anpr', radiusM: 30 },
    ]);
  });
  it('puts every vertex at the camera\'s radius, in a closed ring', () => {
    const ring = fc.features[0]!.geometry.coordinates[0]!;
    expect(ring).toHaveLength(33);
    expect(ring[0]).toEqual(ring[32]);
    for (const v of ring) expect(metres([-1.15, 53.14], v)).toBeCloseTo(150, -0.5);
  });
  it('copes with no cameras', () => {
    expect(coverageCollection(null).features).toEqual([]);
  });
});
