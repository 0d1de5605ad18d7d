import { bench, describe } from 'vitest';
import { featureCollection, point, pointsWithinPolygon } from '@turf/turf';
import { createPointIndex, pointsInPolygon } from '../../src/index';
import { CITY_CENTRE_POLYGON, loadRealCrimes, realDataAvailable, realPlusSynthetic } from '../hotspots-real-data';

// 1 M points: the 256 k located real crimes plus seeded synthetic points around them; a ~1 km² drawn polygon over
// Nottingham city centre. Targets: ≤ 10 ms per query, ≥ 10× turf.pointsWithinPolygon (vitest prints the ratio).
const TOTAL = 1_000_000;
const available = realDataAvailable();
let sink = 0;

if (!available) {
  describe('points in a drawn polygon (needs shared data)', () => bench.skip('not run', () => {}));
} else {
  const lonLat = realPlusSynthetic(loadRealCrimes(), TOTAL);
  const index = createPointIndex(lonLat);
  const features = featureCollection(Array.from({ length: TOTAL }, (_, i) => point([lonLat[2 * i]!, lonLat[2 * i + 1]!])));
  const inside = pointsInPolygon(index, CITY_CENTRE_POLYGON).length;

  describe(`points in a ~1 km² polygon over ${TOTAL.toLocaleString('en-GB')} points (${inside.toLocaleString('en-GB')} inside)`, () => {
    bench('pointsInPolygon (kdbush box + banded ray casting)', () => {
      sink += pointsInPolygon(index, CITY_CENTRE_POLYGON).length;
    });
    bench(
      'turf.pointsWithinPolygon (baseline)',
      () => {
        sink += pointsWithinPolygon(features, CITY_CENTRE_POLYGON as any).features.length;
      },
      { iterations: 3, time: 0, warmupIterations: 1 },
    );
  });

  describe(`index ${TOTAL.toLocaleString('en-GB')} points (once per data load)`, () => {
    bench('createPointIndex', () => {
      sink += createPointIndex(lonLat).size;
    }, { iterations: 5, time: 0 });
  });
}

export { sink };
