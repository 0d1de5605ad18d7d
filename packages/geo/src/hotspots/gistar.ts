import { cellCount, isShiftedRow, type Grid } from './grid';
import { adjustDistinct, twoSidedP, type PAdjustMethod } from './multiple-testing';

/**
 * Getis-Ord Gi* on a grid of values (usually crime counts), as in sfhotspot / spdep::localG with binary weights and the
 * cell itself included:
 *
 *   z_i = (L_i − x̄·k_i) / (S · √((n·k_i − k_i²) / (n − 1)))
 *
 * where n is the number of study-area cells, x̄ and S = √(Σx²/n − x̄²) their mean and (population) standard deviation,
 * k_i the number of study-area cells among i's neighbours including i, and L_i their sum. Neighbours are the cells
 * whose centres lie within cellSize·√2: the 3 × 3 block for squares (queen contiguity), the 6 touching hexagons for
 * hex. Cells outside the mask are neither tested nor neighbours, so the sea or another force's area cannot dilute x̄.
 *
 * p is two-sided normal; the correction (default Benjamini–Hochberg FDR) runs over the n study-area cells. Classes
 * follow ArcGIS' bins after correction: ±3 when p_adj < 0.01 (99 %), ±2 when < 0.05 (95 %), ±1 when < 0.10 (90 %),
 * sign from z, 0 otherwise.
 */
export interface GiStarOptions {
  /** 1 = cell in the study area. Default: every cell. */
  mask?: Uint8Array;
  /** Multiple-testing correction over the study-area cells. Default 'fdr' (Benjamini–Hochberg). */
  correction?: PAdjustMethod;
}

export interface GiStarResult {
  /** Gi* z-score per cell; NaN outside the mask. 0 when every study-area cell has the same value. */
  z: Float64Array;
  /** Two-sided p-value; NaN outside the mask. */
  p: Float64Array;
  /** p after the correction; NaN outside the mask. */
  pAdjusted: Float64Array;
  /** −3…3 as described above; 0 outside the mask. */
  classes: Int8Array;
  correction: PAdjustMethod;
  /** Study-area cells (the number of tests). */
  n: number;
  mean: number;
  /** Population standard deviation of the study-area values. */
  sd: number;
}

/** Significance levels of classes 3, 2 and 1 (99 %, 95 %, 90 % confidence). */
export const GI_CLASS_ALPHA = [0.01, 0.05, 0.1] as const;

/** Class from a z-score and its (adjusted) p-value. */
export function giClass(z: number, pAdjusted: number): number {
  if (!(pAdjusted < GI_CLASS_ALPHA[2]) || z === 0 || Number.isNaN(z)) return 0;
  const level = pAdjusted < GI_CLASS_ALPHA[0] ? 3 : pAdjusted < GI_CLASS_ALPHA[1] ? 2 : 1;
  return z > 0 ? level : -level;
}

// Above this many (sum, k) slots the lookup table would cost more memory than a Map.
const MAX_TABLE = 1 << 24;

export function giStar(grid: Grid, values: ArrayLike<number>, options: GiStarOptions = {}): GiStarResult {
  const total = cellCount(grid);
  if (values.length !== total) throw new RangeError(`giStar: ${values.length} values for ${total} cells`);
  const mask = options.mask;
  if (mask && mask.length !== total) throw new RangeError(`giStar: mask has ${mask.length} cells, grid ${total}`);
  const correction = options.correction ?? 'fdr';

  // Masked copy: cells outside contribute neither value nor neighbour count.
  const x = new Float64Array(total);
  const inside = mask ?? new Uint8Array(total).fill(1);
  let n = 0, sum = 0;
  let integral = true;
  for (let i = 0; i < total; i++) {
    if (!inside[i]) continue;
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`giStar: value at cell ${i} is ${v}`);
    x[i] = v;
    n++;
    sum += v;
    if (integral && (v !== Math.floor(v) || v < 0)) integral = false;
  }
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < total; i++) if (inside[i]) ss += (x[i]! - mean) ** 2;
  const sd = n > 0 ? Math.sqrt(ss / n) : NaN;

  const { L, K } = grid.shape === 'square' ? squareSums(grid, x, inside) : hexSums(grid, x, inside);

  const z = new Float64Array(total).fill(NaN);
  const p = new Float64Array(total).fill(NaN);
  const pAdjusted = new Float64Array(total).fill(NaN);
  const classes = new Int8Array(total);
  if (n === 0) return { z, p, pAdjusted, classes, correction, n, mean, sd };

  // z depends only on (L, k), and count grids have few distinct pairs: compute each p once, adjust the distinct
  // values with their multiplicities, then look up. Integer counts index a flat table; other values use a Map on z.
  let maxL = 0;
  if (integral) for (let i = 0; i < total; i++) if (inside[i] && L[i]! > maxL) maxL = L[i]!;
  const useTable = integral && (maxL + 1) * 16 <= MAX_TABLE;
  const table = useTable ? new Int32Array((maxL + 1) * 16).fill(-1) : null;
  const byZ = useTable ? null : new Map<number, number>();
  const slotOf = new Int32Array(total);
  const distinctZ: number[] = [];
  const multiplicity: number[] = [];
  const nm1 = n - 1;
  for (let i = 0; i < total; i++) {
    if (!inside[i]) continue;
    const k = K[i]!;
    const denom = sd * Math.sqrt((n * k - k * k) / nm1);
    // A constant surface, or a neighbourhood that is the whole study area, carries no evidence either way.
    const zi = denom > 0 ? (L[i]! - mean * k) / denom : 0;
    z[i] = zi;
    let slot: number;
    if (table) {
      const key = L[i]! * 16 + k;
      slot = table[key]!;
      if (slot < 0) {
        slot = table[key] = distinctZ.length;
        distinctZ.push(zi);
        multiplicity.push(0);
      }
    } else {
      slot = byZ!.get(zi) ?? -1;
      if (slot < 0) {
        slot = distinctZ.length;
        byZ!.set(zi, slot);
        distinctZ.push(zi);
        multiplicity.push(0);
      }
    }
    multiplicity[slot]!++;
    slotOf[i] = slot;
  }
  const distinctP = distinctZ.map(twoSidedP);
  const distinctAdj = adjustDistinct(distinctP, multiplicity, correction);
  const distinctClass = distinctZ.map((zi, d) => giClass(zi, distinctAdj[d]!));
  for (let i = 0; i < total; i++) {
    if (!inside[i]) continue;
    const d = slotOf[i]!;
    p[i] = distinctP[d]!;
    pAdjusted[i] = distinctAdj[d]!;
    classes[i] = distinctClass[d]!;
  }
  return { z, p, pAdjusted, classes, correction, n, mean, sd };
}

