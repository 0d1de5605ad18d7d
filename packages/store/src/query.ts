import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/** Runs a Query to the end of its pages. */
export async function queryAll<T = Record<string, unknown>>(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<T[]> {
  const items: T[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...((out.Items ?? []) as T[]));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** At most this many reads of one request in flight at once (partitions of a scope, months of a period). */
export const READ_CONCURRENCY = 8;

/**
 * A gate that lets at most `max` calls run at once; the others wait their turn in order. Only the leaf calls (one
 * store request each) go through it, never a call that itself waits on the gate, so it cannot deadlock.
 */
export function concurrencyLimit(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  if (!(max >= 1)) throw new Error(`concurrency limit must be at least 1, not ${max}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    // A call that finishes hands its slot straight to the next waiting one, so no newcomer can slip in between.
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** `fn` over every value with at most `max` in flight; the answers in the values' order. After a failure no new call starts. */
export async function mapLimit<V, T>(values: readonly V[], max: number, fn: (value: V) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(values.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < values.length) {
      const i = next++;
      try {
        out[i] = await fn(values[i]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(max, values.length) }, worker));
  return out;
}
