import type { AreaGeometry } from '@safer-places/schemas';

export interface PolygonLocator {
  /** Codes in input order: `locateIndex` and `locateMany` answer indexes into this. */
  readonly codes: readonly string[];
  /** Code of the polygon containing the point, or null. */
  locate(lon: number, lat: number): string | null;
  /** Input index of the polygon containing the point, or -1. */
  locateIndex(lon: number, lat: number): number;
  /**
   * Locates many points at once: `xy` holds lon, lat pairs; the answer holds, per point, the input index of its
   * polygon or -1 (no polygon, or a non-finite coordinate). `out` is reused when given (length ≥ xy.length / 2).
   */
  locateMany(xy: Float64Array | readonly number[], out?: Int32Array): Int32Array;
}

export interface PolygonLocatorOptions {
  /** Top-level lookup cells per polygon (default 8). */
  cellsPerPolygon?: number;
  /** Levels of 4 × 4 refinement under a top-level cell (default 1, at most 6). */
  maxDepth?: number;
  /** At most this many lookup cells in all (default 2,097,152: 8 MB); refinement stops at the level that would pass it. */
  maxCells?: number;
}

/** No polygon. */
const NONE = -1;
/** Polygons with more edges than this keep one shared copy of all their edges instead of a filtered copy per cell. */
const LOCAL_EDGES_UP_TO = 48;
/** Children per side of a refined cell. */
const SPLIT = 4;
/** At most this many buckets when `locateMany` sorts points. */
const MAX_BUCKETS = 4096;
/** `locateMany` sorts from this many points per bucket on. */
const SORT_FROM = 4;

/**
 * Edges of every polygon flattened for an even-odd crossing test: per edge [yLow, yHigh, xAtYLow, dx/dy], lower-y end
 * first; horizontal edges are dropped because half-open counting never uses them. Polygon i's edges are
 * `edgeStart[i] … edgeStart[i + 1] - 1`. Every ring is treated as closed even if the input forgot the closing vertex.
 */
export interface FlatEdges {
  edges: Float64Array;
  edgeStart: Int32Array;
  /** Per polygon: minX, minY, maxX, maxY of its vertices. */
  boxes: Float64Array;
}

function ringsOf(geometry: AreaGeometry) {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function flattenPolygonEdges(geometries: readonly AreaGeometry[]): FlatEdges {
  const n = geometries.length;
  let edgeCount = 0;
  for (const geometry of geometries) for (const rings of ringsOf(geometry)) for (const ring of rings) edgeCount += ring.length;
  const edges = new Float64Array(edgeCount * 4);
  const edgeStart = new Int32Array(n + 1);
  const boxes = new Float64Array(n * 4);
  let e = 0;
  for (let i = 0; i < n; i++) {
    edgeStart[i] = e;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const rings of ringsOf(geometries[i]!)) {
      for (const ring of rings) {
        const m = ring.length;
        for (let k = 0; k < m; k++) {
          const [x1, y1] = ring[k]!;
          const [x2, y2] = ring[(k + 1) % m]!;
          if (x1 < minX) minX = x1;
          if (x1 > maxX) maxX = x1;
          if (y1 < minY) minY = y1;
          if (y1 > maxY) maxY = y1;
          if (y1 === y2) continue;
          const low = y1 < y2;
          const ya = low ? y1 : y2, xa = low ? x1 : x2, yb = low ? y2 : y1, xb = low ? x2 : x1;
          edges[e * 4] = ya;
          edges[e * 4 + 1] = yb;
          edges[e * 4 + 2] = xa;
          edges[e * 4 + 3] = (xb - xa) / (yb - ya);
          e++;
        }
      }
    }
    boxes.set([minX, minY, maxX, maxY], i * 4);
  }
  edgeStart[n] = e;
  return { edges: edges.subarray(0, e * 4), edgeStart, boxes };
}

