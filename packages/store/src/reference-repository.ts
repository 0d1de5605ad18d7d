import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { UNPLACED_LSOA, UNPLACED_PARTITION, isUnplacedPartition, type CrimeBlock, type CrimeBlockFilter, type CrimePartition, type MonthlyCounts, type ReferenceRepository } from '@safer-places/domain';
import type { AreaGeometry, DatasetSummary, Lsoa, Month } from '@safer-places/schemas';
import { DEFAULT_BATCH_RETRY, batchWrite, del, put } from './batch';
import { countBlocks, decodeCounts, decodeCrimeItems, encodeCrimePartition, encodePartitionCounts, type CountsItem, type CrimeChunkItem } from './crime-codec';
import { keys, type Key } from './keys';
import { decodeLsoaPack, encodeLsoaPack, inLsoaOrder } from './lsoa-pack';
import { READ_CONCURRENCY, concurrencyLimit, queryAll } from './query';
import { isConditionFailure, retryingClient, withRetry, type RetryPolicy } from './retry';

/** One piece of a packed copy of a dataset's LSOAs (keys.lsoaPackPiece): under DynamoDB's 400 KB item limit. */
export const LSOA_PACK_PIECE_BYTES = 350_000;

/** Keeps a single LSOA item far below DynamoDB's 400 KB item limit; importers simplify larger boundaries for display. */
export const MAX_LSOA_GEOMETRY_BYTES = 300_000;
/** Same bound for dataset documents (lookups, import reports). */
export const MAX_DOCUMENT_BYTES = 350_000;

interface LsoaItem extends Omit<Lsoa, 'geometry'> {
  pk: string;
  sk: string;
  geometry: string;
}

export interface ReferenceRepositoryOptions {
  /** Reads and unconditional puts that meet throttling or a timeout are sent again (they are idempotent). */
  retry?: RetryPolicy;
  /** Batch writes (crimes, LSOAs): tries in a row without progress before giving up. */
  batchRetry?: RetryPolicy;
}

/**
 * The bounds the LSOA codes are read between: English codes run E01000001–E0103xxxx, so 5,000 codes a range, with
 * everything before the first bound (none in practice) and after the last (Welsh W01…, anything else) in the outer two.
 * The bounds are shorter than any code, so each code falls in exactly one range.
 */
export const LSOA_CODE_BOUNDS = ['E01005', 'E01010', 'E01015', 'E01020', 'E01025', 'E01030', 'E01035'];

/** Sort-key conditions covering every string once, in order: below the first bound, between bounds, from the last on. */
function lsoaCodeRanges(): { condition: string; values: Record<string, string> }[] {
  const b = LSOA_CODE_BOUNDS;
  return [
    { condition: 'sk < :hi', values: { ':hi': b[0]! } },
    ...b.slice(0, -1).map((lo, i) => ({ condition: 'sk BETWEEN :lo AND :hi', values: { ':lo': lo, ':hi': b[i + 1]! } })),
    { condition: 'sk >= :lo', values: { ':lo': b.at(-1)! } },
  ];
}

/** Whether a packed copy's pieces are all there, in order, for `count` LSOAs (`pieceKey`: the format's key of piece i). */
function packWhole(pieces: readonly { sk: string; of: number; count: number }[], count: number, pieceKey: (i: number) => string): boolean {
  const of = pieces[0]?.of;
  if (!of || pieces.length !== of) return false;
  return pieces.every((p, i) => p.of === of && p.count === count && p.sk === pieceKey(i));
}

/** Reference data is read by the API and written by imports; both wait out short throttling rather than fail. */
export const DEFAULT_REFERENCE_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 25, maxDelayMs: 500 };

const READ_ATTEMPTS = 5;

/**
 * A partition's version id: a digest of the partition's name and of its crimes in the month, so writing the same crimes
 * again writes the same keys (a retry writes nothing new), and other crimes are a new version whose chunks never
 * overwrite the current ones.
 */
export function partitionVersion(partition: CrimePartition, blocks: CrimeBlock[]): string {
  const hash = createHash('sha256').update(partition).update('\t');
  for (const b of [...blocks].sort((x, y) => x.lsoaCode.localeCompare(y.lsoaCode))) hash.update(JSON.stringify(b)).update('\n');
  return hash.digest('hex').slice(0, 16);
}

/**
 * A month's version id as the store wrote it before each partition had its own (a digest of its crimes and of the
 * partition each block is stored in). Kept for tests that write months of that layout.
 */
