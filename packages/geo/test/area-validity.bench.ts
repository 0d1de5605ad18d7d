import { afterAll, bench, describe } from 'vitest';
import { booleanValid } from '@turf/turf';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import { findAreaProblem, findSelfIntersection } from '../src/index';
import { findAreaProblemUnindexed } from '../src/area-validity';
import { lsoaLikeLayer } from './fixtures';

/**
 * Full validity check of drawn areas at the 5,000-vertex limit, all valid (the worst case: nothing stops the search
 * early). Baseline: the same checks with no index (every pair of edges), which must give the same answers; and
 * findSelfIntersection (the same engine, crossings only) and turf.booleanValid (not a real check) for reference.
 */
const N = 5000;
const deg = (x: number, y: number): Position => [-1.2 + x, 52.9 + y];

// A freehand outline: short edges along a wavy circle.
const outline: Position[] = [];
for (let i = 0; i < N; i++) {
  const a = (i / N) * 2 * Math.PI;
  const r = 0.01 * (1 + 0.1 * Math.sin(7 * a) + 0.03 * Math.sin(31 * a));
  outline.push(deg(r * Math.cos(a), r * Math.sin(a)));
}
outline.push(outline[0]!);

// A spiky star: every edge is radial, so each edge's box overlaps ~300 others (the stress case).
const starRing: Position[] = [];
for (let i = 0; i < N; i++) {
  const a = (i / N) * 2 * Math.PI;
  const r = i % 2 ? 0.01 : 0.008;
  starRing.push(deg(r * Math.cos(a), r * Math.sin(a)));
}
starRing.push(starRing[0]!);

// A comb with 1,250 long horizontal teeth: every long edge spans nearly the whole width, which defeats an x-sweep.
const comb: Position[] = [deg(0, 0)];
const W = 0.02, H = 0.00001, TEETH = N / 4;
for (let k = 0; k < TEETH; k++) comb.push(deg(W, 2 * k * H), deg(W, (2 * k + 1) * H), deg(0.001, (2 * k + 1) * H), deg(0.001, (2 * k + 2) * H));
comb.splice(comb.length - 1, 1, deg(0, (2 * TEETH - 1) * H));
comb.push(comb[0]!);

// An outer ring with 999 square holes, and the same squares as 999 parts.
const square = (x: number, y: number, w: number, clockwise: boolean): Position[] => {
  const r = [deg(x, y), deg(x + w, y), deg(x + w, y + w), deg(x, y + w), deg(x, y)];
  return clockwise ? r.reverse() : r;
};
const cells: [number, number][] = [];
for (let i = 0; i < 33; i++) for (let j = 0; j < 31; j++) if (cells.length < 999) cells.push([i, j]);
const withHoles: AreaGeometry = { type: 'Polygon', coordinates: [square(0, 0, 0.034, false), ...cells.map(([i, j]) => square(0.001 * i + 0.0002, 0.001 * j + 0.0002, 0.0006, true))] };
const manyParts: AreaGeometry = { type: 'MultiPolygon', coordinates: cells.map(([i, j]) => [square(0.001 * i, 0.001 * j, 0.0006, false)]) };

const fixtures: [string, AreaGeometry][] = [
  ['5,000-vertex freehand outline', { type: 'Polygon', coordinates: [outline] }],
  ['5,000-vertex spiky star', { type: 'Polygon', coordinates: [starRing] }],
  ['5,000-vertex comb (long edges)', { type: 'Polygon', coordinates: [comb] }],
  ['outer ring + 999 holes (5,000 vertices)', withHoles],
  ['999 parts (4,995 vertices)', manyParts],
];
const lsoas = lsoaLikeLayer().polygons;

for (const [name, g] of fixtures) {
  if (findAreaProblem(g) !== null || findAreaProblemUnindexed(g) !== null) throw new Error(`bench fixture ${name} should be valid: ${findAreaProblem(g)?.message}`);
}

type Method = 'indexed' | 'naive' | 'sweep' | 'turf';
const timings = new Map<string, Record<Method, number[]>>();
const timed = (fixture: string, method: Method, fn: () => unknown) => () => {
  const t = performance.now();
  if (fn() === 'never') sink++;
  const row = timings.get(fixture) ?? { indexed: [], naive: [], sweep: [], turf: [] };
  timings.set(fixture, row);
  row[method].push(performance.now() - t);
};
let sink = 0;

afterAll(() => {
  const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
  const lines = [...timings].map(([fixture, t]) => {
    const i = median(t.indexed), n = median(t.naive), s = median(t.sweep), b = median(t.turf);
    return (
      `\n  ${fixture}: findAreaProblem median ${i.toFixed(2)} ms; naive all-pairs baseline ${n.toFixed(1)} ms — ratio ${(n / i).toFixed(1)}×` +
      (Number.isNaN(s) ? '' : `; findSelfIntersection (crossings only) ${s.toFixed(2)} ms`) +
      (Number.isNaN(b) ? '' : `; turf.booleanValid (not a real check) ${b.toFixed(1)} ms`)
    );
  });
  console.log(`\nvalidity check of drawn areas (same answers from both):${lines.join('')}\n`);
});

for (const [name, g] of fixtures) {
  describe(`validate: ${name}`, () => {
    bench('findAreaProblem (R-tree over edges)', timed(name, 'indexed', () => findAreaProblem(g)), { time: 1_000 });
    bench('naive baseline: same checks, all pairs', timed(name, 'naive', () => findAreaProblemUnindexed(g)), { iterations: 3, time: 0 });
    bench('findSelfIntersection (crossings only)', timed(name, 'sweep', () => findSelfIntersection(g)), { iterations: 3, time: 0 });
    if (name.includes('star')) bench('turf.booleanValid', timed(name, 'turf', () => booleanValid(g as any)), { iterations: 3, time: 0 });
  });
}

describe(`validate ${lsoas.length} LSOA-like polygons (~12 vertices)`, () => {
  const name = `${lsoas.length} LSOA-like polygons`;
  bench('findAreaProblem', timed(name, 'indexed', () => lsoas.forEach((p) => findAreaProblem(p.geometry))));
  bench('naive baseline', timed(name, 'naive', () => lsoas.forEach((p) => findAreaProblemUnindexed(p.geometry))));
  bench('findSelfIntersection', timed(name, 'sweep', () => lsoas.forEach((p) => findSelfIntersection(p.geometry))));
});

export { sink };
