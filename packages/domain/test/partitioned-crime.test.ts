import { beforeAll, describe, expect, it } from 'vitest';
import type { AreaGeometry, BBox, CrimeCategory, DatasetSummary, Principal } from '@safer-places/schemas';
import { CATEGORY_INDEX, MAX_ANALYSIS_AREA_KM2, MAX_CRIMES_PER_ANALYSIS, MAX_PARTITION_READS_PER_ANALYSIS, categoriesOf, monthRange } from '@safer-places/schemas';
import {
  AreaAnalysisService,
  AssetService,
  ByteLru,
  CrimePointsCache,
  CrimeSelection,
  LimitExceededError,
  ReferenceService,
  ScopeResolver,
  UNPLACED_LSOA,
  UNPLACED_PARTITION,
  generateDemoDataset,
  seedDemoIfEmpty,
  type CrimeBlock,
  type CrimePartition,
} from '../src/index';
import { MemoryAssets, MemoryReference } from './in-memory-ports';

describe('ByteLru', () => {
  const sized = (bytes: number) => ({ bytes });
  const lru = () => new ByteLru<{ bytes: number }>(100, (v) => v.bytes);

  it('keeps at most its bytes, dropping the least recently used first', () => {
    const c = lru();
    c.set('a', sized(40));
    c.set('b', sized(40));
    expect(c.get('a')).toBeDefined(); // a is now the most recently used
    c.set('c', sized(40)); // 120 > 100: b goes, not a
    expect(c.keys()).toEqual(['a', 'c']);
    expect(c.stats()).toMatchObject({ entries: 2, bytes: 80, evictions: 1 });
    c.set('d', sized(90)); // a and c both go
    expect(c.keys()).toEqual(['d']);
    expect(c.stats().bytes).toBe(90);
  });

  it('hands back a value larger than the whole budget without keeping it', async () => {
    const c = lru();
    c.set('small', sized(10));
    expect(await c.getOrLoad('huge', async () => sized(500))).toEqual({ bytes: 500 });
    expect(c.keys()).toEqual(['small']);
  });

  it('loads a key once for concurrent requests and shares the promise', async () => {
    const c = lru();
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      loads++;
      await gate;
      return sized(10);
    };
    const both = Promise.all([c.getOrLoad('k', load), c.getOrLoad('k', load)]);
    expect(c.has('k')).toBe(true);
    release();
    const [x, y] = await both;
    expect(loads).toBe(1);
    expect(x).toBe(y);
    expect(await c.getOrLoad('k', load)).toBe(x);
    expect(loads).toBe(1);
  });

  it('keeps nothing of a failed load, so the next request tries again', async () => {
    const c = lru();
    await expect(c.getOrLoad('k', async () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(c.has('k')).toBe(false);
    expect(await c.getOrLoad('k', async () => sized(5))).toEqual({ bytes: 5 });
  });
});

// The synthetic demo set: 4 districts (DEMOLAD01…04, one CSP each), 24 months, ~95,000 crimes.
const demo = generateDemoDataset();
const admin: Principal = { userId: 'u-admin', orgId: 'demo-csp', role: 'admin' };
const districtOf = new Map(demo.lsoas.map((l) => [l.code, l.districtCode]));
const allPartitions = [...new Set(demo.lsoas.map((l) => l.districtCode))].sort();
const unionBox = (boxes: BBox[]): BBox => boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
const box = (b: BBox): AreaGeometry => ({ type: 'Polygon', coordinates: [[[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]], [b[0], b[1]]]] });
/** A small box in the middle of one LSOA of a district. */
const smallBoxIn = (district: string): BBox => {
  const l = demo.lsoas.find((x) => x.districtCode === district)!;
  const [w, s, e, n] = l.bbox;
  const cx = (w + e) / 2, cy = (s + n) / 2, dx = (e - w) / 8, dy = (n - s) / 8;
  return [cx - dx, cy - dy, cx + dx, cy + dy];
};

