import { beforeAll, describe, expect, it } from 'vitest';
import {
  HOTSPOT_CATEGORIES,
  areasExtent,
  assignCells,
  classifyHotspots,
  createGrid,
  createPolygonLocator,
  gridMask,
  monthPeriods,
  toBng,
} from '@safer-places/geo';
import type { CrimeCategory, DatasetSummary, EligibilityCriteria, Lsoa, Month, Principal } from '@safer-places/schemas';
import { MAX_CRIMES_PER_ANALYSIS, addMonths, monthOrdinal, monthRange } from '@safer-places/schemas';
import {
  AssetService,
  BidService,
  CrimePointsCache,
  LimitExceededError,
  ReferenceService,
  ScopeResolver,
  UNPLACED_PARTITION,
  categoryMask,
  generateDemoDataset,
  seedDemoIfEmpty,
  type CrimePoints,
  type CrimeBlockFilter,
  type CrimeRecord,
} from '../src/index';
import { MemoryAssets, MemoryReference } from './in-memory-ports';

/**
 * Bid eligibility's persistent hot-spot rule reads only the partitions of the request's scope over the 24 months
 * ending `to`, priced first; for the study area it is the whole-dataset computation.
 */

// The synthetic demo set: 4 districts (DEMOLAD01…04, one CSP each), 24 months, ~95,000 crimes.
const demo = generateDemoDataset();
const admin: Principal = { userId: 'u-admin', orgId: 'demo-csp', role: 'admin' };
const categories: EligibilityCriteria['categories'] = ['acquisitive-crime', 'anti-social-behaviour'];
const persistentRule = { kind: 'persistent-hotspot-share', minShare: 0.2 } as const;
const criteria = (scope: EligibilityCriteria['scope'], rules: EligibilityCriteria['rules'] = [persistentRule]): EligibilityCriteria => ({
  scope,
  categories,
  combine: 'and',
  rules,
});

/** The in-memory store, also recording which partitions each crime read asks for (stored or not). */
class RecordingReference extends MemoryReference {
  readonly asked: string[] = [];
  override async getCrimeBlocks(id: string, months: Month[], where?: CrimeBlockFilter) {
    for (const m of months) for (const p of where?.partitions ?? ['*']) this.asked.push(`${m}|${p}`);
    return super.getCrimeBlocks(id, months, where);
  }
}

interface World {
  reference: RecordingReference;
  service: BidService;
  cache: CrimePointsCache;
  dataset: DatasetSummary & { firstMonth: Month; lastMonth: Month };
}

async function world(inflate?: (reference: MemoryReference) => void): Promise<World> {
  const reference = new RecordingReference();
  const assets = new MemoryAssets();
  let n = 0;
  const clock = { now: () => new Date('2025-03-01T00:00:00Z') };
  const assetService = new AssetService({ assets, clock, ids: { newId: () => `id-${++n}` } });
  await seedDemoIfEmpty({ reference, assets, assetService }, () => demo);
  inflate?.(reference);
  const referenceService = new ReferenceService(reference);
  const cache = new CrimePointsCache(reference, { reference: referenceService });
  const scopes = new ScopeResolver(referenceService, assetService, assets);
  const service = new BidService({ reference: referenceService, points: cache, assets: assetService, clock, scopes });
  const dataset = (await reference.getDataset(demo.summary.id)) as World['dataset'];
  return { reference, service, cache, dataset };
}

/** The (month, partition) pairs crime reads asked for since `before` (the unplaced partition is asked for even where none is stored). */
const readsSince = (reference: RecordingReference, before: number) => reference.asked.slice(before).map((r) => r.split('|') as [Month, string]);

/** The partitions of placed crimes among reads. */
const placedPartitions = (reads: [Month, string][]) => new Set(reads.map(([, p]) => p).filter((p) => p !== UNPLACED_PARTITION));

/**
 * The persistent hot-spot shares as computed before partitions: every located crime of the dataset, a grid over every
 * LSOA of the dataset, each crime's LSOA by point in polygon. Written out here independently of the use case.
 */
