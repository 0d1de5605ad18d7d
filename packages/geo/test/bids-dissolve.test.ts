import { describe, expect, it } from 'vitest';
import { area } from '@turf/turf';
import type { AreaGeometry } from '@safer-places/schemas';
import { dissolvePolygons, findSelfIntersection } from '../src/index';
import { expectGolden, readInput } from './golden';

const fc = readInput('bids', 'nottingham-lsoas') as { features: { geometry: AreaGeometry; properties: { LSOA21CD: string } }[] };
const pick = (codes: string[]) => fc.features.filter((f) => codes.includes(f.properties.LSOA21CD)).map((f) => f.geometry);
const square = (x: number, y: number, d = 0.01): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
});
const sumArea = (gs: AreaGeometry[]) => gs.reduce((s, g) => s + area(g as any), 0);

describe('dissolvePolygons', () => {
  it('matches the golden target areas from real LSOAs', () => {
    const cases: Record<string, string[]> = {
      'three-contiguous': ['E01013810', 'E01013811', 'E01013812'],
      'all-thirteen': fc.features.map((f) => f.properties.LSOA21CD),
      'two-groups': ['E01013810', 'E01013811', 'E01013844', 'E01013847'],
    };
    expectGolden('bids', 'nottingham-dissolve', {
      type: 'FeatureCollection',
      features: Object.entries(cases).map(([name, ids]) => ({ type: 'Feature', properties: { name, ids }, geometry: dissolvePolygons(pick(ids)).geometry })),
    });
  });

  it('gives one valid polygon, without holes or slivers, for contiguous LSOAs, keeping their total area', () => {
    const parts = pick(fc.features.map((f) => f.properties.LSOA21CD));
    const r = dissolvePolygons(parts);
    expect(r.method).toBe('edge-cancellation');
    expect(r.geometry!.type).toBe('Polygon');
    expect(r.geometry!.coordinates).toHaveLength(1);
    expect(findSelfIntersection(r.geometry!)).toBeNull();
    expect(area(r.geometry as any) / sumArea(parts)).toBeCloseTo(1, 6);
  });

  it('keeps separate groups as a MultiPolygon, largest first', () => {
    const r = dissolvePolygons(pick(['E01013810', 'E01013811', 'E01013844', 'E01013847']));
    expect(r.geometry!.type).toBe('MultiPolygon');
    const parts = (r.geometry as { coordinates: unknown[][] }).coordinates;
    expect(parts).toHaveLength(2);
    expect(area({ type: 'Polygon', coordinates: parts[0] } as any)).toBeGreaterThan(area({ type: 'Polygon', coordinates: parts[1] } as any));
  });

  it('keeps squares that touch only at a corner as two polygons, and a real hole as a hole', () => {
    const corner = dissolvePolygons([square(0, 50), square(0.01, 50.01)]);
    expect(corner.geometry!.type).toBe('MultiPolygon');
    expect(corner.geometry!.coordinates).toHaveLength(2);
    const ring: AreaGeometry[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== 1 || j !== 1) ring.push(square(i * 0.01, 50 + j * 0.01));
    const donut = dissolvePolygons(ring);
    expect(donut.geometry!.type).toBe('Polygon');
    expect(donut.geometry!.coordinates).toHaveLength(2);
    expect(area(donut.geometry as any) / sumArea(ring)).toBeCloseTo(1, 6);
  });

  it('closes sliver gaps between boundaries that do not quite match', () => {
    // b's west edge bows 1e-5° (~0.7 m) into b, leaving a thin gap between a and b: the bow's vertex is inserted
    // into a's edge (within 1 m), so the boundary dissolves.
    const a = square(0, 50);
    const b: AreaGeometry = { type: 'Polygon', coordinates: [[[0.01, 50], [0.02, 50], [0.02, 50.01], [0.01, 50.01], [0.01001, 50.005], [0.01, 50]]] };
    const r = dissolvePolygons([a, b]);
    expect(r.geometry!.type).toBe('Polygon');
    expect(r.geometry!.coordinates).toHaveLength(1);
    expect(r.sliversRemoved).toBe(0);
    // A 3 m bow is beyond the snapping distance: the gap becomes a hole 1.1 km long and under 2 m wide, a sliver.
    const bow3: AreaGeometry = { type: 'Polygon', coordinates: [[[0.01, 50], [0.02, 50], [0.02, 50.01], [0.01, 50.01], [0.010042, 50.005], [0.01, 50]]] };
    const wide = dissolvePolygons([a, bow3]);
    expect(wide.geometry!.type).toBe('Polygon');
    expect(wide.geometry!.coordinates).toHaveLength(1);
    expect(wide.sliversRemoved).toBe(1);
    expect(findSelfIntersection(wide.geometry!)).toBeNull();
    // Sub-decimetre mismatches are snapped away before anything else.
    const c: AreaGeometry = { type: 'Polygon', coordinates: [[[0.01000004, 50], [0.02, 50], [0.02, 50.01], [0.01000004, 50.01], [0.01000004, 50]]] };
    expect(dissolvePolygons([a, c]).geometry!.coordinates).toHaveLength(1);
  });

  it('falls back to a clipping union for overlapping input', () => {
    const r = dissolvePolygons([square(0, 50), square(0.005, 50)]);
    expect(r.method).toBe('clipping-union');
    expect(r.geometry!.type).toBe('Polygon');
    const expected: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 50], [0.015, 50], [0.015, 50.01], [0, 50.01], [0, 50]]] };
    expect(area(r.geometry as any) / area(expected as any)).toBeCloseTo(1, 6);
    expect(dissolvePolygons([]).geometry).toBeNull();
  });
});
