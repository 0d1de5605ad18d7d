import { bench, describe } from 'vitest';
import KDBush from 'kdbush';
import { topHotspots, topHotspotsByCategory } from '../src/index';
import { loadRealCrimes, realDataAvailable } from './hotspots-real-data';

// Top-10 patrol hot spots (150 m discs, 500 m apart) on the real 2023–24 crimes, all crime and per category, the
// second year only. Baseline: the same greedy search with every crime as a candidate centre (no snap-point merging).
const available = realDataAvailable();
let sink = 0;

function naiveTop(xy: Float64Array, indices: ArrayLike<number>, n: number): number[] {
  const m = indices.length;
  const tree = new KDBush(m, 64, Float64Array);
  for (let k = 0; k < m; k++) tree.add(xy[2 * indices[k]!]!, xy[2 * indices[k]! + 1]!);
  tree.finish();
  const score = new Float64Array(m);
  for (let k = 0; k < m; k++) score[k] = tree.within(xy[2 * indices[k]!]!, xy[2 * indices[k]! + 1]!, 150).length;
  const order = [...Array(m).keys()].sort((a, b) => score[b]! - score[a]! || a - b);
  const excluded = new Uint8Array(m);
  const out: number[] = [];
  for (const k of order) {
    if (out.length >= n) break;
    if (excluded[k]) continue;
    out.push(score[k]!);
    for (const j of tree.within(xy[2 * indices[k]!]!, xy[2 * indices[k]! + 1]!, 500)) excluded[j] = 1;
  }
  return out;
}

if (!available) {
  describe('top hot spots (needs shared data)', () => bench.skip('not run', () => {}));
} else {
  const crimes = loadRealCrimes();
  const all = Uint32Array.from({ length: crimes.n }, (_, i) => i);
  const lastYear = all.filter((i) => crimes.month[i]! >= 288); // 2024

  describe(`top 10 hot spots, all crime (${crimes.n.toLocaleString('en-GB')})`, () => {
    bench('topHotspots (distinct coordinates as candidates)', () => {
      sink += topHotspots(crimes.xy, { n: 10, locations: crimes.location, lonLat: crimes.lonLat }).length;
    });
    bench('every crime a candidate (baseline)', () => {
      sink += naiveTop(crimes.xy, all, 10).length;
    }, { iterations: 3, time: 0 });
  });

  describe(`top 10 per category, 2024 only (${lastYear.length.toLocaleString('en-GB')} crimes, 14 categories)`, () => {
    bench('topHotspotsByCategory', () => {
      sink += topHotspotsByCategory(crimes.xy, crimes.category, { n: 10, indices: lastYear, locations: crimes.location }).length;
    });
  });
}

export { sink };
