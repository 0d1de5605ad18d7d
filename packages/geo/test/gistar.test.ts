import { describe, expect, it } from 'vitest';
import {
  cellCentre,
  cellCount,
  cellOf,
  cellsToGeoJSON,
  createGrid,
  giClass,
  giStar,
  gridCounts,
  gridMask,
  lonLatToBng,
  maskSize,
  pointsExtent,
  seededRandom,
  significantCells,
  type GiStarResult,
  type Grid,
} from '../src/index';
import { expectGolden } from './golden';
import { referenceGiStar } from './gistar-reference';
import { loadCrimes, STUDY_AREA } from './hotspots-fixtures';

const crimes = loadCrimes();
const extent = pointsExtent(crimes.xy);

function expectSameAsReference(grid: Grid, values: ArrayLike<number>, mask: Uint8Array | undefined, got: GiStarResult) {
  const ref = referenceGiStar(grid, values, mask, got.correction);
  // Collect, then assert once: thousands of expect() calls per grid would dominate the run time.
  let compared = 0, zDiff = 0, pRel = 0, adjRel = 0;
  const wrong: string[] = [];
  for (let c = 0; c < cellCount(grid); c++) {
    if (Number.isNaN(ref.z[c]!)) {
      if (!Number.isNaN(got.z[c]!) || !Number.isNaN(got.pAdjusted[c]!) || got.classes[c] !== 0) wrong.push(`cell ${c} should be untested`);
      continue;
    }
    zDiff = Math.max(zDiff, Math.abs(got.z[c]! - ref.z[c]!));
    pRel = Math.max(pRel, Math.abs(got.p[c]! - ref.p[c]!) / Math.max(ref.p[c]!, 1e-300));
    adjRel = Math.max(adjRel, Math.abs(got.pAdjusted[c]! - ref.pAdjusted[c]!) / Math.max(ref.pAdjusted[c]!, 1e-300));
    if (got.classes[c] !== ref.classes[c]) wrong.push(`cell ${c}: class ${got.classes[c]} vs ${ref.classes[c]}`);
    compared++;
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(zDiff).toBeLessThan(1e-9);
  expect(pRel).toBeLessThan(1e-12);
  expect(adjRel).toBeLessThan(1e-12);
  return compared;
}

describe('giStar', () => {
  it('matches the straightforward reference to 1e-9 on crime counts: squares and hexagons, every correction, with a mask', () => {
    for (const shape of ['square', 'hex'] as const) {
      const grid = createGrid(extent, { shape, cellSize: 100 });
      const counts = gridCounts(grid, crimes.xy);
      const mask = gridMask(grid, STUDY_AREA);
      for (const correction of ['none', 'fdr', 'holm'] as const) {
        const got = giStar(grid, counts, { mask, correction });
        expect(got.n).toBe(maskSize(mask));
        expect(expectSameAsReference(grid, counts, mask, got)).toBe(maskSize(mask));
        expect(significantCells(got, 1).length).toBeGreaterThan(10);
      }
      // Without a mask every cell is tested.
      const all = giStar(grid, counts);
      expect(expectSameAsReference(grid, counts, undefined, all)).toBe(cellCount(grid));
    }
  });

  it('matches the reference on non-integer values (the path without the integer lookup table)', () => {
    const rng = seededRandom(4);
    for (const shape of ['square', 'hex'] as const) {
      const grid = createGrid([0, 0, 3_000, 2_000], { shape, cellSize: 100 });
      const values = Float64Array.from({ length: cellCount(grid) }, () => rng.next() ** 6 * 40 - 1);
      const mask = Uint8Array.from({ length: cellCount(grid) }, () => (rng.next() < 0.85 ? 1 : 0));
      expect(expectSameAsReference(grid, values, mask, giStar(grid, values, { mask }))).toBe(maskSize(mask));
    }
  });

  it('finds the persistent Market Square cluster as a 99 % hot spot and the empty fields as nothing', () => {
    const grid = createGrid(extent, { cellSize: 100 });
    const g = giStar(grid, gridCounts(grid, crimes.xy), { mask: gridMask(grid, STUDY_AREA) });
    const [mx, my] = lonLatToBng(-1.148, 52.9535);
    expect(g.classes[cellOf(grid, mx, my)]).toBe(3);
    expect(g.z[cellOf(grid, mx, my)]).toBeGreaterThan(10);
    // Almost all cells are empty, so a single zero cell is not a significant cold spot with binary 3 × 3 weights.
    expect(significantCells(g, -1).length).toBe(0);
  });

  it('does not let cells outside the study area dilute the mean or act as neighbours', () => {
    const grid = createGrid(extent, { cellSize: 100 });
    const counts = gridCounts(grid, crimes.xy);
    const mask = gridMask(grid, STUDY_AREA);
    const a = giStar(grid, counts, { mask });
    let inside = 0;
    for (let c = 0; c < counts.length; c++) if (mask[c]) inside += counts[c]!;
    expect(a.mean).toBeCloseTo(inside / maskSize(mask), 12);
    // Change everything outside the mask: nothing inside may move.
    const changed = Uint32Array.from(counts, (v, c) => (mask[c] ? v : v + 50));
    const b = giStar(grid, changed, { mask });
    for (let c = 0; c < counts.length; c++) {
      if (mask[c]) expect(b.z[c]).toBe(a.z[c]);
      else expect(b.z[c]).toBeNaN();
    }
    // Whereas unmasked, padding the grid with empty cells raises every z-score of the occupied cells.
    const padded = giStar(grid, Uint32Array.from(counts, (v, c) => (mask[c] ? v : 0)));
    const hot = significantCells(a, 3)[0]!;
    expect(padded.z[hot]).toBeGreaterThan(a.z[hot]!);
  });

  it('orders the corrections: none finds at least as many hot cells as FDR, FDR at least as many as Holm', () => {
    const grid = createGrid(extent, { cellSize: 100 });
    const counts = gridCounts(grid, crimes.xy);
    const mask = gridMask(grid, STUDY_AREA);
    const [none, fdr, holm] = (['none', 'fdr', 'holm'] as const).map((correction) => significantCells(giStar(grid, counts, { mask, correction }), 1).length);
    expect(none).toBeGreaterThanOrEqual(fdr!);
    expect(fdr).toBeGreaterThanOrEqual(holm!);
    expect(none).toBeGreaterThan(holm!);
  });

  it('gives z = 0 and no classes for a constant surface, and handles an empty mask', () => {
    const grid = createGrid([0, 0, 1000, 1000], { cellSize: 100 });
    const flat = giStar(grid, new Uint32Array(cellCount(grid)).fill(3));
    expect(flat.sd).toBe(0);
    expect([...flat.z].every((z) => z === 0)).toBe(true);
    expect([...flat.classes].every((c) => c === 0)).toBe(true);
    const none = giStar(grid, new Uint32Array(cellCount(grid)), { mask: new Uint8Array(cellCount(grid)) });
    expect(none.n).toBe(0);
    expect([...none.z].every(Number.isNaN)).toBe(true);
    expect(() => giStar(grid, new Uint32Array(3))).toThrow(RangeError);
    expect(() => giStar(grid, new Float64Array(cellCount(grid)).fill(NaN))).toThrow(RangeError);
  });

  it('classes follow the 99/95/90 % bins of the adjusted p-value', () => {
    expect(giClass(4, 0.0099)).toBe(3);
    expect(giClass(4, 0.01)).toBe(2);
    expect(giClass(-2, 0.049)).toBe(-2);
    expect(giClass(2, 0.0999)).toBe(1);
    expect(giClass(2, 0.1)).toBe(0);
    expect(giClass(0, 0)).toBe(0);
    expect(giClass(Number.NaN, Number.NaN)).toBe(0);
  });

  it('matches the golden significant cells (squares and hexagons, FDR, study-area mask)', () => {
    for (const shape of ['square', 'hex'] as const) {
      const grid = createGrid(extent, { shape, cellSize: 100 });
      const counts = gridCounts(grid, crimes.xy);
      const g = giStar(grid, counts, { mask: gridMask(grid, STUDY_AREA) });
      const cells = significantCells(g, 0);
      expectGolden(
        'gistar',
        `${shape}-significant`,
        cellsToGeoJSON(grid, cells, (cell) => ({
          cell,
          count: counts[cell]!,
          z: g.z[cell]!,
          p: g.p[cell]!,
          pAdjusted: g.pAdjusted[cell]!,
          class: g.classes[cell]!,
          centre: cellCentre(grid, cell),
        })),
      );
    }
  });
});
