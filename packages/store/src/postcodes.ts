import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostcodeDistrict, PostcodeEntry, PostcodeRepository } from '@safer-places/domain';
import { DEFAULT_BATCH_RETRY, batchWrite, del, put } from './batch';
import { keys } from './keys';
import { queryAll } from './query';
import { backoffMs, isConditionFailure, isTransient, retryingClient, sleep, type RetryPolicy } from './retry';
import { DEFAULT_REFERENCE_RETRY } from './reference-repository';

/** Postcodes per chunk item: a line is about 40 bytes, so a chunk stays near 160 KB, far below the 400 KB item limit. */
export const POSTCODE_CHUNK_SIZE = 4000;

/** The pointer to a dataset's current postcodes: the version, when it was imported, and its postcode districts. */
interface PostcodePointer {
  /** Absent while the first run for a dataset is still writing. */
  version?: string;
  importedAt?: string;
  /** JSON of PostcodeDistrict[] (one small string rather than thousands of nested attributes). */
  districts?: string;
  /** The runs writing chunks now, each "<version>|<started, ms>|<run id>": their chunks are not cleaned up. */
  writing?: Set<string>;
}

/** A run named on the pointer longer than this is taken for dead: its chunks are cleaned up and it may not flip. */
export const POSTCODE_RUN_EXPIRY_MS = 6 * 60 * 60 * 1000;
/** Reads of one postcode district before a count that never adds up is an error. */
const POSTCODE_READ_ATTEMPTS = 4;

const runVersion = (run: string) => run.slice(0, run.indexOf('|'));
const runStarted = (run: string) => Number(run.split('|')[1]);

const OUTWARD = /^[A-Z]{1,2}\d[A-Z\d]?$/;

/** One line per postcode: "NG1 5DT\t-1.149990\t52.953310\tE01033406" (the LSOA empty when unknown). */
function encode(entries: readonly PostcodeEntry[]): string {
  return entries.map((e) => `${e.postcode}\t${e.lon.toFixed(6)}\t${e.lat.toFixed(6)}\t${e.lsoaCode ?? ''}`).join('\n');
}

function decode(text: string): PostcodeEntry[] {
  if (!text) return [];
  return text.split('\n').map((line) => {
    const [postcode, lon, lat, lsoa] = line.split('\t') as [string, string, string, string | undefined];
    return { postcode, lon: Number(lon), lat: Number(lat), lsoaCode: lsoa ? lsoa : null };
  });
}

/** The outward code of a postcode as stored ("NG1 5DT" → "NG1"). */
export function outwardOf(postcode: string): string {
  return postcode.slice(0, postcode.indexOf(' '));
}

/**
 * A dataset's postcodes in DynamoDB (keys.postcode*): chunks of up to POSTCODE_CHUNK_SIZE postcodes per outward code
 * and version, and one pointer item naming the current version with each district's count and box.
 *
 * A replacement is crash-safe the way crime months are: the new version's chunks are written under a version id (a
 * digest of the postcodes, so a retry writes the same keys) beside the current ones, the pointer is flipped to it in
 * one write, and only then are other versions' chunks deleted. Readers follow the pointer, so they see the old set or
 * the new one, whole (a read that does not add up to the pointer's count for its district is made again); a run that
 * dies before the flip leaves the old set in place, and its chunks are deleted by a later replacement.
 *
 * Two replacements at once (two imports of one dataset) never delete the live set: a run names itself on the pointer
 * (`writing`) before it writes chunks, flips only if the pointer is still at the version it started from (a
 * ConditionExpression on a plain UpdateItem, which the embedded store supports too: no transaction), and a run that
 * lost fails with a clear error after deleting only its own chunks. A clean-up deletes only chunks of versions that
 * are neither the pointer's current one (read again after listing the chunks), nor its own, nor of a run still named
 * as writing (runs named for longer than POSTCODE_RUN_EXPIRY_MS are taken for dead, and may no longer flip).
 */
