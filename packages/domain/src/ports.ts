import type { AssetByKind, AssetKind, AuditEvent, DatasetSummary, Lsoa, Month } from '@safer-places/schemas';
import type { CrimeBlock, CrimePartition, MonthlyCounts } from './crime';

export interface CrimeBlockFilter {
  partitions: readonly CrimePartition[];
  lsoaCodes?: readonly string[];
}

/** Organisation-owned map assets. Every call is scoped by orgId; no method can reach another organisation's items. */
export interface AssetRepository {
  list<K extends AssetKind>(orgId: string, kind: K): Promise<AssetByKind[K][]>;
  get<K extends AssetKind>(orgId: string, kind: K, id: string): Promise<AssetByKind[K] | null>;
  /** Fails with AlreadyExistsError when the id is taken. */
  create<K extends AssetKind>(kind: K, asset: AssetByKind[K]): Promise<void>;
  /**
   * Writes every asset or none (a file upload): if any id is taken, or the store fails part-way, nothing stays written.
   * Fails with AlreadyExistsError when an id is taken.
   */
  createMany<K extends AssetKind>(kind: K, assets: AssetByKind[K][]): Promise<void>;
  /**
   * A file upload as one unit that survives crashes: nothing of it is visible until all of it is, whatever point a
   * process dies at. `request.id` names the upload: sending the same id again (a retry of the same request) never
   * stores it twice. If that id's upload was completed, nothing is written and its items are handed back as stored
   * now (null where one was deleted since), in upload order; if an earlier try of it was cut short, what that try left
   * is removed and the upload runs again. Fails with AlreadyExistsError when an id is taken.
   * Optional: a repository without it gets createMany (all or nothing, but without the crash-safe retry).
   */
  upload?<K extends AssetKind>(kind: K, assets: AssetByKind[K][], request: UploadRequest): Promise<UploadOutcome<K>>;
  /** Writes only if the stored version equals expectedVersion; otherwise VersionConflictError (or NotFoundError). */
  update<K extends AssetKind>(kind: K, asset: AssetByKind[K], expectedVersion: number): Promise<void>;
  remove(orgId: string, kind: AssetKind, id: string, expectedVersion: number): Promise<void>;
  /** One-off markers per organisation, e.g. "demo assets seeded", so deleted demo items are not re-created. */
  hasMarker(orgId: string, name: string): Promise<boolean>;
  setMarker(orgId: string, name: string): Promise<void>;
  /** Small organisation settings (e.g. the home scope), one text value per name. */
  getSetting(orgId: string, name: string): Promise<string | null>;
  putSetting(orgId: string, name: string, value: string): Promise<void>;
  /**
   * The organisation's assets version: one consistent read, changed by every write that changes a list; null while a
   * write is under way that the store could not version atomically. Optional: without it lists are read every time.
   */
  assetsVersion?(orgId: string): Promise<string | null>;
}

/** Which upload a write belongs to, so a retry of the same request is recognised. */
export interface UploadRequest {
  /** The same for every retry of one request (derived from its Idempotency-Key); absent for a one-off upload. */
  id?: string;
  /** The request's time: how long an unfinished upload is left alone before clean-up may undo it counts from here. */
  now: Date;
}

export type UploadOutcome<K extends AssetKind> =
  | { replayed: false }
  /** The upload with this id had been completed by an earlier try: its items as they are stored now. */
  | { replayed: true; items: (AssetByKind[K] | null)[] };

