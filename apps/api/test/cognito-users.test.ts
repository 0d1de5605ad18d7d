import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, NotFoundError } from '@safer-places/domain';
import type { Principal } from '@safer-places/schemas';
import { createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';
import { createApp } from '../src/app';
import { createLocalTokenService } from '../src/auth';
import { CognitoUserDirectory, UserDirectoryThrottledError, type CognitoSender } from '../src/runtime/cognito-users';

/**
 * The Cognito adapter against a fake client that keeps a small user pool and records every command: the exact commands
 * each operation sends, and that another organisation's users are never returned, looked into further or changed.
 */
const POOL = 'eu-west-2_TestPool';
const A = 'notts-csp';
const B = 'derbys-csp';

interface FakeUser {
  sub: string;
  email: string;
  name: string;
  orgId?: string;
  enabled: boolean;
  status: string;
  groups: string[];
}

type Sent = { command: string; input: Record<string, unknown> };

class FakeCognito implements CognitoSender {
  sent: Sent[] = [];
  users: FakeUser[];
  /** Throws this error (by command name) instead of answering. */
  failures = new Map<string, Error>();
  private nextSub = 1;

  constructor(users: FakeUser[]) {
    this.users = users.map((u) => ({ ...u, groups: [...u.groups] }));
  }

  private attrs(u: FakeUser) {
    return [
      { Name: 'sub', Value: u.sub },
      { Name: 'email', Value: u.email },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'name', Value: u.name },
      ...(u.orgId ? [{ Name: 'custom:orgId', Value: u.orgId }] : []),
    ];
  }

  private find(username: unknown): FakeUser {
    const user = this.users.find((u) => u.sub === username || u.email === username);
    if (!user) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
    return user;
  }

  async send(command: { input: object; constructor: { name: string } }): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    const input = command.input as Record<string, unknown>;
    this.sent.push({ command: name, input: structuredClone(input) });
    const failure = this.failures.get(name);
    if (failure) throw failure;
    const date = new Date('2026-01-02T03:04:05.000Z');
    switch (name) {
      case 'ListUsers': {
        // Two users a page, so paging is exercised.
        const start = Number(input.PaginationToken ?? 0);
        const page = this.users.slice(start, start + 2);
        return {
          Users: page.map((u) => ({ Username: u.sub, Attributes: this.attrs(u), Enabled: u.enabled, UserStatus: u.status, UserCreateDate: date })),
          ...(start + 2 < this.users.length && { PaginationToken: String(start + 2) }),
        };
      }
      case 'AdminGetUser': {
        const u = this.find(input.Username);
        return { Username: u.sub, UserAttributes: this.attrs(u), Enabled: u.enabled, UserStatus: u.status, UserCreateDate: date };
      }
      case 'AdminListGroupsForUser':
        return { Groups: this.find(input.Username).groups.map((GroupName) => ({ GroupName })) };
      case 'AdminCreateUser': {
        if (this.users.some((u) => u.email === input.Username)) throw Object.assign(new Error('User account already exists'), { name: 'UsernameExistsException' });
        const attributes = input.UserAttributes as { Name: string; Value: string }[];
        const value = (n: string) => attributes.find((a) => a.Name === n)?.Value;
        const u: FakeUser = {
          sub: `00000000-0000-4000-8000-00000000000${this.nextSub++}`,
          email: value('email')!,
          name: value('name')!,
          orgId: value('custom:orgId')!,
          enabled: true,
          status: 'FORCE_CHANGE_PASSWORD',
          groups: [],
        };
        this.users.push(u);
        return { User: { Username: u.sub, Attributes: this.attrs(u), Enabled: true, UserStatus: u.status, UserCreateDate: date } };
      }
      case 'AdminAddUserToGroup': {
        const u = this.find(input.Username);
        if (!u.groups.includes(String(input.GroupName))) u.groups.push(String(input.GroupName));
        return {};
      }
      case 'AdminRemoveUserFromGroup': {
        const u = this.find(input.Username);
        u.groups = u.groups.filter((g) => g !== input.GroupName);
        return {};
      }
      case 'AdminDisableUser':
        this.find(input.Username).enabled = false;
        return {};
      case 'AdminEnableUser':
        this.find(input.Username).enabled = true;
        return {};
      case 'AdminDeleteUser':
        this.users = this.users.filter((u) => u !== this.find(input.Username));
        return {};
      default:
        throw new Error(`the fake does not know ${name}`);
    }
  }
}