function wholeDatasetShares(points: CrimePoints, lsoas: readonly Lsoa[], wanted: Uint8Array, from: Month, to: Month): Float64Array {
  const areas = lsoas.map((l) => l.geometry);
  const grid = createGrid(areasExtent(areas), { shape: 'square' });
  const lonLat = new Float64Array(points.count * 2);
  for (let i = 0; i < points.count; i++) {
    lonLat[2 * i] = points.lon[i]!;
    lonLat[2 * i + 1] = points.lat[i]!;
  }
  const cellOfPoint = assignCells(grid, toBng(lonLat));
  const index = new Map(lsoas.map((l, i) => [l.code, i]));
  const locator = createPolygonLocator(lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
  const monthOfPoint = Int32Array.from(points.month, (m) => monthOrdinal(points.months[m]!));
  const first = monthOrdinal(from), last = monthOrdinal(to);
  const selected: number[] = [];
  for (let i = 0; i < points.count; i++) if (wanted[points.category[i]!] && monthOfPoint[i]! >= first && monthOfPoint[i]! <= last) selected.push(i);
  const split = monthPeriods(monthOfPoint, first, last, 10);
  const result = classifyHotspots(grid, cellOfPoint, split.periodOfPoint, split.periodCount, { mask: gridMask(grid, areas), correction: 'fdr', indices: selected });
  const persistent = HOTSPOT_CATEGORIES.indexOf('persistent hotspot');
  const total = new Float64Array(lsoas.length);
  const hot = new Float64Array(lsoas.length);
  for (const i of selected) {
    const code = locator.locate(points.lon[i]!, points.lat[i]!);
    if (code === null) continue;
    const l = index.get(code)!;
    total[l]!++;
    if (cellOfPoint[i]! >= 0 && result.category[cellOfPoint[i]!] === persistent) hot[l]!++;
  }
  return Float64Array.from(total, (t, l) => (t > 0 ? hot[l]! / t : 0));
}

describe('persistent hot-spot shares read only the scope’s partitions', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  }, 120_000);

  it('a district-scoped request reads only that district’s partitions (and the unplaced one) over the 24 months ending `to`', async () => {
    const to = addMonths(w.dataset.lastMonth, -2);
    const before = w.reference.asked.length;
    const r = await w.service.eligibility(admin, { ...criteria({ kind: 'districts', codes: ['DEMOLAD02'] }), to });
    const reads = readsSince(w.reference, before);
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads.map(([, p]) => p))).toEqual(new Set(['DEMOLAD02', UNPLACED_PARTITION]));
    const window = monthRange(addMonths(to, -23), to).filter((m) => m >= w.dataset.firstMonth);
    expect(new Set(reads.map(([m]) => m))).toEqual(new Set(window));
    // Every LSOA of the district, with a share between 0 and 1, and some crime in persistent hot spots.
    expect(r.scopeLsoas).toBe(demo.lsoas.filter((l) => l.districtCode === 'DEMOLAD02').length);
    const shares = r.lsoas.map((l) => l.persistentShare!);
    expect(shares.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(shares.some((s) => s > 0)).toBe(true);
    expect(r.notes.join(' ')).toMatch(/over the scope’s LSOAs/);
  });

  it('asks nothing more of the store for the same scope and period, whatever the crime types', async () => {
    const before = w.reference.blockQueries;
    await w.service.eligibility(admin, criteria({ kind: 'districts', codes: ['DEMOLAD02'] }));
    const afterFirst = w.reference.blockQueries;
    const again = await w.service.eligibility(admin, criteria({ kind: 'districts', codes: ['DEMOLAD02'] }));
    const otherTypes = await w.service.eligibility(admin, { ...criteria({ kind: 'districts', codes: ['DEMOLAD02'] }), categories: ['violent-crime'] });
    expect(w.reference.blockQueries).toBe(afterFirst);
    expect(afterFirst).toBeGreaterThanOrEqual(before);
    expect(again.lsoas.length).toBe(otherTypes.lsoas.length);
  });

  it('reads no crime at all without the persistent rule', async () => {
    const before = w.reference.blockQueries;
    await w.service.eligibility(admin, criteria({ kind: 'csps', codes: ['DEMOCSP03'] }, [{ kind: 'min-count', count: 10 }]));
    expect(w.reference.blockQueries).toBe(before);
  });

  it('a CSP, or any set of LSOAs, reads only its districts', async () => {
    let before = w.reference.asked.length;
    await w.service.eligibility(admin, criteria({ kind: 'csps', codes: ['DEMOCSP03'] }));
    const csp = demo.lsoas.find((l) => l.cspCode === 'DEMOCSP03')!.districtCode;
    // (The unplaced partition's months are cached by now: only the district is asked for.)
    expect(placedPartitions(readsSince(w.reference, before))).toEqual(new Set([csp]));
    // Two LSOAs of DEMOLAD04: the grid and Gi* over those two, the read of their one district.
    const two = demo.lsoas.filter((l) => l.districtCode === 'DEMOLAD04').slice(0, 2);
    before = w.reference.asked.length;
    const topo = await w.service.topology(w.dataset);
    const mask = new Uint8Array(topo.lsoas.length);
    for (const l of two) mask[topo.index.get(l.code)!] = 1;
    const shares = await w.service.persistentShares(w.dataset, topo, { mask, what: 'two LSOAs' }, categoryMask(categories), w.dataset.lastMonth);
    expect(placedPartitions(readsSince(w.reference, before))).toEqual(new Set(['DEMOLAD04']));
    // Outside the scope every share is 0.
    shares.forEach((s, i) => {
      if (!mask[i]) expect(s).toBe(0);
    });
  });

  it('for the study area, equals the whole-dataset computation', async () => {
    const topo = await w.service.topology(w.dataset);
    const wanted = categoryMask(categories);
    const to = w.dataset.lastMonth;
    const from = addMonths(to, -23) < w.dataset.firstMonth ? w.dataset.firstMonth : addMonths(to, -23);
    const all = new Uint8Array(topo.lsoas.length).fill(1);
    const shares = await w.service.persistentShares(w.dataset, topo, { mask: all, what: 'the study area' }, wanted, to);
    const expected = wholeDatasetShares(await w.cache.get(w.dataset), topo.lsoas, wanted, from, to);
    expect(expected.some((s) => s > 0)).toBe(true);
    expect(Array.from(shares)).toEqual(Array.from(expected));
    // And through the use case, as the answer rounds them.
    const r = await w.service.eligibility(admin, criteria({ kind: 'all' }));
    const byCode = new Map(topo.lsoas.map((l, i) => [l.code, Math.round(expected[i]! * 1000) / 1000]));
    for (const l of r.lsoas) expect(l.persistentShare).toBeCloseTo(byCode.get(l.code)!, 9);
  });

  it('a district’s shares are computed over the district alone: its own grid, not the study area’s', async () => {
    const topo = await w.service.topology(w.dataset);
    const wanted = categoryMask(categories);
    const district = new Uint8Array(topo.lsoas.length);
    topo.lsoas.forEach((l, i) => (district[i] = l.districtCode === 'DEMOLAD01' ? 1 : 0));
    const alone = await w.service.persistentShares(w.dataset, topo, { mask: district, what: 'DEMOLAD01' }, wanted, w.dataset.lastMonth);
    const inCounty = await w.service.persistentShares(w.dataset, topo, { mask: new Uint8Array(topo.lsoas.length).fill(1), what: 'the study area' }, wanted, w.dataset.lastMonth);
    // The district alone: the same as the whole-dataset computation on the district's LSOAs and crimes.
    const lsoas = topo.lsoas.filter((_, i) => district[i]);
    const points = await w.cache.points(w.dataset, { months: monthRange(addMonths(w.dataset.lastMonth, -23), w.dataset.lastMonth), partitions: ['DEMOLAD01', UNPLACED_PARTITION], what: 'DEMOLAD01' });
    const expected = wholeDatasetShares(points, lsoas, wanted, addMonths(w.dataset.lastMonth, -23), w.dataset.lastMonth);
    const got = topo.lsoas.flatMap((_, i) => (district[i] ? [alone[i]!] : []));
    expect(got).toEqual(Array.from(expected));
    // A different grid and neighbourhood give different figures somewhere (the study area's grid is coarser).
    expect(topo.lsoas.some((_, i) => district[i] && alone[i] !== inCounty[i])).toBe(true);
  });
});

