import { createDocumentClient, ensureTable } from '../src/index';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../src/embedded';

/** A fresh in-memory dynalite and table per test file: real DynamoDB semantics, no mocks. */
export async function startTestStore(dir?: string) {
  const server: EmbeddedDynamo = await startEmbeddedDynamo(dir ? { dir } : {});
  const doc = createDocumentClient({ endpoint: server.endpoint });
  const tableName = 'test-table';
  await ensureTable(doc, tableName);
  return { server, doc, tableName, close: async () => { doc.destroy(); await server.close(); } };
}
