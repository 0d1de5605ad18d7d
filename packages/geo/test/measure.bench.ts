import { bench, describe } from 'vitest';
import * as turf from '@turf/turf';
import type { Position } from '@safer-places/schemas';
import {
  areaSquareMetres,
  cameraViewAt,
  circlePolygon,
  coveredAmong,
  coveredPoints,
  createPointIndex,
  distanceMetres,
  lonLatToBng,
  seededRandom,
  toBng,
} from '../src/index';

// The one model (British National Grid metres) against Turf's sphere. BNG costs a proj4 projection per position
// (~1 µs), where Turf's haversine is a few trigonometric calls; the planner projects every crime once and then measures
// with Math.hypot, which is the cheapest of the three.
const rng = seededRandom(11);
const N = 10_000;
const a: Position[] = [];
const b: Position[] = [];
for (let i = 0; i < N; i++) {
  a.push([-1.35 + rng.next() * 0.7, 52.78 + rng.next() * 0.73]);
  b.push([-1.35 + rng.next() * 0.7, 52.78 + rng.next() * 0.73]);
}
const axy = a.map((p) => lonLatToBng(p[0], p[1]));
const bxy = b.map((p) => lonLatToBng(p[0], p[1]));
let sink = 0;

describe(`${N.toLocaleString('en-GB')} distances between lon/lat points`, () => {
  bench('distanceMetres (BNG: project both, then hypot)', () => {
    for (let i = 0; i < N; i++) sink += distanceMetres(a[i]!, b[i]!);
  });
  bench('turf.distance (haversine on the mean sphere, baseline)', () => {
    for (let i = 0; i < N; i++) sink += turf.distance(a[i]!, b[i]!, { units: 'meters' });
  });
  bench('hypot on points already projected to BNG (the planner)', () => {
    for (let i = 0; i < N; i++) sink += Math.hypot(bxy[i]![0] - axy[i]![0], bxy[i]![1] - axy[i]![1]);
  });
});

// A drawn area of 1,000 vertices (a freehand outline of a town centre).
const outline = circlePolygon([-1.15, 52.95], 1500, 1000);
describe('area of a 1,000-vertex drawn area', () => {
  bench('areaSquareMetres (BNG shoelace)', () => {
    sink += areaSquareMetres(outline);
  });
  bench('turf.area (sphere, baseline)', () => {
    sink += turf.area(turf.feature(outline));
  });
});

// The area panel's "crimes covered": 20,000 selected crimes of a 100,000-crime dataset and 60 cameras. coveredAmong
// projects only the crimes near a camera; the baseline projects every selected crime and calls coveredPoints.
const M = 100_000;
const all = new Float64Array(2 * M);
for (let i = 0; i < M; i++) {
  all[2 * i] = -1.25 + rng.next() * 0.25;
  all[2 * i + 1] = 52.9 + rng.next() * 0.12;
}
const index = createPointIndex(all);
const members = Array.from({ length: 20_000 }, (_, k) => 5 * k);
const cameras = Array.from({ length: 60 }, () => cameraViewAt([-1.25 + rng.next() * 0.25, 52.9 + rng.next() * 0.12], rng.pick([30, 75, 100, 150])));
describe('crimes covered: 20,000 selected crimes, 60 cameras', () => {
  bench('coveredAmong (project only the crimes near a camera)', () => {
    sink += coveredAmong(index, members, cameras)[0]!;
  });
  bench('toBng of every selected crime + coveredPoints (baseline)', () => {
    const lonLat = Float64Array.from(members.flatMap((i) => [all[2 * i]!, all[2 * i + 1]!]));
    sink += coveredPoints(toBng(lonLat), cameras)[0]!;
  });
});

export { sink };
