import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetService, DEMO_TOWNS, generateDemoDataset, seedDemoIfEmpty } from '@safer-places/domain';
import { startTestApp } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
  await seedDemoIfEmpty(
    { reference: t.reference, assets: t.assets, assetService: new AssetService({ assets: t.assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } }) },
    () => generateDemoDataset(),
  );
}, 120_000);
afterAll(() => t.close());

const metres = (a: [number, number], b: [number, number]) => {
  const k = (Math.PI / 180) * 6_371_008.8;
  return Math.hypot((a[0] - b[0]) * k * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * k);
};

describe('GET /api/hotspots', () => {
  it('finds Gi* hot cells at the busiest town centre, FDR-corrected, and patrol-sized top spots', async () => {
    const res = await t.call('GET', '/api/hotspots?cellSize=200&top=10', { role: 'viewer' });
    expect(res.status).toBe(200);
    const h = res.json;
    expect(h).toMatchObject({ grid: { shape: 'square', cellSizeM: 200, correction: 'fdr' }, dataset: { synthetic: true }, truncated: false });
    expect(h.hot).toBeGreaterThan(0);
    expect(h.cells.features.length).toBe(h.hot + h.cold);
    const hottest = [...h.cells.features].sort((a: any, b: any) => b.properties.z - a.properties.z)[0];
    expect(hottest.properties.class).toBe(3);
    expect(hottest.properties.pAdjusted).toBeLessThan(0.01);
    // The hottest cell lies within 2 km of one of the fictional town centres.
    const ring = hottest.geometry.coordinates[0] as [number, number][];
    const centre: [number, number] = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
    expect(Math.min(...DEMO_TOWNS.map((town) => metres(centre, town.centre)))).toBeLessThan(2000);
    expect(h.top).toHaveLength(10);
    for (let i = 0; i < h.top.length; i++) {
      expect(h.top[i].radiusM).toBeLessThanOrEqual(150);
      if (i > 0) expect(h.top[i].count).toBeLessThanOrEqual(h.top[i - 1].count);
      for (let j = 0; j < i; j++) expect(metres([h.top[i].lon, h.top[i].lat], [h.top[j].lon, h.top[j].lat])).toBeGreaterThanOrEqual(500);
    }
    expect(h.top[0].location).toMatch(/^On or near /);
  });

  it('Holm is at least as strict as FDR, and no correction at least as loose', async () => {
    const hot = async (correction: string) => (await t.call('GET', `/api/hotspots?cellSize=200&correction=${correction}`, { role: 'viewer' })).json.hot as number;
    const [none, fdr, holm] = [await hot('none'), await hot('fdr'), await hot('holm')];
    expect(none).toBeGreaterThanOrEqual(fdr);
    expect(fdr).toBeGreaterThanOrEqual(holm);
  });

  it.each([
    ['?cellSize=20', /cellSize is at least 50 m/],
    ['?shape=triangle', /shape/],
    ['?correction=bonferroni', /correction/],
    ['?categories=arson', /categories/],
    ['?from=2024-06&to=2024-01', /after to/],
  ])('%s → 400', async (query, message) => {
    const res = await t.call('GET', `/api/hotspots${query}`, { role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(message);
  });
});
