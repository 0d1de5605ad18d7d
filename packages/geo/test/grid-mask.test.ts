import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import type { AreaGeometry } from '@safer-places/schemas';
import {
  areasExtent,
  cellCentre,
  cellCount,
  cellsToGeoJSON,
  createGrid,
  gridMask,
  maskSize,
  populationGrid,
  polygonRingsToBng,
  toBng,
  type Grid,
} from '../src/index';
import { expectGolden, readInput } from './golden';

const areas = readInput('grid-mask', 'areas').features as { properties: { name: string; population: number }; geometry: AreaGeometry }[];
const lonLatBox = Float64Array.of(-1.2, 52.92, -1.09, 52.98);
const [x0, y0, x1, y1] = toBng(lonLatBox);
const extent = [Math.min(x0!, x1!), Math.min(y0!, y1!), Math.max(x0!, x1!), Math.max(y0!, y1!)] as [number, number, number, number];

/** Reference: turf's point-in-polygon on the polygon projected to BNG, at every cell centre. */
function referenceMask(grid: Grid, geometry: AreaGeometry): Uint8Array {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const projected = polys.map((rings) => polygonRingsToBng(rings).map((r) => Array.from({ length: r.length / 2 }, (_, k) => [r[2 * k]!, r[2 * k + 1]!])));
  const mask = new Uint8Array(cellCount(grid));
  for (let c = 0; c < mask.length; c++) {
    const p = cellCentre(grid, c);
    if (projected.some((rings) => booleanPointInPolygon(p, { type: 'Polygon', coordinates: rings }))) mask[c] = 1;
  }
  return mask;
}

describe('gridMask', () => {
  it('marks exactly the cells whose centre is inside (holes and multipolygons included), square and hex', () => {
    for (const shape of ['square', 'hex'] as const) {
      for (const cellSize of [50, 130]) {
        const grid = createGrid(extent, { shape, cellSize });
        for (const a of areas) {
          const mask = gridMask(grid, a.geometry);
          expect(mask).toEqual(referenceMask(grid, a.geometry));
        }
        // A list of areas is their union.
        const all = gridMask(grid, areas.map((a) => a.geometry));
        const union = areas.map((a) => referenceMask(grid, a.geometry));
        for (let c = 0; c < all.length; c++) expect(all[c]).toBe(union.some((m) => m[c]) ? 1 : 0);
      }
    }
  });

  it('derives a grid extent from the areas that covers every masked cell', () => {
    const ext = areasExtent(areas.map((a) => a.geometry));
    const vertices = toBng(Float64Array.from(areas.flatMap((a) => (a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates).flatMap((p) => p[0]!.flat()))));
    const xs = vertices.filter((_, i) => i % 2 === 0), ys = vertices.filter((_, i) => i % 2 === 1);
    expect(ext).toEqual([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
    // A grid on that extent loses no cell of the mask a wider grid finds.
    const tight = gridMask(createGrid(ext, { cellSize: 100 }), areas.map((a) => a.geometry));
    const wide = gridMask(createGrid(extent, { cellSize: 100 }), areas.map((a) => a.geometry));
    expect(maskSize(tight)).toBe(maskSize(wide));
  });

  it('leaves the hole empty and sizes the mask by area', () => {
    const grid = createGrid(extent, { cellSize: 50 });
    const [hx, hy] = toBng(Float64Array.of(-1.17, 52.944));
    const mask = gridMask(grid, areas[0]!.geometry);
    const holeCell = Math.floor((hy! - grid.originY) / 50) * grid.nx + Math.floor((hx! - grid.originX) / 50);
    expect(mask[holeCell]).toBe(0);
    const twoParts = maskSize(gridMask(grid, areas[1]!.geometry));
    // 0.015° × 0.015° ≈ 1.0 km × 1.67 km plus a ~170 m² × … triangle: ~700 cells of 2,500 m².
    expect(twoParts).toBeGreaterThan(650);
    expect(twoParts).toBeLessThan(760);
  });

  it('matches the golden masked cells', () => {
    const grid = createGrid(extent, { shape: 'hex', cellSize: 400 });
    const mask = gridMask(grid, areas.map((a) => a.geometry));
    const cells = [...mask.keys()].filter((c) => mask[c]);
    expectGolden('grid-mask', 'masked-cells', cellsToGeoJSON(grid, cells));
  });
});

describe('populationGrid', () => {
  it('spreads each area total evenly over its cells and keeps every resident', () => {
    const grid = createGrid(extent, { cellSize: 100 });
    const { population, unplaced } = populationGrid(grid, areas.map((a) => ({ geometry: a.geometry, population: a.properties.population })));
    expect(unplaced).toBe(0);
    expect(population.reduce((s, v) => s + v, 0)).toBeCloseTo(5000 + 1200 + 40, 6);
    const mask0 = gridMask(grid, areas[0]!.geometry);
    const share = 5000 / maskSize(mask0);
    for (let c = 0; c < population.length; c++) if (mask0[c]) expect(population[c]).toBeCloseTo(share, 9);
    // The tiny area holds no cell centre, so its 40 residents sit in one cell.
    expect(population.filter((v) => Math.abs(v - 40) < 1e-9)).toHaveLength(1);
  });

  it('reports population it cannot place and ignores empty areas', () => {
    const grid = createGrid([extent[0], extent[1], extent[0] + 1000, extent[1] + 1000], { cellSize: 100 });
    const far: AreaGeometry = { type: 'Polygon', coordinates: [[[-0.5, 53.5], [-0.4999, 53.5], [-0.4999, 53.5001], [-0.5, 53.5]]] };
    const r = populationGrid(grid, [
      { geometry: far, population: 123 },
      { geometry: areas[0]!.geometry, population: 0 },
    ]);
    expect(r.unplaced).toBe(123);
    expect(r.population.every((v) => v === 0)).toBe(true);
  });
});
