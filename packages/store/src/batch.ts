import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Key } from './keys';

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Key } };

const BATCH_SIZE = 25;

export interface RetryPolicy {
  attempts: number;
  /** First backoff in ms; doubles each attempt, capped at 2 s, with ±50 % jitter. */
  baseDelayMs: number;
}
const DEFAULT_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 50 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes requests in batches of 25 with a few batches in flight, retrying UnprocessedItems with exponential backoff
 * and jitter until every request is written (or the attempts run out, which throws: nothing is silently dropped).
 */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
  concurrency = 4,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      await writeOneBatch(doc, tableName, batch, retry);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
}

async function writeOneBatch(doc: DynamoDBDocumentClient, tableName: string, batch: WriteRequest[], retry: RetryPolicy) {
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > retry.attempts) throw new Error(`BatchWrite: ${pending.length} items still unprocessed after ${retry.attempts} attempts`);
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (out.UnprocessedItems?.[tableName] as WriteRequest[] | undefined) ?? [];
    if (pending.length > 0) await sleep(Math.min(2000, retry.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random()));
  }
}

export const put = (Item: Record<string, unknown>): WriteRequest => ({ PutRequest: { Item } });
export const del = (Key: Key): WriteRequest => ({ DeleteRequest: { Key } });
