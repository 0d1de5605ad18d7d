import { bench, describe } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { bngToLonLat, cellCentre, createGrid, gridMask } from '../src/index';
import { countyExtent, loadCounty, realDataAvailable } from './hotspots-real-data';

// Masking the county grid (100 m, ~360 k cells) with the 8 district boundaries. Baseline: turf.booleanPointInPolygon
// at every cell centre (unprojected to lon/lat), the obvious approach.
const available = realDataAvailable();
let sink = 0;

if (!available) {
  describe('grid mask (needs shared data)', () => bench.skip('not run', () => {}));
} else {
  const county = loadCounty();
  const grid = createGrid(countyExtent(county), { cellSize: 100 });
  describe(`mask ${(grid.nx * grid.ny).toLocaleString('en-GB')} cells with the 8 districts`, () => {
    bench('gridMask (scanline)', () => {
      sink += gridMask(grid, county)[0]!;
    });
    bench('turf.booleanPointInPolygon per cell centre (baseline)', () => {
      let n = 0;
      for (let c = 0; c < grid.nx * grid.ny; c++) {
        const p = bngToLonLat(...cellCentre(grid, c));
        if (county.some((g) => booleanPointInPolygon(p, g as any))) n++;
      }
      sink += n;
    }, { iterations: 1, time: 0, warmupIterations: 0 });
  });
}

export { sink };
