import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import { retryingClient, withRetry, type RetryPolicy } from './retry';

/** How long a finished request's answer is replayed for a retry with the same key. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** How long a claimed key blocks a second request while the first has not finished (a crashed request frees it then). */
export const IDEMPOTENCY_PENDING_SECONDS = 60;

interface IdempotencyItem {
  pk: string;
  sk: string;
  fingerprint: string;
  state: 'pending' | 'done';
  claim?: string;
  expiresAt: number;
  response?: StoredResponse;
}

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** A kept answer: status, the kept headers and the body, as the API hands it over. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What reserving a key found: free (and now claimed), held by a request still running, or done with its answer. */
export type IdempotencyRecord =
  | { state: 'new'; claim: string }
  | { state: 'pending'; fingerprint: string }
  | { state: 'done'; fingerprint: string; response: StoredResponse };

/**
 * Idempotency keys in the table, scoped to one user of one organisation. This is the adapter of the API's own
 * IdempotencyStore port (apps/api/src/ports.ts), which it implements structurally: a package never imports an app,
 * and the domain has no use for an HTTP answer.
 */
export class DynamoIdempotencyStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy = { attempts: 5, baseDelayMs: 50 },
  ) {
    this.doc = retryingClient(doc, retry);
  }

  async reserve(scope: { orgId: string; userId: string }, key: string, fingerprint: string, now: Date): Promise<IdempotencyRecord> {
    const Key = keys.idempotency(scope.orgId, scope.userId, key);
    // Marks this claim as ours, so a retried claim whose first try landed is not mistaken for someone else's.
    const claim = randomUUID();
    const put = new PutCommand({
      TableName: this.tableName,
      Item: { ...Key, fingerprint, claim, state: 'pending', expiresAt: epoch(now) + IDEMPOTENCY_PENDING_SECONDS } satisfies IdempotencyItem,
      // Free unless a live record holds it; TTL deletion is lazy, so an expired record counts as free.
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': epoch(now) },
    });
    try {
      await withRetry(() => this.doc.send(put), this.retry);
      return { state: 'new', claim };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    const item = out.Item as IdempotencyItem | undefined;
    if (item?.claim === claim) return { state: 'new', claim };
    // Gone between the two calls (released or expired): the caller may simply retry.
    if (!item) return { state: 'pending', fingerprint };
    if (item.state === 'done' && item.response) return { state: 'done', fingerprint: item.fingerprint, response: item.response };
    return { state: 'pending', fingerprint: item.fingerprint };
  }

  async complete(scope: { orgId: string; userId: string }, key: string, claim: string, response: StoredResponse, now: Date): Promise<void> {
    const Key = keys.idempotency(scope.orgId, scope.userId, key);
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    const item = out.Item as IdempotencyItem | undefined;
    if (!item || item.claim !== claim) return;
    await withRetry(
      () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...Key, fingerprint: item.fingerprint, claim, state: 'done', expiresAt: epoch(now) + IDEMPOTENCY_TTL_SECONDS, response } satisfies IdempotencyItem,
            ConditionExpression: 'claim = :claim',
            ExpressionAttributeValues: { ':claim': claim },
          }),
        ),
      this.retry,
    ).catch((e: unknown) => {
      // Another request took the key over after this claim expired: its answer stands.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    });
  }

  async release(scope: { orgId: string; userId: string }, key: string, claim: string): Promise<void> {
    await this.doc
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.idempotency(scope.orgId, scope.userId, key),
          ConditionExpression: '#s = :pending AND claim = :claim',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':claim': claim },
        }),
      )
      .catch((e: unknown) => {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      });
  }
}