const SUB = {
  alex: '11111111-1111-4111-8111-111111111111',
  pat: '22222222-2222-4222-8222-222222222222',
  other: '33333333-3333-4333-8333-333333333333',
  orphan: '44444444-4444-4444-8444-444444444444',
  sam: '55555555-5555-4555-8555-555555555555',
};
const POOL_USERS: FakeUser[] = [
  { sub: SUB.alex, email: 'alex@notts.gov.uk', name: 'Alex Smith', orgId: A, enabled: true, status: 'CONFIRMED', groups: ['admin', 'sensitive-cameras'] },
  { sub: SUB.other, email: 'olly@derbys.gov.uk', name: 'Olly Other', orgId: B, enabled: true, status: 'CONFIRMED', groups: ['admin'] },
  { sub: SUB.pat, email: 'pat@notts.gov.uk', name: 'Pat Jones', orgId: A, enabled: false, status: 'FORCE_CHANGE_PASSWORD', groups: ['planner', 'viewer'] },
  { sub: SUB.orphan, email: 'nobody@example.com', name: 'No Org', enabled: true, status: 'CONFIRMED', groups: [] },
  { sub: SUB.sam, email: 'sam@notts.gov.uk', name: 'Sam Lee', orgId: A, enabled: true, status: 'RESET_REQUIRED', groups: [] },
];

const setup = () => {
  const fake = new FakeCognito(POOL_USERS);
  return { fake, directory: new CognitoUserDirectory(fake, POOL) };
};
const commands = (fake: FakeCognito) => fake.sent.map((s) => s.command);
/** Every Username any command was sent with. */
const usernames = (fake: FakeCognito) => fake.sent.map((s) => s.input.Username).filter((u) => u !== undefined);

