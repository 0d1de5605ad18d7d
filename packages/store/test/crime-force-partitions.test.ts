import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNPLACED_LSOA, UNPLACED_PARTITION, type CrimeBlock } from '@safer-places/domain';
import { CHUNK_SIZE, DynamoReferenceRepository, keys } from '../src/index';
import { countBlocks, encodeCounts, encodeCrimeMonth } from '../src/crime-codec';
import { monthVersion } from '../src/reference-repository';
import { dyingClient } from './crash-client';
import { crimeBlock as block, crimeItems, startTestStore } from './harness';

let store: Awaited<ReturnType<typeof startTestStore>>;
let repo: DynamoReferenceRepository;
beforeAll(async () => {
  store = await startTestStore();
  repo = new DynamoReferenceRepository(store.doc, store.tableName);
});
afterAll(() => store.close());

const MONTH = '2024-05';
/** Force a: two districts and its own unplaced partition; force b: one district and its own. */
const DISTRICT: Record<string, string> = { E01000001: 'E07000170', E01000002: 'E07000171', E01000003: 'E07000172' };
const FORCE = {
  a: { partitions: ['E07000170', 'E07000171', 'UNPLACED-a'], unplaced: 'UNPLACED-a' },
  b: { partitions: ['E07000172', 'UNPLACED-b'], unplaced: 'UNPLACED-b' },
} as const;
type Force = keyof typeof FORCE;
const partitionOf = (force: Force) => (code: string) => (code === UNPLACED_LSOA ? FORCE[force].unplaced : DISTRICT[code]!);
const noRetry = { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, batchRetry: { attempts: 1, baseDelayMs: 1 } };

const ids = (blocks: CrimeBlock[]) => blocks.flatMap((b) => b.crimes.map((c) => c.id)).sort();
const data = {
  a: {
    old: [block(MONTH, 'E01000001', CHUNK_SIZE + 5, 'a-old'), block(MONTH, 'E01000002', 30, 'a-old'), block(MONTH, UNPLACED_LSOA, 3, 'a-old')],
    // E07000171 has no crime any more: the partition goes.
    next: [block(MONTH, 'E01000001', 40, 'a-new'), block(MONTH, UNPLACED_LSOA, 5, 'a-new')],
  },
  b: {
    old: [block(MONTH, 'E01000003', 12, 'b-old'), block(MONTH, UNPLACED_LSOA, 2, 'b-old')],
    next: [block(MONTH, 'E01000003', 2 * CHUNK_SIZE + 1, 'b-new'), block(MONTH, UNPLACED_LSOA, 4, 'b-new')],
  },
};
// UNPLACED_LSOA's crimes of both forces carry the same LSOA code: their ids tell them apart.
const unplacedOf = (blocks: CrimeBlock[]) => ids(blocks.filter((b) => b.lsoaCode === UNPLACED_LSOA));

/** What readers see of one force's part of the month: its districts' crimes and counts, by every read of the port. */
async function seenOf(ds: string, force: Force) {
  const districts = FORCE[force].partitions.filter((p) => !p.startsWith('UNPLACED'));
  const codes = Object.keys(DISTRICT).filter((c) => (districts as readonly string[]).includes(DISTRICT[c]!));
  const blocks = await repo.getCrimeBlocks(ds, [MONTH], { partitions: districts, lsoaCodes: codes });
  const counts = (await repo.getMonthlyCounts(ds, MONTH, MONTH, districts))[0]?.counts ?? new Map<string, number[]>();
  const unplaced = (await repo.getCrimeBlocks(ds, [MONTH], { partitions: [UNPLACED_PARTITION] })).flatMap((b) => b.crimes.map((c) => c.id)).filter((id) => id.startsWith(`${force}-`)).sort();
  return { ids: ids(blocks), counts: [...counts].map(([c, row]) => [c, row.reduce((x, y) => x + y, 0)]).sort(), unplaced };
}
function expectedOf(blocks: CrimeBlock[]) {
  const placed = blocks.filter((b) => b.lsoaCode !== UNPLACED_LSOA);
  return { ids: ids(placed), counts: placed.map((b) => [b.lsoaCode, b.crimes.length]).sort(), unplaced: unplacedOf(blocks) };
}
async function storeOld(ds: string) {
  await repo.replaceCrimePartitions(ds, MONTH, FORCE.a.partitions, data.a.old, partitionOf('a'));
  await repo.replaceCrimePartitions(ds, MONTH, FORCE.b.partitions, data.b.old, partitionOf('b'));
}
/** Which version a force's part is at: its first district's crimes tell. */
const which = async (ds: string, force: Force) => {
  const seen = await seenOf(ds, force);
  if (JSON.stringify(seen) === JSON.stringify(expectedOf(data[force].next))) return 'next';
  expect(seen).toEqual(expectedOf(data[force].old));
  return 'old';
};

