import { describe, expect, it } from 'vitest';
import {
  assignCells,
  cellOf,
  cellsToGeoJSON,
  createGrid,
  dominantCoordinate,
  giStar,
  gridCounts,
  gridMask,
  lonLatToBng,
  NO_COORDINATE,
  pointsExtent,
  seededRandom,
  significantCells,
  snapPointCheck,
  uniqueCoordinates,
} from '../src/index';
import { expectGolden } from './golden';
import { loadCrimes, STUDY_AREA } from './hotspots-fixtures';

const crimes = loadCrimes();

describe('uniqueCoordinates', () => {
  it('groups exactly equal coordinates like a string-keyed map would', () => {
    const rng = seededRandom(31);
    const n = 5_000;
    const xy = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      // Few distinct values so there are many repeats, plus near-misses that must stay apart.
      xy[2 * i] = rng.int(0, 40) * 12.5 + (rng.next() < 0.05 ? 1e-9 : 0);
      xy[2 * i + 1] = rng.int(0, 40) * 7.25;
    }
    const u = uniqueCoordinates(xy);
    const ref = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const key = `${xy[2 * i]},${xy[2 * i + 1]}`;
      ref.set(key, [...(ref.get(key) ?? []), i]);
    }
    expect(u.count).toBe(ref.size);
    for (const members of ref.values()) {
      const id = u.ids[members[0]!]!;
      for (const i of members) expect(u.ids[i]).toBe(id);
      expect(u.weight[id]).toBe(members.length);
      expect(u.first[id]).toBe(members[0]);
      expect([u.xy[2 * id], u.xy[2 * id + 1]]).toEqual([xy[2 * members[0]!], xy[2 * members[0]! + 1]]);
    }
  });

  it('treats −0 as 0, skips non-finite points and unselected points', () => {
    const xy = Float64Array.of(0, 1, -0, 1, Number.NaN, 1, 5, 5, 0, 1);
    const u = uniqueCoordinates(xy, [0, 1, 2, 3]);
    expect(u.count).toBe(2);
    expect(u.ids[0]).toBe(u.ids[1]);
    expect(u.ids[2]).toBe(NO_COORDINATE);
    expect(u.ids[4]).toBe(NO_COORDINATE); // not selected
    expect([...u.weight]).toEqual([2, 1]);
  });
});

describe('dominantCoordinate', () => {
  it('returns the most common coordinate and its share; ties go to the one seen first', () => {
    const xy = Float64Array.of(1, 1, 2, 2, 2, 2, 1, 1, 3, 3);
    const u = uniqueCoordinates(xy);
    expect(dominantCoordinate(u, [0, 1, 2, 3, 4])).toMatchObject({ x: 1, y: 1, count: 2, share: 0.4 });
    // (2,2) and (1,1) both appear twice; whichever the members list first wins.
    expect(dominantCoordinate(u, [4, 1, 0, 2, 3])).toMatchObject({ x: 2, y: 2, count: 2 });
    expect(dominantCoordinate(u, [4, 0, 1, 2, 3])).toMatchObject({ x: 1, y: 1, count: 2 });
    expect(dominantCoordinate(u, [1, 0, 4])).toMatchObject({ x: 2, y: 2, count: 1, share: 1 / 3 });
    expect(dominantCoordinate(u, [])).toMatchObject({ id: NO_COORDINATE, count: 0, share: 0 });
  });
});

describe('snapPointCheck', () => {
  const grid = createGrid(pointsExtent(crimes.xy), { cellSize: 100 });
  const cells = assignCells(grid, crimes.xy);
  const shopCell = cellOf(grid, ...lonLatToBng(-1.17, 52.94));
  const marketCell = cellOf(grid, ...lonLatToBng(-1.148, 52.9535));

  it('flags the cell whose crimes are mostly one published point, not the genuine cluster', () => {
    const [shop, market, empty] = snapPointCheck(crimes.xy, cells, [shopCell, marketCell, 0]);
    expect(shop!.cell).toBe(shopCell);
    expect(shop!.topCount).toBe(50);
    expect(shop!.share).toBeCloseTo(50 / shop!.count, 12);
    expect(shop!.flagged).toBe(true);
    expect(market!.flagged).toBe(false);
    expect(market!.count).toBeGreaterThan(20);
    expect(empty).toMatchObject({ cell: 0, count: 0, share: 0, flagged: false });
  });

  it('needs strictly more than the threshold, and respects a selection', () => {
    const xy = Float64Array.of(10, 10, 10, 10, 30, 30, 40, 40);
    const g = createGrid([0, 0, 99, 99], { cellSize: 100 });
    const c = assignCells(g, xy);
    expect(snapPointCheck(xy, c, [0])[0]).toMatchObject({ count: 4, topCount: 2, share: 0.5, flagged: false });
    expect(snapPointCheck(xy, c, [0], { threshold: 0.49 })[0]!.flagged).toBe(true);
    expect(snapPointCheck(xy, c, [0], { indices: [0, 1, 2] })[0]).toMatchObject({ count: 3, topCount: 2, flagged: true });
    // The same cell asked twice is reported once.
    expect(snapPointCheck(xy, c, [0, 0])).toHaveLength(1);
  });

  it('matches the golden check of the Gi* hot cells', () => {
    const g = giStar(grid, gridCounts(grid, crimes.xy), { mask: gridMask(grid, STUDY_AREA) });
    const hot = significantCells(g, 1);
    const checks = snapPointCheck(crimes.xy, cells, hot).filter((s) => s.count > 0);
    expect(checks.filter((s) => s.flagged).map((s) => s.cell)).toContain(shopCell);
    const byCell = new Map(checks.map((s) => [s.cell, s]));
    expectGolden(
      'snap-points',
      'hot-cells',
      cellsToGeoJSON(grid, [...byCell.keys()], (cell) => {
        const { count, topCount, share, flagged } = byCell.get(cell)!;
        return { cell, count, topCount, share, flagged };
      }),
    );
  });
});