interface World {
  reference: MemoryReference;
  referenceService: ReferenceService;
  cache: CrimePointsCache;
  scopes: ScopeResolver;
  selection: CrimeSelection;
  areas: AreaAnalysisService;
  assets: MemoryAssets;
  dataset: DatasetSummary;
}

async function world(reference = new MemoryReference()): Promise<World> {
  const assets = new MemoryAssets();
  let n = 0;
  const assetService = new AssetService({ assets, clock: { now: () => new Date('2025-03-01T00:00:00Z') }, ids: { newId: () => `id-${++n}` } });
  await seedDemoIfEmpty({ reference, assets, assetService }, () => demo);
  const referenceService = new ReferenceService(reference);
  const cache = new CrimePointsCache(reference, { reference: referenceService });
  const scopes = new ScopeResolver(referenceService, assetService, assets);
  return {
    reference,
    referenceService,
    cache,
    scopes,
    selection: new CrimeSelection(referenceService, cache, scopes),
    areas: new AreaAnalysisService(referenceService, cache, assetService),
    assets,
    dataset: (await reference.getDataset(demo.summary.id))!,
  };
}

describe('the store layout the seed writes', () => {
  it('stores each month by district partition', async () => {
    const w = await world();
    const parts = w.reference.months.get(`${demo.summary.id}|2024-06`)!;
    expect([...parts.keys()].sort()).toEqual(allPartitions);
    for (const [p, blocks] of parts) for (const b of blocks) expect(districtOf.get(b.lsoaCode)).toBe(p);
  });
});

describe('partitions of each scope kind', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  }, 60_000);

  it('study area, districts and CSP: the districts of their LSOAs', async () => {
    const study = await w.scopes.resolve(admin, w.dataset, undefined);
    expect(study.partitions).toEqual(allPartitions);
    const two = await w.scopes.resolve(admin, w.dataset, { kind: 'districts', codes: ['DEMOLAD03', 'DEMOLAD01'] });
    expect(two.partitions).toEqual(['DEMOLAD01', 'DEMOLAD03']);
    const csp = await w.scopes.resolve(admin, w.dataset, { kind: 'csp', code: 'DEMOCSP02' });
    expect(csp.partitions).toEqual(['DEMOLAD02']);
    const { partitions, lsoaCodes } = await w.scopes.partitionsOf(csp);
    expect(partitions).toEqual(['DEMOLAD02']);
    expect(lsoaCodes.sort()).toEqual(demo.lsoas.filter((l) => l.districtCode === 'DEMOLAD02').map((l) => l.code).sort());
  });

  it('partnership area: the districts of its districts and of its single LSOAs', async () => {
    const lsoa4 = demo.lsoas.find((l) => l.districtCode === 'DEMOLAD04')!;
    w.assets.items.set('demo-csp|partnership-areas|p1', {
      id: 'p1', orgId: 'demo-csp', version: 1, name: 'Two and a bit', districts: ['DEMOLAD02'], lsoaCodes: [lsoa4.code],
      createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', createdBy: 'u-admin', updatedBy: 'u-admin',
    } as never);
    const p = await w.scopes.resolve(admin, w.dataset, { kind: 'partnership', id: 'p1' });
    expect(p.partitions).toEqual(['DEMOLAD02', 'DEMOLAD04']);
  });

  it('map view and drawn area: the districts of the LSOAs whose box meets the shape', async () => {
    const small = smallBoxIn('DEMOLAD03');
    const view = await w.scopes.resolve(admin, w.dataset, { kind: 'view', bbox: small });
    const expected = [...new Set(demo.lsoas.filter((l) => l.bbox[0] <= small[2] && small[0] <= l.bbox[2] && l.bbox[1] <= small[3] && small[1] <= l.bbox[3]).map((l) => l.districtCode))].sort();
    expect(view.partitions).toEqual(expected);
    expect(view.partitions).toContain('DEMOLAD03');
    expect(view.partitions.length).toBeLessThan(allPartitions.length);
    const whole = await w.scopes.resolve(admin, w.dataset, { kind: 'view', bbox: unionBox(demo.lsoas.map((l) => l.bbox)) });
    expect(whole.partitions).toEqual(allPartitions);
  });
});

