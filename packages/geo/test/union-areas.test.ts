import { describe, expect, it } from 'vitest';
import { area } from '@turf/turf';
import type { AreaGeometry } from '@safer-places/schemas';
import { findSelfIntersection, unionAreas } from '../src/index';
import { expectGolden, readInput } from './golden';

const squares = readInput('union-areas', 'squares').features as { geometry: AreaGeometry; properties: { id: string } }[];
const geom = (ids: string[]) => squares.filter((s) => ids.includes(s.properties.id)).map((s) => s.geometry);
const ring = ['g00', 'g01', 'g02', 'g10', 'g12', 'g20', 'g21', 'g22'];

describe('unionAreas', () => {
  it('matches the golden unions', () => {
    const cases: Record<string, string[]> = {
      'l-shape': ['g00', 'g10', 'g11'],
      'ring-with-hole': ring,
      'with-separate-square': ['g00', 'g01', 'separate'],
    };
    expectGolden('union-areas', 'unions', {
      type: 'FeatureCollection',
      features: Object.entries(cases).map(([name, ids]) => ({ type: 'Feature', properties: { name, ids }, geometry: unionAreas(geom(ids)) })),
    });
  });

  it('dissolves shared edges: an L of three squares has 6 corners', () => {
    const u = unionAreas(geom(['g00', 'g10', 'g11']))!;
    expect(u.type).toBe('Polygon');
    expect(u.coordinates[0]).toHaveLength(7);
    expect(findSelfIntersection(u)).toBeNull();
  });

  it('keeps the hole left by a ring of squares and the area of the parts', () => {
    const u = unionAreas(geom(ring))!;
    expect(u.type).toBe('Polygon');
    expect(u.coordinates).toHaveLength(2);
    const parts = geom(ring).reduce((s, g) => s + area(g as any), 0);
    expect(area(u as any)).toBeCloseTo(parts, -1);
  });

  it('returns a MultiPolygon for separate areas, a copy for one, null for none', () => {
    expect(unionAreas(geom(['g00', 'separate']))!.type).toBe('MultiPolygon');
    const one = geom(['g00'])[0]!;
    const copy = unionAreas([one])!;
    expect(copy).toEqual(one);
    expect(copy).not.toBe(one);
    expect(unionAreas([])).toBeNull();
  });
});
