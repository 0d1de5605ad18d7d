import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import type { AreaGeometry, BBox, Position } from '@safer-places/schemas';
import { createPolygonLocator, seededRandom, tessellate } from '../src/index';
import { expectGolden, readInput } from './golden';

type Poly = { code: string; geometry: AreaGeometry };

function naiveLocate(polygons: Poly[], x: number, y: number): string | null {
  for (const p of polygons) if (booleanPointInPolygon([x, y], p.geometry as any)) return p.code;
  return null;
}

function onAnyEdge(polygons: Poly[], x: number, y: number): boolean {
  for (const p of polygons) if (booleanPointInPolygon([x, y], p.geometry as any) !== booleanPointInPolygon([x, y], p.geometry as any, { ignoreBoundary: true })) return true;
  return false;
}

const fixture = readInput('polygon-locator', 'polygons').features.map((f: any) => ({ code: f.properties.code, geometry: f.geometry })) as Poly[];
const points = readInput('polygon-locator', 'points').features as { geometry: { coordinates: Position }; properties: { name: string } }[];

describe('createPolygonLocator', () => {
  const locator = createPolygonLocator(fixture);
  const at = (name: string) => {
    const [x, y] = points.find((p) => p.properties.name === name)!.geometry.coordinates;
    return locator.locate(x, y);
  };

  it('matches the golden placement', () => {
    expectGolden('polygon-locator', 'placed', {
      type: 'FeatureCollection',
      features: points.map((p) => ({ type: 'Feature', properties: { ...p.properties, code: locator.locate(...p.geometry.coordinates) }, geometry: p.geometry })),
    });
  });

  it('honours holes, multipolygons and overlaps', () => {
    expect(at('inside A')).toBe('A');
    expect(at('in the hole of A, inside B')).toBe('B');
    expect(at('second part of D')).toBe('D');
    expect(at('between D parts')).toBeNull();
    expect(at('D and E overlap (D listed first)')).toBe('D');
    expect(at('E only')).toBe('E');
    expect(at('outside everything')).toBeNull();
  });

  it('puts a point on a shared edge in exactly one polygon, deterministically', () => {
    expect(at('on the A|C shared edge')).toBe('C'); // the polygon to the right of a vertical edge
    expect(at('on the A|F shared horizontal edge')).toBe('F'); // the polygon above a horizontal edge
    expect(at('on the hole edge (A|B)')).toBe('B');
    expect(at('on the left edge of A')).toBe('A');
    expect(at('on the bottom edge of A')).toBe('A');
    // Reversing the input order does not change a boundary decision between non-overlapping polygons.
    const reversed = createPolygonLocator([...fixture].reverse());
    expect(reversed.locate(2, 1)).toBe('C');
    expect(reversed.locate(1, 2)).toBe('F');
  });

  it('agrees with a naive turf loop on 5,000 random points over a 700-cell tessellation', { timeout: 60_000 }, () => {
    const rng = seededRandom(11);
    const bbox: BBox = [-1.4, 52.85, -0.85, 53.25];
    const seeds: Position[] = Array.from({ length: 700 }, () => [-1.4 + rng.next() * 0.55, 52.85 + rng.next() * 0.4]);
    // Punch a hole into one cell and merge two cells into a multipolygon so those paths are exercised.
    const cells: Poly[] = tessellate(seeds, bbox).map((geometry, i) => ({ code: `L${i}`, geometry }));
    const l0 = cells[0]!.geometry.coordinates[0]! as Position[];
    const cx = seeds[0]![0], cy = seeds[0]![1];
    const hole: Position[] = [[cx - 1e-4, cy - 1e-4], [cx - 1e-4, cy + 1e-4], [cx + 1e-4, cy + 1e-4], [cx + 1e-4, cy - 1e-4], [cx - 1e-4, cy - 1e-4]];
    cells[0] = { code: 'L0', geometry: { type: 'Polygon', coordinates: [l0, hole] } };
    cells[1] = { code: 'L1', geometry: { type: 'MultiPolygon', coordinates: [cells[1]!.geometry.coordinates as Position[][], [hole]] } };
    const locator = createPolygonLocator(cells);
    let compared = 0;
    for (let i = 0; i < 5_000; i++) {
      // Mix points from the whole box with points just outside it.
      const x = -1.42 + rng.next() * 0.59;
      const y = 52.83 + rng.next() * 0.44;
      if (onAnyEdge(cells, x, y)) continue;
      expect(locator.locate(x, y)).toBe(naiveLocate(cells, x, y));
      compared++;
    }
    expect(compared).toBeGreaterThan(4_990);
    expect(locator.locate(cx, cy)).toBe('L1'); // inside the hole of L0, filled by L1's second part
  });

  it('places points on shared tessellation vertices and edges in exactly one cell', () => {
    const bbox: BBox = [0, 0, 1, 1];
    const rng = seededRandom(3);
    const seeds: Position[] = Array.from({ length: 50 }, () => [rng.next(), rng.next()]);
    const cells = tessellate(seeds, bbox).map((geometry, i) => ({ code: String(i), geometry }));
    const locator = createPolygonLocator(cells);
    for (const { geometry } of cells) {
      const ring = geometry.coordinates[0]!;
      for (let k = 0; k < ring.length - 1; k++) {
        const [x1, y1] = ring[k]!;
        const [x2, y2] = ring[k + 1]!;
        const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2];
        // Interior vertices and edge midpoints lie in some cell; points on the box's right/top edge do not.
        if (mx < 1 && my < 1) expect(locator.locate(mx, my)).not.toBeNull();
        if (x1 < 1 && y1 < 1) expect(locator.locate(x1, y1)).not.toBeNull();
      }
    }
  });

  it('returns null for no polygons and for non-finite input', () => {
    expect(createPolygonLocator([]).locate(0, 0)).toBeNull();
    expect(locator.locate(Number.NaN, 1)).toBeNull();
  });

  it('answers locateMany like locate, on the grouped path too, and says when `out` is too small', () => {
    const { polygons } = tessellated(400, 21);
    const locator = createPolygonLocator(polygons);
    const rng = seededRandom(5);
    const n = 60_000; // more than 4 points per bucket of top-level cells: the grouped path
    const xy = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      xy[2 * i] = -1.42 + rng.next() * 0.59;
      xy[2 * i + 1] = 52.83 + rng.next() * 0.44;
    }
    xy[0] = Number.NaN;
    xy[3] = Number.POSITIVE_INFINITY;
    const many = locator.locateMany(xy);
    for (let i = 0; i < n; i++) expect(many[i]).toBe(locator.locateIndex(xy[2 * i]!, xy[2 * i + 1]!));
    expect(many[0]).toBe(-1);
    expect(many[1]).toBe(-1);
    expect(locator.locateMany(xy.subarray(0, 20)).length).toBe(10);
    expect(() => locator.locateMany(xy, new Int32Array(10))).toThrow(RangeError);
    for (let i = 0; i < 100; i++) expect(locator.locate(xy[2 * i]!, xy[2 * i + 1]!)).toBe(many[i]! < 0 ? null : locator.codes[many[i]!]!);
  });
});

