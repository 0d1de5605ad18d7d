import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDataset } from '@safer-places/domain';
import type { Role } from '@safer-places/schemas';
import { ORG_A, ORG_B, seedDemo, startTestApp } from './harness';

/** The planner's routes on the demo data, with the demo cameras and help points seeded into organisation A. */
let t: Awaited<ReturnType<typeof startTestApp>>;
const demo = generateDemoDataset();
const hub = demo.assets.cameras[0]!.input.location.coordinates;
const START = `${(hub[0] + 0.01).toFixed(6)},${(hub[1] - 0.005).toFixed(6)}`;
const LAST = demo.summary.lastMonth!;

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t, demo, ORG_A);
}, 120_000);
afterAll(() => t.close());

const visit = (over: Record<string, unknown> = {}) => ({
  spotName: 'On or near Market Place',
  location: { type: 'Point', coordinates: hub },
  visitDate: `${LAST}-05`,
  minutes: 15,
  officerRole: 'pcso',
  ...over,
});

describe('GET /api/planning/patrol', () => {
  it('plans a round trip through the top spots from the chosen start, for any role', async () => {
    const res = await t.call('GET', `/api/planning/patrol?start=${START}&top=6&categories=violent-crime,public-order`, { role: 'viewer' });
    expect(res.status).toBe(200);
    const p = res.json;
    expect(p.stops).toHaveLength(6);
    expect(p.stops.map((s: any) => s.visit)).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...p.stops.map((s: any) => s.rank)].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(p.distance).toMatchObject({ method: 'nearest neighbour + 2-opt', straightLine: true });
    expect(p.distance.totalM).toBeLessThanOrEqual(p.distance.nearestNeighbourM);
    expect(p.dosage).toMatchObject({ minutesPerVisit: 15, patrolsPerDay: 2, minutesOnSpotsPerPatrol: 90 });
    expect(p.start).toEqual({ lon: Number(START.split(',')[0]), lat: Number(START.split(',')[1]) });
    expect(p.dataset.synthetic).toBe(true);
  });

  it('answers 400 with the reason for a missing, swapped or out-of-range start, a bad top and unknown parameters', async () => {
    const bad = async (q: string) => (await t.call('GET', `/api/planning/patrol?${q}`, { role: 'planner' })).json;
    expect(await t.call('GET', '/api/planning/patrol', { role: 'planner' })).toMatchObject({ status: 400, json: { error: 'invalid_request', detail: expect.stringMatching(/start is required/) } });
    expect((await bad(`start=${hub[1]},${hub[0]}`)).detail).toMatch(/outside the United Kingdom|swapped/);
    expect((await bad('start=-74,40.7')).detail).toMatch(/outside the United Kingdom/);
    expect((await bad(`start=${START}&top=99`)).detail).toMatch(/at most 25/);
    expect((await bad(`start=${START}&minutes=0`)).detail).toMatch(/minutes/);
    expect((await bad(`start=${START}&colour=red`)).detail).toMatch(/unknown field\(s\) "colour"/);
    expect((await t.call('GET', `/api/planning/patrol?start=${START}`)).status).toBe(401);
  });

  it('downloads the plan as GPX 1.1 and as GeoJSON', async () => {
    const gpx = await t.call('GET', `/api/planning/patrol.gpx?start=${START}&top=4`, { role: 'viewer' });
    expect(gpx.status).toBe(200);
    expect(gpx.headers.get('content-type')).toMatch(/application\/gpx\+xml/);
    expect(gpx.headers.get('content-disposition')).toMatch(/attachment; filename="patrol-plan-\d{4}-\d{2}-to-\d{4}-\d{2}\.gpx"/);
    const text = gpx.json as string;
    expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<gpx version="1\.1" creator="Safer Places" xmlns="http:\/\/www\.topografix\.com\/GPX\/1\/1"/);
    expect(text.match(/<wpt /g)).toHaveLength(4);
    expect(text.match(/<rtept /g)).toHaveLength(6);
    const geo = await t.call('GET', `/api/planning/patrol.geojson?start=${START}&top=4&roundTrip=false`, { role: 'viewer' });
    expect(geo.headers.get('content-type')).toMatch(/geo\+json/);
    expect(geo.json.features[0].geometry.coordinates).toHaveLength(5);
    expect(geo.json.features.filter((f: any) => f.properties.role === 'stop')).toHaveLength(4);
  });
});

