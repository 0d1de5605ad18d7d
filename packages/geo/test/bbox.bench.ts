import { bench, describe } from 'vitest';
import { bbox as turfBbox } from '@turf/turf';
import type { BBox } from '@safer-places/schemas';
import { bboxIntersects, geometryBBox } from '../src/index';
import { lsoaLikeLayer } from './fixtures';

const polygons = lsoaLikeLayer().polygons.map((p) => p.geometry);
const view: BBox = [-1.2, 52.9, -1.1, 53.0];
let sink = 0;

describe(`bbox of ${polygons.length} polygons, then filter by a map view`, () => {
  bench('geometryBBox + bboxIntersects', () => {
    for (const g of polygons) if (bboxIntersects(geometryBBox(g), view)) sink++;
  });
  bench('turf.bbox + bboxIntersects', () => {
    for (const g of polygons) if (bboxIntersects(turfBbox(g as any) as BBox, view)) sink++;
  });
});

export { sink };
