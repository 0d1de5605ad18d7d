import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostcodeEntry } from '@safer-places/domain';
import { DynamoPostcodeRepository, POSTCODE_CHUNK_SIZE, keys } from '../src/index';
import { startTestStore } from './harness';

/*
 * Two postcode imports at once, and readers racing a replacement: the live set is never deleted, and a reader never
 * gets part of a postcode district.
 */
let store: Awaited<ReturnType<typeof startTestStore>>;
let repo: DynamoPostcodeRepository;
beforeAll(async () => {
  store = await startTestStore();
  repo = new DynamoPostcodeRepository(store.doc, store.tableName);
});
afterAll(() => store.close());

const noRetry = { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, batchRetry: { attempts: 1, baseDelayMs: 1 } };

function generated(outward: string, n: number, lon = -1.15, lat = 52.95): PostcodeEntry[] {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return Array.from({ length: n }, (_, i) => ({
    postcode: `${outward} ${Math.floor(i / 400) % 10}${letters[Math.floor(i / 20) % 20]}${letters[i % 20]}`,
    lon: lon + i * 1e-6,
    lat: lat + i * 1e-6,
    lsoaCode: null,
  }));
}

async function chunkVersions(ds: string): Promise<string[]> {
  const out = await store.doc.send(new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.postcodePk(ds) }, ConsistentRead: true }));
  return [...new Set((out.Items ?? []).map((i) => String(i.sk)).filter((sk) => sk.startsWith('V#')).map((sk) => sk.split('#')[1]!))].sort();
}

type Input = Record<string, unknown> & { Item?: Record<string, unknown>; Key?: Record<string, unknown>; UpdateExpression?: string; ExpressionAttributeValues?: Record<string, unknown> };

/** True for the write that flips the pointer to a new version (whatever form it takes). */
const isFlip = (name: string, input: Input) =>
  (name === 'PutCommand' && input.Item?.sk === 'CURRENT' && input.Item.version !== undefined) ||
  (name === 'UpdateCommand' && input.Key?.sk === 'CURRENT' && /\bSET\b/.test(input.UpdateExpression ?? '') && /version/i.test(JSON.stringify(input)));

/** The clean-up's query of every version's chunks (not a reader's query of one district). */
const isCleanupQuery = (name: string, input: Input) => name === 'QueryCommand' && Object.values(input.ExpressionAttributeValues ?? {}).includes(keys.postcodeChunkPrefix);

/** A client that runs `hook` once, before the first command `when` picks is sent. */
function hooked(real: DynamoDBDocumentClient, when: (name: string, input: Input) => boolean, hook: () => Promise<void>): DynamoDBDocumentClient {
  let fired = false;
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: { constructor: { name: string }; input: Input }) => {
        if (!fired && when(command.constructor.name, command.input)) {
          fired = true;
          await hook();
        }
        return target.send(command as never);
      };
    },
  });
}

describe('two postcode replacements at once', () => {
  it('a run whose pointer moved under it fails clearly and deletes only its own chunks; the live set stays whole', async () => {
    const ds = 'race-flip';
    const first = generated('NG1', 20);
    const winner = generated('NG2', POSTCODE_CHUNK_SIZE + 3);
    const loser = generated('NG3', 9);
    await repo.replacePostcodes(ds, first, 'x');
    // The loser reads the pointer and writes its chunks; just before its flip the winner runs from start to end.
    const loserClient = hooked(store.doc, isFlip, () => repo.replacePostcodes(ds, winner, 'y'));
    await expect(new DynamoPostcodeRepository(loserClient, store.tableName, noRetry).replacePostcodes(ds, loser, 'z')).rejects.toThrow(/another postcode import/);
    expect((await repo.postcodeDistricts(ds)).map((d) => `${d.outward}:${d.count}`)).toEqual([`NG2:${POSTCODE_CHUNK_SIZE + 3}`]);
    expect(await repo.postcodesIn(ds, 'NG2')).toHaveLength(POSTCODE_CHUNK_SIZE + 3);
    expect(await chunkVersions(ds)).toHaveLength(1); // the loser's chunks are gone, the winner's kept
    // Run again, the loser's import goes through.
    await repo.replacePostcodes(ds, loser, 'z');
    expect(await repo.postcodesIn(ds, 'NG3')).toHaveLength(9);
  });

  it('a clean-up never deletes the chunks of a run that started after its flip and has not flipped yet', async () => {
    const ds = 'race-cleanup';
    const a = generated('NG4', 10);
    const b = generated('NG5', POSTCODE_CHUNK_SIZE + 2);
    await repo.replacePostcodes(ds, generated('NG1', 5), 'x');
    let releaseB!: () => void;
    const bMayFlip = new Promise<void>((r) => (releaseB = r));
    let bRun!: Promise<void>;
    // A flips; before its clean-up looks, B starts (reading A's version), writes all its chunks, and waits to flip.
    const aClient = hooked(store.doc, isCleanupQuery, async () => {
      let bAtFlip!: () => void;
      const bReady = new Promise<void>((r) => (bAtFlip = r));
      const bClient = hooked(store.doc, isFlip, async () => {
        bAtFlip();
        await bMayFlip;
      });
      bRun = new DynamoPostcodeRepository(bClient, store.tableName, noRetry).replacePostcodes(ds, b, 'z');
      await bReady;
    });
    await new DynamoPostcodeRepository(aClient, store.tableName, noRetry).replacePostcodes(ds, a, 'y');
    releaseB();
    await bRun;
    expect((await repo.postcodeDistricts(ds)).map((d) => d.outward)).toEqual(['NG5']);
    expect(await repo.postcodesIn(ds, 'NG5')).toHaveLength(POSTCODE_CHUNK_SIZE + 2);
    expect(await chunkVersions(ds)).toHaveLength(1);
  });
});

describe('reading a postcode district', () => {
  it('reads again when it got fewer postcodes than the pointer counts (a chunk deleted or not yet seen)', async () => {
    const ds = 'read-partial';
    await repo.replacePostcodes(ds, generated('NG7', POSTCODE_CHUNK_SIZE + 4), 'x');
    // The first read of the chunks misses the second chunk, as a read racing a replacement's deletes may.
    let dropped = false;
    const flaky = new Proxy(store.doc, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (command: { constructor: { name: string } }) => {
          const out = (await target.send(command as never)) as { Items?: unknown[] };
          if (!dropped && command.constructor.name === 'QueryCommand' && (out.Items?.length ?? 0) > 1) {
            dropped = true;
            return { ...out, Items: out.Items!.slice(0, 1) };
          }
          return out;
        };
      },
    });
    const reader = new DynamoPostcodeRepository(flaky, store.tableName, noRetry);
    expect(await reader.postcodesIn(ds, 'NG7')).toHaveLength(POSTCODE_CHUNK_SIZE + 4);
    expect(dropped).toBe(true);
  });

  it('fails rather than answer part of a district when the chunks never add up', async () => {
    const ds = 'read-broken';
    await repo.replacePostcodes(ds, generated('NG8', POSTCODE_CHUNK_SIZE + 4), 'x');
    const out = await store.doc.send(new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)', ExpressionAttributeValues: { ':pk': keys.postcodePk(ds), ':v': 'V#' }, ConsistentRead: true }));
    const last = (out.Items ?? []).map((i) => String(i.sk)).sort().at(-1)!;
    await store.doc.send(new DeleteCommand({ TableName: store.tableName, Key: { pk: keys.postcodePk(ds), sk: last } }));
    await expect(repo.postcodesIn(ds, 'NG8')).rejects.toThrow(/NG8.*4 of the 4,00[0-9]|postcodes of NG8/);
  });
});
