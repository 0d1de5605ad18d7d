import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, AssetService } from '@safer-places/domain';
import type { Principal } from '@safer-places/schemas';
import { DynamoAssetRepository, keys, type AssetRepositoryOptions } from '../src/index';
import { readAssetsVersion } from '../src/assets/version';
import { dyingClient } from './crash-client';
import { startTestStore, storedCamera } from './harness';
import { scriptedClient, withTransactions } from './scripted-client';

let store: Awaited<ReturnType<typeof startTestStore>>;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(() => store.close());

const fast: AssetRepositoryOptions = { retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, cleanupRetry: { attempts: 10, baseDelayMs: 1, maxDelayMs: 5 } };
const NOW = new Date('2026-03-01T12:00:00Z');
const plain = () => new DynamoAssetRepository(store.doc, store.tableName, fast);
const cameras = (orgId: string, n: number, tag = 'u') => Array.from({ length: n }, (_, i) => storedCamera(orgId, `${tag}-${i}`, 1, `Camera ${i}`));
const versionItem = async (orgId: string) => (await store.doc.send(new GetCommand({ TableName: store.tableName, Key: keys.assetsVersion(orgId), ConsistentRead: true }))).Item;

/** Both kinds of store: the embedded one as it is (no transactions), and with TransactWriteItems emulated over it. */
const stores = [
  { name: 'without transactions', client: () => store.doc },
  { name: 'with transactions', client: () => withTransactions(store.doc).client },
];

describe.each(stores)('the assets version, $name', ({ name, client }) => {
  const org = (what: string) => `${name === 'with transactions' ? 'tx' : 'one'}-${what}`;
  const repo = () => new DynamoAssetRepository(client(), store.tableName, fast);

  it('moves with every write that changes a list, and with nothing else', async () => {
    const orgId = org('moves');
    const r = repo();
    const seen = [await r.assetsVersion(orgId)];
    const step = async (what: string, write: () => Promise<unknown>, moves: boolean) => {
      await write();
      const now = await r.assetsVersion(orgId);
      expect(now, what).not.toBeNull();
      if (moves) expect(seen, what).not.toContain(now);
      else expect(now, what).toBe(seen.at(-1));
      seen.push(now);
    };
    await step('create', () => r.create('cameras', storedCamera(orgId, 'c1')), true);
    await step('update', () => r.update('cameras', storedCamera(orgId, 'c1', 2, 'Renamed'), 1), true);
    await step('upload', () => r.upload('cameras', cameras(orgId, 3), { id: 'up', now: NOW }), true);
    await step('update of an uploaded item', () => r.update('cameras', storedCamera(orgId, 'u-1', 2, 'Renamed'), 1), true);
    await step('remove', () => r.remove(orgId, 'cameras', 'c1', 2), true);
    await step('remove of an uploaded item', () => r.remove(orgId, 'cameras', 'u-2', 1), true);
    await step('replay of a completed upload', () => r.upload('cameras', cameras(orgId, 3, 'again'), { id: 'up', now: NOW }), false);
    await step('reads', () => Promise.all([r.list(orgId, 'cameras'), r.get(orgId, 'cameras', 'u-0')]), false);
    await step('a marker and a setting', () => Promise.all([r.setMarker(orgId, 'seeded'), r.putSetting(orgId, 'home', 'x')]), false);
  });

  it('is per organisation', async () => {
    const r = repo();
    const before = await r.assetsVersion(org('mine'));
    await r.create('cameras', storedCamera(org('theirs'), 'c1'));
    expect(await r.assetsVersion(org('mine'))).toBe(before);
  });

  it('a lists cache on another process sees every acknowledged write at once', async () => {
    const orgId = org('cache');
    const reader = scriptedClient(store.doc, () => undefined);
    const service = new AssetService({ assets: new DynamoAssetRepository(reader.client, store.tableName, fast), clock: { now: () => NOW }, ids: { newId: () => crypto.randomUUID() } });
    const principal: Principal = { userId: 'u', orgId, role: 'analyst' };
    const writer = repo();
    const names = async () => (await service.list(principal, 'cameras')).map((c) => c.name).sort();
    expect(await names()).toEqual([]);
    await writer.create('cameras', storedCamera(orgId, 'c1', 1, 'A'));
    expect(await names()).toEqual(['A']);
    const queries = reader.calls('QueryCommand');
    expect(await names()).toEqual(['A']); // kept: one GetItem of the version, no Query
    expect(reader.calls('QueryCommand')).toBe(queries);
    await writer.update('cameras', storedCamera(orgId, 'c1', 2, 'B'), 1);
    expect(await names()).toEqual(['B']);
    await writer.upload('cameras', cameras(orgId, 2), { now: NOW });
    expect(await names()).toEqual(['B', 'Camera 0', 'Camera 1']);
    await writer.remove(orgId, 'cameras', 'c1', 2);
    expect(await names()).toEqual(['Camera 0', 'Camera 1']);
  });
});

