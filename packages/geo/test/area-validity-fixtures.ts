import type { AreaGeometry, Position } from '@safer-places/schemas';
import { seededRandom, type SeededRandom } from '../src/index';
import { readInput } from './golden';

/**
 * Fixtures for findAreaProblem: the hand-made cases (test/in/area-validity/cases.geojson, each with the problem kind
 * it should get, or null) and a seeded generator of many more. Shared with the security suite, which checks every
 * verdict against jsts IsValidOp as an independent oracle.
 */
export interface AreaCase {
  name: string;
  geometry: AreaGeometry;
  /** Hand-made cases only: the expected kind, or null for valid. */
  expect?: string | null;
}

export function handMadeAreaCases(): AreaCase[] {
  const fc = readInput<{ features: { geometry: AreaGeometry; properties: { name: string; expect: string | null } }[] }>('area-validity', 'cases');
  return fc.features.map((f) => ({ name: f.properties.name, geometry: f.geometry, expect: f.properties.expect }));
}

// Positions on a 1/256° grid near Nottingham: dyadic, so every orientation test is exact and touching points really
// touch, as they do when a drawing tool snaps to a vertex.
const LON0 = -1.25;
const LAT0 = 52.875;
const U = 1 / 256;
const at = (i: number, j: number): Position => [LON0 + i * U, LAT0 + j * U];
const close = (ring: Position[]): Position[] => [...ring, ring[0]!];

function rect(i: number, j: number, w: number, h: number): Position[] {
  return close([at(i, j), at(i + w, j), at(i + w, j + h), at(i, j + h)]);
}

/** A star-shaped ring: vertices at increasing angles, radii rounded to the grid (rounding may break it, on purpose). */
function star(rng: SeededRandom, ci: number, cj: number, m: number, rMin: number, rMax: number): Position[] {
  const ring: Position[] = [];
  const angles = Array.from({ length: m }, () => rng.next() * 2 * Math.PI).sort((a, b) => a - b);
  for (const a of angles) {
    const r = rMin + rng.next() * (rMax - rMin);
    ring.push(at(ci + Math.round(r * Math.cos(a)), cj + Math.round(r * Math.sin(a))));
  }
  return close(ring);
}

/** A small shape whose corners sit on a coarse grid, so shapes often touch, share corners or overlap. */
function blob(rng: SeededRandom, step: number, span: number): Position[] {
  const i = rng.int(0, span) * step, j = rng.int(0, span) * step;
  const w = rng.int(1, 3) * step, h = rng.int(1, 3) * step;
  switch (rng.int(0, 2)) {
    case 0:
      return rect(i, j, w, h);
    case 1:
      return close([at(i, j), at(i + w, j), at(i + rng.int(0, 2) * step, j + h)]);
    default:
      return close([at(i + w / 2, j), at(i + w, j + h / 2), at(i + w / 2, j + h), at(i, j + h / 2)]);
  }
}

/** About `perFamily` × 6 cases; the same every run for a given seed. */
export function generatedAreaCases(perFamily = 60, seed = 7946): AreaCase[] {
  const rng = seededRandom(seed);
  const cases: AreaCase[] = [];
  const polygon = (name: string, rings: Position[][]) => cases.push({ name, geometry: { type: 'Polygon', coordinates: rings } });

  for (let k = 0; k < perFamily; k++) {
    // Random closed walks on a 5×5 grid: spikes, pinches, overlaps, crossings, zero area, now and then a valid one.
    const ring: Position[] = [];
    for (let v = rng.int(3, 7); v > 0; v--) ring.push(at(rng.int(0, 4) * 4, rng.int(0, 4) * 4));
    polygon(`walk-${k}`, [close(ring)]);
  }
  for (let k = 0; k < perFamily; k++) polygon(`star-${k}`, [star(rng, 0, 0, rng.int(5, 40), 6, 40)]);
  for (let k = 0; k < perFamily; k++) {
    // A star with one vertex dragged somewhere else, as a careless edit would.
    const ring = star(rng, 0, 0, rng.int(6, 30), 10, 40);
    const v = rng.int(1, ring.length - 2);
    ring[v] = at(rng.int(-40, 40), rng.int(-40, 40));
    polygon(`dragged-${k}`, [ring]);
  }
  for (let k = 0; k < perFamily; k++) {
    // An outer rectangle on the coarse grid with 1–4 holes that may sit inside, outside, across, on or in each other.
    const shell = rect(0, 0, rng.int(3, 6) * 4, rng.int(3, 6) * 4);
    const holes = Array.from({ length: rng.int(1, 4) }, () => blob(rng, 2, 8).reverse());
    if (k % 4 === 0) {
      // A hole in a hole: strictly inside, on its edge, or in its corner.
      const i = rng.int(1, 3) * 2, j = rng.int(1, 3) * 2;
      holes.splice(0, holes.length, rect(i, j, 8, 8).reverse(), rect(i + rng.int(0, 3) * 2, j + rng.int(0, 3) * 2, 2, 2).reverse());
    }
    polygon(`holes-${k}`, [shell, ...holes]);
  }
  for (let k = 0; k < perFamily; k++) {
    // Holes made of diamonds and triangles whose corners land on the shell and on each other: touching chains.
    const size = 12;
    const shell = rect(0, 0, size, size);
    const holes: Position[][] = [];
    for (let h = rng.int(1, 4); h > 0; h--) {
      const i = rng.int(0, 4) * 3, j = rng.int(0, 4) * 3;
      holes.push(close([at(i, j + 1), at(i + 3, j), at(i + rng.int(1, 3), j + 3)].reverse()));
    }
    polygon(`touching-holes-${k}`, [shell, ...holes]);
  }
  for (let k = 0; k < perFamily; k++) {
    // 2–4 parts on the coarse grid: apart, touching, sharing an edge, overlapping, nested, or an island in a hole.
    const parts: Position[][][] = [];
    for (let p = rng.int(2, 4); p > 0; p--) {
      if (rng.next() < 0.25) {
        const i = rng.int(0, 3) * 4, j = rng.int(0, 3) * 4;
        parts.push([rect(i, j, 12, 12), rect(i + 4, j + 4, 4, 4).reverse()]);
      } else parts.push([blob(rng, 4, 5)]);
    }
    cases.push({ name: `multi-${k}`, geometry: { type: 'MultiPolygon', coordinates: parts } });
  }
  return cases;
}
