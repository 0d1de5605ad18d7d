import { randomUUID } from 'node:crypto';
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, NotFoundError, VersionConflictError, type AssetRepository } from '@safer-places/domain';
import type { AssetByKind, AssetKind } from '@safer-places/schemas';
import { ASSET_KINDS } from '@safer-places/schemas';
import { keys, type Key } from './keys';
import { queryAll } from './query';
import {
  StoreThrottledError,
  WriteOutcomeUnknownError,
  backoffMs,
  isAmbiguous,
  isConditionFailure,
  isTransient,
  retryingClient,
  sleep,
  withRetry,
  type RetryPolicy,
} from './retry';

interface AssetItem<K extends AssetKind = AssetKind> {
  pk: string;
  sk: string;
  kind: K;
  /** Copied from data so conditions can test it without reaching into the map. */
  version: number;
  data: AssetByKind[K];
  /**
   * Random per write (per upload for createMany). A write sent again after a timeout can tell its own earlier,
   * successful attempt from someone else's item, and clean-up deletes only what this upload wrote.
   */
  writeToken?: string;
}

export interface AssetRepositoryOptions {
  /** One store call that meets throttling or a timeout: small, since a person is waiting for the answer. */
  retry?: RetryPolicy;
  /** Finding out what a timed-out write did, and deleting a failed upload's items: larger, since it must finish. */
  cleanupRetry?: RetryPolicy;
  /** 'auto' uses TransactWriteItems where the store has it and conditional puts where it does not (the embedded store). */
  transactions?: 'auto' | 'never';
  /** Writes in one TransactWriteItems call; DynamoDB allows at most 100. */
  transactionSize?: number;
  /** Conditional puts in flight at once when there are no transactions. */
  concurrency?: number;
}

export const DEFAULT_ASSET_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 25, maxDelayMs: 400 };
export const DEFAULT_CLEANUP_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 25, maxDelayMs: 1000 };
/** DynamoDB's limit of actions in one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

/** Cancellation reasons that a later try of the same transaction may not meet again. */
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

type Outcome = 'written' | 'condition-failed';

class TransactionsUnsupported extends Error {}

/**
 * Organisation assets in DynamoDB. Every write is safe to send again: throttled and timed-out calls are retried a few
 * times, a retry that meets its own earlier write (by its write token) counts as success, and when retries run out the
 * throttling or timeout error is rethrown only once nothing of the write is stored, so callers may say "nothing was
 * changed". Should that clean-up itself fail, WriteOutcomeUnknownError says so instead.
 */
