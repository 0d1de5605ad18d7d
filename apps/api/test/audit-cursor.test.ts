import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '@safer-places/schemas';
import { createLocalTokenService } from '../src/auth';
import { startTestApp } from './harness';

/**
 * The audit log's `next` cursor for an administrator without the sensitive-cameras permission: events about covert
 * cameras are left out of their pages, and the cursor must never be the position (time and id) of one of them.
 */
const ORG = 'audit-cursor-org';
const HIDDEN = new Set(['e12', 'e09', 'e08', 'e04', 'e01']);
const EVENTS: AuditEvent[] = Array.from({ length: 12 }, (_, i) => {
  const id = `e${String(i + 1).padStart(2, '0')}`;
  return {
    id,
    orgId: ORG,
    at: `2026-03-01T10:${String(i + 1).padStart(2, '0')}:00.000Z`,
    userId: 'u-1',
    role: 'planner',
    action: HIDDEN.has(id) ? 'sensitive-read' : 'create',
    method: HIDDEN.has(id) ? 'READ' : 'POST',
    path: '/api/cameras',
    status: 200,
    kind: 'cameras',
    ...(HIDDEN.has(id) && { sensitive: true }),
  };
});
const hiddenMarks = EVENTS.filter((e) => e.sensitive).flatMap((e) => [e.id, e.at]);

let t: Awaited<ReturnType<typeof startTestApp>>;
const tokens = createLocalTokenService(new TextEncoder().encode('test-secret-test-secret-test-secret!'));
let plainAdmin: string;
let coverAdmin: string;

beforeAll(async () => {
  t = await startTestApp();
  for (const e of EVENTS) await t.deps.audit.append(e);
  plainAdmin = (await tokens.issue({ userId: 'admin-plain', orgId: ORG, role: 'admin' })).token;
  coverAdmin = (await tokens.issue({ userId: 'admin-covert', orgId: ORG, role: 'admin', permissions: ['sensitive-cameras'] })).token;
});
afterAll(() => t.close());

async function allPages(token: string, limit: number) {
  const pages: { ids: string[]; next: string | null }[] = [];
  let before: string | null = null;
  for (let i = 0; i < 20; i++) {
    const res = await t.call('GET', `/api/audit?limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    pages.push({ ids: (res.json.events as AuditEvent[]).map((e) => e.id), next: res.json.next });
    before = res.json.next;
    if (!before) break;
  }
  return pages;
}

describe('audit log cursor', () => {
  it('without the permission: pages of visible events only, and no cursor is a hidden event', async () => {
    for (const [limit, expected] of [
      [1, [['e11'], ['e10'], ['e07'], ['e06'], ['e05'], ['e03'], ['e02']]],
      [2, [['e11', 'e10'], ['e07', 'e06'], ['e05', 'e03'], ['e02']]],
      [3, [['e11', 'e10', 'e07'], ['e06', 'e05', 'e03'], ['e02']]],
      [7, [['e11', 'e10', 'e07', 'e06', 'e05', 'e03', 'e02']]],
      [50, [['e11', 'e10', 'e07', 'e06', 'e05', 'e03', 'e02']]],
    ] as const) {
      const pages = await allPages(plainAdmin, limit);
      expect(pages.map((p) => p.ids), `limit ${limit}`).toEqual(expected);
      // The last page says there is nothing more, although hidden e01 is older still.
      expect(pages.at(-1)!.next, `limit ${limit}`).toBeNull();
      for (const p of pages.filter((x) => x.next)) {
        for (const mark of hiddenMarks) expect(p.next, `limit ${limit}: cursor ${p.next}`).not.toContain(mark);
        // Each cursor is the position of the last event handed out.
        expect(p.next).toContain(p.ids.at(-1));
      }
    }
  });

  it('with the permission: every event, the store cursor as it is', async () => {
    const pages = await allPages(coverAdmin, 5);
    expect(pages.flatMap((p) => p.ids)).toEqual(EVENTS.map((e) => e.id).reverse());
    expect(pages[0]!.ids).toEqual(['e12', 'e11', 'e10', 'e09', 'e08']);
    expect(pages[0]!.next).toContain('e08');
  });

  it('a page boundary on a hidden event no longer reveals it (the reported case)', async () => {
    // Raw newest-first: e12 e11 | e10 e09 | …; before the fix, limit 2 handed out the raw pages' cursors, the second
    // one the position of hidden e09 (its time and id).
    const res = await t.call('GET', '/api/audit?limit=2', { headers: { Authorization: `Bearer ${plainAdmin}` } });
    expect(res.json.events.map((e: AuditEvent) => e.id)).toEqual(['e11', 'e10']);
    expect(res.json.next).not.toContain('e09');
    expect(res.json.next).not.toContain('10:09:00');
  });
});
