import type { AreaGeometry } from '@safer-places/schemas';
import { toBng } from '../projection/bng';
import { cellCount, cellOf, rowCentreX0, rowCentreY, rowSpacing, type Extent, type Grid } from './grid';

/**
 * Study-area masks and area-to-grid spreading by scanline rasterisation: a cell belongs to a polygon when its centre
 * is inside (even-odd over the polygon's rings, so holes work; a centre exactly on an edge counts for the polygon to its
 * right/above, as in createPolygonLocator). Cost is one pass over the edges plus the filled cells, so masking a county
 * grid of 360 k cells takes milliseconds.
 */

/** Calls `span(row, firstCol, lastCol)` for each run of cells whose centres lie inside the polygon (BNG rings). */
export function rasterisePolygon(grid: Grid, rings: Float64Array[], span: (row: number, c0: number, c1: number) => void): void {
  const { ny, nx, cellSize: s } = grid;
  const h = rowSpacing(grid);
  const y0 = rowCentreY(grid, 0);
  const rowRange = (ya: number, yb: number): [number, number] => {
    // Rows whose centre y satisfies ya <= y < yb (half-open, so a shared vertex is crossed once).
    let lo = Math.max(0, Math.ceil((ya - y0) / h));
    let hi = Math.min(ny - 1, Math.ceil((yb - y0) / h) - 1);
    while (lo > 0 && rowCentreY(grid, lo - 1) >= ya) lo--;
    while (lo <= hi && rowCentreY(grid, lo) < ya) lo++;
    while (hi < ny - 1 && rowCentreY(grid, hi + 1) < yb) hi++;
    while (hi >= lo && rowCentreY(grid, hi) >= yb) hi--;
    return [lo, hi];
  };

  // Two passes (count, then fill) so crossings live in one flat array.
  const perRow = new Int32Array(ny + 1);
  const forEachEdge = (fn: (x1: number, y1: number, x2: number, y2: number) => void) => {
    for (const ring of rings) {
      const m = ring.length >> 1;
      for (let k = 0; k < m; k++) {
        const x1 = ring[2 * k]!, y1 = ring[2 * k + 1]!;
        const k2 = (k + 1) % m;
        const x2 = ring[2 * k2]!, y2 = ring[2 * k2 + 1]!;
        if (y1 === y2 || !Number.isFinite(x1 + y1 + x2 + y2)) continue;
        fn(x1, y1, x2, y2);
      }
    }
  };
  forEachEdge((_x1, y1, _x2, y2) => {
    const [lo, hi] = rowRange(Math.min(y1, y2), Math.max(y1, y2));
    for (let r = lo; r <= hi; r++) perRow[r + 1]!++;
  });
  for (let r = 0; r < ny; r++) perRow[r + 1]! += perRow[r]!;
  const xs = new Float64Array(perRow[ny]!);
  const fill = perRow.slice(0, ny);
  forEachEdge((x1, y1, x2, y2) => {
    const [lo, hi] = rowRange(Math.min(y1, y2), Math.max(y1, y2));
    const slope = (x2 - x1) / (y2 - y1);
    for (let r = lo; r <= hi; r++) xs[fill[r]!++] = x1 + (rowCentreY(grid, r) - y1) * slope;
  });

  for (let r = 0; r < ny; r++) {
    const a = perRow[r]!, b = perRow[r + 1]!;
    if (b - a < 2) continue;
    const row = xs.subarray(a, b).sort();
    const x0 = rowCentreX0(grid, r);
    for (let k = 0; k + 1 < row.length; k += 2) {
      // Centres x with xa <= x < xb.
      const c0 = Math.max(0, Math.ceil((row[k]! - x0) / s));
      const c1 = Math.min(nx - 1, Math.ceil((row[k + 1]! - x0) / s) - 1);
      if (c1 >= c0) span(r, c0, c1);
    }
  }
}

/** Projects a lon/lat polygon's rings to BNG, one interleaved array per ring. */
export function polygonRingsToBng(coordinates: [number, number][][]): Float64Array[] {
  return coordinates.map((ring) => {
    const flat = new Float64Array(ring.length * 2);
    ring.forEach(([x, y], i) => {
      flat[2 * i] = x;
      flat[2 * i + 1] = y;
    });
    return toBng(flat, flat);
  });
}

function polygonsOf(g: AreaGeometry): [number, number][][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/**
 * 1 for cells whose centre lies inside any of `areas` (lon/lat), else 0. Gi* and KDE use it so that cells outside the
 * study area (other force areas, the Trent's far bank) do not dilute the mean.
 */
export function gridMask(grid: Grid, areas: AreaGeometry | readonly AreaGeometry[]): Uint8Array {
  const mask = new Uint8Array(cellCount(grid));
  const list = Array.isArray(areas) ? areas : [areas as AreaGeometry];
  for (const area of list) {
    for (const poly of polygonsOf(area)) {
      rasterisePolygon(grid, polygonRingsToBng(poly), (r, c0, c1) => mask.fill(1, r * grid.nx + c0, r * grid.nx + c1 + 1));
    }
  }
  return mask;
}

/**
 * BNG extent of study-area polygons (lon/lat), for createGrid. Prefer it to the points' extent: police.uk files carry a
 * few crimes located far outside the force (Nottinghamshire's 2023–24 files reach Cornwall).
 */
export function areasExtent(areas: AreaGeometry | readonly AreaGeometry[]): Extent {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const area of Array.isArray(areas) ? areas : [areas as AreaGeometry]) {
    for (const poly of polygonsOf(area)) {
      const outer = polygonRingsToBng([poly[0]!])[0]!;
      for (let i = 0; i < outer.length; i += 2) {
        if (outer[i]! < minX) minX = outer[i]!;
        if (outer[i]! > maxX) maxX = outer[i]!;
        if (outer[i + 1]! < minY) minY = outer[i + 1]!;
        if (outer[i + 1]! > maxY) maxY = outer[i + 1]!;
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

/** Number of cells set in a mask. */
export function maskSize(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]! ? 1 : 0;
  return n;
}

/**
 * Residents per cell from area totals (e.g. LSOA census populations), spread evenly over the cells whose centre lies in
 * each area — i.e. by area, since cells are equal. An area too small to contain a centre puts its whole population in
 * the cell under its first vertex average. Population falling outside the grid is dropped and reported.
 */
export function populationGrid(
  grid: Grid,
  areas: readonly { geometry: AreaGeometry; population: number }[],
): { population: Float64Array; unplaced: number } {
  const population = new Float64Array(cellCount(grid));
  let unplaced = 0;
  const cells: number[] = [];
  for (const { geometry, population: total } of areas) {
    if (!(total > 0)) continue;
    cells.length = 0;
    const polys = polygonsOf(geometry);
    const bng = polys.map(polygonRingsToBng);
    for (const rings of bng) {
      rasterisePolygon(grid, rings, (r, c0, c1) => {
        for (let c = c0; c <= c1; c++) cells.push(r * grid.nx + c);
      });
    }
    if (cells.length > 0) {
      const share = total / cells.length;
      for (const c of cells) population[c]! += share;
      continue;
    }
    const outer = bng[0]![0]!;
    let sx = 0, sy = 0;
    const m = outer.length >> 1;
    for (let k = 0; k < m; k++) {
      sx += outer[2 * k]!;
      sy += outer[2 * k + 1]!;
    }
    const c = cellOf(grid, sx / m, sy / m);
    if (c >= 0) population[c]! += total;
    else unplaced += total;
  }
  return { population, unplaced };
}
