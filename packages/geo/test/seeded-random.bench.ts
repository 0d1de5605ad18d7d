import { bench, describe } from 'vitest';
import { seededRandom } from '../src/index';

const rng = seededRandom(1);
let sink = 0;

describe('100,000 uniform numbers', () => {
  bench('seededRandom().next (sfc32)', () => {
    for (let i = 0; i < 100_000; i++) sink += rng.next();
  });
  bench('Math.random (baseline, not seedable)', () => {
    for (let i = 0; i < 100_000; i++) sink += Math.random();
  });
});

describe('100,000 normals', () => {
  bench('seededRandom().normal', () => {
    for (let i = 0; i < 100_000; i++) sink += rng.normal();
  });
});

export { sink };
