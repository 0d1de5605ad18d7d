import { describe, expect, it } from 'vitest';
import { area, booleanPointInPolygon } from '@turf/turf';
import {
  assignCells,
  autoCellSize,
  cellArea,
  cellCentre,
  cellCount,
  cellNeighbours,
  cellOf,
  cellRing,
  cellsToGeoJSON,
  countCells,
  createGrid,
  gridCounts,
  pointsExtent,
  seededRandom,
  type Extent,
  type Grid,
} from '../src/index';
import { expectGolden } from './golden';
import { loadCrimes } from './hotspots-fixtures';

const crimes = loadCrimes();

function nearestCentre(grid: Grid, x: number, y: number): { cell: number; d: number; second: number } {
  let best = -1, d1 = Infinity, d2 = Infinity;
  for (let c = 0; c < cellCount(grid); c++) {
    const [cx, cy] = cellCentre(grid, c);
    const d = Math.hypot(cx - x, cy - y);
    if (d < d1) {
      d2 = d1;
      d1 = d;
      best = c;
    } else if (d < d2) d2 = d;
  }
  return { cell: best, d: d1, second: d2 };
}

describe('autoCellSize', () => {
  it('gives about 50 cells on the shorter side, floored to 10 m, clamped to 50–500 m', () => {
    expect(autoCellSize([0, 0, 46_000, 79_000])).toBe(500); // a county: 920 m clamped
    expect(autoCellSize([0, 0, 12_000, 10_000])).toBe(200); // a city CSP
    expect(autoCellSize([0, 0, 7_300, 9_000])).toBe(140); // 146 floored
    expect(autoCellSize([0, 0, 1_000, 1_000])).toBe(50); // 20 clamped up
    expect(autoCellSize([5, 5, 5, 5])).toBe(50); // a single point
    expect(() => autoCellSize([0, 0, NaN, 1])).toThrow(RangeError);
  });
});

describe('createGrid', () => {
  it('snaps the origin to the cell size and covers the extent', () => {
    const g = createGrid([453_840.5, 336_197.8, 460_606.9, 342_811.7], { cellSize: 100 });
    expect(g).toMatchObject({ shape: 'square', cellSize: 100, originX: 453_800, originY: 336_100, nx: 69, ny: 68, rowParity: 0 });
    // Grids over different extents share cells where they overlap.
    const h = createGrid([455_000, 338_000, 456_000, 339_000], { cellSize: 100 });
    expect(cellCentre(h, 0)).toEqual([455_050, 338_050]);
    expect(cellOf(g, 455_050, 338_050)).toBe(19 * 69 + 12);
    expect(cellCentre(g, 19 * 69 + 12)).toEqual([455_050, 338_050]);
  });

  it('keeps hex rows aligned across extents (row parity follows the absolute row)', () => {
    const a = createGrid([0, 0, 5_000, 5_000], { shape: 'hex', cellSize: 200 });
    const b = createGrid([1_000, 1_000, 5_000, 5_000], { shape: 'hex', cellSize: 200 });
    const p = cellCentre(b, 3 * b.nx + 4);
    const same = cellOf(a, p[0], p[1]);
    expect(cellCentre(a, same)[0]).toBeCloseTo(p[0], 6);
    expect(cellCentre(a, same)[1]).toBeCloseTo(p[1], 6);
  });

  it('rejects cell sizes outside 50–500 m, bad extents and absurd grids', () => {
    expect(() => createGrid([0, 0, 1000, 1000], { cellSize: 40 })).toThrow(RangeError);
    expect(() => createGrid([0, 0, 1000, 1000], { cellSize: 501 })).toThrow(RangeError);
    expect(() => createGrid([0, 0, -1, 1000], { cellSize: 100 })).toThrow(RangeError);
    expect(() => createGrid([0, 0, 1_000_000, 1_000_000], { cellSize: 50 })).toThrow(/exceeds/);
    expect(() => createGrid([0, 0, 1, 1], { shape: 'triangle' as any })).toThrow(RangeError);
    expect(createGrid([0, 0, 10_000, 5_000]).cellSize).toBe(100);
  });
});

