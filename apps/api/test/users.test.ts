import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSignInPrincipal } from '@safer-places/domain';
import { ROLES, type AuditEvent, type OrgUser, type Permission, type Principal, type Role } from '@safer-places/schemas';
import { DynamoUserDirectory, createDocumentClient, dynamoPorts, ensureTable, keys } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';
import { createApp } from '../src/app';
import { createLocalTokenService } from '../src/auth';

/** User administration over the local store adapter: the routes, their rules, the audit trail and the adapter itself. */
const ORG_A = 'users-org-a';
const ORG_B = 'users-org-b';

let dynamo: Awaited<ReturnType<typeof startEmbeddedDynamo>>;
let doc: ReturnType<typeof createDocumentClient>;
let directory: DynamoUserDirectory;
let app: ReturnType<typeof createApp>;
let bare: ReturnType<typeof createApp>;
const errors: Record<string, unknown>[] = [];
const tokens = createLocalTokenService(new TextEncoder().encode('users-test-secret-users-test-secret'));
const TABLE = 'users-test';

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, TABLE);
  const ports = dynamoPorts(doc, TABLE);
  directory = new DynamoUserDirectory(doc, TABLE);
  const tokenDeps = { verifier: tokens.verifier, log: (e: Record<string, unknown>) => (e.level === 'error' ? errors.push(e) : undefined) };
  app = createApp({ ...ports, ...tokenDeps, users: directory });
  bare = createApp({ ...ports, ...tokenDeps });
});
afterAll(async () => {
  doc?.destroy();
  await dynamo?.close();
});

interface As {
  role: Role;
  orgId?: string;
  userId?: string;
  permissions?: Permission[];
}

