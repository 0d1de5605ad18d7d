import { describe, expect, it } from 'vitest';
import type { CrimeCategory, DatasetSummary, Lsoa, Principal } from '@safer-places/schemas';
import { ASSET_KIND_NAMES, cameraInputSchema } from '@safer-places/schemas';
import {
  AssetService,
  ForbiddenError,
  ReferenceService,
  UnprocessableError,
  ValidationError,
  assertValidArea,
  canWrite,
  parseOrThrow,
  seedDemoIfEmpty,
  writableKinds,
  type DemoDataset,
} from '../src/index';
import { addMonths, monthRange, periodLabel } from '@safer-places/schemas';
import { MemoryAssets, MemoryReference, byDistrict } from './in-memory-ports';

describe('months', () => {
  it('adds across year ends and lists inclusive ranges', () => {
    expect(addMonths('2024-12', 1)).toBe('2025-01');
    expect(addMonths('2024-01', -1)).toBe('2023-12');
    expect(addMonths('2024-03', -14)).toBe('2023-01');
    expect(monthRange('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(monthRange('2024-02', '2024-01')).toEqual([]);
    expect(periodLabel('2024-01', '2024-12')).toBe('Jan 2024 to Dec 2024 (12 months)');
    expect(periodLabel('2024-05', '2024-05')).toBe('May 2024 (1 month)');
  });
});

describe('permissions', () => {
  it('lets viewers change nothing and admins everything', () => {
    expect(writableKinds('viewer')).toEqual([]);
    expect(writableKinds('admin')).toEqual(ASSET_KIND_NAMES);
    expect(writableKinds('analyst')).toEqual(expect.arrayContaining(['pspo-zones', 'safer-streets-areas', 'areas']));
    expect(writableKinds('analyst')).not.toContain('cameras');
    expect(writableKinds('planner')).toEqual(['cameras', 'help-points', 'pspo-zones', 'patrol-visits', 'camera-deployments']);
    expect(canWrite('analyst', 'patrol-visits')).toBe(false);
    expect(canWrite('bid-writer', 'safer-streets-areas')).toBe(true);
    expect(canWrite('bid-writer', 'cameras')).toBe(false);
  });
});

describe('validation', () => {
  it('names every problem with its path, and unknown fields by name', () => {
    const run = () => parseOrThrow(cameraInputSchema, { name: '', type: 'dome', location: null, extra: 1 }, 'camera');
    expect(run).toThrow(ValidationError);
    try {
      run();
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toMatch(/^invalid camera: /);
      expect(message).toMatch(/\(body\): unknown field\(s\) "extra" not accepted/);
      expect(message).toMatch(/name: name is required/);
      expect(message).toMatch(/type: /);
      expect((e as ValidationError).details.map((d) => d.path)).toEqual(expect.arrayContaining(['name', 'type', 'location']));
    }
  });

  it('rejects crossing edges with the crossing point', () => {
    const bowtie = { type: 'Polygon' as const, coordinates: [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]] as [number, number][][] };
    expect(() => assertValidArea(bowtie)).toThrow(UnprocessableError);
    expect(() => assertValidArea(bowtie)).toThrow(/cross each other at \[1\.000000, 1\.000000\]/);
    const square = { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] as [number, number][][] };
    expect(() => assertValidArea(square)).not.toThrow();
  });
});