describe('POST /api/planning/coverage and /sites', () => {
  it('finds the gaps, and a proposed camera changes the figures', async () => {
    const base = await t.call('POST', '/api/planning/coverage', { role: 'viewer', body: { top: 10 } });
    expect(base.status).toBe(200);
    expect(base.json.after).toBeNull();
    expect(base.json.before.gapCells).toBeGreaterThan(0);
    const gap = base.json.gapList[0];
    const what = await t.call('POST', '/api/planning/coverage', { role: 'viewer', body: { top: 10, proposed: [{ location: { type: 'Point', coordinates: [gap.lon, gap.lat] }, type: 'ptz' }] } });
    expect(what.status).toBe(200);
    expect(what.json.after.crimesCovered).toBeGreaterThan(base.json.before.crimesCovered);
    expect(what.json.after.gapCells).toBeLessThan(base.json.before.gapCells);
  });

  it('rejects bad bodies with 400 (or 415 for a body that is not JSON)', async () => {
    const far = await t.call('POST', '/api/planning/coverage', { role: 'viewer', body: { proposed: [{ location: { type: 'Point', coordinates: [-74, 40.7] } }] } });
    expect(far).toMatchObject({ status: 400, json: { detail: expect.stringMatching(/proposed\.0\.location\.coordinates: .*outside the United Kingdom/) } });
    const half = await t.call('POST', '/api/planning/coverage', { role: 'viewer', body: { proposed: [{ location: { type: 'Point', coordinates: hub }, bearingDeg: 90 }] } });
    expect(half.json.detail).toMatch(/both bearingDeg and fieldOfViewDeg/);
    expect((await t.call('POST', '/api/planning/sites', { role: 'viewer', body: { k: 0 } })).json.detail).toMatch(/k is at least 1/);
    expect((await t.call('POST', '/api/planning/sites', { role: 'viewer', body: { candidates: [[hub[1], hub[0]]] } })).status).toBe(400);
    expect((await t.call('POST', '/api/planning/sites', { role: 'viewer', body: '{"k":' })).status).toBe(400);
    expect((await t.call('POST', '/api/planning/sites', { role: 'viewer', body: 'k=3', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
  });

  it('picks k sites greedily, from uploaded candidates when given', async () => {
    const res = await t.call('POST', '/api/planning/sites', { role: 'analyst', body: { k: 3, cameraType: 'redeployable' } });
    expect(res.status).toBe(200);
    expect(res.json.camera).toMatchObject({ type: 'redeployable', radiusM: 75 });
    expect(res.json.picks).toHaveLength(3);
    expect(res.json.picks[0].gain).toBeGreaterThanOrEqual(res.json.picks[2].gain);
    const up = await t.call('POST', '/api/planning/sites', { role: 'analyst', body: { k: 2, candidates: [[hub[0] + 0.003, hub[1]], [hub[0] - 0.003, hub[1] + 0.001]] } });
    expect(up.json.candidates).toMatchObject({ source: 'uploaded', count: 2 });
  });

  it('counts only the caller’s organisation’s cameras', async () => {
    const a = (await t.call('POST', '/api/planning/coverage', { role: 'viewer', body: {} })).json;
    const b = (await t.call('POST', '/api/planning/coverage', { role: 'viewer', orgId: ORG_B, body: {} })).json;
    expect(a.cameras.live).toBeGreaterThan(0);
    expect(b.cameras.live).toBe(0);
    expect(b.before.crimesCovered).toBe(0);
  });
});

describe('cameras with a field of view', () => {
  it('saves a bearing and view on an existing camera, keeps old cameras valid, and refuses half a view', async () => {
    const list = (await t.call('GET', '/api/cameras', { role: 'planner' })).json.items;
    const cam = list.find((c: any) => c.type === 'fixed');
    expect(cam.bearingDeg).toBeUndefined();
    const { id, orgId: _o, version, createdAt: _c, createdBy: _b, updatedAt: _u, updatedBy: _ub, ...input } = cam;
    const ok = await t.call('PUT', `/api/cameras/${id}`, { role: 'planner', body: { ...input, bearingDeg: 90, fieldOfViewDeg: 60 }, headers: { 'If-Match': `"${version}"` } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ bearingDeg: 90, fieldOfViewDeg: 60, version: version + 1 });
    const layer = (await t.call('GET', '/api/layers/cameras', { role: 'viewer' })).json;
    expect(layer.features.find((f: any) => f.id === id).properties).toMatchObject({ bearingDeg: 90, fieldOfViewDeg: 60 });
    const half = await t.call('PUT', `/api/cameras/${id}`, { role: 'planner', body: { ...input, fieldOfViewDeg: 60 }, headers: { 'If-Match': `"${version + 1}"` } });
    expect(half).toMatchObject({ status: 400, json: { detail: expect.stringMatching(/bearingDeg/) } });
  });
});

describe('patrol visits (the dosage log)', () => {
  it('lets planners and admins record visits and everyone else read them; viewers get 403 on writes', async () => {
    const byRole = async (role: Role) => (await t.call('POST', '/api/patrol-visits', { role, body: visit() })).status;
    expect(await byRole('planner')).toBe(201);
    expect(await byRole('admin')).toBe(201);
    expect(await byRole('viewer')).toBe(403);
    expect(await byRole('analyst')).toBe(403);
    expect(await byRole('bid-writer')).toBe(403);
    const list = await t.call('GET', '/api/patrol-visits', { role: 'viewer' });
    expect(list.status).toBe(200);
    expect(list.json.items.length).toBeGreaterThanOrEqual(2);
  });

  it('validates a visit and versions its edits', async () => {
    const bad = await t.call('POST', '/api/patrol-visits', { role: 'planner', body: visit({ minutes: 900, officerRole: 'sheriff', orgId: ORG_B }) });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/unknown field\(s\) "orgId"/);
    expect(bad.json.detail).toMatch(/minutes/);
    const created = await t.call('POST', '/api/patrol-visits', { role: 'planner', body: visit({ minutes: 20 }) });
    expect(created.headers.get('etag')).toBe('"1"');
    const id = created.json.id;
    const edited = await t.call('PUT', `/api/patrol-visits/${id}`, { role: 'planner', body: visit({ minutes: 25 }), headers: { 'If-Match': '"1"' } });
    expect(edited.json).toMatchObject({ minutes: 25, version: 2, radiusM: 150 });
    expect((await t.call('PUT', `/api/patrol-visits/${id}`, { role: 'planner', body: visit({ minutes: 30 }), headers: { 'If-Match': '"1"' } })).status).toBe(409);
    expect((await t.call('DELETE', `/api/patrol-visits/${id}`, { role: 'viewer', headers: { 'If-Match': '"2"' } })).status).toBe(403);
  });

  it('keeps each organisation’s visits to itself: another organisation gets 404 and an empty list', async () => {
    const id = (await t.call('POST', '/api/patrol-visits', { role: 'planner', body: visit() })).json.id;
    expect((await t.call('GET', `/api/patrol-visits/${id}`, { role: 'planner', orgId: ORG_B })).status).toBe(404);
    expect((await t.call('PUT', `/api/patrol-visits/${id}`, { role: 'planner', orgId: ORG_B, body: visit(), headers: { 'If-Match': '"1"' } })).status).toBe(404);
    expect((await t.call('DELETE', `/api/patrol-visits/${id}`, { role: 'admin', orgId: ORG_B, headers: { 'If-Match': '"1"' } })).status).toBe(404);
    expect((await t.call('GET', '/api/patrol-visits', { role: 'viewer', orgId: ORG_B })).json.items).toEqual([]);
  });

  it('reports hours per spot for the month, with crimes before and during, as JSON and CSV', async () => {
    const res = await t.call('GET', `/api/planning/dosage?month=${LAST}`, { role: 'viewer' });
    expect(res.status).toBe(200);
    const row = res.json.spots.find((s: any) => s.spotName === 'On or near Market Place');
    expect(row.month.visits).toBeGreaterThanOrEqual(4);
    expect(row.month.crimes).toEqual(expect.any(Number));
    // Patrols began this month: "before" is the three months before it, all in the data.
    expect(row.before).toMatchObject({ months: 3, crimesPerMonth: expect.any(Number), asbPerMonth: expect.any(Number) });
    const csv = await t.call('GET', `/api/planning/dosage?month=${LAST}&format=csv`, { role: 'viewer' });
    expect(csv.headers.get('content-disposition')).toMatch(`patrol-dosage-${LAST}.csv`);
    expect(csv.json as string).toMatch(/On or near Market Place/);
    expect((await t.call('GET', `/api/planning/dosage?month=${LAST}`, { role: 'viewer', orgId: ORG_B })).json.spots).toEqual([]);
    expect((await t.call('GET', '/api/planning/dosage?month=2024-13', { role: 'viewer' })).status).toBe(400);
  });
});

describe('re-deployable cameras: deployments and rotation', () => {
  it('logs a deployment of a re-deployable camera (three months by default) and refuses other cameras', async () => {
    const cams = (await t.call('GET', '/api/cameras', { role: 'planner' })).json.items;
    const movable = cams.find((c: any) => c.type === 'redeployable' && c.status === 'live');
    const fixed = cams.find((c: any) => c.type === 'fixed');
    const body = { cameraId: movable.id, siteName: 'Eastfield estate', location: movable.location, startDate: '2024-12-01' };
    const res = await t.call('POST', '/api/camera-deployments', { role: 'planner', body });
    expect(res.status).toBe(201);
    expect(res.json.endDate).toBe('2025-03-01');
    expect((await t.call('POST', '/api/camera-deployments', { role: 'planner', body: { ...body, cameraId: fixed.id } })).json.detail).toMatch(/only re-deployable/);
    expect((await t.call('POST', '/api/camera-deployments', { role: 'planner', orgId: ORG_B, body })).json.detail).toMatch(/no camera with id/);
    expect((await t.call('POST', '/api/camera-deployments', { role: 'viewer', body })).status).toBe(403);
    expect((await t.call('GET', `/api/camera-deployments/${res.json.id}`, { role: 'viewer', orgId: ORG_B })).status).toBe(404);
  });

  it('suggests next sites for each re-deployable camera, with its history', async () => {
    const res = await t.call('GET', '/api/planning/rotation?suggestions=2', { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json.cameras.length).toBeGreaterThan(0);
    const withHistory = res.json.cameras.find((c: any) => c.history.length > 0);
    expect(withHistory.current).toMatchObject({ siteName: 'Eastfield estate', endDate: '2025-03-01' });
    for (const c of res.json.cameras) for (const s of c.suggestions) expect(['emerging', 'persistent']).toContain(s.pattern);
    expect((await t.call('GET', '/api/planning/rotation?periods=1', { role: 'viewer' })).status).toBe(400);
    expect((await t.call('GET', '/api/planning/rotation', { role: 'viewer', orgId: ORG_B })).json.cameras).toEqual([]);
  });
});

describe('GET /api/planning/help-points', () => {
  it('suggests VAWG-related spots far from a help point, and checks the distance', async () => {
    const res = await t.call('GET', '/api/planning/help-points?top=8&distanceM=300', { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json.spots).toHaveLength(8);
    for (const s of res.json.spots) expect(s.suggest).toBe(s.nearestHelpPoint.distanceM > 300);
    expect(res.json.areas.some((a: any) => a.kind === 'safer-streets-area')).toBe(true);
    expect((await t.call('GET', '/api/planning/help-points?distanceM=10', { role: 'viewer' })).json.detail).toMatch(/at least 50 m/);
    const none = (await t.call('GET', '/api/planning/help-points', { role: 'viewer', orgId: ORG_B })).json;
    expect(none.helpPoints.total).toBe(0);
    expect(none.spots.every((s: any) => s.suggest && s.nearestHelpPoint === null)).toBe(true);
  });
});
