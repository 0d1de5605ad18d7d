import { CATEGORY_COUNT, UNPLACED_LSOA, type CrimeRecord } from '@safer-places/domain';
import { CATEGORY_INDEX } from '@safer-places/schemas';
import type { MonthAccounting } from './accounting';
import { inUk } from './crime-import';
import { ImportInputError } from './errors';

/**
 * Before a stored month is replaced, the new month is compared with it; a month that fails a check is not replaced
 * (nor is any other month of the import) unless the import is forced. The thresholds let genuine revisions through:
 * on the Nottinghamshire police.uk files 2023-01 to 2024-12, each month against the previous one (a far larger change
 * than a re-publication of the same month) kept 0.82–1.16 of the rows, total variation distance between the category
 * shares 0.016–0.135, and no coordinates outside the UK.
 */
export const PLAUSIBILITY = {
  /** The new month must keep at least this share of the stored month's crimes. */
  minRowRatio: 0.5,
  /** When the stored month placed at least this share of its crimes with coordinates, the new one must too. */
  minPlacedShare: 0.9,
  /** Total variation distance between the stored and new category shares (half the sum of absolute differences). */
  maxCategoryDistance: 0.25,
  /**
   * Share of rows with coordinates outside the UK (most often Longitude and Latitude swapped); a higher share passes
   * only if the stored month left at least as large a share of its crimes with coordinates unplaced.
   */
  maxBadCoordinateShare: 0.05,
} as const;

export type CheckName = 'row count' | 'share placed' | 'category shares' | 'coordinates';

export interface MonthCheck {
  check: CheckName;
  passed: boolean;
  /** The figures, in words: "4,316 crimes, 40.2 % of the 10,749 stored (at least 50 % needed)". */
  figures: string;
}

/** A stored month against the month about to replace it. */
export interface MonthChange {
  month: string;
  stored: { crimes: number; placed: number; placedShareOfLocated: number };
  new: { crimes: number; placed: number; placedShareOfLocated: number };
  rowRatio: number;
  categoryDistance: number;
  badCoordinateShare: number;
  checks: MonthCheck[];
}

const n = (x: number) => x.toLocaleString('en-GB');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function categoryShares(totals: number[]): number[] {
  const sum = totals.reduce((a, b) => a + b, 0);
  return totals.map((k) => (sum > 0 ? k / sum : 0));
}

/**
 * Compares a stored month (its per-LSOA category counts and, when kept, its accounting document) with the new crimes
 * of the month, placed, and their accounting.
 */
export function compareMonth(
  month: string,
  storedCounts: Map<string, number[]>,
  storedDoc: MonthAccounting | null,
  crimes: Iterable<CrimeRecord>,
  accounting: MonthAccounting,
): MonthChange {
  const storedCats: number[] = [];
  let storedCrimes = 0;
  let storedPlaced = 0;
  for (const [code, row] of storedCounts) {
    row.forEach((k, i) => (storedCats[i] = (storedCats[i] ?? 0) + k));
    const t = row.reduce((a, b) => a + b, 0);
    storedCrimes += t;
    if (code !== UNPLACED_LSOA) storedPlaced += t;
  }
  // The document tells crimes without coordinates from those outside the study area; without it (or if it is stale)
  // every unplaced crime counts as located.
  const doc = storedDoc && storedDoc.stored === storedCrimes && storedDoc.placed === storedPlaced ? storedDoc : null;
  const storedLocated = storedCrimes - (doc?.noLocation ?? 0);
  const storedShare = storedLocated > 0 ? storedPlaced / storedLocated : 0;

  const newCats: number[] = new Array<number>(CATEGORY_COUNT).fill(0);
  let located = 0;
  let bad = 0;
  for (const c of crimes) {
    const i = CATEGORY_INDEX[c.category];
    newCats[i] = (newCats[i] ?? 0) + 1;
    if (c.lon === null || c.lat === null) continue;
    located++;
    if (!inUk(c.lon, c.lat)) bad++;
  }
  const newLocated = accounting.stored - accounting.noLocation;
  const newShare = newLocated > 0 ? accounting.placed / newLocated : 0;
  const a = categoryShares(storedCats);
  const b = categoryShares(newCats);
  let distance = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) distance += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  distance /= 2;
  const rowRatio = storedCrimes > 0 ? accounting.stored / storedCrimes : 1;
  const badShare = located > 0 ? bad / located : 0;
  const T = PLAUSIBILITY;
  const checks: MonthCheck[] = [
    {
      check: 'row count',
      passed: rowRatio >= T.minRowRatio,
      figures: `${n(accounting.stored)} crimes, ${pct(rowRatio)} of the ${n(storedCrimes)} stored (at least ${pct(T.minRowRatio)} needed)`,
    },
    {
      check: 'share placed',
      passed: storedShare < T.minPlacedShare || newShare >= T.minPlacedShare,
      figures: `${pct(newShare)} of crimes with coordinates placed (${n(accounting.placed)}), stored ${pct(storedShare)} (${n(storedPlaced)}); at least ${pct(T.minPlacedShare)} needed when the stored month had it`,
    },
    {
      check: 'category shares',
      passed: distance <= T.maxCategoryDistance,
      figures: `total variation distance ${distance.toFixed(3)} between the stored and new category shares (at most ${T.maxCategoryDistance} allowed)`,
    },
    {
      check: 'coordinates',
      // A stored month that already placed no more (e.g. the same file imported again) is not made worse by it.
      passed: badShare <= T.maxBadCoordinateShare || badShare <= 1 - storedShare,
      figures: `${n(bad)} of ${n(located)} rows with coordinates (${pct(badShare)}) are outside the UK or have Longitude and Latitude swapped (at most ${pct(T.maxBadCoordinateShare)} allowed, or no more than the stored month left unplaced: ${pct(1 - storedShare)})`,
    },
  ];
  return {
    month,
    stored: { crimes: storedCrimes, placed: storedPlaced, placedShareOfLocated: storedShare },
    new: { crimes: accounting.stored, placed: accounting.placed, placedShareOfLocated: newShare },
    rowRatio,
    categoryDistance: distance,
    badCoordinateShare: badShare,
    checks,
  };
}

/** The import option that replaces months whatever the checks say. */
export const FORCE_OPTION = '--force-replace';

/** Stored months the new files fail the checks for: nothing was written. The CLI exits 2, as for other bad input. */
export class ImplausibleImportError extends ImportInputError {
  constructor(readonly failed: MonthChange[]) {
    super(
      [
        `${failed.length === 1 ? 'a stored month' : `${failed.length} stored months`} would be replaced by data that fails the plausibility checks; nothing was imported:`,
        ...failed.flatMap((m) => [
          `  ${m.month} (stored ${n(m.stored.crimes)} crimes, ${n(m.stored.placed)} placed; new ${n(m.new.crimes)} crimes, ${n(m.new.placed)} placed):`,
          ...m.checks.filter((c) => !c.passed).map((c) => `    ${c.check} check failed: ${c.figures}`),
        ]),
        `Check the file (truncated? columns swapped?); to replace the month${failed.length === 1 ? '' : 's'} anyway, run the import again with ${FORCE_OPTION}.`,
      ].join('\n'),
    );
    this.name = 'ImplausibleImportError';
  }
}
