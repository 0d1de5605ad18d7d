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
  crimeMonthPk: (datasetId: string, month: string) => `DS#${datasetId}#CRIME#${month}`,
  crimeChunk: (datasetId: string, month: string, chunk: number) => ({
    pk: `DS#${datasetId}#CRIME#${month}`,
    sk: `CHUNK#${String(chunk).padStart(4, '0')}`,
  }),
  documentsPk: (datasetId: string) => `DS#${datasetId}#DOC`,
  document: (datasetId: string, name: string) => ({ pk: `DS#${datasetId}#DOC`, sk: name }),
  countsPk: (datasetId: string) => `DS#${datasetId}#COUNTS`,
  counts: (datasetId: string, month: string, chunk: number) => ({
    pk: `DS#${datasetId}#COUNTS`,
    sk: `${month}#${String(chunk).padStart(3, '0')}`,
  }),
  /**
   * A crime month's versions: a replaced month's chunks and counts are written under a new version id (a digest of its
   * crimes) beside the current one, then this pointer item (one per month, in one partition per dataset so a range of
   * months is read in one query) is flipped to it, then the other versions' items are deleted. Readers read the
   * pointer first; a month without one (stored before versions) is read from its unversioned items.
   */
  crimeVersionPk: (datasetId: string) => `DS#${datasetId}#CRIMEVERSION`,
  crimeVersion: (datasetId: string, month: string) => ({ pk: `DS#${datasetId}#CRIMEVERSION`, sk: month }),
  crimeChunkVersioned: (datasetId: string, month: string, version: string, chunk: number) => ({
    pk: `DS#${datasetId}#CRIME#${month}`,
    sk: `V#${version}#CHUNK#${String(chunk).padStart(4, '0')}`,
  }),
  /** Sort key prefix of a version's chunks in the month's partition; `CHUNK#` is that of the unversioned chunks. */
  crimeChunkVersionPrefix: (version: string | null) => (version === null ? 'CHUNK#' : `V#${version}#CHUNK#`),
  countsVersioned: (datasetId: string, month: string, version: string, chunk: number) => ({
    pk: `DS#${datasetId}#COUNTS`,
    sk: `${month}#V#${version}#${String(chunk).padStart(3, '0')}`,
  }),
  /** Whether a counts item's sort key belongs to the month's version (null: the unversioned counts). */
  countsOfVersion: (sk: string, month: string, version: string | null) =>
    version === null ? /^\d{3}$/.test(sk.slice(month.length + 1)) && sk.startsWith(`${month}#`) : sk.startsWith(`${month}#V#${version}#`),
  /**
   * The scheduled import's lock for one dataset: written with a condition (absent or expired) so two runs never write
   * the same dataset at once; it carries an expiry (the table's TTL attribute) so a crashed run cannot hold it forever.
   */
  importLock: (datasetId: string) => ({ pk: `DS#${datasetId}#LOCK`, sk: 'IMPORT' }),

  /**
   * Partition key prefixes, for IAM conditions on dynamodb:LeadingKeys (infra/lib builds its patterns from these, not
   * from literals): every audit partition (auditPk) starts with the first, every dataset partition (LSOAs, crime
   * months, documents, counts, the import lock) with the second.
   */
  auditPkPrefix: 'AUDIT#',
  datasetPkPrefix: 'DS#',
};

export type Key = { pk: string; sk: string };