/** A tessellation of the county's box with holes (filled by other polygons), a multipolygon and an overlap. */
function tessellated(count: number, seed: number): { polygons: Poly[]; seeds: Position[] } {
  const rng = seededRandom(seed);
  const bbox: BBox = [-1.4, 52.85, -0.85, 53.25];
  const seeds: Position[] = Array.from({ length: count }, () => [-1.4 + rng.next() * 0.55, 52.85 + rng.next() * 0.4]);
  const polygons: Poly[] = tessellate(seeds, bbox).map((geometry, i) => ({ code: `L${i}`, geometry }));
  const square = (cx: number, cy: number, r: number): Position[] => [[cx - r, cy - r], [cx - r, cy + r], [cx + r, cy + r], [cx + r, cy - r], [cx - r, cy - r]];
  for (let k = 0; k < 6; k++) {
    const [cx, cy] = seeds[k]!;
    const hole = square(cx, cy, 2e-4);
    polygons[k] = { code: `L${k}`, geometry: { type: 'Polygon', coordinates: [polygons[k]!.geometry.coordinates[0] as Position[], hole] } };
    // The hole is filled by a later polygon's second part, or left empty.
    if (k % 2 === 0) polygons[10 + k] = { code: `L${10 + k}`, geometry: { type: 'MultiPolygon', coordinates: [polygons[10 + k]!.geometry.coordinates as Position[][], [hole]] } };
  }
  // An island overlapping two cells, listed last: where it overlaps, the earlier cells win.
  const [ix, iy] = seeds[20]!;
  polygons.push({ code: 'island', geometry: { type: 'Polygon', coordinates: [square(ix, iy, 0.01)] } });
  return { polygons, seeds };
}

