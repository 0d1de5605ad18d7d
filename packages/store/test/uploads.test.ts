import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, NotFoundError } from '@safer-places/domain';
import type { Camera } from '@safer-places/schemas';
import { DynamoAssetRepository, UPLOAD_LEASE_SECONDS, keys, type AssetRepositoryOptions } from '../src/index';
import { dyingClient, rawSummary } from './crash-client';
import { startTestStore, storedCamera } from './harness';
import { scriptedClient, withTransactions } from './scripted-client';

let store: Awaited<ReturnType<typeof startTestStore>>;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(() => store.close());

const fast: AssetRepositoryOptions = { retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, cleanupRetry: { attempts: 10, baseDelayMs: 1, maxDelayMs: 5 } };
const NOW = new Date('2026-03-01T12:00:00Z');
/** The same request's items as a retry builds them: same content, ids of its own (the service makes new ones). */
const cameras = (orgId: string, n: number, tag = 'a') => Array.from({ length: n }, (_, i): Camera => storedCamera(orgId, `${tag}-${String(i).padStart(3, '0')}`, 1, `Camera ${i}`));
/** A process that has just started: nothing remembered. */
const fresh = (options: AssetRepositoryOptions = fast) => new DynamoAssetRepository(store.doc, store.tableName, options);
const summary = (orgId: string) => rawSummary(store.doc, store.tableName, orgId);

