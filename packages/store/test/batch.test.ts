import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchWrite } from '../src/index';
import { queryAll } from '../src/query';
import { startTestStore } from './harness';

let store: Awaited<ReturnType<typeof startTestStore>>;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(() => store.close());

/**
 * The real embedded DynamoDB behind a client that, like DynamoDB under load, accepts only part of each of the first
 * few BatchWrite calls and hands the rest back as UnprocessedItems.
 */
function throttledClient(real: DynamoDBDocumentClient, partialCalls: number, accepted = (n: number) => Math.ceil(n / 2)) {
  let calls = 0;
  const proxy = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: unknown) => {
        if (!(command instanceof BatchWriteCommand) || ++calls > partialCalls) return target.send(command as never);
        const [table, requests] = Object.entries(command.input.RequestItems!)[0]!;
        const half = accepted(requests.length);
        if (half > 0) await target.send(new BatchWriteCommand({ RequestItems: { [table]: requests.slice(0, half) } }));
        return { UnprocessedItems: { [table]: requests.slice(half) } };
      };
    },
  });
  return { client: proxy, calls: () => calls };
}

describe('batchWrite', () => {
  it('retries unprocessed items until every item is written, exactly once', async () => {
    const { client, calls } = throttledClient(store.doc, 6);
    const items = Array.from({ length: 120 }, (_, i) => ({ PutRequest: { Item: { pk: 'BATCH', sk: String(i).padStart(4, '0'), n: i } } }));
    await batchWrite(client, store.tableName, items);
    const stored = await queryAll<{ n: number }>(store.doc, { TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'BATCH' } });
    expect(stored.map((s) => s.n)).toEqual(items.map((_, i) => i));
    expect(calls()).toBe(5 + 6); // five batches of 25, plus one retry for each partial answer
  });

  it('gives up loudly when items stay unprocessed', async () => {
    const { client } = throttledClient(store.doc, 1000, () => 0);
    const items = Array.from({ length: 2 }, (_, i) => ({ PutRequest: { Item: { pk: 'STUCK', sk: String(i) } } }));
    await expect(batchWrite(client, store.tableName, items, 1, { attempts: 4, baseDelayMs: 1 })).rejects.toThrow(/still unprocessed after 4 attempts/);
  });
});
