import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_B, TEST_LSOAS, loadTestDataset, startTestApp, validCamera, validPspo } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
const west = TEST_LSOAS[0]!.geometry;
const area = { name: 'West square', theme: 'asb', shape: 'rectangle', geometry: west, notes: 'Market area' };

beforeAll(async () => {
  t = await startTestApp();
  await loadTestDataset(t.reference);
  await t.call('POST', '/api/cameras', { role: 'planner', body: validCamera });
  await t.call('POST', '/api/pspo-zones', { role: 'analyst', body: validPspo });
  await t.call('POST', '/api/help-points', { role: 'planner', body: { name: 'Refuge point', status: 'live', location: { type: 'Point', coordinates: [-1.185, 53.005] } } });
});
afterAll(() => t.close());

describe('drawn areas', () => {
  let id: string;

  it('analysts save areas for their organisation; other roles cannot', async () => {
    expect((await t.call('POST', '/api/areas', { role: 'viewer', body: area })).status).toBe(403);
    expect((await t.call('POST', '/api/areas', { role: 'planner', body: area })).status).toBe(403);
    const res = await t.call('POST', '/api/areas', { role: 'analyst', body: area });
    expect(res.status).toBe(201);
    id = res.json.id;
    expect((await t.call('GET', `/api/areas/${id}`, { role: 'viewer' })).json.name).toBe('West square');
    expect((await t.call('GET', `/api/areas/${id}`, { role: 'analyst', orgId: ORG_B })).status).toBe(404);
    expect((await t.call('GET', `/api/areas/${id}/stats`, { role: 'analyst', orgId: ORG_B })).status).toBe(404);
  });

  it('a stale edit of an area is refused and loses nothing', async () => {
    expect((await t.call('PUT', `/api/areas/${id}`, { role: 'analyst', body: { ...area, name: 'v2' }, headers: { 'If-Match': '"1"' } })).status).toBe(200);
    const stale = await t.call('PUT', `/api/areas/${id}`, { role: 'analyst', body: { ...area, name: 'stale' }, headers: { 'If-Match': '"1"' } });
    expect(stale.status).toBe(409);
    expect((await t.call('GET', `/api/areas/${id}`, { role: 'analyst' })).json).toMatchObject({ name: 'v2', version: 2 });
  });

  it('rejects a self-crossing drawing with the crossing point, and writes nothing', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[-1.2, 53.0], [-1.19, 53.01], [-1.19, 53.0], [-1.2, 53.01], [-1.2, 53.0]]] };
    const res = await t.call('POST', '/api/areas', { role: 'analyst', body: { ...area, geometry: bowtie } });
    expect(res.status).toBe(422);
    expect(res.json.point).toEqual([-1.195, 53.005]);
    expect((await t.call('GET', '/api/areas', { role: 'analyst' })).json.items).toHaveLength(1);
    expect((await t.call('POST', '/api/areas/analyse', { role: 'analyst', body: { geometry: bowtie } })).status).toBe(422);
  });

  it('gives the evidence inside the area', async () => {
    const res = await t.call('GET', `/api/areas/${id}/stats?categories=burglary&from=2024-01&to=2024-12`, { role: 'viewer' });
    expect(res.status).toBe(200);
    const s = res.json;
    // West holds m burglaries in month m of 2024 (78 in all) and one shoplifting a month; East's crimes are outside.
    expect(s).toMatchObject({ total: 78, period: { from: '2024-01', to: '2024-12', months: 12 }, categories: [{ key: 'burglary', label: 'Burglary' }] });
    expect(s.byCategory).toEqual([{ key: 'burglary', label: 'Burglary', count: 78 }]);
    expect(s.trend.map((x: any) => x.count)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(s.areaKm2).toBeCloseTo(0.74, 1);
    expect(s.lsoas).toEqual([{ code: 'E01000001', name: 'West', shareInside: 1, population: 1000, populationInside: 1000 }]);
    expect(s.populationInside).toBe(1000);
    expect(s.cctv.camerasInside.map((c: any) => c.name)).toEqual(['Market Place camera']);
    expect(s.cctv).toMatchObject({ crimesCovered: 78, shareCovered: 1 });
    expect(s.cctv.nearestHelpPoint).toMatchObject({ name: 'Refuge point', distanceM: expect.any(Number) });
    expect(s.cctv.nearestHelpPoint.distanceM).toBeGreaterThan(300);
    expect(s.pspoZones).toEqual([expect.objectContaining({ name: 'Town Centre PSPO 2024', prohibitions: ['No consumption of alcohol when asked to stop'] })]);
    expect(s.busiestPoint).toMatchObject({ share: 1, count: 78, location: 'On or near High Street' });
    expect(s.notes.join(' ')).toMatch(/sit on one published point/);
  });

  it('builds the strategic-assessment table, last 12 months against the 12 before', async () => {
    const s = (await t.call('GET', `/api/areas/${id}/stats`, { role: 'viewer' })).json;
    const all = s.strategic.rows.find((r: any) => r.key === 'all-crime');
    expect(s.strategic).toMatchObject({ current: { from: '2024-01', to: '2024-12' }, previous: { from: '2023-01', to: '2023-12' }, previousComplete: false });
    expect(all).toEqual({ key: 'all-crime', label: 'All crime and ASB', current: 90, previous: 0, change: 90, changePct: null, target: 'Reduce' });
    const half = (await t.call('GET', `/api/areas/${id}/stats?to=2024-06`, { role: 'viewer' })).json;
    expect(half.strategic.rows.find((r: any) => r.key === 'burglary')).toMatchObject({ current: 21, previous: 0 });
  });

  it('analyses an unsaved drawing the same way', async () => {
    const res = await t.call('POST', '/api/areas/analyse', { role: 'viewer', body: { geometry: TEST_LSOAS[1]!.geometry, categories: ['robbery'] } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ total: 24, populationInside: null, cctv: { camerasInside: [], nearestHelpPoint: { name: 'Refuge point', distanceM: 0 } } });
    expect((await t.call('POST', '/api/areas/analyse', { role: 'viewer', body: { geometry: west, categories: ['arson'] } })).status).toBe(400);
  });

  it('exports the table as formula-safe CSV and the area as GeoJSON', async () => {
    const evil = await t.call('POST', '/api/areas', { role: 'analyst', body: { ...area, name: '=HYPERLINK("http://x","y")' } });
    const csv = await t.app.request(`/api/areas/${evil.json.id}/export.csv`, { headers: { Authorization: `Bearer ${await t.tokenFor('analyst')}` } });
    expect(csv.headers.get('Content-Type')).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text).toContain(`Area,"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toMatch(/Crime type,2024-01 to 2024-12,2023-01 to 2023-12,Volume change,% change,Suggested target/);
    expect(text).toMatch(/\r\nAll crime and ASB,90,0,90,,Reduce\r\n/);
    const geo = await t.call('GET', `/api/areas/${id}/export.geojson`, { role: 'viewer' });
    expect(geo.json.features[0]).toMatchObject({ type: 'Feature', id, geometry: west, properties: { name: 'v2', theme: 'asb' } });
    expect(geo.json.features[0].properties.orgId).toBeUndefined();
  });
});

describe('strategic assessment by district and CSP', () => {
  it('compares the last 12 months with the 12 before for each district', async () => {
    const res = await t.call('GET', '/api/strategic-assessment?groupBy=district', { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json.tables).toHaveLength(1);
    expect(res.json.tables[0]).toMatchObject({ code: 'E07000174', name: 'Mansfield' });
    const rows = res.json.tables[0].table.rows;
    expect(rows.find((r: any) => r.key === 'all-crime')).toMatchObject({ current: 114, previous: 0 });
    expect(rows.find((r: any) => r.key === 'neighbourhood-crime')).toMatchObject({ current: 78 + 24 });
    expect(res.json.scope).toMatchObject({ key: 'study-area', lsoaCount: 2 });
    const csp = await t.call('GET', '/api/strategic-assessment?groupBy=csp&format=csv', { role: 'viewer' });
    expect(csp.status).toBe(200);
    expect(csp.json).toMatch(/Strategic assessment of .* by Community Safety Partnership/);
    expect((await t.call('GET', '/api/strategic-assessment?groupBy=ward', { role: 'viewer' })).status).toBe(400);
    const ward = await t.call('GET', '/api/strategic-assessment?scope=ward', { role: 'viewer' });
    expect(ward.status).toBe(400);
    expect(ward.json.detail).toMatch(/unknown scope "ward"/);
  });

  it('covers only the scope: one district, or the whole scope as one table', async () => {
    const one = await t.call('GET', '/api/strategic-assessment?scope=district:E07000174&groupBy=all', { role: 'viewer' });
    expect(one.status).toBe(200);
    expect(one.json.scope).toMatchObject({ key: 'district:E07000174', label: 'Mansfield', lsoaCount: 2 });
    expect(one.json.tables).toHaveLength(1);
    expect(one.json.tables[0]).toMatchObject({ code: 'district:E07000174', name: 'Mansfield' });
    expect(one.json.tables[0].table.rows.find((r: any) => r.key === 'all-crime')).toMatchObject({ current: 114, previous: 0 });
    const unknown = await t.call('GET', '/api/strategic-assessment?scope=district:E07000999', { role: 'viewer' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.detail).toMatch(/unknown district E07000999/);
  });
});