describe('createPolygonLocator against Turf (property test)', () => {
  const { polygons, seeds } = tessellated(700, 17);
  const turfIn = (p: Poly, x: number, y: number, ignoreBoundary = false) => booleanPointInPolygon([x, y], p.geometry as any, { ignoreBoundary });

  it.each([
    { cellsPerPolygon: 8, maxDepth: 2 },
    { cellsPerPolygon: 1, maxDepth: 0 },
    { cellsPerPolygon: 2, maxDepth: 4 },
    { cellsPerPolygon: 8, maxDepth: 3, maxCells: 5_000 },
  ])('agrees with the first polygon Turf finds, for random points, points in holes and on edges and vertices (%o)', (options) => {
    const locator = createPolygonLocator(polygons, options);
    const rng = seededRandom(99);
    const check = (x: number, y: number, onEdge = false) => {
      const got = locator.locate(x, y);
      const strictly = polygons.find((p) => turfIn(p, x, y, true));
      const touching = polygons.filter((p) => turfIn(p, x, y));
      if (onEdge) {
        // A point computed on an edge lies on it only up to rounding: any polygon touching it or a neighbour 1e-9 away.
        const near = [[x, y], [x - 1e-9, y], [x + 1e-9, y], [x, y - 1e-9], [x, y + 1e-9]].map(([a, b]) => polygons.filter((p) => turfIn(p, a!, b!)).map((p) => p.code));
        if (got === null) expect(near.some((codes) => codes.length === 0)).toBe(true); // only on the outer boundary
        else expect(near.flat()).toContain(got);
      } else if (strictly && touching.length === 1) expect(got).toBe(strictly.code);
      else if (touching.length === 0) expect(got).toBeNull();
      else expect(touching.map((p) => p.code)).toContain(got); // on a boundary: one of the polygons it touches
    };
    // Random points over the box and just outside it.
    for (let i = 0; i < 1_500; i++) check(-1.42 + rng.next() * 0.59, 52.83 + rng.next() * 0.44);
    // Points in and around the holes.
    for (let k = 0; k < 6; k++) for (let j = 0; j < 20; j++) check(seeds[k]![0] + (rng.next() - 0.5) * 6e-4, seeds[k]![1] + (rng.next() - 0.5) * 6e-4);
    // Vertices and points along edges of a sample of polygons.
    for (let k = 0; k < polygons.length; k += 7) {
      for (const rings of polygons[k]!.geometry.type === 'Polygon' ? [polygons[k]!.geometry.coordinates] : polygons[k]!.geometry.coordinates) {
        for (const ring of rings as Position[][]) {
          for (let v = 0; v + 1 < ring.length; v++) {
            const [x1, y1] = ring[v]!;
            const [x2, y2] = ring[v + 1]!;
            const t = rng.next();
            check(x1, y1, true);
            check(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t, true);
          }
        }
      }
    }
  });

  it('gives the same answer whatever the lookup grid', () => {
    const a = createPolygonLocator(polygons);
    const b = createPolygonLocator(polygons, { cellsPerPolygon: 1, maxDepth: 0 });
    const c = createPolygonLocator(polygons, { cellsPerPolygon: 32, maxDepth: 3 });
    const rng = seededRandom(7);
    for (let i = 0; i < 20_000; i++) {
      const x = -1.42 + rng.next() * 0.59, y = 52.83 + rng.next() * 0.44;
      const want = b.locateIndex(x, y);
      expect(a.locateIndex(x, y)).toBe(want);
      expect(c.locateIndex(x, y)).toBe(want);
    }
    // Exactly on vertices, where the half-open rule decides.
    for (const p of polygons.slice(0, 200)) {
      for (const [x, y] of p.geometry.coordinates[0] as Position[]) expect(a.locateIndex(x, y)).toBe(b.locateIndex(x, y));
    }
  });
});

