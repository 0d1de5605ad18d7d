import { describe, expect, it } from 'vitest';
import { distance } from '@turf/turf';
import type { Position } from '@safer-places/schemas';
import { coverageCircle, distanceMetres, findSelfIntersection } from '../src/index';
import { expectGolden, readInput } from './golden';

describe('coverageCircle', () => {
  it('matches the golden circles', () => {
    const input = readInput('coverage-circle', 'cameras');
    const features = input.features.map((f: any) => ({
      type: 'Feature',
      properties: f.properties,
      geometry: coverageCircle(f.geometry.coordinates, f.properties.radiusM, f.properties.steps),
    }));
    expectGolden('coverage-circle', 'circles', { type: 'FeatureCollection', features });
  });

  it('puts every vertex at the radius (British National Grid metres, as the coverage model) and closes the ring exactly', () => {
    const center: Position = [-1.1466, 52.9536];
    const g = coverageCircle(center, 100);
    const ring = g.coordinates[0]!;
    expect(ring).toHaveLength(65);
    expect(ring[0]).toEqual(ring[64]);
    for (const p of ring) {
      expect(Math.abs(distanceMetres(center, p) - 100)).toBeLessThan(1e-6);
      // On the ground (Turf's sphere) the same ring is within 0.4 % of 100 m: grid scale and the sphere's error together.
      expect(Math.abs(distance(center, p, { units: 'meters' }) - 100)).toBeLessThan(0.4);
    }
    expect(findSelfIntersection(g)).toBeNull();
    // At 53° N a degree of longitude is ~0.6 of a degree of latitude, so the ring is wider in degrees than tall.
    const xs = ring.map((p) => p[0]);
    const ys = ring.map((p) => p[1]);
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    expect(w / h).toBeCloseTo(1 / Math.cos((52.9536 * Math.PI) / 180), 2);
  });

  it('honours steps and rejects nonsense', () => {
    expect(coverageCircle([-1, 53], 30, 8).coordinates[0]).toHaveLength(9);
    expect(() => coverageCircle([-1, 53], 0)).toThrow(RangeError);
    expect(() => coverageCircle([-1, 53], 50, 2)).toThrow(RangeError);
  });
});