/** A client that runs `between` once, after its `k`-th write landed (another force's whole import, in that gap). */
function pausingClient(real: DynamoDBDocumentClient, k: number, between: () => Promise<void>) {
  let writes = 0;
  const log: string[] = [];
  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: { constructor: { name: string } }) => {
        const out = await target.send(command as never);
        if (/Put|Update|Delete|BatchWrite/.test(command.constructor.name)) {
          log.push(command.constructor.name);
          if (++writes === k) await between();
        }
        return out;
      };
    },
  });
  return { client, log };
}

describe('replaceCrimePartitions: one force’s part of a month', () => {
  it('replaces only the partitions named: the other force’s districts and unplaced crimes stay whole', async () => {
    await storeOld('two');
    expect(await seenOf('two', 'a')).toEqual(expectedOf(data.a.old));
    expect(await seenOf('two', 'b')).toEqual(expectedOf(data.b.old));
    await repo.replaceCrimePartitions('two', MONTH, FORCE.a.partitions, data.a.next, partitionOf('a'));
    expect(await seenOf('two', 'a')).toEqual(expectedOf(data.a.next));
    expect(await seenOf('two', 'b')).toEqual(expectedOf(data.b.old));
    // Every unplaced partition is read and priced under UNPLACED_PARTITION; the unplaced LSOA's counts add up.
    expect(await repo.crimePartitionSizes('two', MONTH, MONTH)).toEqual(new Map([[MONTH, new Map([['E07000170', 40], ['E07000172', 12], [UNPLACED_PARTITION, 5 + 2]])]]));
    const counts = (await repo.getMonthlyCounts('two', MONTH, MONTH, [UNPLACED_PARTITION]))[0]!.counts;
    expect([...counts.keys()]).toEqual([UNPLACED_LSOA]);
    expect(counts.get(UNPLACED_LSOA)!.reduce((x, y) => x + y, 0)).toBe(7);
    // Nothing of force a's old version, nor of its emptied district, is left.
    const items = (await crimeItems(store, 'two', MONTH)).map((i) => `${i.pk} ${i.sk}`);
    expect(items.some((i) => i.includes('E07000171'))).toBe(false);
    expect(items.filter((i) => i.includes('#P#E07000170'))).toHaveLength(2); // one chunk, one counts item
    const pointer = (await store.doc.send(new GetCommand({ TableName: store.tableName, Key: keys.crimeVersion('two', MONTH), ConsistentRead: true }))).Item!;
    expect(Object.keys(pointer.partitions as object).sort()).toEqual(['E07000170', 'E07000172', 'UNPLACED-a', 'UNPLACED-b']);
    expect(Object.keys(pointer.versions as object).sort()).toEqual(['E07000170', 'E07000172', 'UNPLACED-a', 'UNPLACED-b']);
  });

  it('refuses a block outside the partitions named, and a month stored before partitions', async () => {
    await expect(repo.replaceCrimePartitions('refuse', MONTH, FORCE.b.partitions, data.a.next, partitionOf('a'))).rejects.toThrow(/partition E07000170 is not among the partitions being replaced/);
    const old = data.a.old;
    const version = monthVersion(old);
    for (const item of [...encodeCrimeMonth('legacy', MONTH, old, version), ...encodeCounts('legacy', MONTH, countBlocks(old), version)]) {
      await store.doc.send(new PutCommand({ TableName: store.tableName, Item: item as unknown as Record<string, unknown> }));
    }
    await store.doc.send(new PutCommand({ TableName: store.tableName, Item: { ...keys.crimeVersion('legacy', MONTH), version } }));
    await expect(repo.replaceCrimePartitions('legacy', MONTH, FORCE.b.partitions, data.b.next, partitionOf('b'))).rejects.toThrow(/layout before partitions.*replace the month whole first/);
    for (const item of [...encodeCrimeMonth('legacy-unversioned', MONTH, old), ...encodeCounts('legacy-unversioned', MONTH, countBlocks(old))]) {
      await store.doc.send(new PutCommand({ TableName: store.tableName, Item: item as unknown as Record<string, unknown> }));
    }
    await expect(repo.replaceCrimePartitions('legacy-unversioned', MONTH, FORCE.b.partitions, data.b.next, partitionOf('b'))).rejects.toThrow(/layout before partitions/);
    // Both legacy months still read whole.
    expect(ids(await repo.getCrimeBlocks('legacy', [MONTH]))).toEqual(ids(old));
    expect(ids(await repo.getCrimeBlocks('legacy-unversioned', [MONTH]))).toEqual(ids(old));
  });

  it('a retry of a force that finished writes nothing new; a run sent again after a crash before its flip writes the same keys', async () => {
    await storeOld('retry');
    await repo.replaceCrimePartitions('retry', MONTH, FORCE.a.partitions, data.a.next, partitionOf('a'));
    const before = (await crimeItems(store, 'retry', MONTH)).map((i) => `${i.pk} ${i.sk}`).sort();
    const counting = dyingClient(store.doc, Number.POSITIVE_INFINITY);
    await new DynamoReferenceRepository(counting.client, store.tableName, noRetry).replaceCrimePartitions('retry', MONTH, FORCE.a.partitions, data.a.next, partitionOf('a'));
    // Only the pointer's idempotent preparation: no chunk, no count, no flip, no delete.
    expect(counting.writes).toEqual([`UpdateCommand ${MONTH}`]);
    expect((await crimeItems(store, 'retry', MONTH)).map((i) => `${i.pk} ${i.sk}`).sort()).toEqual(before);
    expect(await seenOf('retry', 'a')).toEqual(expectedOf(data.a.next));
    expect(await seenOf('retry', 'b')).toEqual(expectedOf(data.b.old));
  });

  it('a force that dies after any of its writes leaves its own part old or new, whole, and the other force’s whole; its next run leaves only current items', async () => {
    await storeOld('count');
    const counting = dyingClient(store.doc, Number.POSITIVE_INFINITY);
    await new DynamoReferenceRepository(counting.client, store.tableName, noRetry).replaceCrimePartitions('count', MONTH, FORCE.a.partitions, data.a.next, partitionOf('a'));
    const writes = counting.writes.length;
    expect(writes).toBeGreaterThanOrEqual(5); // prepare + touched, chunks, counts, the flip, deletes (and touched trimmed)
    const seenStates = new Set<string>();
    for (let k = 1; k <= writes; k++) {
      const ds = `crash-${k}`;
      await storeOld(ds);
      // Force b's new month lands while force a is dead.
      const dying = dyingClient(store.doc, k);
      await expect(new DynamoReferenceRepository(dying.client, store.tableName, noRetry).replaceCrimePartitions(ds, MONTH, FORCE.a.partitions, data.a.next, partitionOf('a'))).rejects.toThrow(/died/);
      await repo.replaceCrimePartitions(ds, MONTH, FORCE.b.partitions, data.b.next, partitionOf('b'));
      seenStates.add(await which(ds, 'a'));
      expect(await seenOf(ds, 'b'), `a died after write ${k}`).toEqual(expectedOf(data.b.next));
      // a's run again (the state machine's retry): both new, and nothing but the current versions stored.
      await repo.replaceCrimePartitions(ds, MONTH, FORCE.a.partitions, data.a.next, partitionOf('a'));
      expect(await seenOf(ds, 'a')).toEqual(expectedOf(data.a.next));
      expect(await seenOf(ds, 'b')).toEqual(expectedOf(data.b.next));
      const items = (await crimeItems(store, ds, MONTH)).map((i) => i.sk);
      const pointer = (await store.doc.send(new GetCommand({ TableName: store.tableName, Key: keys.crimeVersion(ds, MONTH), ConsistentRead: true }))).Item!;
      const versions = Object.values(pointer.versions as Record<string, string>);
      expect(items.every((sk) => versions.some((v) => sk.includes(`V#${v}#`))), `a died after write ${k}: ${items.join(' ')}`).toBe(true);
      expect(pointer.touched).toEqual(new Set(['E07000170', 'E07000172', 'UNPLACED-a', 'UNPLACED-b']));
    }
    expect(seenStates).toEqual(new Set(['old', 'next']));
  });

  it('two forces interleaved at every step of one of them, and all at once, both end whole', async () => {
    const counting = dyingClient(store.doc, Number.POSITIVE_INFINITY);
    await storeOld('steps-count');
    await new DynamoReferenceRepository(counting.client, store.tableName, noRetry).replaceCrimePartitions('steps-count', MONTH, FORCE.a.partitions, data.a.next, partitionOf('a'));
    for (let k = 1; k <= counting.writes.length; k++) {
      const ds = `steps-${k}`;
      await storeOld(ds);
      // Force b's whole import runs in the gap after force a's k-th write (between its touched, chunks, flip, clean-up).
      const paused = pausingClient(store.doc, k, async () => {
        expect(await seenOf(ds, 'b')).toEqual(expectedOf(data.b.old));
        await repo.replaceCrimePartitions(ds, MONTH, FORCE.b.partitions, data.b.next, partitionOf('b'));
        await which(ds, 'a');
      });
      await new DynamoReferenceRepository(paused.client, store.tableName).replaceCrimePartitions(ds, MONTH, FORCE.a.partitions, data.a.next, partitionOf('a'));
      expect(await seenOf(ds, 'a'), `b ran after a's write ${k}`).toEqual(expectedOf(data.a.next));
      expect(await seenOf(ds, 'b'), `b ran after a's write ${k}`).toEqual(expectedOf(data.b.next));
    }
    // Both at once, starting from nothing and from the old month.
    for (const ds of ['together-new', 'together-old']) {
      if (ds === 'together-old') await storeOld(ds);
      await Promise.all([
        repo.replaceCrimePartitions(ds, MONTH, FORCE.a.partitions, data.a.next, partitionOf('a')),
        repo.replaceCrimePartitions(ds, MONTH, FORCE.b.partitions, data.b.next, partitionOf('b')),
      ]);
      expect(await seenOf(ds, 'a')).toEqual(expectedOf(data.a.next));
      expect(await seenOf(ds, 'b')).toEqual(expectedOf(data.b.next));
      expect((await repo.crimePartitionSizes(ds, MONTH, MONTH)).get(MONTH)).toEqual(new Map([['E07000170', 40], ['E07000172', 2 * CHUNK_SIZE + 1], [UNPLACED_PARTITION, 9]]));
    }
  });

  it('a whole-month replacement after force-by-force writes removes every partition it does not name', async () => {
    await storeOld('whole');
    const all = [...data.a.next.filter((b) => b.lsoaCode !== UNPLACED_LSOA), block(MONTH, UNPLACED_LSOA, 6, 'whole')];
    await repo.replaceCrimeMonth('whole', MONTH, all, (c) => (c === UNPLACED_LSOA ? UNPLACED_PARTITION : DISTRICT[c]!));
    expect(ids(await repo.getCrimeBlocks('whole', [MONTH]))).toEqual(ids(all));
    expect((await repo.crimePartitionSizes('whole', MONTH, MONTH)).get(MONTH)).toEqual(new Map([['E07000170', 40], [UNPLACED_PARTITION, 6]]));
    const items = (await crimeItems(store, 'whole', MONTH)).map((i) => i.pk);
    expect(items.some((pk) => /E07000171|E07000172|UNPLACED-/.test(pk))).toBe(false);
  });
});
