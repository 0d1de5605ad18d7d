import { describe, expect, it } from 'vitest';
import { booleanValid } from '@turf/turf';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import { findAreaProblem, findSelfIntersection } from '../src/index';
import { findAreaProblemUnindexed } from '../src/area-validity';
import { generatedAreaCases, handMadeAreaCases } from './area-validity-fixtures';
import { expectGolden } from './golden';

// The independent oracle (jsts IsValidOp) runs in test/security/geojson.corpus.test.ts over these same fixtures: the
// geo package does not depend on jsts, and the only copy it could reach here is an old one hoisted for turf.
const handMade = handMadeAreaCases();
const generated = generatedAreaCases();
const byName = (name: string) => handMade.find((c) => c.name === name)!.geometry;

const asFeatures = (cases: { name: string; geometry: AreaGeometry }[], withMessage: boolean) => ({
  type: 'FeatureCollection',
  features: cases.map((c) => {
    const p = findAreaProblem(c.geometry);
    return {
      type: 'Feature',
      properties: { name: c.name, valid: p === null, ...(p && { kind: p.kind, ...(withMessage && { message: p.message }) }) },
      geometry: p?.point ? { type: 'Point', coordinates: p.point } : null,
    };
  }),
});

describe('findAreaProblem', () => {
  it('matches the golden results for the hand-made cases', () => {
    expectGolden('area-validity', 'results', asFeatures(handMade, true));
  });

  it('matches the golden verdicts for the generated cases', () => {
    expect(generated.length).toBeGreaterThanOrEqual(300);
    expectGolden('area-validity', 'generated', asFeatures(generated, false));
  });

  it.each(handMade.map((c) => [c.name, c.expect ?? null] as const))('%s → %s', (name, kind) => {
    expect(findAreaProblem(byName(name))?.kind ?? null).toBe(kind);
  });

  it.each([
    ['bowtie', [1, 1], /^edges of the outer ring cross each other at \[1\.000000, 1\.000000\] \(the edge from coordinates\[0\]\[0\] and the edge from coordinates\[0\]\[2\]\)$/],
    ['hole-crosses-shell', [10, 4], /^the outer ring and hole 1 cross each other at \[10\.000000, 4\.000000\] \(the edge from coordinates\[0\]\[1\] and the edge from coordinates\[1\]\[0\]\)$/],
    ['spike', [4, 4], /^edges of the outer ring touch at \[4\.000000, 4\.000000\]/],
    ['hole-shares-shell-edge', [0, 2], /^the outer ring and hole 1 run along each other from \[0\.000000, 2\.000000\]/],
    ['hole-outside-shell', [20, 20], /^hole 1 lies outside the outer ring \(coordinates\[1\]\[0\], at \[20\.000000, 20\.000000\] is outside it\)$/],
    ['hole-leaves-through-shell-vertices', [3, 4], /^hole 1 runs outside the outer ring \(the edge from coordinates\[1\]\[2\], at \[3\.000000, 4\.000000\] is outside it\)$/],
    ['hole-inside-hole', [4, 4], /^hole 2 lies inside hole 1 \(coordinates\[2\]\[0\], at \[4\.000000, 4\.000000\] is inside it\)$/],
    ['holes-overlap-through-vertices', [4, 5], /^hole 2 and hole 1 overlap \(the edge from coordinates\[2\]\[3\], at \[4\.000000, 5\.000000\] is inside hole 1\)$/],
    ['hole-touches-shell-twice', [0, 2], /^hole 1 touches the outer ring at \[0\.000000, 2\.000000\], closing a loop of touching rings that cuts the polygon into separate pieces$/],
    ['hole-chain-cuts-interior', [4, 5], /^hole 2 touches hole 1 at \[4\.000000, 5\.000000\], closing a loop/],
    ['multipolygon-overlapping', [2, 1], /^parts 1 and 2 of the MultiPolygon overlap: their edges cross each other at \[2\.000000, 1\.000000\] \(the edge from coordinates\[0\]\[0\]\[1\]/],
    ['multipolygon-nested', [2, 2], /^part 2 of the MultiPolygon lies inside part 1 \(coordinates\[1\]\[0\]\[0\], at \[2\.000000, 2\.000000\] is inside part 1\)$/],
    ['multipolygon-shared-edge', [1, 0], /^parts 1 and 2 of the MultiPolygon overlap: their edges run along each other from \[1\.000000, 0\.000000\]/],
    ['multipolygon-second-part-bowtie', [4, 1], /^edges of the outer ring of part 2 cross each other at \[4\.000000, 1\.000000\]/],
    ['only-repeated-positions', [1, 1], /^the outer ring has fewer than 3 different corners \(repeated positions count once\)$/],
    ['zero-area-line', [0, 0], /^the outer ring encloses no area: all its positions lie on one straight line$/],
    ['unclosed-ring', [0, 0], /^the outer ring is not closed: its last position \(coordinates\[0\]\[3\]\) must repeat its first, \[0\.000000, 0\.000000\]$/],
  ] as [string, Position, RegExp][])('says what is wrong with %s and where', (name, point, message) => {
    const p = findAreaProblem(byName(name))!;
    expect(p.point).toEqual(point);
    expect(p.message).toMatch(message);
  });

  it('names the empty part of a geometry', () => {
    expect(findAreaProblem(byName('empty-polygon'))).toEqual({ kind: 'empty', point: null, message: 'coordinates is empty: a polygon needs at least one ring' });
    expect(findAreaProblem(byName('empty-ring'))?.message).toBe('coordinates[0] is empty: a ring needs at least one position');
    expect(findAreaProblem({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], []] })?.message).toBe('coordinates[1] is empty: a polygon needs at least one ring');
  });

  it('gives the same answer with and without its indexes, on every fixture', () => {
    for (const c of [...handMade, ...generated]) expect(findAreaProblem(c.geometry), c.name).toEqual(findAreaProblemUnindexed(c.geometry));
  });

  it('refuses everything findSelfIntersection refuses', () => {
    for (const c of [...handMade, ...generated]) {
      if (findAreaProblem(c.geometry)?.kind === 'not-closed' || findAreaProblem(c.geometry)?.kind === 'empty') continue;
      if (findSelfIntersection(c.geometry)) expect(findAreaProblem(c.geometry), c.name).not.toBeNull();
    }
  });

  it('is stricter than turf.booleanValid, which accepts a bowtie, a hole outside its shell and a longitude of 500', () => {
    for (const name of ['bowtie', 'hole-outside-shell', 'multipolygon-nested', 'hole-chain-cuts-interior']) {
      expect(booleanValid(byName(name) as any), name).toBe(true);
      expect(findAreaProblem(byName(name)), name).not.toBeNull();
    }
    expect(booleanValid({ type: 'Polygon', coordinates: [[[500, 95], [501, 95], [501, 96], [500, 95]]] } as any)).toBe(true);
  });

  it('finds one moved vertex among 5,000 and reports the first crossing in ring order', () => {
    const ring: Position[] = [];
    for (let i = 0; i < 5000; i++) {
      const a = (i / 5000) * 2 * Math.PI;
      const r = i % 2 ? 0.01 : 0.008;
      ring.push([-1.15 + r * Math.cos(a), 52.95 + r * Math.sin(a)]);
    }
    ring.push(ring[0]!);
    expect(findAreaProblem({ type: 'Polygon', coordinates: [ring] })).toBeNull();
    const broken = ring.map((p) => [...p] as Position);
    broken[1250] = [-1.15, 52.93]; // from the top of the star to below its bottom
    const p = findAreaProblem({ type: 'Polygon', coordinates: [broken] })!;
    expect(p.kind).toBe('self-intersection');
    expect(p.message).toMatch(/^edges of the outer ring cross each other at .* \(the edge from coordinates\[0\]\[1249\] and the edge from coordinates\[0\]\[\d+\]\)$/);
    expect(p).toEqual(findAreaProblemUnindexed({ type: 'Polygon', coordinates: [broken] }));
  });

  it('checks many holes and parts against each other', () => {
    const square = (x: number, y: number, w: number): Position[] => [[x, y], [x, y + w], [x + w, y + w], [x + w, y], [x, y]];
    const holes: Position[][] = [];
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) holes.push(square(i * 5 + 1, j * 5 + 1, 3));
    const shell: Position[] = [[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]];
    expect(findAreaProblem({ type: 'Polygon', coordinates: [shell, ...holes] })).toBeNull();
    const nested = [...holes, square(5 * 7 + 2, 5 * 9 + 2, 1)];
    expect(findAreaProblem({ type: 'Polygon', coordinates: [shell, ...nested] })).toMatchObject({ kind: 'holes-overlap', message: expect.stringMatching(/^hole 401 lies inside hole 150 \(coordinates\[401\]\[0\]/) });

    const parts = holes.map((h) => [[...h].reverse()]);
    expect(findAreaProblem({ type: 'MultiPolygon', coordinates: parts })).toBeNull();
    parts.push([square(5 * 19 + 1.5, 5 * 19 + 1.5, 1).reverse()]);
    expect(findAreaProblem({ type: 'MultiPolygon', coordinates: parts })?.message).toMatch(/^part 401 of the MultiPolygon lies inside part 400/);
  });
});
