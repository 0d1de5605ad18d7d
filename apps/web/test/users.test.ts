import { describe, expect, it } from 'vitest';
import type { OrgUser } from '@safer-places/schemas';
import { usersApi } from '../src/features/users/api';
import {
  allowedActions,
  canGrantCovert,
  changeFor,
  checkInvite,
  emptyInvite,
  savedMessage,
  sortUsers,
  userRow,
  withUser,
} from '../src/features/users/userAdmin';

const pat: OrgUser = {
  id: 'u-pat',
  email: 'pat@example.gov.uk',
  name: 'Pat Jones',
  role: 'planner',
  permissions: [],
  enabled: true,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const me = { userId: 'u-me', permissions: [] as never[] };

describe('invitation form', () => {
  it('sends a trimmed, lower-case address and the covert permission only when ticked', () => {
    expect(checkInvite({ email: ' Pat@Example.GOV.uk ', name: ' Pat Jones ', role: 'planner', covert: false })).toEqual({
      body: { email: 'pat@example.gov.uk', name: 'Pat Jones', role: 'planner' },
      errors: null,
    });
    expect(checkInvite({ email: 'pat@example.gov.uk', name: 'Pat', role: 'analyst', covert: true }).body).toEqual({
      email: 'pat@example.gov.uk',
      name: 'Pat',
      role: 'analyst',
      permissions: ['sensitive-cameras'],
    });
  });

  it('says what is wrong with each field, with the API’s own rules', () => {
    expect(checkInvite(emptyInvite()).errors).toEqual({ email: expect.stringMatching(/^E-mail must be an e-mail address/), name: 'Name is required' });
    for (const name of ['\u200B', '\u200C\u200D', '\u2060', '\uFEFF\u200B', '\u200F', '\u200E\u200F']) {
      expect(checkInvite({ email: 'a@example.gov.uk', name, role: 'viewer', covert: false }).errors, JSON.stringify(name)).toEqual({
        name: 'Name must contain at least one visible character, not only spaces or invisible characters',
      });
    }
    for (const c of ['\u0000', '\u0007', '\u001B', '\u007F', '\u202E']) {
      expect(checkInvite({ email: 'a@example.gov.uk', name: `Pat${c}`, role: 'viewer', covert: false }).errors?.name, JSON.stringify(c)).toMatch(/must not contain control characters/);
    }
    expect(checkInvite({ email: 'a@example.gov.uk', name: 'x'.repeat(81), role: 'viewer', covert: false }).errors).toEqual({ name: 'Name is at most 80 characters' });
  });
});

describe('row changes', () => {
  it('sends only what changed, or nothing', () => {
    expect(changeFor(pat, {}, true)).toBeNull();
    expect(changeFor(pat, { role: 'planner', covert: false }, true)).toBeNull();
    expect(changeFor(pat, { role: 'analyst' }, true)).toEqual({ role: 'analyst' });
    expect(changeFor(pat, { covert: true }, true)).toEqual({ permissions: ['sensitive-cameras'] });
    expect(changeFor({ ...pat, permissions: ['sensitive-cameras'] }, { covert: false }, true)).toEqual({ permissions: [] });
  });

  it('never sends the covert permission for an administrator who may not grant it', () => {
    expect(changeFor(pat, { covert: true }, false)).toBeNull();
    expect(changeFor(pat, { role: 'viewer', covert: true }, false)).toEqual({ role: 'viewer' });
    expect(canGrantCovert({ permissions: [] })).toBe(false);
    expect(canGrantCovert({ permissions: ['sensitive-cameras'] })).toBe(true);
  });

  it('nobody disables themselves or changes their own role', () => {
    expect(allowedActions(pat, me)).toEqual({ changeRole: true, toggleEnabled: true, isSelf: false });
    expect(allowedActions(pat, { userId: 'u-pat' })).toEqual({ changeRole: false, toggleEnabled: false, isSelf: true });
  });
});

describe('table rows and messages', () => {
  it('shows each user as plain text', () => {
    expect(userRow(pat, me)).toEqual({
      id: 'u-pat',
      name: 'Pat Jones',
      email: 'pat@example.gov.uk',
      role: 'Planner',
      covert: 'No',
      status: 'Active',
      enabled: 'Enabled',
      toggleLabel: 'Disable Pat Jones',
    });
    expect(userRow({ ...pat, role: null, enabled: false, status: 'invited', permissions: ['sensitive-cameras'] }, { userId: 'u-pat' })).toMatchObject({
      name: 'Pat Jones (you)',
      role: 'No role (cannot use the app)',
      covert: 'Yes',
      status: 'Invited, not signed in yet',
      enabled: 'Disabled',
      toggleLabel: 'Enable Pat Jones',
    });
    // Markup in a name stays text: the row carries it as given, for React to escape.
    expect(userRow({ ...pat, name: '<img src=x onerror=alert(1)>' }, me).name).toBe('<img src=x onerror=alert(1)>');
  });

  it('announces what a saved change did', () => {
    expect(savedMessage(pat, { ...pat, role: 'analyst', enabled: false })).toBe('Pat Jones: role is now Partnership analyst, is disabled and cannot sign in.');
    expect(savedMessage(pat, { ...pat, permissions: ['sensitive-cameras'] })).toBe('Pat Jones: may now see covert cameras.');
    expect(savedMessage(pat, pat)).toBe('Pat Jones: nothing changed.');
  });

  it('keeps the list in name order when a user is added or replaced', () => {
    const alex = { ...pat, id: 'u-alex', name: 'alex Smith', email: 'alex@example.gov.uk' };
    const zed = { ...pat, id: 'u-zed', name: 'Zed', email: 'zed@example.gov.uk' };
    expect(sortUsers([zed, pat, alex]).map((u) => u.id)).toEqual(['u-alex', 'u-pat', 'u-zed']);
    const list = withUser([alex, zed], pat);
    expect(list.map((u) => u.id)).toEqual(['u-alex', 'u-pat', 'u-zed']);
    expect(withUser(list, { ...pat, enabled: false }).find((u) => u.id === 'u-pat')!.enabled).toBe(false);
    expect(withUser(list, { ...pat, enabled: false })).toHaveLength(3);
  });
});

describe('users API calls', () => {
  it('uses the user routes with the app client’s request function', async () => {
    const calls: unknown[][] = [];
    const request = async <T,>(...args: unknown[]): Promise<T> => {
      calls.push(args);
      return undefined as T;
    };
    const api = usersApi(request);
    await api.listUsers();
    await api.inviteUser({ email: 'a@example.gov.uk', name: 'A', role: 'viewer' });
    await api.updateUser('id/with?odd#chars', { enabled: false });
    expect(calls).toEqual([
      ['GET', '/api/users', {}],
      ['POST', '/api/users', { body: { email: 'a@example.gov.uk', name: 'A', role: 'viewer' } }],
      ['PATCH', '/api/users/id%2Fwith%3Fodd%23chars', { body: { enabled: false } }],
    ]);
  });
});
