import { bench, describe } from 'vitest';
import { kinks } from '@turf/turf';
import type { PolygonGeometry, Position } from '@safer-places/schemas';
import { findSelfIntersection } from '../src/index';
import { lsoaLikeLayer } from './fixtures';

// A valid 2,000-vertex star (e.g. a detailed PSPO boundary): the worst case, since nothing stops the search early.
const star: Position[] = [];
for (let i = 0; i < 2000; i++) {
  const a = (i / 2000) * 2 * Math.PI;
  const r = i % 2 ? 0.01 : 0.008;
  star.push([-1.15 + r * Math.cos(a), 52.95 + r * Math.sin(a)]);
}
star.push(star[0]!);
const big: PolygonGeometry = { type: 'Polygon', coordinates: [star] };
const lsoas = lsoaLikeLayer().polygons;
let sink = 0;

describe('validate a 2,000-vertex polygon', () => {
  bench('findSelfIntersection (R-tree over edges)', () => {
    if (findSelfIntersection(big) === null) sink++;
  });
  bench('turf.kinks (all pairs)', () => {
    sink += kinks(big as any).features.length;
  }, { iterations: 5, time: 500 });
});

describe(`validate ${lsoas.length} LSOA-like polygons (~12 vertices)`, () => {
  bench('findSelfIntersection', () => {
    for (const p of lsoas) if (findSelfIntersection(p.geometry) === null) sink++;
  });
  bench('turf.kinks', () => {
    for (const p of lsoas) sink += kinks(p.geometry as any).features.length;
  });
});

export { sink };
