import { afterAll, beforeAll, bench, describe } from 'vitest';
import {
  BidService,
  CrimePointsCache,
  ReferenceService,
  ScopeResolver,
  categoryMask,
  evaluateCriteria,
  type AssetService,
} from '@safer-places/domain';
import { addMonths, monthRange } from '@safer-places/schemas';
import { adjacencyBySegments, connectedComponents } from '@safer-places/geo';
import { CATEGORY_INDEX, type EligibilityCriteria, type Principal } from '@safer-places/schemas';
import { createApp } from '../src/app';
import { createLocalTokenService } from '../src/auth';
import { MemoryReference, loadEngland, loadNottinghamshire, noAssets, noAudit, noIdempotency, realDataAvailable } from './bids-real-data';

/**
 * Bid eligibility on real data, in the API process:
 *  1. POST /api/bids/eligibility over the 684 Nottinghamshire LSOAs (police.uk 2023-24, IoD 2025, Census 2021), target
 *     ≤ 200 ms, against a naive baseline that counts the crimes from the crime records on every request;
 *  2. eligibility over all 33,755 England LSOA21 boundaries with seeded synthetic counts, cold (LSOA adjacency computed
 *     in the request) plus the contiguous groups of the eligible LSOAs, target ≤ 2 s, against the same pipeline with
 *     the edge-by-edge adjacency.
 * Each prints its medians and the ratio to its baseline.
 */
const available = realDataAvailable();
const principal: Principal = { userId: 'bench', orgId: 'bench-org', role: 'bid-writer' };
const criteria: EligibilityCriteria = {
  scope: { kind: 'all' },
  categories: ['acquisitive-crime', 'anti-social-behaviour'],
  combine: 'and',
  rules: [
    { kind: 'rate-above-average', minPercent: 25 },
    { kind: 'top-percent', percent: 20 },
    { kind: 'min-count', count: 50 },
    { kind: 'max-decile', decile: 5 },
  ],
};
const withPersistent: EligibilityCriteria = { ...criteria, rules: [...criteria.rules, { kind: 'persistent-hotspot-share', minShare: 0.1 }] };

const times: Record<string, number[]> = {};
const timed = async <T>(key: string, f: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const r = await f();
  (times[key] ??= []).push(performance.now() - t0);
  return r;
};
const median = (xs: number[] = []) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

let reference: MemoryReference;
let app: ReturnType<typeof createApp>;
let token: string;
const cold: Record<string, number> = {};
let englandLsoas = 0;
let sink = 0;

const post = async (body: unknown): Promise<Response> =>
  app.request('/api/bids/eligibility', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  if (!available) return;
  reference = new MemoryReference();
  const t0 = performance.now();
  const { crimes } = loadNottinghamshire(reference);
  englandLsoas = loadEngland(reference).lsoas;
  console.log(`loaded ${crimes.toLocaleString('en-GB')} Nottinghamshire crimes and ${englandLsoas.toLocaleString('en-GB')} England LSOAs in ${Math.round(performance.now() - t0)} ms`);
  const tokens = createLocalTokenService(new TextEncoder().encode('bench-secret-bench-secret-bench-secret'));
  app = createApp({ assets: noAssets, reference, audit: noAudit, idempotency: noIdempotency, verifier: tokens.verifier, log: () => {} });
  token = (await tokens.issue(principal)).token;
  let t = performance.now();
  let res = await post({ criteria, dataset: 'notts' });
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  cold.notts = performance.now() - t;
  t = performance.now();
  res = await post({ criteria: withPersistent, dataset: 'notts' });
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  cold.persistent = performance.now() - t;
}, 600_000);

afterAll(() => {
  if (!available) return;
  const api = median(times.api), base = median(times.naive), pers = median(times.persistent);
  const eng = median(times.england), engBase = median(times.englandBaseline);
  console.log(
    `\nbid eligibility, 684 Nottinghamshire LSOAs (acquisitive crime + ASB, 4 rules), POST /api/bids/eligibility:` +
      `\n  first request (loads counts, computes LSOA adjacency): ${cold.notts!.toFixed(1)} ms; with the persistent hot-spot rule (Gi* change over 24 months, first time): ${cold.persistent!.toFixed(1)} ms` +
      `\n  warm: median ${api.toFixed(1)} ms (target ≤ 200 ms); with the persistent hot-spot rule: ${pers.toFixed(1)} ms` +
      `\n  naive baseline (count the 24 months of crime records per request, same rules): median ${base.toFixed(1)} ms → ${(base / api).toFixed(1)}× faster` +
      `\nbid eligibility + contiguity, ${englandLsoas.toLocaleString('en-GB')} England LSOAs (synthetic counts), cold service (adjacency computed):` +
      `\n  median ${eng.toFixed(0)} ms (target ≤ 2,000 ms); baseline with edge-by-edge adjacency: ${engBase.toFixed(0)} ms → ${(engBase / eng).toFixed(1)}× faster\n`,
  );
});

