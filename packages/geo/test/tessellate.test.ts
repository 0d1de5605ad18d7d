import { describe, expect, it } from 'vitest';
import type { BBox, PolygonGeometry, Position } from '@safer-places/schemas';
import { createPolygonLocator, findSelfIntersection, seededRandom, tessellate } from '../src/index';
import { expectGolden, readInput } from './golden';

function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a / 2;
}

function checkTiling(seeds: Position[], bbox: BBox, cells: PolygonGeometry[]) {
  expect(cells).toHaveLength(seeds.length);
  let total = 0;
  for (const cell of cells) {
    const ring = cell.coordinates[0]!;
    expect(ring.length).toBeGreaterThanOrEqual(4);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(findSelfIntersection(cell)).toBeNull();
    const a = signedArea(ring);
    expect(a).toBeGreaterThan(0); // counter-clockwise
    total += a;
    for (const [x, y] of ring) {
      expect(x).toBeGreaterThanOrEqual(bbox[0]);
      expect(x).toBeLessThanOrEqual(bbox[2]);
      expect(y).toBeGreaterThanOrEqual(bbox[1]);
      expect(y).toBeLessThanOrEqual(bbox[3]);
      // Vertices on the box border lie exactly on it (d3 leaves float noise such as 1e-17 there).
      for (const [v, edge] of [[x, bbox[0]], [x, bbox[2]], [y, bbox[1]], [y, bbox[3]]] as const) {
        if (Math.abs(v - edge) < 1e-9) expect(v).toBe(edge);
      }
    }
  }
  // Cells cover the box with no gaps or overlaps.
  expect(total).toBeCloseTo((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]), 10);
  // Each seed lies in its own cell (cells are returned in seed order).
  const locator = createPolygonLocator(cells.map((geometry, i) => ({ code: String(i), geometry })));
  seeds.forEach(([x, y], i) => expect(locator.locate(x, y)).toBe(String(i)));
}

describe('tessellate', () => {
  it('matches the golden cells', () => {
    const input = readInput('tessellate', 'seeds');
    const seeds: Position[] = input.features.map((f: any) => f.geometry.coordinates);
    const cells = tessellate(seeds, input.bbox);
    checkTiling(seeds, input.bbox, cells);
    expectGolden('tessellate', 'cells', {
      type: 'FeatureCollection',
      features: cells.map((geometry, seed) => ({ type: 'Feature', properties: { seed }, geometry })),
    });
  });

  it('tiles a box with 500 random seeds', () => {
    const rng = seededRandom(5);
    const bbox: BBox = [-1.4, 52.85, -0.85, 53.25];
    const seeds: Position[] = Array.from({ length: 500 }, () => [-1.4 + rng.next() * 0.55, 52.85 + rng.next() * 0.4]);
    checkTiling(seeds, bbox, tessellate(seeds, bbox));
  });

  it('splits two seeds along their bisector', () => {
    const cells = tessellate([[1, 1], [3, 1]], [0, 0, 4, 2]);
    expect(cells[0]!.coordinates[0]!).toHaveLength(5);
    expect(new Set(cells[0]!.coordinates[0]!.map((p) => p.join(',')))).toEqual(new Set(['0,0', '2,0', '2,2', '0,2']));
    expect(Math.max(...cells[1]!.coordinates[0]!.map((p) => p[0]))).toBe(4);
    expect(Math.min(...cells[1]!.coordinates[0]!.map((p) => p[0]))).toBe(2);
  });

  it('rejects repeated seeds and seeds outside the box', () => {
    expect(() => tessellate([[1, 1], [1, 1]], [0, 0, 2, 2])).toThrow(/repeats/);
    expect(() => tessellate([[3, 1]], [0, 0, 2, 2])).toThrow(/outside/);
    expect(tessellate([], [0, 0, 1, 1])).toEqual([]);
  });
});
