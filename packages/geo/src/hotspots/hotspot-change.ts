import { cellCount, countCells, type Grid } from './grid';
import { giStar } from './gistar';
import type { PAdjustMethod } from './multiple-testing';

/**
 * Change in hot spots over time.
 *
 * countChange: crimes per cell before and after (sfhotspot::hotspot_change) — the raw difference, no statistics.
 *
 * classifyHotspots (after sfhotspot::hotspot_classify): the period is split into P sub-periods (default 10, see
 * monthPeriods); in each, Gi* is computed on the study-area cells with the chosen correction across cells, and a cell
 * is *hot* in that sub-period when z > 0 and p_adj < criticalP (*cold* when z < 0 and p_adj < criticalP). With
 * R = max(1, floor(recentProp × P)) "recent" sub-periods at the end and P − R "older" ones before them:
 *
 *   share  = hot sub-periods / P        recent = hot among the last R / R        older = hot among the first P − R / (P − R)
 *
 *   persistent hotspot    share ≥ persistentProp
 *   emerging hotspot      older < hotspotProp and recent ≥ recentProp
 *   former hotspot        older ≥ hotspotProp and recent < hotspotProp
 *   intermittent hotspot  share ≥ hotspotProp (and none of the above)
 *   no pattern            otherwise
 *
 * tested in that order; the same with cold for coldspots, and a cell that is both some kind of hotspot and some kind
 * of coldspot is "mixed hot/coldspot". With the defaults (P = 10, hotspotProp 0.1, persistentProp 0.8, recentProp 0.2
 * so R = 2): persistent = hot in ≥ 8 of 10; emerging = hot in 1 or both of the last 2 and never in the first 8; former =
 * hot at least once in the first 8 but in neither of the last 2; intermittent = hot at least once otherwise.
 *
 * Differences from sfhotspot, on purpose: sfhotspot's recent window takes R + 1 columns but divides by R, and it
 * adjusts each cell's p-values across sub-periods (Holm by default); here the window is exactly R and the correction
 * runs across cells within each sub-period, like a single Gi* map. A sub-period without crimes has no hot or cold cells
 * but still counts in the denominators.
 */

export const HOTSPOT_CATEGORIES = [
  'no pattern',
  'emerging hotspot',
  'persistent hotspot',
  'former hotspot',
  'intermittent hotspot',
  'emerging coldspot',
  'persistent coldspot',
  'former coldspot',
  'intermittent coldspot',
  'mixed hot/coldspot',
] as const;
export type HotspotCategory = (typeof HOTSPOT_CATEGORIES)[number];

export const HOTSPOT_CLASSIFY_DEFAULTS = {
  periods: 10,
  hotspotProp: 0.1,
  persistentProp: 0.8,
  recentProp: 0.2,
  criticalP: 0.05,
  correction: 'fdr' as PAdjustMethod,
};

export interface CountChange {
  before: Uint32Array;
  after: Uint32Array;
  /** after − before. */
  change: Int32Array;
}

/** Crimes per cell in two selections of points (e.g. the year before and the year after an intervention). */
export function countChange(grid: Grid, cellOfPoint: Int32Array, before: ArrayLike<number>, after: ArrayLike<number>): CountChange {
  const b = countCells(grid, cellOfPoint, before);
  const a = countCells(grid, cellOfPoint, after);
  const change = new Int32Array(b.length);
  for (let i = 0; i < change.length; i++) change[i] = a[i]! - b[i]!;
  return { before: b, after: a, change };
}

/** Marks points outside [firstMonth, lastMonth] in monthPeriods' output. */
export const NO_PERIOD = 255;

/**
 * Splits a month range (inclusive, as month indices, e.g. months since 2000-01) into `periods` sub-periods of whole
 * months, as even as possible (24 months into 10 gives 2 or 3 months each). Fewer months than `periods` gives one
 * sub-period per month.
 */
export function monthPeriods(
  month: ArrayLike<number>,
  firstMonth: number,
  lastMonth: number,
  periods = HOTSPOT_CLASSIFY_DEFAULTS.periods,
): { periodOfPoint: Uint8Array; periodCount: number; firstMonthOfPeriod: number[] } {
  const months = lastMonth - firstMonth + 1;
  if (!(months >= 1) || !Number.isInteger(months)) throw new RangeError(`monthPeriods: empty month range ${firstMonth}–${lastMonth}`);
  if (!(periods >= 1 && periods <= 32)) throw new RangeError(`monthPeriods: periods must be 1–32, got ${periods}`);
  const P = Math.min(periods, months);
  const periodOfPoint = new Uint8Array(month.length);
  for (let i = 0; i < month.length; i++) {
    const m = month[i]!;
    periodOfPoint[i] = m >= firstMonth && m <= lastMonth ? Math.floor(((m - firstMonth) * P) / months) : NO_PERIOD;
  }
  const firstMonthOfPeriod: number[] = [];
  for (let p = 0; p < P; p++) firstMonthOfPeriod.push(firstMonth + Math.ceil((p * months) / P));
  return { periodOfPoint, periodCount: P, firstMonthOfPeriod };
}