describe('an analysis reads only the partitions its scope touches', () => {
  it('a district: only its partition, only the period asked; a warm request reads nothing and rebuilds nothing', async () => {
    const w = await world();
    const before = w.reference.blockReads.length;
    const s = await w.selection.select({ scope: { kind: 'districts', codes: ['DEMOLAD02'] }, categories: [], from: '2024-01', to: '2024-12' }, 12);
    const reads = w.reference.blockReads.slice(before);
    expect(new Set(reads.map((r) => r.split('|')[1]))).toEqual(new Set(['DEMOLAD02']));
    expect(new Set(reads.map((r) => r.split('|')[0]))).toEqual(new Set(monthRange('2024-01', '2024-12')));
    // Same crimes as a brute-force count over the stored blocks.
    const expected = demo.crimeBlocks.filter((b) => districtOf.get(b.lsoaCode) === 'DEMOLAD02' && b.month >= '2024-01').flatMap((b) => b.crimes).filter((c) => c.lon !== null).length;
    expect(s.selected.length).toBe(expected);
    expect(s.header.crimes).toBe(expected);

    const queries = w.reference.blockQueries;
    const again = await w.selection.select({ scope: { kind: 'districts', codes: ['DEMOLAD02'] }, categories: ['burglary'], from: '2024-01', to: '2024-12' }, 12);
    expect(w.reference.blockQueries).toBe(queries);
    expect(again.points).toBe(s.points); // the assembled points, projection and KD-tree are reused
    expect(again.projected).toBe(s.projected);
  });

  it('a wider scope reuses the cached units and reads only the missing ones', async () => {
    const w = await world();
    await w.selection.select({ scope: { kind: 'districts', codes: ['DEMOLAD02'] }, categories: [], from: '2024-07', to: '2024-12' }, 12);
    const before = w.reference.blockReads.length;
    await w.selection.select({ scope: { kind: 'districts', codes: ['DEMOLAD01', 'DEMOLAD02'] }, categories: [], from: '2024-07', to: '2024-12' }, 12);
    expect(new Set(w.reference.blockReads.slice(before).map((r) => r.split('|')[1]))).toEqual(new Set(['DEMOLAD01']));
  });

  it('two requests at once read each unit once', async () => {
    const w = await world();
    const q = { scope: { kind: 'districts' as const, codes: ['DEMOLAD04'] }, categories: [], from: '2024-01' as const, to: '2024-03' as const };
    const [a, b] = await Promise.all([w.selection.select(q, 12), w.selection.select(q, 12)]);
    expect(a.points).toBe(b.points);
    expect(w.reference.blockReads.filter((r) => r.endsWith('|DEMOLAD04')).length).toBe(3);
  });

  it('a failed read is not kept: the next request reads again and succeeds', async () => {
    class Flaky extends MemoryReference {
      failNext = false;
      override async getCrimeBlocks(...args: Parameters<MemoryReference['getCrimeBlocks']>) {
        if (this.failNext) {
          this.failNext = false;
          throw new Error('store down');
        }
        return super.getCrimeBlocks(...args);
      }
    }
    const flaky = new Flaky();
    const w = await world(flaky);
    flaky.failNext = true;
    const q = { scope: { kind: 'districts' as const, codes: ['DEMOLAD01'] }, categories: [], from: '2024-01' as const, to: '2024-02' as const };
    await expect(w.selection.select(q, 12)).rejects.toThrow('store down');
    const s = await w.selection.select(q, 12);
    expect(s.selected.length).toBeGreaterThan(0);
  });

  it('a drawn area: the districts its box meets (and unplaced crimes), with the same counts as a brute-force test', async () => {
    const w = await world();
    const small = smallBoxIn('DEMOLAD01');
    const before = w.reference.blockReads.length;
    const stats = await w.areas.analyse(admin, box(small), { categories: [], from: '2024-01', to: '2024-12' });
    const read = new Set(w.reference.blockReads.slice(before).map((r) => r.split('|')[1]!));
    const touched = new Set(demo.lsoas.filter((l) => l.bbox[0] <= small[2] && small[0] <= l.bbox[2] && l.bbox[1] <= small[3] && small[1] <= l.bbox[3]).map((l) => l.districtCode));
    for (const p of read) expect(touched.has(p) || p === UNPLACED_PARTITION).toBe(true);
    expect(read.size).toBeLessThanOrEqual(touched.size + 1);
    const inside = (c: { lon: number | null; lat: number | null }) => c.lon !== null && c.lat !== null && c.lon > small[0] && c.lon < small[2] && c.lat > small[1] && c.lat < small[3];
    const expected = demo.crimeBlocks.filter((b) => b.month >= '2024-01' && b.month <= '2024-12').flatMap((b) => b.crimes).filter(inside).length;
    expect(stats.total).toBe(expected);
  });

  it('the cache stays within its bytes, however many scopes are asked', async () => {
    const reference = new MemoryReference();
    const w = await world(reference);
    const small = new CrimePointsCache(reference, { reference: w.referenceService, maxBytes: 2_000_000 });
    const selection = new CrimeSelection(w.referenceService, small, w.scopes);
    for (const d of allPartitions) {
      await selection.select({ scope: { kind: 'districts', codes: [d] }, categories: [], from: '2023-01', to: '2024-12' }, 12);
      expect(small.stats().bytes).toBeLessThanOrEqual(2_000_000);
    }
    expect(small.stats().evictions).toBeGreaterThan(0);
  });
});

