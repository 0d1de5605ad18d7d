import { bench, describe } from 'vitest';
import { createPointIndex, pointTree, toBng } from '@safer-places/geo';
import type { Principal } from '@safer-places/schemas';
import { AssetService, CrimePointsCache, CrimeSelection, ReferenceService, ScopeResolver, generateDemoDataset, seedDemoIfEmpty } from '../src/index';
import { MemoryAssets, MemoryReference } from './in-memory-ports';

/**
 * What a warm request on a scope costs against what it would cost to rebuild its points (the same run, the same
 * machine: compare the ratios, not the times). `npx vitest bench --run test/crime-points.bench.ts` in packages/domain.
 *
 * - warm: the same scope and period again (the assembled points, their projection and KD-trees are cached);
 * - assemble from cached units: a period not asked before, over units already read (concatenation + one lon/lat KD-tree);
 * - baseline rebuild: what a cache of whole points would redo for every new scope (projection and both KD-trees).
 */
const demo = generateDemoDataset();
const admin: Principal = { userId: 'u', orgId: 'demo-csp', role: 'admin' };
const reference = new MemoryReference();
const assets = new MemoryAssets();
const assetService = new AssetService({ assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } });
await seedDemoIfEmpty({ reference, assets, assetService }, () => demo);
const referenceService = new ReferenceService(reference);
const cache = new CrimePointsCache(reference, { reference: referenceService });
const selection = new CrimeSelection(referenceService, cache, new ScopeResolver(referenceService, assetService, assets));
const scope = { kind: 'study-area' as const };
const warm = await selection.select({ principal: admin, scope, categories: [], from: '2024-01', to: '2024-12' }, 12);
selection.tree(warm.points);
// Every unit of the dataset read once.
await selection.select({ principal: admin, scope, categories: [], from: '2023-01', to: '2024-12' }, 12);
console.log(`study area, 12 months: ${warm.points.count.toLocaleString('en-GB')} points; cache ${JSON.stringify(cache.stats())}`);

let k = 0;
const periods = ['2023-02', '2023-03', '2023-04', '2023-05', '2023-06', '2023-07'] as const;

describe('crime points of a scope (demo study area, 12 months)', () => {
  bench('warm: same scope and period', async () => {
    const s = await selection.select({ principal: admin, scope, categories: [], from: '2024-01', to: '2024-12' }, 12);
    selection.tree(s.points);
  });
  bench('assemble from cached units (a new period)', async () => {
    // A period whose units are cached; its assembly is dropped after each run so every run assembles.
    const request = { months: monthsFrom(periods[k++ % periods.length]!), partitions: warm.scope.partitions, what: 'bench' };
    await cache.points(warm.dataset, request);
    cache.forget(warm.dataset, request);
  });
  bench('baseline: project and index the same points again', () => {
    const p = warm.points;
    const lonLat = new Float64Array(p.count * 2);
    for (let i = 0; i < p.count; i++) {
      lonLat[2 * i] = p.lon[i]!;
      lonLat[2 * i + 1] = p.lat[i]!;
    }
    createPointIndex(lonLat);
    pointTree(toBng(lonLat));
  });
});

function monthsFrom(from: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let i = 0; i < 12; i++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