/** Even-odd crossing test of polygon i (half-open in y: a point on a left or bottom edge is in, right or top out). */
export function edgesContain(flat: FlatEdges, i: number, x: number, y: number): boolean {
  const edges = flat.edges;
  let inside = false;
  const end = flat.edgeStart[i + 1]! * 4;
  for (let k = flat.edgeStart[i]! * 4; k < end; k += 4) {
    if (y >= edges[k]! && y < edges[k + 1]!) {
      if (x < edges[k + 2]! + (y - edges[k]!) * edges[k + 3]!) inside = !inside;
    }
  }
  return inside;
}

/** An Int32 list that grows by doubling: building millions of lookup entries without boxed JS arrays. */
class Int32List {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  get(i: number): number {
    return this.data[i]!;
  }
  set(i: number, v: number): void {
    this.data[i] = v;
  }
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Per segment (every ring edge, in ring order, closing edge included), 1 if the same segment (either direction, equal
 * coordinates) occurs an odd number of times among all polygons: the edges of the polygons' mod-2 sum. An open-addressing
 * hash over the coordinates' bits; no strings.
 */
function oddSegments(geometries: readonly AreaGeometry[], count: number): Uint8Array {
  const coords = new Float64Array(count * 4);
  let e = 0;
  for (const geometry of geometries) {
    for (const rings of ringsOf(geometry)) {
      for (const ring of rings) {
        const m = ring.length;
        for (let k = 0; k < m; k++, e++) {
          const [ax, ay] = ring[k]!;
          const [bx, by] = ring[(k + 1) % m]!;
          const forward = ax < bx || (ax === bx && ay <= by);
          // +0 turns -0 into 0, so equal coordinates have equal bits.
          coords[e * 4] = (forward ? ax : bx) + 0;
          coords[e * 4 + 1] = (forward ? ay : by) + 0;
          coords[e * 4 + 2] = (forward ? bx : ax) + 0;
          coords[e * 4 + 3] = (forward ? by : ay) + 0;
        }
      }
    }
  }
  const words = new Uint32Array(coords.buffer);
  let size = 16;
  while (size < count * 2) size <<= 1;
  const table = new Int32Array(size).fill(-1);
  const first = new Int32Array(count);
  const times = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    let h = 0x811c9dc5;
    for (let w = s * 8; w < s * 8 + 8; w++) h = Math.imul(h ^ words[w]!, 0x01000193);
    h ^= h >>> 15;
    for (let slot = h & (size - 1); ; slot = (slot + 1) & (size - 1)) {
      const t = table[slot]!;
      if (t < 0) {
        table[slot] = s;
        first[s] = s;
        times[s] = 1;
        break;
      }
      if (coords[t * 4] === coords[s * 4] && coords[t * 4 + 1] === coords[s * 4 + 1] && coords[t * 4 + 2] === coords[s * 4 + 2] && coords[t * 4 + 3] === coords[s * 4 + 3]) {
        first[s] = t;
        times[t]!++;
        break;
      }
    }
  }
  const odd = new Uint8Array(count);
  for (let s = 0; s < count; s++) odd[s] = times[first[s]!]! & 1;
  return odd;
}

/**
 * Point-in-polygon index: an adaptive lookup grid over the polygons' extent, then an even-odd crossing test over
 * pre-flattened edges where the grid cannot decide.
 *
 * The top-level grid has about `cellsPerPolygon` cells per polygon. A cell that no edge comes near holds its answer
 * outright (the polygon, earliest in input order, that contains its centre, hence all of it: no edge test at all). A
 * cell with edges of two or more polygons is refined into 4 × 4 cells, up to `maxDepth` levels and `maxCells` cells,
 * level by level; what is left holds the few polygons whose edges come near it, in input order, each tested until the
 * first hit, then the answer when none hits: the polygon that covers the whole cell, if any, or, where the polygons'
 * mod-2 sum has no edge near the cell and its centre lies in an odd number of them (a tiling's interior), the last
 * of them, untested. A test reads only the polygon's edges that can cross a ray from that cell to the right. A point
 * maps to a cell by one formula at build and query time (at level d, column floor((x - x0) · sx0 · 4^d): a child
 * cell is found from the parent's column with no per-grid origin, scale or clamping), and an edge marks every cell its
 * box (widened by a rounding margin) maps to, so a point near an edge always reaches a test of that edge's polygon.
 * A cell's value leads straight to its child cells or to its list; a list holds its edges' offsets inline.
 * Locating allocates nothing per point; `locateMany` visits many points grouped by bucket (a block of neighbouring
 * top-level cells) so the lookup stays in the processor's cache.
 *
 * Boundaries: edges are stored lower-y end first and counted half-open in y, so two polygons sharing an edge
 * compute the same crossing and a point exactly on it belongs to exactly one of them (the one to its right, or
 * above for a horizontal edge). Where polygons overlap, the earliest in input order wins.
 */
