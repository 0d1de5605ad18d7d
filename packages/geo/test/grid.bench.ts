import { bench, describe } from 'vitest';
import { assignCells, cellsToGeoJSON, createGrid, gridCounts, seededRandom } from '../src/index';

// Binning 1 M points into a county-sized grid (360 k cells at 100 m) as squares and hexagons, and building GeoJSON for
// 5,000 requested cells. Synthetic points, so it runs without the shared data. Baseline for binning: a Map keyed by
// "col,row" strings.
const N = 1_000_000;
const rng = seededRandom(4);
const extent: [number, number, number, number] = [444_000, 321_700, 489_100, 401_200];
const xy = new Float64Array(N * 2);
for (let i = 0; i < N; i++) {
  xy[2 * i] = extent[0] + rng.next() * (extent[2] - extent[0]);
  xy[2 * i + 1] = extent[1] + rng.next() * (extent[3] - extent[1]);
}
const square = createGrid(extent, { cellSize: 100 });
const hex = createGrid(extent, { shape: 'hex', cellSize: 100 });
const requested = Array.from({ length: 5_000 }, (_, k) => k * 71);
let sink = 0;

describe(`bin ${N.toLocaleString('en-GB')} points into ${(square.nx * square.ny).toLocaleString('en-GB')} cells`, () => {
  bench('gridCounts, squares', () => {
    sink += gridCounts(square, xy)[0]!;
  });
  bench('gridCounts, hexagons', () => {
    sink += gridCounts(hex, xy)[0]!;
  });
  bench('assignCells, squares (cell per point, reused for many selections)', () => {
    sink += assignCells(square, xy)[0]!;
  });
  bench('Map keyed by "col,row" (baseline)', () => {
    const m = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const k = `${Math.floor((xy[2 * i]! - extent[0]) / 100)},${Math.floor((xy[2 * i + 1]! - extent[1]) / 100)}`;
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    sink += m.size;
  }, { iterations: 3, time: 0 });
});

describe('GeoJSON for 5,000 requested cells (lon/lat)', () => {
  bench('cellsToGeoJSON, squares', () => {
    sink += cellsToGeoJSON(square, requested).features.length;
  });
  bench('cellsToGeoJSON, hexagons', () => {
    sink += cellsToGeoJSON(hex, requested).features.length;
  });
});

export { sink };
