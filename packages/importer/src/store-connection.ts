import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { PostcodeRepository, ReferenceRepository } from '@safer-places/domain';
import { ImportInputError } from './errors';
import { DEFAULT_TABLE_NAME, DynamoPostcodeRepository, DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { EMBEDDED_ENDPOINT_FILE, isProcessAlive, startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface StoreOptions {
  /** "aws": the deployed table, through the normal AWS credential chain; it must exist already. */
  target?: 'local' | 'aws';
  /** Folder of the local install's data (default: the repository's .data, as `npm start` uses). */
  dataDir?: string;
  /** A DynamoDB endpoint to use instead (DynamoDB Local, AWS). */
  endpoint?: string;
  tableName?: string;
}

export interface OpenStore {
  reference: ReferenceRepository;
  /** Where an ONS postcode file's postcodes go (the search's optional postcodes). */
  postcodes: PostcodeRepository;
  description: string;
  close(): Promise<void>;
}

/**
 * Connects to where the data lives: an explicit endpoint; else the embedded DynamoDB of a running `npm start` on the
 * same data folder (its LevelDB can only be opened by one process); else an embedded DynamoDB of our own on that folder.
 */
export async function openStore(options: StoreOptions = {}): Promise<OpenStore> {
  if (options.target === 'aws') return openAwsTable(options.tableName);
  const tableName = options.tableName ?? process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME;
  const dataDir = resolve(options.dataDir ?? process.env.DATA_DIR ?? join(REPO_ROOT, '.data'));
  let endpoint = options.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  let description = endpoint ? `DynamoDB at ${endpoint}` : '';
  let embedded: EmbeddedDynamo | undefined;
  if (!endpoint) {
    const marker = join(dataDir, EMBEDDED_ENDPOINT_FILE);
    if (existsSync(marker)) {
      const running = JSON.parse(readFileSync(marker, 'utf8')) as { endpoint: string; pid: number };
      if (isProcessAlive(running.pid)) {
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
    postcodes: new DynamoPostcodeRepository(doc, tableName),
    description,
    close: async () => {
      doc.destroy();
      await embedded?.close();
    },
  };
}

/**
 * The deployed table in AWS. Never created here: a mistyped name must fail, not leave a stray table without
 * point-in-time recovery or deletion protection.
 */
async function openAwsTable(tableName: string | undefined): Promise<OpenStore> {
  if (!tableName) throw new ImportInputError('--target aws needs --table <the TableName output of the deployed stack>');
  const doc = createDocumentClient({});
  try {
    await doc.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (e) {
    doc.destroy();
    if (e instanceof ResourceNotFoundException) throw new ImportInputError(`no table "${tableName}" in ${process.env.AWS_REGION ?? 'eu-west-2'}: use the TableName output of the deployed stack`);
    throw e;
  }
  return { reference: new DynamoReferenceRepository(doc, tableName), postcodes: new DynamoPostcodeRepository(doc, tableName), description: `DynamoDB table ${tableName} in AWS`, close: async () => doc.destroy() };
}