export interface HotspotClassifyOptions {
  mask?: Uint8Array;
  /** Correction across cells within each sub-period. Default 'fdr'. */
  correction?: PAdjustMethod;
  /** Default 0.05. */
  criticalP?: number;
  /** Default 0.1. */
  hotspotProp?: number;
  /** Default 0.8. */
  persistentProp?: number;
  /** Default 0.2. */
  recentProp?: number;
  /** Selected points; default all. */
  indices?: ArrayLike<number>;
}

export interface HotspotClassification {
  /** Index into HOTSPOT_CATEGORIES per cell; 0 (no pattern) outside the mask. */
  category: Uint8Array;
  /** Bit p set when the cell is hot in sub-period p (for sparklines). */
  hotBits: Uint32Array;
  coldBits: Uint32Array;
  periodCount: number;
  recentPeriods: number;
  /** Crimes per sub-period (0 means that sub-period could not produce hot spots). */
  crimesPerPeriod: number[];
}

export function classifyHotspots(
  grid: Grid,
  cellOfPoint: Int32Array,
  periodOfPoint: ArrayLike<number>,
  periodCount: number,
  options: HotspotClassifyOptions = {},
): HotspotClassification {
  const o = { ...HOTSPOT_CLASSIFY_DEFAULTS, ...stripUndefined(options) };
  const P = periodCount;
  if (!(Number.isInteger(P) && P >= 2 && P <= 32)) throw new RangeError(`classifyHotspots: need 2–32 sub-periods, got ${P}`);
  for (const k of ['hotspotProp', 'persistentProp', 'recentProp', 'criticalP'] as const) {
    if (!(o[k] > 0 && o[k] < 1)) throw new RangeError(`classifyHotspots: ${k} must be between 0 and 1, got ${o[k]}`);
  }
  const R = Math.max(1, Math.floor(o.recentProp * P));
  if (P - R < 1) throw new RangeError('classifyHotspots: recentProp leaves no older sub-periods');

  const total = cellCount(grid);
  const counts = Array.from({ length: P }, () => new Uint32Array(total));
  const crimesPerPeriod = new Array<number>(P).fill(0);
  const n = options.indices ? options.indices.length : cellOfPoint.length;
  for (let k = 0; k < n; k++) {
    const i = options.indices ? options.indices[k]! : k;
    const c = cellOfPoint[i]!;
    const p = periodOfPoint[i]!;
    if (c < 0 || !(p >= 0 && p < P)) continue;
    counts[p]![c]!++;
    crimesPerPeriod[p]!++;
  }

  const hotBits = new Uint32Array(total);
  const coldBits = new Uint32Array(total);
  for (let p = 0; p < P; p++) {
    if (crimesPerPeriod[p] === 0) continue;
    const g = giStar(grid, counts[p]!, { mask: o.mask, correction: o.correction });
    const bit = 1 << p;
    for (let i = 0; i < total; i++) {
      if (!(g.pAdjusted[i]! < o.criticalP)) continue;
      if (g.z[i]! > 0) hotBits[i]! |= bit;
      else if (g.z[i]! < 0) coldBits[i]! |= bit;
    }
  }

  const category = new Uint8Array(total);
  const rules = { ...o, recentPeriods: R };
  for (let i = 0; i < total; i++) {
    if (hotBits[i] || coldBits[i]) category[i] = hotspotCategoryOf(hotBits[i]!, coldBits[i]!, P, rules);
  }
  return { category, hotBits, coldBits, periodCount: P, recentPeriods: R, crimesPerPeriod };
}

export interface HotspotRules {
  hotspotProp: number;
  persistentProp: number;
  recentProp: number;
  /** Default max(1, floor(recentProp × periodCount)). */
  recentPeriods?: number;
}

/**
 * The classification rule on its own: bit p of `hotBits`/`coldBits` set when the cell was hot/cold in sub-period p
 * (p = 0 is the oldest). Returns an index into HOTSPOT_CATEGORIES.
 */
export function hotspotCategoryOf(hotBits: number, coldBits: number, periodCount: number, rules: HotspotRules = HOTSPOT_CLASSIFY_DEFAULTS): number {
  const P = periodCount;
  const R = rules.recentPeriods ?? Math.max(1, Math.floor(rules.recentProp * P));
  const older = P - R;
  const olderMask = 2 ** older - 1;
  const recentMask = 2 ** P - 1 - olderMask;
  // 0 none, 1 emerging, 2 persistent, 3 former, 4 intermittent (offsets into HOTSPOT_CATEGORIES)
  const kind = (bits: number): number => {
    if (bits === 0) return 0;
    const share = popcount(bits) / P;
    const recent = popcount(bits & recentMask) / R;
    const old = popcount(bits & olderMask) / older;
    if (share >= rules.persistentProp) return 2;
    if (old < rules.hotspotProp && recent >= rules.recentProp) return 1;
    if (old >= rules.hotspotProp && recent < rules.hotspotProp) return 3;
    if (share >= rules.hotspotProp) return 4;
    return 0;
  };
  const h = kind(hotBits);
  const c = kind(coldBits);
  return h && c ? 9 : h ? h : c ? c + 4 : 0;
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
