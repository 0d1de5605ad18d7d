import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDataset } from '@safer-places/domain';
import { cameraViewPolygon } from '@safer-places/geo';
import { COVERAGE_POLYGON_STEPS, type Position } from '@safer-places/schemas';
import { ORG_A, ORG_B, seedDemo, startTestApp } from './harness';

/**
 * The shapes the map draws come from the server: each camera's coverage (`/api/layers/cameras/coverage`) and the
 * circles and views of the planner's answers. Each is exactly cameraViewPolygon(position, radius, view, 48), the shape
 * the web app used to compute itself, and the coverage layer shows exactly the cameras the cameras layer shows.
 */
let t: Awaited<ReturnType<typeof startTestApp>>;
const demo = generateDemoDataset();
const hub = demo.assets.cameras[0]!.input.location.coordinates;
const LAST = demo.summary.lastMonth!;
/** A token for a planner who may see covert cameras. */
let coverToken: string;
let covertId: string;
let facingId: string;
let retiredId: string;

const view = (p: { bearingDeg?: number | null; fieldOfViewDeg?: number | null }) =>
  p.bearingDeg != null && p.fieldOfViewDeg != null ? { bearing: p.bearingDeg, fieldOfView: p.fieldOfViewDeg } : {};
const shape = (at: Position, radiusM: number, v: { bearing?: number; fieldOfView?: number } = {}) => cameraViewPolygon(at, radiusM, v, COVERAGE_POLYGON_STEPS);
const camera = (name: string, over: Record<string, unknown>) => ({ name, type: 'fixed', location: { type: 'Point', coordinates: [hub[0] + 0.002, hub[1] + 0.001] }, ...over });

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t, demo, ORG_A);
  coverToken = (await t.call('POST', '/api/dev/sign-in', { body: { role: 'planner', permissions: ['sensitive-cameras'] } })).json.token;
  const cover = { Authorization: `Bearer ${coverToken}` };
  const made = async (body: unknown, headers?: Record<string, string>) => {
    const res = await t.call('POST', '/api/cameras', headers ? { body, headers } : { role: 'planner', body });
    expect(res.status).toBe(201);
    return res.json.id as string;
  };
  covertId = await made(camera('Covert camera', { sensitive: true, coverageRadiusM: 60 }), cover);
  facingId = await made(camera('Facing camera', { type: 'ptz', bearingDeg: 135, fieldOfViewDeg: 70, location: { type: 'Point', coordinates: [hub[0] - 0.002, hub[1]] } }));
  retiredId = await made(camera('Retired camera', { status: 'decommissioned' }));
}, 120_000);
afterAll(() => t.close());

