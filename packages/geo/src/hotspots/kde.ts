import { cellArea, cellCount, rowCentreX0, rowCentreY, rowSpacing, type Grid } from './grid';
import { uniqueCoordinates, type UniqueCoordinates } from './snap-points';
import { automaticBandwidth, type AutomaticBandwidth } from './bandwidth';

export { AUTO_BANDWIDTH, automaticBandwidth, bandwidthBounds, type AutomaticBandwidth } from './bandwidth';

/**
 * Kernel density on a grid with the quartic (biweight) kernel, the one ArcGIS, QGIS and SpatialKDE/sfhotspot use:
 *
 *   K(d) = 3 / (π h²) · (1 − d²/h²)²  for d < h, else 0
 *
 * evaluated at each cell centre. K integrates to 1, so the sum over points is points per m²; results are reported in
 * **crimes per km²** (× 10⁶). There is no edge correction: density near the edge of the data falls off as in sfhotspot.
 * Points sharing a coordinate (police.uk snap points) are merged into one weighted point first, which is exact and
 * makes real data ~15× cheaper.
 */

const KM2 = 1e6;

/**
 * MASS::bandwidth.nrd: 4 × 1.06 × min(sd, IQR/1.34) × n^(−1/5), with R's default (type 7) quantiles and the n − 1
 * standard deviation. NaN for fewer than two values.
 */
export function bandwidthNrd(values: ArrayLike<number>): number {
  return weightedNrd(values, null);
}

/**
 * bandwidth.nrd of the list in which values[k] appears weights[k] times (integers), without expanding it: police.uk
 * data repeats ~16 k coordinates over ~256 k crimes, so sorting the distinct values is ~15× cheaper.
 */
function weightedNrd(values: ArrayLike<number>, weights: ArrayLike<number> | null): number {
  const m = values.length;
  const order = Uint32Array.from({ length: m }, (_, k) => k);
  const v = Float64Array.from(values);
  if (weights) order.sort((a, b) => v[a]! - v[b]!);
  else v.sort();
  const w = (k: number) => (weights ? weights[order[k]!]! : 1);
  const at = (k: number) => (weights ? v[order[k]!]! : v[k]!);
  let n = 0, mean = 0;
  for (let k = 0; k < m; k++) {
    n += w(k);
    mean += w(k) * at(k);
  }
  if (n < 2) return NaN;
  mean /= n;
  let ss = 0;
  for (let k = 0; k < m; k++) ss += w(k) * (at(k) - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  // R's type-7 quantile: interpolate between the order statistics at ranks floor(h) and floor(h) + 1 (0-based).
  const orderStat = (rank: number): number => {
    let seen = 0;
    for (let k = 0; k < m; k++) {
      seen += w(k);
      if (rank < seen) return at(k);
    }
    return at(m - 1);
  };
  const quantile = (q: number): number => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const a = orderStat(lo);
    return a + (h - lo) * (orderStat(Math.min(n - 1, lo + 1)) - a);
  };
  const iqr = quantile(0.75) - quantile(0.25);
  return 4 * 1.06 * Math.min(sd, iqr / 1.34) * n ** -0.2;
}

/**
 * sfhotspot's default, the normal reference rule for the points: the mean of bandwidth.nrd on x and on y. Falls back to
 * 2 × `fallback` (pass the cell size) when the rule gives nothing usable, e.g. every point on one snap point (IQR and sd
 * both 0). Non-finite points are ignored. {@link kde} no longer uses it as it is: see {@link automaticBandwidth}.
 */
export function defaultBandwidth(xy: Float64Array, indices?: ArrayLike<number>, fallback = 100): number {
  const bw = nrdOf(uniqueCoordinates(xy, indices));
  return bw > 0 ? bw : 2 * fallback;
}

/** The mean of bandwidth.nrd on x and on y of the (weighted) distinct coordinates; NaN or 0 when it gives nothing. */
function nrdOf(coords: UniqueCoordinates): number {
  const xs = new Float64Array(coords.count);
  const ys = new Float64Array(coords.count);
  for (let u = 0; u < coords.count; u++) {
    xs[u] = coords.xy[2 * u]!;
    ys[u] = coords.xy[2 * u + 1]!;
  }
  return (weightedNrd(xs, coords.weight) + weightedNrd(ys, coords.weight)) / 2;
}