/**
 * The demo set with one busy district: DEMOLAD04 gets BULK extra crimes a month (one record repeated, so the test
 * stays light), so the whole dataset holds more than MAX_CRIMES_PER_ANALYSIS crimes over 24 months while each other
 * district holds a few thousand.
 */
const BULK = Math.ceil(MAX_CRIMES_PER_ANALYSIS / 24) + 1_000;

function inflateDistrict4(reference: MemoryReference): void {
  for (const [key, parts] of reference.months) {
    if (!key.startsWith(`${demo.summary.id}|`)) continue;
    const blocks = parts.get('DEMOLAD04')!;
    const model = blocks.flatMap((b) => b.crimes).find((c) => c.lon !== null)!;
    const record: CrimeRecord = { ...model, id: `bulk-${model.month}`, category: 'shoplifting' as CrimeCategory };
    blocks.push({ month: model.month, lsoaCode: model.lsoaCode, crimes: new Array<CrimeRecord>(BULK).fill(record) });
  }
}

describe('persistent hot-spot shares on a dataset larger than one analysis may read', () => {
  let w: World;
  beforeAll(async () => {
    w = await world(inflateDistrict4);
  }, 120_000);

  it('the study area answers a LimitExceededError naming MAX_CRIMES_PER_ANALYSIS, before reading any crime', async () => {
    const queries = w.reference.blockQueries;
    const err = await w.service.eligibility(admin, criteria({ kind: 'all' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitExceededError);
    const e = err as LimitExceededError;
    expect(e.limit).toBe('MAX_CRIMES_PER_ANALYSIS');
    expect(e.max).toBe(MAX_CRIMES_PER_ANALYSIS);
    expect(e.asked).toBeGreaterThan(MAX_CRIMES_PER_ANALYSIS);
    expect(e.message).toMatch(/^the study area holds [\d,]+ crimes in 24 months; the limit is 800,000 crimes per analysis \(MAX_CRIMES_PER_ANALYSIS\): choose a district or CSP/);
    expect(w.reference.blockQueries).toBe(queries);
    // So does a scope that takes in the busy district; the message names the scope.
    const busy = await w.service.eligibility(admin, criteria({ kind: 'districts', codes: ['DEMOLAD01', 'DEMOLAD04'] })).catch((x: unknown) => x);
    expect(busy).toBeInstanceOf(LimitExceededError);
    expect((busy as LimitExceededError).message).toMatch(/ holds [\d,]+ crimes in 24 months/);
    expect(w.reference.blockQueries).toBe(queries);
  });

  it('the study area without the persistent rule still answers: only the rule reads crimes', async () => {
    const r = await w.service.eligibility(admin, criteria({ kind: 'all' }, [{ kind: 'min-count', count: 1 }]));
    expect(r.scopeLsoas).toBe(demo.lsoas.length);
  });

  it('one quiet district answers, reading only its own partitions', async () => {
    const before = w.reference.asked.length;
    const r = await w.service.eligibility(admin, criteria({ kind: 'districts', codes: ['DEMOLAD01'] }));
    expect(r.scopeLsoas).toBe(demo.lsoas.filter((l) => l.districtCode === 'DEMOLAD01').length);
    expect(r.lsoas.some((l) => l.persistentShare! > 0)).toBe(true);
    expect(new Set(readsSince(w.reference, before).map(([, p]) => p))).toEqual(new Set(['DEMOLAD01', UNPLACED_PARTITION]));
  });
});
