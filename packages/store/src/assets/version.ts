import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../keys';
import { withRetry, type RetryPolicy } from '../retry';

/**
 * The organisation's assets version (keys.assetsVersion): what lets a process keep an organisation's asset lists and
 * ask one strongly consistent GetItem, instead of a Query per kind, whether they are still current.
 *
 * The item holds `token`, a random id that every write changing what a list shows (a create, an update, a removal, an
 * upload's commit) replaces. Random rather than a counter, so a value is never seen twice, even after the item is lost
 * or the table restored.
 *
 *  - Where the store has transactions (DynamoDB), the new token is put in the same TransactWriteItems as the write: the
 *    two land together or not at all.
 *  - Where it has none (the embedded store), a write is bracketed: before it, `begin` replaces the token and adds an
 *    entry `<lease end, epoch s>#<write id>` to the item's `pending` string set; after it, whatever its outcome, `end`
 *    replaces the token again and removes the entry. While any entry's lease runs, the version is unknown (null): a
 *    reader reads the lists afresh and keeps nothing. A process that dies between `begin` and `end` leaves its entry;
 *    once the lease is over, the write it was making has landed or never will, and the token `begin` set is new.
 *
 * A reader reads the version first and then the list, and keeps the list under that version: a write acknowledged
 * before the version read is in the list (both reads are consistent), and one that lands after it changes the token,
 * so a list kept under an older token is never taken for current once the write is acknowledged.
 */
export interface AssetsVersionItem {
  pk: string;
  sk: string;
  token: string;
  changedAt: string;
  pending?: Set<string>;
}

/** The version of an organisation that has never had an asset written since versions were introduced. */
export const UNVERSIONED = 'none';

/** The Put action (for a TransactWriteItems) that gives the organisation's assets a new version. */
export function versionPut(tableName: string, orgId: string, now = new Date()) {
  const item: AssetsVersionItem = { ...keys.assetsVersion(orgId), token: randomUUID(), changedAt: now.toISOString() };
  return { Put: { TableName: tableName, Item: item } };
}

/** The organisation's assets version (one consistent GetItem), or null while a write without a transaction is under way. */
export async function readAssetsVersion(doc: DynamoDBDocumentClient, tableName: string, orgId: string, policy: RetryPolicy, nowMs = Date.now()): Promise<string | null> {
  const out = await withRetry(() => doc.send(new GetCommand({ TableName: tableName, Key: keys.assetsVersion(orgId), ConsistentRead: true })), policy);
  const item = out.Item as AssetsVersionItem | undefined;
  if (!item) return UNVERSIONED;
  for (const entry of item.pending ?? []) if (leaseEnd(entry) * 1000 > nowMs) return null;
  return item.token;
}

/** A write in progress on a store without transactions: its entry in the version item's `pending` set. */
export interface PendingChange {
  entry: string;
}

/**
 * Before a write without a transaction: a new token, and this write's entry in `pending` (lease of `leaseSeconds`).
 * Unconditional, so sending it again is harmless. If this fails, the write must not be made.
 */
export async function beginChange(doc: DynamoDBDocumentClient, tableName: string, orgId: string, leaseSeconds: number, policy: RetryPolicy): Promise<PendingChange> {
  const entry = `${Math.floor(Date.now() / 1000) + leaseSeconds}#${randomUUID()}`;
  await changePending(doc, tableName, orgId, 'ADD', entry, policy);
  return { entry };
}

/**
 * After the write, whatever its outcome: a new token, and the entry removed. If this fails, the entry stays until its
 * lease ends, and readers keep nothing of the organisation's lists meanwhile: slower, never stale.
 */
export async function endChange(doc: DynamoDBDocumentClient, tableName: string, orgId: string, change: PendingChange, policy: RetryPolicy): Promise<void> {
  await changePending(doc, tableName, orgId, 'DELETE', change.entry, policy);
}

/** A new token, with `entry` added to or removed from `pending`, in one update. */
function changePending(doc: DynamoDBDocumentClient, tableName: string, orgId: string, op: 'ADD' | 'DELETE', entry: string, policy: RetryPolicy) {
  return withRetry(
    () =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.assetsVersion(orgId),
          UpdateExpression: `SET #token = :token, changedAt = :now ${op} pending :entry`,
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': randomUUID(), ':now': new Date().toISOString(), ':entry': new Set([entry]) },
        }),
      ),
    policy,
  );
}

const leaseEnd = (entry: string) => Number(entry.slice(0, entry.indexOf('#')));