export interface KdeOptions {
  /**
   * Kernel radius h in metres. Default {@link automaticBandwidth}: the normal reference rule on the selected points,
   * held to 2–6 cells of the grid (at least 200 m).
   */
  bandwidth?: number;
  /** Multiplies the bandwidth (default or given), as sfhotspot's bandwidth_adjust. Default 1. */
  bandwidthAdjust?: number;
  /** Selected points; default all. */
  indices?: ArrayLike<number>;
  /** Cells outside the mask are NaN in the output (their density is not shown, but points there still count). */
  mask?: Uint8Array;
}

export interface KdeResult {
  /** Kernel radius used, metres. */
  bandwidth: number;
  /** Crimes per km² at each cell centre; NaN outside the mask. */
  density: Float64Array;
  /** How the bandwidth was chosen, when it was not given (before any bandwidthAdjust). */
  automatic?: AutomaticBandwidth;
}

export function kde(grid: Grid, xy: Float64Array, options: KdeOptions = {}): KdeResult {
  if (options.mask && options.mask.length !== cellCount(grid)) throw new RangeError(`kde: mask has ${options.mask.length} cells, grid ${cellCount(grid)}`);
  const coords = uniqueCoordinates(xy, options.indices);
  const automatic = options.bandwidth === undefined ? automaticBandwidth(nrdOf(coords), grid.cellSize) : undefined;
  const h = (options.bandwidth ?? automatic!.bandwidth) * (options.bandwidthAdjust ?? 1);
  if (!(h > 0) || !Number.isFinite(h)) throw new RangeError(`kde: bandwidth must be a positive number of metres, got ${h}`);
  const density = new Float64Array(cellCount(grid));
  scatterQuartic(grid, coords.xy, Float64Array.from(coords.weight), coords.count, h, density);
  finish(density, h, options.mask);
  return { bandwidth: h, density, ...(automatic && { automatic }) };
}

/**
 * Density of a gridded quantity (e.g. residents per cell) with the same kernel, each cell's amount placed at its
 * centre: amount per km². Wide kernels cost O(cells × kernel rows) whatever the number of non-zero cells (~180 ms for
 * the county at 100 m with a 3 km bandwidth); narrow ones O(non-zero cells × cells in the disc).
 */
export function kdeOfGrid(grid: Grid, amounts: Float64Array, bandwidth: number, mask?: Uint8Array): Float64Array {
  if (amounts.length !== cellCount(grid)) throw new RangeError(`kdeOfGrid: ${amounts.length} amounts for ${cellCount(grid)} cells`);
  if (!(bandwidth > 0)) throw new RangeError(`kdeOfGrid: bandwidth must be > 0, got ${bandwidth}`);
  if (mask && mask.length !== amounts.length) throw new RangeError(`kdeOfGrid: mask has ${mask.length} cells, grid ${amounts.length}`);
  const density = new Float64Array(amounts.length);
  if (bandwidth / grid.cellSize >= SWEEP_MIN) {
    convolveGridQuartic(grid, amounts, bandwidth, density, mask);
  } else {
    let m = 0;
    for (let i = 0; i < amounts.length; i++) if (amounts[i]! !== 0) m++;
    const pts = new Float64Array(m * 2);
    const w = new Float64Array(m);
    for (let i = 0, k = 0; i < amounts.length; i++) {
      if (amounts[i]! === 0) continue;
      const row = Math.floor(i / grid.nx);
      pts[2 * k] = rowCentreX0(grid, row) + (i - row * grid.nx) * grid.cellSize;
      pts[2 * k + 1] = rowCentreY(grid, row);
      w[k++] = amounts[i]!;
    }
    directQuartic(grid, pts, w, m, bandwidth, density);
  }
  finish(density, bandwidth, mask);
  return density;
}

export interface DualKdeOptions extends KdeOptions {
  /**
   * Cells whose kernel-smoothed population, expressed as residents within one bandwidth disc, is below this get NaN:
   * a rate over a field or a river is noise. Default 100.
   */
  minResidents?: number;
}

export interface DualKdeResult extends KdeResult {
  /** Residents per km², smoothed with the same kernel and bandwidth. */
  populationDensity: Float64Array;
  /** Crimes per 1,000 residents: 1000 × density / populationDensity; NaN where population is too thin or masked. */
  rate: Float64Array;
}

/**
 * Dual KDE: crime density over resident density, both with the same quartic kernel and bandwidth, as crimes per 1,000
 * residents. `population` is residents per cell of `grid` (see populationGrid for spreading LSOA totals by area).
 */