/** Shared reference data (boundaries, deprivation, population, crime), grouped by dataset. */
export interface ReferenceRepository {
  listDatasets(): Promise<DatasetSummary[]>;
  getDataset(datasetId: string): Promise<DatasetSummary | null>;
  putDataset(summary: DatasetSummary): Promise<void>;
  /**
   * The dataset's LSOAs in code order. With `pack`, the packed copy written for that LSOA version is read when it is
   * there whole and holds `count` LSOAs (a few large items instead of one per LSOA); otherwise the LSOA items, with
   * `consistent` by strongly consistent reads (an importer listing what it has just written).
   */
  listLsoas(datasetId: string, read?: { pack?: { version: string; count: number }; consistent?: boolean }): Promise<Lsoa[]>;
  putLsoas(datasetId: string, lsoas: Lsoa[]): Promise<void>;
  /** Writes a packed copy of the dataset's LSOAs (as listLsoas reads them) under an LSOA version. */
  putLsoaPack?(datasetId: string, version: string, lsoas: Lsoa[]): Promise<void>;
  /** Whether a packed copy of that LSOA version is there whole, holding `count` LSOAs (strongly consistent reads). */
  hasLsoaPack?(datasetId: string, version: string, count: number): Promise<boolean>;
  /** Removes the packed copies of every LSOA version but those kept. */
  deleteLsoaPacks?(datasetId: string, keep: readonly string[]): Promise<void>;
  /** Removes LSOAs from a dataset (an import that narrows the study area); unknown codes are ignored. */
  deleteLsoas(datasetId: string, codes: string[]): Promise<void>;
  /**
   * Replaces every crime block of the month (a newer file for a month replaces that month). Each block is stored in
   * the partition `partitionOf(block.lsoaCode)` (crime.ts): the month's chunks and counts are keyed by month × partition.
   */
  replaceCrimeMonth(datasetId: string, month: Month, blocks: CrimeBlock[], partitionOf: (lsoaCode: string) => CrimePartition): Promise<void>;
  /**
   * Replaces only the partitions named of the month (one police force's districts and its own unplaced partition,
   * crime.ts `unplacedPartitionOf`) and leaves every other partition as it is: a named partition gets the blocks
   * `partitionOf` puts in it, or is removed when none does; a block whose partition is not named is refused (Error).
   * Readers see each partition old or new, whole, however a run ends; a run sent again writes nothing new; two runs
   * naming disjoint partitions of the same month may run at once. A month stored before partitions is refused (Error):
   * replace it whole first. Optional: a repository without it cannot take force-by-force imports.
   */
  replaceCrimePartitions?(datasetId: string, month: Month, partitions: readonly CrimePartition[], blocks: CrimeBlock[], partitionOf: (lsoaCode: string) => CrimePartition): Promise<void>;
  /**
   * Writes the dataset's summary only if the stored one's version is `expectedVersion` (null: only if there is none);
   * false when it is not (re-read, merge and try again). Lets imports of different forces into one dataset merge their
   * parts of the summary without losing one another's. Optional, like replaceCrimePartitions.
   */
  putDatasetIf?(summary: DatasetSummary, expectedVersion: string | null): Promise<boolean>;
  /** Per-LSOA category counts for each month in [from, to] that has data: only the partitions named, or all of them. */
  getMonthlyCounts(datasetId: string, from: Month, to: Month, partitions?: readonly CrimePartition[]): Promise<MonthlyCounts[]>;
  /**
   * Crime blocks for the months: only those of the partitions named (and, when given, only those LSOAs), or every
   * block of the months. Reads only the partitions named (a month stored before partitions is read whole and filtered).
   */
  getCrimeBlocks(datasetId: string, months: Month[], where?: CrimeBlockFilter): Promise<CrimeBlock[]>;
  /**
   * How many crimes each stored partition of each month in [from, to] holds, from the months' version pointers (one
   * small query): what a request would read is priced before it reads it. A month stored before partitions has no
   * entry (its size is unknown until it is imported again).
   */
  crimePartitionSizes(datasetId: string, from: Month, to: Month): Promise<Map<Month, Map<CrimePartition, number>>>;
  /** Small JSON documents kept with a dataset: lookups the importer needs again, import reports. */
  putDocument(datasetId: string, name: string, document: unknown): Promise<void>;
  getDocument<T>(datasetId: string, name: string): Promise<T | null>;
  listDocuments<T>(datasetId: string, prefix: string): Promise<{ name: string; document: T }[]>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}

/** An organisation's audit log. Append-only: there is no way to change or remove an event through this port. */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Newest first; `before` is the cursor a previous page returned. */
  list(orgId: string, options: { limit: number; before?: string }): Promise<{ events: AuditEvent[]; next: string | null }>;
}

/** One live postcode of an ONS postcode file (ONSPD / NSPL): its published spelling, point and LSOA. */
export interface PostcodeEntry {
  /** Upper case with one space before the inward code, e.g. "NG1 5DT". */
  postcode: string;
  lon: number;
  lat: number;
  /** The LSOA 2021 it lies in (the file's lsoa21, or the point's LSOA), null when neither is known. */
  lsoaCode: string | null;
}

/** A postcode district (outward code, e.g. "NG1") as stored: how many postcodes and the box round them. */
export interface PostcodeDistrict {
  outward: string;
  count: number;
  bbox: [number, number, number, number];
}

/**
 * A dataset's postcodes (optional reference data: only when an ONS postcode file was imported with it), stored in
 * chunks by outward code so a search reads one postcode district, never the whole file.
 */
export interface PostcodeRepository {
  /**
   * Replaces every postcode of the dataset as one unit: readers see the old set or the new one, whole, however a run
   * ends (a run cut short leaves the old set readable and nothing of the new one visible).
   */
  replacePostcodes(datasetId: string, entries: readonly PostcodeEntry[], importedAt: string): Promise<void>;
  /** Every stored postcode district of the dataset (one small read); empty when none was imported. */
  postcodeDistricts(datasetId: string): Promise<PostcodeDistrict[]>;
  /** The postcodes of one outward code (e.g. "NG1"), sorted; empty when it holds none. */
  postcodesIn(datasetId: string, outward: string): Promise<PostcodeEntry[]>;
}
