import { bench, describe } from 'vitest';
import { featureCollection, union } from '@turf/turf';
import type { AreaGeometry } from '@safer-places/schemas';
import { createPolygonLocator, unionAreas } from '../src/index';
import { lsoaLikeLayer } from './fixtures';

// Eight neighbouring LSOA-like cells around one point, as a Safer Streets area is built.
const { polygons } = lsoaLikeLayer();
const locator = createPolygonLocator(polygons);
const codes = new Set<string>();
for (let dx = -2; dx <= 2 && codes.size < 8; dx++) {
  for (let dy = -2; dy <= 2 && codes.size < 8; dy++) {
    const c = locator.locate(-1.15 + dx * 0.004, 52.95 + dy * 0.004);
    if (c) codes.add(c);
  }
}
const parts: AreaGeometry[] = polygons.filter((p) => codes.has(p.code)).map((p) => p.geometry);
const feature = (g: AreaGeometry) => ({ type: 'Feature' as const, properties: {}, geometry: g as any });
let sink = 0;

describe(`dissolve ${parts.length} adjacent cells`, () => {
  bench('unionAreas (one n-ary union)', () => {
    if (unionAreas(parts)) sink++;
  });
  bench('pairwise turf.union, one cell at a time (baseline)', () => {
    let acc: any = feature(parts[0]!);
    for (const g of parts.slice(1)) acc = union(featureCollection([acc, feature(g)]));
    if (acc) sink++;
  });
});

export { sink };
