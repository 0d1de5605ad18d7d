import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, VersionConflictError } from '@safer-places/domain';
import { CHUNK_SIZE, DynamoAssetRepository, DynamoReferenceRepository, batchWrite } from '../src/index';
import { queryAll } from '../src/query';
import { crimeBlock as block, startTestStore, storedCamera } from './harness';
import { scriptedClient } from './scripted-client';

let store: Awaited<ReturnType<typeof startTestStore>>;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(() => store.close());

const fast = { retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, cleanupRetry: { attempts: 10, baseDelayMs: 1, maxDelayMs: 5 } };
const camera = storedCamera;
const is = (type: { name: string }) => (c: unknown) => (c as object).constructor.name === type.name;
const clean = () => new DynamoAssetRepository(store.doc, store.tableName);

describe('single asset writes under throttling and timeouts', () => {
  it('a create whose answer was lost after it was written succeeds (not "already exists"), written once', async () => {
    const f = scriptedClient(store.doc, (c, n) => (is(PutCommand)(c) && n === 1 ? 'timeout-after-write' : undefined));
    await new DynamoAssetRepository(f.client, store.tableName, fast).create('cameras', camera('r-a', 'c1'));
    expect(f.calls('PutCommand')).toBe(2); // the retry met its own item
    expect(await clean().list('r-a', 'cameras')).toEqual([camera('r-a', 'c1')]);
  });

  it('a create that times out before writing on every try rethrows the timeout and leaves nothing', async () => {
    const f = scriptedClient(store.doc, (c) => (is(PutCommand)(c) ? 'timeout' : undefined));
    const err = await new DynamoAssetRepository(f.client, store.tableName, fast).create('cameras', camera('r-b', 'c1')).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(f.calls('PutCommand')).toBe(fast.retry.attempts);
    expect(await clean().list('r-b', 'cameras')).toEqual([]);
  });

  it('a create whose every try times out after writing is found written: success, not a false "busy"', async () => {
    const f = scriptedClient(store.doc, (c) => (is(PutCommand)(c) ? 'timeout-after-write' : undefined));
    await new DynamoAssetRepository(f.client, store.tableName, fast).create('cameras', camera('r-c', 'c1'));
    expect(await clean().list('r-c', 'cameras')).toHaveLength(1);
  });

  it('a create over a taken id after a timeout is still "already exists"', async () => {
    await clean().create('cameras', camera('r-d', 'c1', 1, 'There before'));
    const f = scriptedClient(store.doc, (c, n) => (is(PutCommand)(c) && n === 1 ? 'timeout' : undefined));
    await expect(new DynamoAssetRepository(f.client, store.tableName, fast).create('cameras', camera('r-d', 'c1'))).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await clean().get('r-d', 'cameras', 'c1'))!.name).toBe('There before');
  });

  it('throttling a few times is waited out', async () => {
    const f = scriptedClient(store.doc, (c, n) => (is(PutCommand)(c) && n <= 3 ? 'throttle' : undefined));
    await new DynamoAssetRepository(f.client, store.tableName, fast).create('cameras', camera('r-e', 'c1'));
    expect(f.injected.throttle).toBe(3);
    expect(await clean().get('r-e', 'cameras', 'c1')).not.toBeNull();
  });

  it('an update whose answer was lost is not reported as a version conflict', async () => {
    await clean().create('cameras', camera('r-f', 'c1'));
    const f = scriptedClient(store.doc, (c, n) => (is(PutCommand)(c) && n === 1 ? 'timeout-after-write' : undefined));
    await new DynamoAssetRepository(f.client, store.tableName, fast).update('cameras', camera('r-f', 'c1', 2, 'Renamed'), 1);
    expect(await clean().get('r-f', 'cameras', 'c1')).toMatchObject({ version: 2, name: 'Renamed' });
  });

  it('an update that timed out and meets someone else\'s newer version is a conflict', async () => {
    await clean().create('cameras', camera('r-g', 'c1'));
    const f = scriptedClient(
      store.doc,
      (c, n) => (is(PutCommand)(c) && n === 1 ? 'timeout' : undefined),
      () => clean().update('cameras', camera('r-g', 'c1', 2, 'Theirs'), 1),
    );
    const repo = new DynamoAssetRepository(f.client, store.tableName, fast);
    await expect(repo.update('cameras', camera('r-g', 'c1', 2, 'Mine'), 1)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await clean().get('r-g', 'cameras', 'c1'))!.name).toBe('Theirs');
  });

  it('a delete whose answer was lost succeeds', async () => {
    await clean().create('cameras', camera('r-h', 'c1'));
    const f = scriptedClient(store.doc, (c, n) => (is(DeleteCommand)(c) && n === 1 ? 'timeout-after-write' : undefined));
    await new DynamoAssetRepository(f.client, store.tableName, fast).remove('r-h', 'cameras', 'c1', 1);
    expect(await clean().get('r-h', 'cameras', 'c1')).toBeNull();
  });

  it('reads retry throttling, and rethrow it (by name) when it does not stop', async () => {
    await clean().create('cameras', camera('r-i', 'c1'));
    const some = scriptedClient(store.doc, (c, n) => ((is(GetCommand)(c) || is(QueryCommand)(c)) && n <= 2 ? 'throttle' : undefined));
    const repo = new DynamoAssetRepository(some.client, store.tableName, fast);
    expect(await repo.get('r-i', 'cameras', 'c1')).not.toBeNull();
    expect(await repo.list('r-i', 'cameras')).toHaveLength(1);
    const always = scriptedClient(store.doc, () => 'throttle');
    await expect(new DynamoAssetRepository(always.client, store.tableName, fast).list('r-i', 'cameras')).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('batchWrite under throttling and timeouts', () => {
  const items = (pk: string, n: number) => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk, sk: String(i).padStart(4, '0'), n: i } } }));
  const read = (pk: string) => queryAll<{ n: number }>(store.doc, { TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });

  it('retries thrown throttling and timeouts (before and after the write): every item exactly once', async () => {
    // Each batch meets, in turn from its own starting point, throttling, a timeout, a timeout after writing, success.
    const tries = new Map<string, number>();
    const f = scriptedClient(store.doc, (c) => {
      if (!is(BatchWriteCommand)(c)) return undefined;
      const first = JSON.stringify(Object.values((c as BatchWriteCommand).input.RequestItems!)[0]![0]);
      const t = (tries.get(first) ?? first.length) + 1;
      tries.set(first, t);
      return (['throttle', 'timeout', 'timeout-after-write', undefined] as const)[t % 4];
    });
    await batchWrite(f.client, store.tableName, items('B-RETRY', 200), 4, { attempts: 6, baseDelayMs: 1 });
    expect((await read('B-RETRY')).map((s) => s.n)).toEqual(items('B-RETRY', 200).map((_, i) => i));
    expect(Object.values(f.injected).every((n) => n > 0)).toBe(true);
    expect(f.calls('BatchWriteCommand')).toBeGreaterThan(8);
  });

  it('gives up after the attempts with the store\'s own error, and leaves no write in flight', async () => {
    const f = scriptedClient(store.doc, (c, n) => (is(BatchWriteCommand)(c) && n > 2 ? 'throttle' : undefined));
    await expect(batchWrite(f.client, store.tableName, items('B-GIVEUP', 200), 4, { attempts: 3, baseDelayMs: 1 })).rejects.toMatchObject({ name: 'ThrottlingException' });
    const callsAtFailure = f.calls('BatchWriteCommand');
    await new Promise((r) => setTimeout(r, 50));
    expect(f.calls('BatchWriteCommand')).toBe(callsAtFailure);
  });
});