export function createPolygonLocator(polygons: readonly { code: string; geometry: AreaGeometry }[], options: PolygonLocatorOptions = {}): PolygonLocator {
  const n = polygons.length;
  const codes = polygons.map((p) => p.code);
  const empty: PolygonLocator = { codes, locate: () => null, locateIndex: () => NONE, locateMany: (xy, out) => (out ?? new Int32Array(xy.length >> 1)).fill(NONE) };
  if (n === 0) return empty;
  const flat = flattenPolygonEdges(polygons.map((p) => p.geometry));
  const { boxes, edges, edgeStart } = flat;

  // The grid's extent: the union of the polygons' boxes.
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, boxes[i * 4]!);
    y0 = Math.min(y0, boxes[i * 4 + 1]!);
    x1 = Math.max(x1, boxes[i * 4 + 2]!);
    y1 = Math.max(y1, boxes[i * 4 + 3]!);
  }
  if (!(Number.isFinite(x0) && Number.isFinite(y0) && Number.isFinite(x1) && Number.isFinite(y1))) return empty;
  const w = Math.max(x1 - x0, 1e-9), h = Math.max(y1 - y0, 1e-9);
  const maxCells = Math.max(1, options.maxCells ?? 2_097_152);
  // At most 6 levels: cell columns (top columns × 4^depth) stay far inside the 32-bit integers the lookup uses.
  const maxDepth = Math.min(6, Math.max(0, options.maxDepth ?? 1));
  const target = Math.min(maxCells, Math.max(1, Math.round(n * (options.cellsPerPolygon ?? 8))));
  const topCols = Math.max(1, Math.min(target, Math.round(Math.sqrt((target * w) / h))));
  const topRows = Math.max(1, Math.min(Math.floor(maxCells / topCols), Math.ceil(target / topCols)));
  // Boxes of every edge (horizontal ones included), widened by a margin that covers the crossing test's rounding.
  const margin = 1e-9 * Math.max(w, h, Math.abs(x0), Math.abs(y0), Math.abs(x1), Math.abs(y1));
  const segBoxes: number[] = [];
  const segStart = new Int32Array(n + 1);
  polygons.forEach(({ geometry }, i) => {
    segStart[i] = segBoxes.length >> 2;
    for (const rings of ringsOf(geometry)) {
      for (const ring of rings) {
        const m = ring.length;
        for (let k = 0; k < m; k++) {
          const [ax, ay] = ring[k]!;
          const [bx, by] = ring[(k + 1) % m]!;
          segBoxes.push(Math.min(ax, bx) - margin, Math.min(ay, by) - margin, Math.max(ax, bx) + margin, Math.max(ay, by) + margin);
        }
      }
    }
  });
  segStart[n] = segBoxes.length >> 2;
  // Segments of the polygons' mod-2 sum: an edge that appears an even number of times (a shared edge of a tiling) cancels.
  // Where no such segment comes near a cell, every point of it is in the same number of polygons, mod 2.
  const segOdd = oddSegments(polygons.map((p) => p.geometry), segStart[n]!);

  /*
   * Grids. Every grid of level d (0 the top, d the d-th refinement) maps a point by one formula: its global column is
   * floor((x - x0) · sx0 · 4^d) and its row likewise, and its cells are those of one parent cell, so a child grid
   * needs no origin of its own: `gsx`/`gsy` its scale (sx0 · 4^d, exact: a power of two), `gc`/`gr` the global column
   * and row of its first cell, then its size and the offset of its cells in `value`. Since scaling by a power of two
   * is exact, floor(a · 4) lies in [4 · floor(a), 4 · floor(a) + 3] for every a: a point of a parent cell always maps
   * into that cell's children, with no clamping.
   */
  const gsx: number[] = [], gsy: number[] = [], gc: number[] = [], gr: number[] = [], gcols: number[] = [], grows: number[] = [], gbase: number[] = [];
  /*
   * Per cell: ≥ 0 a polygon, -1 none, ≤ -2 a reference k = -2 - value: k even → the list at offset k / 2 of `meta`,
   * k odd → the child grid whose cells start at offset (k - 1) / 2 of `value`.
   */
  const value = new Int32List();
  /*
   * Lists, in `meta`: the number of polygons to test; per polygon its index, the number n of its edges that can cross
   * a ray from the cell to the right (y-range in the cell's row, right end not left of it) and their n offsets in
   * `edges`, or n = -1 to test all its edges; then the answer when none hits.
   */
  const meta = new Int32List();

  const contains = (i: number, x: number, y: number): boolean => {
    let inside = false;
    const end = edgeStart[i + 1]! * 4;
    for (let k = edgeStart[i]! * 4; k < end; k += 4) {
      if (y >= edges[k]! && y < edges[k + 1]!) {
        if (x < edges[k + 2]! + (y - edges[k]!) * edges[k + 3]!) inside = !inside;
      }
    }
    return inside;
  };
  const addGrid = (sx: number, sy: number, c0: number, r0: number, cols: number, rows: number): number => {
    gsx.push(sx);
    gsy.push(sy);
    gc.push(c0);
    gr.push(r0);
    gcols.push(cols);
    grows.push(rows);
    gbase.push(value.length);
    for (let c = cols * rows; c > 0; c--) value.push(NONE);
    return gsx.length - 1;
  };
  const addList = (g: number, cell: number, tested: Iterable<number>, otherwise: number): number => {
    const cols = gcols[g]!, sx = gsx[g]!, sy = gsy[g]!, gc0 = gc[g]!, gr0 = gr[g]!;
    const c = cell % cols, r = (cell - c) / cols;
    const at = meta.length;
    meta.push(0);
    for (const i of tested) {
      meta.set(at, meta.get(at) + 1);
      meta.push(i);
      if (edgeStart[i + 1]! - edgeStart[i]! > LOCAL_EDGES_UP_TO) {
        // A long outline: all its edges (filtering them per cell would cost more than it saves).
        meta.push(-1);
        continue;
      }
      const countAt = meta.length;
      meta.push(0);
      for (let k = edgeStart[i]! * 4; k < edgeStart[i + 1]! * 4; k += 4) {
        const r0 = Math.floor((edges[k]! - margin - y0) * sy) - gr0, r1 = Math.floor((edges[k + 1]! + margin - y0) * sy) - gr0;
        const right = Math.max(edges[k + 2]!, edges[k + 2]! + (edges[k + 1]! - edges[k]!) * edges[k + 3]!);
        if (r0 > r || r1 < r || Math.floor((right + margin - x0) * sx) - gc0 < c) continue;
        meta.push(k);
      }
      meta.set(countAt, meta.length - countAt - 1);
    }
    meta.push(otherwise);
    return -2 - 2 * at;
  };

  interface Refine {
    grid: number;
    cell: number;
    tested: number[];
    otherwise: number;
    /** Every point of the cell is in one of `tested` (so the last needs no test). */
    covered: boolean;
  }
  interface Touching {
    /** Per cell, the polygons with an edge near it, ascending. */
    touching: (number[] | undefined)[];
    /** Per cell, 1 when a segment of the polygons' mod-2 sum comes near it. */
    open: Uint8Array;
  }
  const leaf = (p: Refine): number =>
    p.covered ? addList(p.grid, p.cell, p.tested.slice(0, -1), p.tested[p.tested.length - 1]!) : addList(p.grid, p.cell, p.tested, p.otherwise);

  /**
   * Decides every cell of grid g: `touching` lists, per cell, the polygons with an edge near it (ascending);
   * `candidates(cell)` the polygons that may cover it (ascending). Returns the cells worth refining.
   */
  const decide = (g: number, { touching, open }: Touching, candidates: (cell: number) => Iterable<number>): Refine[] => {
    const cols = gcols[g]!, rows = grows[g]!, sx = gsx[g]!, sy = gsy[g]!, gc0 = gc[g]!, gr0 = gr[g]!, base = gbase[g]!;
    const refine: Refine[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const cell = r * cols + c;
        const near = touching[cell] ?? [];
        const cx = x0 + (gc0 + c + 0.5) / sx, cy = y0 + (gr0 + r + 0.5) / sy;
        if (Math.floor((cx - x0) * sx) - gc0 !== c || Math.floor((cy - y0) * sy) - gr0 !== r) {
          // A cell too small for its centre to map back to it: test everything that may cover it.
          value.set(base + cell, addList(g, cell, candidates(cell), NONE));
          continue;
        }
        // The first polygon, in input order, with no edge near the cell that contains its centre covers all of it.
        let otherwise = NONE;
        let k = 0;
        for (const i of candidates(cell)) {
          while (k < near.length && near[k]! < i) k++;
          if (k < near.length && near[k] === i) continue;
          if (contains(i, cx, cy)) {
            otherwise = i;
            break;
          }
        }
        const tested = otherwise === NONE ? near : near.filter((i) => i < otherwise);
        if (tested.length === 0) {
          value.set(base + cell, otherwise);
          continue;
        }
        // With no mod-2 segment near, the centre's count of polygons (mod 2) holds for the whole cell: odd means covered.
        let odd = false;
        if (otherwise === NONE && !open[cell]) for (const i of tested) if (contains(i, cx, cy)) odd = !odd;
        const p: Refine = { grid: g, cell, tested, otherwise, covered: odd };
        const toTest = tested.length - (odd ? 1 : 0);
        if (toTest === 0) value.set(base + cell, tested[0]!);
        else if (toTest === 1) value.set(base + cell, leaf(p));
        else refine.push(p);
      }
    }
    return refine;
  };
  /** Per cell of grid g, the polygons (of `polys`, ascending) with an edge whose widened box maps to it. */
  const touchingIn = (g: number, polys: Iterable<number>): Touching => {
    const cols = gcols[g]!, rows = grows[g]!, sx = gsx[g]!, sy = gsy[g]!, gc0 = gc[g]!, gr0 = gr[g]!;
    const touching: (number[] | undefined)[] = new Array(cols * rows);
    const open = new Uint8Array(cols * rows);
    for (const i of polys) {
      for (let e = segStart[i]!; e < segStart[i + 1]!; e++) {
        let c0 = Math.floor((segBoxes[e * 4]! - x0) * sx) - gc0, r0 = Math.floor((segBoxes[e * 4 + 1]! - y0) * sy) - gr0;
        let c1 = Math.floor((segBoxes[e * 4 + 2]! - x0) * sx) - gc0, r1 = Math.floor((segBoxes[e * 4 + 3]! - y0) * sy) - gr0;
        if (c1 < 0 || r1 < 0 || c0 >= cols || r0 >= rows) continue;
        c0 = Math.max(0, c0);
        r0 = Math.max(0, r0);
        c1 = Math.min(cols - 1, c1);
        r1 = Math.min(rows - 1, r1);
        for (let r = r0; r <= r1; r++) {
          for (let c = c0; c <= c1; c++) {
            const list = (touching[r * cols + c] ??= []);
            if (list[list.length - 1] !== i) list.push(i);
            if (segOdd[e]) open[r * cols + c] = 1;
          }
        }
      }
    }
    return { touching, open };
  };

  // The top level: candidates per cell are the polygons whose boxes overlap it (compressed rows, ascending).
  const top = addGrid(topCols / w, topRows / h, 0, 0, topCols, topRows);
  const sx0 = gsx[top]!, sy0 = gsy[top]!;
  const boxStart = new Int32Array(topCols * topRows + 1);
  const ranges = new Int32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const c0 = Math.max(0, Math.floor((boxes[i * 4]! - margin - x0) * sx0)), c1 = Math.min(topCols - 1, Math.floor((boxes[i * 4 + 2]! + margin - x0) * sx0));
    const r0 = Math.max(0, Math.floor((boxes[i * 4 + 1]! - margin - y0) * sy0)), r1 = Math.min(topRows - 1, Math.floor((boxes[i * 4 + 3]! + margin - y0) * sy0));
    ranges.set([c0, r0, c1, r1], i * 4);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) boxStart[r * topCols + c + 1]!++;
  }
  for (let c = 0; c < topCols * topRows; c++) boxStart[c + 1]! += boxStart[c]!;
  const boxItems = new Int32Array(boxStart[topCols * topRows]!);
  {
    const fill = boxStart.slice(0, topCols * topRows);
    for (let i = 0; i < n; i++) {
      const c0 = ranges[i * 4]!, r0 = ranges[i * 4 + 1]!, c1 = ranges[i * 4 + 2]!, r1 = ranges[i * 4 + 3]!;
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) boxItems[fill[r * topCols + c]!++] = i;
    }
  }
  let pending = decide(top, touchingIn(top, codes.keys()), (cell) => boxItems.subarray(boxStart[cell]!, boxStart[cell + 1]!));

  // Refine level by level while the cell budget lasts; what cannot be refined is tested.
  for (let depth = 1; pending.length > 0; depth++) {
    if (depth > maxDepth || value.length + pending.length * SPLIT * SPLIT > maxCells) {
      for (const p of pending) value.set(gbase[p.grid]! + p.cell, leaf(p));
      break;
    }
    const next: Refine[] = [];
    for (const p of pending) {
      const cols = gcols[p.grid]!;
      const c = p.cell % cols, r = (p.cell - c) / cols;
      const g = addGrid(gsx[p.grid]! * SPLIT, gsy[p.grid]! * SPLIT, (gc[p.grid]! + c) * SPLIT, (gr[p.grid]! + r) * SPLIT, SPLIT, SPLIT);
      value.set(gbase[p.grid]! + p.cell, -2 - (2 * gbase[g]! + 1));
      const candidates = p.otherwise === NONE ? p.tested : [...p.tested, p.otherwise];
      next.push(...decide(g, touchingIn(g, p.tested), () => candidates));
    }
    pending = next;
  }

  const cellValue = value.done();
  const lists = meta.done();

  /**
   * The answer for a point in top-level cell `cell`; `ax`, `ay` are its unfloored top-level column and row,
   * (x - x0) · sx0 and (y - y0) · sy0, both ≥ 0.
   */
  const locateFrom = (cell: number, ax: number, ay: number, x: number, y: number): number => {
    let v = cellValue[cell]!;
    if (v >= NONE) return v;
    let k = -2 - v;
    if ((k & 1) !== 0) {
      // Down the child grids: each level's column is floor(ax · 4^d), within its parent's 4 children.
      let c = ax | 0, r = ay | 0;
      do {
        ax *= SPLIT;
        ay *= SPLIT;
        const fc = ax | 0, fr = ay | 0;
        v = cellValue[(k >> 1) + (fr - r * SPLIT) * SPLIT + (fc - c * SPLIT)]!;
        if (v >= NONE) return v;
        c = fc;
        r = fr;
        k = -2 - v;
      } while ((k & 1) !== 0);
    }
    let o = k >> 1;
    const count = lists[o++]!;
    for (let t = 0; t < count; t++) {
      const i = lists[o]!, m = lists[o + 1]!;
      o += 2;
      if (m < 0) {
        if (contains(i, x, y)) return i;
        continue;
      }
      // The same crossing test as `contains`, without branches: a cell's few edges cross its points' rows unpredictably.
      let inside = 0;
      const end = o + m;
      for (; o < end; o++) {
        const e = lists[o]!;
        const ya = edges[e]!;
        inside ^= +(y >= ya && y < edges[e + 1]! && x < edges[e + 2]! + (y - ya) * edges[e + 3]!);
      }
      if (inside !== 0) return i;
    }
    return lists[o]!;
  };
  const locateIndex = (x: number, y: number): number => {
    const ax = (x - x0) * sx0, ay = (y - y0) * sy0;
    const c = Math.floor(ax), r = Math.floor(ay);
    // NaN and ±Infinity fail these tests too.
    return c >= 0 && c < topCols && r >= 0 && r < topRows ? locateFrom(r * topCols + c, ax, ay, x, y) : NONE;
  };
  /*
   * Buckets for `locateMany`: blocks of 2^shift × 2^shift top-level cells, at most MAX_BUCKETS of them, so that
   * sorting points by bucket writes to few places at once (each bucket's next slot stays in cache) while one bucket's
   * cells, lists and edges still fit in the processor's cache.
   */
  let shift = 0;
  while (Math.ceil(topCols / 2 ** shift) * Math.ceil(topRows / 2 ** shift) > MAX_BUCKETS) shift++;
  const bucketCols = Math.ceil(topCols / 2 ** shift);
  const buckets = bucketCols * Math.ceil(topRows / 2 ** shift);
  const scratch = { bucketOf: new Int32Array(0), first: new Int32Array(buckets + 1), next: new Int32Array(buckets), order: new Int32Array(0), sorted: new Float64Array(0) };

  return {
    codes,
    locateIndex,
    locate(lon, lat) {
      const i = locateIndex(lon, lat);
      return i === NONE ? null : codes[i]!;
    },
    locateMany(xy, out) {
      const count = xy.length >> 1;
      const result = out ?? new Int32Array(count);
      if (result.length < count) throw new RangeError(`locateMany: out holds ${result.length} answers, ${count} needed`);
      if (count < SORT_FROM * buckets) {
        for (let p = 0; p < count; p++) result[p] = locateIndex(xy[2 * p]!, xy[2 * p + 1]!);
        return result;
      }
      // Many points: visit them grouped by bucket (a counting sort), so the lookup cells, lists and edges of one
      // neighbourhood stay in the processor's cache while its points are located.
      // Scratch arrays are kept between calls (grown when too small): locating allocates nothing per point.
      if (scratch.bucketOf.length < count) scratch.bucketOf = new Int32Array(count);
      const bucketOf = scratch.bucketOf;
      const first = scratch.first.fill(0);
      for (let p = 0; p < count; p++) {
        const c = Math.floor((xy[2 * p]! - x0) * sx0), r = Math.floor((xy[2 * p + 1]! - y0) * sy0);
        if (c >= 0 && c < topCols && r >= 0 && r < topRows) {
          const b = (r >> shift) * bucketCols + (c >> shift);
          bucketOf[p] = b;
          first[b + 1]!++;
        } else {
          bucketOf[p] = NONE;
          result[p] = NONE;
        }
      }
      for (let b = 0; b < buckets; b++) first[b + 1]! += first[b]!;
      const inside = first[buckets]!;
      if (scratch.order.length < inside) {
        scratch.order = new Int32Array(inside);
        scratch.sorted = new Float64Array(inside * 2);
      }
      const { order, sorted, next } = scratch;
      next.set(first.subarray(0, buckets));
      for (let p = 0; p < count; p++) {
        const b = bucketOf[p]!;
        if (b === NONE) continue;
        const at = next[b]!++;
        order[at] = p;
        sorted[2 * at] = xy[2 * p]!;
        sorted[2 * at + 1] = xy[2 * p + 1]!;
      }
      for (let at = 0; at < inside; at++) {
        const x = sorted[2 * at]!, y = sorted[2 * at + 1]!;
        const ax = (x - x0) * sx0, ay = (y - y0) * sy0;
        result[order[at]!] = locateFrom((ay | 0) * topCols + (ax | 0), ax, ay, x, y);
      }
      return result;
    },
  };
}