export function monthVersion(blocks: CrimeBlock[], partitionOf?: (lsoaCode: string) => CrimePartition): string {
  const hash = createHash('sha256');
  for (const b of [...blocks].sort((x, y) => x.lsoaCode.localeCompare(y.lsoaCode))) {
    if (partitionOf) hash.update(partitionOf(b.lsoaCode)).update('\t');
    hash.update(JSON.stringify(b)).update('\n');
  }
  return hash.digest('hex').slice(0, 16);
}

/** A partition name is part of a key: a district code, UNPLACED_PARTITION (or a force's), NO_DISTRICT_PARTITION (crime.ts). */
const PARTITION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * A month's pointer item (keys.crimeVersion). Without `partitions` the month is in a legacy layout (`version`: its
 * version, absent for the unversioned one).
 */
interface CrimePointer {
  /** The version of every partition without an entry in `versions` (a month written before partitions had their own). */
  version?: string;
  /** Partition → crimes of its current version. */
  partitions?: Record<CrimePartition, number>;
  /** Partition → its current version. */
  versions?: Record<CrimePartition, string>;
  /** Every partition a run wrote for the month since the last clean-up (a string set). */
  touched?: Set<CrimePartition>;
}

type PartitionedPointer = CrimePointer & { partitions: Record<string, number> };

const isPartitioned = (p: CrimePointer | undefined | null): p is PartitionedPointer => !!p && p.partitions !== undefined && p.partitions !== null;

/** The current version of a partition of a partitioned month (undefined: the month has no such partition). */
const versionOf = (p: PartitionedPointer, partition: CrimePartition): string | undefined =>
  Object.prototype.hasOwnProperty.call(p.partitions, partition) ? (p.versions?.[partition] ?? p.version) : undefined;

/** What a read depends on: every partition's version (or the legacy version). */
const signature = (p: CrimePointer | undefined | null): string =>
  !p ? '' : isPartitioned(p) ? Object.keys(p.partitions).sort().map((q) => `${q}=${versionOf(p, q)}`).join(',') : `legacy=${p.version ?? ''}`;

const sameVersions = (a: Map<string, CrimePointer>, b: Map<string, CrimePointer>) => a.size === b.size && [...a].every(([m, p]) => signature(b.get(m)) === signature(p));

/** Whether a stored partition is wanted: named, or unplaced when UNPLACED_PARTITION is named (crime.ts). */
const wants = (wanted: Set<CrimePartition> | null, p: CrimePartition) => !wanted || wanted.has(p) || (isUnplacedPartition(p) && wanted.has(UNPLACED_PARTITION));

/** Thrown for a partial replacement of a month stored before partitions. */
const legacyMonth = (datasetId: string, month: Month) =>
  new Error(`dataset ${datasetId}, month ${month}: stored in the layout before partitions, so some of its partitions cannot be replaced alone; replace the month whole first (replaceCrimeMonth, e.g. an import of the whole dataset)`);

