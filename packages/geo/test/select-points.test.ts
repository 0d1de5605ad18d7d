import { describe, expect, it } from 'vitest';
import { selectPoints } from '../src/index';
import { expectGolden } from './golden';
import { loadCrimes } from './hotspots-fixtures';

const crimes = loadCrimes();
const n = crimes.month.length;

describe('selectPoints', () => {
  it('keeps exactly the points in the given categories and month range', () => {
    const got = selectPoints(n, { category: crimes.category, categories: [9, 2], month: crimes.month, fromMonth: 6, toMonth: 17 });
    const want = [...Array(n).keys()].filter((i) => (crimes.category[i] === 9 || crimes.category[i] === 2) && crimes.month[i]! >= 6 && crimes.month[i]! <= 17);
    expect(want.length).toBeGreaterThan(20);
    expect([...got]).toEqual(want);
  });

  it('narrows an existing selection and treats missing filters as "all"', () => {
    expect([...selectPoints(5, {})]).toEqual([0, 1, 2, 3, 4]);
    const firstYear = selectPoints(n, { month: crimes.month, toMonth: 11 });
    const shoplifting = selectPoints(n, { category: crimes.category, categories: new Set([9]), within: firstYear });
    expect([...shoplifting]).toEqual([...firstYear].filter((i) => crimes.category[i] === 9));
    expect(selectPoints(n, { category: crimes.category, categories: [] })).toHaveLength(0);
  });

  it('refuses filters without the per-point arrays they need', () => {
    expect(() => selectPoints(3, { categories: [1] })).toThrow(RangeError);
    expect(() => selectPoints(3, { fromMonth: 1 })).toThrow(RangeError);
  });

  it('matches the golden selection (shoplifting in the first year)', () => {
    const sel = selectPoints(n, { category: crimes.category, categories: [9], month: crimes.month, toMonth: 11 });
    expectGolden('select-points', 'shoplifting-first-year', {
      type: 'FeatureCollection',
      features: [...sel].map((i) => ({
        type: 'Feature',
        properties: { index: i, month: crimes.month[i], location: crimes.location[i] },
        geometry: { type: 'Point', coordinates: [crimes.lonLat[2 * i], crimes.lonLat[2 * i + 1]] },
      })),
    });
  });
});
