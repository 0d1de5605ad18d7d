import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PostcodeEntry } from '@safer-places/domain';
import { DynamoPostcodeRepository, POSTCODE_CHUNK_SIZE, dynamoPorts, keys } from '../src/index';
import { dyingClient } from './crash-client';
import { startTestStore } from './harness';

let store: Awaited<ReturnType<typeof startTestStore>>;
let repo: DynamoPostcodeRepository;
beforeAll(async () => {
  store = await startTestStore();
  repo = new DynamoPostcodeRepository(store.doc, store.tableName);
});
afterAll(() => store.close());

const noRetry = { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, batchRetry: { attempts: 1, baseDelayMs: 1 } };

/** `n` generated postcodes of an outward code ("NG1 0AA", "NG1 0AB" …), a micro-degree apart; never real data. */
function generated(outward: string, n: number, lon = -1.15, lat = 52.95, lsoa: string | null = 'E01000001'): PostcodeEntry[] {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return Array.from({ length: n }, (_, i) => ({
    postcode: `${outward} ${Math.floor(i / 400) % 10}${letters[Math.floor(i / 20) % 20]}${letters[i % 20]}`,
    lon: lon + i * 1e-6,
    lat: lat + i * 1e-6,
    lsoaCode: lsoa,
  }));
}

async function chunkKeys(ds: string) {
  const out = await store.doc.send(new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.postcodePk(ds) }, ConsistentRead: true }));
  return (out.Items ?? []).map((i) => i.sk as string);
}

describe('DynamoPostcodeRepository', () => {
  it('is one of the ports the API gets', () => {
    expect(dynamoPorts(store.doc, store.tableName).postcodes).toBeInstanceOf(DynamoPostcodeRepository);
  });

  it('stores postcodes by outward code, in chunks, and reads one district back', async () => {
    const ng1 = generated('NG1', POSTCODE_CHUNK_SIZE + 5);
    const ng10 = generated('NG10', 3, -1.25, 52.9, null);
    await repo.replacePostcodes('pc-a', [...ng10, ...ng1], '2025-01-01T00:00:00Z');
    const districts = await repo.postcodeDistricts('pc-a');
    expect(districts.map((d) => [d.outward, d.count])).toEqual([['NG1', POSTCODE_CHUNK_SIZE + 5], ['NG10', 3]]);
    expect(districts[1]!.bbox).toEqual([-1.25, 52.9, -1.25 + 2e-6, 52.9 + 2e-6]);
    const back = await repo.postcodesIn('pc-a', 'NG1');
    expect(back).toHaveLength(POSTCODE_CHUNK_SIZE + 5); // two chunks, and never NG10's
    expect(back[0]).toEqual({ postcode: 'NG1 0AA', lon: -1.15, lat: 52.95, lsoaCode: 'E01000001' });
    expect((await repo.postcodesIn('pc-a', 'ng10')).map((e) => e.lsoaCode)).toEqual([null, null, null]);
    expect(await repo.postcodesIn('pc-a', 'NG2')).toEqual([]);
    expect(await repo.postcodesIn('pc-a', 'not an outward')).toEqual([]);
    expect(await repo.postcodeDistricts('no-such-dataset')).toEqual([]);
    expect((await chunkKeys('pc-a')).filter((k) => k.startsWith('V#'))).toHaveLength(3);
  });

  it('replaces the whole set and deletes the old chunks; the same set again writes nothing', async () => {
    await repo.replacePostcodes('pc-b', generated('NG5', 10), '2025-01-01T00:00:00Z');
    await repo.replacePostcodes('pc-b', generated('NG7', 4), '2025-02-01T00:00:00Z');
    expect((await repo.postcodeDistricts('pc-b')).map((d) => d.outward)).toEqual(['NG7']);
    expect(await repo.postcodesIn('pc-b', 'NG5')).toEqual([]);
    expect((await chunkKeys('pc-b')).filter((k) => k.startsWith('V#'))).toHaveLength(1);
    const counting = dyingClient(store.doc, Number.POSITIVE_INFINITY);
    await new DynamoPostcodeRepository(counting.client, store.tableName).replacePostcodes('pc-b', generated('NG7', 4), '2025-03-01T00:00:00Z');
    expect(counting.writes).toEqual([]);
  });

  it('refuses a postcode not written "<outward> <inward>"', async () => {
    await expect(repo.replacePostcodes('pc-c', [{ postcode: 'NG15DT', lon: 0, lat: 0, lsoaCode: null }], 'x')).rejects.toThrow(/NG15DT/);
  });

  it('shows readers the old set or the new one, whole, wherever a replacement dies; the next run cleans up', async () => {
    const oldSet = [...generated('NG5', 30), ...generated('NG6', 30)];
    const newSet = [...generated('NG6', 12, -1.2, 53.0), ...generated('NG8', 7)];
    const counting = dyingClient(store.doc, Number.POSITIVE_INFINITY);
    await new DynamoPostcodeRepository(counting.client, store.tableName, noRetry).replacePostcodes('pc-count', oldSet, 'x');
    const firstRun = counting.writes.length;
    await new DynamoPostcodeRepository(counting.client, store.tableName, noRetry).replacePostcodes('pc-count', newSet, 'y');
    const writes = counting.writes.length - firstRun;
    expect(writes).toBeGreaterThanOrEqual(4); // the run named on the pointer, chunks, the flip, the deletes
    let sawOld = 0;
    let sawNew = 0;
    for (let k = 1; k <= writes; k++) {
      const ds = `pc-crash-${k}`;
      await repo.replacePostcodes(ds, oldSet, 'x');
      const dying = dyingClient(store.doc, k);
      await expect(new DynamoPostcodeRepository(dying.client, store.tableName, noRetry).replacePostcodes(ds, newSet, 'y')).rejects.toThrow(/died/);
      const districts = (await repo.postcodeDistricts(ds)).map((d) => `${d.outward}:${d.count}`);
      const ng6 = await repo.postcodesIn(ds, 'NG6');
      if (districts.join() === 'NG5:30,NG6:30') {
        sawOld++;
        expect(ng6).toHaveLength(30);
        expect((await repo.postcodesIn(ds, 'NG5')).length).toBe(30);
      } else {
        sawNew++;
        expect(districts).toEqual(['NG6:12', 'NG8:7']);
        expect(ng6).toHaveLength(12);
        expect(ng6[0]!.lon).toBe(-1.2);
      }
      // The next run completes the replacement and leaves one version's chunks only.
      await repo.replacePostcodes(ds, newSet, 'y');
      expect((await repo.postcodeDistricts(ds)).map((d) => d.outward)).toEqual(['NG6', 'NG8']);
      expect(new Set((await chunkKeys(ds)).filter((k) => k.startsWith('V#')).map((k) => k.split('#')[1])).size).toBe(1);
    }
    expect(sawOld).toBeGreaterThan(0);
    expect(sawNew).toBeGreaterThan(0);
  });
});