describe('replaceCrimeMonth run again after a failure', () => {

  it('converges to exactly the new month, with nothing counted twice', async () => {
    const reference = new DynamoReferenceRepository(store.doc, store.tableName);
    const old = [block('2024-05', 'E01000001', 2 * CHUNK_SIZE, 'old'), block('2024-05', 'E01000002', CHUNK_SIZE, 'old')];
    const next = [block('2024-05', 'E01000001', CHUNK_SIZE + 10, 'new')];
    await reference.replaceCrimeMonth('rerun', '2024-05', old, () => 'E07000174');

    // The new chunks are written, then every delete of the old tail is refused until the tries run out.
    const f = scriptedClient(store.doc, (c) =>
      is(BatchWriteCommand)(c) && Object.values((c as BatchWriteCommand).input.RequestItems!)[0]!.some((r) => r.DeleteRequest) ? 'throttle' : undefined,
    );
    const failing = new DynamoReferenceRepository(f.client, store.tableName, { batchRetry: { attempts: 3, baseDelayMs: 1 } });
    await expect(failing.replaceCrimeMonth('rerun', '2024-05', next, () => 'E07000174')).rejects.toMatchObject({ name: 'ThrottlingException' });
    // The pointer was flipped before the deletes: readers already see exactly the new month (the old version's items
    // stay stored, unread, until the month is replaced again).
    const afterFailure = (await reference.getCrimeBlocks('rerun', ['2024-05'])).flatMap((b) => b.crimes);
    expect(afterFailure.length).toBe(CHUNK_SIZE + 10);

    await reference.replaceCrimeMonth('rerun', '2024-05', next, () => 'E07000174');
    const ids = (await reference.getCrimeBlocks('rerun', ['2024-05'])).flatMap((b) => b.crimes.map((c) => c.id)).sort();
    expect(ids).toEqual(next[0]!.crimes.map((c) => c.id).sort());
    const counts = await reference.getMonthlyCounts('rerun', '2024-05', '2024-05');
    expect([...counts[0]!.counts.keys()]).toEqual(['E01000001']);
    expect(counts[0]!.counts.get('E01000001')!.reduce((a, b) => a + b, 0)).toBe(CHUNK_SIZE + 10);
  });
});
