import KDBush from 'kdbush';
import { cellCentre, cellCount, erfc, type Grid, type PAdjustMethod } from '../src/index';

/**
 * The obvious Gi* implementation, written independently of src/hotspots/gistar.ts for cross-checks and as the
 * benchmark baseline: neighbours found by distance between cell centres (kdbush radius query, ≤ cellSize·√2), the
 * general weighted Getis-Ord formula with binary weights, one erfc per cell, and R's p.adjust algorithm with a full
 * sort of every study-area cell.
 */
export function referenceGiStar(
  grid: Grid,
  values: ArrayLike<number>,
  mask: Uint8Array | undefined,
  method: PAdjustMethod,
): { z: Float64Array; p: Float64Array; pAdjusted: Float64Array; classes: Int8Array } {
  const total = cellCount(grid);
  const cells: number[] = [];
  for (let c = 0; c < total; c++) if (!mask || mask[c]) cells.push(c);
  const n = cells.length;
  const index = new KDBush(n, 64, Float64Array);
  for (const c of cells) {
    const [x, y] = cellCentre(grid, c);
    index.add(x, y);
  }
  index.finish();

  let sum = 0, sumSq = 0;
  for (const c of cells) {
    sum += values[c]!;
    sumSq += values[c]! ** 2;
  }
  const mean = sum / n;
  const S = Math.sqrt(sumSq / n - mean * mean);

  const z = new Float64Array(total).fill(NaN);
  const p = new Float64Array(total).fill(NaN);
  const radius = grid.cellSize * Math.SQRT2 * (1 + 1e-9);
  for (const c of cells) {
    const [x, y] = cellCentre(grid, c);
    let wx = 0, w = 0, w2 = 0;
    for (const j of index.within(x, y, radius)) {
      const weight = 1;
      wx += weight * values[cells[j]!]!;
      w += weight;
      w2 += weight * weight;
    }
    const denom = S * Math.sqrt((n * w2 - w * w) / (n - 1));
    z[c] = denom > 0 ? (wx - mean * w) / denom : 0;
    p[c] = erfc(Math.abs(z[c]!) / Math.SQRT2);
  }

  // R: p.adjust
  const pAdjusted = new Float64Array(total).fill(NaN);
  const order = [...cells].sort((a, b) => p[a]! - p[b]!);
  if (method === 'none') for (const c of cells) pAdjusted[c] = p[c]!;
  else if (method === 'fdr') {
    let running = Infinity;
    for (let i = n; i >= 1; i--) {
      running = Math.min(running, (n / i) * p[order[i - 1]!]!);
      pAdjusted[order[i - 1]!] = Math.min(1, running);
    }
  } else {
    let running = 0;
    for (let i = 1; i <= n; i++) {
      running = Math.max(running, (n - i + 1) * p[order[i - 1]!]!);
      pAdjusted[order[i - 1]!] = Math.min(1, running);
    }
  }

  const classes = new Int8Array(total);
  for (const c of cells) {
    const q = pAdjusted[c]!;
    const level = q < 0.01 ? 3 : q < 0.05 ? 2 : q < 0.1 ? 1 : 0;
    classes[c] = z[c]! > 0 ? level : z[c]! < 0 ? -level : 0;
  }
  return { z, p, pAdjusted, classes };
}
