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
  setting: (orgId: string, name: string) => ({ pk: `ORG#${orgId}`, sk: `SETTING#${name}` }),
  /** Audit events have a partition per organisation of their own, so IAM can deny changing or deleting them. */
  auditPk: (orgId: string) => `AUDIT#${orgId}`,
  audit: (orgId: string, at: string, id: string) => ({ pk: `AUDIT#${orgId}`, sk: `${at}#${id}` }),
  idempotency: (orgId: string, userId: string, key: string) => ({ pk: `ORG#${orgId}`, sk: `IDEMPOTENCY#${userId}#${key}` }),

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
};

export type Key = { pk: string; sk: string };
