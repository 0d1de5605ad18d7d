import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrimeBlock, CrimeRecord } from '@safer-places/domain';
import { CRIME_CATEGORY_SLUGS, type DatasetSummary, type Lsoa } from '@safer-places/schemas';
import { DynamoReferenceRepository, CHUNK_SIZE } from '../src/index';
import { startTestStore } from './harness';
import { LSOA_CODE_BOUNDS } from '../src/reference-repository';

let store: Awaited<ReturnType<typeof startTestStore>>;
let repo: DynamoReferenceRepository;

const lsoa = (code: string): Lsoa => ({
  code,
  name: `Name ${code}`,
  districtCode: 'E07000174',
  districtName: 'Mansfield',
  wardName: null,
  cspCode: null,
  cspName: null,
  population: 1500,
  imdDecile: 3,
  deprivationSource: 'IoD 2025',
  geometry: { type: 'Polygon', coordinates: [[[-1.2, 53.1], [-1.19, 53.1], [-1.19, 53.11], [-1.2, 53.1]]] },
  bbox: [-1.2, 53.1, -1.19, 53.11],
});

function crimes(month: string, lsoaCode: string, n: number, seed = 0): CrimeRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${month}-${lsoaCode}-${seed}-${i}`,
    month,
    category: CRIME_CATEGORY_SLUGS[(i + seed) % 14]!,
    lon: i % 50 === 7 ? null : Number((-1.123456 - i * 0.000001).toFixed(6)),
    lat: i % 50 === 7 ? null : Number((53.123456 + i * 0.000001).toFixed(6)),
    location: i % 3 === 0 ? 'On or near Mill Lane' : 'On or near Parking Area',
    lsoaCode,
    publishedLsoaCode: i % 10 === 0 ? null : lsoaCode,
    outcome: i % 4 === 0 ? null : 'Under investigation',
  }));
}

const summary: DatasetSummary = {
  id: 'ds1',
  name: 'Test',
  synthetic: false,
  version: 'v1',
  firstMonth: '2024-01',
  lastMonth: '2024-02',
  lsoaCount: 2,
  crimeCount: 0,
  bbox: null,
  sources: [{ name: 'police.uk', publisher: 'Home Office', licence: 'OGL v3' }],
  importedAt: '2026-11-01T00:00:00.000Z',
  notes: [],
};

/** Every LSOA of these tests is in Mansfield. */
const district = () => 'E07000174';

beforeAll(async () => {
  store = await startTestStore();
  repo = new DynamoReferenceRepository(store.doc, store.tableName);
});
afterAll(() => store.close());

describe('DynamoReferenceRepository', () => {
  it('stores and lists datasets and LSOAs', async () => {
    await repo.putDataset(summary);
    await repo.putLsoas('ds1', [lsoa('E01000001'), lsoa('E01000002')]);
    expect(await repo.listDatasets()).toEqual([summary]);
    expect(await repo.getDataset('nope')).toBeNull();
    const lsoas = await repo.listLsoas('ds1');
    expect(lsoas).toEqual([lsoa('E01000001'), lsoa('E01000002')]);
    expect(await repo.listLsoas('other')).toEqual([]);
  });

  it('lists every LSOA once, in code order, across the code ranges it reads in parallel', async () => {
    // Codes at and around every range bound, English and Welsh, and odd codes before and after them all.
    const codes = ['A1', 'E01000001', 'E01004999', ...LSOA_CODE_BOUNDS.flatMap((b) => [`${b}000`, `${b}999`]), 'E01010', 'W01000001', 'W01001958', 'Z9'];
    await repo.putLsoas('ranges', codes.map((c) => lsoa(c)));
    // Queries counted, and how many were in flight at once.
    let queries = 0, inFlight = 0, most = 0;
    const counting = new Proxy(store.doc, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (command: { constructor: { name: string } }) => {
          if (command.constructor.name === 'QueryCommand') queries++;
          most = Math.max(most, ++inFlight);
          try {
            return await target.send(command as never);
          } finally {
            inFlight--;
          }
        };
      },
    });
    const listed = await new DynamoReferenceRepository(counting, store.tableName).listLsoas('ranges');
    expect(listed.map((l) => l.code)).toEqual([...codes].sort());
    expect(listed[0]).toEqual(lsoa('A1'));
    // The fields in the order of the Lsoa type, whatever order the store gives the attributes in.
    expect(Object.keys(listed[0]!)).toEqual(Object.keys(lsoa('A1')));
    expect(queries).toBe(LSOA_CODE_BOUNDS.length + 1);
    expect(most).toBeGreaterThan(1);
  });

  it('reads the packed copy of an LSOA version when it is there whole, else the LSOA items', async () => {
    const items = ['E01000001', 'E01000002', 'E01000003'].map((c) => lsoa(c));
    await repo.putLsoas('packed', items);
    // A copy that differs from the items on purpose, so which one was read shows; big enough for several pieces.
    const renamed = items.map((l) => ({ ...l, name: `${l.name} (packed)` }));
    // Hashes as names barely compress: ~1 MB of gzip, three pieces.
    const hashName = (i: number) => Array.from({ length: 10 }, (_, k) => createHash('sha256').update(`${i}-${k}`).digest('hex')).join('');
    const many = Array.from({ length: 1_500 }, (_, i) => ({ ...lsoa(`E01${String(100_000 + i).padStart(6, '0')}`), name: hashName(i) }));
    await repo.putLsoaPack('packed', 'v1', renamed);
    await repo.putLsoaPack('packed', 'v2', many);
    expect(await repo.hasLsoaPack('packed', 'v1', 3)).toBe(true);
    expect(await repo.hasLsoaPack('packed', 'v1', 4)).toBe(false);
    expect(await repo.listLsoas('packed', { pack: { version: 'v1', count: 3 } })).toEqual(renamed);
    expect(await repo.listLsoas('packed', { pack: { version: 'v2', count: 1_500 } })).toEqual(many);
    // Not the count the summary names, an unknown version, or no copy asked for: the items.
    expect(await repo.listLsoas('packed', { pack: { version: 'v1', count: 4 } })).toEqual(items);
    expect(await repo.listLsoas('packed', { pack: { version: 'v9', count: 3 } })).toEqual(items);
    expect(await repo.listLsoas('packed')).toEqual(items);
    // A copy missing a piece (as a clean-up caught half-way leaves it) is never read.
    const { DeleteCommand, GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const second = await store.doc.send(new GetCommand({ TableName: store.tableName, Key: { pk: 'DS#packed#LSOAPACK', sk: 'F2#v2#00001' } }));
    expect(second.Item?.of).toBeGreaterThanOrEqual(2);
    await store.doc.send(new DeleteCommand({ TableName: store.tableName, Key: { pk: 'DS#packed#LSOAPACK', sk: 'F2#v2#00001' } }));
    expect(await repo.listLsoas('packed', { pack: { version: 'v2', count: 1_500 } })).toEqual(items);
    expect(await repo.hasLsoaPack('packed', 'v2', 1_500)).toBe(false);
    // Clean-up keeps only the versions named.
    await repo.deleteLsoaPacks('packed', ['v1']);
    expect(await repo.hasLsoaPack('packed', 'v1', 3)).toBe(true);
    expect(await repo.listLsoas('packed', { pack: { version: 'v2', count: 1_500 } })).toEqual(items);
    expect(await repo.listLsoas('packed', { pack: { version: 'v1', count: 3 } })).toEqual(renamed);
  });

  it('reads a copy an earlier version wrote (gzipped JSON) until an import packs the version again', async () => {
    const { PutCommand, QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const items = ['E01000001', 'E01000002'].map((c) => lsoa(c));
    await repo.putLsoas('legacy', items);
    const older = items.map((l) => ({ ...l, name: `${l.name} (older copy)` }));
    await store.doc.send(new PutCommand({ TableName: store.tableName, Item: { pk: 'DS#legacy#LSOAPACK', sk: 'V#v1#00000', of: 1, count: 2, data: gzipSync(JSON.stringify(older)) } }));
    expect(await repo.listLsoas('legacy', { pack: { version: 'v1', count: 2 } })).toEqual(older);
    // The importer's check asks for the current format, so the next import writes it; clean-up then drops the old copy.
    expect(await repo.hasLsoaPack('legacy', 'v1', 2)).toBe(false);
    await repo.putLsoaPack('legacy', 'v1', items);
    expect(await repo.listLsoas('legacy', { pack: { version: 'v1', count: 2 } })).toEqual(items);
    // Clean-up keeps a kept version's older copy (what an API instance of the previous release reads) and removes the
    // copies, in either format, of versions no longer kept.
    await store.doc.send(new PutCommand({ TableName: store.tableName, Item: { pk: 'DS#legacy#LSOAPACK', sk: 'V#v0#00000', of: 1, count: 2, data: gzipSync(JSON.stringify(older)) } }));
    await repo.putLsoaPack('legacy', 'v0', items);
    const left = async () =>
      (await store.doc.send(new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'DS#legacy#LSOAPACK' } }))).Items!.map((i) => i.sk);
    await repo.deleteLsoaPacks('legacy', ['v1']);
    expect(await left()).toEqual(['F2#v1#00000', 'V#v1#00000']);
    await repo.deleteLsoaPacks('legacy', ['v2']);
    expect(await left()).toEqual([]);
  });

  it('round-trips packed crimes exactly, across chunk boundaries', async () => {
    const big: CrimeBlock = { month: '2024-01', lsoaCode: 'E01000001', crimes: crimes('2024-01', 'E01000001', CHUNK_SIZE + 10) };
    const small: CrimeBlock = { month: '2024-01', lsoaCode: 'E01000002', crimes: crimes('2024-01', 'E01000002', 5, 3) };
    await repo.replaceCrimeMonth('ds1', '2024-01', [big, small], district);
    const back = await repo.getCrimeBlocks('ds1', ['2024-01']);
    const byCode = new Map(back.map((b) => [b.lsoaCode, b]));
    expect(byCode.get('E01000001')!.crimes).toEqual(big.crimes);
    expect(byCode.get('E01000002')!.crimes).toEqual(small.crimes);
    expect(await repo.getCrimeBlocks('ds1', ['2024-01'], { partitions: ['E07000174'], lsoaCodes: ['E01000002'] })).toEqual([small]);
  });

  it('keeps monthly category counts equal to the stored crimes', async () => {
    const [month] = await repo.getMonthlyCounts('ds1', '2024-01', '2024-01');
    expect(month!.month).toBe('2024-01');
    const row = month!.counts.get('E01000002')!;
    expect(row).toHaveLength(14);
    expect(row.reduce((a, b) => a + b, 0)).toBe(5);
    expect(row[3]).toBe(1); // seed 3 → categories 3..7, one each
    expect(month!.counts.get('E01000001')!.reduce((a, b) => a + b, 0)).toBe(CHUNK_SIZE + 10);
  });

  it('replacing a month removes blocks and counts the new file no longer has', async () => {
    const only: CrimeBlock = { month: '2024-01', lsoaCode: 'E01000002', crimes: crimes('2024-01', 'E01000002', 2) };
    await repo.replaceCrimeMonth('ds1', '2024-01', [only], district);
    expect(await repo.getCrimeBlocks('ds1', ['2024-01'])).toEqual([only]);
    const [month] = await repo.getMonthlyCounts('ds1', '2024-01', '2024-12');
    expect([...month!.counts.keys()]).toEqual(['E01000002']);
  });

  it('selects months by range', async () => {
    await repo.replaceCrimeMonth('ds1', '2024-02', [{ month: '2024-02', lsoaCode: 'E01000001', crimes: crimes('2024-02', 'E01000001', 3) }], district);
    await repo.replaceCrimeMonth('ds1', '2024-03', [{ month: '2024-03', lsoaCode: 'E01000001', crimes: crimes('2024-03', 'E01000001', 4) }], district);
    const months = await repo.getMonthlyCounts('ds1', '2024-02', '2024-03');
    expect(months.map((m) => m.month)).toEqual(['2024-02', '2024-03']);
  });

  it('persists on disk across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-store-'));
    try {
      const first = await startTestStore(dir);
      await new DynamoReferenceRepository(first.doc, first.tableName).putDataset(summary);
      await first.close();
      const second = await startTestStore(dir);
      expect(await new DynamoReferenceRepository(second.doc, second.tableName).getDataset('ds1')).toEqual(summary);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps small per-dataset documents, listed by name prefix', async () => {
    await repo.putDocument('ds1', 'import-report#2026-01-01', { rows: 1 });
    await repo.putDocument('ds1', 'import-report#2026-02-01', { rows: 2 });
    await repo.putDocument('ds1', 'lsoa11-lookup', { retired: {} });
    expect(await repo.getDocument('ds1', 'lsoa11-lookup')).toEqual({ retired: {} });
    expect(await repo.getDocument('ds1', 'missing')).toBeNull();
    expect((await repo.listDocuments('ds1', 'import-report#')).map((d) => d.document)).toEqual([{ rows: 1 }, { rows: 2 }]);
    await expect(repo.putDocument('ds1', 'huge', 'x'.repeat(400_000))).rejects.toThrow(/limit is 350000/);
  });
});