describe('monthly counts per partition', () => {
  it('a scope reads only its partitions and its counts are those of the stored blocks', async () => {
    const w = await world();
    const scope = await w.scopes.resolve(admin, w.dataset, { kind: 'csp', code: 'DEMOCSP03' });
    const before = w.reference.countReads.length;
    const stats = await w.referenceService.lsoaStats({ category: 'violent-crime', from: '2024-01', to: '2024-12' }, scope);
    expect(new Set(w.reference.countReads.slice(before).map((r) => r.split('|')[1]))).toEqual(new Set(['DEMOLAD03']));
    const wanted = new Set(categoriesOf('violent-crime').map((c) => CATEGORY_INDEX[c]));
    const brute = new Map<string, number>();
    for (const b of demo.crimeBlocks) {
      if (b.month < '2024-01' || b.month > '2024-12') continue;
      brute.set(b.lsoaCode, (brute.get(b.lsoaCode) ?? 0) + b.crimes.filter((c) => wanted.has(CATEGORY_INDEX[c.category as CrimeCategory])).length);
    }
    expect(stats.lsoas.length).toBe(scope.lsoas.length);
    for (const row of stats.lsoas) expect(row.count).toBe(brute.get(row.code) ?? 0);
  });

  it('the whole dataset and a scope agree, and the strategic table is unchanged by the cache state', async () => {
    const w = await world();
    const all = await w.referenceService.lsoaStats({ category: 'all-crime' });
    const scope = await w.scopes.resolve(admin, w.dataset, { kind: 'districts', codes: ['DEMOLAD04'] });
    const one = await w.referenceService.lsoaStats({ category: 'all-crime' }, scope);
    const byCode = new Map(all.lsoas.map((r) => [r.code, r.count]));
    for (const r of one.lsoas) expect(r.count).toBe(byCode.get(r.code));
    const cold = await (await world()).referenceService.strategicAssessment({ groupBy: 'district' });
    const warm = await w.referenceService.strategicAssessment({ groupBy: 'district' });
    expect(warm).toEqual(cold);
  });
});

