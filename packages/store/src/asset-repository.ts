import { randomUUID } from 'node:crypto';
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  AlreadyExistsError,
  NotFoundError,
  StoreThrottledError,
  VersionConflictError,
  WriteOutcomeUnknownError,
  type AssetRepository,
  type UploadOutcome,
  type UploadRequest,
} from '@safer-places/domain';
import type { AssetByKind, AssetKind } from '@safer-places/schemas';
import { ASSET_KINDS } from '@safer-places/schemas';
import { beginChange, endChange, readAssetsVersion, versionPut, type PendingChange } from './assets/version';
import { keys, type Key } from './keys';
import { queryAll } from './query';
import {
  backoffMs,
  isAmbiguous,
  isConditionFailure,
  isTransient,
  oneTry,
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
   * Random per write (the run, for an upload's items). A write sent again after a timeout can tell its own earlier,
   * successful attempt from someone else's item, and clean-up deletes only what one run wrote.
   */
  writeToken?: string;
  /** Set on items an upload wrote: the upload, and which run (try) of it. Visible only once that run is committed. */
  uploadId?: string;
  uploadRun?: string;
}

/**
 * One upload's commit record, ORG#<org> / UPLOAD#<uploadId>. Its items are visible exactly while it says `committed`
 * for the run that wrote them: the commit is this one conditional put, so an upload of any size becomes visible at
 * once. Committed records are never deleted (their items point at them); others are removed once undone.
 */
interface UploadRecord {
  pk: string;
  sk: string;
  uploadId: string;
  kind: AssetKind;
  /** staging: items being written, none visible. aborted: fenced, so it can never commit; its items are being removed. */
  state: 'staging' | 'committed' | 'aborted';
  run: string;
  /** The items' ids in upload order: what a replay hands back. */
  ids: string[];
  startedAt: string;
  committedAt?: string;
}

/** ORG#<org> / UPLOADING#<uploadId>: an upload in flight or left by a dead process, for the clean-up to find. */
interface UploadJournal {
  pk: string;
  sk: string;
  uploadId: string;
  run: string;
  /** Epoch seconds until which the upload is left alone by clean-up (its own retries take it over at once). */
  leaseUntil: number;
  startedAt: string;
}

export interface AssetRepositoryOptions {
  /** One store call that meets throttling or a timeout: small, since a person is waiting for the answer. */
  retry?: RetryPolicy;
  /** Finding out what a timed-out write did, and deleting a failed upload's items: larger, since it must finish. */
  cleanupRetry?: RetryPolicy;
  /** 'auto' uses TransactWriteItems where the store allows it and conditional puts where not (the embedded store). */
  transactions?: 'auto' | 'never';
  /** Writes in one TransactWriteItems call; DynamoDB allows at most 100. */
  transactionSize?: number;
  /** Conditional puts (and reads of upload records) in flight at once. */
  concurrency?: number;
  /** How long an unfinished upload is left alone before the clean-up of another upload may undo it, in seconds. */
  uploadLeaseSeconds?: number;
}

export const DEFAULT_ASSET_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 25, maxDelayMs: 400 };
export const DEFAULT_CLEANUP_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 25, maxDelayMs: 1000 };
/** DynamoDB's limit of actions in one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;
/** Far beyond any request's life (the Lambda stops at 20 s): a journal older than this belongs to a dead process. */
export const UPLOAD_LEASE_SECONDS = 15 * 60;
/** Committed runs remembered per process (they never change, so a read need not ask again). */
const COMMITTED_CACHE_SIZE = 10_000;

/** Cancellation reasons that a later try of the same transaction may not meet again. */
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
/** The store has no TransactWriteItems (the embedded one), or this role may not call it. */
const NO_TRANSACTIONS = new Set(['UnknownOperationException', 'AccessDeniedException']);

const NAMES = { '#state': 'state', '#run': 'run' };
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

type Outcome = 'written' | 'condition-failed';
/** One write that changes what a list shows: sent in a transaction with the new assets version, or alone (bracketed). */
type Change = { Put: PutCommandInput } | { Delete: DeleteCommandInput };

class TransactionsUnsupported extends Error {}

