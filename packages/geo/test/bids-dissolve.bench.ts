import { bench, describe } from 'vitest';
import { dissolvePolygons, unionAreas } from '../src/index';
import { boundariesAvailable, nottinghamshireLsoas } from './bids-real-data';

/** Target-area outline of real LSOAs: edge cancellation (with vertex snapping) against Turf's clipping union. */
const available = boundariesAvailable();
const lsoas = available ? nottinghamshireLsoas() : [];
const city = lsoas.filter((l) => l.district === 'E06000018').map((l) => l.geometry);
const thirty = city.slice(0, 30);
let sink = 0;

describe.runIf(available)(`dissolve ${thirty.length} Nottingham LSOAs`, () => {
  bench('dissolvePolygons', () => {
    sink += dissolvePolygons(thirty).geometry ? 1 : 0;
  });
  bench('baseline: unionAreas (turf.union)', () => {
    sink += unionAreas(thirty) ? 1 : 0;
  });
});

describe.runIf(available)(`dissolve all ${city.length} Nottingham (city) LSOAs`, () => {
  bench('dissolvePolygons', () => {
    sink += dissolvePolygons(city).geometry ? 1 : 0;
  });
  bench('baseline: unionAreas (turf.union)', () => {
    sink += unionAreas(city) ? 1 : 0;
  }, { iterations: 5 });
});

export { sink };
