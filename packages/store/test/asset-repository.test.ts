import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, NotFoundError, VersionConflictError } from '@safer-places/domain';
import { DynamoAssetRepository } from '../src/index';
import { startTestStore, storedCamera } from './harness';

let store: Awaited<ReturnType<typeof startTestStore>>;
let repo: DynamoAssetRepository;

const camera = storedCamera;

beforeAll(async () => {
  store = await startTestStore();
  repo = new DynamoAssetRepository(store.doc, store.tableName);
});
afterAll(() => store.close());

describe('DynamoAssetRepository', () => {
  it('creates, reads back and lists only the organisation\'s own items', async () => {
    await repo.create('cameras', camera('org-a', 'c1'));
    await repo.create('cameras', camera('org-b', 'c1', 1, 'Other org camera'));
    expect(await repo.get('org-a', 'cameras', 'c1')).toEqual(camera('org-a', 'c1'));
    expect((await repo.list('org-a', 'cameras')).map((c) => c.name)).toEqual(['Market Square']);
    expect(await repo.get('org-c', 'cameras', 'c1')).toBeNull();
    expect(await repo.list('org-a', 'help-points')).toEqual([]);
  });

  it('refuses to create over an existing id', async () => {
    await expect(repo.create('cameras', camera('org-a', 'c1', 1, 'dup'))).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await repo.get('org-a', 'cameras', 'c1'))!.name).toBe('Market Square');
  });

  it('updates only from the current version; a stale write changes nothing', async () => {
    await repo.create('cameras', camera('org-a', 'c2'));
    await repo.update('cameras', camera('org-a', 'c2', 2, 'Renamed'), 1);
    const stale = repo.update('cameras', camera('org-a', 'c2', 2, 'Stale edit'), 1);
    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
    await expect(stale).rejects.toMatchObject({ currentVersion: 2 });
    expect(await repo.get('org-a', 'cameras', 'c2')).toMatchObject({ name: 'Renamed', version: 2 });
  });

  it('updating a missing item is not found, not a conflict', async () => {
    await expect(repo.update('cameras', camera('org-a', 'nope', 2), 1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes only at the current version', async () => {
    await repo.create('cameras', camera('org-a', 'c3'));
    await expect(repo.remove('org-a', 'cameras', 'c3', 7)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await repo.get('org-a', 'cameras', 'c3')).not.toBeNull();
    await repo.remove('org-a', 'cameras', 'c3', 1);
    expect(await repo.get('org-a', 'cameras', 'c3')).toBeNull();
  });

  it('cannot delete another organisation\'s item even with its id and version', async () => {
    await expect(repo.remove('org-c', 'cameras', 'c1', 1)).rejects.toBeInstanceOf(NotFoundError);
    expect(await repo.get('org-a', 'cameras', 'c1')).not.toBeNull();
  });

  it('remembers markers per organisation', async () => {
    expect(await repo.hasMarker('org-a', 'seeded')).toBe(false);
    await repo.setMarker('org-a', 'seeded');
    expect(await repo.hasMarker('org-a', 'seeded')).toBe(true);
    expect(await repo.hasMarker('org-b', 'seeded')).toBe(false);
  });
});