describe('cellOf / assignCells', () => {
  it('puts each point in the square that contains it, half-open on the east and north edges', () => {
    const g = createGrid([0, 0, 1000, 1000], { cellSize: 100 });
    expect(cellOf(g, 0, 0)).toBe(0);
    expect(cellOf(g, 99.999, 0)).toBe(0);
    expect(cellOf(g, 100, 0)).toBe(1);
    expect(cellOf(g, 0, 100)).toBe(g.nx);
    expect(cellOf(g, 1000, 1000)).toBe(cellCount(g) - 1); // the extent's corner is inside the grid
    expect(cellOf(g, -0.001, 5)).toBe(-1);
    expect(cellOf(g, Number.NaN, 5)).toBe(-1);
    const rng = seededRandom(1);
    for (let k = 0; k < 500; k++) {
      const x = rng.next() * 1000, y = rng.next() * 1000;
      const ring = cellRing(g, cellOf(g, x, y));
      expect(booleanPointInPolygon([x, y], { type: 'Polygon', coordinates: [ring] })).toBe(true);
    }
  });

  it('puts each point in the nearest hexagon centre, and every point of the extent in some cell', () => {
    const extent: Extent = [1_234, 5_678, 4_321, 8_765];
    const g = createGrid(extent, { shape: 'hex', cellSize: 250 });
    const rng = seededRandom(2);
    for (let k = 0; k < 1_000; k++) {
      const x = extent[0] + rng.next() * (extent[2] - extent[0]);
      const y = extent[1] + rng.next() * (extent[3] - extent[1]);
      const ref = nearestCentre(g, x, y);
      if (ref.second - ref.d < 1e-6) continue; // on a hexagon edge
      expect(cellOf(g, x, y)).toBe(ref.cell);
      const ring = cellRing(g, ref.cell);
      expect(booleanPointInPolygon([x, y], { type: 'Polygon', coordinates: [ring] })).toBe(true);
    }
    // Corners and edges of the extent, where the half-cell shift of odd rows could push a point off the grid.
    for (const x of [extent[0], (extent[0] + extent[2]) / 2, extent[2]]) {
      for (let y = extent[1]; y <= extent[3]; y += 17) expect(cellOf(g, x, y)).toBeGreaterThanOrEqual(0);
    }
  });

  it('assignCells and gridCounts agree with cellOf, for squares and hexagons, with and without a selection', () => {
    const extent = pointsExtent(crimes.xy);
    for (const shape of ['square', 'hex'] as const) {
      const g = createGrid(extent, { shape, cellSize: 150 });
      const cells = assignCells(g, crimes.xy);
      for (let i = 0; i < cells.length; i++) expect(cells[i]).toBe(cellOf(g, crimes.xy[2 * i]!, crimes.xy[2 * i + 1]!));
      const counts = gridCounts(g, crimes.xy);
      expect(counts).toEqual(countCells(g, cells));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(crimes.month.length);
      const selection = Uint32Array.from({ length: crimes.month.length }, (_, i) => i).filter((i) => crimes.month[i]! < 12);
      const partial = assignCells(g, crimes.xy, selection);
      expect(partial.filter((c) => c >= 0).length).toBe(selection.length);
      expect(gridCounts(g, crimes.xy, selection)).toEqual(countCells(g, cells, selection));
      expect(countCells(g, partial)).toEqual(countCells(g, cells, selection));
    }
  });
});

describe('cellNeighbours', () => {
  it('returns exactly the cells whose centres are within cellSize × √2 (self included)', () => {
    for (const shape of ['square', 'hex'] as const) {
      const g = createGrid([0, 0, 2_000, 1_500], { shape, cellSize: 200 });
      const out: number[] = [];
      for (let cell = 0; cell < cellCount(g); cell++) {
        const k = cellNeighbours(g, cell, out);
        const [x, y] = cellCentre(g, cell);
        const expected: number[] = [];
        for (let c = 0; c < cellCount(g); c++) {
          const [cx, cy] = cellCentre(g, c);
          if (Math.hypot(cx - x, cy - y) <= 200 * Math.SQRT2 * (1 + 1e-9)) expected.push(c);
        }
        expect(out.slice(0, k).sort((a, b) => a - b)).toEqual(expected);
      }
      const interior = Math.floor(g.ny / 2) * g.nx + Math.floor(g.nx / 2);
      expect(cellNeighbours(g, interior, out)).toBe(shape === 'square' ? 9 : 7);
    }
  });
});

describe('cellsToGeoJSON', () => {
  it('builds polygons only for the requested cells, in lon/lat, with the right area', () => {
    for (const shape of ['square', 'hex'] as const) {
      const g = createGrid(pointsExtent(crimes.xy), { shape, cellSize: 200 });
      const fc = cellsToGeoJSON(g, [0, 17, cellCount(g) - 1], (cell, k) => ({ cell, k }));
      expect(fc.features).toHaveLength(3);
      expect(fc.features.map((f) => f.id)).toEqual([0, 17, cellCount(g) - 1]);
      expect(fc.features[1]!.properties).toEqual({ cell: 17, k: 1 });
      for (const f of fc.features) {
        const ring = f.geometry.coordinates[0]!;
        expect(ring).toHaveLength(shape === 'square' ? 5 : 7);
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        expect(ring[0]![0]).toBeGreaterThan(-1.3);
        expect(ring[0]![0]).toBeLessThan(-1.0);
        // Grid scale at Nottingham differs from 1 by < 0.1 %; turf's spherical area adds a little more.
        expect(area(f as any) / cellArea(g)).toBeCloseTo(1, 2);
      }
    }
    const g = createGrid([0, 0, 1000, 1000], { cellSize: 100 });
    expect(() => cellsToGeoJSON(g, [cellCount(g)])).toThrow(RangeError);
    expect(cellsToGeoJSON(g, []).features).toEqual([]);
  });

  it('matches the golden square and hexagon counts of the synthetic crimes', () => {
    for (const shape of ['square', 'hex'] as const) {
      const g = createGrid(pointsExtent(crimes.xy), { shape, cellSize: 250 });
      const counts = gridCounts(g, crimes.xy);
      // Cells with two or more crimes: the clusters and the snap point, not every background singleton.
      const cells = [...counts.keys()].filter((c) => counts[c]! >= 2);
      expectGolden('grid', `${shape}-counts`, cellsToGeoJSON(g, cells, (cell) => ({ cell, count: counts[cell]! })));
    }
  });
});