describe('AssetService', () => {
  const planner: Principal = { userId: 'u1', orgId: 'org', role: 'planner' };
  const clock = { now: () => new Date('2026-11-22T10:00:00Z') };
  let n = 0;
  const service = new AssetService({ assets: new MemoryAssets(), clock, ids: { newId: () => `id-${++n}` } });
  const body = { name: 'Cam', type: 'fixed', location: { type: 'Point', coordinates: [-1.15, 52.95] } };

  it('stamps server-owned fields and keeps creation fields on update', async () => {
    const created = await service.create(planner, 'cameras', body);
    expect(created).toMatchObject({ id: 'id-1', orgId: 'org', version: 1, createdBy: 'u1', createdAt: '2026-11-22T10:00:00.000Z' });
    const updated = await service.update({ ...planner, userId: 'u2' }, 'cameras', 'id-1', { ...body, name: 'New' }, 1);
    expect(updated).toMatchObject({ name: 'New', version: 2, createdBy: 'u1', updatedBy: 'u2' });
  });

  it('refuses writes from roles that may not change the layer', async () => {
    await expect(service.create({ ...planner, role: 'viewer' }, 'cameras', body)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(service.create({ ...planner, role: 'bid-writer' }, 'cameras', body)).rejects.toThrow(/bid-writer role cannot change CCTV cameras/);
  });
});

const lsoa = (code: string, population: number | null): Lsoa => ({
  code,
  name: code,
  districtCode: 'D',
  districtName: 'D',
  wardName: null,
  cspCode: null,
  cspName: null,
  population,
  imdDecile: 5,
  deprivationSource: 'test',
  geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
  bbox: [0, 0, 1, 1],
});
const dataset = (version: string): DatasetSummary => ({
  id: 'ds',
  name: 'ds',
  synthetic: false,
  version,
  firstMonth: '2024-01',
  lastMonth: '2024-06',
  lsoaCount: 2,
  crimeCount: 0,
  bbox: null,
  sources: [],
  importedAt: '2026-01-01T00:00:00Z',
  notes: [],
});
const block = (month: string, lsoaCode: string, categories: CrimeCategory[]) => ({
  month,
  lsoaCode,
  crimes: categories.map((category, i) => ({ id: `${month}${lsoaCode}${i}`, month, category, lon: 0.5, lat: 0.5, location: '', lsoaCode, publishedLsoaCode: lsoaCode, outcome: null })),
});

describe('ReferenceService.lsoaStats', () => {
  async function setUp() {
    const repo = new MemoryReference();
    await repo.putDataset(dataset('v1'));
    await repo.putLsoas('ds', [lsoa('A', 2000), lsoa('B', null)]);
    for (const m of monthRange('2024-01', '2024-06')) {
      await repo.replaceCrimeMonth('ds', m, [block(m, 'A', ['burglary', 'drugs']), block(m, 'B', ['robbery'])], byDistrict([lsoa('A', 0), lsoa('B', 0)]));
    }
    return { repo, service: new ReferenceService(repo) };
  }

  it('defaults to the 12 months ending with the last month and says which months have no data', async () => {
    const { service } = await setUp();
    const stats = await service.lsoaStats({ category: 'all-crime' });
    expect(stats).toMatchObject({ from: '2023-07', to: '2024-06', months: 12, total: 18 });
    expect(stats.lsoas).toEqual([
      { code: 'A', count: 12, ratePer1000: 6, population: 2000, imdDecile: 5 },
      { code: 'B', count: 6, ratePer1000: null, population: null, imdDecile: 5 },
    ]);
    expect(stats.notes.join(' ')).toMatch(/No crime data for 6 of the 12 months/);
  });

  it('counts the group a user picks', async () => {
    const { service } = await setUp();
    const stats = await service.lsoaStats({ category: 'neighbourhood-crime', from: '2024-01', to: '2024-03' });
    expect(stats.lsoas.map((r) => r.count)).toEqual([3, 3]);
  });

  it('reads counts once per dataset version and again after the version changes', async () => {
    const { repo, service } = await setUp();
    await service.lsoaStats({ category: 'all-crime', from: '2024-01', to: '2024-06' });
    await service.lsoaStats({ category: 'drugs', from: '2024-02', to: '2024-05' });
    expect(repo.countQueries).toBe(1);
    await repo.replaceCrimeMonth('ds', '2024-06', [block('2024-06', 'A', ['drugs', 'drugs', 'drugs'])], byDistrict([lsoa('A', 0)]));
    await repo.putDataset(dataset('v2'));
    const stats = await service.lsoaStats({ category: 'drugs', from: '2024-06', to: '2024-06' });
    expect(repo.countQueries).toBe(2);
    expect(stats.lsoas[0]!.count).toBe(3);
  });
});

describe('seedDemoIfEmpty', () => {
  it('seeds once, and never brings back what a user deleted', async () => {
    const assets = new MemoryAssets();
    const reference = new MemoryReference();
    const assetService = new AssetService({ assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } });
    const demo: DemoDataset = {
      summary: { ...dataset('demo-1'), id: 'demo', synthetic: true },
      lsoas: [lsoa('A', 1000)],
      crimeBlocks: [block('2024-01', 'A', ['drugs'])],
      assets: {
        cameras: [{ id: 'cam-1', input: cameraInputSchema.parse({ name: 'Demo cam', type: 'fixed', location: { type: 'Point', coordinates: [-1.15, 52.95] } }) }],
        helpPoints: [],
        pspoZones: [],
        saferStreetsAreas: [],
      },
    };
    let generated = 0;
    const generate = () => (generated++, demo);
    expect(await seedDemoIfEmpty({ reference, assets, assetService }, generate, 'org')).toEqual({ seededReference: true, seededAssets: true });
    await assets.remove('org', 'cameras', 'cam-1', 1);
    expect(await seedDemoIfEmpty({ reference, assets, assetService }, generate, 'org')).toEqual({ seededReference: false, seededAssets: false });
    expect(generated).toBe(1);
    expect(await assets.list('org', 'cameras')).toEqual([]);
    expect(await reference.listDatasets()).toHaveLength(1);
  });
});
