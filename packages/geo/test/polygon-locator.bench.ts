import { bench, describe } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { createPolygonLocator } from '../src/index';
import { lsoaLikeLayer, randomPoints } from './fixtures';

// 684 LSOA-like cells (~12 vertices each); ops/s × POINTS = points/s.
const { bbox, polygons } = lsoaLikeLayer();
const POINTS = 2_000;
const xy = randomPoints(bbox, POINTS);
const locator = createPolygonLocator(polygons);
let sink = 0;

describe(`locate ${POINTS} points in ${polygons.length} polygons`, () => {
  bench('createPolygonLocator (flatbush + ray casting)', () => {
    for (let i = 0; i < POINTS; i++) if (locator.locate(xy[2 * i]!, xy[2 * i + 1]!)) sink++;
  });

  bench(
    'naive loop of turf.booleanPointInPolygon',
    () => {
      for (let i = 0; i < POINTS; i++) {
        const p = [xy[2 * i]!, xy[2 * i + 1]!];
        for (const poly of polygons) {
          if (booleanPointInPolygon(p, poly.geometry as any)) {
            sink++;
            break;
          }
        }
      }
    },
    { iterations: 5, time: 500 },
  );
});

describe(`build an index of ${polygons.length} polygons`, () => {
  bench('createPolygonLocator', () => {
    if (createPolygonLocator(polygons)) sink++;
  });
});

export { sink };
