import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG_ID, generateDemoDataset } from '@safer-places/domain';
import { MAX_ANALYSIS_AREA_KM2, MAX_GRID_CELLS_PER_ANALYSIS } from '@safer-places/schemas';
import { ORG_B, TEST_DATASET, loadTestDataset, seedDemo, startTestApp, validCamera } from './harness';

/**
 * One scope for every analysis, on the synthetic demo set (four fictional districts, each its own CSP) and the two-LSOA
 * test dataset (real-looking codes in Mansfield): what a scope holds, what every analysis does with it, partnership
 * areas, the home scope, and the refusals.
 */
let t: Awaited<ReturnType<typeof startTestApp>>;
const demo = generateDemoDataset();
const KELSWORTH = 'DEMOLAD02';
const kelsworthLsoas = new Set(demo.lsoas.filter((l) => l.districtCode === KELSWORTH).map((l) => l.code));
const kelsworthName = demo.lsoas.find((l) => l.districtCode === KELSWORTH)!.districtName;

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t, demo);
  await loadTestDataset(t.reference);
}, 120_000);
afterAll(() => t.close());

const DEMO = 'dataset=demo';

describe('GET /api/scopes', () => {
  it('offers the study area, every district and CSP, and the organisation home (the study area until set)', async () => {
    const res = await t.call('GET', `/api/scopes?${DEMO}`, { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json.studyArea).toMatchObject({ key: 'study-area', lsoaCount: demo.lsoas.length });
    expect(res.json.districts.map((d: any) => d.key).sort()).toEqual(['district:DEMOLAD01', 'district:DEMOLAD02', 'district:DEMOLAD03', 'district:DEMOLAD04']);
    expect(res.json.districts.find((d: any) => d.key === `district:${KELSWORTH}`)).toMatchObject({ label: kelsworthName, lsoaCount: kelsworthLsoas.size });
    expect(res.json.csps).toHaveLength(4);
    expect(res.json.home).toMatchObject({ key: 'study-area' });
    expect(res.json.homeKey).toBeNull();
  });
});

describe('every analysis stays inside its scope', () => {
  it('the choropleth layer and its figures hold only the district, with the same counts as the whole study area', async () => {
    const layer = await t.call('GET', `/api/layers/lsoas?${DEMO}&scope=district:${KELSWORTH}`, { role: 'viewer' });
    expect(layer.status).toBe(200);
    expect(new Set(layer.json.features.map((f: any) => f.id))).toEqual(kelsworthLsoas);
    const scoped = await t.call('GET', `/api/lsoas/stats?${DEMO}&scope=district:${KELSWORTH}`, { role: 'viewer' });
    const whole = await t.call('GET', `/api/lsoas/stats?${DEMO}`, { role: 'viewer' });
    expect(scoped.json.scope).toMatchObject({ key: `district:${KELSWORTH}`, label: kelsworthName, lsoaCount: kelsworthLsoas.size });
    expect(new Set(scoped.json.lsoas.map((r: any) => r.code))).toEqual(kelsworthLsoas);
    const wholeCount = new Map(whole.json.lsoas.map((r: any) => [r.code, r.count]));
    for (const r of scoped.json.lsoas) expect(r.count).toBe(wholeCount.get(r.code));
    expect(scoped.json.total).toBe(scoped.json.lsoas.reduce((s: number, r: any) => s + r.count, 0));
  });

  it('Gi* cells, top spots and their place names are the district’s', async () => {
    const res = await t.call('GET', `/api/hotspots?${DEMO}&scope=district:${KELSWORTH}&cellSize=200&categories=anti-social-behaviour,violent-crime,shoplifting`, { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json.scope).toMatchObject({ key: `district:${KELSWORTH}`, label: kelsworthName });
    expect(res.json.top).toHaveLength(3);
    for (const group of res.json.top) {
      expect(group.spots.length).toBeGreaterThan(0);
      for (const spot of group.spots) {
        expect(spot.district).toBe(kelsworthName);
        expect(typeof spot.ward).toBe('string');
      }
    }
    const whole = await t.call('GET', `/api/hotspots?${DEMO}&cellSize=200`, { role: 'viewer' });
    expect(res.json.grid.studyAreaCells).toBeLessThan(whole.json.grid.studyAreaCells);
    // The district's crimes are a part of the study area's.
    expect(res.json.crimes).toBeLessThan(whole.json.crimes);
  });

  it('a patrol plan visits only the district’s spots, each with its ward and district', async () => {
    const start = demo.lsoas.find((l) => l.districtCode === KELSWORTH)!.bbox;
    const res = await t.call('GET', `/api/planning/patrol?${DEMO}&scope=district:${KELSWORTH}&start=${start[0]},${start[1]}&top=6`, { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json.scope.label).toBe(kelsworthName);
    expect(res.json.stops.length).toBeGreaterThan(0);
    for (const stop of res.json.stops) expect(stop.district).toBe(kelsworthName);
  });

  it('coverage gaps, camera sites and help point suggestions never leave the scope', async () => {
    const gaps = await t.call('POST', `/api/planning/coverage`, { role: 'planner', orgId: DEMO_ORG_ID, body: { dataset: 'demo', scope: `district:${KELSWORTH}`, top: 10 } });
    expect(gaps.status).toBe(200);
    expect(gaps.json.spots.length).toBeGreaterThan(0);
    for (const spot of gaps.json.spots) expect(spot.district).toBe(kelsworthName);
    expect(gaps.json.gapList.length).toBeGreaterThan(0);
    for (const cell of gaps.json.gapList) expect(cell.district).toBe(kelsworthName);
    const sites = await t.call('POST', '/api/planning/sites', { role: 'planner', orgId: DEMO_ORG_ID, body: { dataset: 'demo', scope: `district:${KELSWORTH}`, k: 3 } });
    expect(sites.status).toBe(200);
    expect(sites.json.picks.length).toBeGreaterThan(0);
    for (const pick of sites.json.picks) expect(pick.district).toBe(kelsworthName);
    const help = await t.call('GET', `/api/planning/help-points?${DEMO}&scope=district:${KELSWORTH}`, { role: 'viewer' });
    expect(help.status).toBe(200);
    for (const spot of help.json.spots) expect(spot.district).toBe(kelsworthName);
  });

  it('re-deployable cameras outside the scope are not dealt sites in it', async () => {
    const whole = await t.call('GET', `/api/planning/rotation?${DEMO}`, { role: 'planner', orgId: DEMO_ORG_ID });
    const res = await t.call('GET', `/api/planning/rotation?${DEMO}&scope=district:${KELSWORTH}`, { role: 'planner', orgId: DEMO_ORG_ID });
    expect(res.status).toBe(200);
    expect(res.json.cameras.length).toBeLessThan(whole.json.cameras.length);
    for (const camera of res.json.cameras) {
      expect(camera.district).toBe(kelsworthName);
      for (const s of camera.suggestions) expect(s.district).toBe(kelsworthName);
    }
  });
});

describe('partnership areas', () => {
  let id = '';
  it('an analyst saves one; its strategic table is the sum of its districts’ tables', async () => {
    const created = await t.call('POST', '/api/partnership-areas', { role: 'analyst', body: { name: 'Northvale and Kelsworth CSP', districts: ['DEMOLAD01', KELSWORTH] } });
    expect(created.status).toBe(201);
    id = created.json.id;
    const joint = await t.call('GET', `/api/strategic-assessment?${DEMO}&scope=partnership:${id}&groupBy=all`, { role: 'viewer' });
    expect(joint.status).toBe(200);
    expect(joint.json.scope).toMatchObject({ label: 'Northvale and Kelsworth CSP' });
    expect(joint.json.tables).toHaveLength(1);
    const byDistrict = await t.call('GET', `/api/strategic-assessment?${DEMO}&groupBy=district`, { role: 'viewer' });
    const parts = byDistrict.json.tables.filter((x: any) => x.code === 'DEMOLAD01' || x.code === KELSWORTH);
    expect(parts).toHaveLength(2);
    for (const row of joint.json.tables[0].table.rows) {
      const [a, b] = parts.map((p: any) => p.table.rows.find((r: any) => r.key === row.key));
      expect(row.current).toBe(a.current + b.current);
      expect(row.previous).toBe(a.previous + b.previous);
    }
    const options = await t.call('GET', `/api/scopes?${DEMO}`, { role: 'viewer' });
    expect(options.json.partnerships).toEqual([expect.objectContaining({ key: `partnership:${id}`, label: 'Northvale and Kelsworth CSP' })]);
  });

  it('an edited partnership area is used as it is now, never as it was', async () => {
    const created = await t.call('POST', '/api/partnership-areas', { role: 'analyst', body: { name: 'Moving target', districts: ['DEMOLAD01'] } });
    const before = await t.call('GET', `/api/hotspots?${DEMO}&scope=partnership:${created.json.id}&cellSize=200`, { role: 'viewer' });
    const edited = await t.call('PUT', `/api/partnership-areas/${created.json.id}`, {
      role: 'analyst',
      body: { name: 'Moving target', districts: [KELSWORTH] },
      headers: { 'If-Match': '"1"' },
    });
    expect(edited.status).toBe(200);
    const after = await t.call('GET', `/api/hotspots?${DEMO}&scope=partnership:${created.json.id}&cellSize=200`, { role: 'viewer' });
    const kelsworth = await t.call('GET', `/api/hotspots?${DEMO}&scope=district:${KELSWORTH}&cellSize=200`, { role: 'viewer' });
    expect(after.json.crimes).toBe(kelsworth.json.crimes);
    expect(after.json.crimes).not.toBe(before.json.crimes);
    for (const group of after.json.top) for (const spot of group.spots) expect(spot.district).toBe(kelsworthName);
  });

  it('another organisation’s partnership area answers 404 and goes into the caller’s audit log', async () => {
    const res = await t.call('GET', `/api/hotspots?${DEMO}&scope=partnership:${id}`, { role: 'viewer', orgId: ORG_B });
    expect(res.status).toBe(404);
    const audit = await t.call('GET', '/api/audit', { role: 'admin', orgId: ORG_B });
    expect(audit.json.events.some((e: any) => e.action === 'not-found' && e.path === '/api/hotspots')).toBe(true);
  });

  it('a partnership area needs a district or an LSOA, and codes that look like codes', async () => {
    const empty = await t.call('POST', '/api/partnership-areas', { role: 'analyst', body: { name: 'Nothing' } });
    expect(empty.status).toBe(400);
    expect(empty.json.detail).toMatch(/at least one district or LSOA/);
    const bad = await t.call('POST', '/api/partnership-areas', { role: 'analyst', body: { name: 'Bad', districts: ['Mansfield'] } });
    expect(bad.status).toBe(400);
    expect((await t.call('POST', '/api/partnership-areas', { role: 'viewer', body: { name: 'X', districts: ['DEMOLAD01'] } })).status).toBe(403);
  });
});

describe('the home scope', () => {
  it('only an administrator sets it, to a scope that resolves; users of the organisation then land on it', async () => {
    expect((await t.call('PUT', `/api/home-scope?${DEMO}`, { role: 'analyst', body: { scope: `district:${KELSWORTH}` } })).status).toBe(403);
    const unknown = await t.call('PUT', `/api/home-scope?${DEMO}`, { role: 'admin', body: { scope: 'district:DEMOLAD09' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.detail).toMatch(/unknown district DEMOLAD09/);
    const view = await t.call('PUT', `/api/home-scope?${DEMO}`, { role: 'admin', body: { scope: 'view:1,54.1,1.2,54.3' } });
    expect(view.status).toBe(400);
    expect((await t.call('GET', `/api/scopes?${DEMO}`, { role: 'viewer' })).json.homeKey).toBeNull();

    const set = await t.call('PUT', `/api/home-scope?${DEMO}`, { role: 'admin', body: { scope: `district:${KELSWORTH}` } });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ key: `district:${KELSWORTH}`, label: kelsworthName });
    const seen = await t.call('GET', `/api/scopes?${DEMO}`, { role: 'viewer' });
    expect(seen.json.home).toMatchObject({ key: `district:${KELSWORTH}`, label: kelsworthName });
    expect((await t.call('GET', `/api/scopes?${DEMO}`, { role: 'viewer', orgId: ORG_B })).json.home.key).toBe('study-area');
    // On a dataset where the home scope names nothing, users land on the study area.
    expect((await t.call('GET', `/api/scopes?dataset=${TEST_DATASET.id}`, { role: 'viewer' })).json.home.key).toBe('study-area');
    const audit = await t.call('GET', '/api/audit', { role: 'admin' });
    expect(audit.json.events.some((e: any) => e.action === 'update' && e.kind === 'home-scope')).toBe(true);
  });
});

describe('refusals name the problem', () => {
  it('unknown or malformed scopes answer 400', async () => {
    const unknown = await t.call('GET', `/api/hotspots?${DEMO}&scope=district:E07999999`, { role: 'viewer' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.detail).toMatch(/unknown district E07999999/);
    const bogus = await t.call('GET', `/api/lsoas/stats?${DEMO}&scope=bogus:1`, { role: 'viewer' });
    expect(bogus.status).toBe(400);
    expect(bogus.json.detail).toMatch(/unknown scope "bogus:1"/);
    const csp = await t.call('GET', `/api/strategic-assessment?${DEMO}&scope=csp:E22999999`, { role: 'viewer' });
    expect(csp.status).toBe(400);
    expect(csp.json.detail).toMatch(/unknown CSP E22999999/);
    const layer = await t.call('GET', `/api/layers/cameras?${DEMO}&scope=district:${KELSWORTH}`, { role: 'viewer' });
    expect(layer.status).toBe(400);
  });

  it('a drawn area outside the data answers 400, a view over the area limit 413, and a grid over the cell limit 400 (naming a size that fits)', async () => {
    const cornwall = await t.call('POST', '/api/areas', {
      role: 'analyst',
      body: { name: 'Penzance', theme: 'asb', geometry: { type: 'Polygon', coordinates: [[[-5.55, 50.11], [-5.52, 50.11], [-5.52, 50.13], [-5.55, 50.13], [-5.55, 50.11]]] } },
    });
    expect(cornwall.status).toBe(201);
    const empty = await t.call('GET', `/api/hotspots?${DEMO}&scope=area:${cornwall.json.id}`, { role: 'viewer' });
    expect(empty.status).toBe(400);
    expect(empty.json.detail).toMatch(/lies outside dataset "demo"/);

    // A map view over the limit on area is refused before anything else (413 naming MAX_ANALYSIS_AREA_KM2) ...
    const vast = await t.call('GET', `/api/hotspots?${DEMO}&scope=view:-5,50,5,58&cellSize=50`, { role: 'viewer' });
    expect(vast.status).toBe(413);
    expect(vast.json).toMatchObject({ error: 'limit_exceeded', limit: 'MAX_ANALYSIS_AREA_KM2', max: MAX_ANALYSIS_AREA_KM2 });
    expect(vast.json.asked).toBeGreaterThan(MAX_ANALYSIS_AREA_KM2);
    // ... and one within it (~7,600 km² round the demo area) whose 50 m grid is too fine is a 400 naming a cell size.
    const huge = await t.call('GET', `/api/hotspots?${DEMO}&scope=view:0.55,53.85,1.85,54.65&cellSize=50`, { role: 'viewer' });
    expect(huge.status).toBe(400);
    expect(huge.json.detail).toContain(MAX_GRID_CELLS_PER_ANALYSIS.toLocaleString('en-GB'));
    expect(huge.json.detail).toMatch(/cell size of at least \d+ m|choose a smaller scope/);
    expect((await t.call('GET', `/api/health`)).status).toBe(200);
  });
});

describe('organisation items belong to places', () => {
  it('demo items are drawn with the demo set only; a real dataset shows only items inside its study area', async () => {
    const demoCameras = await t.call('GET', `/api/layers/cameras?${DEMO}`, { role: 'viewer', orgId: DEMO_ORG_ID });
    expect(demoCameras.json.features.length).toBe(demo.assets.cameras.length);
    const inMansfield = await t.call('POST', '/api/cameras', { role: 'planner', orgId: DEMO_ORG_ID, body: { ...validCamera, name: 'Inside the test LSOAs' } });
    expect(inMansfield.status).toBe(201);
    const real = await t.call('GET', `/api/layers/cameras?dataset=${TEST_DATASET.id}`, { role: 'viewer', orgId: DEMO_ORG_ID });
    expect(real.json.features.map((f: any) => f.properties.name)).toEqual(['Inside the test LSOAs']);
    const back = await t.call('GET', `/api/layers/cameras?${DEMO}`, { role: 'viewer', orgId: DEMO_ORG_ID });
    expect(back.json.features.map((f: any) => f.properties.name)).not.toContain('Inside the test LSOAs');
  });
});