export function dualKde(grid: Grid, xy: Float64Array, population: Float64Array, options: DualKdeOptions = {}): DualKdeResult {
  const { bandwidth, density, automatic } = kde(grid, xy, options);
  const populationDensity = kdeOfGrid(grid, population, bandwidth, options.mask);
  const minResidents = options.minResidents ?? 100;
  const discKm2 = (Math.PI * bandwidth * bandwidth) / KM2;
  const rate = new Float64Array(density.length);
  for (let i = 0; i < rate.length; i++) {
    const pd = populationDensity[i]!;
    rate[i] = pd * discKm2 >= minResidents ? (1000 * density[i]!) / pd : NaN;
  }
  return { bandwidth, density, populationDensity, rate, ...(automatic && { automatic }) };
}

/**
 * Adds Σ w·(1 − d²/h²)² into `out` for each of the `m` weighted points; normalisation happens in finish().
 *
 * Wide kernels use a row sweep: on one grid row a point's kernel is a degree-4 polynomial in x over a window, so each
 * (point, row) adds five coefficients at the window start and removes them after its end, and one pass along the row
 * evaluates the running polynomial. That costs O(points × rows + cells) instead of O(points × cells in the disc),
 * 5–10× less for the wide kernels an analyst may choose (up to 5 km; the automatic one is at most 6 cells). x is
 * measured from the row middle in bandwidths, so the polynomial terms stay within (grid width / h)⁴ ≈ 10⁷ of the
 * result and rounding stays ~1e-9 relative; narrow kernels (< SWEEP_MIN cells) would lose that margin and are cheap to
 * add cell by cell anyway.
 */
const SWEEP_MIN = 12;

function scatterQuartic(grid: Grid, pts: Float64Array, w: Float64Array, m: number, h: number, out: Float64Array): void {
  if (h / grid.cellSize >= SWEEP_MIN) sweepQuartic(grid, pts, w, m, h, out);
  else directQuartic(grid, pts, w, m, h, out);
}

function directQuartic(grid: Grid, pts: Float64Array, w: Float64Array, m: number, h: number, out: Float64Array): void {
  const { nx, ny, cellSize: s } = grid;
  const hr = rowSpacing(grid);
  const y0 = rowCentreY(grid, 0);
  const h2 = h * h;
  const invH2 = 1 / h2;
  const x0Even = rowCentreX0(grid, 0);
  const x0Odd = rowCentreX0(grid, 1);
  for (let k = 0; k < m; k++) {
    const px = pts[2 * k]!, py = pts[2 * k + 1]!;
    const wk = w[k]!;
    const r0 = Math.max(0, Math.ceil((py - h - y0) / hr));
    const r1 = Math.min(ny - 1, Math.floor((py + h - y0) / hr));
    for (let r = r0; r <= r1; r++) {
      const dy = y0 + r * hr - py;
      const rem = h2 - dy * dy;
      if (rem <= 0) continue;
      const half = Math.sqrt(rem);
      const x0 = (r & 1) === 0 ? x0Even : x0Odd;
      const c0 = Math.max(0, Math.ceil((px - half - x0) / s));
      const c1 = Math.min(nx - 1, Math.floor((px + half - x0) / s));
      const base = r * nx;
      const a = 1 - dy * dy * invH2;
      for (let c = c0; c <= c1; c++) {
        const dx = x0 + c * s - px;
        const t = a - dx * dx * invH2;
        if (t > 0) out[base + c]! += wk * t * t;
      }
    }
  }
}

