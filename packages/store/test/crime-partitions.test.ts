import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNPLACED_LSOA, UNPLACED_PARTITION, partitionOf as domainPartitionOf, type CrimeBlock } from '@safer-places/domain';
import { CHUNK_SIZE, DynamoReferenceRepository, keys } from '../src/index';
import { countBlocks, encodeCounts, encodeCrimeMonth } from '../src/crime-codec';
import { READ_CONCURRENCY, concurrencyLimit, mapLimit } from '../src/query';
import { crimeBlock as block, crimeItems, startTestStore } from './harness';

let store: Awaited<ReturnType<typeof startTestStore>>;
let repo: DynamoReferenceRepository;
beforeAll(async () => {
  store = await startTestStore();
  repo = new DynamoReferenceRepository(store.doc, store.tableName);
});
afterAll(() => store.close());

// Two LSOAs in Ashfield, one in Mansfield, one in Gedling; unplaced crimes have a partition of their own.
const DISTRICT: Record<string, string> = { E01000001: 'E07000170', E01000002: 'E07000170', E01000003: 'E07000174', E01000004: 'E07000173' };
const partitionOf = (code: string) => domainPartitionOf(code, (c) => DISTRICT[c]);
const lsoasOf = (p: string) => Object.keys(DISTRICT).filter((c) => DISTRICT[c] === p);

const ids = (blocks: CrimeBlock[]) => blocks.flatMap((b) => b.crimes.map((c) => c.id)).sort();
const monthOf = (m: string, tag: string) => [
  block(m, 'E01000001', CHUNK_SIZE + 3, tag),
  block(m, 'E01000002', 40, tag),
  block(m, 'E01000003', 25, tag),
  block(m, 'E01000004', 9, tag),
  block(m, UNPLACED_LSOA, 4, tag),
];

/** The store behind a client that notes every call: command, partition key, items answered, and the most in flight. */
function watched(real: DynamoDBDocumentClient, delayMs = 0) {
  const calls: { type: string; pk: string; items: { pk: string; sk: string }[] }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
          const out = (await target.send(command as never)) as { Items?: { pk: string; sk: string }[]; Item?: { pk: string; sk: string } };
          const values = command.input.ExpressionAttributeValues as Record<string, unknown> | undefined;
          const key = command.input.Key as { pk: string } | undefined;
          calls.push({ type: command.constructor.name, pk: String(values?.[':pk'] ?? key?.pk ?? ''), items: out.Items ?? (out.Item ? [out.Item] : []) });
          return out;
        } finally {
          inFlight--;
        }
      };
    },
  });
  return { client, calls, maxInFlight: () => maxInFlight };
}