async function call(method: string, path: string, as: As | null, body?: unknown, target = app) {
  const headers: Record<string, string> = {};
  if (as) {
    const p: Principal = { userId: as.userId ?? `u-${as.role}`, orgId: as.orgId ?? ORG_A, role: as.role, ...(as.permissions && { permissions: as.permissions }) };
    headers.Authorization = `Bearer ${(await tokens.issue(p)).token}`;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await target.request(path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

const ADMIN: As = { role: 'admin' };
const COVERT_ADMIN: As = { role: 'admin', userId: 'u-covert-admin', permissions: ['sensitive-cameras'] };

async function auditOf(orgId: string, as: As = { ...COVERT_ADMIN, orgId }): Promise<AuditEvent[]> {
  return (await call('GET', '/api/audit?limit=200', as)).json.events;
}

describe('user administration routes', () => {
  let pat: OrgUser;

  it('an administrator invites a user and lists the organisation', async () => {
    expect((await call('GET', '/api/users', ADMIN)).json).toEqual({ users: [] });
    const invited = await call('POST', '/api/users', ADMIN, { email: ' Pat.Jones@Example.gov.uk ', name: 'Pat Jones', role: 'planner' });
    expect(invited.status).toBe(201);
    expect(invited.headers.get('Cache-Control')).toBe('private, no-store');
    pat = invited.json;
    expect(pat).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'pat.jones@example.gov.uk',
      name: 'Pat Jones',
      role: 'planner',
      permissions: [],
      enabled: true,
      status: 'active',
      createdAt: expect.any(String),
    });
    await call('POST', '/api/users', ADMIN, { email: 'alex@example.gov.uk', name: 'Alex Smith', role: 'analyst' });
    const list = await call('GET', '/api/users', ADMIN);
    expect(list.json.users.map((u: OrgUser) => u.name)).toEqual(['Alex Smith', 'Pat Jones']);
    const events = await auditOf(ORG_A);
    expect(events.find((e) => e.action === 'create' && e.kind === 'users' && e.itemIds?.[0] === pat.id)).toMatchObject({
      userId: 'u-admin',
      method: 'POST',
      path: '/api/users',
      status: 201,
      detail: 'invited Pat Jones <pat.jones@example.gov.uk> as Planner without the covert cameras permission',
    });
  });

  it('every other role gets 403 on every user route, and nothing changes', async () => {
    const before = (await call('GET', '/api/users', ADMIN)).json.users;
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      for (const [method, path, body] of [
        ['GET', '/api/users', undefined],
        ['POST', '/api/users', { email: 'sneaky@example.gov.uk', name: 'Sneaky', role: 'admin' }],
        ['PATCH', `/api/users/${pat.id}`, { role: 'admin' }],
      ] as const) {
        const res = await call(method, path, { role, permissions: ['sensitive-cameras'] }, body);
        expect(res.status, `${method} ${path} as ${role}`).toBe(403);
        expect(res.json.detail).toContain(role);
      }
    }
    expect((await call('GET', '/api/users', ADMIN)).json.users).toEqual(before);
    expect((await call('GET', '/api/users', null)).status).toBe(401);
  });

  it('refuses bad invitations with a reason, including names that nobody could see', async () => {
    const bad = async (body: unknown) => {
      const res = await call('POST', '/api/users', ADMIN, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      return res.json.detail as string;
    };
    expect(await bad({ email: 'not-an-address', name: 'X', role: 'viewer' })).toMatch(/email must be an e-mail address/);
    expect(await bad({ email: 'z@example.gov.uk', name: '\u200B\u200D', role: 'viewer' })).toMatch(/name must contain at least one visible character/);
    expect(await bad({ email: 'z@example.gov.uk', name: 'Zed\u0000', role: 'viewer' })).toMatch(/name must not contain control characters/);
    expect(await bad({ email: 'z@example.gov.uk', name: 'Zed', role: 'superuser' })).toMatch(/role/);
    expect(await bad({ email: 'z@example.gov.uk', name: 'Zed', role: 'viewer', orgId: ORG_B })).toMatch(/unknown field.*orgId/);
    expect(await bad({ email: 'z@example.gov.uk', name: 'Zed', role: 'viewer', permissions: ['everything'] })).toMatch(/permissions/);
  });

  it('an e-mail address or (locally) a name already taken is 409', async () => {
    const sameEmail = await call('POST', '/api/users', ADMIN, { email: 'PAT.JONES@example.gov.uk', name: 'Another Pat', role: 'viewer' });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.json.detail).toMatch(/e-mail address pat.jones@example.gov.uk already exists/);
    const sameName = await call('POST', '/api/users', ADMIN, { email: 'pat2@example.gov.uk', name: '  pat   JONES ', role: 'viewer' });
    expect(sameName.status).toBe(409);
    expect(sameName.json.detail).toMatch(/called pat {3}JONES|called pat JONES/);
    // The failed second invitation gave its e-mail claim back: the address can be used.
    expect((await call('POST', '/api/users', ADMIN, { email: 'pat2@example.gov.uk', name: 'Pat Two', role: 'viewer' })).status).toBe(201);
  });

  it('changes role and enabled, audited with what changed', async () => {
    const res = await call('PATCH', `/api/users/${pat.id}`, ADMIN, { role: 'analyst', enabled: false });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: pat.id, role: 'analyst', enabled: false });
    expect((await directory.get(ORG_A, pat.id))).toMatchObject({ role: 'analyst', enabled: false });
    const again = await call('PATCH', `/api/users/${pat.id}`, ADMIN, { enabled: true });
    expect(again.json.enabled).toBe(true);
    const events = (await auditOf(ORG_A)).filter((e) => e.kind === 'users' && e.action === 'update' && e.itemIds?.[0] === pat.id);
    // Events of the same millisecond have no order between them: compared as sets.
    expect(events.map((e) => e.detail).sort()).toEqual([
      'Pat Jones <pat.jones@example.gov.uk>: enabled',
      'Pat Jones <pat.jones@example.gov.uk>: role Planner → Partnership analyst; disabled',
    ]);
    const bad = await call('PATCH', `/api/users/${pat.id}`, ADMIN, {});
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/at least one of role, permissions and enabled/);
    expect((await call('PATCH', `/api/users/${pat.id}`, ADMIN, { name: 'Renamed' })).status).toBe(400);
  });

  it("another organisation's users are never listed, and changing one is 404 (audited as not-found)", async () => {
    const adminB: As = { role: 'admin', orgId: ORG_B, userId: 'u-admin-b', permissions: ['sensitive-cameras'] };
    expect((await call('GET', '/api/users', adminB)).json.users).toEqual([]);
    for (const body of [{ role: 'admin' }, undefined, { enabled: false }]) {
      const res = await call('PATCH', `/api/users/${pat.id}`, adminB, body);
      expect(res.status, JSON.stringify(body)).toBe(404);
      expect(res.json.detail).toMatch(/no user .* in your organisation/);
    }
    expect((await directory.get(ORG_A, pat.id))).toMatchObject({ role: 'analyst', enabled: true });
    const refusals = (await auditOf(ORG_B, adminB)).filter((e) => e.action === 'not-found' && e.path === `/api/users/${pat.id}`);
    expect(refusals).toHaveLength(3);
    // Ids that are not ids at all are simply not found either.
    expect((await call('PATCH', '/api/users/pat.jones@example.gov.uk', ADMIN, { role: 'viewer' })).status).toBe(404);
  });

  it('nobody disables their own account or gives up their own administrator role', async () => {
    const me = (await call('POST', '/api/users', ADMIN, { email: 'chris@example.gov.uk', name: 'Chris Admin', role: 'admin' })).json as OrgUser;
    const asMe: As = { role: 'admin', userId: me.id };
    const disable = await call('PATCH', `/api/users/${me.id}`, asMe, { enabled: false });
    expect(disable.status).toBe(403);
    expect(disable.json.detail).toMatch(/cannot disable your own account/);
    const demote = await call('PATCH', `/api/users/${me.id}`, asMe, { role: 'viewer' });
    expect(demote.status).toBe(403);
    expect(demote.json.detail).toMatch(/own administrator role/);
    expect((await directory.get(ORG_A, me.id))).toMatchObject({ role: 'admin', enabled: true });
    // Another administrator may.
    expect((await call('PATCH', `/api/users/${me.id}`, ADMIN, { role: 'viewer' })).json.role).toBe('viewer');
  });

  it('the covert-camera permission: granted, removed and seen only by administrators who hold it', async () => {
    const grantPlain = await call('POST', '/api/users', ADMIN, { email: 'sam@example.gov.uk', name: 'Sam', role: 'planner', permissions: ['sensitive-cameras'] });
    expect(grantPlain.status).toBe(403);
    expect(grantPlain.json.detail).toMatch(/covert cameras permission/);
    const sam = (await call('POST', '/api/users', COVERT_ADMIN, { email: 'sam@example.gov.uk', name: 'Sam', role: 'planner', permissions: ['sensitive-cameras'] })).json as OrgUser;
    expect(sam.permissions).toEqual(['sensitive-cameras']);

    // A plain administrator is not told, cannot take it away, and a change of theirs leaves it as it is.
    const seenPlain = (await call('GET', '/api/users', ADMIN)).json.users.find((u: OrgUser) => u.id === sam.id);
    expect(seenPlain.permissions).toEqual([]);
    const keep = await call('PATCH', `/api/users/${sam.id}`, ADMIN, { role: 'viewer', permissions: [] });
    expect(keep.status).toBe(200);
    expect(keep.json.permissions).toEqual([]);
    expect((await directory.get(ORG_A, sam.id))).toMatchObject({ role: 'viewer', permissions: ['sensitive-cameras'] });
    expect((await call('PATCH', `/api/users/${sam.id}`, ADMIN, { permissions: ['sensitive-cameras'] })).status).toBe(403);

    const removed = await call('PATCH', `/api/users/${sam.id}`, COVERT_ADMIN, { permissions: [] });
    expect(removed.json.permissions).toEqual([]);
    expect((await directory.get(ORG_A, sam.id))!.permissions).toEqual([]);

    // The grant and the removal are sensitive events: in the log for holders only.
    const all = (await auditOf(ORG_A)).filter((e) => e.itemIds?.[0] === sam.id && (e.action === 'create' || e.action === 'update'));
    expect(all.map((e) => [e.action, e.sensitive ?? false, e.detail]).sort()).toEqual([
      ['create', true, 'invited Sam <sam@example.gov.uk> as Planner with the covert cameras permission'],
      ['update', false, 'Sam <sam@example.gov.uk>: role Planner → Viewer (read only)'],
      ['update', true, 'Sam <sam@example.gov.uk>: covert cameras permission removed'],
    ]);
    const plainView = (await auditOf(ORG_A, ADMIN)).filter((e) => e.itemIds?.[0] === sam.id && e.action !== 'denied');
    expect(plainView.map((e) => e.detail)).toEqual(['Sam <sam@example.gov.uk>: role Planner → Viewer (read only)']);
  });

  it('a server without a user directory has the routes, answering 404 after the role check', async () => {
    expect((await call('GET', '/api/users', ADMIN, undefined, bare)).json).toEqual({ error: 'not_available', detail: expect.stringMatching(/not available on this server/) });
    expect((await call('PATCH', '/api/users/x', ADMIN, undefined, bare)).status).toBe(404);
    expect((await call('POST', '/api/users', { role: 'viewer' }, {}, bare)).status).toBe(403);
  });

  it('reported nothing as an unexpected error', () => {
    expect(errors).toEqual([]);
  });
});