describe('GET /api/layers/cameras/coverage', () => {
  it("draws each camera of the cameras layer, its circle or the sector of its view, as the web app drew it", async () => {
    const layer = (await t.call('GET', '/api/layers/cameras', { role: 'viewer' })).json;
    const res = await t.call('GET', '/api/layers/cameras/coverage', { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ type: 'FeatureCollection', layer: 'cameras', truncated: false, dataset: layer.dataset });
    const drawn = layer.features.filter((f: any) => f.properties.status !== 'decommissioned');
    expect(res.json.features).toEqual(
      drawn.map((f: any) => ({
        type: 'Feature',
        geometry: shape(f.geometry.coordinates, f.properties.coverageRadiusM, view(f.properties)),
        properties: { id: f.id, type: f.properties.type, radiusM: f.properties.coverageRadiusM },
      })),
    );
    const ids = res.json.features.map((f: any) => f.properties.id);
    expect(ids).toContain(facingId);
    expect(ids).not.toContain(retiredId);
    // The camera facing one way is a sector, not a circle.
    const facing = res.json.features.find((f: any) => f.properties.id === facingId);
    expect(facing.geometry).toEqual(shape([hub[0] - 0.002, hub[1]], 150, { bearing: 135, fieldOfView: 70 }));
    expect(facing.geometry).not.toEqual(shape([hub[0] - 0.002, hub[1]], 150));
  });

  it('hides covert cameras exactly as the cameras layer does, and keeps to the caller’s organisation', async () => {
    const plain = (await t.call('GET', '/api/layers/cameras/coverage', { role: 'admin' })).json.features.map((f: any) => f.properties.id);
    expect(plain).not.toContain(covertId);
    const cover = { headers: { Authorization: `Bearer ${coverToken}` } };
    const layer = (await t.call('GET', '/api/layers/cameras', cover)).json;
    const coverage = (await t.call('GET', '/api/layers/cameras/coverage', cover)).json;
    expect(layer.features.map((f: any) => f.id)).toContain(covertId);
    const covert = coverage.features.find((f: any) => f.properties.id === covertId);
    expect(covert).toEqual({ type: 'Feature', geometry: shape([hub[0] + 0.002, hub[1] + 0.001], 60), properties: { id: covertId, type: 'fixed', radiusM: 60 } });
    expect(coverage.features.map((f: any) => f.properties.id)).toEqual(
      layer.features.filter((f: any) => f.properties.status !== 'decommissioned').map((f: any) => f.id),
    );
    expect((await t.call('GET', '/api/layers/cameras/coverage', { role: 'admin', orgId: ORG_B })).json.features).toEqual([]);
  });

  it('takes the cameras layer’s query: bbox and limit narrow it the same way; scope and unknown fields are refused', async () => {
    const bbox = `bbox=${hub[0] - 0.003},${hub[1] - 0.003},${hub[0] + 0.003},${hub[1] + 0.003}`;
    const layer = (await t.call('GET', `/api/layers/cameras?${bbox}&limit=2`, { role: 'viewer' })).json;
    const coverage = (await t.call('GET', `/api/layers/cameras/coverage?${bbox}&limit=2`, { role: 'viewer' })).json;
    expect(coverage.truncated).toBe(layer.truncated);
    expect(coverage.features.map((f: any) => f.properties.id)).toEqual(layer.features.filter((f: any) => f.properties.status !== 'decommissioned').map((f: any) => f.id));
    expect((await t.call('GET', '/api/layers/cameras/coverage?scope=study-area', { role: 'viewer' })).status).toBe(400);
    expect((await t.call('GET', '/api/layers/cameras/coverage?colour=red', { role: 'viewer' })).status).toBe(400);
    expect((await t.call('GET', '/api/layers/cameras/coverage')).status).toBe(401);
  });
});

