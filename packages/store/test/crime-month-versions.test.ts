import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrimeBlock } from '@safer-places/domain';
import { CHUNK_SIZE, DynamoReferenceRepository, keys } from '../src/index';
import { countBlocks, encodeCounts, encodeCrimeMonth } from '../src/crime-codec';
import { monthVersion, partitionVersion } from '../src/reference-repository';
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
/** Three LSOAs in three districts, the partitions of these tests. */
const DISTRICT: Record<string, string> = { E01000001: 'E07000170', E01000002: 'E07000171', E01000003: 'E07000172' };
const partitionOf = (code: string) => DISTRICT[code]!;

const ids = (blocks: CrimeBlock[]) => blocks.flatMap((b) => b.crimes.map((c) => c.id)).sort();
const total = (counts: Map<string, number[]>) => [...counts.values()].flat().reduce((a, b) => a + b, 0);
const noRetry = { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, batchRetry: { attempts: 1, baseDelayMs: 1 } };

// Old: two partitions (E07000170, E07000171). New: E07000170 again with other crimes, and E07000172 instead of E07000171.
const old = [block(MONTH, 'E01000001', 2 * CHUNK_SIZE, 'old'), block(MONTH, 'E01000002', CHUNK_SIZE, 'old')];
const next = [block(MONTH, 'E01000001', CHUNK_SIZE + 10, 'new'), block(MONTH, 'E01000003', 20, 'new')];
// A third run, after a failed one: one partition only, so anything the failed run left elsewhere must be found.
const third = [block(MONTH, 'E01000001', 7, 'third')];

/** What a reader sees of the month, through every read of the port. */
async function seen(ds: string) {
  const blocks = await repo.getCrimeBlocks(ds, [MONTH]);
  const counts = (await repo.getMonthlyCounts(ds, MONTH, MONTH))[0]?.counts ?? new Map<string, number[]>();
  const byPartition = await Promise.all(['E07000170', 'E07000171', 'E07000172'].map(async (p) => ids(await repo.getCrimeBlocks(ds, [MONTH], { partitions: [p], lsoaCodes: Object.keys(DISTRICT).filter((c) => DISTRICT[c] === p) }))));
  const sizes = (await repo.crimePartitionSizes(ds, MONTH, MONTH)).get(MONTH);
  return { ids: ids(blocks), countTotal: total(counts), countCodes: [...counts.keys()].sort(), byPartition, sizes };
}

/** What a reader must see of a month holding exactly `blocks` (partitioned: sizes known; legacy: no sizes). */
function expected(blocks: CrimeBlock[], partitioned = true) {
  const sizes = new Map<string, number>();
  for (const b of blocks) sizes.set(partitionOf(b.lsoaCode), (sizes.get(partitionOf(b.lsoaCode)) ?? 0) + b.crimes.length);
  return {
    ids: ids(blocks),
    countTotal: blocks.reduce((n, b) => n + b.crimes.length, 0),
    countCodes: blocks.map((b) => b.lsoaCode).sort(),
    byPartition: ['E07000170', 'E07000171', 'E07000172'].map((p) => ids(blocks.filter((b) => partitionOf(b.lsoaCode) === p))),
    sizes: partitioned ? new Map([...sizes].sort(([a], [b]) => a.localeCompare(b))) : undefined,
  };
}

/** The month as the three layouts store it: partitioned (now), legacy versioned, legacy unversioned (no pointer). */
const layouts = {
  partitioned: async (ds: string) => repo.replaceCrimeMonth(ds, MONTH, old, partitionOf),
  'legacy versioned': async (ds: string) => {
    const version = monthVersion(old);
    for (const item of [...encodeCrimeMonth(ds, MONTH, old, version), ...encodeCounts(ds, MONTH, countBlocks(old), version)]) {
      await store.doc.send(new PutCommand({ TableName: store.tableName, Item: item as unknown as Record<string, unknown> }));
    }
    await store.doc.send(new PutCommand({ TableName: store.tableName, Item: { ...keys.crimeVersion(ds, MONTH), version } }));
  },
  'legacy unversioned': async (ds: string) => {
    for (const item of [...encodeCrimeMonth(ds, MONTH, old), ...encodeCounts(ds, MONTH, countBlocks(old))]) {
      await store.doc.send(new PutCommand({ TableName: store.tableName, Item: item as unknown as Record<string, unknown> }));
    }
  },
};

