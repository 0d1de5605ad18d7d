import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreThrottledError } from '@safer-places/domain';
import type { Key } from './keys';
import { backoffMs, isTransient, oneTry, sleep, type RetryPolicy } from './retry';

export type { RetryPolicy } from './retry';

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Key } };

const BATCH_SIZE = 25;

/** Tries in a row that write nothing before giving up; a try that writes anything starts the count again. */
export const DEFAULT_BATCH_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 50, maxDelayMs: 2000 };

/**
 * Writes requests in batches of 25 with a few batches in flight. Items handed back as UnprocessedItems, and whole
 * batches refused for load (throttling) or left without an answer (timeouts), are sent again with exponential backoff
 * and jitter until every request is written. Puts and deletes by key are idempotent, so sending a batch again that
 * had in fact been written (a timeout after the write) changes nothing. Only when `retry.attempts` tries in a row make
 * no progress does it give up, and then it throws: nothing is silently dropped. When it throws, no write of this call
 * is still in flight, so a caller that runs it again does not race its own earlier writes.
 */
export async function batchWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
  concurrency = 4,
  retry: RetryPolicy = DEFAULT_BATCH_RETRY,
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < batches.length) {
      const batch = batches[next++]!;
      try {
        await writeOneBatch(doc, tableName, batch, retry);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

async function writeOneBatch(doc: DynamoDBDocumentClient, tableName: string, batch: WriteRequest[], retry: RetryPolicy) {
  let pending = batch;
  let stalled = 0;
  let lastError: unknown;
  while (pending.length > 0) {
    if (stalled >= retry.attempts) {
      // Keep the store's own error (its name says throttling or timeout) when that is what the last try met.
      if (lastError !== undefined) throw lastError;
      throw new StoreThrottledError(`BatchWrite: ${pending.length} items still unprocessed after ${retry.attempts} attempts`);
    }
    let left: WriteRequest[];
    try {
      const out = await oneTry(() => doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })));
      left = (out.UnprocessedItems?.[tableName] as WriteRequest[] | undefined) ?? [];
      lastError = undefined;
    } catch (err) {
      if (!isTransient(err)) throw err;
      left = pending;
      lastError = err;
    }
    stalled = left.length < pending.length ? 0 : stalled + 1;
    pending = left;
    if (pending.length > 0 && stalled < retry.attempts) await sleep(backoffMs(Math.max(1, stalled), retry));
  }
}

export const put = (Item: Record<string, unknown>): WriteRequest => ({ PutRequest: { Item } });
export const del = (Key: Key): WriteRequest => ({ DeleteRequest: { Key } });