describe('an upload is visible all at once or not at all, wherever the process dies', () => {
  /**
   * Every crash point of a 30-item upload (one write at a time, as on the embedded store): dies after k writes, for k
   * from 0 (before the first) to past the last. A restarted process then sees 0 or 30, and a retry with the same id
   * leaves exactly 30 and nothing else in the table.
   */
  it('one-by-one writes: every crash point from before the first write to after the last', async () => {
    const size = 30;
    const clean = dyingClient(store.doc, Number.MAX_SAFE_INTEGER);
    await new DynamoAssetRepository(clean.client, store.tableName, { ...fast, transactions: 'never' }).upload('cameras', cameras('count', size), { id: 'u', now: NOW });
    const total = clean.writes.length;
    expect(clean.writes[0]).toMatch(/^PutCommand UPLOADING#/);
    expect(clean.writes[1]).toMatch(/^PutCommand UPLOAD#/);
    const commitAt = clean.writes.findIndex((w, i) => i > 1 && /UPLOAD#/.test(w)) + 1;
    expect(commitAt).toBe(size + 4);
    // journal, record, the assets version's pending entry, 30 items, commit, the entry removed, journal removed
    expect(clean.writes[2]).toMatch(/^UpdateCommand VERSION#assets/);
    expect(clean.writes[commitAt]).toMatch(/^UpdateCommand VERSION#assets/);
    expect(total).toBe(size + 6);

    const seen: number[] = [];
    for (let k = 0; k <= total; k++) {
      const orgId = `crash-${k}`;
      const dying = dyingClient(store.doc, k);
      // Dying after the commit (at the writes that only tidy: the version's pending entry, the journal) still answers;
      // at the commit or before it, it cannot.
      const answered = await new DynamoAssetRepository(dying.client, store.tableName, { ...fast, transactions: 'never' })
        .upload('cameras', cameras(orgId, size, 'first'), { id: 'u', now: NOW })
        .then(() => true, (e: Error) => (e.name === 'ProcessDied' ? false : Promise.reject(e)));
      expect(answered, `k=${k}`).toBe(k > commitAt);

      const afterCrash = await fresh().list(orgId, 'cameras');
      seen.push(afterCrash.length);
      expect(afterCrash.length, `visible after dying at write ${k}`).toBe(k >= commitAt ? size : 0);

      const retried = await fresh().upload('cameras', cameras(orgId, size, 'retry'), { id: 'u', now: NOW });
      expect(retried.replayed, `k=${k}`).toBe(k >= commitAt);
      if (retried.replayed) expect(retried.items.map((c) => c?.id)).toEqual(cameras(orgId, size, 'first').map((c) => c.id));
      const after = await fresh().list(orgId, 'cameras');
      expect(after, `k=${k}`).toHaveLength(size);
      expect(new Set(after.map((c) => c.name)).size).toBe(size);
      // Nothing of the interrupted try is left behind, visible or not: only the 30 items, one committed record.
      const raw = await summary(orgId);
      expect(raw, `k=${k}`).toMatchObject({ assets: size, journals: 0, records: [{ state: 'committed' }] });
      expect(raw.runs).toEqual([raw.records[0]!.run]);
    }
    expect(new Set(seen)).toEqual(new Set([0, size]));
  }, 120_000);

  it('transactions of 100: every crash point of a 250-item upload', async () => {
    const size = 250;
    const count = dyingClient(withTransactions(store.doc).client, Number.MAX_SAFE_INTEGER);
    await new DynamoAssetRepository(count.client, store.tableName, fast).upload('cameras', cameras('tx-count', size), { id: 'u', now: NOW });
    // journal, record, three transactions of items, the commit with the assets version (one transaction), journal removed
    expect(count.writes.map((w) => w.split(' ')[0])).toEqual(['PutCommand', 'PutCommand', 'TransactWriteCommand', 'TransactWriteCommand', 'TransactWriteCommand', 'TransactWriteCommand', 'DeleteCommand']);
    expect(count.writes[5]).toMatch(/^TransactWriteCommand UPLOAD#/);
    const commitAt = 6;
    for (let k = 0; k <= count.writes.length; k++) {
      const orgId = `tx-crash-${k}`;
      const tx = withTransactions(store.doc);
      const dying = dyingClient(tx.client, k);
      await new DynamoAssetRepository(dying.client, store.tableName, fast)
        .upload('cameras', cameras(orgId, size, 'first'), { id: 'u', now: NOW })
        .catch((e: Error) => expect(e.name).toBe('ProcessDied'));
      expect((await fresh().list(orgId, 'cameras')).length, `k=${k}`).toBe(k >= commitAt ? size : 0);
      const retried = await new DynamoAssetRepository(withTransactions(store.doc).client, store.tableName, fast).upload('cameras', cameras(orgId, size, 'retry'), { id: 'u', now: NOW });
      expect(retried.replayed).toBe(k >= commitAt);
      expect(await fresh().list(orgId, 'cameras')).toHaveLength(size);
      expect(await summary(orgId)).toMatchObject({ assets: size, journals: 0, records: [{ state: 'committed' }] });
    }
  }, 120_000);

  it('an upload without an id left unfinished is undone by the clean-up once its lease has run out, and not before', async () => {
    const orgId = 'orphan';
    const dying = dyingClient(store.doc, 13); // journal, record, the version's pending entry, 10 items
    await expect(new DynamoAssetRepository(dying.client, store.tableName, { ...fast, transactions: 'never' }).upload('cameras', cameras(orgId, 40), { now: NOW })).rejects.toMatchObject({ name: 'ProcessDied' });
    expect(await fresh().list(orgId, 'cameras')).toEqual([]);
    const left = await summary(orgId);
    expect(left.assets).toBeGreaterThanOrEqual(10);
    expect(left.journals).toBe(1);

    // Within the lease the upload may still be running somewhere: left alone.
    expect(await fresh().recoverUploads(orgId, new Date(NOW.getTime() + 60_000))).toEqual({ completed: 0, undone: 0 });
    expect((await summary(orgId)).assets).toBe(left.assets);

    // The next upload of the organisation, after the lease, clears it away first.
    const later = new Date(NOW.getTime() + (UPLOAD_LEASE_SECONDS + 1) * 1000);
    await fresh().upload('cameras', cameras(orgId, 5, 'next'), { now: later });
    expect(await fresh().list(orgId, 'cameras')).toHaveLength(5);
    expect(await summary(orgId)).toMatchObject({ assets: 5, journals: 0, records: [{ state: 'committed' }] });
  });

  it('the clean-up completes an upload that died after its commit (only its journal is left)', async () => {
    const orgId = 'after-commit';
    const dying = dyingClient(store.doc, 3 + 1 + 10); // journal, record, the version's pending entry, 10 items, commit
    await expect(new DynamoAssetRepository(dying.client, store.tableName, { ...fast, transactions: 'never' }).upload('cameras', cameras(orgId, 10), { now: NOW })).rejects.toMatchObject({ name: 'ProcessDied' });
    expect(await fresh().list(orgId, 'cameras')).toHaveLength(10);
    expect((await summary(orgId)).journals).toBe(1);
    const later = new Date(NOW.getTime() + (UPLOAD_LEASE_SECONDS + 1) * 1000);
    expect(await fresh().recoverUploads(orgId, later)).toEqual({ completed: 1, undone: 0 });
    expect(await fresh().list(orgId, 'cameras')).toHaveLength(10);
    expect(await summary(orgId)).toMatchObject({ assets: 10, journals: 0, records: [{ state: 'committed' }] });
  });
});

describe('a retry of the same upload', () => {
  it('of a completed upload writes nothing and hands back its items as they are now', async () => {
    const repo = fresh();
    const first = cameras('replay', 4, 'first');
    expect(await repo.upload('cameras', first, { id: 'same', now: NOW })).toEqual({ replayed: false });
    await repo.update('cameras', { ...first[1]!, name: 'Renamed', version: 2 }, 1);
    await repo.remove('replay', 'cameras', first[2]!.id, 1);
    const spy = scriptedClient(store.doc, () => undefined);
    const again = await new DynamoAssetRepository(spy.client, store.tableName, fast).upload('cameras', cameras('replay', 4, 'second'), { id: 'same', now: NOW });
    expect(again.replayed).toBe(true);
    expect(again.replayed && again.items.map((c) => c && `${c.id} ${c.name}`)).toEqual(['first-000 Camera 0', 'first-001 Renamed', null, 'first-003 Camera 3']);
    expect(spy.calls('PutCommand') + spy.calls('DeleteCommand') + spy.calls('TransactWriteCommand')).toBe(0);
    expect(await fresh().list('replay', 'cameras')).toHaveLength(3);
  });

  it('while the first try is still running (stalled past its key\'s hold): the first is fenced off, one copy stays', async () => {
    const orgId = 'stalled';
    // The first try's commit is held back until the retry has run to the end.
    let retried: Promise<unknown> | undefined;
    const first = scriptedClient(
      store.doc,
      (c) => ((c as PutCommand).input?.Item as { state?: string } | undefined)?.state === 'committed' && !retried ? 'throttle' : undefined,
      async () => {
        retried ??= fresh().upload('cameras', cameras(orgId, 20, 'retry'), { id: 'same', now: NOW });
        await retried;
      },
    );
    const err = await new DynamoAssetRepository(first.client, store.tableName, { ...fast, transactions: 'never' })
      .upload('cameras', cameras(orgId, 20, 'first'), { id: 'same', now: NOW })
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/taken over by a retry/);
    const visible = await fresh().list(orgId, 'cameras');
    expect(visible.map((c) => c.id.split('-')[0])).toEqual(Array(20).fill('retry'));
    expect(await summary(orgId)).toMatchObject({ assets: 20, journals: 0, records: [{ state: 'committed' }] });
  });
});

describe('failures before the commit leave nothing visible, and nothing behind', () => {
  it('an id taken part-way: AlreadyExistsError, the taken item untouched, the upload\'s items removed', async () => {
    const repo = fresh({ ...fast, transactions: 'never' });
    await repo.create('cameras', storedCamera('taken', 'a-015', 1, 'There before'));
    await expect(repo.upload('cameras', cameras('taken', 30), { now: NOW })).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await repo.list('taken', 'cameras')).map((c) => `${c.id} ${c.name}`)).toEqual(['a-015 There before']);
    expect(await summary('taken')).toMatchObject({ assets: 1, runs: [], journals: 0, records: [] });
  });

  it('a commit whose answer is lost after it landed: success, visible once', async () => {
    const f = scriptedClient(store.doc, (c) => (((c as PutCommand).input?.Item as { state?: string } | undefined)?.state === 'committed' ? 'timeout-after-write' : undefined));
    expect(await new DynamoAssetRepository(f.client, store.tableName, { ...fast, transactions: 'never' }).upload('cameras', cameras('lost-answer', 12), { now: NOW })).toEqual({ replayed: false });
    expect(await fresh().list('lost-answer', 'cameras')).toHaveLength(12);
    expect(await summary('lost-answer')).toMatchObject({ assets: 12, journals: 0, records: [{ state: 'committed' }] });
  });

  it('a commit that times out on every try without landing: fenced, the timeout rethrown, nothing stays', async () => {
    const f = scriptedClient(store.doc, (c) => (((c as PutCommand).input?.Item as { state?: string } | undefined)?.state === 'committed' ? 'timeout' : undefined));
    const err = await new DynamoAssetRepository(f.client, store.tableName, { ...fast, transactions: 'never' }).upload('cameras', cameras('no-commit', 12), { now: NOW }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(f.injected.timeout).toBe(fast.retry!.attempts);
    expect(await fresh().list('no-commit', 'cameras')).toEqual([]);
    expect(await summary('no-commit')).toMatchObject({ assets: 0, journals: 0, records: [] });
  });

  it('the store refusing every write from the 15th on: the throttling error, nothing visible; the clean-up removes the rest later', async () => {
    const f = scriptedClient(store.doc, (c, n) => ((c as object).constructor.name === 'PutCommand' && n >= 15 ? 'throttle' : undefined));
    const err = await new DynamoAssetRepository(f.client, store.tableName, { ...fast, transactions: 'never' }).upload('cameras', cameras('refused', 40), { now: NOW }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ThrottlingException');
    expect(await fresh().list('refused', 'cameras')).toEqual([]);
    expect(await summary('refused')).toMatchObject({ assets: 0, journals: 0, records: [] });
  });
});

describe('reads and changes around upload items', () => {
  it('a staged item is absent to get, update and remove; a committed one can be changed and removed', async () => {
    const orgId = 'around';
    const dying = dyingClient(store.doc, 2 + 1 + 3); // journal, record, the version's pending entry, 3 of 5 items
    await expect(new DynamoAssetRepository(dying.client, store.tableName, { ...fast, transactions: 'never' }).upload('cameras', cameras(orgId, 5, 'staged'), { now: NOW })).rejects.toMatchObject({ name: 'ProcessDied' });
    const repo = fresh();
    const staged = (await summary(orgId)).assets;
    expect(staged).toBeGreaterThanOrEqual(3);
    const stagedId = 'staged-000';
    expect(await repo.get(orgId, 'cameras', stagedId)).toBeNull();
    await expect(repo.update('cameras', { ...storedCamera(orgId, stagedId, 2, 'Sneaky') }, 1)).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.remove(orgId, 'cameras', stagedId, 1)).rejects.toBeInstanceOf(NotFoundError);
    expect((await summary(orgId)).assets).toBe(staged);

    await repo.upload('cameras', cameras(orgId, 3, 'done'), { now: NOW });
    expect(await repo.get(orgId, 'cameras', 'done-001')).toMatchObject({ name: 'Camera 1' });
    await repo.update('cameras', storedCamera(orgId, 'done-001', 2, 'Renamed'), 1);
    expect(await fresh().get(orgId, 'cameras', 'done-001')).toMatchObject({ name: 'Renamed', version: 2 });
    await repo.remove(orgId, 'cameras', 'done-002', 1);
    expect((await fresh().list(orgId, 'cameras')).map((c) => c.id).sort()).toEqual(['done-000', 'done-001']);
  });

  it('a list whose Query ran mid-upload and which learns of the commit only afterwards reads again: all, never part', async () => {
    const orgId = 'race';
    let pause!: () => void;
    const paused = new Promise<void>((ok) => (pause = ok));
    let resume!: () => void;
    const resumed = new Promise<void>((ok) => (resume = ok));
    // The upload stops before its 11th item (13th put: journal, record, 10 items) until the reader lets it go on.
    const writer = scriptedClient(
      store.doc,
      (c, n) => ((c as object).constructor.name === 'PutCommand' && n === 13 ? 'throttle' : undefined),
      async () => {
        pause();
        await resumed;
      },
    );
    const uploading = new DynamoAssetRepository(writer.client, store.tableName, { ...fast, transactions: 'never', concurrency: 1 }).upload('cameras', cameras(orgId, 40), { now: NOW });
    await paused;
    // The reader's Query sees 10 staged items; before it reads the upload record, the upload finishes and commits.
    let committed: Promise<unknown> | undefined;
    const reader = scriptedClient(
      store.doc,
      (c) => ((c as GetCommand).input?.Key?.sk?.toString().startsWith('UPLOAD#') && !committed ? 'throttle' : undefined),
      async () => {
        resume();
        committed = uploading;
        await uploading;
      },
    );
    const seen = await new DynamoAssetRepository(reader.client, store.tableName, fast).list(orgId, 'cameras');
    expect(seen).toHaveLength(40);
    expect(reader.calls('QueryCommand')).toBe(2);
  });

  it('a list seen while the items are being written shows none of them', async () => {
    const orgId = 'midway';
    const seen: number[] = [];
    const f = scriptedClient(
      store.doc,
      (c, n) => ((c as object).constructor.name === 'PutCommand' && n % 5 === 0 ? 'throttle' : undefined),
      async () => void seen.push((await fresh().list(orgId, 'cameras')).length),
    );
    await new DynamoAssetRepository(f.client, store.tableName, { ...fast, transactions: 'never', concurrency: 1 }).upload('cameras', cameras(orgId, 40), { now: NOW });
    expect(seen.length).toBeGreaterThan(5);
    expect(new Set(seen)).toEqual(new Set([0]));
    expect(await fresh().list(orgId, 'cameras')).toHaveLength(40);
  });
});

describe('the table as written', () => {
  it('a committed upload record is found, with its run, and its items carry the run', async () => {
    await fresh().upload('cameras', cameras('shape', 2), { id: 'shape-1', now: NOW });
    const raw = await summary('shape');
    expect(raw.records).toHaveLength(1);
    expect(raw.runs).toEqual([raw.records[0]!.run]);
    // A hand-written item without tags (as single creates write them) is visible next to them.
    await store.doc.send(new PutCommand({ TableName: store.tableName, Item: { ...keys.asset('shape', 'cameras', 'plain'), kind: 'cameras', version: 1, data: storedCamera('shape', 'plain') } }));
    expect((await fresh().list('shape', 'cameras')).map((c) => c.id).sort()).toEqual(['a-000', 'a-001', 'plain']);
  });
});
