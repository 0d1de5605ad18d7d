import { describe, expect, it } from 'vitest';
import {
  assignCells,
  cellOf,
  cellsToGeoJSON,
  classifyHotspots,
  countChange,
  countCells,
  createGrid,
  giStar,
  gridMask,
  HOTSPOT_CATEGORIES,
  hotspotCategoryOf,
  lonLatToBng,
  monthPeriods,
  NO_PERIOD,
  pointsExtent,
} from '../src/index';
import { expectGolden } from './golden';
import { loadCrimes, STUDY_AREA } from './hotspots-fixtures';

const crimes = loadCrimes();
const extent = pointsExtent(crimes.xy);
const category = (name: (typeof HOTSPOT_CATEGORIES)[number]) => HOTSPOT_CATEGORIES.indexOf(name);
const bits = (...periods: number[]) => periods.reduce((b, p) => b | (1 << p), 0);

describe('monthPeriods', () => {
  it('splits 24 months into 10 sub-periods of 2 or 3 whole months, in order', () => {
    const months = Uint16Array.from({ length: 30 }, (_, i) => 276 + i - 3); // 3 months either side of the range
    const { periodOfPoint, periodCount, firstMonthOfPeriod } = monthPeriods(months, 276, 299, 10);
    expect(periodCount).toBe(10);
    const sizes = new Array(10).fill(0);
    months.forEach((m, i) => {
      if (m < 276 || m > 299) expect(periodOfPoint[i]).toBe(NO_PERIOD);
      else sizes[periodOfPoint[i]!]++;
    });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(24);
    expect(Math.min(...sizes)).toBe(2);
    expect(Math.max(...sizes)).toBe(3);
    for (let i = 1; i < months.length; i++) {
      if (periodOfPoint[i] !== NO_PERIOD && periodOfPoint[i - 1] !== NO_PERIOD) expect(periodOfPoint[i]).toBeGreaterThanOrEqual(periodOfPoint[i - 1]!);
    }
    // firstMonthOfPeriod is where each sub-period starts.
    firstMonthOfPeriod.forEach((m, p) => expect(periodOfPoint[m - 276 + 3]).toBe(p));
    expect(firstMonthOfPeriod[0]).toBe(276);
  });

  it('uses one sub-period per month when there are fewer months than sub-periods, and rejects nonsense', () => {
    expect(monthPeriods([5, 6, 7], 5, 7, 10).periodCount).toBe(3);
    expect([...monthPeriods([5, 6, 7], 5, 7, 10).periodOfPoint]).toEqual([0, 1, 2]);
    expect(() => monthPeriods([1], 5, 4)).toThrow(RangeError);
    expect(() => monthPeriods([1], 1, 40, 33)).toThrow(RangeError);
  });
});

describe('hotspotCategoryOf (the rules, with the defaults: 10 sub-periods, the last 2 recent)', () => {
  it('persistent: hot in at least 8 of 10', () => {
    expect(hotspotCategoryOf(bits(0, 1, 2, 3, 4, 5, 6, 7), 0, 10)).toBe(category('persistent hotspot'));
    expect(hotspotCategoryOf(bits(0, 1, 2, 3, 4, 5, 6), 0, 10)).not.toBe(category('persistent hotspot'));
    expect(hotspotCategoryOf(0, 0b1111111111, 10)).toBe(category('persistent coldspot'));
  });

  it('emerging: hot in one or both of the last 2 and never before', () => {
    expect(hotspotCategoryOf(bits(9), 0, 10)).toBe(category('emerging hotspot'));
    expect(hotspotCategoryOf(bits(8, 9), 0, 10)).toBe(category('emerging hotspot'));
    expect(hotspotCategoryOf(bits(3, 9), 0, 10)).toBe(category('intermittent hotspot'));
    expect(hotspotCategoryOf(0, bits(8), 10)).toBe(category('emerging coldspot'));
  });

  it('former: hot at least once in the first 8, in neither of the last 2', () => {
    expect(hotspotCategoryOf(bits(0), 0, 10)).toBe(category('former hotspot'));
    expect(hotspotCategoryOf(bits(0, 1, 2, 3, 4, 5, 6), 0, 10)).toBe(category('former hotspot'));
    expect(hotspotCategoryOf(0, bits(2, 7), 10)).toBe(category('former coldspot'));
  });

  it('intermittent: hot at least once otherwise; no pattern: never; mixed: both hot and cold at some point', () => {
    expect(hotspotCategoryOf(bits(0, 9), 0, 10)).toBe(category('intermittent hotspot'));
    expect(hotspotCategoryOf(0, bits(4, 8), 10)).toBe(category('intermittent coldspot'));
    expect(hotspotCategoryOf(0, 0, 10)).toBe(category('no pattern'));
    expect(hotspotCategoryOf(bits(9), bits(0), 10)).toBe(category('mixed hot/coldspot'));
  });

  it('moves with the thresholds', () => {
    const rules = { hotspotProp: 0.1, persistentProp: 0.9, recentProp: 0.2 };
    expect(hotspotCategoryOf(bits(0, 1, 2, 3, 4, 5, 6, 9), 0, 10)).toBe(category('persistent hotspot'));
    expect(hotspotCategoryOf(bits(0, 1, 2, 3, 4, 5, 6, 9), 0, 10, rules)).toBe(category('intermittent hotspot'));
    // 20 sub-periods, the last 4 recent: hot once in the first 16 (1/16 < 0.1) is not enough to be former.
    expect(hotspotCategoryOf(bits(0), 0, 20)).toBe(category('no pattern'));
    expect(hotspotCategoryOf(bits(0, 1), 0, 20)).toBe(category('former hotspot'));
    // Former needs the recent share strictly below hotspotProp: 1 of 10 recent sub-periods (0.1) is not "none".
    const halfRecent = { hotspotProp: 0.1, persistentProp: 0.8, recentProp: 0.5 };
    expect(hotspotCategoryOf(bits(0, 19), 0, 20, halfRecent)).toBe(category('intermittent hotspot'));
    expect(hotspotCategoryOf(bits(0, 1), 0, 20, halfRecent)).toBe(category('former hotspot'));
    // hotspotProp 0.3 of 10 needs 3 hot sub-periods before anything counts.
    expect(hotspotCategoryOf(bits(0, 1), 0, 10, { ...rules, hotspotProp: 0.3 })).toBe(category('no pattern'));
  });
});