describe('crime months by partition', () => {
  beforeAll(async () => {
    for (const m of ['2024-01', '2024-02', '2024-03']) await repo.replaceCrimeMonth('p', m, monthOf(m, m), partitionOf);
  });

  it('stores each block in its partition and reads each partition back exactly', async () => {
    const items = await crimeItems(store, 'p', '2024-01');
    const pks = [...new Set(items.map((i) => i.pk))].sort();
    expect(pks).toEqual(
      [
        ...['E07000170', 'E07000173', 'E07000174', UNPLACED_PARTITION].map((p) => keys.crimePartitionPk('p', '2024-01', p)),
        ...['E07000170', 'E07000173', 'E07000174', UNPLACED_PARTITION].map((p) => keys.countsPartitionPk('p', p)),
      ].sort(),
    );
    const all = monthOf('2024-01', '2024-01');
    expect(ids(await repo.getCrimeBlocks('p', ['2024-01']))).toEqual(ids(all));
    for (const p of ['E07000170', 'E07000173', 'E07000174', UNPLACED_PARTITION]) {
      const back = await repo.getCrimeBlocks('p', ['2024-01'], { partitions: [p] });
      expect(back.map((b) => b.lsoaCode).sort()).toEqual(all.filter((b) => partitionOf(b.lsoaCode) === p).map((b) => b.lsoaCode).sort());
      for (const b of back) expect(b.crimes.map((c) => c.id)).toEqual(all.find((x) => x.lsoaCode === b.lsoaCode)!.crimes.map((c) => c.id));
    }
    // Partitions and LSOAs together: only those LSOAs of those partitions; a partition with no data reads as nothing.
    expect(ids(await repo.getCrimeBlocks('p', ['2024-01', '2024-02'], { partitions: ['E07000170', 'E07000174'], lsoaCodes: ['E01000002', 'E01000003'] }))).toEqual(
      ids([all[1]!, all[2]!, ...monthOf('2024-02', '2024-02').slice(1, 3)]),
    );
    expect(await repo.getCrimeBlocks('p', ['2024-01'], { partitions: ['E06000018'] })).toEqual([]);
    expect(await repo.getCrimeBlocks('p', ['2024-01'], { partitions: [] })).toEqual([]);
  });

  it('a partition read queries only that partition and gets only its items', async () => {
    const w = watched(store.doc);
    const reader = new DynamoReferenceRepository(w.client, store.tableName);
    const back = await reader.getCrimeBlocks('p', ['2024-01', '2024-03'], { partitions: ['E07000174'], lsoaCodes: lsoasOf('E07000174') });
    expect(ids(back)).toEqual(ids([monthOf('2024-01', '2024-01')[2]!, monthOf('2024-03', '2024-03')[2]!]));
    const queries = w.calls.filter((c) => c.type === 'QueryCommand');
    expect(queries.map((q) => q.pk).sort()).toEqual([keys.crimePartitionPk('p', '2024-01', 'E07000174'), keys.crimePartitionPk('p', '2024-03', 'E07000174')]);
    expect(queries.flatMap((q) => q.items).every((i) => i.pk.endsWith('#P#E07000174'))).toBe(true);
    // Besides the queries, only each month's pointer, read before and after.
    expect(w.calls.filter((c) => c.type !== 'QueryCommand').map((c) => `${c.type} ${c.pk}`)).toEqual(Array(4).fill(`GetCommand ${keys.crimeVersionPk('p')}`));

    const c = watched(store.doc);
    const counts = await new DynamoReferenceRepository(c.client, store.tableName).getMonthlyCounts('p', '2024-01', '2024-03', ['E07000170']);
    const countQueries = c.calls.filter((x) => x.type === 'QueryCommand');
    // The pointers (before and after), the legacy counts partition (empty once every month is partitioned), the partition's counts.
    expect(countQueries.map((q) => q.pk).sort()).toEqual([keys.countsPk('p'), keys.countsPartitionPk('p', 'E07000170'), keys.crimeVersionPk('p'), keys.crimeVersionPk('p')].sort());
    expect(countQueries.find((q) => q.pk === keys.countsPk('p'))!.items).toEqual([]);
    expect(countQueries.find((q) => q.pk === keys.countsPartitionPk('p', 'E07000170'))!.items.length).toBe(3); // one item a month
    expect(counts.map((m) => [m.month, [...m.counts.keys()].sort()])).toEqual(['2024-01', '2024-02', '2024-03'].map((m) => [m, ['E01000001', 'E01000002']]));
  });

  it('counts per partition equal the crimes stored in it; every month with data has an entry', async () => {
    const whole = await repo.getMonthlyCounts('p', '2024-01', '2024-03');
    expect(whole.map((m) => m.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    const all = monthOf('2024-02', '2024-02');
    expect(whole[1]!.counts).toEqual(countBlocks(all));
    const gedling = await repo.getMonthlyCounts('p', '2024-02', '2024-02', ['E07000173', UNPLACED_PARTITION]);
    expect(gedling).toEqual([{ month: '2024-02', counts: countBlocks(all.filter((b) => ['E01000004', UNPLACED_LSOA].includes(b.lsoaCode))) }]);
    // A partition with nothing stored: the months are still listed, with no counts.
    expect(await repo.getMonthlyCounts('p', '2024-01', '2024-12', ['E06000018'])).toEqual(['2024-01', '2024-02', '2024-03'].map((month) => ({ month, counts: new Map() })));
    expect(await repo.getMonthlyCounts('p', '2025-01', '2025-12')).toEqual([]);
  });

  it('reports each month × partition\'s size from the pointers alone', async () => {
    const w = watched(store.doc);
    const sizes = await new DynamoReferenceRepository(w.client, store.tableName).crimePartitionSizes('p', '2024-02', '2024-12');
    expect(w.calls.map((c) => `${c.type} ${c.pk}`)).toEqual([`QueryCommand ${keys.crimeVersionPk('p')}`]);
    const one = new Map([['E07000170', CHUNK_SIZE + 43], ['E07000173', 9], ['E07000174', 25], [UNPLACED_PARTITION, 4]]);
    expect(sizes).toEqual(new Map([['2024-02', one], ['2024-03', one]]));
  });

  it('a month replaced with fewer partitions leaves no item of the others', async () => {
    await repo.replaceCrimeMonth('fewer', '2024-06', monthOf('2024-06', 'a'), partitionOf);
    const only = [block('2024-06', 'E01000003', 5, 'b')];
    await repo.replaceCrimeMonth('fewer', '2024-06', only, partitionOf);
    const items = await crimeItems(store, 'fewer', '2024-06');
    expect([...new Set(items.map((i) => i.pk))].sort()).toEqual([keys.countsPartitionPk('fewer', 'E07000174'), keys.crimePartitionPk('fewer', '2024-06', 'E07000174')].sort());
    expect(items.length).toBe(2);
    expect(ids(await repo.getCrimeBlocks('fewer', ['2024-06']))).toEqual(ids(only));
    expect(await repo.getCrimeBlocks('fewer', ['2024-06'], { partitions: ['E07000170'] })).toEqual([]);
    expect((await repo.crimePartitionSizes('fewer', '2024-06', '2024-06')).get('2024-06')).toEqual(new Map([['E07000174', 5]]));

    // And a month emptied: nothing stored, no counts entry, no sizes.
    await repo.replaceCrimeMonth('fewer', '2024-06', [], partitionOf);
    expect(await crimeItems(store, 'fewer', '2024-06')).toEqual([]);
    expect(await repo.getMonthlyCounts('fewer', '2024-01', '2024-12')).toEqual([]);
    expect(await repo.crimePartitionSizes('fewer', '2024-01', '2024-12')).toEqual(new Map());
  });

  it('reads many partitions with at most READ_CONCURRENCY store requests in flight', async () => {
    const many = Array.from({ length: 60 }, (_, i) => block('2024-07', `E0100${String(i).padStart(4, '0')}`, 3, 'many'));
    const byCode = (code: string) => `E0600${code.slice(-4)}`; // one partition per LSOA
    await repo.replaceCrimeMonth('many', '2024-07', many, byCode);
    const w = watched(store.doc, 2);
    const reader = new DynamoReferenceRepository(w.client, store.tableName);
    expect(ids(await reader.getCrimeBlocks('many', ['2024-07']))).toEqual(ids(many));
    expect(w.calls.filter((c) => c.type === 'QueryCommand').length).toBe(60);
    expect(w.maxInFlight()).toBe(READ_CONCURRENCY);

    const c = watched(store.doc, 2);
    const counts = await new DynamoReferenceRepository(c.client, store.tableName).getMonthlyCounts('many', '2024-07', '2024-07');
    expect(counts[0]!.counts.size).toBe(60);
    expect(c.maxInFlight()).toBeLessThanOrEqual(READ_CONCURRENCY);
  });

  it('refuses a partition name that cannot be part of a key', async () => {
    await expect(repo.replaceCrimeMonth('bad', '2024-01', [block('2024-01', 'E01000001', 1, 'x')], () => 'E07#1')).rejects.toThrow(/LSOA E01000001: partition "E07#1" is not a valid partition name/);
    await expect(repo.replaceCrimeMonth('bad', '2024-01', [block('2024-02', 'E01000001', 1, 'x')], partitionOf)).rejects.toThrow(/a block of 2024-02 passed to replace crimes of 2024-01/);
  });
});

describe('months stored before partitions (legacy layout)', () => {
  const legacy = monthOf('2023-11', 'legacy');
  beforeAll(async () => {
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    for (const item of [...encodeCrimeMonth('old', '2023-11', legacy), ...encodeCounts('old', '2023-11', countBlocks(legacy))]) {
      await store.doc.send(new PutCommand({ TableName: store.tableName, Item: item as unknown as Record<string, unknown> }));
    }
    await repo.replaceCrimeMonth('old', '2023-12', monthOf('2023-12', 'new'), partitionOf);
  });

  it('are read whole, filtered by the LSOAs a caller names with its partitions', async () => {
    expect(ids(await repo.getCrimeBlocks('old', ['2023-11']))).toEqual(ids(legacy));
    const ashfield = await repo.getCrimeBlocks('old', ['2023-11', '2023-12'], { partitions: ['E07000170'], lsoaCodes: lsoasOf('E07000170') });
    expect(ids(ashfield)).toEqual(ids([...legacy, ...monthOf('2023-12', 'new')].filter((b) => DISTRICT[b.lsoaCode] === 'E07000170')));
    // Without LSOAs the store cannot tell districts apart in a legacy month: all its placed blocks, never a crime lost.
    expect(ids(await repo.getCrimeBlocks('old', ['2023-11'], { partitions: ['E07000170'] }))).toEqual(ids(legacy.filter((b) => b.lsoaCode !== UNPLACED_LSOA)));
    expect(ids(await repo.getCrimeBlocks('old', ['2023-11'], { partitions: [UNPLACED_PARTITION] }))).toEqual(ids(legacy.filter((b) => b.lsoaCode === UNPLACED_LSOA)));
  });

  it('have counts (whole) and no sizes until they are imported again, then are partitioned', async () => {
    const counts = await repo.getMonthlyCounts('old', '2023-01', '2023-12', ['E07000174']);
    expect(counts.map((m) => m.month)).toEqual(['2023-11', '2023-12']);
    expect(counts[0]!.counts).toEqual(countBlocks(legacy)); // whole: the caller keeps its partitions' LSOAs
    expect(counts[1]!.counts).toEqual(countBlocks(monthOf('2023-12', 'new').filter((b) => b.lsoaCode === 'E01000003')));
    expect([...(await repo.crimePartitionSizes('old', '2023-01', '2023-12')).keys()]).toEqual(['2023-12']);

    await repo.replaceCrimeMonth('old', '2023-11', legacy, partitionOf);
    expect([...(await repo.crimePartitionSizes('old', '2023-01', '2023-12')).keys()]).toEqual(['2023-11', '2023-12']);
    expect((await repo.getMonthlyCounts('old', '2023-11', '2023-11', ['E07000174']))[0]!.counts).toEqual(countBlocks(legacy.filter((b) => b.lsoaCode === 'E01000003')));
    expect(ids(await repo.getCrimeBlocks('old', ['2023-11'], { partitions: ['E07000170'] }))).toEqual(ids(legacy.filter((b) => DISTRICT[b.lsoaCode] === 'E07000170')));
    const items = await crimeItems(store, 'old', '2023-11');
    expect(items.filter((i) => i.pk === keys.crimeMonthPk('old', '2023-11') || i.pk === keys.countsPk('old'))).toEqual([]);
  });
});

describe('bounded concurrency helpers', () => {
  it('concurrencyLimit never runs more than its limit and runs every call', async () => {
    const limit = concurrencyLimit(3);
    let running = 0;
    let most = 0;
    const out = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, i % 3));
          running--;
          return i;
        }),
      ),
    );
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(3);
    expect(() => concurrencyLimit(0)).toThrow(/at least 1/);
  });

  it('mapLimit keeps order and starts nothing new after a failure', async () => {
    expect(await mapLimit([3, 1, 2], 2, async (x) => x * 2)).toEqual([6, 2, 4]);
    const started: number[] = [];
    await expect(
      mapLimit([1, 2, 3, 4, 5, 6], 2, async (x) => {
        started.push(x);
        if (x === 2) throw new Error('boom');
        await new Promise((r) => setTimeout(r, 5));
      }),
    ).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 20));
    expect(started.length).toBeLessThan(6);
  });
});