describe('Cognito user directory', () => {
  it("lists only the organisation's users, looking up groups only for them", async () => {
    const { fake, directory } = setup();
    const users = await directory.list(A);
    expect(users).toEqual([
      { id: SUB.alex, email: 'alex@notts.gov.uk', name: 'Alex Smith', role: 'admin', permissions: ['sensitive-cameras'], enabled: true, status: 'active', createdAt: '2026-01-02T03:04:05.000Z' },
      { id: SUB.pat, email: 'pat@notts.gov.uk', name: 'Pat Jones', role: 'planner', permissions: [], enabled: false, status: 'invited', createdAt: '2026-01-02T03:04:05.000Z' },
      { id: SUB.sam, email: 'sam@notts.gov.uk', name: 'Sam Lee', role: null, permissions: [], enabled: true, status: 'password-reset', createdAt: '2026-01-02T03:04:05.000Z' },
    ]);
    expect(fake.sent.filter((s) => s.command === 'ListUsers')).toEqual([
      { command: 'ListUsers', input: { UserPoolId: POOL, Limit: 60 } },
      { command: 'ListUsers', input: { UserPoolId: POOL, Limit: 60, PaginationToken: '2' } },
      { command: 'ListUsers', input: { UserPoolId: POOL, Limit: 60, PaginationToken: '4' } },
    ]);
    expect(
      fake.sent
        .filter((s) => s.command === 'AdminListGroupsForUser')
        .map((s) => s.input)
        .sort((a, b) => String(a.Username).localeCompare(String(b.Username))),
    ).toEqual([SUB.alex, SUB.pat, SUB.sam].map((Username) => ({ UserPoolId: POOL, Username, Limit: 60 })));
    expect(usernames(fake)).not.toContain(SUB.other);
    expect(usernames(fake)).not.toContain(SUB.orphan);
  });

  it('gets a user of the organisation; another organisation\'s is "not found" and is looked at no further', async () => {
    const { fake, directory } = setup();
    expect(await directory.get(A, SUB.pat)).toMatchObject({ id: SUB.pat, role: 'planner', enabled: false });
    expect(fake.sent).toEqual([
      { command: 'AdminGetUser', input: { UserPoolId: POOL, Username: SUB.pat } },
      { command: 'AdminListGroupsForUser', input: { UserPoolId: POOL, Username: SUB.pat, Limit: 60 } },
    ]);
    fake.sent = [];
    expect(await directory.get(A, SUB.other)).toBeNull();
    expect(await directory.get(A, SUB.orphan)).toBeNull();
    expect(await directory.get(A, '99999999-9999-4999-8999-999999999999')).toBeNull();
    expect(commands(fake)).toEqual(['AdminGetUser', 'AdminGetUser', 'AdminGetUser']);
    // Aliases (an e-mail address) are not ids: Cognito is not even asked.
    fake.sent = [];
    expect(await directory.get(A, 'pat@notts.gov.uk')).toBeNull();
    expect(fake.sent).toEqual([]);
  });

  it('invites into the administrator\'s organisation: the exact commands', async () => {
    const { fake, directory } = setup();
    const user = await directory.invite(A, { email: 'kim@notts.gov.uk', name: 'Kim Ng', role: 'analyst', permissions: ['sensitive-cameras'] });
    expect(user).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      email: 'kim@notts.gov.uk',
      name: 'Kim Ng',
      role: 'analyst',
      permissions: ['sensitive-cameras'],
      enabled: true,
      status: 'invited',
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    expect(fake.sent).toEqual([
      {
        command: 'AdminCreateUser',
        input: {
          UserPoolId: POOL,
          Username: 'kim@notts.gov.uk',
          UserAttributes: [
            { Name: 'email', Value: 'kim@notts.gov.uk' },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: 'Kim Ng' },
            { Name: 'custom:orgId', Value: A },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        },
      },
      { command: 'AdminAddUserToGroup', input: { UserPoolId: POOL, Username: user.id, GroupName: 'analyst' } },
      { command: 'AdminAddUserToGroup', input: { UserPoolId: POOL, Username: user.id, GroupName: 'sensitive-cameras' } },
    ]);
  });

  it('an address that already has an account is AlreadyExistsError, whichever organisation it is in', async () => {
    const { fake, directory } = setup();
    const err = await directory.invite(A, { email: 'olly@derbys.gov.uk', name: 'Olly', role: 'viewer', permissions: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlreadyExistsError);
    // The message does not say where the account is.
    expect((err as Error).message).not.toMatch(/derbys-csp/);
    expect(commands(fake)).toEqual(['AdminCreateUser']);
  });

  it('takes an invitation back when its role group cannot be set', async () => {
    const { fake, directory } = setup();
    fake.failures.set('AdminAddUserToGroup', Object.assign(new Error('Group not found'), { name: 'ResourceNotFoundException' }));
    await expect(directory.invite(A, { email: 'kim@notts.gov.uk', name: 'Kim', role: 'viewer', permissions: [] })).rejects.toThrow(/Group not found/);
    expect(fake.sent.map((s) => [s.command, s.input.Username])).toEqual([
      ['AdminCreateUser', 'kim@notts.gov.uk'],
      ['AdminAddUserToGroup', '00000000-0000-4000-8000-000000000001'],
      ['AdminDeleteUser', '00000000-0000-4000-8000-000000000001'],
    ]);
    expect(fake.users.find((u) => u.email === 'kim@notts.gov.uk')).toBeUndefined();
  });

  it('changes role, permission and enabled with the exact commands, the new role before the old one goes', async () => {
    const { fake, directory } = setup();
    const user = await directory.update(A, SUB.pat, { role: 'analyst', permissions: ['sensitive-cameras'], enabled: true });
    expect(user).toMatchObject({ id: SUB.pat, role: 'analyst', permissions: ['sensitive-cameras'], enabled: true });
    expect(fake.sent).toEqual([
      { command: 'AdminGetUser', input: { UserPoolId: POOL, Username: SUB.pat } },
      { command: 'AdminListGroupsForUser', input: { UserPoolId: POOL, Username: SUB.pat, Limit: 60 } },
      { command: 'AdminAddUserToGroup', input: { UserPoolId: POOL, Username: SUB.pat, GroupName: 'analyst' } },
      { command: 'AdminRemoveUserFromGroup', input: { UserPoolId: POOL, Username: SUB.pat, GroupName: 'planner' } },
      { command: 'AdminRemoveUserFromGroup', input: { UserPoolId: POOL, Username: SUB.pat, GroupName: 'viewer' } },
      { command: 'AdminAddUserToGroup', input: { UserPoolId: POOL, Username: SUB.pat, GroupName: 'sensitive-cameras' } },
      { command: 'AdminEnableUser', input: { UserPoolId: POOL, Username: SUB.pat } },
    ]);
    fake.sent = [];
    await directory.update(A, SUB.pat, { permissions: [], enabled: false });
    expect(fake.sent.slice(2)).toEqual([
      { command: 'AdminRemoveUserFromGroup', input: { UserPoolId: POOL, Username: SUB.pat, GroupName: 'sensitive-cameras' } },
      { command: 'AdminDisableUser', input: { UserPoolId: POOL, Username: SUB.pat } },
    ]);
    // Nothing to change: reads only.
    fake.sent = [];
    await directory.update(A, SUB.pat, { role: 'analyst', enabled: false });
    expect(commands(fake)).toEqual(['AdminGetUser', 'AdminListGroupsForUser']);
  });

  it("refuses to change another organisation's user (or one with no organisation): reads only, then NotFoundError", async () => {
    const { fake, directory } = setup();
    for (const id of [SUB.other, SUB.orphan]) {
      await expect(directory.update(A, id, { role: 'viewer', enabled: false, permissions: ['sensitive-cameras'] })).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(commands(fake)).toEqual(['AdminGetUser', 'AdminGetUser']);
    expect(fake.users.find((u) => u.sub === SUB.other)).toMatchObject({ groups: ['admin'], enabled: true });
  });

  it('Cognito refusing for load is a throttling error (the API answers 503)', async () => {
    const { fake, directory } = setup();
    fake.failures.set('ListUsers', Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    await expect(directory.list(A)).rejects.toBeInstanceOf(UserDirectoryThrottledError);
  });
});

describe('user routes over the Cognito adapter', () => {
  let dynamo: Awaited<ReturnType<typeof startEmbeddedDynamo>>;
  let doc: ReturnType<typeof createDocumentClient>;
  const tokens = createLocalTokenService(new TextEncoder().encode('cognito-users-secret-cognito-users!'));
  let fake: FakeCognito;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    doc = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(doc, 'cognito-users');
    fake = new FakeCognito(POOL_USERS);
    app = createApp({ ...dynamoPorts(doc, 'cognito-users'), verifier: tokens.verifier, users: new CognitoUserDirectory(fake, POOL), log: () => {} });
  });
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
  });

  const call = async (method: string, path: string, p: Principal, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { Authorization: `Bearer ${(await tokens.issue(p)).token}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  const adminB: Principal = { userId: SUB.other, orgId: B, role: 'admin', permissions: ['sensitive-cameras'] };

  it("an administrator of one organisation never sees or changes another's users", async () => {
    const list = await call('GET', '/api/users', adminB);
    expect(list.json.users.map((u: { id: string }) => u.id)).toEqual([SUB.other]);
    fake.sent = [];
    const res = await call('PATCH', `/api/users/${SUB.pat}`, adminB, { role: 'admin' });
    expect(res.status).toBe(404);
    expect(commands(fake)).toEqual(['AdminGetUser']);
    expect(fake.users.find((u) => u.sub === SUB.pat)!.groups).toEqual(['planner', 'viewer']);
  });

  it("an invitation always carries the administrator's own organisation", async () => {
    fake.sent = [];
    const res = await call('POST', '/api/users', adminB, { email: 'new@derbys.gov.uk', name: 'New Person', role: 'viewer' });
    expect(res.status).toBe(201);
    const create = fake.sent.find((s) => s.command === 'AdminCreateUser')!;
    expect(create.input.UserAttributes).toContainEqual({ Name: 'custom:orgId', Value: B });
  });

  it('throttling is 503 with Retry-After', async () => {
    fake.failures.set('ListUsers', Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const res = await app.request('/api/users', { headers: { Authorization: `Bearer ${(await tokens.issue(adminB)).token}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('2');
    fake.failures.clear();
  });
});
