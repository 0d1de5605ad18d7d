import { createPolygonLocator, seededRandom } from '@safer-places/geo';
import { describe, expect, it } from 'vitest';
import { generateDemoDataset } from '../src/demo-data';
import { PlaceIndex } from '../src/place-index';

const demo = generateDemoDataset();
const lsoas = demo.lsoas;
const districtOf = new Map(lsoas.map((l) => [l.code, l.districtCode || 'none']));
const whole = createPolygonLocator(lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
const [w, s, e, n] = lsoas.reduce((a, l) => [Math.min(a[0], l.bbox[0]), Math.min(a[1], l.bbox[1]), Math.max(a[2], l.bbox[2]), Math.max(a[3], l.bbox[3])], [Infinity, Infinity, -Infinity, -Infinity]);
const rng = seededRandom(42);
// Points over the demo place and a margin around it (some outside every LSOA).
const points = Array.from({ length: 10_000 }, () => [w - 0.02 + rng.next() * (e - w + 0.04), s - 0.02 + rng.next() * (n - s + 0.04)] as const);
const districts = new Set(districtOf.values());
const largest = Math.max(...[...districts].map((d) => lsoas.filter((l) => districtOf.get(l.code) === d).length));

describe('PlaceIndex: LSOA of a point, one locator per district built when needed', () => {
  it('the demo set has several districts (the test means something)', () => {
    expect(districts.size).toBeGreaterThan(2);
  });

  it('answers as one locator over every LSOA does, for points inside and outside', () => {
    const index = new PlaceIndex('v', lsoas, (c) => districtOf.get(c)!);
    let inside = 0;
    for (const [x, y] of points) {
      const want = whole.locate(x, y);
      expect(index.locate(x, y)).toBe(want);
      if (want !== null) inside++;
    }
    expect(inside).toBeGreaterThan(points.length / 4);
    expect(inside).toBeLessThan(points.length);
  });

  it('builds only the districts whose box holds a point', () => {
    const index = new PlaceIndex('v', lsoas, (c) => districtOf.get(c)!);
    expect(index.builtLsoas).toBe(0);
    const first = lsoas[0]!;
    const [x, y] = first.geometry.type === 'Polygon' ? first.geometry.coordinates[0]![0]! : first.geometry.coordinates[0]![0]![0]!;
    index.locate(x!, y!);
    expect(index.builtLsoas).toBeGreaterThan(0);
    expect(index.builtLsoas).toBeLessThan(lsoas.length);
  });

  it('keeps at most its bound of LSOAs built, and still answers the same', () => {
    const bound = largest + 1;
    const index = new PlaceIndex('v', lsoas, (c) => districtOf.get(c)!, bound);
    let most = 0;
    // Random points switch district often, so most of them build a locator again: a few hundred show the bound.
    for (const [x, y] of points.slice(0, 400)) {
      expect(index.locate(x, y)).toBe(whole.locate(x, y));
      most = Math.max(most, index.builtLsoas);
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(bound);
  });

  it('builds a district larger than its bound alone', () => {
    const index = new PlaceIndex('v', lsoas, (c) => districtOf.get(c)!, 1);
    for (const [x, y] of points.slice(0, 200)) {
      expect(index.locate(x, y)).toBe(whole.locate(x, y));
      expect(index.builtLsoas).toBeLessThanOrEqual(largest);
    }
  });

  it('places a coordinate that is not a number nowhere', () => {
    const index = new PlaceIndex('v', lsoas, (c) => districtOf.get(c)!);
    expect(index.locate(Number.NaN, s + 0.01)).toBeNull();
    expect(index.locate(w + 0.01, Number.NaN)).toBeNull();
  });
});
