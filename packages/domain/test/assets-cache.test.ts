import { describe, expect, it } from 'vitest';
import type { AssetByKind, AssetKind, Principal } from '@safer-places/schemas';
import { AssetService, type AssetsVersionSource, type UploadOutcome, type UploadRequest } from '../src/index';
import { MemoryAssets } from './in-memory-ports';

/**
 * The in-memory repository with an assets version per organisation, moved by every write, as the store's is; it counts
 * what it is asked. `hold` makes version reads wait until released (a read in flight across another request's write).
 */
class VersionedAssets extends MemoryAssets implements AssetsVersionSource {
  readonly versions = new Map<string, number>();
  listCalls = 0;
  versionReads = 0;
  /** What assetsVersion answers instead of the version (null: "no version to trust now"). */
  override: string | null | undefined;
  private held: (() => void)[] | null = null;

  async assetsVersion(orgId: string): Promise<string | null> {
    this.versionReads++;
    const version = this.override !== undefined ? this.override : String(this.versions.get(orgId) ?? 0);
    if (this.held) await new Promise<void>((go) => this.held!.push(go));
    return version;
  }
  hold() {
    this.held = [];
  }
  release() {
    const waiting = this.held ?? [];
    this.held = null;
    for (const go of waiting) go();
  }
  private bump(orgId: string) {
    this.versions.set(orgId, (this.versions.get(orgId) ?? 0) + 1);
  }
  override async list<K extends AssetKind>(orgId: string, kind: K) {
    this.listCalls++;
    return super.list(orgId, kind);
  }
  override async create<K extends AssetKind>(kind: K, asset: AssetByKind[K]) {
    await super.create(kind, asset);
    this.bump(asset.orgId);
  }
  override async createMany<K extends AssetKind>(kind: K, assets: AssetByKind[K][]) {
    await super.createMany(kind, assets);
    if (assets[0]) this.bump(assets[0].orgId);
  }
  override async upload<K extends AssetKind>(kind: K, assets: AssetByKind[K][], request: UploadRequest): Promise<UploadOutcome<K>> {
    const outcome = await super.upload(kind, assets, request);
    if (!outcome.replayed && assets[0]) this.bump(assets[0].orgId);
    return outcome;
  }
  override async update<K extends AssetKind>(kind: K, asset: AssetByKind[K], expected: number) {
    await super.update(kind, asset, expected);
    this.bump(asset.orgId);
  }
  override async remove(orgId: string, kind: AssetKind, id: string, expected: number) {
    await super.remove(orgId, kind, id, expected);
    this.bump(orgId);
  }
}

const analyst: Principal = { userId: 'a', orgId: 'org', role: 'analyst' };
const planner: Principal = { userId: 'p', orgId: 'org', role: 'planner' };
const covertPlanner: Principal = { ...planner, userId: 'cp', permissions: ['sensitive-cameras'] };
const otherOrg: Principal = { userId: 'o', orgId: 'other', role: 'planner' };
const camera = (name: string, sensitive?: boolean) => ({ name, type: 'fixed', location: { type: 'Point', coordinates: [-1.15, 52.95] }, ...(sensitive !== undefined && { sensitive }) });
const helpPoint = (name: string, cameraId?: string) => ({ name, status: 'live', location: { type: 'Point', coordinates: [-1.151, 52.951] }, ...(cameraId && { cameraId }) });

function setup(options: { listCacheBytes?: number } = {}) {
  const repo = new VersionedAssets();
  const audited: { userId: string; kind: string; ids: string[] }[] = [];
  let n = 0;
  const make = () =>
    new AssetService({
      assets: repo,
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      ids: { newId: () => `id-${++n}` },
      onSensitiveRead: async (p, kind, ids) => void audited.push({ userId: p.userId, kind, ids }),
      ...options,
    });
  // Two services on one repository: two processes (or Lambda instances) sharing the table.
  return { repo, service: make(), elsewhere: make(), audited };
}

