import type { CrimeAccounting, CrimeCategory, Month } from '@safer-places/schemas';
import { CRIME_CATEGORIES } from '@safer-places/schemas';

/** LSOA code used for crimes that could not be placed in any known LSOA; they are stored and counted, never dropped. */
export const UNPLACED_LSOA = 'UNPLACED';

/**
 * Crimes are stored in spatial partitions: one per district (local authority district, the LSOA's LAD code) and month,
 * so a request reads only the districts its scope or drawn area touches (docs/table-design.md, "Crime partitions").
 * Crimes placed in no LSOA have a partition of their own; an LSOA without a district code uses NO_DISTRICT_PARTITION.
 */
export type CrimePartition = string;
export const UNPLACED_PARTITION = 'UNPLACED';
export const NO_DISTRICT_PARTITION = 'NODISTRICT';

/**
 * The partition of a crime placed in `lsoaCode`, given the dataset's LSOAs (district codes) by code. `unplaced`: the
 * partition of crimes placed in no LSOA (UNPLACED_PARTITION, or a force's own, unplacedPartitionOf).
 */
export function partitionOf(lsoaCode: string, districtOf: (lsoaCode: string) => string | null | undefined, unplaced: CrimePartition = UNPLACED_PARTITION): CrimePartition {
  if (lsoaCode === UNPLACED_LSOA) return unplaced;
  return districtOf(lsoaCode) || NO_DISTRICT_PARTITION;
}

/**
 * The partition of one police force's unplaced crimes, when forces are imported into one dataset separately (each
 * replaces only its own partitions): `UNPLACED-<force>`. Readers never name these: UNPLACED_PARTITION, asked of the
 * store, means every unplaced partition of the month (isUnplacedPartition), and the store reports their sizes summed
 * under UNPLACED_PARTITION.
 */
export function unplacedPartitionOf(force: string): CrimePartition {
  return `${UNPLACED_PARTITION}-${force}`;
}

/** Whether a stored partition holds unplaced crimes: UNPLACED_PARTITION itself or a force's (unplacedPartitionOf). */
export function isUnplacedPartition(partition: CrimePartition): boolean {
  return partition === UNPLACED_PARTITION || partition.startsWith(`${UNPLACED_PARTITION}-`);
}

/** One police.uk street-level record (or a synthetic one shaped the same way). */
export interface CrimeRecord {
  /** police.uk Crime ID, or a deterministic key for rows without one (ASB). */
  id: string;
  month: Month;
  category: CrimeCategory;
  /** Anonymised snap point exactly as published; null when police.uk gives no location. */
  lon: number | null;
  lat: number | null;
  /** police.uk "Location", e.g. "On or near Market Street". */
  location: string;
  /** The LSOA21 the point falls in (point-in-polygon), or UNPLACED_LSOA. */
  lsoaCode: string;
  /** The LSOA code police.uk published, kept separately; may be a retired 2011 code. */
  publishedLsoaCode: string | null;
  outcome: string | null;
}

/** All crimes of one month in one LSOA: the unit the store reads and writes. */
export interface CrimeBlock {
  month: Month;
  lsoaCode: string;
  crimes: CrimeRecord[];
}

/** Counts per LSOA for one month, one number per category in CRIME_CATEGORIES order. */
export interface MonthlyCounts {
  month: Month;
  counts: Map<string, number[]>;
}

export const CATEGORY_COUNT = CRIME_CATEGORIES.length;

export function emptyCategoryCounts(): number[] {
  return new Array<number>(CATEGORY_COUNT).fill(0);
}

/** What stored crimes say of their accounting: how many are placed, outside the study area (located but placed in no LSOA), or without a location. */
export function placementOf(blocks: readonly CrimeBlock[]): Pick<CrimeAccounting, 'stored' | 'placed' | 'outsideStudyArea' | 'noLocation'> {
  let stored = 0;
  let placed = 0;
  let noLocation = 0;
  for (const b of blocks) {
    stored += b.crimes.length;
    if (b.lsoaCode !== UNPLACED_LSOA) placed += b.crimes.length;
    else for (const c of b.crimes) if (c.lon === null || c.lat === null) noLocation++;
  }
  return { stored, placed, noLocation, outsideStudyArea: stored - placed - noLocation };
}
