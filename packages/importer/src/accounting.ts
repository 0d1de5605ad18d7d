import { placementOf, type CrimeBlock } from '@safer-places/domain';
import type { CrimeAccounting } from '@safer-places/schemas';

/**
 * Where every police.uk row went, kept per month as a dataset document (`month-accounting#YYYY-MM`) and replaced with
 * its month, so the dataset's figures are the sum over the months it holds whatever order months were imported in.
 */
export const MONTH_ACCOUNTING_PREFIX = 'month-accounting#';
export const monthAccountingDocument = (month: string) => `${MONTH_ACCOUNTING_PREFIX}${month}`;

export interface MonthAccounting extends CrimeAccounting {
  month: string;
  /** The police.uk files the month's rows were read from (names only). */
  files: string[];
  /**
   * Set for a month stored before accounting was kept (or whose document was lost): stored, placed, outside and no
   * location are counted from the stored crimes; rows read are taken as the stored count (duplicates and rejected rows
   * of that import are not known).
   */
  derivedFromStoredCrimes?: true;
}

export function emptyAccounting(): CrimeAccounting {
  return { rowsRead: 0, stored: 0, placed: 0, outsideStudyArea: 0, noLocation: 0, duplicatesSkipped: 0, rejected: 0 };
}

export function sumAccounting(items: CrimeAccounting[]): CrimeAccounting {
  const total = emptyAccounting();
  for (const a of items) {
    total.rowsRead += a.rowsRead;
    total.stored += a.stored;
    total.placed += a.placed;
    total.outsideStudyArea += a.outsideStudyArea;
    total.noLocation += a.noLocation;
    total.duplicatesSkipped += a.duplicatesSkipped;
    total.rejected += a.rejected;
  }
  return total;
}


/** Accounting for a stored month that has none: what its crimes tell (see {@link MonthAccounting.derivedFromStoredCrimes}). */
export function derivedAccounting(month: string, blocks: CrimeBlock[]): MonthAccounting {
  const p = placementOf(blocks);
  return { month, ...p, rowsRead: p.stored, duplicatesSkipped: 0, rejected: 0, files: [], derivedFromStoredCrimes: true };
}

/** The two identities every accounting keeps; a message naming the first that fails, or null. */
export function accountingProblem(a: CrimeAccounting): string | null {
  if (a.rowsRead !== a.stored + a.duplicatesSkipped + a.rejected) return `rows read ${a.rowsRead} ≠ stored ${a.stored} + duplicates ${a.duplicatesSkipped} + rejected ${a.rejected}`;
  if (a.stored !== a.placed + a.outsideStudyArea + a.noLocation) return `stored ${a.stored} ≠ placed ${a.placed} + outside the study area ${a.outsideStudyArea} + no location ${a.noLocation}`;
  return null;
}
