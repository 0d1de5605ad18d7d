/**
 * One import per dataset at a time. The scheduled run and a manual `aws lambda invoke` (a first load, a catch-up) can
 * otherwise overlap and write the same months and dataset summary at once. The lock is one item in the table
 * (keys.importLock), put only if it is absent, expired or already this owner's, and deleted by its owner when the run
 * ends. It carries an expiry in the table's TTL attribute, no earlier than the run's own deadline (Lambda stops a run
 * at its timeout), so a run killed mid-way cannot hold it for long: the next run takes it over once it has expired,
 * whether or not TTL has removed it yet. The owner is the Lambda request id, which Lambda keeps when it retries a
 * failed asynchronous invocation: the retry of a run that timed out or ran out of memory takes its own lock back at once.
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
    const out = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    const item = out.Item as { owner?: string; acquiredAt?: string; [k: string]: unknown } | undefined;
    return {
      acquired: false,
      holder: item ? { owner: String(item.owner), acquiredAt: String(item.acquiredAt), expiresAt: Number(item[EXPIRES]) } : null,
    };
  }
  return {
    acquired: true,
    lock: {
      owner,
      release: async () => {
        try {
          await doc.send(
            new DeleteCommand({
              TableName: tableName,
              Key: key,
              ConditionExpression: '#owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':owner': owner },
            }),
          );
        } catch (err) {
          // Already expired and taken by the next run: its lock now, not ours to delete.
          if (!isConditionFailure(err)) throw err;
        }
      },
    },
  };
}
