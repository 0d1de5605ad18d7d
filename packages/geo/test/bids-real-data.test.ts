import { describe, expect, it } from 'vitest';
import { area } from '@turf/turf';
import { adjacencyBySegments, connectedComponents, dissolvePolygons, findSelfIntersection, polygonAdjacency } from '../src/index';
import { boundariesAvailable, nottinghamshireLsoas } from './bids-real-data';

const available = boundariesAvailable();

describe.runIf(available)('bid geometry on all 684 real Nottinghamshire LSOA21 boundaries', () => {
  const lsoas = available ? nottinghamshireLsoas() : [];
  const geometries = lsoas.map((l) => l.geometry);

  it('has the 684 LSOAs', () => {
    expect(lsoas).toHaveLength(684);
  });

  it('finds the same neighbours as the edge-by-edge reference, every LSOA with at least one', () => {
    const fast = polygonAdjacency(geometries);
    const slow = adjacencyBySegments(geometries);
    expect(Array.from(fast.neighbours)).toEqual(Array.from(slow.neighbours));
    expect(Array.from(fast.offsets)).toEqual(Array.from(slow.offsets));
    for (let i = 0; i < fast.size; i++) expect(fast.offsets[i + 1]! - fast.offsets[i]!).toBeGreaterThan(0);
    // The county is one piece.
    expect(connectedComponents(fast, geometries.map((_, i) => i))).toHaveLength(1);
  });

  it('dissolves the county into one polygon with no holes (as the data README says of their union)', () => {
    const r = dissolvePolygons(geometries);
    expect(r.method).toBe('edge-cancellation');
    expect(r.geometry!.type).toBe('Polygon');
    expect(r.geometry!.coordinates).toHaveLength(1);
    expect(r.sliversRemoved).toBe(0);
    expect(findSelfIntersection(r.geometry!)).toBeNull();
    const parts = geometries.reduce((s, g) => s + area(g as any), 0);
    expect(area(r.geometry as any) / parts).toBeCloseTo(1, 6);
  });

  it('dissolves each district into one polygon', () => {
    const districts = [...new Set(lsoas.map((l) => l.district))];
    expect(districts).toHaveLength(8);
    for (const d of districts) {
      const r = dissolvePolygons(lsoas.filter((l) => l.district === d).map((l) => l.geometry));
      expect(r.geometry!.type, d!).toBe('Polygon');
      expect(findSelfIntersection(r.geometry!), d!).toBeNull();
    }
  });
});