function sweepQuartic(grid: Grid, pts: Float64Array, w: Float64Array, m: number, h: number, out: Float64Array): void {
  const { nx, ny, cellSize: s } = grid;
  const hr = rowSpacing(grid);
  const y0 = rowCentreY(grid, 0);
  const h2 = h * h;
  const invS = 1 / s;
  const invH = 1 / h;
  const x0Even = rowCentreX0(grid, 0);
  const oddShift = (rowCentreX0(grid, 1) - x0Even) * invS;

  // Bucket points by the first row they reach, so each row visits only points within h of it.
  const firstRow = new Int32Array(m);
  const lastRow = new Int32Array(m);
  const bucketStart = new Int32Array(ny + 1);
  for (let k = 0; k < m; k++) {
    const py = pts[2 * k + 1]!;
    const r0 = Math.max(0, Math.ceil((py - h - y0) / hr));
    const r1 = Math.min(ny - 1, Math.floor((py + h - y0) / hr));
    firstRow[k] = r0;
    lastRow[k] = r1;
    if (r0 <= r1) bucketStart[r0 + 1]!++;
  }
  for (let r = 0; r < ny; r++) bucketStart[r + 1]! += bucketStart[r]!;
  // Per bucketed point: x in columns of an even row, x relative to the grid middle in bandwidths, y, weight.
  const total = bucketStart[ny]!;
  const bx = new Float64Array(total), bq = new Float64Array(total), by = new Float64Array(total), bw = new Float64Array(total);
  const bLast = new Int32Array(total);
  const fill = bucketStart.slice(0, ny);
  const xMid = x0Even + (nx >> 1) * s;
  for (let k = 0; k < m; k++) {
    if (firstRow[k]! > lastRow[k]!) continue;
    const j = fill[firstRow[k]!]!++;
    const px = pts[2 * k]!;
    bx[j] = (px - x0Even) * invS;
    bq[j] = (px - xMid) * invH;
    by[j] = pts[2 * k + 1]!;
    bw[j] = w[k]!;
    bLast[j] = lastRow[k]!;
  }
  const span = Math.ceil((2 * h) / hr) + 1;

  // Coefficient deltas interleaved per column (5 per column) so one point's update touches two cache lines.
  const d = new Float64Array((nx + 1) * 5);
  const active = new Int32Array(nx + 1);
  const uStep = s * invH;
  for (let r = 0; r < ny; r++) {
    const odd = (r & 1) === 1;
    const shiftCols = odd ? oddShift : 0;
    // Odd hex rows sit half a cell east, so their middle (and the polynomial origin) moves with them.
    const qShift = odd ? oddShift * uStep : 0;
    const yr = y0 + r * hr;
    let any = false;
    for (let j = bucketStart[Math.max(0, r - span)]!, end = bucketStart[r + 1]!; j < end; j++) {
      if (bLast[j]! < r) continue;
      const dy = yr - by[j]!;
      const rem = h2 - dy * dy;
      if (rem <= 0) continue;
      const halfCols = Math.sqrt(rem) * invS;
      const xc = bx[j]! - shiftCols;
      let c0 = Math.ceil(xc - halfCols);
      let c1 = Math.floor(xc + halfCols);
      if (c0 < 0) c0 = 0;
      if (c1 > nx - 1) c1 = nx - 1;
      if (c0 > c1) continue;
      if (!any) {
        d.fill(0);
        active.fill(0);
        any = true;
      }
      // w·(a − (u − q)²)² = w·(u⁴ − 4q·u³ + (4q² − 2b)·u² + 4qb·u + b²), b = a − q², u and q in bandwidths.
      const wk = bw[j]!;
      const q = bq[j]! - qShift;
      const b = rem / h2 - q * q;
      const k3 = -4 * q * wk, k2 = (4 * q * q - 2 * b) * wk, k1 = 4 * q * b * wk, k0 = b * b * wk;
      let o = c0 * 5;
      d[o]! += k0; d[o + 1]! += k1; d[o + 2]! += k2; d[o + 3]! += k3; d[o + 4]! += wk;
      o = (c1 + 1) * 5;
      d[o]! -= k0; d[o + 1]! -= k1; d[o + 2]! -= k2; d[o + 3]! -= k3; d[o + 4]! -= wk;
      active[c0]!++;
      active[c1 + 1]!--;
    }
    if (!any) continue;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, n = 0;
    const base = r * nx;
    const u0 = -(nx >> 1) * uStep;
    for (let c = 0; c < nx; c++) {
      n += active[c]!;
      if (n === 0) {
        // Reset rather than trust add-then-subtract to return exactly to zero.
        a0 = a1 = a2 = a3 = a4 = 0;
        continue;
      }
      const o = c * 5;
      a0 += d[o]!; a1 += d[o + 1]!; a2 += d[o + 2]!; a3 += d[o + 3]!; a4 += d[o + 4]!;
      const u = u0 + c * uStep;
      const v = (((a4 * u + a3) * u + a2) * u + a1) * u + a0;
      if (v > 0) out[base + c]! += v;
    }
  }
}

/**
 * Gridded sources (one weighted point per cell centre) with a wide kernel: between a target row and a source row every
 * source has the same window half-width and the kernel is a degree-4 polynomial in the source's x, so the target value
 * is a combination of windowed moments Σ f·tᵐ (m = 0…4) read from per-row prefix sums: O(cells × kernel rows),
 * independent of how many cells are non-zero. Zero windows give exactly zero (equal prefix sums).
 */
