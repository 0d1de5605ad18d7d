import { bench, describe } from 'vitest';
import { orderRoute, seededRandom } from '../../src/index';

// A day's patrol of 25 hot spots over a 10 km town (the largest top-N the planner offers). Baseline: plain nearest
// neighbour + 2-opt from the start only; the planner's multi-start tries every spot first as well.
const rng = seededRandom(2025);
const stops = Float64Array.from({ length: 50 }, () => rng.next() * 10_000);
const start: [number, number] = [5_000, 5_000];
let sink = 0;

describe('patrol route, 25 stops', () => {
  bench('orderRoute, multi-start nearest neighbour + 2-opt', () => {
    sink += orderRoute(start, stops).length;
  });
  bench('baseline: nearest neighbour + 2-opt from the start only', () => {
    sink += orderRoute(start, stops, { starts: 'single' }).length;
  });
});

export { sink };
