/**
 * One import per dataset at a time. The scheduled run and a manual `aws lambda invoke` (a first load, a catch-up) can
 * otherwise overlap and write the same months and dataset summary at once. The lock is one item in the table
 * (keys.importLock), put only if it is absent, expired or already this owner's, and deleted by its owner when the run
 * ends. It carries an expiry in the table's TTL attribute, no earlier than the run's own deadline (Lambda stops a run
 * at its timeout), so a run killed mid-way cannot hold it for long: the next run takes it over once it has expired,
 * whether or not TTL has removed it yet. The owner is the Lambda request id, which Lambda keeps when it retries a
 * failed asynchronous invocation: the retry of a run that timed out or ran out of memory takes its own lock back at once.
 *
 * The national import (infra/lib/national-import.ts) is one run over many forces: its first step takes the same lock
 * once, owned by the Step Functions execution and lasting as long as the execution may (its timeout), every per-force
 * import of that execution checks that its execution still holds it ({@link checkRunLock}) instead of taking it, and the
 * last step gives it back. So the forces of one run import in parallel, while two runs of a dataset (two executions,
 * or an execution and a direct invocation) still never overlap.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION, keys } from '@safer-places/store';

/** How long a lock lasts when the run's deadline is unknown: longer than any run can (Lambda's limit is 15 minutes). */
export const IMPORT_LOCK_SECONDS = 20 * 60;

const EXPIRES = TABLE_DEFINITION.timeToLiveAttribute;

export interface LockHolder {
  owner: string;
  acquiredAt: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface HeldLock {
  owner: string;
  /** Deletes the lock if it is still ours (a run that outlived its lock must not free another run's). */
  release(): Promise<void>;
}

export type LockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; holder: LockHolder | null };

const isConditionFailure = (err: unknown) => (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

export async function acquireImportLock(
  doc: DynamoDBDocumentClient,
  tableName: string,
  datasetId: string,
  owner: string,
  now: Date = new Date(),
  seconds: number = IMPORT_LOCK_SECONDS,
): Promise<LockAttempt> {
  const key = keys.importLock(datasetId);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...key, owner, acquiredAt: now.toISOString(), [EXPIRES]: nowSeconds + seconds },
        // Free, held by a run that is over (TTL deletion is lazy, so the expiry is checked here too), or ours already
        // (this is the retry of a run that died holding it). "owner" is a DynamoDB reserved word.
        ConditionExpression: 'attribute_not_exists(pk) OR #expires <= :now OR #owner = :owner',
        ExpressionAttributeNames: { '#expires': EXPIRES, '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': nowSeconds, ':owner': owner },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return { acquired: false, holder: await importLockHolder(doc, tableName, datasetId) };
  }
  return {
    acquired: true,
    lock: {
      owner,
      release: () => releaseImportLock(doc, tableName, datasetId, owner),
    },
  };
}

/** A per-force import of a run found the run's lock gone (expired and taken, or given back): it writes nothing. */
export class RunLockLostError extends Error {
  override name = 'RunLockLostError';
}

/** Who holds the dataset's import lock now (a consistent read), or null when nobody does. */
export async function importLockHolder(doc: DynamoDBDocumentClient, tableName: string, datasetId: string): Promise<LockHolder | null> {
  const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.importLock(datasetId), ConsistentRead: true }));
  const item = out.Item as { owner?: string; acquiredAt?: string; [k: string]: unknown } | undefined;
  return item ? { owner: String(item.owner), acquiredAt: String(item.acquiredAt), expiresAt: Number(item[EXPIRES]) } : null;
}

/**
 * Throws RunLockLostError unless `run` holds the dataset's import lock and it has not expired: a per-force import of
 * the national run checks this before it writes, so a run that outlived its lock never writes beside the next run.
 */
export async function checkRunLock(doc: DynamoDBDocumentClient, tableName: string, datasetId: string, run: string, now: Date = new Date()): Promise<void> {
  const holder = await importLockHolder(doc, tableName, datasetId);
  if (!holder || holder.owner !== run) {
    throw new RunLockLostError(
      `the import lock of dataset ${datasetId} is ${holder ? `held by ${holder.owner}` : 'not held'}, not by this run (${run}): nothing was imported`,
    );
  }
  if (holder.expiresAt <= Math.floor(now.getTime() / 1000)) {
    throw new RunLockLostError(`the import lock of dataset ${datasetId} held by this run (${run}) expired at ${new Date(holder.expiresAt * 1000).toISOString()}: nothing was imported`);
  }
}

/** Deletes the dataset's import lock if `owner` still holds it; an expired lock taken by another run is left alone. */
export async function releaseImportLock(doc: DynamoDBDocumentClient, tableName: string, datasetId: string, owner: string): Promise<void> {
  try {
    await doc.send(
      new DeleteCommand({
        TableName: tableName,
        Key: keys.importLock(datasetId),
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  } catch (err) {
    // Already expired and taken by the next run: its lock now, not ours to delete.
    if (!isConditionFailure(err)) throw err;
  }
}