describe('asset lists kept per organisation version', () => {
  it('a list asked again reads only the version; a write anywhere moves it and the next list has the write', async () => {
    const { repo, service, elsewhere } = setup();
    await service.create(planner, 'cameras', camera('Market Place'));
    expect((await service.list(analyst, 'cameras')).map((c) => c.name)).toEqual(['Market Place']);
    const lists = repo.listCalls;
    expect((await service.list(analyst, 'cameras')).map((c) => c.name)).toEqual(['Market Place']);
    expect(repo.listCalls).toBe(lists);

    // Written through another process: this one learns of it by the version alone.
    const station = await elsewhere.create(planner, 'cameras', camera('Station'));
    expect((await service.list(analyst, 'cameras')).map((c) => c.name).sort()).toEqual(['Market Place', 'Station']);
    await elsewhere.update(planner, 'cameras', station.id, camera('Station forecourt'), station.version);
    expect((await service.list(analyst, 'cameras')).map((c) => c.name).sort()).toEqual(['Market Place', 'Station forecourt']);
    await elsewhere.remove(planner, 'cameras', station.id, station.version + 1);
    expect((await service.list(analyst, 'cameras')).map((c) => c.name)).toEqual(['Market Place']);
    await elsewhere.upload(planner, 'cameras', [camera('Bus station'), camera('Canal')], { uploadId: 'u1' });
    expect((await service.list(analyst, 'cameras')).map((c) => c.name).sort()).toEqual(['Bus station', 'Canal', 'Market Place']);
  });

  it('the lists one request asks for at once share one version read, and a later request reads it again', async () => {
    const { repo, service } = setup();
    await service.create(planner, 'cameras', camera('Market Place'));
    const reads = repo.versionReads;
    await Promise.all([service.list(analyst, 'cameras'), service.list(analyst, 'help-points'), service.list(analyst, 'pspo-zones')]);
    expect(repo.versionReads - reads).toBe(1);
    await service.list(analyst, 'cameras');
    expect(repo.versionReads - reads).toBe(2);
  });

  it('a version read still in flight when a write is acknowledged is never shared with a list that starts after it', async () => {
    const { repo, service, elsewhere } = setup();
    await service.list(analyst, 'cameras'); // kept under version 0
    repo.hold();
    const early = service.list(analyst, 'cameras');
    await elsewhere.create(planner, 'cameras', camera('Station'));
    const late = service.list(analyst, 'cameras');
    repo.release();
    expect(await early).toEqual([]); // read its version before the write: may or may not see it, and here does not
    expect((await late).map((c) => c.name)).toEqual(['Station']);
  });

  it('organisations never share a kept list', async () => {
    const { service } = setup();
    await service.create(planner, 'cameras', camera('Ours'));
    await service.create(otherOrg, 'cameras', camera('Theirs'));
    expect((await service.list(analyst, 'cameras')).map((c) => c.name)).toEqual(['Ours']);
    expect((await service.list(otherOrg, 'cameras')).map((c) => c.name)).toEqual(['Theirs']);
    expect((await service.list(analyst, 'cameras')).map((c) => c.name)).toEqual(['Ours']);
  });

  it('covert cameras: filtered for every reader and audited on every permitted read, kept list or not', async () => {
    const { repo, service, audited } = setup();
    const covert = await service.create(covertPlanner, 'cameras', { ...camera('Covert watch', true), type: 'redeployable' });
    await service.create(planner, 'cameras', camera('Market Place'));
    const point = await service.create(covertPlanner, 'help-points', helpPoint('Help point', covert.id));
    await service.create(covertPlanner, 'camera-deployments', { cameraId: covert.id, siteName: 'Alley', location: covert.location, startDate: '2026-01-01' });
    const lists = repo.listCalls;
    for (let round = 0; round < 3; round++) {
      expect((await service.list(planner, 'cameras')).map((c) => c.name)).toEqual(['Market Place']);
      expect(await service.list(planner, 'help-points')).toEqual([expect.not.objectContaining({ cameraId: expect.anything() })]);
      expect(await service.list(planner, 'camera-deployments')).toEqual([]);
      expect((await service.list(covertPlanner, 'cameras')).map((c) => c.name).sort()).toEqual(['Covert watch', 'Market Place']);
      expect((await service.list(covertPlanner, 'help-points'))[0]).toMatchObject({ id: point.id, cameraId: covert.id });
    }
    expect(audited.filter((a) => a.kind === 'cameras')).toEqual(Array(3).fill({ userId: 'cp', kind: 'cameras', ids: [covert.id] }));
    expect(audited.filter((a) => a.kind === 'help-points')).toEqual(Array(3).fill({ userId: 'cp', kind: 'help-points', ids: [point.id] }));
    // Rounds two and three were answered from the kept lists: one read of each kind in all.
    expect(repo.listCalls - lists).toBe(3);
  });

  it('hands out copies: a caller sorting or emptying its answer changes nothing for the next one', async () => {
    const { service } = setup();
    await service.create(planner, 'cameras', camera('B'));
    await service.create(planner, 'cameras', camera('A'));
    const first = await service.list(analyst, 'cameras');
    const names = first.map((c) => c.name);
    first.sort((x, y) => x.name.localeCompare(y.name)).reverse();
    first.length = 0;
    expect((await service.list(analyst, 'cameras')).map((c) => c.name)).toEqual(names);
  });

  it('keeps nothing while the repository has no version to trust (null), or with no room', async () => {
    const { repo, service } = setup();
    await service.create(planner, 'cameras', camera('Market Place'));
    repo.override = null;
    const lists = repo.listCalls;
    await service.list(analyst, 'cameras');
    await service.list(analyst, 'cameras');
    expect(repo.listCalls - lists).toBe(2);

    const none = setup({ listCacheBytes: 0 });
    await none.service.create(planner, 'cameras', camera('Market Place'));
    const before = none.repo.listCalls;
    await none.service.list(analyst, 'cameras');
    await none.service.list(analyst, 'cameras');
    expect(none.repo.listCalls - before).toBe(2);
    expect(none.repo.versionReads).toBe(0);
  });

  it('a repository without a version is read on every list, as before', async () => {
    const repo = new MemoryAssets();
    let lists = 0;
    const counting = Object.assign(Object.create(repo) as MemoryAssets, {
      list: (orgId: string, kind: AssetKind) => {
        lists++;
        return repo.list(orgId, kind);
      },
    });
    const service = new AssetService({ assets: counting, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } });
    await service.list(analyst, 'pspo-zones');
    await service.list(analyst, 'pspo-zones');
    expect(lists).toBe(2);
  });
});
