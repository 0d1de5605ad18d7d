import { bench, describe } from 'vitest';
import { assignCells, createGrid, giStar, gridCounts, gridMask, significantCells, snapPointCheck, uniqueCoordinates } from '../src/index';
import { countyExtent, loadCounty, loadRealCrimes, realDataAvailable } from './hotspots-real-data';

// Grouping the real crimes by published coordinate, and the snap-point check of every Gi* hot cell of the county grid.
// Baseline for the grouping: a Map keyed by the coordinate string.
const available = realDataAvailable();
let sink = 0;

if (!available) {
  describe('snap points (needs shared data)', () => bench.skip('not run', () => {}));
} else {
  const crimes = loadRealCrimes();
  const county = loadCounty();
  const grid = createGrid(countyExtent(county), { cellSize: 100 });
  const cells = assignCells(grid, crimes.xy);
  const hot = significantCells(giStar(grid, gridCounts(grid, crimes.xy), { mask: gridMask(grid, county) }), 1);
  const coords = uniqueCoordinates(crimes.xy);

  describe(`group ${crimes.n.toLocaleString('en-GB')} crimes by coordinate (${coords.count.toLocaleString('en-GB')} distinct)`, () => {
    bench('uniqueCoordinates (open addressing on the doubles)', () => {
      sink += uniqueCoordinates(crimes.xy).count;
    });
    bench('Map keyed by "x,y" strings (baseline)', () => {
      const m = new Map<string, number>();
      for (let i = 0; i < crimes.n; i++) {
        const k = `${crimes.xy[2 * i]},${crimes.xy[2 * i + 1]}`;
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      sink += m.size;
    });
  });

  describe(`snap-point check of the ${hot.length.toLocaleString('en-GB')} hot cells`, () => {
    bench('snapPointCheck (grouping reused)', () => {
      sink += snapPointCheck(crimes.xy, cells, hot, { coords }).length;
    });
    bench('snapPointCheck (grouping included)', () => {
      sink += snapPointCheck(crimes.xy, cells, hot).length;
    });
  });
}

export { sink };
