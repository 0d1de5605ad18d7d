import type { PolygonGeometry, Position } from '@safer-places/schemas';
import { bngToLonLat } from '../projection/bng';

/**
 * Regular grids in British National Grid metres, stored as plain numbers so a whole county at 100 m (~360 k cells) is
 * one typed array. Cell `c` is row `floor(c / nx)`, column `c % nx`; row 0 is the southernmost.
 *
 * - square: cells are `cellSize` × `cellSize`, half-open [west, east) × [south, north).
 * - hex: pointy-topped hexagons whose centres are `cellSize` apart (so `cellSize` is the width across flats, as in
 *   sf::st_make_grid); rows are `cellSize·√3/2` apart and every other row is shifted east by half a cell.
 *
 * Origins are snapped to multiples of the cell size (and, for hex, of the row spacing) so the same place falls in the
 * same cell whatever extent a query uses: grids of one size over a district and over the county line up.
 */
export type GridShape = 'square' | 'hex';
export type Extent = [minX: number, minY: number, maxX: number, maxY: number];

export interface Grid {
  readonly shape: GridShape;
  /** Metres: side of a square, or distance between neighbouring hexagon centres. */
  readonly cellSize: number;
  /** Square: west edge of column 0. Hex: centre x of column 0 in an unshifted row. */
  readonly originX: number;
  /** Square: south edge of row 0. Hex: centre y of row 0. */
  readonly originY: number;
  readonly nx: number;
  readonly ny: number;
  /** Hex only: row r is shifted east by half a cell when (r + rowParity) is odd. Always 0 for squares. */
  readonly rowParity: 0 | 1;
}

export const MIN_CELL_SIZE = 50;
export const MAX_CELL_SIZE = 500;
/** 4 M cells (e.g. 100 × 100 km at 50 m) is ~16 MB per Float32 layer; anything larger is almost certainly a mistake. */
export const MAX_GRID_CELLS = 4_000_000;
const SQRT3 = Math.sqrt(3);

export function cellCount(grid: Grid): number {
  return grid.nx * grid.ny;
}

/** Area of one cell in m² (hexagon: √3/2 · cellSize²). */
export function cellArea(grid: Grid): number {
  return grid.shape === 'square' ? grid.cellSize * grid.cellSize : (SQRT3 / 2) * grid.cellSize * grid.cellSize;
}

/** Distance between the centres of vertically adjacent rows. */
export function rowSpacing(grid: Pick<Grid, 'shape' | 'cellSize'>): number {
  return grid.shape === 'square' ? grid.cellSize : (grid.cellSize * SQRT3) / 2;
}

/**
 * sfhotspot's rule: about 50 cells along the shorter side of the extent. Floored to a multiple of 10 m (so there are at
 * least 50 cells) and clamped to 50–500 m: below 50 m police.uk's snapping dominates, above 500 m a cell is a
 * neighbourhood, not a place.
 */
export function autoCellSize(extent: Extent): number {
  const shorter = Math.min(extent[2] - extent[0], extent[3] - extent[1]);
  if (!Number.isFinite(shorter)) throw new RangeError('autoCellSize: the extent is not finite');
  const size = Math.floor(shorter / 50 / 10) * 10;
  return Math.min(MAX_CELL_SIZE, Math.max(MIN_CELL_SIZE, size));
}

