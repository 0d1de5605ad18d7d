/**
 * Audit events are written only as new items: the adapter's put carries `attribute_not_exists(pk)`, so a second put
 * of an existing key is refused by DynamoDB (here the embedded one) and the stored event stays as it was. IAM adds the
 * rest on AWS (infra/lib/api.ts: no update, delete or batch write under AUDIT#, no attribute but pk, sk and event).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@safer-places/schemas';
import { DynamoAuditLog, keys } from '../src/index';
import { startTestStore } from './harness';
import { scriptedClient } from './scripted-client';

let store: Awaited<ReturnType<typeof startTestStore>>;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(() => store.close());

const event = (orgId: string, id: string, action: AuditEvent['action'] = 'create'): AuditEvent => ({
  id,
  orgId,
  at: '2026-11-20T09:00:00.000Z',
  userId: 'u1',
  role: 'planner',
  action,
  method: 'POST',
  path: '/api/cameras',
  status: 201,
});
const stored = async (e: AuditEvent) =>
  (await store.doc.send(new GetCommand({ TableName: store.tableName, Key: keys.audit(e.orgId, e.at, e.id), ConsistentRead: true }))).Item;
/** No waiting between attempts: the outcome, not the timing, is under test. */
const NO_WAIT = { attempts: 3, baseDelayMs: 0 };

describe('audit events are append-only', () => {
  it('refuses a second put of the same key, whatever it carries, and keeps the first event', async () => {
    const log = new DynamoAuditLog(store.doc, store.tableName, NO_WAIT);
    const first = event('org-append', 'e1');
    await log.append(first);
    const rewrite = { ...first, action: 'delete' as const, detail: 'rewritten' };
    await expect(log.append(rewrite)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await expect(log.append(first)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await stored(first)).toEqual({ ...keys.audit(first.orgId, first.at, first.id), event: first });
    expect((await log.list('org-append', { limit: 10 })).events).toEqual([first]);
  });

  it('puts with the condition itself: a put of the same key with it is refused at the table', async () => {
    const e = event('org-raw', 'e2');
    await new DynamoAuditLog(store.doc, store.tableName, NO_WAIT).append(e);
    // The same request the adapter sends, by hand: the condition is what refuses it.
    const again = new PutCommand({
      TableName: store.tableName,
      Item: { ...keys.audit(e.orgId, e.at, e.id), event: { ...e, status: 500 } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    await expect(store.doc.send(again)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await stored(e))?.event).toEqual(e);
    expect(keys.audit(e.orgId, e.at, e.id).pk.startsWith(keys.auditPkPrefix)).toBe(true);
  });

  it('after a lost answer, finds its own event and succeeds; another event under that key is still refused', async () => {
    // The first put lands but its answer is lost: the retry meets the condition and finds the very same event.
    const mine = event('org-timeout', 'e3');
    const lostAnswer = scriptedClient(store.doc, (command, n) => (command instanceof PutCommand && n === 1 ? 'timeout-after-write' : undefined));
    await new DynamoAuditLog(lostAnswer.client, store.tableName, NO_WAIT).append(mine);
    expect(lostAnswer.calls('PutCommand')).toBe(2);
    expect((await stored(mine))?.event).toEqual(mine);

    // A different event with the same key, after a timeout that wrote nothing: refused, the stored one kept.
    const clash = { ...mine, userId: 'someone-else' };
    const timedOut = scriptedClient(store.doc, (command, n) => (command instanceof PutCommand && n === 1 ? 'timeout' : undefined));
    await expect(new DynamoAuditLog(timedOut.client, store.tableName, NO_WAIT).append(clash)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await stored(mine))?.event).toEqual(mine);
  });
});
