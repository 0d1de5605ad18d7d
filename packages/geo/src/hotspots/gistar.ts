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

  // The output arrays double as scratch to keep a county run at ~10 MB of allocation: pAdjusted holds the masked
  // values, p the neighbourhood sums and z each cell's slot in the distinct-(L, k) table, until the final pass.
  const z = new Float64Array(total);
  const p = new Float64Array(total);
  const pAdjusted = new Float64Array(total);
  const classes = new Int8Array(total);
  const x = pAdjusted;
  const inside = mask ?? new Uint8Array(total).fill(1);
  let n = 0, sum = 0, sumSq = 0, maxX = 0;
  let integral = true;
  for (let i = 0; i < total; i++) {
    if (!inside[i]) continue;
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`giStar: value at cell ${i} is ${v}`);
    x[i] = v;
    n++;
    sum += v;
    sumSq += v * v;
    if (v > maxX) maxX = v;
    if (integral && (v !== Math.floor(v) || v < 0)) integral = false;
  }
  const mean = n > 0 ? sum / n : NaN;
  let sd: number;
  if (integral && sumSq < 2 ** 53) {
    // Integer sums below 2^53 are exact, so the one-pass formula loses nothing.
    sd = n > 0 ? Math.sqrt(Math.max(0, (sumSq - sum * mean) / n)) : NaN;
  } else {
    let ss = 0;
    for (let i = 0; i < total; i++) if (inside[i]) ss += (x[i]! - mean) ** 2;
    sd = n > 0 ? Math.sqrt(ss / n) : NaN;
  }
  if (n === 0) {
    z.fill(NaN);
    p.fill(NaN);
    pAdjusted.fill(NaN);
    return { z, p, pAdjusted, classes, correction, n, mean, sd };
  }

  // Squares: sums of 3 along each row here, of those 3 row sums down the column in the main loop. Hex: complete sums.
  const square = grid.shape === 'square';
  const S = p;
  const C = new Uint8Array(total);
  if (square) rowSums3(grid, x, inside, S, C);
  else hexSums(grid, x, inside, S, C);
  const nx = grid.nx;

  // z depends only on (L, k), and count grids have few distinct pairs: compute each p once, adjust the distinct
  // values with their multiplicities, then look up. Integer counts index a flat table; other values use a Map on z.
  const maxL = 9 * maxX;
  const useTable = integral && (maxL + 1) * 16 <= MAX_TABLE;
  const table = useTable ? new Int32Array((maxL + 1) * 16).fill(-1) : null;
  const byZ = useTable ? null : new Map<number, number>();
  const slotOf = z;
  const distinctZ: number[] = [];
  const multiplicity: number[] = [];
  // The denominator depends only on k (at most 9 values).
  const maxK = square ? 9 : 7;
  const denomOfK = new Float64Array(maxK + 1);
  for (let k = 1; k <= maxK; k++) denomOfK[k] = sd * Math.sqrt((n * k - k * k) / (n - 1));
  const zOf = (Li: number, k: number): number => {
    const denom = denomOfK[k]!;
    // A constant surface, or a neighbourhood that is the whole study area, carries no evidence either way.
    return denom > 0 ? (Li - mean * k) / denom : 0;
  };
  for (let i = 0; i < total; i++) {
    if (!inside[i]) continue;
    let Li = S[i]!;
    let k = C[i]!;
    if (square) {
      if (i >= nx) {
        Li += S[i - nx]!;
        k += C[i - nx]!;
      }
      if (i + nx < total) {
        Li += S[i + nx]!;
        k += C[i + nx]!;
      }
    }
    let slot: number;
    if (table) {
      const key = Li * 16 + k;
      slot = table[key]!;
      if (slot < 0) {
        slot = table[key] = distinctZ.length;
        distinctZ.push(zOf(Li, k));
        multiplicity.push(0);
      }
    } else {
      const zi = zOf(Li, k);
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
    if (!inside[i]) {
      z[i] = NaN;
      p[i] = NaN;
      pAdjusted[i] = NaN;
      continue;
    }
    const d = slotOf[i]!;
    z[i] = distinctZ[d]!;
    p[i] = distinctP[d]!;
    pAdjusted[i] = distinctAdj[d]!;
    classes[i] = distinctClass[d]!;
  }
  return { z, p, pAdjusted, classes, correction, n, mean, sd };
}

/** Sums of each cell and its east/west neighbours (masked values, and mask counts). */
function rowSums3(grid: Grid, x: Float64Array, inside: Uint8Array, L: Float64Array, K: Uint8Array): void {
  const { nx, ny } = grid;
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
      L[i] = s;
      K[i] = k;
    }
  }
}

/** Sums over self + the 6 touching hexagons (the rows above and below touch the column and its shift-side one). */
function hexSums(grid: Grid, x: Float64Array, inside: Uint8Array, L: Float64Array, K: Uint8Array): void {
  const { nx, ny } = grid;
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