export class DynamoReferenceRepository implements ReferenceRepository {
  /** The same client with retries for idempotent commands; every call here but batch writes goes through it. */
  private readonly client: DynamoDBDocumentClient;
  private readonly batchRetry: RetryPolicy;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: ReferenceRepositoryOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_REFERENCE_RETRY;
    this.client = retryingClient(doc, this.retry);
    this.batchRetry = options.batchRetry ?? DEFAULT_BATCH_RETRY;
  }

  async listDatasets(): Promise<DatasetSummary[]> {
    const items = await queryAll<{ summary: DatasetSummary }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.datasetsPk },
    });
    return items.map((i) => i.summary);
  }

  async getDataset(datasetId: string): Promise<DatasetSummary | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.dataset(datasetId) }));
    return (out.Item?.summary as DatasetSummary | undefined) ?? null;
  }

  async putDataset(summary: DatasetSummary): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.dataset(summary.id), summary } }));
  }

  async putDatasetIf(summary: DatasetSummary, expectedVersion: string | null): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.dataset(summary.id), summary },
          ConditionExpression: expectedVersion === null ? 'attribute_not_exists(pk)' : '#summary.#version = :version',
          ...(expectedVersion !== null && { ExpressionAttributeNames: { '#summary': 'summary', '#version': 'version' }, ExpressionAttributeValues: { ':version': expectedVersion } }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * Every LSOA of the dataset, in code order. England's 33,755 are ~15 MB: read as one Query that is ~15 pages one after
   * another, so the item collection is read as {@link LSOA_CODE_RANGES} ranges of codes in parallel (at most
   * READ_CONCURRENCY at once), each to the end of its pages, and joined in order.
   */
  async listLsoas(datasetId: string, read: { pack?: { version: string; count: number }; consistent?: boolean } = {}): Promise<Lsoa[]> {
    if (read.pack) {
      const packed = await this.readLsoaPack(datasetId, read.pack.version, read.pack.count);
      if (packed) return packed;
    }
    const limit = concurrencyLimit(READ_CONCURRENCY);
    const pk = keys.lsoaPk(datasetId);
    const ranges = lsoaCodeRanges();
    const parts = await Promise.all(
      ranges.map((range) =>
        limit(() =>
          queryAll<LsoaItem>(this.client, {
            TableName: this.tableName,
            KeyConditionExpression: `pk = :pk AND ${range.condition}`,
            ExpressionAttributeValues: { ':pk': pk, ...range.values },
            ...(read.consistent && { ConsistentRead: true }),
          }),
        ),
      ),
    );
    const seen = new Set<string>();
    const out: Lsoa[] = [];
    for (const items of parts) {
      for (const { pk: _pk, sk, geometry, ...rest } of items) {
        // A code equal to a range's bound is in both ranges it closes (no real LSOA code is: they are 9 characters).
        if (seen.has(sk)) continue;
        seen.add(sk);
        out.push(inLsoaOrder({ ...rest, geometry: JSON.parse(geometry) as AreaGeometry }));
      }
    }
    return out;
  }

  async putLsoaPack(datasetId: string, version: string, lsoas: Lsoa[]): Promise<void> {
    const bytes = encodeLsoaPack(lsoas);
    const of = Math.max(1, Math.ceil(bytes.length / LSOA_PACK_PIECE_BYTES));
    const pieces = Array.from({ length: of }, (_, i) =>
      put({ ...keys.lsoaPackPiece(datasetId, version, i), of, count: lsoas.length, data: bytes.subarray(i * LSOA_PACK_PIECE_BYTES, (i + 1) * LSOA_PACK_PIECE_BYTES) }),
    );
    await batchWrite(this.doc, this.tableName, pieces, 4, this.batchRetry);
  }

  async hasLsoaPack(datasetId: string, version: string, count: number): Promise<boolean> {
    const pieces = await queryAll<{ sk: string; of: number; count: number }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :version)',
      ExpressionAttributeValues: { ':pk': keys.lsoaPackPk(datasetId), ':version': keys.lsoaPackVersionPrefix(version) },
      ExpressionAttributeNames: { '#of': 'of', '#count': 'count' },
      ProjectionExpression: 'sk, #of, #count',
      ConsistentRead: true,
    });
    return packWhole(pieces, count, (i) => keys.lsoaPackPiece(datasetId, version, i).sk);
  }

  async deleteLsoaPacks(datasetId: string, keep: readonly string[]): Promise<void> {
    const items = await queryAll<{ pk: string; sk: string }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.lsoaPackPk(datasetId) },
      ProjectionExpression: 'pk, sk',
    });
    // A kept version's copy in the earlier format stays too: an API instance of the previous release (during a deploy,
    // or after a rollback) reads only that one, and would otherwise read every LSOA item until an import wrote it again.
    const kept = keep.flatMap((v) => [keys.lsoaPackVersionPrefix(v), keys.legacyLsoaPackVersionPrefix(v)]);
    const gone = items.filter((i) => !kept.some((prefix) => i.sk.startsWith(prefix)));
    await batchWrite(this.doc, this.tableName, gone.map((i) => del({ pk: i.pk, sk: i.sk })), 4, this.batchRetry);
  }

  /**
   * The packed LSOAs of a version, or null when they are not there whole (missing, partly written or deleted, or not
   * `count`): the current format's copy, else one an earlier version wrote (until the next import replaces it).
   */
  private async readLsoaPack(datasetId: string, version: string, count: number): Promise<Lsoa[] | null> {
    return (
      (await this.readPackPieces(datasetId, count, keys.lsoaPackVersionPrefix(version), (i) => keys.lsoaPackPiece(datasetId, version, i).sk)) ??
      (await this.readPackPieces(datasetId, count, keys.legacyLsoaPackVersionPrefix(version), (i) => keys.legacyLsoaPackPiece(datasetId, version, i).sk))
    );
  }

  private async readPackPieces(datasetId: string, count: number, prefix: string, pieceKey: (i: number) => string): Promise<Lsoa[] | null> {
    const pieces = await queryAll<{ sk: string; of: number; count: number; data: Uint8Array }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :version)',
      ExpressionAttributeValues: { ':pk': keys.lsoaPackPk(datasetId), ':version': prefix },
    });
    if (!packWhole(pieces, count, pieceKey)) return null;
    try {
      const lsoas = decodeLsoaPack(Buffer.concat(pieces.map((p) => p.data)));
      return Array.isArray(lsoas) && lsoas.length === count ? lsoas : null;
    } catch {
      return null;
    }
  }

  async putLsoas(datasetId: string, lsoas: Lsoa[]): Promise<void> {
    const requests = lsoas.map((l) => {
      const geometry = JSON.stringify(l.geometry);
      if (geometry.length > MAX_LSOA_GEOMETRY_BYTES) {
        throw new Error(`LSOA ${l.code}: boundary is ${geometry.length} bytes; simplify it below ${MAX_LSOA_GEOMETRY_BYTES}`);
      }
      return put({ ...keys.lsoa(datasetId, l.code), ...l, geometry });
    });
    await batchWrite(this.doc, this.tableName, requests, 4, this.batchRetry);
  }

  async deleteLsoas(datasetId: string, codes: string[]): Promise<void> {
    // Deletes by key: sending a batch again after a lost answer changes nothing.
    await batchWrite(this.doc, this.tableName, codes.map((code) => del(keys.lsoa(datasetId, code))), 4, this.batchRetry);
  }

  /**
   * Replaces the whole month: its partitions become those of the blocks given, and every other partition of the month
   * (and the legacy layout's items) goes. The same steps as replaceCrimePartitions, but the flip sets the month's
   * partitions and versions whole (one UpdateItem) and the clean-up looks at every partition the month ever had.
   */
  async replaceCrimeMonth(datasetId: string, month: Month, blocks: CrimeBlock[], partitionOf: (lsoaCode: string) => CrimePartition): Promise<void> {
    await this.replace(datasetId, month, null, blocks, partitionOf);
  }

  /**
   * Replaces some partitions of a month so that readers never see one half-written, safe to retry and to run again
   * after a failure, and safe beside another run replacing other partitions of the same month:
   * 1. the partitions about to be written are added to the month's pointer item (`touched`, a string set: an update
   *    that leaves the partitions' versions alone, so readers go on reading the current ones), so that whatever this
   *    run leaves behind, however it ends, the clean-up knows where to look;
   * 2. each partition's chunks and counts are written under a version id of its own (a digest of its crimes, so a run
   *    sent again writes the same keys; a partition already at that version is not written at all), beside the
   *    current version;
   * 3. the pointer is flipped: one UpdateItem that SETs `partitions.<p>` (crimes) and `versions.<p>` of the partitions
   *    written and REMOVEs those of the partitions named that now hold nothing, and touches no other entry, so two runs
   *    flipping other partitions at the same moment never overwrite each other; from then on readers read them;
   * 4. every other item of the partitions named (other versions, or all of a partition removed) is deleted, found by
   *    fresh queries, and the partitions removed are taken off `touched`; a run that dies before this step leaves them
   *    to the next replacement (readers ignore them meanwhile).
   */
  async replaceCrimePartitions(datasetId: string, month: Month, partitions: readonly CrimePartition[], blocks: CrimeBlock[], partitionOf: (lsoaCode: string) => CrimePartition): Promise<void> {
    for (const p of partitions) if (!PARTITION_NAME.test(p)) throw new Error(`partition ${JSON.stringify(p)} is not a valid partition name (a letter or digit, then letters, digits, "_", "-", "."; at most 64)`);
    await this.replace(datasetId, month, new Set(partitions), blocks, partitionOf);
  }

  /** replaceCrimeMonth (named: null) or replaceCrimePartitions. */
  private async replace(datasetId: string, month: Month, named: Set<CrimePartition> | null, blocks: CrimeBlock[], partitionOf: (lsoaCode: string) => CrimePartition): Promise<void> {
    const partitionOfCode = new Map<string, CrimePartition>();
    const groups = new Map<CrimePartition, CrimeBlock[]>();
    for (const b of blocks) {
      if (b.month !== month) throw new Error(`a block of ${b.month} passed to replace crimes of ${month}`);
      let p = partitionOfCode.get(b.lsoaCode);
      if (p === undefined) {
        p = partitionOf(b.lsoaCode);
        if (!PARTITION_NAME.test(p)) throw new Error(`LSOA ${b.lsoaCode}: partition ${JSON.stringify(p)} is not a valid partition name (a letter or digit, then letters, digits, "_", "-", "."; at most 64)`);
        if (named && !named.has(p)) throw new Error(`LSOA ${b.lsoaCode}: its partition ${p} is not among the partitions being replaced (${[...named].sort().join(', ')})`);
        partitionOfCode.set(b.lsoaCode, p);
      }
      let group = groups.get(p);
      if (!group) groups.set(p, (group = []));
      group.push(b);
    }
    const pointerKey = keys.crimeVersion(datasetId, month);
    const before = await this.pointer(datasetId, month);
    if (named && !isPartitioned(before) && (before?.version !== undefined || (await this.hasItems(keys.crimeMonthPk(datasetId, month), keys.crimeChunkVersionPrefix(null))))) {
      throw legacyMonth(datasetId, month);
    }

    const sizes: Record<CrimePartition, number> = {};
    const versions: Record<CrimePartition, string> = {};
    const toWrite: CrimePartition[] = [];
    const chunkItems: Record<string, unknown>[] = [];
    const countItems: Record<string, unknown>[] = [];
    for (const [partition, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const version = partitionVersion(partition, group);
      sizes[partition] = group.reduce((n, b) => n + b.crimes.length, 0);
      versions[partition] = version;
      // Already current (a run sent again, or crimes that did not change): nothing to write or flip.
      if (isPartitioned(before) && versionOf(before, partition) === version) continue;
      toWrite.push(partition);
      chunkItems.push(...(encodeCrimePartition(datasetId, month, partition, version, group) as unknown as Record<string, unknown>[]));
      countItems.push(...(encodePartitionCounts(datasetId, month, partition, version, countBlocks(group)) as unknown as Record<string, unknown>[]));
    }
    const current = isPartitioned(before) ? Object.keys(before.partitions) : [];
    // Partitions the month has now and will not have: removed by the flip.
    const toRemove = current.filter((p) => !groups.has(p) && (!named || named.has(p))).sort();

    if (named) {
      // The maps are created (if absent) with the touched set, so the flip can set entries of them.
      await this.update({
        Key: pointerKey,
        UpdateExpression: `SET #partitions = if_not_exists(#partitions, :empty), #versions = if_not_exists(#versions, :empty)${toWrite.length > 0 ? ' ADD #touched :parts' : ''}`,
        ConditionExpression: 'attribute_exists(#partitions) OR attribute_not_exists(#version)',
        ExpressionAttributeNames: { '#partitions': 'partitions', '#versions': 'versions', '#version': 'version', ...(toWrite.length > 0 && { '#touched': 'touched' }) },
        ExpressionAttributeValues: { ':empty': {}, ...(toWrite.length > 0 && { ':parts': new Set(toWrite) }) },
      }).catch((err: unknown) => {
        throw isConditionFailure(err) ? legacyMonth(datasetId, month) : err;
      });
    } else if (toWrite.length > 0) {
      await this.update({ Key: pointerKey, UpdateExpression: 'ADD #touched :parts', ExpressionAttributeNames: { '#touched': 'touched' }, ExpressionAttributeValues: { ':parts': new Set(toWrite) } });
    }
    await batchWrite(this.doc, this.tableName, chunkItems.map(put), 4, this.batchRetry);
    await batchWrite(this.doc, this.tableName, countItems.map(put), 4, this.batchRetry);

    if (!named) {
      // The whole month at once: its maps replaced, the version of the layout before per-partition versions dropped.
      const whole = isPartitioned(before) && before.version === undefined && toWrite.length === 0 && toRemove.length === 0;
      if (!whole) {
        await this.update({
          Key: pointerKey,
          UpdateExpression: 'SET #partitions = :partitions, #versions = :versions REMOVE #version',
          ExpressionAttributeNames: { '#partitions': 'partitions', '#versions': 'versions', '#version': 'version' },
          ExpressionAttributeValues: { ':partitions': sizes, ':versions': versions },
        });
      }
      await this.removeStaleCrimeVersions(datasetId, month);
      return;
    }
    if (toWrite.length > 0 || toRemove.length > 0) {
      const names: Record<string, string> = { '#partitions': 'partitions', '#versions': 'versions' };
      const values: Record<string, unknown> = {};
      const set: string[] = [];
      const remove: string[] = [];
      toWrite.forEach((p, i) => {
        names[`#s${i}`] = p;
        values[`:n${i}`] = sizes[p];
        values[`:v${i}`] = versions[p];
        set.push(`#partitions.#s${i} = :n${i}`, `#versions.#s${i} = :v${i}`);
      });
      toRemove.forEach((p, i) => {
        names[`#r${i}`] = p;
        remove.push(`#partitions.#r${i}`, `#versions.#r${i}`);
      });
      await this.update({
        Key: pointerKey,
        UpdateExpression: [set.length > 0 ? `SET ${set.join(', ')}` : '', remove.length > 0 ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean).join(' '),
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
      });
    }
    await this.cleanPartitions(datasetId, month, named);
  }

  /**
   * Deletes every item of the month that is not of its current version (nothing for a month without a pointer): in a
   * partitioned month, other versions' items in every partition the pointer's `touched` names or the month has, items of
   * partitions the month does not have, and every item of the legacy layout; then takes the partitions cleaned off
   * `touched`.
   */
  async removeStaleCrimeVersions(datasetId: string, month: Month): Promise<void> {
    const pointer = await this.pointer(datasetId, month);
    if (!pointer) return;
    if (!isPartitioned(pointer)) {
      if (pointer.version === undefined) return;
      // A month of the legacy versioned layout (written before partitions): its other versions.
      const version = pointer.version;
      const limit = concurrencyLimit(READ_CONCURRENCY);
      const chunkPrefix = keys.crimeChunkVersionPrefix(version);
      const [legacyChunks, legacyCounts] = await Promise.all([
        limit(() => this.keysIn(keys.crimeMonthPk(datasetId, month))),
        limit(() => this.keysIn(keys.countsPk(datasetId), keys.countsMonthPrefix(month))),
      ]);
      const stale = [...legacyChunks.filter((c) => !c.sk.startsWith(chunkPrefix)), ...legacyCounts.filter((c) => !keys.countsOfVersion(c.sk, month, version))];
      await batchWrite(this.doc, this.tableName, stale.map((k) => del({ pk: k.pk, sk: k.sk })), 4, this.batchRetry);
      return;
    }
    await this.cleanPartitions(datasetId, month, null, pointer);
  }

  /**
   * The clean-up of a partitioned month: in the partitions `only` names (every partition `touched` names or the month
   * has, and the legacy layout's items, without it), every item not of the partition's current version.
   */
  private async cleanPartitions(datasetId: string, month: Month, only: Set<CrimePartition> | null, known?: PartitionedPointer): Promise<void> {
    const pointer = known ?? (await this.pointer(datasetId, month));
    if (!isPartitioned(pointer)) return;
    const limit = concurrencyLimit(READ_CONCURRENCY);
    const stale: Key[] = [];
    if (!only) {
      const [legacyChunks, legacyCounts] = await Promise.all([
        limit(() => this.keysIn(keys.crimeMonthPk(datasetId, month))),
        limit(() => this.keysIn(keys.countsPk(datasetId), keys.countsMonthPrefix(month))),
      ]);
      stale.push(...legacyChunks, ...legacyCounts);
    }
    const current = new Set(Object.keys(pointer.partitions));
    const touched = [...(pointer.touched ?? [])];
    const scan = only ? [...only].sort() : [...new Set([...touched, ...current])].sort();
    const found = await Promise.all(
      scan.map(async (p) => {
        const [chunks, counts] = await Promise.all([
          limit(() => this.keysIn(keys.crimePartitionPk(datasetId, month, p))),
          limit(() => this.keysIn(keys.countsPartitionPk(datasetId, p), keys.countsMonthPrefix(month))),
        ]);
        const version = versionOf(pointer, p);
        if (version === undefined) return [...chunks, ...counts];
        const chunkPrefix = keys.crimeChunkVersionPrefix(version);
        return [...chunks.filter((c) => !c.sk.startsWith(chunkPrefix)), ...counts.filter((c) => !keys.countsOfVersion(c.sk, month, version))];
      }),
    );
    for (const f of found) stale.push(...f);
    // Deletes by key: sending a batch again after a lost answer changes nothing.
    await batchWrite(this.doc, this.tableName, stale.map((k) => del({ pk: k.pk, sk: k.sk })), 4, this.batchRetry);
    const cleaned = scan.filter((p) => !current.has(p) && touched.includes(p));
    if (cleaned.length > 0) {
      // Only while none of them is in the month again: a run that flipped one since cleans up after itself.
      const names: Record<string, string> = { '#touched': 'touched', '#partitions': 'partitions' };
      cleaned.forEach((p, i) => (names[`#c${i}`] = p));
      await this.update({
        Key: keys.crimeVersion(datasetId, month),
        UpdateExpression: 'DELETE #touched :cleaned',
        ConditionExpression: cleaned.map((_, i) => `attribute_not_exists(#partitions.#c${i})`).join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':cleaned': new Set(cleaned) },
      }).catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err;
      });
    }
  }

  /** The keys of a partition (with a sort key prefix), read consistently. */
  private keysIn(pk: string, skPrefix?: string): Promise<Key[]> {
    return queryAll<Key>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: skPrefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: skPrefix === undefined ? { ':pk': pk } : { ':pk': pk, ':prefix': skPrefix },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
  }

  /** Whether a partition holds any item under a sort key prefix (one item read at most). */
  private async hasItems(pk: string, skPrefix: string): Promise<boolean> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ProjectionExpression: 'pk',
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).length > 0;
  }

  /**
   * An update of a pointer item. The ones made here are idempotent (SET of fixed values, ADD and DELETE of set
   * members), so one that meets throttling or a timeout is sent again; a failed condition is not retried.
   */
  private update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<unknown> {
    return withRetry(() => this.doc.send(new UpdateCommand({ TableName: this.tableName, ...input })), this.retry);
  }

  /** The month's pointer, or null for a month stored before versions (or never stored). */
  private async pointer(datasetId: string, month: Month): Promise<CrimePointer | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.crimeVersion(datasetId, month), ConsistentRead: true }));
    return (out.Item as CrimePointer | undefined) ?? null;
  }

  /** The pointers of the months in [from, to] that have one: one query of the dataset's pointer partition. */
  private async pointers(datasetId: string, from: Month, to: Month): Promise<Map<Month, CrimePointer>> {
    const items = await queryAll<CrimePointer & { sk: string }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.crimeVersionPk(datasetId), ':from': from, ':to': to },
      // Not `touched`: only the clean-up needs it.
      ProjectionExpression: 'sk, #version, #partitions, #versions',
      ExpressionAttributeNames: { '#version': 'version', '#partitions': 'partitions', '#versions': 'versions' },
      ConsistentRead: true,
    });
    return new Map(items.map((i) => [i.sk, i]));
  }

  async crimePartitionSizes(datasetId: string, from: Month, to: Month): Promise<Map<Month, Map<CrimePartition, number>>> {
    const out = new Map<Month, Map<CrimePartition, number>>();
    for (const [month, pointer] of [...(await this.pointers(datasetId, from, to))].sort(([a], [b]) => a.localeCompare(b))) {
      if (!isPartitioned(pointer)) continue;
      // Every force's unplaced partition counts under UNPLACED_PARTITION, the name readers ask for them by.
      const sizes = new Map<CrimePartition, number>();
      for (const [p, n] of Object.entries(pointer.partitions)) {
        const name = isUnplacedPartition(p) ? UNPLACED_PARTITION : p;
        sizes.set(name, (sizes.get(name) ?? 0) + Number(n));
      }
      if (sizes.size > 0) out.set(month, new Map([...sizes].sort(([a], [b]) => a.localeCompare(b))));
    }
    return out;
  }

  /**
   * Counts of the months in [from, to] with data, in month order. A partitioned month is read from the partitions named
   * (or all of its partitions), one query per partition over the whole range, at most READ_CONCURRENCY at once; a month
   * with data has an entry even when the partitions named hold nothing in it. A month in the legacy layout (stored
   * before partitions) is read from the dataset's legacy counts partition whole, whatever partitions are named: the
   * store does not know an LSOA's district, so a caller keeps only the LSOAs of its partitions.
   */
  async getMonthlyCounts(datasetId: string, from: Month, to: Month, partitions?: readonly CrimePartition[]): Promise<MonthlyCounts[]> {
    const wanted = partitions ? new Set(partitions) : null;
    const range = keys.countsMonthRange(from, to);
    // The pointers are read before and after the counts: if a month was flipped (and its old counts perhaps deleted)
    // in between, the read is made again.
    for (let attempt = 1; ; attempt++) {
      const pointers = await this.pointers(datasetId, from, to);
      const toRead = new Set<CrimePartition>();
      for (const p of pointers.values()) if (isPartitioned(p)) for (const name of Object.keys(p.partitions)) if (wants(wanted, name)) toRead.add(name);
      const limit = concurrencyLimit(READ_CONCURRENCY);
      const rangeQuery = (pk: string) =>
        limit(() =>
          queryAll<CountsItem>(this.client, {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': pk, ':from': range.from, ':to': range.to },
            ConsistentRead: true,
          }),
        );
      const names = [...toRead].sort();
      const [legacy, ...perPartition] = await Promise.all([rangeQuery(keys.countsPk(datasetId)), ...names.map((p) => rangeQuery(keys.countsPartitionPk(datasetId, p)))]);
      const after = await this.pointers(datasetId, from, to);
      if (attempt < READ_ATTEMPTS && !sameVersions(pointers, after)) continue;

      const current = [
        ...legacy!.filter((i) => {
          const p = pointers.get(i.month);
          return !isPartitioned(p) && keys.countsOfVersion(i.sk, i.month, p?.version ?? null);
        }),
        ...perPartition.flatMap((items, k) =>
          items.filter((i) => {
            const p = pointers.get(i.month);
            const version = isPartitioned(p) ? versionOf(p, names[k]!) : undefined;
            return version !== undefined && keys.countsOfVersion(i.sk, i.month, version);
          }),
        ),
      ];
      const byMonth = decodeCounts(current);
      for (const [month, p] of pointers) if (isPartitioned(p) && Object.keys(p.partitions).length > 0 && !byMonth.has(month)) byMonth.set(month, new Map());
      return [...byMonth].sort(([a], [b]) => a.localeCompare(b)).map(([month, counts]) => ({ month, counts }));
    }
  }

  /**
   * The blocks of the months: of a partitioned month, only the partitions named (every one without `where`), one query
   * each, at most READ_CONCURRENCY store requests at once for the whole call. A month in the legacy layout is read
   * whole and filtered: by `where.lsoaCodes` when given (callers pass the LSOAs of their partitions with them), and
   * otherwise only the unplaced crimes' own partition can be told apart, so its other blocks are all returned.
   */
  async getCrimeBlocks(datasetId: string, months: Month[], where?: CrimeBlockFilter): Promise<CrimeBlock[]> {
    const wanted = where ? new Set(where.partitions) : null;
    const codes = where?.lsoaCodes ? new Set(where.lsoaCodes) : undefined;
    const limit = concurrencyLimit(READ_CONCURRENCY);
    const perMonth = await Promise.all([...new Set(months)].map((month) => this.monthBlocks(datasetId, month, wanted, codes, limit)));
    return perMonth.flat();
  }

  /** One month's blocks of the partitions wanted (read again if the month was flipped meanwhile). */
  private async monthBlocks(
    datasetId: string,
    month: Month,
    wanted: Set<CrimePartition> | null,
    codes: Set<string> | undefined,
    limit: <T>(fn: () => Promise<T>) => Promise<T>,
  ): Promise<CrimeBlock[]> {
    const chunksOf = (pk: string, prefix: string) =>
      limit(() =>
        queryAll<CrimeChunkItem>(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ConsistentRead: true,
        }),
      );
    for (let attempt = 1; ; attempt++) {
      const pointer = await limit(() => this.pointer(datasetId, month));
      let items: CrimeChunkItem[];
      if (isPartitioned(pointer)) {
        const parts = Object.keys(pointer.partitions).filter((p) => wants(wanted, p)).sort();
        items = (await Promise.all(parts.map((p) => chunksOf(keys.crimePartitionPk(datasetId, month, p), keys.crimeChunkVersionPrefix(versionOf(pointer, p)!))))).flat();
      } else {
        items = await chunksOf(keys.crimeMonthPk(datasetId, month), keys.crimeChunkVersionPrefix(pointer?.version ?? null));
      }
      const after = await limit(() => this.pointer(datasetId, month));
      if (attempt < READ_ATTEMPTS && signature(after) !== signature(pointer)) continue;
      const blocks = decodeCrimeItems(items, codes);
      if (isPartitioned(pointer) || !wanted || codes) return blocks;
      const others = [...wanted].some((p) => p !== UNPLACED_PARTITION);
      return blocks.filter((b) => (b.lsoaCode === UNPLACED_LSOA ? wanted.has(UNPLACED_PARTITION) : others));
    }
  }

  async putDocument(datasetId: string, name: string, document: unknown): Promise<void> {
    const json = JSON.stringify(document);
    if (json.length > MAX_DOCUMENT_BYTES) throw new Error(`document "${name}" is ${json.length} bytes; the limit is ${MAX_DOCUMENT_BYTES}`);
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.document(datasetId, name), json } }));
  }

  async getDocument<T>(datasetId: string, name: string): Promise<T | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.document(datasetId, name) }));
    return out.Item ? (JSON.parse(out.Item.json as string) as T) : null;
  }

  async listDocuments<T>(datasetId: string, prefix: string): Promise<{ name: string; document: T }[]> {
    const items = await queryAll<{ sk: string; json: string }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.documentsPk(datasetId), ':prefix': prefix },
    });
    return items.map((i) => ({ name: i.sk, document: JSON.parse(i.json) as T }));
  }
}