describe.runIf(available)('eligibility over the 684 Nottinghamshire LSOAs (real police.uk data)', () => {
  bench(
    'POST /api/bids/eligibility, 4 rules',
    async () => {
      const res = await timed('api', () => post({ criteria, dataset: 'notts' }));
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      sink += ((await res.json()) as { eligible: number }).eligible;
    },
    { time: 3000, warmupIterations: 3 },
  );
  bench(
    'POST /api/bids/eligibility, 4 rules + persistent hot-spot share',
    async () => {
      const res = await timed('persistent', () => post({ criteria: withPersistent, dataset: 'notts' }));
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      sink += ((await res.json()) as { eligible: number }).eligible;
    },
    { time: 2000, warmupIterations: 2 },
  );
  bench(
    'baseline: count from the crime records, then the same rules',
    async () => {
      await timed('naive', async () => {
        const dataset = (await reference.getDataset('notts'))!;
        const lsoas = await reference.listLsoas('notts');
        const to = dataset.lastMonth!;
        const wanted = categoryMask(criteria.categories);
        const index = new Map(lsoas.map((l, i) => [l.code, i]));
        const current = new Float64Array(lsoas.length);
        const previous = new Float64Array(lsoas.length);
        const blocks = await reference.getCrimeBlocks('notts', monthRange(addMonths(to, -23), to));
        const cut = addMonths(to, -11);
        for (const b of blocks) {
          const i = index.get(b.lsoaCode);
          if (i === undefined) continue;
          for (const c of b.crimes) if (wanted[CATEGORY_INDEX[c.category]]) (c.month >= cut ? current : previous)[i]!++;
        }
        const out = evaluateCriteria({
          lsoas: lsoas.map((l) => ({ code: l.code, name: l.name, district: l.districtName, cspName: l.cspName, population: l.population, decile: l.imdDecile })),
          current,
          previous,
          persistentShare: null,
          inScope: new Uint8Array(lsoas.length).fill(1),
          inList: null,
          rules: criteria.rules,
          combine: 'and',
        });
        sink += JSON.stringify(out).length;
      });
    },
    { time: 3000, warmupIterations: 1 },
  );
});

describe.runIf(available)('eligibility + contiguity over all England LSOA21 boundaries (synthetic counts)', () => {
  const englandCriteria: EligibilityCriteria = { ...criteria, categories: ['all-crime'] };
  bench(
    'BidService.eligibility (cold: adjacency, counts, rules) + groups of the eligible',
    async () => {
      await timed('england', async () => {
        const ref = new ReferenceService(reference);
        const assetService = {} as AssetService;
        const service = new BidService({ reference: ref, points: new CrimePointsCache(reference), assets: assetService, clock: { now: () => new Date() }, scopes: new ScopeResolver(ref, assetService, noAssets) });
        const result = await service.eligibility(principal, englandCriteria, 'england');
        const topo = await service.topology((await ref.resolveDataset('england'))!);
        const eligible = result.lsoas.filter((l) => l.passes).map((l) => topo.index.get(l.code)!);
        sink += connectedComponents(topo.adjacency, eligible).length;
      });
    },
    { iterations: 4, warmupIterations: 1 },
  );
  bench(
    'baseline: the same with edge-by-edge adjacency (adjacencyBySegments)',
    async () => {
      await timed('englandBaseline', async () => {
        const ref = new ReferenceService(reference);
        const dataset = (await ref.resolveDataset('england'))!;
        const lsoas = await ref.lsoas(dataset);
        const adjacency = adjacencyBySegments(lsoas.map((l) => l.geometry));
        const to = dataset.lastMonth!;
        const wanted = categoryMask(englandCriteria.categories);
        const index = new Map(lsoas.map((l, i) => [l.code, i]));
        const sums = async (from: string, until: string) => {
          const out = new Float64Array(lsoas.length);
          for (const { counts } of await ref.monthlyCounts(dataset, monthRange(from, until))) {
            for (const [code, row] of counts) {
              const i = index.get(code);
              if (i !== undefined) for (let c = 0; c < row.length; c++) if (wanted[c]) out[i]! += row[c]!;
            }
          }
          return out;
        };
        const out = evaluateCriteria({
          lsoas: lsoas.map((l) => ({ code: l.code, name: l.name, district: l.districtName, cspName: l.cspName, population: l.population, decile: l.imdDecile })),
          current: await sums(addMonths(to, -11), to),
          previous: await sums(addMonths(to, -23), addMonths(to, -12)),
          persistentShare: null,
          inScope: new Uint8Array(lsoas.length).fill(1),
          inList: null,
          rules: englandCriteria.rules,
          combine: 'and',
        });
        sink += connectedComponents(adjacency, out.lsoas.filter((l) => l.passes).map((l) => index.get(l.code)!)).length;
      });
    },
    { iterations: 2, warmupIterations: 0 },
  );
});

export { sink };