describe('replaceCrimeMonth keeps the previous version readable until the new one is complete', () => {
  for (const [layout, storeOld] of Object.entries(layouts)) {
    it(`over a month stored ${layout}: a run that dies after any of its writes leaves the old month or the new one whole; the next run leaves only its own items`, async () => {
      // How many writes a whole run makes.
      await storeOld(`${layout}-count`);
      const counting = dyingClient(store.doc, Number.POSITIVE_INFINITY);
      await new DynamoReferenceRepository(counting.client, store.tableName, noRetry).replaceCrimeMonth(`${layout}-count`, MONTH, next, partitionOf);
      const writes = counting.writes.length;
      expect(writes).toBeGreaterThanOrEqual(5); // touched, chunks, counts, the flip, deletes (and touched trimmed)

      let sawOld = 0;
      let sawNew = 0;
      for (let k = 1; k <= writes; k++) {
        const ds = `${layout.replace(' ', '-')}-${k}`;
        await storeOld(ds);
        const dying = dyingClient(store.doc, k);
        await expect(new DynamoReferenceRepository(dying.client, store.tableName, noRetry).replaceCrimeMonth(ds, MONTH, next, partitionOf)).rejects.toThrow(/died/);
        expect(dying.writes.length).toBe(k);

        const now = await seen(ds);
        const flipped = now.ids.length === expected(next).ids.length && now.ids[0] === expected(next).ids[0];
        if (flipped) sawNew++;
        else sawOld++;
        // Whole: every read agrees with one version, never a mix (a legacy month has no sizes until it is replaced).
        expect(now, `${layout}, died after write ${k} (${dying.writes.at(-1)})`).toEqual(flipped ? expected(next) : expected(old, layout === 'partitioned'));

        // The next run (other data, one partition) removes whatever the old version and the dead run left.
        await repo.replaceCrimeMonth(ds, MONTH, third, partitionOf);
        expect(await seen(ds)).toEqual(expected(third));
        const items = await crimeItems(store, ds, MONTH);
        const version = partitionVersion('E07000170', third);
        expect(items.map((i) => `${i.pk} ${i.sk}`).sort()).toEqual([
          `${keys.countsPartitionPk(ds, 'E07000170')} ${MONTH}#V#${version}#000`,
          `${keys.crimePartitionPk(ds, MONTH, 'E07000170')} V#${version}#CHUNK#0000`,
        ]);
        const pointer = await store.doc.send(new GetCommand({ TableName: store.tableName, Key: keys.crimeVersion(ds, MONTH) }));
        expect(pointer.Item).toEqual({ ...keys.crimeVersion(ds, MONTH), partitions: { E07000170: 7 }, versions: { E07000170: version }, touched: new Set(['E07000170']) });
      }
      // The flip is one write: before it the old month, from it on the new one.
      expect(sawOld).toBeGreaterThanOrEqual(3);
      expect(sawNew).toBeGreaterThanOrEqual(1);
    });
  }

  it('a completed run over a legacy month moves it to the partitioned layout and deletes every legacy item', async () => {
    for (const [layout, storeOld] of Object.entries(layouts).filter(([l]) => l !== 'partitioned')) {
      const ds = `migrate-${layout.replace(' ', '-')}`;
      await storeOld(ds);
      expect(await repo.crimePartitionSizes(ds, '2024-01', '2024-12')).toEqual(new Map());
      expect(await seen(ds)).toEqual(expected(old, false));
      await repo.replaceCrimeMonth(ds, MONTH, old, partitionOf);
      expect(await seen(ds)).toEqual(expected(old));
      const items = await crimeItems(store, ds, MONTH);
      expect(items.some((i) => i.pk === keys.crimeMonthPk(ds, MONTH) || i.pk === keys.countsPk(ds))).toBe(false);
      expect(items.length).toBe(3 + 2); // chunks: 2 in E07000170, 1 in E07000171; one counts item per partition
    }
  });

  it('writing the same month again writes the same keys and leaves nothing else', async () => {
    await repo.replaceCrimeMonth('same', MONTH, next, partitionOf);
    const first = (await crimeItems(store, 'same', MONTH)).map((i) => `${i.pk} ${i.sk}`).sort();
    await repo.replaceCrimeMonth('same', MONTH, next, partitionOf);
    expect((await crimeItems(store, 'same', MONTH)).map((i) => `${i.pk} ${i.sk}`).sort()).toEqual(first);
    // The same crimes in other partitions are another version: never written over the current one's keys.
    expect(partitionVersion('E07000179', next)).not.toBe(partitionVersion('E07000170', next));
  });
});