function convolveGridQuartic(grid: Grid, amounts: Float64Array, h: number, out: Float64Array, mask: Uint8Array | undefined): void {
  const { nx, ny, cellSize: s } = grid;
  const hr = rowSpacing(grid);
  const h2 = h * h;
  const uStep = s / h;
  const half = nx >> 1;
  // Prefix moments per row: P[(r·(nx+1) + k)·5 + m] = Σ_{k' < k} f·t^m, t = (k' − half)·s/h (+ half a cell on odd hex rows).
  const stride = (nx + 1) * 5;
  const P = new Float64Array(ny * stride);
  const rowHasMass = new Uint8Array(ny);
  // With no negative amounts a window whose total is 0 holds nothing, which lets empty windows give an exact 0.
  let nonNegative = true;
  for (let i = 0; i < amounts.length && nonNegative; i++) if (amounts[i]! < 0) nonNegative = false;
  const oddShift = (rowCentreX0(grid, 1) - rowCentreX0(grid, 0)) / s;
  for (let r = 0; r < ny; r++) {
    const shift = (r & 1) === 1 ? oddShift : 0;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    const base = r * stride;
    for (let k = 0; k < nx; k++) {
      const f = amounts[r * nx + k]!;
      if (f !== 0) {
        const t = (k - half + shift) * uStep;
        const t2 = t * t;
        s0 += f; s1 += f * t; s2 += f * t2; s3 += f * t2 * t; s4 += f * t2 * t2;
        rowHasMass[r] = 1;
      }
      const o = base + (k + 1) * 5;
      P[o] = s0; P[o + 1] = s1; P[o + 2] = s2; P[o + 3] = s3; P[o + 4] = s4;
    }
  }
  const R = Math.floor(h / hr);
  for (let r = 0; r < ny; r++) {
    if (mask && mask.subarray(r * nx, (r + 1) * nx).indexOf(1) < 0) continue;
    const shiftR = (r & 1) === 1 ? oddShift : 0;
    for (let rr = Math.max(0, r - R); rr <= Math.min(ny - 1, r + R); rr++) {
      if (!rowHasMass[rr]) continue;
      const dy = (rr - r) * hr;
      const rem = h2 - dy * dy;
      if (rem <= 0) continue;
      const a = rem / h2;
      const W = Math.sqrt(rem) / s;
      // Source k is within the window of target c when |k + shiftRR − (c + shiftR)| < W.
      const delta = shiftR - ((rr & 1) === 1 ? oddShift : 0);
      const base = rr * stride;
      // ceil(c + x) = c + ceil(x) for whole c, so the window offsets are fixed for the row pair.
      const loOff = Math.ceil(delta - W);
      const hiOff = Math.floor(delta + W);
      const cStart = Math.max(0, -hiOff);
      const cEnd = Math.min(nx - 1, nx - 1 - loOff);
      const rowBase = r * nx;
      for (let c = cStart; c <= cEnd; c++) {
        if (mask && mask[rowBase + c] === 0) continue;
        const lo = c + loOff > 0 ? c + loOff : 0;
        const hi = c + hiOff < nx - 1 ? c + hiOff : nx - 1;
        const oh = base + (hi + 1) * 5, ol = base + lo * 5;
        const m0 = P[oh]! - P[ol]!;
        if (m0 === 0 && nonNegative) continue;
        const m1 = P[oh + 1]! - P[ol + 1]!, m2 = P[oh + 2]! - P[ol + 2]!;
        const m3 = P[oh + 3]! - P[ol + 3]!, m4 = P[oh + 4]! - P[ol + 4]!;
        // Σ f·(a − (u − t)²)² = M4 − 4u·M3 + (4u² − 2e)·M2 + 4ue·M1 + e²·M0, e = a − u².
        const u = (c - half + shiftR) * uStep;
        const e = a - u * u;
        const v = m4 - 4 * u * m3 + (4 * u * u - 2 * e) * m2 + 4 * u * e * m1 + e * e * m0;
        if (v > 0 || !nonNegative) out[rowBase + c]! += v;
      }
    }
  }
}

function finish(density: Float64Array, h: number, mask: Uint8Array | undefined): void {
  const scale = (3 / (Math.PI * h * h)) * KM2;
  for (let i = 0; i < density.length; i++) density[i] = mask && !mask[i] ? NaN : density[i]! * scale;
}

/** Expected crimes in one cell from a density (per km²): density × cell area. Handy for checks and legends. */
export function densityToCellCount(grid: Grid, densityPerKm2: number): number {
  return (densityPerKm2 * cellArea(grid)) / KM2;
}
