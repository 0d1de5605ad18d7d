import { bench, describe } from 'vitest';
import { createGrid, defaultBandwidth, dualKde, gridMask, kde, kdeOfGrid, populationGrid, type Grid } from '../src/index';
import { automaticBandwidth } from '../src/hotspots/bandwidth';
import { countyExtent, loadCounty, loadLsoaPopulation, loadRealCrimes, realDataAvailable } from './hotspots-real-data';

// KDE on the real data over the county at 100 m: all crime with the automatic bandwidth (600 m: the nrd rule's 3.5 km
// held to 6 cells) and with the nrd rule's own figure (the row sweep), burglary alone, and the
// dual KDE per 1,000 residents (LSOA Census 2021 populations spread by area). Baseline: the plain per-crime scatter
// (every crime adds its kernel to every cell in its disc), the straightforward implementation.
const available = realDataAvailable();
let sink = 0;

function naiveKde(grid: Grid, xy: Float64Array, h: number): Float64Array {
  const out = new Float64Array(grid.nx * grid.ny);
  const s = grid.cellSize;
  for (let i = 0; i < xy.length; i += 2) {
    const px = xy[i]!, py = xy[i + 1]!;
    const c0 = Math.max(0, Math.floor((px - h - grid.originX) / s)), c1 = Math.min(grid.nx - 1, Math.floor((px + h - grid.originX) / s));
    const r0 = Math.max(0, Math.floor((py - h - grid.originY) / s)), r1 = Math.min(grid.ny - 1, Math.floor((py + h - grid.originY) / s));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const d2 = (grid.originX + (c + 0.5) * s - px) ** 2 + (grid.originY + (r + 0.5) * s - py) ** 2;
        if (d2 < h * h) out[r * grid.nx + c]! += (1 - d2 / (h * h)) ** 2;
      }
    }
  }
  return out;
}

if (!available) {
  describe('KDE over Nottinghamshire (needs shared data)', () => bench.skip('not run', () => {}));
} else {
  const crimes = loadRealCrimes();
  const county = loadCounty();
  const grid = createGrid(countyExtent(county), { cellSize: 100 });
  const mask = gridMask(grid, county);
  const nrd = defaultBandwidth(crimes.xy);
  const h = automaticBandwidth(nrd, grid.cellSize).bandwidth;
  const burglary = Uint32Array.from({ length: crimes.n }, (_, i) => i).filter((i) => crimes.category[i] === 2);
  const hBurglary = automaticBandwidth(defaultBandwidth(crimes.xy, burglary), grid.cellSize).bandwidth;
  const { population } = populationGrid(grid, loadLsoaPopulation());

  describe(`KDE, all crime (${crimes.n.toLocaleString('en-GB')}), 100 m cells, automatic bandwidth ${Math.round(h)} m`, () => {
    bench('kde (snap points merged, cell by cell)', () => {
      sink += kde(grid, crimes.xy, { mask }).bandwidth;
    });
    bench(`kde, nrd bandwidth ${Math.round(nrd)} m (row sweep)`, () => {
      sink += kde(grid, crimes.xy, { mask, bandwidth: nrd }).bandwidth;
    });
    bench('per-crime scatter over the disc (baseline)', () => {
      sink += naiveKde(grid, crimes.xy, h)[0]!;
    }, { iterations: 2, time: 0, warmupIterations: 0 });
  });

  describe(`KDE, burglary (${burglary.length.toLocaleString('en-GB')}), automatic bandwidth ${Math.round(hBurglary)} m`, () => {
    bench('kde, burglary selection', () => {
      sink += kde(grid, crimes.xy, { mask, indices: burglary }).bandwidth;
    });
    bench('kde, burglary, bandwidth 300 m (narrow kernel path)', () => {
      sink += kde(grid, crimes.xy, { mask, indices: burglary, bandwidth: 300 }).bandwidth;
    });
  });

  describe('dual KDE per 1,000 residents (684 LSOA populations on the 100 m grid)', () => {
    bench('populationGrid (spread LSOA totals by area)', () => {
      sink += populationGrid(grid, loadLsoaPopulation()).unplaced;
    }, { iterations: 5, time: 0 });
    bench('kdeOfGrid of the population (prefix-moment rows)', () => {
      sink += kdeOfGrid(grid, population, h, mask)[0]!;
    }, { iterations: 5, time: 0 });
    bench('dualKde (crime KDE + population KDE + rate)', () => {
      sink += dualKde(grid, crimes.xy, population, { mask }).bandwidth;
    }, { iterations: 5, time: 0 });
  });
}

export { sink };
