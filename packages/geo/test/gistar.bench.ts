import { bench, describe } from 'vitest';
import { createGrid, giStar, gridCounts, gridMask, maskSize, significantCells } from '../src/index';
import { referenceGiStar } from './gistar-reference';
import { countyExtent, loadCounty, loadRealCrimes, realDataAvailable } from './hotspots-real-data';

// Grid + Gi* with FDR over the whole of Nottinghamshire at 100 m with the real crimes (2023–24). Target ≤ 50 ms for
// binning + Gi* + p-values + correction; the baseline is the straightforward reference (kdbush neighbour search, one
// erfc per cell, a full sort for BH) on the same data. The study-area mask is built once per grid, so it is timed apart.
const available = realDataAvailable();
let sink = 0;

if (!available) {
  describe('grid + Gi* over Nottinghamshire (needs shared data)', () => bench.skip('not run', () => {}));
} else {
  const crimes = loadRealCrimes();
  const county = loadCounty();
  const grid = createGrid(countyExtent(county), { cellSize: 100 });
  const mask = gridMask(grid, county);
  const counts = gridCounts(grid, crimes.xy);
  const hot = significantCells(giStar(grid, counts, { mask }), 1).length;
  const label = `${crimes.n.toLocaleString('en-GB')} crimes, ${(grid.nx * grid.ny).toLocaleString('en-GB')} cells of 100 m (${maskSize(mask).toLocaleString('en-GB')} in the county), ${hot} hot with FDR`;

  describe(`grid + Gi*: ${label}`, () => {
    bench(
      'gridCounts + giStar (FDR)',
      () => {
        sink += giStar(grid, gridCounts(grid, crimes.xy), { mask }).n;
      },
      { time: 2_000 },
    );
    bench('gridCounts + giStar (Holm)', () => {
      sink += giStar(grid, gridCounts(grid, crimes.xy), { mask, correction: 'holm' }).n;
    });
    bench('gridCounts + giStar (no correction)', () => {
      sink += giStar(grid, gridCounts(grid, crimes.xy), { mask, correction: 'none' }).n;
    });
    bench(
      'reference Gi* (kdbush neighbours, erfc per cell, sorted BH) (baseline)',
      () => {
        sink += referenceGiStar(grid, gridCounts(grid, crimes.xy), mask, 'fdr').z.length;
      },
      { iterations: 3, time: 0, warmupIterations: 1 },
    );
  });

  describe('grid set-up (once per grid)', () => {
    bench('gridMask of the 8 districts', () => {
      sink += gridMask(grid, county)[0]!;
    });
    bench('gridCounts alone', () => {
      sink += gridCounts(grid, crimes.xy)[0]!;
    });
  });
}

export { sink };