/** Bounding box of interleaved x/y pairs (optionally only `indices`), skipping non-finite pairs. */
export function pointsExtent(xy: Float64Array, indices?: ArrayLike<number>): Extent {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const n = indices ? indices.length : xy.length >> 1;
  for (let k = 0; k < n; k++) {
    const i = indices ? indices[k]! : k;
    const x = xy[2 * i]!, y = xy[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

export interface GridOptions {
  shape?: GridShape;
  /** Metres, 50–500. Default: {@link autoCellSize} of the extent. */
  cellSize?: number;
}

/** A grid covering `extent` (BNG metres): every point inside the extent falls in a cell. */
export function createGrid(extent: Extent, options: GridOptions = {}): Grid {
  const [minX, minY, maxX, maxY] = extent;
  if (![minX, minY, maxX, maxY].every(Number.isFinite) || maxX < minX || maxY < minY) {
    throw new RangeError(`createGrid: invalid extent [${extent.join(', ')}]`);
  }
  const shape = options.shape ?? 'square';
  if (shape !== 'square' && shape !== 'hex') throw new RangeError(`createGrid: unknown shape ${String(shape)}`);
  const s = options.cellSize ?? autoCellSize(extent);
  if (!(s >= MIN_CELL_SIZE && s <= MAX_CELL_SIZE)) {
    throw new RangeError(`createGrid: cell size must be ${MIN_CELL_SIZE}–${MAX_CELL_SIZE} m, got ${s}`);
  }
  const h = rowSpacing({ shape, cellSize: s });
  const originX = Math.floor(minX / s) * s;
  const row0 = Math.floor(minY / h);
  const originY = row0 * h;
  // Hex cells reach half a cell beyond their centre column/row, hence one extra of each.
  const extra = shape === 'hex' ? 2 : 1;
  const nx = Math.floor((maxX - originX) / s) + extra;
  const ny = Math.floor((maxY - originY) / h) + extra;
  if (nx * ny > MAX_GRID_CELLS) {
    throw new RangeError(`createGrid: ${nx} × ${ny} cells exceeds ${MAX_GRID_CELLS}; use a larger cell size or a smaller area`);
  }
  const rowParity = shape === 'hex' ? ((((row0 % 2) + 2) % 2) as 0 | 1) : 0;
  return { shape, cellSize: s, originX, originY, nx, ny, rowParity };
}

/** True when hex row `row` is shifted east by half a cell. */
export function isShiftedRow(grid: Grid, row: number): boolean {
  return grid.shape === 'hex' && ((row + grid.rowParity) & 1) === 1;
}

/** x of the centre of column 0 in `row`. */
export function rowCentreX0(grid: Grid, row: number): number {
  const s = grid.cellSize;
  if (grid.shape === 'square') return grid.originX + s / 2;
  return grid.originX + (((row + grid.rowParity) & 1) === 1 ? s / 2 : 0);
}

/** y of the centres in `row`. */
export function rowCentreY(grid: Grid, row: number): number {
  return grid.shape === 'square' ? grid.originY + (row + 0.5) * grid.cellSize : grid.originY + row * rowSpacing(grid);
}

export function cellCentre(grid: Grid, cell: number): [number, number] {
  const row = Math.floor(cell / grid.nx);
  const col = cell - row * grid.nx;
  return [rowCentreX0(grid, row) + col * grid.cellSize, rowCentreY(grid, row)];
}

/** Cell containing BNG point (x, y), or -1 outside the grid / for non-finite input. */
export function cellOf(grid: Grid, x: number, y: number): number {
  const { nx, ny, cellSize: s, originX: ox, originY: oy } = grid;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return -1;
  if (grid.shape === 'square') {
    const col = Math.floor((x - ox) / s);
    const row = Math.floor((y - oy) / s);
    return col >= 0 && col < nx && row >= 0 && row < ny ? row * nx + col : -1;
  }
  return hexCellOf(grid, x, y);
}

// The nearest centre is always in one of the two rows bracketing y: any other row is ≥ √3/2·s away vertically, more
// than the circumradius s/√3. Within a row the nearest column is a rounding. Ties go east, then to the lower row.
function hexCellOf(grid: Grid, x: number, y: number): number {
  const { nx, ny, cellSize: s, originX: ox, originY: oy, rowParity } = grid;
  const h = (s * SQRT3) / 2;
  const r0 = Math.floor((y - oy) / h);
  let best = -1;
  let bestD = Infinity;
  for (let r = r0; r <= r0 + 1; r++) {
    if (r < 0 || r >= ny) continue;
    const shift = ((r + rowParity) & 1) === 1 ? s / 2 : 0;
    const col = Math.floor((x - ox - shift) / s + 0.5);
    if (col < 0 || col >= nx) continue;
    const dx = x - (ox + shift + col * s);
    const dy = y - (oy + r * h);
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = r * nx + col;
    }
  }
  return best;
}

/** Cell of every point (or of `indices` only; others get -1). -1 also for points outside the grid. */
export function assignCells(grid: Grid, xy: Float64Array, indices?: ArrayLike<number>, out?: Int32Array): Int32Array {
  const n = xy.length >> 1;
  const cells = out ?? new Int32Array(n);
  if (cells.length < n) throw new RangeError(`assignCells: output holds ${cells.length} cells, need ${n}`);
  if (indices) {
    cells.fill(-1);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      cells[i] = cellOf(grid, xy[2 * i]!, xy[2 * i + 1]!);
    }
    return cells;
  }
  if (grid.shape === 'hex') {
    for (let i = 0; i < n; i++) cells[i] = hexCellOf(grid, xy[2 * i]!, xy[2 * i + 1]!);
    return cells;
  }
  const { nx, ny, cellSize: s, originX: ox, originY: oy } = grid;
  const inv = 1 / s;
  for (let i = 0; i < n; i++) {
    const col = Math.floor((xy[2 * i]! - ox) * inv);
    const row = Math.floor((xy[2 * i + 1]! - oy) * inv);
    // NaN fails every comparison, so non-finite points drop out here too.
    cells[i] = col >= 0 && col < nx && row >= 0 && row < ny ? row * nx + col : -1;
  }
  return cells;
}

/** Histogram of cell ids (as from {@link assignCells}); -1 entries are ignored. */
export function countCells(grid: Grid, cellOfPoint: Int32Array, indices?: ArrayLike<number>, out?: Uint32Array): Uint32Array {
  const counts = out ?? new Uint32Array(cellCount(grid));
  if (out) counts.fill(0);
  if (indices) {
    for (let k = 0; k < indices.length; k++) {
      const c = cellOfPoint[indices[k]!]!;
      if (c >= 0) counts[c]!++;
    }
  } else {
    for (let i = 0; i < cellOfPoint.length; i++) {
      const c = cellOfPoint[i]!;
      if (c >= 0) counts[c]!++;
    }
  }
  return counts;
}

/** Points per cell in one pass (no per-point cell array). Points outside the grid are not counted. */
export function gridCounts(grid: Grid, xy: Float64Array, indices?: ArrayLike<number>): Uint32Array {
  const counts = new Uint32Array(cellCount(grid));
  const n = indices ? indices.length : xy.length >> 1;
  if (grid.shape === 'hex') {
    for (let k = 0; k < n; k++) {
      const i = indices ? indices[k]! : k;
      const c = hexCellOf(grid, xy[2 * i]!, xy[2 * i + 1]!);
      if (c >= 0) counts[c]!++;
    }
    return counts;
  }
  const { nx, ny, cellSize: s, originX: ox, originY: oy } = grid;
  const inv = 1 / s;
  for (let k = 0; k < n; k++) {
    const i = indices ? indices[k]! : k;
    const col = Math.floor((xy[2 * i]! - ox) * inv);
    const row = Math.floor((xy[2 * i + 1]! - oy) * inv);
    if (col >= 0 && col < nx && row >= 0 && row < ny) counts[row * nx + col]!++;
  }
  return counts;
}

/**
 * Neighbours of `cell` within cellSize·√2 of its centre, itself included: the 3 × 3 block for squares (queen
 * contiguity), the 6 touching hexagons for hex. Writes into `out` and returns how many; cells off the grid are left out.
 */
export function cellNeighbours(grid: Grid, cell: number, out: Int32Array | number[]): number {
  const { nx, ny } = grid;
  const row = Math.floor(cell / nx);
  const col = cell - row * nx;
  let k = 0;
  for (let dr = -1; dr <= 1; dr++) {
    const r = row + dr;
    if (r < 0 || r >= ny) continue;
    let c0 = col - 1, c1 = col + 1;
    if (grid.shape === 'hex' && dr !== 0) {
      // Rows above/below touch two cells: the same column and the one towards this row's shift.
      if (isShiftedRow(grid, row)) c0 = col;
      else c1 = col;
    }
    for (let c = Math.max(0, c0); c <= Math.min(nx - 1, c1); c++) out[k++] = r * nx + c;
  }
  return k;
}

/** Outline of a cell in BNG metres, counter-clockwise and closed. */
export function cellRing(grid: Grid, cell: number): Position[] {
  const [cx, cy] = cellCentre(grid, cell);
  const s = grid.cellSize;
  if (grid.shape === 'square') {
    const w = cx - s / 2, e = cx + s / 2, so = cy - s / 2, n = cy + s / 2;
    return [[w, so], [e, so], [e, n], [w, n], [w, so]];
  }
  const r = s / SQRT3;
  const ring: Position[] = [];
  for (let k = 0; k < 6; k++) {
    const a = ((30 + 60 * k) * Math.PI) / 180;
    ring.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  ring.push([ring[0]![0], ring[0]![1]]);
  return ring;
}

export interface GridCellFeature<P> {
  type: 'Feature';
  id: number;
  properties: P;
  geometry: PolygonGeometry;
}

/**
 * GeoJSON (lon/lat) for the cells the caller asks for only, e.g. the significant ones: a county grid has ~360 k
 * cells and building all of them as features would cost far more than the analysis.
 */
export function cellsToGeoJSON<P extends object = { cell: number }>(
  grid: Grid,
  cells: ArrayLike<number>,
  properties: (cell: number, k: number) => P = (cell) => ({ cell }) as unknown as P,
  options: { decimals?: number } = {},
): { type: 'FeatureCollection'; features: GridCellFeature<P>[] } {
  const total = cellCount(grid);
  const features: GridCellFeature<P>[] = [];
  // Rounding (e.g. 6 decimals: ~0.1 m, plenty for 50 m cells) keeps an answer of thousands of cells small.
  const scale = options.decimals === undefined ? 0 : 10 ** options.decimals;
  const round = (v: number) => (scale ? Math.round(v * scale) / scale : v);
  for (let k = 0; k < cells.length; k++) {
    const cell = cells[k]!;
    if (!Number.isInteger(cell) || cell < 0 || cell >= total) throw new RangeError(`cellsToGeoJSON: no cell ${cell} in this grid`);
    const ring = cellRing(grid, cell).map(([x, y]) => {
      const [lon, lat] = bngToLonLat(x, y);
      return [round(lon), round(lat)] as Position;
    });
    ring[ring.length - 1] = [ring[0]![0], ring[0]![1]];
    features.push({ type: 'Feature', id: cell, properties: properties(cell, k), geometry: { type: 'Polygon', coordinates: [ring] } });
  }
  return { type: 'FeatureCollection', features };
}