describe('classifyHotspots', () => {
  const grid = createGrid(extent, { cellSize: 100 });
  const mask = gridMask(grid, STUDY_AREA);
  const cells = assignCells(grid, crimes.xy);
  const { periodOfPoint, periodCount } = monthPeriods(crimes.month, 0, 23);
  const result = classifyHotspots(grid, cells, periodOfPoint, periodCount, { mask });
  const at = (lon: number, lat: number) => HOTSPOT_CATEGORIES[result.category[cellOf(grid, ...lonLatToBng(lon, lat))]!];

  it('recovers the built-in patterns: Market Square persistent, Hockley emerging, the Meadows former', () => {
    expect(at(-1.148, 52.9535)).toBe('persistent hotspot');
    expect(at(-1.13, 52.965)).toBe('emerging hotspot');
    expect(at(-1.115, 52.935)).toBe('former hotspot');
    expect(at(-1.19, 52.975)).toBe('no pattern');
    expect(result.recentPeriods).toBe(2);
    expect(result.crimesPerPeriod.reduce((a, b) => a + b, 0)).toBe(crimes.month.length);
  });

  it('marks a sub-period hot exactly where that sub-period’s own Gi* (FDR) is significant and positive', () => {
    const p = 9;
    const inPeriod = Uint32Array.from({ length: cells.length }, (_, i) => i).filter((i) => periodOfPoint[i] === p);
    const g = giStar(grid, countCells(grid, cells, inPeriod), { mask });
    for (let c = 0; c < mask.length; c++) {
      const hot = g.z[c]! > 0 && g.pAdjusted[c]! < 0.05;
      expect(((result.hotBits[c]! >>> p) & 1) === 1, `cell ${c}`).toBe(hot);
    }
  });

  it('leaves cells outside the study area unclassified, and a stricter correction finds no more', () => {
    for (let c = 0; c < mask.length; c++) if (!mask[c]) expect(result.category[c]).toBe(0);
    const holm = classifyHotspots(grid, cells, periodOfPoint, periodCount, { mask, correction: 'holm' });
    const hotCells = (bitsArr: Uint32Array) => bitsArr.reduce((n, b) => n + (b ? 1 : 0), 0);
    expect(hotCells(holm.hotBits)).toBeLessThanOrEqual(hotCells(result.hotBits));
    expect(() => classifyHotspots(grid, cells, periodOfPoint, 1)).toThrow(RangeError);
    expect(() => classifyHotspots(grid, cells, periodOfPoint, periodCount, { recentProp: 1.5 })).toThrow(RangeError);
  });

  it('matches the golden classification', () => {
    const classified = [...result.category.keys()].filter((c) => result.category[c]! > 0);
    expectGolden(
      'hotspot-change',
      'classified',
      cellsToGeoJSON(grid, classified, (cell) => ({
        cell,
        category: HOTSPOT_CATEGORIES[result.category[cell]!],
        hotPeriods: [...Array(periodCount).keys()].filter((p) => (result.hotBits[cell]! >>> p) & 1),
      })),
    );
  });
});

describe('countChange', () => {
  it('counts before and after per cell and their difference', () => {
    const grid = createGrid(extent, { cellSize: 250 });
    const cells = assignCells(grid, crimes.xy);
    const all = Uint32Array.from({ length: cells.length }, (_, i) => i);
    const before = all.filter((i) => crimes.month[i]! < 12);
    const after = all.filter((i) => crimes.month[i]! >= 12);
    const { before: b, after: a, change } = countChange(grid, cells, before, after);
    expect(b.reduce((s, v) => s + v, 0)).toBe(before.length);
    expect(a.reduce((s, v) => s + v, 0)).toBe(after.length);
    for (let c = 0; c < change.length; c++) expect(change[c]).toBe(a[c]! - b[c]!);
    // The Meadows cluster only exists in the first year, Hockley only in the second.
    expect(change[cellOf(grid, ...lonLatToBng(-1.115, 52.935))]).toBeLessThan(-5);
    expect(change[cellOf(grid, ...lonLatToBng(-1.13, 52.965))]).toBeGreaterThan(5);
  });
});