describe('the assets version with transactions', () => {
  it('is written in the same transaction as the item: a refused write leaves it as it was', async () => {
    const orgId = 'tx-same';
    const tx = withTransactions(store.doc);
    const r = new DynamoAssetRepository(tx.client, store.tableName, fast);
    await r.create('cameras', storedCamera(orgId, 'c1'));
    const after = await r.assetsVersion(orgId);
    await expect(r.create('cameras', storedCamera(orgId, 'c1', 1, 'Again'))).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(r.update('cameras', storedCamera(orgId, 'c1', 3, 'Stale'), 2)).rejects.toThrow(/version 1/);
    expect(await r.assetsVersion(orgId)).toBe(after);
    // No pending entries: a transaction needs none.
    expect((await versionItem(orgId))?.pending).toBeUndefined();
  });

  it('an upload that dies before its commit leaves the version as it was; its commit moves it', async () => {
    const orgId = 'tx-dies';
    const r = new DynamoAssetRepository(withTransactions(store.doc).client, store.tableName, fast);
    const before = await r.assetsVersion(orgId);
    const dying = dyingClient(withTransactions(store.doc).client, 4); // journal, record, 2 transactions of items
    await expect(new DynamoAssetRepository(dying.client, store.tableName, fast).upload('cameras', cameras(orgId, 150), { id: 'u', now: NOW })).rejects.toMatchObject({ name: 'ProcessDied' });
    expect(await r.assetsVersion(orgId)).toBe(before);
    await r.upload('cameras', cameras(orgId, 150), { id: 'u', now: NOW });
    expect(await r.assetsVersion(orgId)).not.toBe(before);
  });
});

describe('the assets version without transactions', () => {
  it('is unknown (null) while a write is under way, and new once it is done', async () => {
    const orgId = 'one-midway';
    const during: (string | null)[] = [];
    const f = scriptedClient(
      store.doc,
      (c) => ((c as PutCommand).input?.Item as { sk?: string } | undefined)?.sk?.startsWith('ASSET#') ? 'timeout-after-write' : undefined,
      async () => void during.push(await plain().assetsVersion(orgId)),
    );
    const before = await plain().assetsVersion(orgId);
    await new DynamoAssetRepository(f.client, store.tableName, fast).create('cameras', storedCamera(orgId, 'c1'));
    expect(during).toEqual([null]);
    const after = await plain().assetsVersion(orgId);
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    expect((await versionItem(orgId))?.pending ?? new Set()).toEqual(new Set());
  });

  it('a process that dies mid-write leaves it unknown until the lease ends, then under a token never seen before', async () => {
    const orgId = 'one-dies';
    const before = await plain().assetsVersion(orgId);
    const dying = dyingClient(store.doc, 2); // the version's pending entry, then the item: its answer never comes
    await expect(new DynamoAssetRepository(dying.client, store.tableName, { ...fast, transactions: 'never' }).create('cameras', storedCamera(orgId, 'c1'))).rejects.toMatchObject({ name: 'ProcessDied' });
    expect(dying.writes.map((w) => w.split(' ')[0])).toEqual(['UpdateCommand', 'PutCommand']);
    expect(await plain().assetsVersion(orgId)).toBeNull();
    const lease = fast.uploadLeaseSeconds ?? 15 * 60;
    const afterLease = await readAssetsVersion(store.doc, store.tableName, orgId, fast.retry!, Date.now() + (lease + 1) * 1000);
    expect(afterLease).not.toBeNull();
    expect(afterLease).not.toBe(before);
    // The next completed write takes the organisation's version on as usual; the dead entry stays harmless.
    await plain().create('cameras', storedCamera(orgId, 'c2'));
    expect(await readAssetsVersion(store.doc, store.tableName, orgId, fast.retry!, Date.now() + (lease + 1) * 1000)).not.toBe(afterLease);
  });

  it('a write whose version step fails is not made: nothing written, the error rethrown', async () => {
    const orgId = 'one-refused';
    const f = scriptedClient(store.doc, (c) => (c instanceof UpdateCommand ? 'throttle' : undefined));
    const err = await new DynamoAssetRepository(f.client, store.tableName, { ...fast, transactions: 'never' }).create('cameras', storedCamera(orgId, 'c1')).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ThrottlingException');
    expect(f.calls('PutCommand')).toBe(0);
    expect(await plain().list(orgId, 'cameras')).toEqual([]);
  });

  it('a version step that fails after the write: the write stands and is answered, and the version stays unknown (never stale)', async () => {
    const orgId = 'one-end-fails';
    const f = scriptedClient(store.doc, (c, n) => (c instanceof UpdateCommand && n >= 2 ? 'throttle' : undefined));
    await new DynamoAssetRepository(f.client, store.tableName, { ...fast, transactions: 'never' }).create('cameras', storedCamera(orgId, 'c1'));
    expect(await plain().list(orgId, 'cameras')).toHaveLength(1);
    expect(await plain().assetsVersion(orgId)).toBeNull();
  });
});
