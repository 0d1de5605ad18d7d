import { bench, describe } from 'vitest';
import type { BBox, Position } from '@safer-places/schemas';
import { seededRandom, tessellate } from '../src/index';

const bbox: BBox = [-1.4, 52.85, -0.85, 53.25];
const rng = seededRandom(9);
const seeds = (n: number): Position[] => Array.from({ length: n }, () => [bbox[0] + rng.next() * 0.55, bbox[1] + rng.next() * 0.4]);
const s300 = seeds(300);
const s3000 = seeds(3000);
let sink = 0;

// No simpler baseline exists; this tracks the cost of the demo data's 300-cell tiling.
describe('tessellate', () => {
  bench('300 seeds', () => {
    sink += tessellate(s300, bbox).length;
  });
  bench('3,000 seeds', () => {
    sink += tessellate(s3000, bbox).length;
  });
});

export { sink };