export class DynamoAssetRepository implements AssetRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly retry: RetryPolicy;
  private readonly cleanupRetry: RetryPolicy;
  private readonly transactionSize: number;
  private readonly concurrency: number;
  /** Unknown until the first upload; the embedded store (dynalite) has no transactions. */
  private transactions: boolean | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: AssetRepositoryOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_ASSET_RETRY;
    this.cleanupRetry = options.cleanupRetry ?? DEFAULT_CLEANUP_RETRY;
    this.client = retryingClient(doc, this.retry);
    this.transactionSize = Math.min(MAX_TRANSACTION_ITEMS, options.transactionSize ?? MAX_TRANSACTION_ITEMS);
    this.concurrency = options.concurrency ?? 8;
    if (options.transactions === 'never') this.transactions = false;
  }

  async list<K extends AssetKind>(orgId: string, kind: K): Promise<AssetByKind[K][]> {
    const items = await queryAll<AssetItem<K>>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.orgPk(orgId), ':prefix': keys.assetPrefix(kind) },
    });
    return items.map((i) => i.data);
  }

  async get<K extends AssetKind>(orgId: string, kind: K, id: string): Promise<AssetByKind[K] | null> {
    return ((await this.readItem(keys.asset(orgId, kind, id), this.retry)) as AssetItem<K> | null)?.data ?? null;
  }

  async create<K extends AssetKind>(kind: K, asset: AssetByKind[K]): Promise<void> {
    const item = this.toItem(kind, asset, randomUUID());
    const outcome = await this.conditionalPut(item, 'attribute_not_exists(pk)');
    if (outcome === 'condition-failed') throw this.taken(kind, asset.id);
  }

  /**
   * All or nothing. Up to 100 items (DynamoDB's limit) go in one transaction. Larger uploads go as transactions of 100
   * in order; if a later one fails, the items of the earlier ones are deleted again (conditional on this upload's write
   * token, retried) before the error is rethrown. Where the store has no transactions (the embedded one), each item is
   * a conditional put and the same clean-up applies. Other readers can see the first chunks of a large upload for the
   * moment it takes to write the rest (or to take them back).
   */
  async createMany<K extends AssetKind>(kind: K, assets: AssetByKind[K][]): Promise<void> {
    if (assets.length === 0) return;
    const seen = new Set<string>();
    for (const a of assets) {
      const k = `${a.orgId}\u0000${a.id}`;
      if (seen.has(k)) throw new AlreadyExistsError(`${ASSET_KINDS[kind].singular} "${a.id}" appears more than once in the upload`);
      seen.add(k);
    }
    const token = randomUUID();
    const items = assets.map((a) => this.toItem(kind, a, token));
    if (this.transactions !== false) {
      try {
        await this.createManyInTransactions(kind, items, token);
        this.transactions = true;
        return;
      } catch (err) {
        if (!(err instanceof TransactionsUnsupported)) throw err;
        this.transactions = false;
      }
    }
    await this.createManyOneByOne(kind, items, token);
  }

  async update<K extends AssetKind>(kind: K, asset: AssetByKind[K], expectedVersion: number): Promise<void> {
    const outcome = await this.conditionalPut(this.toItem(kind, asset, randomUUID()), 'attribute_exists(pk) AND version = :expected', {
      ':expected': expectedVersion,
    });
    if (outcome === 'condition-failed') throw await this.conflict(asset.orgId, kind, asset.id);
  }

  async remove(orgId: string, kind: AssetKind, id: string, expectedVersion: number): Promise<void> {
    const key = keys.asset(orgId, kind, id);
    const outcome = await this.conditionalWrite(
      () =>
        this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key,
            ConditionExpression: 'attribute_exists(pk) AND version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
        ),
      // After a timeout, an item that is gone was deleted (by this call, or by another one: the result is the same).
      async () => (await this.readItem(key, this.cleanupRetry)) === null,
    );
    if (outcome === 'condition-failed') throw await this.conflict(orgId, kind, id);
  }

  async hasMarker(orgId: string, name: string): Promise<boolean> {
    return (await this.readItem(keys.marker(orgId, name), this.retry)) !== null;
  }

  async setMarker(orgId: string, name: string): Promise<void> {
    // Unconditional: sending it again is harmless, so the retrying client does.
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.marker(orgId, name), setAt: new Date().toISOString() } }));
  }

  async getSetting(orgId: string, name: string): Promise<string | null> {
    const item = await this.readItem(keys.setting(orgId, name), this.retry);
    return item && typeof item.value === 'string' ? item.value : null;
  }

  async putSetting(orgId: string, name: string, value: string): Promise<void> {
    // Unconditional and idempotent: the last value set wins, and sending it again is harmless.
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.setting(orgId, name), value, setAt: new Date().toISOString() } }));
  }

  // ---- writes that are safe to send again ----

  private conditionalPut(item: AssetItem, ConditionExpression: string, ExpressionAttributeValues?: Record<string, unknown>): Promise<Outcome> {
    return this.conditionalWrite(
      () => this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression, ...(ExpressionAttributeValues && { ExpressionAttributeValues }) })),
      () => this.holdsToken({ pk: item.pk, sk: item.sk }, item.writeToken!),
    );
  }

  /**
   * Sends one conditional write, retrying throttling and timeouts. A timeout leaves the outcome open, so after one,
   * `applied()` (a consistent read) decides: when a later try's condition fails, or when the tries run out. If the
   * write is found applied, it succeeded; otherwise a condition failure is reported, or the last error rethrown
   * (nothing was written).
   */
  private async conditionalWrite(send: () => Promise<unknown>, applied: () => Promise<boolean>): Promise<Outcome> {
    let ambiguous = false;
    for (let attempt = 1; ; attempt++) {
      try {
        await send();
        return 'written';
      } catch (err) {
        if (isConditionFailure(err)) return ambiguous && (await this.settle(applied, err)) ? 'written' : 'condition-failed';
        if (!isTransient(err)) throw err;
        ambiguous ||= isAmbiguous(err);
        if (attempt >= this.retry.attempts) {
          if (ambiguous && (await this.settle(applied, err))) return 'written';
          throw err;
        }
        await sleep(backoffMs(attempt, this.retry));
      }
    }
  }

  private async settle(applied: () => Promise<boolean>, cause: unknown): Promise<boolean> {
    try {
      return await applied();
    } catch (err) {
      throw new WriteOutcomeUnknownError(`a write timed out and reading it back failed too (${describe(err)}); it may or may not have been saved`, { cause });
    }
  }

  private async createManyInTransactions<K extends AssetKind>(kind: K, items: AssetItem<K>[], token: string) {
    let attempted = 0;
    try {
      for (let start = 0; start < items.length; start += this.transactionSize) {
        attempted = Math.min(items.length, start + this.transactionSize);
        await this.transact(kind, items.slice(start, attempted));
      }
    } catch (err) {
      if (err instanceof TransactionsUnsupported) {
        if (attempted <= this.transactionSize) throw err; // the first call: nothing was written
        throw new WriteOutcomeUnknownError('the store stopped accepting transactions part-way through an upload', { cause: err });
      }
      await this.undo(items.slice(0, attempted), token, err);
      throw err;
    }
  }

  /** One transaction of up to 100 conditional puts; sent again with the same ClientRequestToken, so it is applied once. */
  private async transact<K extends AssetKind>(kind: K, chunk: AssetItem<K>[]) {
    const input = {
      ClientRequestToken: randomUUID(),
      TransactItems: chunk.map((Item) => ({ Put: { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } })),
    };
    for (let attempt = 1; ; attempt++) {
      let retryable: unknown;
      try {
        await this.doc.send(new TransactWriteCommand(input));
        return;
      } catch (err) {
        const name = (err as { name?: string }).name;
        if (name === 'UnknownOperationException') throw new TransactionsUnsupported(String(err));
        if (name === 'TransactionCanceledException') {
          const reasons = (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
          const taken = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
          if (taken >= 0) throw this.taken(kind, chunk[taken]?.data.id ?? '?');
          if (!reasons.some((r) => TRANSIENT_REASONS.has(r.Code ?? ''))) throw err;
          const codes = [...new Set(reasons.map((r) => r.Code).filter((c) => c && c !== 'None'))].join(', ');
          retryable = new StoreThrottledError(`the transaction was cancelled (${codes})`, { cause: err });
        } else if (isTransient(err)) {
          retryable = err;
        } else {
          throw err;
        }
      }
      if (attempt >= this.retry.attempts) throw retryable;
      await sleep(backoffMs(attempt, this.retry));
    }
  }

  private async createManyOneByOne<K extends AssetKind>(kind: K, items: AssetItem<K>[], token: string) {
    let next = 0;
    let failure: { err: unknown } | undefined;
    const worker = async () => {
      while (!failure && next < items.length) {
        const item = items[next++]!;
        try {
          if ((await this.conditionalPut(item, 'attribute_not_exists(pk)')) === 'condition-failed') throw this.taken(kind, item.data.id);
        } catch (err) {
          failure ??= { err };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
    if (!failure) return;
    await this.undo(items.slice(0, next), token, failure.err);
    throw failure.err;
  }

  /**
   * Deletes what this upload may have written: conditional on its write token, so an item that was there before (an id
   * taken) is never touched, and a delete sent again after it succeeded is a harmless condition failure.
   */
  private async undo(items: AssetItem[], token: string, cause: unknown) {
    let next = 0;
    const failed: string[] = [];
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++]!;
        try {
          await withRetry(
            () =>
              this.doc.send(
                new DeleteCommand({
                  TableName: this.tableName,
                  Key: { pk: item.pk, sk: item.sk },
                  ConditionExpression: 'writeToken = :token',
                  ExpressionAttributeValues: { ':token': token },
                }),
              ),
            this.cleanupRetry,
          );
        } catch (err) {
          if (!isConditionFailure(err)) failed.push(`${item.data.id}: ${describe(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
    if (failed.length > 0) {
      throw new WriteOutcomeUnknownError(
        `an upload failed (${describe(cause)}) and ${failed.length} of its items could not be removed again, so part of it may be saved: ${failed.slice(0, 5).join('; ')}`,
        { cause },
      );
    }
  }

  private async holdsToken(key: Key, token: string): Promise<boolean> {
    return ((await this.readItem(key, this.cleanupRetry)) as AssetItem | null)?.writeToken === token;
  }

  private async readItem(key: Key, policy: RetryPolicy): Promise<Record<string, unknown> | null> {
    const out = await withRetry(() => this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })), policy);
    return out.Item ?? null;
  }

  private toItem<K extends AssetKind>(kind: K, asset: AssetByKind[K], writeToken: string): AssetItem<K> {
    return { ...keys.asset(asset.orgId, kind, asset.id), kind, version: asset.version, data: asset, writeToken };
  }

  private taken(kind: AssetKind, id: string) {
    return new AlreadyExistsError(`${ASSET_KINDS[kind].singular} "${id}" already exists`);
  }

  private async conflict(orgId: string, kind: AssetKind, id: string) {
    const current = await this.get(orgId, kind, id);
    if (!current) return new NotFoundError(`no ${ASSET_KINDS[kind].singular} with id "${id}" in your organisation`);
    return new VersionConflictError(current.version, `${ASSET_KINDS[kind].singular} "${id}" is at version ${current.version}; reload it and apply your change again`);
  }
}

function describe(err: unknown): string {
  return `${(err as { name?: string }).name ?? 'Error'}: ${(err as Error).message ?? String(err)}`;
}
