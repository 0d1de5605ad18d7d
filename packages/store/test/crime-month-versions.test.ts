import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrimeBlock } from '@safer-places/domain';
import { CHUNK_SIZE, DynamoReferenceRepository, keys } from '../src/index';
import { countBlocks, encodeCounts, encodeCrimeMonth } from '../src/crime-codec';
import { died, dyingClient } from './crash-client';
import { crimeBlock as block, startTestStore } from './harness';

let store: Awaited<ReturnType<typeof startTestStore>>;
let repo: DynamoReferenceRepository;
beforeAll(async () => {
  store = await startTestStore();
  repo = new DynamoReferenceRepository(store.doc, store.tableName);
});
afterAll(() => store.close());

const ids = (blocks: CrimeBlock[]) => blocks.flatMap((b) => b.crimes.map((c) => c.id)).sort();
const total = (counts: Map<string, number[]>) => [...counts.values()].flat().reduce((a, b) => a + b, 0);

/** A process that dies once its pointer flip (a PutCommand on a crime version item) has landed. */
function dyingAfterFlip() {
  let dead = false;
  const writes: string[] = [];
  const client = new Proxy(store.doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        if (dead) throw died();
        const out = await target.send(command as never);
        const item = command.input.Item as { pk?: string; sk?: string } | undefined;
        if (command.constructor.name === 'PutCommand' && item?.pk === keys.crimeVersionPk('v1')) {
          writes.push(`PutCommand ${item.sk}`);
          dead = true;
          throw died();
        }
        return out;
      };
    },
  });
  return { client, writes };
}

async function rawSks(pk: string): Promise<string[]> {
  const out = await store.doc.send(new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }));
  return (out.Items ?? []).map((i) => String(i.sk));
}

describe('replaceCrimeMonth keeps the previous version readable until the new one is complete', () => {
  const old = [block('2024-05', 'E01000001', 2 * CHUNK_SIZE, 'old'), block('2024-05', 'E01000002', CHUNK_SIZE, 'old')];
  const next = [block('2024-05', 'E01000001', CHUNK_SIZE + 10, 'new'), block('2024-05', 'E01000003', 20, 'new')];

  it('a run that dies after writing half of the new version leaves the old month whole', async () => {
    await repo.replaceCrimeMonth('v1', '2024-05', old);
    // Dies after the first chunk write of the new version (a batch of the new chunks lands, nothing more).
    const dying = dyingClient(store.doc, 1);
    const failing = new DynamoReferenceRepository(dying.client, store.tableName, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, batchRetry: { attempts: 1, baseDelayMs: 1 } });
    await expect(failing.replaceCrimeMonth('v1', '2024-05', next)).rejects.toThrow(/died/);
    expect(dying.writes.length).toBe(1);

    expect(ids(await repo.getCrimeBlocks('v1', ['2024-05']))).toEqual(ids(old));
    const counts = await repo.getMonthlyCounts('v1', '2024-05', '2024-05');
    expect(total(counts[0]!.counts)).toBe(3 * CHUNK_SIZE);
    expect([...counts[0]!.counts.keys()]).toEqual(['E01000001', 'E01000002']);
  });

  it('after the flip the new month is read whole, and the old version is deleted (by this run or the next)', async () => {
    // A run that dies right after the pointer flip: every new item and the pointer are written, no delete is.
    const dying = dyingAfterFlip();
    const failing = new DynamoReferenceRepository(dying.client, store.tableName, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, batchRetry: { attempts: 1, baseDelayMs: 1 } });
    await expect(failing.replaceCrimeMonth('v1', '2024-05', next)).rejects.toThrow(/died/);
    expect(dying.writes.at(-1)).toBe('PutCommand 2024-05');

    expect(ids(await repo.getCrimeBlocks('v1', ['2024-05']))).toEqual(ids(next));
    const counts = await repo.getMonthlyCounts('v1', '2024-05', '2024-05');
    expect(total(counts[0]!.counts)).toBe(CHUNK_SIZE + 30);
    expect([...counts[0]!.counts.keys()]).toEqual(['E01000001', 'E01000003']);
    const staleBefore = await rawSks(keys.crimeMonthPk('v1', '2024-05'));
    expect(staleBefore.length).toBeGreaterThan(2); // the old version's chunks are still stored, unread

    // The next run (here the same month again) removes them; a completed run leaves only the current version.
    await repo.replaceCrimeMonth('v1', '2024-05', next);
    const sks = await rawSks(keys.crimeMonthPk('v1', '2024-05'));
    expect(sks.length).toBe(2);
    expect(sks.every((sk) => sk.startsWith('V#'))).toBe(true);
    const countSks = (await rawSks(keys.countsPk('v1'))).filter((sk) => sk.startsWith('2024-05#'));
    expect(countSks.length).toBe(1);
    expect(ids(await repo.getCrimeBlocks('v1', ['2024-05']))).toEqual(ids(next));
  });

  it('reads a month stored before versions (no pointer) and replaces it cleanly', async () => {
    const legacy = [block('2023-11', 'E01000009', 30, 'legacy')];
    // Written the way the store wrote months before versions: unversioned keys, no pointer.
    for (const item of [...encodeCrimeMonth('v2', '2023-11', legacy), ...encodeCounts('v2', '2023-11', countBlocks(legacy))]) {
      await store.doc.send(new PutCommand({ TableName: store.tableName, Item: item as unknown as Record<string, unknown> }));
    }
    expect(ids(await repo.getCrimeBlocks('v2', ['2023-11']))).toEqual(ids(legacy));
    expect(total((await repo.getMonthlyCounts('v2', '2023-01', '2023-12'))[0]!.counts)).toBe(30);

    const replaced = [block('2023-11', 'E01000009', 12, 'versioned')];
    await repo.replaceCrimeMonth('v2', '2023-11', replaced);
    expect(ids(await repo.getCrimeBlocks('v2', ['2023-11']))).toEqual(ids(replaced));
    const counts = await repo.getMonthlyCounts('v2', '2023-01', '2023-12');
    expect(counts.length).toBe(1);
    expect(total(counts[0]!.counts)).toBe(12);
    expect((await rawSks(keys.crimeMonthPk('v2', '2023-11'))).every((sk) => sk.startsWith('V#'))).toBe(true);
  });
});
