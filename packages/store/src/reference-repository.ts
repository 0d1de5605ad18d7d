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
   * Safe to retry and to run again after a failure, and it never leaves a crime counted twice once it returns:
   * - every write is a put or delete by key (chunk keys are CHUNK#0000.. in a fixed order; the encoding is a pure
   *   function of the blocks), so a batch sent again after a timeout that had in fact been written changes nothing;
   * - the chunks to delete are those stored but not among the new keys, found by a fresh query on each run: a run that
   *   died after writing the new chunks but before deleting the old tail finds that tail on the next run and deletes it;
   * - the counts follow the same put-then-delete-the-rest pattern, and are written last, after the chunks.
   * No transactions on the embedded store, so while a run is under way (or after one that failed, until the import is
   * run again) readers can see a month mixing new chunks with the old tail; a completed run leaves exactly the new
   * month, whatever was stored before.
   */
  async replaceCrimeMonth(datasetId: string, month: Month, blocks: CrimeBlock[]): Promise<void> {
    const pk = keys.crimeMonthPk(datasetId, month);
    const items = encodeCrimeMonth(datasetId, month, blocks);
    const countItems = encodeCounts(datasetId, month, countBlocks(blocks));
    const existing = await queryAll<{ pk: string; sk: string }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ProjectionExpression: 'pk, sk',
    });
    const written = new Set(items.map((i) => i.sk));
    await batchWrite(this.doc, this.tableName, items.map((i) => put(i as unknown as Record<string, unknown>)), 4, this.batchRetry);
    await batchWrite(
      this.doc,
      this.tableName,
      existing.filter((e) => !written.has(e.sk)).map((e) => del({ pk: e.pk, sk: e.sk })),
      4,
      this.batchRetry,
    );
    const oldCounts = await queryAll<{ pk: string; sk: string }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :month)',
      ExpressionAttributeValues: { ':pk': keys.countsPk(datasetId), ':month': `${month}#` },
      ProjectionExpression: 'pk, sk',
    });
    const countKeys = new Set(countItems.map((c) => c.sk));
    await batchWrite(
      this.doc,
      this.tableName,
      [...countItems.map((c) => put(c as unknown as Record<string, unknown>)), ...oldCounts.filter((c) => !countKeys.has(c.sk)).map((c) => del({ pk: c.pk, sk: c.sk }))],
      4,
      this.batchRetry,
    );
  }

  async getMonthlyCounts(datasetId: string, from: Month, to: Month): Promise<MonthlyCounts[]> {
    const items = await queryAll<CountsItem>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.countsPk(datasetId), ':from': `${from}#`, ':to': `${to}#~` },
    });
    return [...decodeCounts(items)].map(([month, counts]) => ({ month, counts }));
  }

  async getCrimeBlocks(datasetId: string, months: Month[], lsoaCodes?: string[]): Promise<CrimeBlock[]> {
    const perMonth = await Promise.all(
      months.map((month) =>
        queryAll<CrimeChunkItem>(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.crimeMonthPk(datasetId, month) },
        }),
      ),
    );
    return decodeCrimeItems(perMonth.flat(), lsoaCodes ? new Set(lsoaCodes) : undefined);
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
