import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CrimeBlock, MonthlyCounts, ReferenceRepository } from '@safer-places/domain';
import type { AreaGeometry, DatasetSummary, Lsoa, Month } from '@safer-places/schemas';
import { DEFAULT_BATCH_RETRY, batchWrite, del, put } from './batch';
import { countBlocks, decodeCounts, decodeCrimeItems, encodeCounts, encodeCrimeMonth, type CountsItem, type CrimeChunkItem } from './crime-codec';
import { keys } from './keys';
import { queryAll } from './query';
import { retryingClient, type RetryPolicy } from './retry';

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

/** Reference data is read by the API and written by imports; both wait out short throttling rather than fail. */
export const DEFAULT_REFERENCE_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 25, maxDelayMs: 500 };

const READ_ATTEMPTS = 5;

/** A month's version id: a digest of its crimes, so writing the same month again writes the same keys. */
export function monthVersion(blocks: CrimeBlock[]): string {
  const hash = createHash('sha256');
  for (const b of [...blocks].sort((x, y) => x.lsoaCode.localeCompare(y.lsoaCode))) hash.update(JSON.stringify(b)).update('\n');
  return hash.digest('hex').slice(0, 16);
}

const sameVersions = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([m, v]) => b.get(m) === v);

export class DynamoReferenceRepository implements ReferenceRepository {
  /** The same client with retries for idempotent commands; every call here but batch writes goes through it. */
  private readonly client: DynamoDBDocumentClient;
  private readonly batchRetry: RetryPolicy;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: ReferenceRepositoryOptions = {},
  ) {
    this.client = retryingClient(doc, options.retry ?? DEFAULT_REFERENCE_RETRY);
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

  async listLsoas(datasetId: string): Promise<Lsoa[]> {
    const items = await queryAll<LsoaItem>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.lsoaPk(datasetId) },
    });
    return items.map(({ pk: _pk, sk: _sk, geometry, ...rest }) => ({ ...rest, geometry: JSON.parse(geometry) as AreaGeometry }));
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
   * Replaces a month so that readers never see it half-written, safe to retry and to run again after a failure:
   * 1. the new month's chunks and counts are written under a new version id (a digest of its crimes, so a run sent
   *    again writes the same keys: every write is a put by key), beside the current version, which readers go on
   *    reading;
   * 2. the month's pointer item is flipped to the new version (one PutItem): from then on readers read only it;
   * 3. every other version's items of the month (the old version, unversioned items of a month stored before versions,
   *    leftovers of a run that died before its flip) are deleted, found by a fresh query, so a run that died before
   *    this step leaves them to the next replacement of the month (readers ignore them meanwhile).
   * A run that dies at any point leaves either the old month or the new one readable, whole.
   */
  async replaceCrimeMonth(datasetId: string, month: Month, blocks: CrimeBlock[]): Promise<void> {
    const version = monthVersion(blocks);
    const items = encodeCrimeMonth(datasetId, month, blocks, version);
    const countItems = encodeCounts(datasetId, month, countBlocks(blocks), version);
    await batchWrite(this.doc, this.tableName, items.map((i) => put(i as unknown as Record<string, unknown>)), 4, this.batchRetry);
    await batchWrite(this.doc, this.tableName, countItems.map((c) => put(c as unknown as Record<string, unknown>)), 4, this.batchRetry);
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.crimeVersion(datasetId, month), version } }));
    await this.removeStaleCrimeVersions(datasetId, month);
  }

  /** Deletes every item of the month that is not of its current version (nothing for a month without a pointer). */
  async removeStaleCrimeVersions(datasetId: string, month: Month): Promise<void> {
    const version = await this.currentVersion(datasetId, month);
    if (version === null) return;
    const chunkPrefix = keys.crimeChunkVersionPrefix(version);
    const chunks = await queryAll<{ pk: string; sk: string }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.crimeMonthPk(datasetId, month) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    const counts = await queryAll<{ pk: string; sk: string }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :month)',
      ExpressionAttributeValues: { ':pk': keys.countsPk(datasetId), ':month': `${month}#` },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    const stale = [...chunks.filter((c) => !c.sk.startsWith(chunkPrefix)), ...counts.filter((c) => !keys.countsOfVersion(c.sk, month, version))];
    // Deletes by key: sending a batch again after a lost answer changes nothing.
    await batchWrite(this.doc, this.tableName, stale.map((e) => del({ pk: e.pk, sk: e.sk })), 4, this.batchRetry);
  }

  /** The month's current version, or null for a month stored before versions (or never stored). */
  private async currentVersion(datasetId: string, month: Month): Promise<string | null> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.crimeVersion(datasetId, month), ConsistentRead: true }));
    return (out.Item?.version as string | undefined) ?? null;
  }

  private async currentVersions(datasetId: string, from: Month, to: Month): Promise<Map<string, string>> {
    const items = await queryAll<{ sk: string; version: string }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.crimeVersionPk(datasetId), ':from': from, ':to': to },
      ConsistentRead: true,
    });
    return new Map(items.map((i) => [i.sk, i.version]));
  }

  async getMonthlyCounts(datasetId: string, from: Month, to: Month): Promise<MonthlyCounts[]> {
    // The pointers are read before and after the counts: if a month was flipped (and its old counts perhaps deleted)
    // in between, the read is made again.
    for (let attempt = 1; ; attempt++) {
      const versions = await this.currentVersions(datasetId, from, to);
      const items = await queryAll<CountsItem>(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.countsPk(datasetId), ':from': `${from}#`, ':to': `${to}#~` },
        ConsistentRead: true,
      });
      const after = await this.currentVersions(datasetId, from, to);
      if (attempt < READ_ATTEMPTS && !sameVersions(versions, after)) continue;
      const current = items.filter((i) => keys.countsOfVersion(i.sk, i.month, versions.get(i.month) ?? null));
      return [...decodeCounts(current)].map(([month, counts]) => ({ month, counts }));
    }
  }

  async getCrimeBlocks(datasetId: string, months: Month[], lsoaCodes?: string[]): Promise<CrimeBlock[]> {
    const perMonth = await Promise.all(months.map((month) => this.currentChunks(datasetId, month)));
    return decodeCrimeItems(perMonth.flat(), lsoaCodes ? new Set(lsoaCodes) : undefined);
  }

  /** The chunks of the month's current version (read again if the month was flipped meanwhile). */
  private async currentChunks(datasetId: string, month: Month): Promise<CrimeChunkItem[]> {
    for (let attempt = 1; ; attempt++) {
      const version = await this.currentVersion(datasetId, month);
      const items = await queryAll<CrimeChunkItem>(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.crimeMonthPk(datasetId, month), ':prefix': keys.crimeChunkVersionPrefix(version) },
        ConsistentRead: true,
      });
      if (attempt < READ_ATTEMPTS && (await this.currentVersion(datasetId, month)) !== version) continue;
      return items;
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
