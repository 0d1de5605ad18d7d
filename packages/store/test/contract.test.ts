import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, NotFoundError, VersionConflictError } from '@safer-places/domain';
import type { Camera } from '@safer-places/schemas';
import {
  DynamoAssetRepository,
  DynamoIdempotencyStore,
  IDEMPOTENCY_PENDING_SECONDS,
  IDEMPOTENCY_TTL_SECONDS,
  TABLE_DEFINITION,
  UPLOAD_LEASE_SECONDS,
  createDocumentClient,
  ensureTable,
  keys,
  type AssetRepositoryOptions,
} from '../src/index';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../src/embedded';
import { dyingClient, rawSummary } from './crash-client';
import { storedCamera } from './harness';
import { scriptedClient } from './scripted-client';

/**
 * The store's contract, against whichever DynamoDB `DYNAMODB_ENDPOINT` names: unset, the embedded store (what CI runs);
 * DynamoDB Local or a real table otherwise (docs/store-contract.md). The same tests run on each, so what only some
 * endpoints have — TransactWriteItems, the TTL attribute — is exercised wherever it exists, and the fallback wherever
 * it does not. Every run writes under organisations of its own (contract-<random>-…), so a shared table is safe; a
 * table the run created itself is deleted again (never the embedded one's data, never a table it found).
 */
const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;
const tableName = process.env.CONTRACT_TABLE_NAME || `contract-${randomUUID().slice(0, 8)}`;
const embedded: EmbeddedDynamo | undefined = endpoint ? undefined : await startEmbeddedDynamo();
// "aws": DynamoDB itself, with the SDK's usual credentials (profile, SSO, role); any other value is an endpoint URL.
const doc = createDocumentClient(endpoint === 'aws' ? {} : { endpoint: endpoint ?? embedded!.endpoint });
const created = (await ensureTable(doc, tableName)) === 'created';
const run = randomUUID().slice(0, 8);
const org = (name: string) => `contract-${run}-${name}`;

/** Whether this endpoint has TransactWriteItems (DynamoDB and DynamoDB Local do; the embedded store does not). */
const transactions = await doc
  .send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tableName, Item: { ...keys.marker(org('probe'), 'transactions'), at: 1 } } }] }))
  .then(
    () => true,
    (err: { name?: string }) => {
      if (err.name === 'UnknownOperationException' || err.name === 'AccessDeniedException') return false;
      throw err;
    },
  );
const where = `${endpoint === 'aws' ? 'DynamoDB in AWS' : endpoint ? `DynamoDB at ${endpoint}` : 'the embedded store'}, ${transactions ? 'with' : 'without'} transactions`;

afterAll(async () => {
  if (created && endpoint) await doc.send(new DeleteTableCommand({ TableName: tableName }));
  doc.destroy();
  await embedded?.close();
});

const fast: AssetRepositoryOptions = { retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 100 }, cleanupRetry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 200 } };
const NOW = new Date('2026-03-01T12:00:00Z');
const cameras = (orgId: string, n: number, tag: string): Camera[] => Array.from({ length: n }, (_, i) => storedCamera(orgId, `${tag}-${String(i).padStart(3, '0')}`, 1, `Camera ${i}`));
const repo = (options: AssetRepositoryOptions = fast) => new DynamoAssetRepository(doc, tableName, options);
const summary = (orgId: string) => rawSummary(doc, tableName, orgId);