/** 3 × 3 block sums of the masked values and of the mask, separably: a row pass then a column pass. */
function squareSums(grid: Grid, x: Float64Array, inside: Uint8Array): { L: Float64Array; K: Uint8Array } {
  const { nx, ny } = grid;
  const total = nx * ny;
  const hL = new Float64Array(total);
  const hK = new Uint8Array(total);
  for (let r = 0; r < ny; r++) {
    const base = r * nx;
    for (let c = 0; c < nx; c++) {
      const i = base + c;
      let s = x[i]!, k = inside[i]!;
      if (c > 0) {
        s += x[i - 1]!;
        k += inside[i - 1]!;
      }
      if (c < nx - 1) {
        s += x[i + 1]!;
        k += inside[i + 1]!;
      }
      hL[i] = s;
      hK[i] = k;
    }
  }
  const L = new Float64Array(total);
  const K = new Uint8Array(total);
  for (let i = 0; i < total; i++) {
    if (!inside[i]) continue;
    let s = hL[i]!, k = hK[i]!;
    if (i >= nx) {
      s += hL[i - nx]!;
      k += hK[i - nx]!;
    }
    if (i + nx < total) {
      s += hL[i + nx]!;
      k += hK[i + nx]!;
    }
    L[i] = s;
    K[i] = k;
  }
  return { L, K };
}

/** Sums over self + the 6 touching hexagons (the rows above and below touch the column and its shift-side one). */
function hexSums(grid: Grid, x: Float64Array, inside: Uint8Array): { L: Float64Array; K: Uint8Array } {
  const { nx, ny } = grid;
  const total = nx * ny;
  const L = new Float64Array(total);
  const K = new Uint8Array(total);
  for (let r = 0; r < ny; r++) {
    const shifted = isShiftedRow(grid, r);
    for (let c = 0; c < nx; c++) {
      const i = r * nx + c;
      if (!inside[i]) continue;
      let s = x[i]!, k = 1;
      if (c > 0) {
        s += x[i - 1]!;
        k += inside[i - 1]!;
      }
      if (c < nx - 1) {
        s += x[i + 1]!;
        k += inside[i + 1]!;
      }
      const ca = shifted ? c : c - 1; // the two touching columns in the adjacent rows: ca, ca + 1
      for (let t = 0; t < 2; t++) {
        const rr = t === 0 ? r - 1 : r + 1;
        if (rr < 0 || rr >= ny) continue;
        const b = rr * nx;
        if (ca >= 0) {
          s += x[b + ca]!;
          k += inside[b + ca]!;
        }
        if (ca + 1 < nx) {
          s += x[b + ca + 1]!;
          k += inside[b + ca + 1]!;
        }
      }
      L[i] = s;
      K[i] = k;
    }
  }
  return { L, K };
}

/** Cells whose class is at least `minClass` (hot) or, for negative `minClass`, at most it (cold). */
export function significantCells(result: Pick<GiStarResult, 'classes'>, minClass = 1): Uint32Array {
  const { classes } = result;
  const hit = (v: number) => (minClass > 0 ? v >= minClass : minClass < 0 ? v <= minClass : v !== 0);
  let count = 0;
  for (let i = 0; i < classes.length; i++) if (hit(classes[i]!)) count++;
  const out = new Uint32Array(count);
  for (let i = 0, k = 0; i < classes.length; i++) if (hit(classes[i]!)) out[k++] = i;
  return out;
}
