import { describe, expect, it } from 'vitest';
import type { BBox, Geometry } from '@safer-places/schemas';
import { bboxIntersects, geometryBBox } from '../src/index';
import { expectGolden, readInput } from './golden';

const box = ([a, b, c, d]: BBox) => [[[a, b], [c, b], [c, d], [a, d], [a, b]]];

describe('geometryBBox / bboxIntersects', () => {
  const input = readInput<{ features: { geometry: Geometry; properties: { name: string } }[] }>('bbox', 'geometries');

  it('matches the golden boxes and intersections', () => {
    const boxes = input.features.map((f) => geometryBBox(f.geometry));
    const out = {
      type: 'FeatureCollection',
      features: input.features.map((f, i) => ({
        type: 'Feature',
        properties: {
          name: f.properties.name,
          bbox: boxes[i],
          intersects: input.features.filter((_, j) => j !== i && bboxIntersects(boxes[i]!, boxes[j]!)).map((g) => g.properties.name),
        },
        geometry: { type: 'Polygon', coordinates: box(boxes[i]!) },
      })),
    };
    expectGolden('bbox', 'boxes', out);
  });

  it('computes real extents, including multipolygons and points', () => {
    const byName = new Map(input.features.map((f) => [f.properties.name, geometryBBox(f.geometry)]));
    expect(byName.get('point')).toEqual([-1.15, 52.95, -1.15, 52.95]);
    expect(byName.get('triangle')).toEqual([-1.2, 52.9, -1.1, 53.0]);
    expect(byName.get('multipolygon')).toEqual([-1.0, 52.9, -0.88, 53.01]);
    expect(byName.get('square-with-hole')).toEqual([-1.3, 53.1, -1.25, 53.15]);
  });

  it('treats touching boxes as intersecting and separated ones as not', () => {
    expect(bboxIntersects([0, 0, 1, 1], [1, 1, 2, 2])).toBe(true);
    expect(bboxIntersects([0, 0, 1, 1], [0.5, -1, 0.6, 5])).toBe(true);
    expect(bboxIntersects([0, 0, 1, 1], [1.0000001, 0, 2, 1])).toBe(false);
    expect(bboxIntersects([0, 0, 1, 1], [0, 1.5, 1, 2])).toBe(false);
    const p = geometryBBox({ type: 'Point', coordinates: [0.5, 0.5] });
    expect(bboxIntersects(p, [0, 0, 1, 1])).toBe(true);
  });

  it('rejects a geometry without positions', () => {
    expect(() => geometryBBox({ type: 'Polygon', coordinates: [] })).toThrow(/no positions/);
  });
});
