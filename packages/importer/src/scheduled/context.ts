/**
 * What every kind of importer run shares (./handler.ts, ./national.ts): the settings from the environment, the run's
 * options, its DynamoDB client and the "skipped" answer.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@safer-places/store';
import type { HttpClientOptions } from '../fetch/http';
import { DEFAULT_DATASET_ID } from '../import';
import type { LockHolder } from './lock';
import type { Log } from './telemetry';

export type Env = Record<string, string | undefined>;

export const jsonLog: Log = (entry) => console.log(JSON.stringify(entry));

export interface RunOptions {
  /** HTTP client overrides (tests shorten back-off). */
  http?: Partial<HttpClientOptions>;
  log?: Log;
  /** Overrides MONTHS for one run (a manual invocation's payload). */
  months?: number;
  /** Who holds the import lock while this run goes on (the Lambda request id); default a random id. */
  owner?: string;
  /** How long the lock lasts: the run's remaining time on Lambda; default IMPORT_LOCK_SECONDS. */
  lockSeconds?: number;
  /** Wraps the DynamoDB client (the tracer on Lambda). */
  wrapClient?: (doc: DynamoDBDocumentClient) => DynamoDBDocumentClient;
  /** The lock's clock (tests). */
  now?: () => Date;
}

/** Another run of the same dataset was under way: this one left the work to it. */
export interface ScheduledImportSkipped {
  skipped: true;
  datasetId: string;
  reason: string;
  holder: LockHolder | null;
}

/** A DynamoDB client for the run (traced on Lambda), destroyed when `work` ends. */
export async function withClient<T>(env: Env, options: RunOptions, work: (doc: DynamoDBDocumentClient) => Promise<T>): Promise<T> {
  const client = createDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
  const doc = options.wrapClient ? options.wrapClient(client) : client;
  try {
    return await work(doc);
  } finally {
    client.destroy();
  }
}

export function tableOf(env: Env): string {
  const table = env.TABLE_NAME?.trim();
  if (!table) throw new Error('scheduled import: environment variable(s) TABLE_NAME not set');
  return table;
}

export const datasetOf = (env: Env) => env.DATASET_ID?.trim() || DEFAULT_DATASET_ID;
