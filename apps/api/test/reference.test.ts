import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTestDataset, startTestApp, validCamera } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
  await loadTestDataset(t.reference);
});
afterAll(() => t.close());

describe('GET /api/layers/:layer', () => {
  it('returns LSOAs as GeoJSON with their attributes and the dataset they come from', async () => {
    const res = await t.call('GET', '/api/layers/lsoas', { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ type: 'FeatureCollection', layer: 'lsoas', truncated: false, dataset: { id: 'test-ds', synthetic: false } });
    expect(res.json.features).toHaveLength(2);
    expect(res.json.features[0]).toMatchObject({
      type: 'Feature',
      id: 'E01000001',
      geometry: { type: 'Polygon' },
      properties: { code: 'E01000001', name: 'West', population: 1000, imdDecile: 2, districtName: 'Mansfield' },
    });
    expect(res.json.features[0].properties.bbox).toBeUndefined();
    expect(res.headers.get('Cache-Control')).toBe('private, no-cache');
  });

  it('filters by bbox and caps with limit', async () => {
    const east = await t.call('GET', '/api/layers/lsoas?bbox=-1.185,53.001,-1.181,53.002', { role: 'viewer' });
    expect(east.json.features.map((f: any) => f.id)).toEqual(['E01000002']);
    const capped = await t.call('GET', '/api/layers/lsoas?limit=1', { role: 'viewer' });
    expect(capped.json).toMatchObject({ truncated: true });
    expect(capped.json.features).toHaveLength(1);
  });

  it('answers a revalidation with 304 when nothing changed, and a new ETag when something did', async () => {
    const first = await t.call('GET', '/api/layers/cameras', { role: 'planner' });
    const tag = first.headers.get('ETag')!;
    expect(tag).toMatch(/^W\//);
    expect((await t.call('GET', '/api/layers/cameras', { role: 'planner', headers: { 'If-None-Match': tag } })).status).toBe(304);
    await t.call('POST', '/api/cameras', { role: 'planner', body: validCamera });
    const after = await t.call('GET', '/api/layers/cameras', { role: 'planner', headers: { 'If-None-Match': tag } });
    expect(after.status).toBe(200);
    expect(after.json.features[0].properties).toMatchObject({ name: 'Market Place camera', coverageRadiusM: 100, coverageRadiusDefaulted: true });
    expect(after.json.features[0].properties.orgId).toBeUndefined();
  });

  it.each([
    ['/api/layers/roads', /layer name/],
    ['/api/layers/lsoas?bbox=1,2,3', /bbox must be four numbers/],
    ['/api/layers/lsoas?bbox=2,2,1,1', /minimum must not exceed/],
    ['/api/layers/lsoas?limit=999999', /limit/],
    ['/api/layers/lsoas?colour=red', /unknown field\(s\) "colour"/],
  ])('%s → 400', async (path, message) => {
    const res = await t.call('GET', path, { role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(message);
  });

  it('an unknown dataset is a 404 naming it', async () => {
    const res = await t.call('GET', '/api/layers/lsoas?dataset=nope', { role: 'viewer' });
    expect(res).toMatchObject({ status: 404, json: { detail: 'no dataset "nope"' } });
  });
});

describe('GET /api/lsoas/stats', () => {
  const row = (json: any, code: string) => json.lsoas.find((r: any) => r.code === code);

  it('defaults to all crime over the last 12 months of the dataset', async () => {
    const res = await t.call('GET', '/api/lsoas/stats', { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ from: '2024-01', to: '2024-12', months: 12, category: 'all-crime', categoryLabel: 'All crime and ASB' });
    // West: sum of m for m = 1..12 burglaries + 12 shoplifting = 78 + 12 = 90; East: 24 robberies.
    expect(row(res.json, 'E01000001')).toEqual({ code: 'E01000001', count: 90, ratePer1000: 90, population: 1000, imdDecile: 2 });
    expect(row(res.json, 'E01000002')).toEqual({ code: 'E01000002', count: 24, ratePer1000: null, population: null, imdDecile: 7 });
    expect(res.json.total).toBe(114);
  });

  it('sums neighbourhood crime and says that police.uk over-counts it', async () => {
    const res = await t.call('GET', '/api/lsoas/stats?category=neighbourhood-crime&from=2024-10&to=2024-12', { role: 'viewer' });
    expect(row(res.json, 'E01000001').count).toBe(10 + 11 + 12);
    expect(row(res.json, 'E01000002').count).toBe(6);
    expect(res.json.notes.join(' ')).toMatch(/business offences/);
  });

  it('counts one category for one month', async () => {
    const res = await t.call('GET', '/api/lsoas/stats?category=shoplifting&from=2024-03&to=2024-03', { role: 'viewer' });
    expect(res.json.months).toBe(1);
    expect(row(res.json, 'E01000001').count).toBe(1);
    expect(row(res.json, 'E01000002').count).toBe(0);
  });

  it('says which months of the period have no data', async () => {
    const res = await t.call('GET', '/api/lsoas/stats?from=2024-11&to=2025-01', { role: 'viewer' });
    expect(res.json.notes.join(' ')).toMatch(/No crime data for 1 of the 3 months.*2025-01/);
  });

  it.each([
    ['?category=arson', /category/],
    ['?from=2024-13', /months are YYYY-MM/],
    ['?from=2024-06&to=2024-01', /from \(2024-06\) is after to \(2024-01\)/],
    ['?period=12', /unknown field\(s\) "period"/],
  ])('%s → 400', async (query, message) => {
    const res = await t.call('GET', `/api/lsoas/stats${query}`, { role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(message);
  });
});

describe('GET /api/datasets', () => {
  it('lists datasets and names the default', async () => {
    const res = await t.call('GET', '/api/datasets', { role: 'viewer' });
    expect(res.json.defaultDatasetId).toBe('test-ds');
    expect(res.json.datasets[0]).toMatchObject({ id: 'test-ds', synthetic: false, lastMonth: '2024-12' });
  });
});
