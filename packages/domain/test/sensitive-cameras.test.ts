import { describe, expect, it } from 'vitest';
import type { Principal } from '@safer-places/schemas';
import { AssetService, ForbiddenError, NotFoundError, exportingAs } from '../src/index';
import { MemoryAssets } from './in-memory-ports';

const planner: Principal = { userId: 'p', orgId: 'org', role: 'planner' };
const covertPlanner: Principal = { ...planner, userId: 'cp', permissions: ['sensitive-cameras'] };
const camera = (name: string, sensitive?: boolean) => ({ name, type: 'fixed', location: { type: 'Point', coordinates: [-1.15, 52.95] }, ...(sensitive !== undefined && { sensitive }) });

function setup() {
  const reads: { userId: string; ids: string[] }[] = [];
  let n = 0;
  const service = new AssetService({
    assets: new MemoryAssets(),
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    ids: { newId: () => `id-${++n}` },
    onSensitiveRead: async (p, _kind, ids) => {
      reads.push({ userId: p.userId, ids });
    },
  });
  return { service, reads };
}

describe('covert and sensitive cameras', () => {
  it('a replayed upload answers its items as any read would: a camera made covert since is absent, a permitted read audited', async () => {
    const { service, reads } = setup();
    const first = await service.upload(planner, 'cameras', [camera('Market Place'), camera('Station')], { uploadId: 'u1' });
    expect(first.replayed).toBe(false);
    const market = first.items[0]!.item;
    await service.update(covertPlanner, 'cameras', market.id, camera('Covert watch', true), market.version);
    const replay = await service.upload(planner, 'cameras', [camera('Market Place'), camera('Station')], { uploadId: 'u1' });
    expect(replay.replayed).toBe(true);
    expect(replay.items.map((r) => r.item.name)).toEqual(['Station']);
    expect(reads).toEqual([]);
    const permitted = await service.upload(covertPlanner, 'cameras', [camera('Market Place'), camera('Station')], { uploadId: 'u1' });
    expect(permitted.items.map((r) => r.item.name)).toEqual(['Covert watch', 'Station']);
    expect(reads).toEqual([{ userId: 'cp', ids: [market.id] }]);
  });

  it('only a user with the permission records one', async () => {
    const { service } = setup();
    await expect(service.create(planner, 'cameras', camera('Covert', true))).rejects.toThrow(ForbiddenError);
    await expect(service.createMany(planner, 'cameras', [camera('Open'), camera('Covert', true)])).rejects.toThrow(/sensitive-cameras permission/);
    expect(await service.list(covertPlanner, 'cameras')).toEqual([]);
    await service.create(covertPlanner, 'cameras', camera('Covert', true));
  });

  it('is absent for everyone else, and every read by a permitted user is reported before it is handed over', async () => {
    const { service, reads } = setup();
    const covert = await service.create(covertPlanner, 'cameras', camera('Covert', true));
    const open = await service.create(planner, 'cameras', camera('Open'));
    expect((await service.list(planner, 'cameras')).map((c) => c.id)).toEqual([open.id]);
    await expect(service.get(planner, 'cameras', covert.id)).rejects.toThrow(NotFoundError);
    await expect(service.update(planner, 'cameras', covert.id, camera('Renamed'), 1)).rejects.toThrow(NotFoundError);
    await expect(service.remove(planner, 'cameras', covert.id, 1)).rejects.toThrow(NotFoundError);
    expect(reads).toEqual([]);

    expect((await service.list(covertPlanner, 'cameras')).map((c) => c.id).sort()).toEqual([covert.id, open.id].sort());
    await service.get(covertPlanner, 'cameras', covert.id);
    await service.get(covertPlanner, 'cameras', open.id);
    expect(reads).toEqual([
      { userId: 'cp', ids: [covert.id] },
      { userId: 'cp', ids: [covert.id] },
    ]);
    // Exports run as the role alone.
    expect((await service.list(exportingAs(covertPlanner), 'cameras')).map((c) => c.id)).toEqual([open.id]);
  });

  it('hide their deployments and the links of help points to them, and an edit keeps a link it could not see', async () => {
    const { service, reads } = setup();
    const covert = await service.create(covertPlanner, 'cameras', { ...camera('Covert'), type: 'redeployable', sensitive: true });
    const deployment = await service.create(covertPlanner, 'camera-deployments', { cameraId: covert.id, siteName: 'Behind the pub', location: { type: 'Point', coordinates: [-1.15, 52.95] }, startDate: '2025-06-01' });
    const help = await service.create(covertPlanner, 'help-points', { name: 'Help', status: 'live', cameraId: covert.id, location: { type: 'Point', coordinates: [-1.15, 52.95] } });
    expect(await service.list(planner, 'camera-deployments')).toEqual([]);
    await expect(service.get(planner, 'camera-deployments', deployment.id)).rejects.toMatchObject({ hidesSensitive: true });
    expect((await service.list(planner, 'help-points'))[0]).not.toHaveProperty('cameraId');
    const edited = await service.update(planner, 'help-points', help.id, { name: 'Renamed', status: 'live', location: { type: 'Point', coordinates: [-1.15, 52.95] } }, 1);
    expect(edited).not.toHaveProperty('cameraId');
    expect((await service.get(covertPlanner, 'help-points', help.id)).cameraId).toBe(covert.id);
    expect(await service.isSensitiveItem('org', 'help-points', edited)).toBe(false);
    expect(await service.isSensitiveItem('org', 'help-points', { cameraId: covert.id })).toBe(true);
    expect(reads.at(-1)).toEqual({ userId: 'cp', ids: [help.id] });
  });

  it('cannot be pointed at by a help point of a user who may not see it', async () => {
    const { service } = setup();
    const covert = await service.create(covertPlanner, 'cameras', camera('Covert', true));
    await expect(
      service.create(planner, 'help-points', { name: 'Help', status: 'live', cameraId: covert.id, location: { type: 'Point', coordinates: [-1.15, 52.95] } }),
    ).rejects.toThrow(`no camera with id "${covert.id}"`);
  });
});
