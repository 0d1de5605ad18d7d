import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera } from '@safer-places/schemas';
import {
  DEFAULT_CLIENT_RETRY,
  DynamoAssetRepository,
  DynamoIdempotencyStore,
  batchWrite,
  createDocumentClient,
  keys,
  retryingClient,
} from '../src/index';
import { startTestStore, storedCamera } from './harness';
import { startFaultProxy } from './http-faults';

/**
 * One retry layer, counted on the wire: a proxy between the SDK and the store answers with faults and counts every
 * HTTP request. Before, the SDK's own 5 tries ran under each of the store's, so one conditional put that kept being
 * throttled went out 4 × 5 = 20 times.
 */
let store: Awaited<ReturnType<typeof startTestStore>>;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let doc: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  store = await startTestStore();
  proxy = await startFaultProxy(store.server.endpoint);
  doc = createDocumentClient({ endpoint: proxy.endpoint });
});
afterAll(async () => {
  doc.destroy();
  await proxy.close();
  await store.close();
});

const fast = { retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, cleanupRetry: { attempts: 6, baseDelayMs: 1, maxDelayMs: 5 } };
const always = (operation: string, fault: 'throttle' | 'server-error') => (op: string) => (op === operation ? fault : undefined);
const camera = (orgId: string, id: string): Camera => storedCamera(orgId, id);

describe('every send is counted once: the SDK makes one attempt, the store retries', () => {
  it('a conditional put throttled on every try goes out exactly `attempts` times, not attempts × the SDK\'s', async () => {
    proxy.reset(always('PutItem', 'throttle'));
    const err = await new DynamoAssetRepository(doc, store.tableName, fast).create('cameras', camera('layers', 'c1')).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ThrottlingException');
    expect(proxy.sent('PutItem')).toBe(fast.retry.attempts);
  });

  it('a server error on every read: `attempts` GetItem requests, then the error', async () => {
    proxy.reset(always('GetItem', 'server-error'));
    const err = await new DynamoAssetRepository(doc, store.tableName, fast).get('layers', 'cameras', 'c1').catch((e: unknown) => e);
    expect((err as Error).name).toBe('InternalServerError');
    expect(proxy.sent('GetItem')).toBe(fast.retry.attempts);
  });

  it('a few throttled tries are waited out within the same bound', async () => {
    proxy.reset((op, n) => (op === 'PutItem' && n <= 2 ? 'throttle' : undefined));
    await new DynamoAssetRepository(doc, store.tableName, fast).create('cameras', camera('layers', 'c2'));
    expect(proxy.sent('PutItem')).toBe(3);
  });

  it('a retrying client over it: its own attempts, no more', async () => {
    proxy.reset(always('Query', 'throttle'));
    const client = retryingClient(doc, { attempts: 3, baseDelayMs: 1 });
    await expect(client.send(new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'X' } }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(proxy.sent('Query')).toBe(3);
  });

  it('batch writes: `attempts` tries in a row without progress, each one request', async () => {
    proxy.reset(always('BatchWriteItem', 'throttle'));
    const requests = Array.from({ length: 10 }, (_, i) => ({ PutRequest: { Item: { pk: 'LAYERS', sk: String(i) } } }));
    await expect(batchWrite(doc, store.tableName, requests, 1, { attempts: 3, baseDelayMs: 1 })).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(proxy.sent('BatchWriteItem')).toBe(3);
  });

  it('idempotency claims: the store\'s 5 tries', async () => {
    proxy.reset(always('PutItem', 'throttle'));
    const idem = new DynamoIdempotencyStore(doc, store.tableName, { attempts: 5, baseDelayMs: 1 });
    await expect(idem.reserve({ orgId: 'layers', userId: 'u' }, 'k', 'f', new Date())).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(proxy.sent('PutItem')).toBe(5);
  });

  it('an upload under throttling: every item stored once, and the sends bounded by attempts per write', async () => {
    // Each of the first 60 PutItem requests is refused: every write's first try or two, never more than 3 in a row.
    proxy.reset((op, n) => (op === 'PutItem' && n <= 60 && n % 3 !== 0 ? 'throttle' : undefined));
    const repo = new DynamoAssetRepository(doc, store.tableName, { ...fast, transactions: 'never', concurrency: 1 });
    const cameras = Array.from({ length: 30 }, (_, i) => camera('layers-upload', `u${i}`));
    await repo.upload('cameras', cameras, { now: new Date() });
    const writes = 30 + 3; // items, journal, record, commit (puts); the journal's removal is a delete
    expect(proxy.sent('PutItem')).toBeLessThanOrEqual(writes * fast.retry.attempts);
    expect(proxy.sent('PutItem')).toBe(writes + 40);
    proxy.reset(() => undefined);
    expect(await new DynamoAssetRepository(doc, store.tableName).list('layers-upload', 'cameras')).toHaveLength(30);
  });

  it('a tool\'s own send outside any store retry gets the client\'s fallback retries, once', async () => {
    proxy.reset(always('GetItem', 'throttle'));
    await expect(doc.send(new GetCommand({ TableName: store.tableName, Key: keys.marker('layers', 'm') }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(proxy.sent('GetItem')).toBe(DEFAULT_CLIENT_RETRY.attempts);
  });
});
