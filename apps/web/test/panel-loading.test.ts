import { describe, expect, it } from 'vitest';
import type { OrgUser, PartnershipArea, ScopeOptions } from '@safer-places/schemas';
import { RemoteRunner, type Remote } from '../src/shared/remote';
import { usersListState } from '../src/features/users/useUsers';
import { partnershipListView, sortPartnerships } from '../src/features/scope/partnerships';
import { scopeStatus } from '../src/features/scope/useScope';

/** Every state a runner reports, in order. */
function recorder<T>() {
  const seen: Remote<T>[] = [];
  const runner = new RemoteRunner<T>((r) => seen.push(r), (err) => (err instanceof Error ? err.message : String(err)));
  return { seen, runner };
}

function area(id: string, name: string): PartnershipArea {
  return { id, name, districts: ['E07000174'], lsoaCodes: [], orgId: 'o', version: 1, createdBy: 'a', createdAt: '', updatedAt: '', updatedBy: 'a' };
}

describe('the users list on the one loading state', () => {
  it('says "loading" from the first paint, then ready or failed', () => {
    expect(usersListState({ state: 'idle' })).toBe('loading');
    expect(usersListState({ state: 'loading' })).toBe('loading');
    expect(usersListState({ state: 'done', value: [] })).toBe('ready');
    expect(usersListState({ state: 'error', message: 'x' })).toBe('error');
  });

  it('keeps the list while it is read again and after that read failed', async () => {
    const { seen, runner } = recorder<OrgUser[]>();
    const pat = { id: 'u-pat', email: 'pat@example.gov.uk', name: 'Pat', role: 'planner', permissions: [], enabled: true, status: 'CONFIRMED' } as unknown as OrgUser;
    await runner.run(async () => [pat]);
    await runner.run(async () => {
      throw new Error('The service is busy');
    });
    expect(seen.slice(2).map(usersListState)).toEqual(['loading', 'error']);
    expect(seen.slice(2).map((r) => (r.state === 'loading' || r.state === 'error' ? r.previous : undefined))).toEqual([[pat], [pat]]);
  });
});

describe('the partnership areas list on the one loading state', () => {
  it('lists them by name', () => {
    expect(sortPartnerships([area('b', 'Newark'), area('a', 'Bassetlaw')]).map((p) => p.name)).toEqual(['Bassetlaw', 'Newark']);
  });

  it('shows "Loading…" only before the first answer, keeps the list while it is read again after a change', async () => {
    const { seen, runner } = recorder<PartnershipArea[]>();
    expect(partnershipListView(runner.value)).toEqual({ state: 'loading' });
    await runner.run(async () => [area('a', 'Bassetlaw')]);
    await runner.run(async () => [area('a', 'Bassetlaw'), area('b', 'Newark')]);
    expect(seen.map(partnershipListView).map((v) => (v.state === 'shown' ? v.items.map((p) => p.name) : v.state))).toEqual([
      'loading',
      ['Bassetlaw'],
      ['Bassetlaw'],
      ['Bassetlaw', 'Newark'],
    ]);
  });

  it('shows why a read failed in place of the list', async () => {
    const { runner } = recorder<PartnershipArea[]>();
    await runner.run(async () => [area('a', 'Bassetlaw')]);
    await runner.run(async () => {
      throw new Error('The server could not be reached.');
    });
    expect(partnershipListView(runner.value)).toEqual({ state: 'error', message: 'The server could not be reached.' });
  });
});

describe('the place options on the one loading state', () => {
  it('is loading while a dataset’s options are read, ready once they are in, and ready again after a local reload', async () => {
    const { seen, runner } = recorder<ScopeOptions>();
    const options = { homeKey: null } as unknown as ScopeOptions;
    expect(scopeStatus(runner.value)).toBe('idle');
    await runner.run(async () => options);
    runner.set({ ...options, homeKey: 'district:E07000174' });
    await runner.run(async () => {
      throw new Error('busy');
    });
    expect(seen.map(scopeStatus)).toEqual(['loading', 'ready', 'ready', 'loading', 'error']);
    runner.reset();
    expect(scopeStatus(runner.value)).toBe('idle');
  });
});