describe("the planner's answers carry the shapes the map draws", () => {
  const proposed = { location: { type: 'Point', coordinates: [hub[0] + 0.004, hub[1] - 0.002] }, type: 'ptz', bearingDeg: 200, fieldOfViewDeg: 90 };

  it('camera views: the shape of each camera being placed, before any analysis, as the analyses draw it', async () => {
    const res = await t.call('POST', '/api/planning/camera-views', { role: 'viewer', body: { cameras: [proposed, { location: { type: 'Point', coordinates: hub }, type: 'anpr' }] } });
    expect(res.status).toBe(200);
    expect(res.json.views).toEqual([
      {
        id: null,
        name: 'Proposed camera 1',
        type: 'ptz',
        lon: expect.closeTo(proposed.location.coordinates[0]!, 6),
        lat: expect.closeTo(proposed.location.coordinates[1]!, 6),
        radiusM: 150,
        bearingDeg: 200,
        fieldOfViewDeg: 90,
        coverage: shape(proposed.location.coordinates as Position, 150, { bearing: 200, fieldOfView: 90 }),
      },
      expect.objectContaining({ type: 'anpr', radiusM: 30, bearingDeg: null, fieldOfViewDeg: null, coverage: shape(hub, 30) }),
    ]);
    const gaps = (await t.call('POST', '/api/planning/coverage', { role: 'viewer', body: { proposed: [proposed] } })).json;
    expect(gaps.cameras.proposed[0].coverage).toEqual(res.json.views[0].coverage);
    expect((await t.call('POST', '/api/planning/camera-views', { role: 'viewer', body: { cameras: [] } })).status).toBe(400);
    expect((await t.call('POST', '/api/planning/camera-views', { role: 'viewer', body: { cameras: [{ ...proposed, fieldOfViewDeg: undefined }] } })).json.detail).toMatch(/bearingDeg and fieldOfViewDeg/);
    expect((await t.call('POST', '/api/planning/camera-views', { body: { cameras: [proposed] } })).status).toBe(401);
  });

  it('coverage gaps: each proposed camera with its view', async () => {
    const res = await t.call('POST', '/api/planning/coverage', { role: 'viewer', body: { proposed: [proposed, { location: { type: 'Point', coordinates: hub } }] } });
    expect(res.status).toBe(200);
    const [a, b] = res.json.cameras.proposed;
    expect(a.coverage).toEqual(shape(proposed.location.coordinates as Position, 150, { bearing: 200, fieldOfView: 90 }));
    expect(b.coverage).toEqual(shape(hub, 100));
  });

  it('candidate sites: each pick’s circle and the proposed cameras', async () => {
    const res = await t.call('POST', '/api/planning/sites', { role: 'viewer', body: { k: 3, proposed: [proposed] } });
    expect(res.status).toBe(200);
    expect(res.json.picks.length).toBeGreaterThan(0);
    for (const p of res.json.picks) expect(p.coverage).toEqual(shape([p.lon, p.lat], p.radiusM));
    expect(res.json.proposed).toEqual([
      expect.objectContaining({ id: null, type: 'ptz', radiusM: 150, bearingDeg: 200, fieldOfViewDeg: 90, coverage: shape(proposed.location.coordinates as Position, 150, { bearing: 200, fieldOfView: 90 }) }),
    ]);
    expect((await t.call('POST', '/api/planning/sites', { role: 'viewer', body: { k: 1 } })).json.proposed).toEqual([]);
  });

  it('rotation: each suggested site’s circle at the rotation radius', async () => {
    const res = await t.call('GET', '/api/planning/rotation?suggestions=2', { role: 'viewer' });
    expect(res.status).toBe(200);
    const suggestions = res.json.cameras.flatMap((c: any) => c.suggestions);
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions) expect(s.coverage).toEqual(shape([s.lon, s.lat], res.json.radiusM));
  });

  it('help points: every help point of the layer with the circle of distanceM around it', async () => {
    const layer = (await t.call('GET', '/api/layers/help-points', { role: 'viewer' })).json;
    const res = await t.call('GET', '/api/planning/help-points?distanceM=250', { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.json.helpPoints.reach).toEqual(
      layer.features.map((f: any) => ({
        id: f.id,
        name: f.properties.name,
        status: f.properties.status,
        lon: f.geometry.coordinates[0],
        lat: f.geometry.coordinates[1],
        coverage: shape(f.geometry.coordinates, 250),
      })),
    );
    expect(res.json.helpPoints.reach).toHaveLength(res.json.helpPoints.total);
    expect((await t.call('GET', '/api/planning/help-points', { role: 'viewer', orgId: ORG_B })).json.helpPoints.reach).toEqual([]);
  });

  it('dosage report: each spot’s radius, where its crimes are counted', async () => {
    const visit = { spotName: 'Bus station', location: { type: 'Point', coordinates: [hub[0] + 0.0012345678, hub[1]] }, radiusM: 120, visitDate: `${LAST}-03`, minutes: 20, officerRole: 'pcso' };
    expect((await t.call('POST', '/api/patrol-visits', { role: 'planner', body: visit })).status).toBe(201);
    const res = await t.call('GET', `/api/planning/dosage?month=${LAST}`, { role: 'viewer' });
    const spot = res.json.spots.find((s: any) => s.spotName === 'Bus station');
    expect(spot.radiusM).toBe(120);
    expect(spot.coverage).toEqual(shape([spot.lon, spot.lat], 120));
  });
});
