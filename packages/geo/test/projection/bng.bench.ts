import { bench, describe } from 'vitest';
import proj4 from 'proj4';
import { BNG_PROJ4, seededRandom, toBng } from '../../src/index';

// Projecting 250,000 lon/lat pairs (about a county's two years of crime) to BNG. Baseline: proj4 called per point with
// a fresh array, as most code would.
const N = 250_000;
const rng = seededRandom(3);
const lonLat = new Float64Array(N * 2);
for (let i = 0; i < N; i++) {
  lonLat[2 * i] = -1.35 + rng.next() * 0.7;
  lonLat[2 * i + 1] = 52.78 + rng.next() * 0.73;
}
const out = new Float64Array(N * 2);
const converter = proj4('EPSG:4326', BNG_PROJ4);
let sink = 0;

describe(`project ${N.toLocaleString('en-GB')} points to BNG`, () => {
  bench('toBng (one reused {x, y}, typed arrays)', () => {
    sink += toBng(lonLat, out)[0]!;
  }, { time: 1_000 });
  bench('proj4 forward per point with new arrays (baseline)', () => {
    for (let i = 0; i < N; i++) sink += converter.forward([lonLat[2 * i]!, lonLat[2 * i + 1]!])[0]!;
  }, { time: 1_000 });
});

export { sink };
