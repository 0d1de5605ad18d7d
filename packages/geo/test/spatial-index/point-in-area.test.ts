import type { AreaGeometry } from '@safer-places/schemas';
import { describe, expect, it } from 'vitest';
import { createPolygonLocator } from '../../src/polygon-locator';
import { seededRandom } from '../../src/seeded-random';
import { pointInArea } from '../../src/spatial-index/point-in-area';

const ring = (w: number, s: number, e: number, n: number): [number, number][] => [[w, s], [e, s], [e, n], [w, n], [w, s]];
const withHole: AreaGeometry = { type: 'Polygon', coordinates: [ring(0, 0, 10, 10), ring(3, 3, 7, 7)] };
const two: AreaGeometry = { type: 'MultiPolygon', coordinates: [[ring(0, 0, 1, 1)], [ring(5, 5, 6, 7)]] };
// A concave star, to exercise edges crossed more than once.
const star: AreaGeometry = {
  type: 'Polygon',
  coordinates: [Array.from({ length: 21 }, (_, i): [number, number] => [Math.cos((i * Math.PI) / 10) * (i % 2 ? 2 : 5) + 20, Math.sin((i * Math.PI) / 10) * (i % 2 ? 2 : 5) + 20])],
};

describe('pointInArea', () => {
  it('excludes holes and takes any part of a multipolygon', () => {
    expect(pointInArea(withHole, 1, 1)).toBe(true);
    expect(pointInArea(withHole, 5, 5)).toBe(false);
    expect(pointInArea(withHole, 11, 5)).toBe(false);
    expect(pointInArea(two, 0.5, 0.5)).toBe(true);
    expect(pointInArea(two, 5.5, 6.5)).toBe(true);
    expect(pointInArea(two, 3, 3)).toBe(false);
  });

  it('agrees with the polygon locator on random points', () => {
    const rng = seededRandom(11);
    for (const area of [withHole, two, star]) {
      const locator = createPolygonLocator([{ code: 'a', geometry: area }]);
      let inside = 0;
      for (let i = 0; i < 5_000; i++) {
        const x = -1 + rng.next() * 27;
        const y = -1 + rng.next() * 27;
        const want = locator.locate(x, y) === 'a';
        expect(pointInArea(area, x, y)).toBe(want);
        if (want) inside++;
      }
      expect(inside).toBeGreaterThan(0);
    }
  });
});