export class DynamoPostcodeRepository implements PostcodeRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly retry: RetryPolicy;
  private readonly batchRetry: RetryPolicy;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { retry?: RetryPolicy; batchRetry?: RetryPolicy } = {},
  ) {
    this.retry = options.retry ?? DEFAULT_REFERENCE_RETRY;
    this.batchRetry = options.batchRetry ?? DEFAULT_BATCH_RETRY;
    this.client = retryingClient(doc, this.retry);
  }

  async replacePostcodes(datasetId: string, entries: readonly PostcodeEntry[], importedAt: string): Promise<void> {
    const byOutward = new Map<string, PostcodeEntry[]>();
    for (const e of entries) {
      const outward = outwardOf(e.postcode);
      if (!OUTWARD.test(outward)) throw new Error(`postcode "${e.postcode}" is not written as "<outward> <inward>" (e.g. "NG1 5DT")`);
      let list = byOutward.get(outward);
      if (!list) byOutward.set(outward, (list = []));
      list.push(e);
    }
    const outwards = [...byOutward.keys()].sort();
    const hash = createHash('sha256');
    for (const o of outwards) {
      const list = byOutward.get(o)!.sort((a, b) => a.postcode.localeCompare(b.postcode));
      hash.update(encode(list)).update('\n');
    }
    const version = hash.digest('hex').slice(0, 16);
    const started = await this.readPointer(datasetId);
    if (started?.version !== version) {
      const expected = started?.version ?? null;
      const run = `${version}|${Date.now()}|${randomUUID()}`;
      // 1. This run is named on the pointer, so that no other run's clean-up deletes its chunks while it writes them.
      //    Only while the pointer is still at the version this run started from: else another run flipped meanwhile.
      await this.update(datasetId, 'ADD #writing :run', this.pointerAt(expected), { '#writing': 'writing' }, { ':run': new Set([run]) }).catch((err: unknown) => {
        throw isConditionFailure(err) ? this.conflict(datasetId, expected) : err;
      });
      const chunkKeys: { pk: string; sk: string }[] = [];
      const writes = [];
      const districts: PostcodeDistrict[] = [];
      for (const outward of outwards) {
        const list = byOutward.get(outward)!;
        for (let i = 0, chunk = 0; i < list.length; i += POSTCODE_CHUNK_SIZE, chunk++) {
          const key = keys.postcodeChunk(datasetId, version, outward, chunk);
          chunkKeys.push(key);
          writes.push(put({ ...key, entries: encode(list.slice(i, i + POSTCODE_CHUNK_SIZE)) }));
        }
        let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
        for (const p of list) {
          w = Math.min(w, p.lon);
          s = Math.min(s, p.lat);
          e = Math.max(e, p.lon);
          n = Math.max(n, p.lat);
        }
        districts.push({ outward, count: list.length, bbox: [w, s, e, n] });
      }
      // 2. The chunks, under this version, beside the current ones.
      await batchWrite(this.doc, this.tableName, writes, 4, this.batchRetry);
      // 3. The flip: only from the version this run started from, and only while this run is still named (a run named
      //    so long ago that a clean-up took it for dead may have lost chunks).
      const flipped = await this.flip(datasetId, expected, run, { version, importedAt, districts: JSON.stringify(districts) });
      if (!flipped) {
        const now = await this.readPointer(datasetId);
        if (now?.version !== version) {
          // Lost the race: this run's chunks go (unless another run is writing the very same set), the live set stays.
          const sameSetWriting = [...(now?.writing ?? [])].some((r) => r !== run && r.startsWith(`${version}|`));
          if (!sameSetWriting) await batchWrite(this.doc, this.tableName, chunkKeys.map((k) => del(k)), 4, this.batchRetry);
          await this.forget(datasetId, [run]);
          throw this.conflict(datasetId, expected, now?.version ?? null);
        }
        // Another run flipped to the same set: it is live, so this run's work is done.
        await this.forget(datasetId, [run]);
      }
    }
    // 4. Clean-up: the chunks are listed first and the pointer read after, so a run that starts after this read writes
    //    its chunks after the listing; chunks of the current version, of this run and of runs still writing are kept.
    const stale = await queryAll<{ pk: string; sk: string }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': keys.postcodePk(datasetId), ':v': keys.postcodeChunkPrefix },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    const now = await this.readPointer(datasetId);
    const cutoff = Date.now() - POSTCODE_RUN_EXPIRY_MS;
    const writing = [...(now?.writing ?? [])];
    const done = writing.filter((r) => runVersion(r) === now?.version || runStarted(r) < cutoff);
    const keep = new Set([version, ...(now?.version ? [now.version] : []), ...writing.filter((r) => !done.includes(r)).map(runVersion)]);
    const deletes = stale.filter((i) => !keep.has(i.sk.split('#')[1]!)).map((i) => del({ pk: i.pk, sk: i.sk }));
    if (deletes.length > 0) await batchWrite(this.doc, this.tableName, deletes, 4, this.batchRetry);
    // Runs that are finished (their set is live) or given up for dead are taken off the pointer.
    if (done.length > 0) await this.forget(datasetId, done);
  }

  async postcodeDistricts(datasetId: string): Promise<PostcodeDistrict[]> {
    const p = await this.pointer(datasetId);
    return p ? (JSON.parse(p.districts) as PostcodeDistrict[]) : [];
  }

  async postcodesIn(datasetId: string, outward: string): Promise<PostcodeEntry[]> {
    const wanted = outward.toUpperCase();
    if (!OUTWARD.test(wanted)) return [];
    // A replacement may flip the pointer and delete the old chunks between our two reads, and a query may see part of
    // a district while its chunks are deleted: what is read must add up to the pointer's count, else it is read again.
    let last = { read: 0, count: 0 };
    for (let attempt = 0; attempt < POSTCODE_READ_ATTEMPTS; attempt++) {
      const p = await this.pointer(datasetId);
      if (!p) return [];
      const district = (JSON.parse(p.districts) as PostcodeDistrict[]).find((d) => d.outward === wanted);
      if (!district) return [];
      const items = await queryAll<{ entries: string }>(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.postcodePk(datasetId), ':prefix': keys.postcodeDistrictPrefix(p.version, wanted) },
        ConsistentRead: true,
      });
      const found = items.flatMap((i) => decode(i.entries));
      if (found.length === district.count) return found.sort((a, b) => a.postcode.localeCompare(b.postcode));
      last = { read: found.length, count: district.count };
      if (attempt + 1 < POSTCODE_READ_ATTEMPTS) await sleep(20 * 2 ** attempt);
    }
    throw new Error(
      `dataset "${datasetId}": the postcodes of ${wanted} read ${last.read.toLocaleString('en-GB')} of the ${last.count.toLocaleString('en-GB')} its pointer counts, ${POSTCODE_READ_ATTEMPTS} times; the stored postcodes may be damaged (import the postcode file again)`,
    );
  }

  /** The pointer when it names a version (an item holding only runs still writing names none). */
  private async pointer(datasetId: string): Promise<(PostcodePointer & { version: string; districts: string }) | null> {
    const p = await this.readPointer(datasetId);
    return p?.version && p.districts ? (p as PostcodePointer & { version: string; districts: string }) : null;
  }

  private async readPointer(datasetId: string): Promise<PostcodePointer | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.postcodePointer(datasetId), ConsistentRead: true }));
    return (out.Item as PostcodePointer | undefined) ?? null;
  }

  /** The condition "the pointer is still at `expected`" (none: no version yet). */
  private pointerAt(expected: string | null): { condition: string; names: Record<string, string>; values: Record<string, unknown> } {
    return expected === null
      ? { condition: 'attribute_not_exists(#version)', names: { '#version': 'version' }, values: {} }
      : { condition: '#version = :expected', names: { '#version': 'version' }, values: { ':expected': expected } };
  }

  /**
   * Flips the pointer to this run's version; false when the condition failed (the pointer moved, or this run was taken
   * off it). A flip whose answer was lost is sent again only after the pointer is read: it may have landed.
   */
  private async flip(datasetId: string, expected: string | null, run: string, to: { version: string; importedAt: string; districts: string }): Promise<boolean> {
    const at = this.pointerAt(expected);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.update(
          datasetId,
          'SET #version = :version, #importedAt = :importedAt, #districts = :districts DELETE #writing :run',
          { condition: `${at.condition} AND contains(#writing, :runName)`, names: at.names, values: at.values },
          { '#importedAt': 'importedAt', '#districts': 'districts', '#writing': 'writing' },
          { ':version': to.version, ':importedAt': to.importedAt, ':districts': to.districts, ':run': new Set([run]), ':runName': run },
        );
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        if (!isTransient(err) || attempt >= this.retry.attempts) throw err;
        if ((await this.readPointer(datasetId))?.version === to.version) return true;
        await sleep(backoffMs(attempt, this.retry));
      }
    }
  }

  /** Takes runs off the pointer (finished, given up, or this run after losing): a no-op for runs not on it. */
  private async forget(datasetId: string, runs: string[]): Promise<void> {
    await this.update(datasetId, 'DELETE #writing :runs', null, { '#writing': 'writing' }, { ':runs': new Set(runs) });
  }

  private async update(
    datasetId: string,
    expression: string,
    at: { condition: string; names: Record<string, string>; values: Record<string, unknown> } | null,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<void> {
    const allValues = { ...values, ...(at?.values ?? {}) };
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.postcodePointer(datasetId),
        UpdateExpression: expression,
        ...(at && { ConditionExpression: at.condition }),
        ExpressionAttributeNames: { ...names, ...(at?.names ?? {}) },
        ...(Object.keys(allValues).length > 0 && { ExpressionAttributeValues: allValues }),
      }),
    );
  }

  private conflict(datasetId: string, expected: string | null, now?: string | null): Error {
    return Object.assign(
      new Error(
        `dataset "${datasetId}": another postcode import replaced the postcodes while this one ran (they were at ${expected ?? 'none'} when it started${now !== undefined ? `, now ${now ?? 'none'}` : ''}); this run's postcodes were not applied and its chunks were removed: import them again once the other import has finished`,
      ),
      { name: 'PostcodeReplaceConflict' },
    );
  }
}
