/**
 * One import per dataset at a time. The scheduled run and a manual `aws lambda invoke` (a first load, a catch-up) can
 * otherwise overlap and write the same months and dataset summary at once. The lock is one item in the table
 * (keys.importLock), put only if it is absent or expired, and deleted by its owner when the run ends. It carries an
 * expiry in the table's TTL attribute, longer than Lambda's 15-minute limit, so a run killed mid-way (timeout, out of
 * memory) cannot hold it: the next run takes it over once it has expired, whether or not TTL has removed it yet.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION, keys } from '@safer-places/store';

/** How long a lock lasts: longer than any run can (Lambda stops a function after at most 15 minutes). */
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
        // Free, or held by a run that is over: TTL deletion is lazy, so the expiry is checked here too.
        ConditionExpression: 'attribute_not_exists(pk) OR #expires <= :now',
        ExpressionAttributeNames: { '#expires': EXPIRES },
        ExpressionAttributeValues: { ':now': nowSeconds },
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
              // "owner" is a DynamoDB reserved word.
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
