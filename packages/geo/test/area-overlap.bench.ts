import * as turf from '@turf/turf';
import { bench, describe } from 'vitest';
import type { AreaGeometry } from '@safer-places/schemas';
import { areaSquareMetres, bboxIntersects, geometryBBox, overlapShares, tessellate, seededRandom } from '../src/index';

// 700 LSOA-like cells and a ~1 km² drawn area: boundary sums over the cells near the area, against Turf's clipping of
// the same cells (what overlapShares did before) and of every cell.
const rng = seededRandom(7);
const seeds = Array.from({ length: 700 }, () => [-1.35 + rng.next() * 0.7, 52.8 + rng.next() * 0.7] as [number, number]);
const cells = tessellate(seeds, [-1.35, 52.8, -0.65, 53.5]).map((geometry, i) => ({ code: `C${i}`, geometry: geometry as AreaGeometry }));
const area = turf.circle([-1.0, 53.15], 0.56, { units: 'kilometers', steps: 64 }).geometry as AreaGeometry;

describe('overlap of a 1 km² area with 700 cells', () => {
  bench('overlapShares (bbox prefilter, boundary sums)', () => {
    overlapShares(area, cells);
  });
  bench('baseline: Turf clipping of the cells whose bbox meets the area', () => {
    const a = turf.feature(area);
    const box = geometryBBox(area);
    for (const c of cells) {
      if (!bboxIntersects(geometryBBox(c.geometry), box)) continue;
      const o = turf.intersect(turf.featureCollection([a, turf.feature(c.geometry)]));
      if (o) areaSquareMetres(o.geometry as AreaGeometry);
    }
  });
  bench('baseline: intersect every cell', () => {
    const a = turf.feature(area);
    for (const c of cells) {
      const o = turf.intersect(turf.featureCollection([a, turf.feature(c.geometry)]));
      if (o) turf.area(o);
    }
  });
});