describe('cost checks before any read', () => {
  /** A store that reports national-sized partitions (sizes only; no crime is read before the check). */
  class Sized extends MemoryReference {
    constructor(private readonly perPartition: number, private readonly partitions: readonly CrimePartition[]) {
      super();
    }
    override async crimePartitionSizes(id: string, from: string, to: string) {
      this.sizeQueries++;
      return new Map(monthRange(from, to).map((m) => [m, new Map(this.partitions.map((p) => [p, this.perPartition] as const))]));
    }
  }

  it('refuses too many crimes, naming the limit, the figure and what would fit; reads no crime', async () => {
    const reference = new Sized(30_000, allPartitions);
    const w = await world(reference);
    const reads = reference.blockQueries;
    const err = await w.selection.select({ categories: [], from: '2023-01', to: '2024-12' }, 12).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitExceededError);
    const e = err as LimitExceededError;
    expect(e.limit).toBe('MAX_CRIMES_PER_ANALYSIS');
    expect(e.asked).toBe(30_000 * 4 * 24);
    expect(e.max).toBe(MAX_CRIMES_PER_ANALYSIS);
    expect(e.message).toContain('the study area holds 2,880,000 crimes in 24 months');
    expect(e.message).toContain('800,000');
    expect(e.message).toMatch(/choose a district or CSP/);
    expect(reference.blockQueries).toBe(reads);
    // One district over the same 24 months fits (720,000 crimes).
    const one = await w.selection.select({ scope: { kind: 'districts', codes: ['DEMOLAD01'] }, categories: [], from: '2023-01', to: '2024-12' }, 12);
    expect(one.selected.length).toBeGreaterThan(0);
  });

  it('refuses too many partition reads (months × districts)', async () => {
    const many = Array.from({ length: 150 }, (_, i) => `E0${String(7000000 + i)}`);
    const reference = new Sized(1, [...allPartitions, ...many]);
    const w = await world(reference);
    const cost = await w.cache.price(w.dataset, { months: monthRange('2023-01', '2024-12'), partitions: allPartitions, what: 'the study area' });
    expect(cost).toMatchObject({ months: 24, partitions: 4, partitionReads: 96, crimes: 96 });
    const err = await w.cache.price(w.dataset, { months: monthRange('2023-01', '2024-12'), partitions: [...allPartitions, ...many], what: 'England' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitExceededError);
    expect((err as LimitExceededError).limit).toBe('MAX_PARTITION_READS_PER_ANALYSIS');
    expect((err as LimitExceededError).asked).toBe(154 * 24);
    expect((err as LimitExceededError).max).toBe(MAX_PARTITION_READS_PER_ANALYSIS);
    expect((err as LimitExceededError).message).toMatch(/England spans 154 districts over 24 months, 3,696 district-months to read; the limit is 2,400/);
  });

  it('refuses a drawn area or map view over the area limit before clipping it; a district-sized one passes', async () => {
    const w = await world();
    const uk: AreaGeometry = box([-8, 50, 2, 58.5]);
    const err = await w.areas.analyse(admin, uk, { categories: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitExceededError);
    expect((err as LimitExceededError).limit).toBe('MAX_ANALYSIS_AREA_KM2');
    expect((err as LimitExceededError).max).toBe(MAX_ANALYSIS_AREA_KM2);
    expect((err as LimitExceededError).asked).toBeGreaterThan(300_000);
    expect((err as LimitExceededError).message).toMatch(/the area covers [\d,]+ km²; the limit is 10,000 km²/);
    const view = await w.scopes.resolve(admin, w.dataset, { kind: 'view', bbox: [-8, 50, 2, 58.5] }).catch((e: unknown) => e);
    expect(view).toBeInstanceOf(LimitExceededError);
    expect((view as LimitExceededError).message).toMatch(/^the map view covers/);
    const district = unionBox(demo.lsoas.filter((l) => l.districtCode === 'DEMOLAD01').map((l) => l.bbox));
    const stats = await w.areas.analyse(admin, box(district), { categories: [] });
    expect(stats.total).toBeGreaterThan(0);
  });
});

describe('whole-dataset reads', () => {
  it('get(dataset) holds every located crime, unplaced ones included', async () => {
    const w = await world();
    const points = await w.cache.get(w.dataset);
    const located = (blocks: CrimeBlock[]) => blocks.flatMap((b) => b.crimes).filter((c) => c.lon !== null).length;
    expect(points.count).toBe(located(demo.crimeBlocks));
    expect(points.partitions).toEqual([...allPartitions, UNPLACED_PARTITION].sort());
    expect(points.lsoaCodes.every((c) => districtOf.has(c) || c === UNPLACED_LSOA)).toBe(true);
  });
});
