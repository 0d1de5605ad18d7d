import { beforeAll, describe, expect, it } from 'vitest';
import { HOTSPOT_CATEGORIES, areasExtent, assignCells, classifyHotspots, createGrid, createPolygonLocator, gridMask, monthPeriods, toBng } from '@safer-places/geo';
import { categoryMask } from '@safer-places/domain';
import { CATEGORY_INDEX, addMonths, monthOrdinal, roundHalfAway, type EligibilityCriteria, type Lsoa, type Month, type Principal } from '@safer-places/schemas';
import { createApp } from '../src/app';
import { createLocalTokenService } from '../src/auth';
import { MemoryReference, loadNottinghamshire, noAssets, noAudit, noIdempotency, realDataAvailable } from './bids-real-data';

/**
 * The persistent hot-spot rule on the real Nottinghamshire data (police.uk 2023-24, read from the shared folder, never
 * copied): for the whole study area the shares through POST /api/bids/eligibility are those of the whole-dataset
 * computation (every crime, a grid over every LSOA), as before crime was read by partition; a district's are computed
 * over the district alone.
 */
const available = realDataAvailable();
const principal: Principal = { userId: 'test', orgId: 'test-org', role: 'bid-writer' };
const categories: EligibilityCriteria['categories'] = ['acquisitive-crime', 'anti-social-behaviour'];
const criteria = (scope: EligibilityCriteria['scope']): EligibilityCriteria => ({ scope, categories, combine: 'and', rules: [{ kind: 'persistent-hotspot-share', minShare: 0.1 }] });

let reference: MemoryReference;
let app: ReturnType<typeof createApp>;
let token: string;

const post = async (body: unknown) => {
  const res = await app.request('/api/bids/eligibility', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as { lsoas: { code: string; persistentShare: number | null }[]; scopeLsoas: number } };
};

/** Every located crime of the months as parallel arrays, straight from the repository. */
async function crimes(months: Month[]) {
  const blocks = await reference.getCrimeBlocks('notts', months);
  const all = blocks.flatMap((b) => b.crimes).filter((c) => c.lon !== null && c.lat !== null);
  return { lon: all.map((c) => c.lon!), lat: all.map((c) => c.lat!), month: all.map((c) => monthOrdinal(c.month)), category: all.map((c) => CATEGORY_INDEX[c.category]) };
}

/** The persistent hot-spot shares computed over the given LSOAs and crimes, written out independently of the API. */
function shares(lsoas: readonly Lsoa[], points: Awaited<ReturnType<typeof crimes>>, from: Month, to: Month): Map<string, number> {
  const wanted = categoryMask(categories);
  const areas = lsoas.map((l) => l.geometry);
  const grid = createGrid(areasExtent(areas), { shape: 'square' });
  const n = points.lon.length;
  const lonLat = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    lonLat[2 * i] = points.lon[i]!;
    lonLat[2 * i + 1] = points.lat[i]!;
  }
  const cellOfPoint = assignCells(grid, toBng(lonLat));
  const first = monthOrdinal(from), last = monthOrdinal(to);
  const selected: number[] = [];
  for (let i = 0; i < n; i++) if (wanted[points.category[i]!] && points.month[i]! >= first && points.month[i]! <= last) selected.push(i);
  const split = monthPeriods(Int32Array.from(points.month), first, last, 10);
  const result = classifyHotspots(grid, cellOfPoint, split.periodOfPoint, split.periodCount, { mask: gridMask(grid, areas), correction: 'fdr', indices: selected });
  const persistent = HOTSPOT_CATEGORIES.indexOf('persistent hotspot');
  const locator = createPolygonLocator(lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
  const total = new Map<string, number>();
  const hot = new Map<string, number>();
  for (const i of selected) {
    const code = locator.locate(points.lon[i]!, points.lat[i]!);
    if (code === null) continue;
    total.set(code, (total.get(code) ?? 0) + 1);
    if (cellOfPoint[i]! >= 0 && result.category[cellOfPoint[i]!] === persistent) hot.set(code, (hot.get(code) ?? 0) + 1);
  }
  return new Map(lsoas.map((l) => [l.code, total.get(l.code) ? (hot.get(l.code) ?? 0) / total.get(l.code)! : 0]));
}

beforeAll(async () => {
  if (!available) return;
  reference = new MemoryReference();
  loadNottinghamshire(reference);
  const tokens = createLocalTokenService(new TextEncoder().encode('test-secret-test-secret-test-secret-1'));
  app = createApp({ assets: noAssets, reference, audit: noAudit, idempotency: noIdempotency, verifier: tokens.verifier, log: () => {} });
  token = (await tokens.issue(principal)).token;
}, 300_000);

describe.runIf(available)('persistent hot-spot shares on the real Nottinghamshire data', () => {
  it('for the whole study area, equal the whole-dataset computation', async () => {
    const dataset = (await reference.getDataset('notts'))!;
    const to = dataset.lastMonth!;
    const from = addMonths(to, -23) < dataset.firstMonth! ? dataset.firstMonth! : addMonths(to, -23);
    const res = await post({ criteria: criteria({ kind: 'all' }), dataset: 'notts' });
    expect(res.status).toBe(200);
    const lsoas = await reference.listLsoas('notts');
    expect(res.json.scopeLsoas).toBe(lsoas.length);
    const months: Month[] = [];
    for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
    const expected = shares(lsoas, await crimes(months), from, to);
    expect([...expected.values()].filter((s) => s > 0).length).toBeGreaterThan(10);
    for (const l of res.json.lsoas) expect(l.persistentShare, l.code).toBe(roundHalfAway(expected.get(l.code)!, 3));
  });

  it('for one district, are computed over the district alone and answer', async () => {
    const lsoas = await reference.listLsoas('notts');
    const district = lsoas.find((l) => l.districtName === 'Mansfield')?.districtCode ?? lsoas[0]!.districtCode;
    const inDistrict = lsoas.filter((l) => l.districtCode === district);
    const res = await post({ criteria: criteria({ kind: 'districts', codes: [district] }), dataset: 'notts' });
    expect(res.status).toBe(200);
    expect(res.json.scopeLsoas).toBe(inDistrict.length);
    const dataset = (await reference.getDataset('notts'))!;
    const to = dataset.lastMonth!;
    const from = addMonths(to, -23) < dataset.firstMonth! ? dataset.firstMonth! : addMonths(to, -23);
    const months: Month[] = [];
    for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
    const codes = new Set(inDistrict.map((l) => l.code));
    const all = await crimes(months);
    const blocks = (await reference.getCrimeBlocks('notts', months)).flatMap((b) => b.crimes).filter((c) => c.lon !== null && c.lat !== null);
    const keep = blocks.map((c) => codes.has(c.lsoaCode));
    const mine = { lon: all.lon.filter((_, i) => keep[i]), lat: all.lat.filter((_, i) => keep[i]), month: all.month.filter((_, i) => keep[i]), category: all.category.filter((_, i) => keep[i]) };
    const expected = shares(inDistrict, mine, from, to);
    for (const l of res.json.lsoas) expect(l.persistentShare, l.code).toBe(roundHalfAway(expected.get(l.code)!, 3));
  });
});
