import * as turf from '@turf/turf';
import { bench, describe } from 'vitest';
import type { AreaGeometry } from '@safer-places/schemas';
import { overlapShares, tessellate, seededRandom } from '../src/index';

// 700 LSOA-like cells and a ~1 km² drawn area: the bbox prefilter against intersecting every cell.
const rng = seededRandom(7);
const seeds = Array.from({ length: 700 }, () => [-1.35 + rng.next() * 0.7, 52.8 + rng.next() * 0.7] as [number, number]);
const cells = tessellate(seeds, [-1.35, 52.8, -0.65, 53.5]).map((geometry, i) => ({ code: `C${i}`, geometry: geometry as AreaGeometry }));
const area = turf.circle([-1.0, 53.15], 0.56, { units: 'kilometers', steps: 64 }).geometry as AreaGeometry;

describe('overlap of a 1 km² area with 700 cells', () => {
  bench('overlapShares (bbox prefilter)', () => {
    overlapShares(area, cells);
  });
  bench('baseline: intersect every cell', () => {
    const a = turf.feature(area);
    for (const c of cells) {
      const o = turf.intersect(turf.featureCollection([a, turf.feature(c.geometry)]));
      if (o) turf.area(o);
    }
  });
});