describe('local user directory (DynamoDB adapter)', () => {
  const ORG = 'users-store-org';

  it('keeps each organisation apart', async () => {
    const a = await directory.invite(ORG, { email: 'kim@example.gov.uk', name: 'Kim', role: 'viewer', permissions: [] });
    expect(await directory.get(ORG, a.id)).toEqual(a);
    expect(await directory.get('elsewhere', a.id)).toBeNull();
    await expect(directory.update('elsewhere', a.id, { enabled: false })).rejects.toThrow(/no user/);
    expect(await directory.list('elsewhere')).toEqual([]);
    // The same address in another organisation is another person's account locally.
    expect((await directory.invite('elsewhere', { email: 'kim@example.gov.uk', name: 'Kim', role: 'viewer', permissions: [] })).id).not.toBe(a.id);
  });

  it('takes over a claim left by an invitation that stopped part-way, but not a fresh one', async () => {
    // A claim whose user was never written, from long ago: taken over.
    await doc.send(new PutCommand({ TableName: TABLE, Item: { ...keys.userEmail(ORG, 'lee@example.gov.uk'), userId: 'ghost', at: 0 } }));
    const lee = await directory.invite(ORG, { email: 'lee@example.gov.uk', name: 'Lee', role: 'planner', permissions: [] });
    expect(lee.email).toBe('lee@example.gov.uk');
    // One just written (an invitation still under way): left alone.
    await doc.send(new PutCommand({ TableName: TABLE, Item: { ...keys.userEmail(ORG, 'max@example.gov.uk'), userId: 'in-flight', at: Date.now() } }));
    await expect(directory.invite(ORG, { email: 'max@example.gov.uk', name: 'Max', role: 'planner', permissions: [] })).rejects.toThrow(/already exists/);
    // And the failed invitation left no name claim behind.
    expect((await directory.invite(ORG, { email: 'max2@example.gov.uk', name: 'Max', role: 'planner', permissions: [] })).name).toBe('Max');
  });
});

