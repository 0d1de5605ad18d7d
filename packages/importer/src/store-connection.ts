import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReferenceRepository } from '@safer-places/domain';
import { DEFAULT_TABLE_NAME, DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { EMBEDDED_ENDPOINT_FILE, startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface StoreOptions {
  /** Folder of the local install's data (default: the repository's .data, as `npm start` uses). */
  dataDir?: string;
  /** A DynamoDB endpoint to use instead (DynamoDB Local, AWS). */
  endpoint?: string;
  tableName?: string;
}

export interface OpenStore {
  reference: ReferenceRepository;
  description: string;
  close(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Connects to where the data lives: an explicit endpoint; else the embedded DynamoDB of a running `npm start` on the
 * same data folder (its LevelDB can only be opened by one process); else an embedded DynamoDB of our own on that folder.
 */
export async function openStore(options: StoreOptions = {}): Promise<OpenStore> {
  const tableName = options.tableName ?? process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME;
  const dataDir = resolve(options.dataDir ?? process.env.DATA_DIR ?? join(REPO_ROOT, '.data'));
  let endpoint = options.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  let description = endpoint ? `DynamoDB at ${endpoint}` : '';
  let embedded: EmbeddedDynamo | undefined;
  if (!endpoint) {
    const marker = join(dataDir, EMBEDDED_ENDPOINT_FILE);
    if (existsSync(marker)) {
      const running = JSON.parse(readFileSync(marker, 'utf8')) as { endpoint: string; pid: number };
      if (isAlive(running.pid)) {
        endpoint = running.endpoint;
        description = `the running local server's store (${dataDir})`;
      }
    }
  }
  if (!endpoint) {
    embedded = await startEmbeddedDynamo({ dir: join(dataDir, 'dynamodb') });
    endpoint = embedded.endpoint;
    description = `the local store in ${dataDir}`;
  }
  const doc = createDocumentClient({ endpoint });
  await ensureTable(doc, tableName);
  return {
    reference: new DynamoReferenceRepository(doc, tableName),
    description,
    close: async () => {
      doc.destroy();
      await embedded?.close();
    },
  };
}
