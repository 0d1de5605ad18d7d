import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError } from '@safer-places/domain';
import type { Camera } from '@safer-places/schemas';
import { DynamoAssetRepository } from '../src/index';
import { startTestStore, storedCamera } from './harness';
import { rawSummary } from './crash-client';
import { scriptedClient, withTransactions } from './scripted-client';

let store: Awaited<ReturnType<typeof startTestStore>>;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(() => store.close());

const camera = (orgId: string, id: string, name = `Camera ${id}`): Camera => storedCamera(orgId, id, 1, name);
const cameras = (orgId: string, n: number) => Array.from({ length: n }, (_, i) => camera(orgId, `c${String(i).padStart(3, '0')}`));
/** Fast retries, so tests that exhaust them stay quick. */
const fast = { retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, cleanupRetry: { attempts: 10, baseDelayMs: 1, maxDelayMs: 5 } };
const stored = (orgId: string) => new DynamoAssetRepository(store.doc, store.tableName).list(orgId, 'cameras');
/** What the table holds for the organisation, invisible upload items included. */
const raw = (orgId: string) => rawSummary(store.doc, store.tableName, orgId);

describe('createMany with transactions (TransactWriteItems, emulated over the embedded store)', () => {
  it('writes up to 100 items in one atomic transaction', async () => {
    const tx = withTransactions(store.doc);
    await new DynamoAssetRepository(tx.client, store.tableName).createMany('cameras', cameras('tx-a', 100));
    // The items, then the upload's commit with the organisation's new assets version.
    expect(tx.stats).toMatchObject({ transactions: 2, committed: 2 });
    expect(await stored('tx-a')).toHaveLength(100);
  });

  it('an id taken in a single transaction: AlreadyExistsError naming it, and nothing written', async () => {
    const tx = withTransactions(store.doc);
    const repo = new DynamoAssetRepository(tx.client, store.tableName);
    await repo.create('cameras', camera('tx-b', 'c042', 'There before'));
    const before = tx.stats.committed;
    const err = await repo.createMany('cameras', cameras('tx-b', 80)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyExistsError);
    expect((err as Error).message).toMatch(/"c042" already exists/);
    expect((await stored('tx-b')).map((c) => c.name)).toEqual(['There before']);
    expect(tx.stats.committed).toBe(before);
    expect(await raw('tx-b')).toMatchObject({ assets: 1, runs: [], journals: 0, records: [] });
  });

  it('writes 250 items as transactions of 100, 100 and 50', async () => {
    const sizes: number[] = [];
    const spy = withTransactions(store.doc, (_n, input) => void sizes.push(input.TransactItems!.length));
    await new DynamoAssetRepository(spy.client, store.tableName).createMany('cameras', cameras('tx-c', 250));
    expect(sizes).toEqual([100, 100, 50, 2]); // the last: the commit and the assets version
    expect(await stored('tx-c')).toHaveLength(250);
  });

  it('a later transaction that keeps failing: nothing was visible, and the earlier ones are deleted again', async () => {
    // The third transaction is cancelled for throttling on every try, as DynamoDB does under load.
    const tx = withTransactions(store.doc, (n) => {
      if (n >= 3) {
        throw new TransactionCanceledException({ message: 'Transaction cancelled [ThrottlingError]', $metadata: {}, CancellationReasons: [{ Code: 'ThrottlingError' }] });
      }
    });
    const err = await new DynamoAssetRepository(tx.client, store.tableName, fast).createMany('cameras', cameras('tx-d', 250)).catch((e: unknown) => e);
    expect((err as Error).name).toMatch(/Throttl/);
    expect(tx.stats).toMatchObject({ committed: 2, transactions: 2 + fast.retry.attempts });
    expect(await stored('tx-d')).toEqual([]);
    expect(await raw('tx-d')).toMatchObject({ assets: 0, journals: 0, records: [] });
  });

  it('an id taken in a later transaction: AlreadyExistsError, the earlier transactions undone, the taken item untouched', async () => {
    const tx = withTransactions(store.doc);
    const repo = new DynamoAssetRepository(tx.client, store.tableName, fast);
    await repo.create('cameras', camera('tx-e', 'c230', 'There before'));
    const before = tx.stats.committed;
    const err = await repo.createMany('cameras', cameras('tx-e', 250)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyExistsError);
    expect((err as Error).message).toMatch(/"c230"/);
    expect(tx.stats.committed - before).toBe(2);
    expect((await stored('tx-e')).map((c) => `${c.id} ${c.name}`)).toEqual(['c230 There before']);
    expect(await raw('tx-e')).toMatchObject({ assets: 1, runs: [], journals: 0, records: [] });
  });

  it('a transaction whose answer is lost after it committed is sent again with the same token and applied once', async () => {
    const tx = withTransactions(store.doc, (n) => (n === 2 ? 'timeout-after-write' : undefined));
    await new DynamoAssetRepository(tx.client, store.tableName, fast).createMany('cameras', cameras('tx-f', 250));
    // Three of items (the second sent twice), then the commit.
    expect(tx.stats).toMatchObject({ transactions: 5, committed: 4, replayed: 1 });
    expect(await stored('tx-f')).toHaveLength(250);
  });
});