describe(`store contract on ${where}`, () => {
  it('the table has the shared definition\'s keys', async () => {
    const table = (await doc.send(new DescribeTableCommand({ TableName: tableName }))).Table!;
    expect(table.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
    ]);
  });

  it('conditional writes: a taken id, a stale version and another organisation are refused', async () => {
    const r = repo();
    const orgId = org('conditions');
    await r.create('cameras', storedCamera(orgId, 'c1'));
    await expect(r.create('cameras', storedCamera(orgId, 'c1', 1, 'Again'))).rejects.toBeInstanceOf(AlreadyExistsError);
    await r.update('cameras', storedCamera(orgId, 'c1', 2, 'Renamed'), 1);
    await expect(r.update('cameras', storedCamera(orgId, 'c1', 2, 'Stale'), 1)).rejects.toBeInstanceOf(VersionConflictError);
    await expect(r.remove(org('other'), 'cameras', 'c1', 2)).rejects.toBeInstanceOf(NotFoundError);
    await r.remove(orgId, 'cameras', 'c1', 2);
    expect(await r.list(orgId, 'cameras')).toEqual([]);
  });

  it(`uploads are written ${transactions ? 'in transactions of 100' : 'as conditional puts (no transactions here)'}, and visible all at once`, async () => {
    const orgId = org('upload');
    const spy = scriptedClient(doc, () => undefined);
    await new DynamoAssetRepository(spy.client, tableName, fast).upload('cameras', cameras(orgId, 150, 'u'), { id: 'one', now: NOW });
    // With: two of items and the commit (with the assets version); without: one probe, then conditional puts.
    expect(spy.calls('TransactWriteCommand')).toBe(transactions ? 3 : 1);
    expect(await repo().list(orgId, 'cameras')).toHaveLength(150);
    expect(await summary(orgId)).toMatchObject({ assets: 150, journals: 0, records: [{ state: 'committed' }] });
    const again = await repo().upload('cameras', cameras(orgId, 150, 'v'), { id: 'one', now: NOW });
    expect(again.replayed).toBe(true);
    expect(await repo().list(orgId, 'cameras')).toHaveLength(150);
  });

  it('an id taken in the second part of an upload: AlreadyExistsError, nothing visible, nothing left behind', async () => {
    const orgId = org('taken');
    await repo().create('cameras', storedCamera(orgId, 'u-120', 1, 'There before'));
    await expect(repo().upload('cameras', cameras(orgId, 150, 'u'), { now: NOW })).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await repo().list(orgId, 'cameras')).map((c) => c.name)).toEqual(['There before']);
    expect(await summary(orgId)).toMatchObject({ assets: 1, runs: [], journals: 0, records: [] });
  });

  it('a process dying at any step of an upload leaves 0 or all of it; a retry with its id leaves exactly all of it', async () => {
    const size = 120;
    const count = dyingClient(doc, Number.MAX_SAFE_INTEGER);
    await new DynamoAssetRepository(count.client, tableName, fast).upload('cameras', cameras(org('count'), size, 'u'), { id: 'c', now: NOW });
    const commitAt = count.writes.findIndex((w, i) => i > 1 && /UPLOAD#/.test(w)) + 1;
    // Before the first write, after the journal, after the record, part-way through the items, just before and just
    // after the commit, after the journal is removed.
    const points = [...new Set([0, 1, 2, 3, Math.floor((2 + commitAt) / 2), commitAt - 1, commitAt, count.writes.length])];
    for (const k of points) {
      const orgId = org(`crash-${k}`);
      const dying = dyingClient(doc, k);
      await new DynamoAssetRepository(dying.client, tableName, fast).upload('cameras', cameras(orgId, size, 'first'), { id: 'c', now: NOW }).catch((e: Error) => expect(e.name).toBe('ProcessDied'));
      expect((await repo().list(orgId, 'cameras')).length, `visible after dying at write ${k}`).toBe(k >= commitAt ? size : 0);
      const retried = await repo().upload('cameras', cameras(orgId, size, 'retry'), { id: 'c', now: NOW });
      expect(retried.replayed, `k=${k}`).toBe(k >= commitAt);
      expect(await repo().list(orgId, 'cameras'), `k=${k}`).toHaveLength(size);
      expect(await summary(orgId), `k=${k}`).toMatchObject({ assets: size, journals: 0, records: [{ state: 'committed' }] });
    }
  }, 300_000);

  it('upload leases: an unfinished upload is left alone within its lease and undone after it', async () => {
    const orgId = org('lease');
    const dying = dyingClient(doc, 10);
    await new DynamoAssetRepository(dying.client, tableName, { ...fast, transactions: 'never' }).upload('cameras', cameras(orgId, 30, 'u'), { now: NOW }).catch((e: Error) => expect(e.name).toBe('ProcessDied'));
    expect(await repo().recoverUploads(orgId, new Date(NOW.getTime() + (UPLOAD_LEASE_SECONDS - 1) * 1000))).toEqual({ completed: 0, undone: 0 });
    expect((await summary(orgId)).assets).toBeGreaterThan(0);
    expect(await repo().recoverUploads(orgId, new Date(NOW.getTime() + (UPLOAD_LEASE_SECONDS + 1) * 1000))).toEqual({ completed: 0, undone: 1 });
    expect(await summary(orgId)).toMatchObject({ assets: 0, journals: 0, records: [] });
  });

  it('idempotency records carry the TTL attribute, and an expired one counts as gone before TTL deletes it', async () => {
    const idem = new DynamoIdempotencyStore(doc, tableName);
    const scope = { orgId: org('idem'), userId: 'u1' };
    const claim = await idem.reserve(scope, 'k', 'f1', NOW);
    expect(claim.state).toBe('new');
    const key = keys.idempotency(scope.orgId, scope.userId, 'k');
    const pending = (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item!;
    expect(pending[TABLE_DEFINITION.timeToLiveAttribute]).toBe(Math.floor(NOW.getTime() / 1000) + IDEMPOTENCY_PENDING_SECONDS);
    expect(await idem.reserve(scope, 'k', 'f1', NOW)).toEqual({ state: 'pending', fingerprint: 'f1' });
    // The claim's time is up but the item is still there (TTL deletion is lazy): the key is free.
    const later = new Date(NOW.getTime() + (IDEMPOTENCY_PENDING_SECONDS + 1) * 1000);
    const second = await idem.reserve(scope, 'k', 'f2', later);
    expect(second.state).toBe('new');
    const response = { status: 201, headers: {}, body: '{}' };
    await idem.complete(scope, 'k', (second as { claim: string }).claim, response, later);
    const done = (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item!;
    expect(done[TABLE_DEFINITION.timeToLiveAttribute]).toBe(Math.floor(later.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS);
    expect(await idem.reserve(scope, 'k', 'f3', later)).toEqual({ state: 'done', fingerprint: 'f2', response });
    const expired = new Date(later.getTime() + (IDEMPOTENCY_TTL_SECONDS + 1) * 1000);
    expect((await idem.reserve(scope, 'k', 'f3', expired)).state).toBe('new');
  });

  it('upload records carry no TTL attribute: committed ones must outlive every item that points at them', async () => {
    const orgId = org('no-ttl');
    await repo().upload('cameras', cameras(orgId, 3, 'u'), { id: 'kept', now: NOW });
    const record = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.upload(orgId, 'kept'), ConsistentRead: true }))).Item!;
    expect(record.state).toBe('committed');
    expect(record[TABLE_DEFINITION.timeToLiveAttribute]).toBeUndefined();
  });
});
