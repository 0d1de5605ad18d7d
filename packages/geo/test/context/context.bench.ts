import { bench, describe } from 'vitest';
import { featureCollection, polygonToLine, union } from '@turf/turf';
import { boundaryLines, buildContextLayer, type ContextLsoa } from '../../src/index';
import { contextDataAvailable, englandContextLsoas, nottinghamshireContextLsoas } from './context-data';

/*
 * Boundary lines by hashed edges against the naive way: a Turf union of each group's polygons, turned into lines
 * (which also draws every shared boundary twice). Same data, same run.
 *   Nottinghamshire: 684 LSOAs into 187 wards and 8 districts.
 *   England: every tenth district (by name) of the 33,755 LSOAs for the head-to-head (the naive way takes ~40 s for all
 *   of England), then the whole country with the hashed edges alone, and the whole context layer (labels too).
 */
const available = contextDataAvailable();
const notts = available ? nottinghamshireContextLsoas() : [];
const england = available ? englandContextLsoas() : [];
const districts = [...new Set(england.map((l) => l.districtCode))].sort();
const sample = new Set(districts.filter((_, i) => i % 10 === 0));
const englandSample = england.filter((l) => sample.has(l.districtCode));
let sink = 0;

function naive(lsoas: readonly ContextLsoa[], keyOf: (l: ContextLsoa) => string) {
  const groups = new Map<string, ContextLsoa[]>();
  for (const l of lsoas) (groups.get(keyOf(l)) ?? groups.set(keyOf(l), []).get(keyOf(l))!).push(l);
  for (const members of groups.values()) {
    const features = members.map((m) => ({ type: 'Feature' as const, properties: {}, geometry: m.geometry as never }));
    const merged = features.length > 1 ? union(featureCollection(features)) : features[0]!;
    if (merged) sink += JSON.stringify(polygonToLine(merged as never)).length > 0 ? 1 : 0;
  }
}

describe.runIf(available)(`Nottinghamshire: ward and district boundaries of ${notts.length} LSOAs`, () => {
  bench('boundaryLines (hashed edges, noded at 1 m)', () => {
    sink += boundaryLines(notts.map((l) => ({ geometry: l.geometry, keys: [l.districtCode, l.wardName] })), { snapM: 1 }).levels.length;
  });
  bench('turf.union per ward and per district, then polygonToLine (baseline)', () => {
    naive(notts, (l) => l.districtCode);
    naive(notts, (l) => `${l.districtCode}|${l.wardName}`);
  }, { iterations: 3, warmupIterations: 0, time: 0 });
});

describe.runIf(available)(`England sample: district boundaries of ${englandSample.length} LSOAs in ${sample.size} districts`, () => {
  bench('boundaryLines (hashed edges, noded at 1 m)', () => {
    sink += boundaryLines(englandSample.map((l) => ({ geometry: l.geometry, keys: [l.districtCode] })), { snapM: 1 }).levels.length;
  });
  bench('turf.union per district, then polygonToLine (baseline)', () => naive(englandSample, (l) => l.districtCode), { iterations: 2, warmupIterations: 0, time: 0 });
});

describe.runIf(available)(`England: all ${england.length} LSOAs`, () => {
  bench('boundaryLines, district boundaries and outline (hashed edges, noded at 1 m)', () => {
    sink += boundaryLines(england.map((l) => ({ geometry: l.geometry, keys: [l.districtCode] })), { snapM: 1 }).levels.length;
  }, { iterations: 3, warmupIterations: 1, time: 0 });
  bench('buildContextLayer (lines and every label)', () => {
    sink += buildContextLayer(england).placeLabels.length;
  }, { iterations: 3, warmupIterations: 1, time: 0 });
});

export { sink };
