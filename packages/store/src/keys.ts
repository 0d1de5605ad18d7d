import type { AssetKind } from '@safer-places/schemas';

/**
 * Every key the table uses, in one place. Organisation items live under ORG#<orgId>; nothing outside this file builds
 * a key, so an organisation prefix can never be forgotten.
 */
export const keys = {
  asset: (orgId: string, kind: AssetKind, id: string) => ({ pk: `ORG#${orgId}`, sk: `ASSET#${kind}#${id}` }),
  assetPrefix: (kind: AssetKind) => `ASSET#${kind}#`,
  orgPk: (orgId: string) => `ORG#${orgId}`,
  marker: (orgId: string, name: string) => ({ pk: `ORG#${orgId}`, sk: `MARKER#${name}` }),
  /**
   * The organisation's assets version: a counter bumped in the same transaction as every asset write, so a process
   * can keep the organisation's asset lists and re-read them only when it moved (one GetItem instead of a query).
   */
  assetsVersion: (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'VERSION#assets' }),
  setting: (orgId: string, name: string) => ({ pk: `ORG#${orgId}`, sk: `SETTING#${name}` }),
  /** Audit events have a partition per organisation of their own, so IAM can deny changing or deleting them. */
  auditPk: (orgId: string) => `AUDIT#${orgId}`,
  audit: (orgId: string, at: string, id: string) => ({ pk: `AUDIT#${orgId}`, sk: `${at}#${id}` }),
  idempotency: (orgId: string, userId: string, key: string) => ({ pk: `ORG#${orgId}`, sk: `IDEMPOTENCY#${userId}#${key}` }),
  /**
   * A file upload's commit record: its items are written at their own keys tagged with the upload's id and run, and
   * are visible only while this record says committed for that run (asset-repository.ts). Never deleted once committed.
   */
  upload: (orgId: string, uploadId: string) => ({ pk: `ORG#${orgId}`, sk: `UPLOAD#${uploadId}` }),
  /** An upload in flight, or left by a process that died: the clean-up finds these and completes or undoes them. */
  uploadJournal: (orgId: string, uploadId: string) => ({ pk: `ORG#${orgId}`, sk: `UPLOADING#${uploadId}` }),
  uploadJournalPrefix: 'UPLOADING#',
  /** Local users (the local user directory; on AWS users live in Cognito): the user, and claims on e-mail and name. */
  user: (orgId: string, id: string) => ({ pk: `ORG#${orgId}`, sk: `USER#${id}` }),
  userPrefix: 'USER#',
  userEmail: (orgId: string, email: string) => ({ pk: `ORG#${orgId}`, sk: `USEREMAIL#${email}` }),
  userName: (orgId: string, nameKey: string) => ({ pk: `ORG#${orgId}`, sk: `USERNAME#${nameKey}` }),

  datasetsPk: 'DATASETS',
  dataset: (datasetId: string) => ({ pk: 'DATASETS', sk: datasetId }),
  lsoaPk: (datasetId: string) => `DS#${datasetId}#LSOA`,
  lsoa: (datasetId: string, code: string) => ({ pk: `DS#${datasetId}#LSOA`, sk: code }),
  /**
   * A packed copy of all the dataset's LSOAs under one LSOA version (lsoa-pack.ts, format 2), in pieces of at most
   * LSOA_PACK_PIECE_BYTES, each item holding `of` (the pieces) and `count` (the LSOAs). A new instance reads these few
   * items instead of one item per LSOA (England: ~7 instead of 33,755).
   */
  lsoaPackPk: (datasetId: string) => `DS#${datasetId}#LSOAPACK`,
  lsoaPackPiece: (datasetId: string, version: string, piece: number) => ({ pk: `DS#${datasetId}#LSOAPACK`, sk: `F2#${version}#${String(piece).padStart(5, '0')}` }),
  lsoaPackVersionPrefix: (version: string) => `F2#${version}#`,
  /**
   * Copies earlier releases wrote (format 1, gzipped JSON): read while no format-2 copy of the version is there whole;
   * kept while their version is (an instance of the previous release reads only these), removed with it.
   */
  legacyLsoaPackPiece: (datasetId: string, version: string, piece: number) => ({ pk: `DS#${datasetId}#LSOAPACK`, sk: `V#${version}#${String(piece).padStart(5, '0')}` }),
  legacyLsoaPackVersionPrefix: (version: string) => `V#${version}#`,
  /** Crime chunks of a month stored before partitions (legacy layout: read, and deleted when the month is replaced). */
  crimeMonthPk: (datasetId: string, month: string) => `DS#${datasetId}#CRIME#${month}`,
  crimeChunk: (datasetId: string, month: string, chunk: number) => ({
    pk: `DS#${datasetId}#CRIME#${month}`,
    sk: `CHUNK#${String(chunk).padStart(4, '0')}`,
  }),
  documentsPk: (datasetId: string) => `DS#${datasetId}#DOC`,
  document: (datasetId: string, name: string) => ({ pk: `DS#${datasetId}#DOC`, sk: name }),
  /** Monthly counts of months stored before partitions (legacy layout), all months of a dataset in one partition. */
  countsPk: (datasetId: string) => `DS#${datasetId}#COUNTS`,
  counts: (datasetId: string, month: string, chunk: number) => ({
    pk: `DS#${datasetId}#COUNTS`,
    sk: `${month}#${String(chunk).padStart(3, '0')}`,
  }),
  /**
   * A crime month's versions: a replaced month's chunks and counts are written under a new version id (a digest of its
   * crimes and their partitions) beside the current one, then this pointer item (one per month, in one partition per
   * dataset so a range of months is read in one query) is flipped to it, then the other versions' items are deleted.
   * The pointer holds `version`, `partitions` (partition → crimes of that version: what a read would cost, and which
   * partitions to read) and `touched` (a string set: every partition any run wrote for the month, flipped or not, so
   * the clean-up finds them all). Readers read the pointer first; a month without `partitions` is in a legacy layout:
   * with a `version`, its chunks are `crimeChunkVersioned` and its counts `countsVersioned`; without, the unversioned
   * `crimeChunk` and `counts` items.
   */
  crimeVersionPk: (datasetId: string) => `DS#${datasetId}#CRIMEVERSION`,
  crimeVersion: (datasetId: string, month: string) => ({ pk: `DS#${datasetId}#CRIMEVERSION`, sk: month }),
  /** Legacy layout (a version of a month stored before partitions): every chunk of the month in the month's partition. */
  crimeChunkVersioned: (datasetId: string, month: string, version: string, chunk: number) => ({
    pk: `DS#${datasetId}#CRIME#${month}`,
    sk: `V#${version}#CHUNK#${String(chunk).padStart(4, '0')}`,
  }),
  /** Sort key prefix of a version's chunks (in a partition, or a legacy month); `CHUNK#` is that of the unversioned chunks. */
  crimeChunkVersionPrefix: (version: string | null) => (version === null ? 'CHUNK#' : `V#${version}#CHUNK#`),
  /** Legacy layout: a version's counts of a month stored before partitions. */
  countsVersioned: (datasetId: string, month: string, version: string, chunk: number) => ({
    pk: `DS#${datasetId}#COUNTS`,
    sk: `${month}#V#${version}#${String(chunk).padStart(3, '0')}`,
  }),
  /** Whether a counts item's sort key belongs to the month's version (null: the unversioned counts). */
  countsOfVersion: (sk: string, month: string, version: string | null) =>
    version === null ? /^\d{3}$/.test(sk.slice(month.length + 1)) && sk.startsWith(`${month}#`) : sk.startsWith(`${month}#V#${version}#`),
  /**
   * Crime chunks by month × partition (a district, crime.ts): a request reads only the partitions its scope touches.
   * One partition key per month and partition; a version's chunks sort together under it.
   */
  crimePartitionPk: (datasetId: string, month: string, partition: string) => `DS#${datasetId}#CRIME#${month}#P#${partition}`,
  crimePartitionChunk: (datasetId: string, month: string, partition: string, version: string, chunk: number) => ({
    pk: `DS#${datasetId}#CRIME#${month}#P#${partition}`,
    sk: `V#${version}#CHUNK#${String(chunk).padStart(4, '0')}`,
  }),
  /** Monthly counts by partition: one partition key per partition, sorted by month, so a district's range of months is one query. */
  countsPartitionPk: (datasetId: string, partition: string) => `DS#${datasetId}#COUNTS#P#${partition}`,
  countsPartition: (datasetId: string, partition: string, month: string, version: string, chunk: number) => ({
    pk: `DS#${datasetId}#COUNTS#P#${partition}`,
    sk: `${month}#V#${version}#${String(chunk).padStart(3, '0')}`,
  }),
  /** The sort key range of months [from, to] in a counts partition (legacy or partitioned). */
  countsMonthRange: (from: string, to: string) => ({ from: `${from}#`, to: `${to}#~` }),
  /** The sort key prefix of one month in a counts partition. */
  countsMonthPrefix: (month: string) => `${month}#`,
  /**
   * The scheduled import's lock for one dataset: written with a condition (absent or expired) so two runs never write
   * the same dataset at once; it carries an expiry (the table's TTL attribute) so a crashed run cannot hold it forever.
   */
  importLock: (datasetId: string) => ({ pk: `DS#${datasetId}#LOCK`, sk: 'IMPORT' }),
  /**
   * A dataset's postcodes (an imported ONS postcode file, postcodes.ts): every version's chunks, by outward code, and
   * the pointer to the current version (with each postcode district's count and box) in one partition per dataset.
   * A replacement writes a new version's chunks beside the current ones, flips the pointer, then deletes the others.
   */
  postcodePk: (datasetId: string) => `DS#${datasetId}#POSTCODE`,
  postcodePointer: (datasetId: string) => ({ pk: `DS#${datasetId}#POSTCODE`, sk: 'CURRENT' }),
  postcodeChunk: (datasetId: string, version: string, outward: string, chunk: number) => ({
    pk: `DS#${datasetId}#POSTCODE`,
    sk: `V#${version}#${outward}#${String(chunk).padStart(3, '0')}`,
  }),
  /** The sort key prefix of one version's chunks of one outward code ("NG1#" never takes NG10's chunks). */
  postcodeDistrictPrefix: (version: string, outward: string) => `V#${version}#${outward}#`,
  /** The sort key prefix of every chunk of one version. */
  postcodeVersionPrefix: (version: string) => `V#${version}#`,
  /** The sort key prefix of every chunk of every version (the pointer is not one). */
  postcodeChunkPrefix: 'V#',

  /**
   * Partition key prefixes, for IAM conditions on dynamodb:LeadingKeys (infra/lib builds its patterns from these, not
   * from literals): every audit partition (auditPk) starts with the first, every dataset partition (LSOAs, crime
   * months, documents, counts, the import lock) with the second.
   */
  auditPkPrefix: 'AUDIT#',
  datasetPkPrefix: 'DS#',
};

export type Key = { pk: string; sk: string };