/** Runs fn over the items with at most `limit` in flight; every call runs (errors are the callee's to keep). */
async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Organisation assets in DynamoDB. Every write is safe to send again: throttled and timed-out calls are retried a few
 * times, a retry that meets its own earlier write (by its write token) counts as success, and when retries run out the
 * throttling or timeout error is rethrown only once nothing of the write is visible, so callers may say "nothing was
 * changed". Where even that cannot be found out, WriteOutcomeUnknownError says so instead.
 *
 * Uploads (upload, createMany) are one unit through crashes: see `upload`.
 *
 * Every write that changes what `list` answers (create, update, remove, an upload's commit) gives the organisation's
 * assets a new version (`assetsVersion`; assets/version.ts says how, with and without transactions), so a process may
 * keep the lists and re-read them only when the version moved.
 */
export class DynamoAssetRepository implements AssetRepository {
  private readonly doc: DynamoDBDocumentClient;
  private readonly client: DynamoDBDocumentClient;
  private readonly retry: RetryPolicy;
  private readonly cleanupRetry: RetryPolicy;
  private readonly transactionSize: number;
  private readonly concurrency: number;
  private readonly leaseSeconds: number;
  /** Unknown until the first upload; the embedded store (dynalite) has no transactions. */
  private transactions: boolean | undefined;
  /**
   * `<orgId>\0<uploadId>` → its committed run, and when this process learned of it (a count of commits seen). A
   * committed record never changes, so this is never stale.
   */
  private readonly committedRuns = new Map<string, { run: string; seen: number }>();
  private commitsSeen = 0;

  constructor(
    doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: AssetRepositoryOptions = {},
  ) {
    this.doc = doc;
    this.retry = options.retry ?? DEFAULT_ASSET_RETRY;
    this.cleanupRetry = options.cleanupRetry ?? DEFAULT_CLEANUP_RETRY;
    this.client = retryingClient(doc, this.retry);
    this.transactionSize = Math.min(MAX_TRANSACTION_ITEMS, options.transactionSize ?? MAX_TRANSACTION_ITEMS);
    this.concurrency = options.concurrency ?? 8;
    this.leaseSeconds = options.uploadLeaseSeconds ?? UPLOAD_LEASE_SECONDS;
    if (options.transactions === 'never') this.transactions = false;
  }

  /**
   * The kind's items, without those of uploads not committed. A commit this process learns of only after its Query
   * started may have landed after the Query read the table, while that upload's items were still being written: then
   * the Query runs again (everything of a committed upload was written before its commit). An upload that commits
   * during every one of three tries is left out of this answer: none of it, rather than part.
   */
  async list<K extends AssetKind>(orgId: string, kind: K): Promise<AssetByKind[K][]> {
    for (let round = 1; ; round++) {
      const since = this.commitsSeen;
      const items = await this.queryKind<K>(orgId, kind, this.retry);
      const { visible, learnedLater } = await this.visible(orgId, items, since);
      if (!learnedLater || round === 3) return visible.filter((i) => !learnedLater || !learnedLater.has(i.uploadId!)).map((i) => i.data);
    }
  }

  /**
   * The organisation's assets version: one strongly consistent GetItem. A list read after this call and kept under its
   * answer is current for as long as the answer stays the same; null while a write on a store without transactions is
   * under way (then keep nothing). See assets/version.ts.
   */
  assetsVersion(orgId: string): Promise<string | null> {
    return readAssetsVersion(this.doc, this.tableName, orgId, this.retry);
  }

  async get<K extends AssetKind>(orgId: string, kind: K, id: string): Promise<AssetByKind[K] | null> {
    const item = (await this.readItem(keys.asset(orgId, kind, id), this.retry)) as AssetItem<K> | null;
    return item && (await this.isVisible(orgId, item, this.retry)) ? item.data : null;
  }

  async create<K extends AssetKind>(kind: K, asset: AssetByKind[K]): Promise<void> {
    const item = this.toItem(kind, asset, randomUUID());
    const outcome = await this.versionedPut(item, 'attribute_not_exists(pk)');
    if (outcome === 'condition-failed') throw this.taken(kind, asset.id);
  }

  /** All or nothing, as one upload without an id (a retry of it is a new upload). */
  async createMany<K extends AssetKind>(kind: K, assets: AssetByKind[K][]): Promise<void> {
    await this.upload(kind, assets, { now: new Date() });
  }

  /**
   * An upload, visible all at once or not at all, whenever a process running it dies:
   *
   *  1. journal  UPLOADING#<id> (run, lease): lets a later clean-up find the upload if this process dies;
   *  2. record   UPLOAD#<id> state=staging, the run, the item ids;
   *  3. items    at their own keys, each tagged uploadId + uploadRun (transactions of 100 where the store has them,
   *              else conditional puts) — every read ignores tagged items whose run is not committed;
   *  4. commit   one conditional put of the record: state=committed, only if it is still staging for this run;
   *  5. tidy     the journal is deleted.
   *
   * Dying before 4 leaves nothing visible; from 4 on, all of it. The same id sent again (a retry of the same request)
   * finds a committed record and hands back its items without writing, or finds an unfinished one, fences it (state
   * aborted, so the dead run can never commit), removes what it wrote, and runs afresh. Unfinished uploads without an
   * id are undone by the clean-up (`recoverUploads`) that starts every upload of the organisation, once their lease
   * has run out.
   */
  async upload<K extends AssetKind>(kind: K, assets: AssetByKind[K][], request: UploadRequest): Promise<UploadOutcome<K>> {
    if (assets.length === 0) return { replayed: false };
    const orgId = assets[0]!.orgId;
    const seen = new Set<string>();
    for (const a of assets) {
      if (a.orgId !== orgId) throw new Error('an upload belongs to one organisation');
      if (seen.has(a.id)) throw new AlreadyExistsError(`${ASSET_KINDS[kind].singular} "${a.id}" appears more than once in the upload`);
      seen.add(a.id);
    }
    const uploadId = request.id ?? randomUUID();
    const run = randomUUID();
    // Housekeeping for uploads other processes left unfinished; never a reason to fail this one.
    await this.recoverUploads(orgId, request.now, { except: uploadId }).catch(() => undefined);

    const [earlier, journal] = await Promise.all([this.readRecord(orgId, uploadId), this.readJournal(orgId, uploadId)]);
    if (earlier && earlier.kind !== kind) throw new AlreadyExistsError(`upload "${uploadId}" was made to another layer (${ASSET_KINDS[earlier.kind].label})`);
    if (earlier && (earlier.state === 'committed' || (await this.undoRun(earlier)) === 'committed')) {
      const committed = earlier.state === 'committed' ? earlier : (await this.readRecord(orgId, uploadId))!;
      return this.replay<K>(orgId, committed, journal);
    }

    const startedAt = request.now.toISOString();
    await this.claimJournal({ ...keys.uploadJournal(orgId, uploadId), uploadId, run, leaseUntil: epoch(request.now) + this.leaseSeconds, startedAt }, journal?.run);
    const record: UploadRecord = { ...keys.upload(orgId, uploadId), uploadId, kind, state: 'staging', run, ids: assets.map((a) => a.id), startedAt };
    const items = assets.map((a) => ({ ...this.toItem(kind, a, run), uploadId, uploadRun: run }));
    // Without transactions, staging opens the assets version's pending entry; it is ended once the commit is settled.
    let pending: PendingChange | null = null;
    try {
      const opened = await this.conditionalWrite(
        () => this.doc.send(new PutCommand({ TableName: this.tableName, Item: record, ConditionExpression: 'attribute_not_exists(pk)' })),
        async () => (await this.readRecord(orgId, uploadId, this.cleanupRetry))?.run === run,
      );
      if (opened === 'condition-failed') throw new StoreThrottledError('another request is saving the same upload at this moment; nothing of this one was saved, try again shortly');
      pending = await this.stage(orgId, kind, items);
    } catch (err) {
      await this.abandon(record, items.slice(0, failedAt(err)));
      throw unwrap(err);
    }
    try {
      await this.commit(record, items, request.now);
    } finally {
      if (pending) await endChange(this.doc, this.tableName, orgId, pending, this.cleanupRetry).catch(() => undefined);
    }
    this.remember(orgId, uploadId, run);
    await this.deleteJournal(orgId, uploadId, run).catch(() => undefined); // left for the clean-up if this fails
    return { replayed: false };
  }

  /**
   * Completes or undoes the organisation's uploads that were left unfinished (a process died) and whose lease has run
   * out: a committed one only loses its journal; any other is fenced and its items removed. Safe to run at any time
   * and from several processes.
   */
  async recoverUploads(orgId: string, now: Date, options: { except?: string } = {}): Promise<{ completed: number; undone: number }> {
    const journals = await queryAll<UploadJournal>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.orgPk(orgId), ':prefix': keys.uploadJournalPrefix },
      ConsistentRead: true,
    });
    let completed = 0;
    let undone = 0;
    for (const journal of journals) {
      if (journal.uploadId === options.except || journal.leaseUntil > epoch(now)) continue;
      const record = await this.readRecord(orgId, journal.uploadId);
      if (record && (record.state === 'committed' || (await this.undoRun(record)) === 'committed')) completed++;
      else undone++;
      await this.deleteJournal(orgId, journal.uploadId, journal.run);
    }
    return { completed, undone };
  }

  async update<K extends AssetKind>(kind: K, asset: AssetByKind[K], expectedVersion: number): Promise<void> {
    const item = this.toItem(kind, asset, randomUUID());
    const values = { ':expected': expectedVersion };
    // An item an upload wrote is changed only once its upload is committed (then its tag is dropped by this put).
    let outcome = await this.versionedPut(item, 'attribute_exists(pk) AND version = :expected AND attribute_not_exists(uploadRun)', values);
    if (outcome === 'condition-failed') {
      const run = await this.visibleRun(asset.orgId, item);
      if (run) outcome = await this.versionedPut(item, 'attribute_exists(pk) AND version = :expected AND uploadRun = :run', { ...values, ':run': run });
    }
    if (outcome === 'condition-failed') throw await this.conflict(asset.orgId, kind, asset.id);
  }

  async remove(orgId: string, kind: AssetKind, id: string, expectedVersion: number): Promise<void> {
    const key = keys.asset(orgId, kind, id);
    const remove = (condition: string, values: Record<string, unknown>) =>
      this.change(
        orgId,
        { Delete: { TableName: this.tableName, Key: key, ConditionExpression: condition, ExpressionAttributeValues: values } },
        // After a timeout, an item that is gone was deleted (by this call, or by another one: the result is the same).
        async () => (await this.readItem(key, this.cleanupRetry)) === null,
      );
    const values = { ':expected': expectedVersion };
    let outcome = await remove('attribute_exists(pk) AND version = :expected AND attribute_not_exists(uploadRun)', values);
    if (outcome === 'condition-failed') {
      const run = await this.visibleRun(orgId, key);
      if (run) outcome = await remove('attribute_exists(pk) AND version = :expected AND uploadRun = :run', { ...values, ':run': run });
    }
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

  // ---- what is visible ----

  /**
   * Items not written by an upload, and those of committed upload runs. `learnedLater`: the uploads among them whose
   * commit this process first learned of after `since` (a count of commits seen), or null if none.
   */
  private async visible<K extends AssetKind>(orgId: string, items: AssetItem<K>[], since = Infinity): Promise<{ visible: AssetItem<K>[]; learnedLater: Set<string> | null }> {
    const uploads = [...new Set(items.flatMap((i) => (i.uploadId === undefined ? [] : [i.uploadId])))];
    if (uploads.length === 0) return { visible: items, learnedLater: null };
    const runs = new Map<string, string | null>();
    const later = new Set<string>();
    await forEachLimit(uploads, this.concurrency, async (u) => {
      const run = await this.committedRun(orgId, u, this.retry);
      runs.set(u, run);
      if (run !== null && this.committedRuns.get(`${orgId}\u0000${u}`)!.seen >= since) later.add(u);
    });
    return {
      visible: items.filter((i) => i.uploadId === undefined || (i.uploadRun !== undefined && runs.get(i.uploadId) === i.uploadRun)),
      learnedLater: later.size > 0 ? later : null,
    };
  }

  private async isVisible(orgId: string, item: AssetItem, policy: RetryPolicy): Promise<boolean> {
    if (item.uploadId === undefined) return true;
    return item.uploadRun !== undefined && (await this.committedRun(orgId, item.uploadId, policy)) === item.uploadRun;
  }

  /** The committed run of the upload an item at this key came from, if the item is there and visible; else null. */
  private async visibleRun(orgId: string, key: Key): Promise<string | null> {
    const item = (await this.readItem({ pk: key.pk, sk: key.sk }, this.cleanupRetry)) as AssetItem | null;
    if (!item?.uploadId || !item.uploadRun) return null;
    return (await this.committedRun(orgId, item.uploadId, this.cleanupRetry)) === item.uploadRun ? item.uploadRun : null;
  }

  private async committedRun(orgId: string, uploadId: string, policy: RetryPolicy): Promise<string | null> {
    const known = this.committedRuns.get(`${orgId}\u0000${uploadId}`);
    if (known) return known.run;
    const record = await this.readRecord(orgId, uploadId, policy);
    if (record?.state !== 'committed') return null;
    this.remember(orgId, uploadId, record.run);
    return record.run;
  }

  private remember(orgId: string, uploadId: string, run: string) {
    const key = `${orgId}\u0000${uploadId}`;
    if (this.committedRuns.has(key)) return;
    if (this.committedRuns.size >= COMMITTED_CACHE_SIZE) this.committedRuns.delete(this.committedRuns.keys().next().value!);
    this.committedRuns.set(key, { run, seen: this.commitsSeen++ });
  }

  // ---- upload steps ----

  /**
   * Writes the items, tagged and invisible. A failure is thrown as StageFailure, saying how many may be stored. Without
   * transactions, the assets version's pending entry is opened first (the commit will change what lists show, and
   * cannot carry the new version itself) and handed back, for upload() to end once the commit is settled; on a failure
   * here it is ended at once.
   */
  private async stage<K extends AssetKind>(orgId: string, kind: K, items: AssetItem<K>[]): Promise<PendingChange | null> {
    if (this.transactions !== false) {
      try {
        await this.stageInTransactions(kind, items);
        return null;
      } catch (err) {
        if (!(err instanceof TransactionsUnsupported)) throw err;
        this.transactions = false;
      }
    }
    let pending: PendingChange;
    try {
      pending = await beginChange(this.doc, this.tableName, orgId, this.leaseSeconds, this.retry);
    } catch (err) {
      throw new StageFailure(err, 0);
    }
    try {
      await this.stageOneByOne(kind, items);
    } catch (err) {
      await endChange(this.doc, this.tableName, orgId, pending, this.cleanupRetry).catch(() => undefined);
      throw err;
    }
    return pending;
  }

  private async stageInTransactions<K extends AssetKind>(kind: K, items: AssetItem<K>[]) {
    for (let start = 0; start < items.length; start += this.transactionSize) {
      const end = Math.min(items.length, start + this.transactionSize);
      try {
        await this.transact(kind, items.slice(start, end));
      } catch (err) {
        // The first call tells whether the store has transactions; nothing was written by it.
        if (err instanceof TransactionsUnsupported && start === 0 && this.transactions === undefined) throw err;
        throw new StageFailure(err, end);
      }
      this.transactions = true;
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
        await oneTry(() => this.doc.send(new TransactWriteCommand(input)));
        return;
      } catch (err) {
        const name = (err as { name?: string }).name ?? '';
        if (NO_TRANSACTIONS.has(name)) throw new TransactionsUnsupported(String(err));
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

  private async stageOneByOne<K extends AssetKind>(kind: K, items: AssetItem<K>[]) {
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
    if (failure) throw new StageFailure(failure.err, next);
  }

  /**
   * Commits the run: the one write that makes the whole upload visible. If its answer was lost and reading back did
   * not find it, the record is fenced (aborted for this run) so a commit still on its way cannot land later; whichever
   * of the two writes won says what happened. On any failure nothing of the upload is visible, and its items are
   * removed again.
   */
  private async commit(record: UploadRecord, items: AssetItem[], now: Date) {
    const { uploadId, run } = record;
    const orgId = orgOf(record);
    const committed: UploadRecord = { ...record, state: 'committed', committedAt: now.toISOString() };
    const isCommitted = async () => {
      const current = await this.readRecord(orgId, uploadId, this.cleanupRetry);
      return current?.state === 'committed' && current.run === run;
    };
    let answerLost = false;
    const put: PutCommandInput = {
      TableName: this.tableName,
      Item: committed,
      ConditionExpression: '#run = :run AND #state = :staging',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':run': run, ':staging': 'staging' },
    };
    // With transactions, the commit and the organisation's new assets version land together (sent again with the same
    // token, so a try whose answer was lost is not applied twice); without, upload() brackets it.
    const transaction = this.transactions ? { ClientRequestToken: randomUUID(), TransactItems: [{ Put: put }, versionPut(this.tableName, orgId)] } : null;
    const send = async () => {
      try {
        await (transaction ? this.sendTransaction(transaction) : this.doc.send(new PutCommand(put)));
      } catch (err) {
        answerLost ||= isAmbiguous(err);
        throw err;
      }
    };
    let outcome: Outcome;
    try {
      outcome = await this.conditionalWrite(send, isCommitted);
    } catch (err) {
      // Refused every time (throttling, or an error the store raised before doing anything): it was never applied.
      if (!answerLost) {
        await this.abandon(record, items);
        throw err;
      }
      let fenced: boolean;
      try {
        fenced = await this.fence(record);
        if (!fenced && (await isCommitted())) return;
      } catch (fenceErr) {
        throw new WriteOutcomeUnknownError(
          `an upload's commit did not answer (${describe(err)}) and settling it failed too (${describe(fenceErr)}): either all of it or none of it is saved`,
          { cause: err },
        );
      }
      await this.abandon({ ...record, state: 'aborted' }, items);
      throw err instanceof WriteOutcomeUnknownError && err.cause !== undefined ? err.cause : err;
    }
    if (outcome === 'condition-failed') {
      // Fenced by a retry of the same request that took the upload over: this try keeps nothing.
      await this.abandon({ ...record, state: 'aborted' }, items);
      throw new StoreThrottledError('this upload was taken over by a retry of the same request; nothing of this try was kept');
    }
  }

  /** Marks a staging run aborted (only if it is still staging for that run): it can never commit after this. */
  private async fence(record: UploadRecord): Promise<boolean> {
    const aborted: UploadRecord = { ...record, state: 'aborted' };
    const outcome = await this.conditionalWrite(
      () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: aborted,
            ConditionExpression: '#run = :run AND #state = :staging',
            ExpressionAttributeNames: NAMES,
            ExpressionAttributeValues: { ':run': record.run, ':staging': 'staging' },
          }),
        ),
      async () => {
        const current = await this.readRecord(orgOf(record), record.uploadId, this.cleanupRetry);
        return current?.state === 'aborted' && current.run === record.run;
      },
    );
    return outcome === 'written';
  }

  /**
   * Undoes an unfinished run (another process's, or an earlier try's): fence it, delete its items, delete its record.
   * Returns 'committed' if the run turned out to commit first (then nothing is undone).
   */
  private async undoRun(record: UploadRecord): Promise<'committed' | 'undone'> {
    if (record.state === 'committed') return 'committed';
    if (record.state === 'staging' && !(await this.fence(record))) {
      const current = await this.readRecord(orgOf(record), record.uploadId, this.cleanupRetry);
      if (current?.state === 'committed') return 'committed';
      if (current && current.run !== record.run) return 'undone'; // someone else already undid it and started again
    }
    await this.deleteRunItems(record, null);
    await this.deleteRecord(record);
    return 'undone';
  }

  /**
   * Removes what this process's own failed run wrote (nothing of it is visible: it never committed). Best effort: if
   * any step fails, the record and journal stay for the clean-up, and the items stay invisible meanwhile.
   */
  private async abandon(record: UploadRecord, written: AssetItem[] | null) {
    try {
      await this.deleteRunItems(record, written);
      await this.deleteRecord(record);
      await this.deleteJournal(orgOf(record), record.uploadId, record.run);
    } catch {
      /* left for recoverUploads */
    }
  }

  /** Deletes the items still tagged with the run: the given ones, or all found under the upload's kind. */
  private async deleteRunItems(record: UploadRecord, written: AssetItem[] | null) {
    const orgId = orgOf(record);
    const targets: Key[] =
      written ?? (await this.queryKind(orgId, record.kind, this.cleanupRetry)).filter((i) => i.uploadRun === record.run).map((i) => ({ pk: i.pk, sk: i.sk }));
    const failed: string[] = [];
    await forEachLimit(targets, this.concurrency, async (key) => {
      try {
        await withRetry(
          () =>
            this.doc.send(
              new DeleteCommand({
                TableName: this.tableName,
                Key: { pk: key.pk, sk: key.sk },
                ConditionExpression: 'uploadRun = :run',
                ExpressionAttributeValues: { ':run': record.run },
              }),
            ),
          this.cleanupRetry,
        );
      } catch (err) {
        if (!isConditionFailure(err)) failed.push(`${key.sk}: ${describe(err)}`);
      }
    });
    if (failed.length > 0) throw new StoreThrottledError(`${failed.length} items of an unfinished upload could not be removed yet: ${failed.slice(0, 3).join('; ')}`);
  }

  private async deleteRecord(record: UploadRecord) {
    await withRetry(
      () =>
        this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.upload(orgOf(record), record.uploadId),
            ConditionExpression: '#run = :run AND #state <> :committed',
            ExpressionAttributeNames: NAMES,
            ExpressionAttributeValues: { ':run': record.run, ':committed': 'committed' },
          }),
        ),
      this.cleanupRetry,
    ).catch((err: unknown) => {
      if (!isConditionFailure(err)) throw err;
    });
  }

  /** Takes the upload's journal: free, or still held by the earlier try this one replaces. */
  private async claimJournal(journal: UploadJournal, previousRun: string | undefined) {
    const outcome = await this.conditionalWrite(
      () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: journal,
            ConditionExpression: previousRun === undefined ? 'attribute_not_exists(pk)' : 'attribute_not_exists(pk) OR #run = :previous',
            ...(previousRun !== undefined && { ExpressionAttributeNames: { '#run': 'run' }, ExpressionAttributeValues: { ':previous': previousRun } }),
          }),
        ),
      async () => (await this.readJournal(orgOf(journal), journal.uploadId))?.run === journal.run,
    );
    if (outcome === 'condition-failed') throw new StoreThrottledError('another request is saving the same upload at this moment; nothing of this one was saved, try again shortly');
  }

  private async deleteJournal(orgId: string, uploadId: string, run: string) {
    await withRetry(
      () =>
        this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.uploadJournal(orgId, uploadId),
            ConditionExpression: '#run = :run',
            ExpressionAttributeNames: { '#run': 'run' },
            ExpressionAttributeValues: { ':run': run },
          }),
        ),
      this.cleanupRetry,
    ).catch((err: unknown) => {
      if (!isConditionFailure(err)) throw err;
    });
  }

  /** A committed upload sent again: its items as stored now, in upload order (null where one was deleted since). */
  private async replay<K extends AssetKind>(orgId: string, record: UploadRecord, journal: UploadJournal | null): Promise<UploadOutcome<K>> {
    this.remember(orgId, record.uploadId, record.run);
    if (journal) await this.deleteJournal(orgId, record.uploadId, journal.run).catch(() => undefined);
    // Read after the commit was seen, so every item of it is there (bar those changed or removed since).
    const { visible } = await this.visible(orgId, await this.queryKind<K>(orgId, record.kind as K, this.retry));
    const byId = new Map(visible.map((i) => [i.data.id, i.data]));
    return { replayed: true, items: record.ids.map((id) => byId.get(id) ?? null) };
  }

  private async readRecord(orgId: string, uploadId: string, policy: RetryPolicy = this.cleanupRetry): Promise<UploadRecord | null> {
    return (await this.readItem(keys.upload(orgId, uploadId), policy)) as UploadRecord | null;
  }

  private async readJournal(orgId: string, uploadId: string): Promise<UploadJournal | null> {
    return (await this.readItem(keys.uploadJournal(orgId, uploadId), this.cleanupRetry)) as UploadJournal | null;
  }

  private queryKind<K extends AssetKind>(orgId: string, kind: K, policy: RetryPolicy): Promise<AssetItem<K>[]> {
    // Consistent: a list must see every item of an upload whose commit it sees.
    return queryAll<AssetItem<K>>(policy === this.retry ? this.client : retryingClient(this.doc, policy), {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.orgPk(orgId), ':prefix': keys.assetPrefix(kind) },
      ConsistentRead: true,
    });
  }

  // ---- writes that are safe to send again ----

  /** A conditional put of an item that lists show: with the organisation's new assets version (see `change`). */
  private versionedPut(item: AssetItem, ConditionExpression: string, ExpressionAttributeValues?: Record<string, unknown>): Promise<Outcome> {
    return this.change(
      item.data.orgId,
      { Put: { TableName: this.tableName, Item: item, ConditionExpression, ...(ExpressionAttributeValues && { ExpressionAttributeValues }) } },
      () => this.holdsToken({ pk: item.pk, sk: item.sk }, item.writeToken!),
    );
  }

  /**
   * A conditional write that changes what a list shows, as `conditionalWrite` sends it, together with a new assets
   * version for the organisation: in one transaction where the store has them (the first call finds out), else
   * bracketed by the version's pending entry (assets/version.ts), which is ended whatever the write's outcome.
   */
  private async change(orgId: string, action: Change, applied: () => Promise<boolean>): Promise<Outcome> {
    if (this.transactions !== false) {
      const input = { ClientRequestToken: randomUUID(), TransactItems: [action, versionPut(this.tableName, orgId)] };
      try {
        const outcome = await this.conditionalWrite(() => this.sendTransaction(input), applied);
        this.transactions = true;
        return outcome;
      } catch (err) {
        if (!(err instanceof TransactionsUnsupported)) throw err;
        this.transactions = false;
      }
    }
    const pending = await beginChange(this.doc, this.tableName, orgId, this.leaseSeconds, this.retry);
    try {
      const send = () => ('Put' in action ? this.doc.send(new PutCommand(action.Put)) : this.doc.send(new DeleteCommand(action.Delete)));
      return await this.conditionalWrite(send, applied);
    } finally {
      await endChange(this.doc, this.tableName, orgId, pending, this.cleanupRetry).catch(() => undefined);
    }
  }

  /**
   * One try of a transaction whose first action is the write and whose others cannot fail their own conditions (the
   * version put has none): a cancellation for the first action's condition is thrown as a ConditionalCheckFailed error,
   * one for contention or throttling as a throttling error (nothing was applied, so it may be sent again), and a store
   * without transactions as TransactionsUnsupported (nothing was applied either).
   */
  private async sendTransaction(input: TransactWriteCommandInput): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand(input));
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      if (NO_TRANSACTIONS.has(name)) throw new TransactionsUnsupported(String(err));
      if (name === 'TransactionCanceledException') {
        const reasons = (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw Object.assign(new Error('The conditional request failed', { cause: err }), { name: 'ConditionalCheckFailedException' });
        if (reasons.some((r) => TRANSIENT_REASONS.has(r.Code ?? ''))) {
          const codes = [...new Set(reasons.map((r) => r.Code).filter((c) => c && c !== 'None'))].join(', ');
          throw Object.assign(new Error(`the transaction was cancelled (${codes})`, { cause: err }), { name: 'TransactionConflictException' });
        }
      }
      throw err;
    }
  }

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
        await oneTry(send);
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

/** A staging write failed after `attempted` items had been sent (any of which may be stored, tagged and invisible). */
class StageFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly attempted: number,
  ) {
    super('staging failed');
  }
}

const failedAt = (err: unknown) => (err instanceof StageFailure ? err.attempted : 0);
const unwrap = (err: unknown) => (err instanceof StageFailure ? err.error : err);
/** The organisation of an upload record or journal, from its partition key (ORG#<orgId>). */
const orgOf = (item: { pk: string }) => item.pk.slice(keys.orgPk('').length);

function describe(err: unknown): string {
  return `${(err as { name?: string }).name ?? 'Error'}: ${(err as Error).message ?? String(err)}`;
}
