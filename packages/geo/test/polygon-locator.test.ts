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
});
