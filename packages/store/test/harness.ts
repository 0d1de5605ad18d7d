import type { CrimeBlock } from '@safer-places/domain';
import { CRIME_CATEGORY_SLUGS, type Camera } from '@safer-places/schemas';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTable, keys } from '../src/index';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../src/embedded';

/** A fresh in-memory dynalite and table per test file: real DynamoDB semantics, no mocks. */
export async function startTestStore(dir?: string) {
  const server: EmbeddedDynamo = await startEmbeddedDynamo(dir ? { dir } : {});
  const doc = createDocumentClient({ endpoint: server.endpoint });
  const tableName = 'test-table';
  await ensureTable(doc, tableName);
  return { server, doc, tableName, close: async () => { doc.destroy(); await server.close(); } };
}

/** A camera as the store holds it (with its audit fields), for repository tests. */
export const storedCamera = (orgId: string, id: string, version = 1, name = 'Market Square'): Camera => ({
  id,
  orgId,
  version,
  name,
  type: 'fixed',
  status: 'live',
  location: { type: 'Point', coordinates: [-1.149, 52.954] },
  createdBy: 'u1',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'u1',
});

/** `n` crimes of one month in one LSOA, every category in turn, a micro-degree apart; `tag` keeps their ids apart. */
export const crimeBlock = (month: string, lsoaCode: string, n: number, tag: string): CrimeBlock => ({
  month,
  lsoaCode,
  crimes: Array.from({ length: n }, (_, i) => ({
    id: `${tag}-${lsoaCode}-${i}`,
    month,
    category: CRIME_CATEGORY_SLUGS[i % 14]!,
    lon: -1.1 - i * 1e-6,
    lat: 53 + i * 1e-6,
    location: 'On or near Mill Lane',
    lsoaCode,
    publishedLsoaCode: lsoaCode,
    outcome: null,
  })),
});

/** Every stored crime item of a dataset's month, whatever its layout: chunks (legacy and partitioned) and counts. */
export async function crimeItems(store: { doc: DynamoDBDocumentClient; tableName: string }, datasetId: string, month: string) {
  const items: { pk: string; sk: string }[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await store.doc.send(new ScanCommand({ TableName: store.tableName, ProjectionExpression: 'pk, sk', ExclusiveStartKey, ConsistentRead: true }));
    items.push(...((out.Items ?? []) as { pk: string; sk: string }[]));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const monthPk = keys.crimeMonthPk(datasetId, month);
  const countsPk = keys.countsPk(datasetId);
  return items.filter((i) => i.pk === monthPk || i.pk.startsWith(`${monthPk}#`) || ((i.pk === countsPk || i.pk.startsWith(`${countsPk}#`)) && i.sk.startsWith(`${month}#`)));
}