describe('local sign-in by name', () => {
  const user = (over: Partial<OrgUser>): OrgUser => ({
    id: 'id-1',
    email: 'robin@example.gov.uk',
    name: 'Robin Hood',
    role: 'planner',
    permissions: [],
    enabled: true,
    status: 'active',
    createdAt: null,
    ...over,
  });
  const asked: Principal = { userId: 'local-viewer-robin-hood', orgId: 'demo', role: 'viewer', name: 'robin  hood ' };

  it('a user of the directory signs in as stored, whatever role was asked for', () => {
    expect(localSignInPrincipal([user({ permissions: ['sensitive-cameras'] })], asked)).toEqual({
      userId: 'id-1',
      orgId: 'demo',
      role: 'planner',
      name: 'Robin Hood',
      permissions: ['sensitive-cameras'],
    });
  });

  it('a disabled user, or one without a role, is refused', () => {
    expect(() => localSignInPrincipal([user({ enabled: false })], asked)).toThrow(/Robin Hood is disabled/);
    expect(() => localSignInPrincipal([user({ role: null })], asked)).toThrow(/no role/);
  });

  it('any other name signs in with the role asked for, as before', () => {
    expect(localSignInPrincipal([user({ name: 'Someone Else' })], asked)).toBe(asked);
    expect(localSignInPrincipal([user({})], { userId: 'local-admin', orgId: 'demo', role: 'admin' })).toEqual({ userId: 'local-admin', orgId: 'demo', role: 'admin' });
  });
});
