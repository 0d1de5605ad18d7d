import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@safer-places/schemas';
import { DynamoAuditLog, DynamoIdempotencyStore, IDEMPOTENCY_PENDING_SECONDS } from '../src/index';
import { startTestStore } from './harness';

let store: Awaited<ReturnType<typeof startTestStore>>;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(() => store.close());

const event = (orgId: string, i: number): AuditEvent => ({
  id: `e${i}`,
  orgId,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  userId: 'u',
  role: 'admin',
  action: 'create',
  method: 'POST',
  path: '/api/areas',
  status: 201,
});

describe('audit log', () => {
  it('lists one organisation newest first, in pages', async () => {
    const log = new DynamoAuditLog(store.doc, store.tableName);
    for (let i = 0; i < 7; i++) await log.append(event('org-a', i));
    await log.append(event('org-b', 99));
    const first = await log.list('org-a', { limit: 3 });
    expect(first.events.map((e) => e.id)).toEqual(['e6', 'e5', 'e4']);
    const second = await log.list('org-a', { limit: 3, before: first.next! });
    expect(second.events.map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
    const last = await log.list('org-a', { limit: 3, before: second.next! });
    expect(last.events.map((e) => e.id)).toEqual(['e0']);
    expect(last.next).toBeNull();
    expect((await log.list('org-b', { limit: 10 })).events.map((e) => e.id)).toEqual(['e99']);
  });

  it('never overwrites an event', async () => {
    const log = new DynamoAuditLog(store.doc, store.tableName);
    await log.append(event('org-c', 1));
    await expect(log.append({ ...event('org-c', 1), action: 'delete' })).rejects.toThrow();
    expect((await log.list('org-c', { limit: 10 })).events).toEqual([event('org-c', 1)]);
  });
});

describe('idempotency records', () => {
  const scope = { orgId: 'org-a', userId: 'u1' };
  const response = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"x"}' };

  it('claim a key once, then hand back what the first request answered', async () => {
    const keys = new DynamoIdempotencyStore(store.doc, store.tableName);
    const now = new Date('2026-01-01T00:00:00Z');
    const first = await keys.reserve(scope, 'k1', 'f1', now);
    expect(first).toEqual({ state: 'new', claim: expect.any(String) });
    expect(await keys.reserve(scope, 'k1', 'f1', now)).toEqual({ state: 'pending', fingerprint: 'f1' });
    await keys.complete(scope, 'k1', (first as { claim: string }).claim, response, now);
    expect(await keys.reserve(scope, 'k1', 'f2', now)).toEqual({ state: 'done', fingerprint: 'f1', response });
    // Another user's key of the same name is another key.
    expect((await keys.reserve({ ...scope, userId: 'u2' }, 'k1', 'f1', now)).state).toBe('new');
  });

  it('free a released key, and a claim abandoned by a crashed request once it expires', async () => {
    const keys = new DynamoIdempotencyStore(store.doc, store.tableName);
    const now = new Date('2026-01-01T00:00:00Z');
    const claimOf = (r: Awaited<ReturnType<typeof keys.reserve>>) => (r as { claim: string }).claim;
    const first = claimOf(await keys.reserve(scope, 'k2', 'f1', now));
    await keys.release(scope, 'k2', first);
    const second = claimOf(await keys.reserve(scope, 'k2', 'f2', now));
    expect(second).toBeDefined();
    const later = new Date(now.getTime() + (IDEMPOTENCY_PENDING_SECONDS + 1) * 1000);
    const third = claimOf(await keys.reserve(scope, 'k2', 'f3', later));
    expect(third).toBeDefined();
    // The abandoned claim can neither free nor finish the key someone else now holds.
    await keys.release(scope, 'k2', second);
    await keys.complete(scope, 'k2', second, { ...response, body: 'stale' }, later);
    expect(await keys.reserve(scope, 'k2', 'f3', later)).toEqual({ state: 'pending', fingerprint: 'f3' });
    // Release never removes a finished record.
    await keys.complete(scope, 'k2', third, response, later);
    await keys.release(scope, 'k2', third);
    expect(await keys.reserve(scope, 'k2', 'f3', later)).toEqual({ state: 'done', fingerprint: 'f3', response });
  });
});
