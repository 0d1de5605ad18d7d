import { createPolygonLocator, seededRandom } from '@safer-places/geo';
import type { Lsoa } from '@safer-places/schemas';
import { describe, expect, it } from 'vitest';
import { generateDemoDataset } from '../src/demo-data';
import { PlaceIndex } from '../src/place-index';

const demo = generateDemoDataset();
const lsoas = [...demo.lsoas].sort((a, b) => (a.code < b.code ? -1 : 1));
const whole = createPolygonLocator(lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
const [w, s, e, n] = lsoas.reduce((a, l) => [Math.min(a[0], l.bbox[0]), Math.min(a[1], l.bbox[1]), Math.max(a[2], l.bbox[2]), Math.max(a[3], l.bbox[3])], [Infinity, Infinity, -Infinity, -Infinity]);
const rng = seededRandom(42);
// Points over the demo place and a margin around it (some outside every LSOA).
const points = Array.from({ length: 10_000 }, () => [w - 0.02 + rng.next() * (e - w + 0.04), s - 0.02 + rng.next() * (n - s + 0.04)] as const);

describe('PlaceIndex: the LSOA a point lies in, from an R-tree of the LSOAs’ boxes', () => {
  it('answers as the polygon locator over every LSOA does, for points inside and outside', () => {
    const index = new PlaceIndex('v', lsoas);
    let inside = 0;
    for (const [x, y] of points) {
      const want = whole.locate(x, y);
      expect(index.locate(x, y)).toBe(want);
      if (want !== null) inside++;
    }
    expect(inside).toBeGreaterThan(points.length / 4);
    expect(inside).toBeLessThan(points.length);
  });

  it('places a point in a hole outside, and in the LSOA filling the hole inside it', () => {
    const square = (code: string, w0: number, s0: number, size: number, hole?: number): Lsoa => ({
      ...lsoas[0]!,
      code,
      bbox: [w0, s0, w0 + size, s0 + size],
      geometry: {
        type: 'Polygon',
        coordinates: [
          [[w0, s0], [w0 + size, s0], [w0 + size, s0 + size], [w0, s0 + size], [w0, s0]],
          ...(hole ? [[[w0 + hole, s0 + hole], [w0 + hole, s0 + size - hole], [w0 + size - hole, s0 + size - hole], [w0 + size - hole, s0 + hole], [w0 + hole, s0 + hole]]] as [number, number][][] : []),
        ],
      },
    });
    const index = new PlaceIndex('v', [square('A', 0, 0, 10, 3), square('B', 3, 3, 4)]);
    expect(index.locate(1, 1)).toBe('A');
    expect(index.locate(5, 5)).toBe('B');
    expect(new PlaceIndex('v', [square('A', 0, 0, 10, 3)]).locate(5, 5)).toBeNull();
  });

  it('where LSOAs overlap, the first in code order wins (as the importer places crimes)', () => {
    const box = (code: string, w0: number): Lsoa => ({
      ...lsoas[0]!,
      code,
      bbox: [w0, 0, w0 + 2, 2],
      geometry: { type: 'Polygon', coordinates: [[[w0, 0], [w0 + 2, 0], [w0 + 2, 2], [w0, 2], [w0, 0]]] },
    });
    expect(new PlaceIndex('v', [box('E01000001', 0), box('E01000002', 1)]).locate(1.5, 1)).toBe('E01000001');
    expect(new PlaceIndex('v', [box('E01000001', 1), box('E01000002', 0)]).locate(1.5, 1)).toBe('E01000001');
    expect(new PlaceIndex('v', [box('E01000001', 0), box('E01000002', 1)]).locate(2.5, 1)).toBe('E01000002');
  });

  it('places a coordinate that is not a number nowhere', () => {
    const index = new PlaceIndex('v', lsoas);
    expect(index.locate(Number.NaN, s + 0.01)).toBeNull();
    expect(index.locate(w + 0.01, Number.NaN)).toBeNull();
    expect(index.locate(Infinity, s + 0.01)).toBeNull();
  });
});