describe('createMany without transactions (the embedded store as it is)', () => {
  it('falls back to conditional puts and writes every item', async () => {
    const spy = scriptedClient(store.doc, () => undefined);
    const repo = new DynamoAssetRepository(spy.client, store.tableName);
    await repo.createMany('cameras', cameras('one-a', 250));
    expect(await stored('one-a')).toHaveLength(250);
    expect(spy.calls('TransactWriteCommand')).toBe(1); // tried once, then remembered
    await repo.createMany('cameras', cameras('one-a2', 10));
    expect(spy.calls('TransactWriteCommand')).toBe(1);
  });

  it('an id taken: AlreadyExistsError, every item of the upload removed again, the taken one untouched', async () => {
    const repo = new DynamoAssetRepository(store.doc, store.tableName, fast);
    await repo.create('cameras', camera('one-b', 'c180', 'There before'));
    await expect(repo.createMany('cameras', cameras('one-b', 250))).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await stored('one-b')).map((c) => `${c.id} ${c.name}`)).toEqual(['c180 There before']);
    expect(await raw('one-b')).toMatchObject({ assets: 1, runs: [], journals: 0, records: [] });
  });

  it('the store failing part-way (throttled from the 150th put on): rethrown, and nothing stays', async () => {
    const faulty = scriptedClient(store.doc, (c, n) => ((c as object).constructor.name === 'PutCommand' && n >= 150 ? 'throttle' : undefined));
    const err = await new DynamoAssetRepository(faulty.client, store.tableName, fast).createMany('cameras', cameras('one-c', 250)).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ThrottlingException');
    expect(await stored('one-c')).toEqual([]);
    expect(await raw('one-c')).toMatchObject({ assets: 0, journals: 0, records: [] });
  });

  it('puts whose answers are lost after writing count as written, once', async () => {
    const faulty = scriptedClient(store.doc, (c, n) => ((c as object).constructor.name === 'PutCommand' && n % 7 === 3 ? 'timeout-after-write' : undefined));
    await new DynamoAssetRepository(faulty.client, store.tableName, fast).createMany('cameras', cameras('one-d', 120));
    expect(faulty.injected['timeout-after-write']).toBeGreaterThan(10);
    expect(await stored('one-d')).toHaveLength(120);
    expect(await raw('one-d')).toMatchObject({ assets: 120, journals: 0, records: [{ state: 'committed' }] });
  });

  it('two items with one id in an upload are refused before anything is written', async () => {
    const repo = new DynamoAssetRepository(store.doc, store.tableName, fast);
    await expect(repo.createMany('cameras', [camera('one-e', 'x'), camera('one-e', 'y'), camera('one-e', 'x')])).rejects.toThrow(/"x" appears more than once/);
    expect(await stored('one-e')).toEqual([]);
  });
});
