import { bench, describe } from 'vitest';
import { assignCells, classifyHotspots, countCells, countChange, createGrid, gridMask, hotspotCategoryOf, monthPeriods } from '../src/index';
import { referenceGiStar } from './gistar-reference';
import { countyExtent, loadCounty, loadRealCrimes, realDataAvailable } from './hotspots-real-data';

// Hot-spot classification over 24 months (10 sub-periods, Gi* + FDR in each) for the county at 100 m, and the
// before/after count change. Baseline: the same classification on ten runs of the straightforward reference Gi*.
const available = realDataAvailable();
let sink = 0;

if (!available) {
  describe('hot-spot change (needs shared data)', () => bench.skip('not run', () => {}));
} else {
  const crimes = loadRealCrimes();
  const county = loadCounty();
  const grid = createGrid(countyExtent(county), { cellSize: 100 });
  const mask = gridMask(grid, county);
  const cells = assignCells(grid, crimes.xy);
  const all = Uint32Array.from({ length: crimes.n }, (_, i) => i);
  const before = all.filter((i) => crimes.month[i]! < 288);
  const after = all.filter((i) => crimes.month[i]! >= 288);

  describe(`classify 24 months of ${crimes.n.toLocaleString('en-GB')} crimes over ${(grid.nx * grid.ny).toLocaleString('en-GB')} cells`, () => {
    bench('monthPeriods + classifyHotspots (10 × Gi* FDR)', () => {
      const { periodOfPoint, periodCount } = monthPeriods(crimes.month, 276, 299, 10);
      sink += classifyHotspots(grid, cells, periodOfPoint, periodCount, { mask }).periodCount;
    }, { time: 1_000 });
    bench('10 × reference Gi* + the same rules (baseline)', () => {
      const { periodOfPoint, periodCount } = monthPeriods(crimes.month, 276, 299, 10);
      const hot = new Uint32Array(grid.nx * grid.ny);
      const cold = new Uint32Array(grid.nx * grid.ny);
      for (let p = 0; p < periodCount; p++) {
        const g = referenceGiStar(grid, countCells(grid, cells, all.filter((i) => periodOfPoint[i] === p)), mask, 'fdr');
        for (let c = 0; c < hot.length; c++) {
          if (g.pAdjusted[c]! < 0.05 && g.z[c]! > 0) hot[c]! |= 1 << p;
          if (g.pAdjusted[c]! < 0.05 && g.z[c]! < 0) cold[c]! |= 1 << p;
        }
      }
      for (let c = 0; c < hot.length; c++) sink += hotspotCategoryOf(hot[c]!, cold[c]!, periodCount);
    }, { iterations: 1, time: 0, warmupIterations: 0 });
  });

  describe('count change 2023 → 2024', () => {
    bench('countChange', () => {
      sink += countChange(grid, cells, before, after).change[0]!;
    });
  });
}

export { sink };
