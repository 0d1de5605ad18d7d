import { afterAll, beforeAll, bench, describe } from 'vitest';
import { CATEGORY_INDEX, categoriesOf, monthRange } from '@safer-places/schemas';
import { AssetService, generateDemoDataset, seedDemoIfEmpty } from '@safer-places/domain';
import { startTestApp } from './harness';

/**
 * Latency of GET /api/lsoas/stats (12 months, all crime) on the demo data set in the embedded DynamoDB, against a
 * baseline that counts the same figures from the packed crime blocks — what the route would cost without the
 * monthly-counts items.
 */
let t: Awaited<ReturnType<typeof startTestApp>>;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoIfEmpty(
    { reference: t.reference, assets: t.assets, assetService: new AssetService({ assets: t.assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } }) },
    () => generateDemoDataset(),
  );
  token = await t.tokenFor('viewer');
}, 120_000);
afterAll(() => t?.close());

describe('LSOA stats, 12 months of all crime, demo data set', () => {
  bench(
    'GET /api/lsoas/stats (monthly counts items)',
    async () => {
      const res = await t.app.request('/api/lsoas/stats?category=all-crime&from=2024-01&to=2024-12', { headers: { Authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      await res.json();
    },
    { time: 3000, warmupIterations: 3 },
  );

  bench(
    'baseline: count from the crime blocks',
    async () => {
      const blocks = await t.reference.getCrimeBlocks('demo', monthRange('2024-01', '2024-12'));
      const wanted = new Set(categoriesOf('all-crime').map((c) => CATEGORY_INDEX[c]));
      const counts = new Map<string, number>();
      for (const b of blocks) {
        let n = 0;
        for (const c of b.crimes) if (wanted.has(CATEGORY_INDEX[c.category])) n++;
        counts.set(b.lsoaCode, (counts.get(b.lsoaCode) ?? 0) + n);
      }
      if (counts.size === 0) throw new Error('no data');
    },
    { time: 3000, warmupIterations: 1 },
  );
});
