import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAssetRepository, IDEMPOTENCY_PENDING_SECONDS, createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { createApp } from '../src/app';
import { createLocalTokenService } from '../src/auth';
import { ORG_B, startTestApp, validCamera, validPspo } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const count = async (kind: string) => (await t.call('GET', `/api/${kind}`, { role: 'admin' })).json.items.length as number;

describe('asset CRUD with optimistic locking', () => {
  let id: string;

  it('creates a camera with server-owned audit fields and version 1', async () => {
    const res = await t.call('POST', '/api/cameras', { role: 'planner', body: validCamera });
    expect(res.status).toBe(201);
    expect(res.headers.get('ETag')).toBe('"1"');
    expect(res.json).toMatchObject({ ...validCamera, status: 'live', version: 1, orgId: 'org-a', createdBy: 'u-planner-org-a' });
    id = res.json.id;
    expect(res.headers.get('Location')).toBe(`/api/cameras/${id}`);
    expect((await t.call('GET', `/api/cameras/${id}`, { role: 'viewer' })).json.name).toBe('Market Place camera');
  });

  it('updates with If-Match and bumps the version', async () => {
    const res = await t.call('PUT', `/api/cameras/${id}`, { role: 'planner', body: { ...validCamera, name: 'Renamed' }, headers: { 'If-Match': '"1"' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'Renamed', version: 2, createdBy: 'u-planner-org-a' });
    expect(res.headers.get('ETag')).toBe('"2"');
  });

  it('a stale edit gets 409 with the current version and changes nothing', async () => {
    const res = await t.call('PUT', `/api/cameras/${id}`, { role: 'planner', body: { ...validCamera, name: 'Stale' }, headers: { 'If-Match': '"1"' } });
    expect(res.status).toBe(409);
    expect(res.json.error).toBe('version_conflict');
    expect(res.headers.get('ETag')).toBe('"2"');
    expect((await t.call('GET', `/api/cameras/${id}`, { role: 'planner' })).json).toMatchObject({ name: 'Renamed', version: 2 });
  });

  it('an edit without If-Match is refused with 428', async () => {
    const res = await t.call('PUT', `/api/cameras/${id}`, { role: 'planner', body: validCamera });
    expect(res.status).toBe(428);
    expect(res.json.detail).toMatch(/If-Match/);
  });

  it('another organisation cannot see, change or delete it (404)', async () => {
    expect((await t.call('GET', `/api/cameras/${id}`, { role: 'admin', orgId: ORG_B })).status).toBe(404);
    const put = await t.call('PUT', `/api/cameras/${id}`, { role: 'admin', orgId: ORG_B, body: validCamera, headers: { 'If-Match': '"2"' } });
    expect(put.status).toBe(404);
    expect((await t.call('DELETE', `/api/cameras/${id}`, { role: 'admin', orgId: ORG_B, headers: { 'If-Match': '"2"' } })).status).toBe(404);
    expect((await t.call('GET', '/api/layers/cameras', { role: 'admin', orgId: ORG_B })).json.features).toEqual([]);
    expect((await t.call('GET', `/api/cameras/${id}`, { role: 'planner' })).json.version).toBe(2);
  });

  it('deletes only at the current version', async () => {
    expect((await t.call('DELETE', `/api/cameras/${id}`, { role: 'planner', headers: { 'If-Match': '"1"' } })).status).toBe(409);
    expect((await t.call('DELETE', `/api/cameras/${id}`, { role: 'planner', headers: { 'If-Match': '"2"' } })).status).toBe(204);
    expect((await t.call('GET', `/api/cameras/${id}`, { role: 'planner' })).status).toBe(404);
  });

  it('keeps help points linked to real cameras of the same organisation', async () => {
    const cam = (await t.call('POST', '/api/cameras', { role: 'planner', body: validCamera })).json;
    const bad = await t.call('POST', '/api/help-points', {
      role: 'planner',
      body: { name: 'Refuge', status: 'live', cameraId: 'no-such-camera', location: validCamera.location },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/cameraId: no camera with id "no-such-camera"/);
    const good = await t.call('POST', '/api/help-points', {
      role: 'planner',
      body: { name: 'Refuge', status: 'live', cameraId: cam.id, location: validCamera.location },
    });
    expect(good.status).toBe(201);
    const layer = await t.call('GET', '/api/layers/help-points', { role: 'viewer' });
    expect(layer.json.features[0].properties).toMatchObject({ name: 'Refuge', cameraId: cam.id, cameraName: 'Market Place camera' });
  });

  it('stores PSPO zones and Safer Streets areas for the roles that own them', async () => {
    expect((await t.call('POST', '/api/pspo-zones', { role: 'analyst', body: validPspo })).status).toBe(201);
    const ssa = { name: 'Target area', round: 'R4', theme: 'neighbourhood', amountGbp: 250000, startDate: '2022-10-01', endDate: '2024-03-31', geometry: validPspo.geometry };
    expect((await t.call('POST', '/api/safer-streets-areas', { role: 'planner', body: ssa })).status).toBe(403);
    expect((await t.call('POST', '/api/safer-streets-areas', { role: 'bid-writer', body: ssa })).status).toBe(201);
  });
});

describe('bad input gets a 4xx naming the problem, and nothing is written', () => {
  const cases: [string, unknown, number, RegExp][] = [
    ['unknown field (mass assignment)', { ...validCamera, orgId: 'org-b' }, 400, /unknown field\(s\) "orgId"/],
    ['client-sent version', { ...validCamera, version: 9 }, 400, /unknown field\(s\) "version"/],
    ['missing name', { ...validCamera, name: '' }, 400, /name: name is required/],
    ['unknown camera type', { ...validCamera, type: 'dome' }, 400, /type:/],
    ['outside the UK', { ...validCamera, location: { type: 'Point', coordinates: [2.35, 48.85] } }, 400, /outside the United Kingdom/],
    ['swapped latitude and longitude', { ...validCamera, location: { type: 'Point', coordinates: [53.0051, -1.1953] } }, 400, /look swapped/],
    ['not degrees', { ...validCamera, location: { type: 'Point', coordinates: [500, 95] } }, 400, /not a longitude\/latitude pair/],
    ['BNG eastings/northings', { ...validCamera, location: { type: 'Point', coordinates: [457000, 340000] } }, 400, /not a longitude\/latitude pair/],
    ['3D position', { ...validCamera, location: { type: 'Point', coordinates: [-1.19, 53.0, 40] } }, 400, /\[longitude, latitude\]; got 3/],
    ['numbers as strings', { ...validCamera, location: { type: 'Point', coordinates: ['-1.19', '53.0'] } }, 400, /numbers/],
    ['negative radius', { ...validCamera, coverageRadiusM: -5 }, 400, /coverageRadiusM/],
  ];
  it.each(cases)('%s', async (_label, body, status, message) => {
    const before = await count('cameras');
    const res = await t.call('POST', '/api/cameras', { role: 'planner', body });
    expect(res.status).toBe(status);
    expect(res.json.error).toBe('invalid_request');
    expect(res.json.detail).toMatch(message);
    expect(await count('cameras')).toBe(before);
  });

  const polygonCases: [string, unknown, number, RegExp][] = [
    ['unclosed ring', [[[-1.2, 53.0], [-1.19, 53.0], [-1.19, 53.01], [-1.2, 53.01]]], 400, /must be closed/],
    ['ring with 3 positions', [[[-1.2, 53.0], [-1.19, 53.0], [-1.2, 53.0]]], 400, /at least 4 positions/],
    ['bowtie', [[[-1.2, 53.0], [-1.19, 53.01], [-1.19, 53.0], [-1.2, 53.01], [-1.2, 53.0]]], 422, /cross each other at \[-1\.195000, 53\.005000\]/],
  ];
  it.each(polygonCases)('PSPO zone with %s', async (_label, coordinates, status, message) => {
    const before = await count('pspo-zones');
    const res = await t.call('POST', '/api/pspo-zones', { role: 'analyst', body: { ...validPspo, geometry: { type: 'Polygon', coordinates } } });
    expect(res.status).toBe(status);
    expect(res.json.detail).toMatch(message);
    expect(await count('pspo-zones')).toBe(before);
  });

  it('end date before start date', async () => {
    const res = await t.call('POST', '/api/pspo-zones', { role: 'analyst', body: { ...validPspo, endDate: '2020-01-01' } });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/endDate: endDate must not be before startDate/);
  });

  it('a body that is not JSON, or not sent as JSON', async () => {
    const bad = await t.call('POST', '/api/cameras', { role: 'planner', body: '{"name": ' });
    expect(bad).toMatchObject({ status: 400, json: { error: 'invalid_json' } });
    const text = await t.call('POST', '/api/cameras', { role: 'planner', body: JSON.stringify(validCamera), headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('a body over 1 MB gets 413 naming the limit', async () => {
    const res = await t.call('POST', '/api/cameras', { role: 'planner', body: { ...validCamera, notes: 'x'.repeat(1_100_000) } });
    expect(res.status).toBe(413);
    expect(res.json.detail).toMatch(/1 MB/);
  });

  it('a polygon over the vertex limit', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 5001; i++) {
      const a = (i / 5001) * 2 * Math.PI;
      ring.push([-1.2 + 0.01 * Math.cos(a), 53 + 0.01 * Math.sin(a)]);
    }
    ring.push(ring[0]!);
    const res = await t.call('POST', '/api/pspo-zones', { role: 'analyst', body: { ...validPspo, geometry: { type: 'Polygon', coordinates: [ring] } } });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/5002 vertices; the limit is 5000/);
  });

  it('an unknown id or a malformed If-Match', async () => {
    expect((await t.call('GET', '/api/cameras/does-not-exist', { role: 'planner' })).status).toBe(404);
    const res = await t.call('PUT', '/api/cameras/x', { role: 'planner', body: validCamera, headers: { 'If-Match': 'latest' } });
    expect(res.status).toBe(400);
  });

  it('no server error was logged by any of the above', () => {
    expect(t.errors).toEqual([]);
  });
});

describe('POST /api/:kind/import (file uploads)', () => {
  const camera = (name: string, lon = -1.15) => ({ name, type: 'fixed', status: 'live', location: { type: 'Point', coordinates: [lon, 52.95] } });

  it('adds every item of a valid upload', async () => {
    const before = (await t.call('GET', '/api/cameras', { role: 'planner', orgId: 'upload-org' })).json.items.length;
    const res = await t.call('POST', '/api/cameras/import', { role: 'planner', orgId: 'upload-org', body: { items: [camera('Upload A'), camera('Upload B', -1.16)] } });
    expect(res.status).toBe(201);
    expect(res.json.created).toBe(2);
    const after = (await t.call('GET', '/api/cameras', { role: 'planner', orgId: 'upload-org' })).json.items;
    expect(after.length).toBe(before + 2);
    expect(after.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['Upload A', 'Upload B']));
  });

  it('writes nothing when any item is bad, and names each bad item', async () => {
    const before = (await t.call('GET', '/api/cameras', { role: 'planner', orgId: 'upload-org-2' })).json.items.length;
    const res = await t.call('POST', '/api/cameras/import', {
      role: 'planner',
      orgId: 'upload-org-2',
      body: { items: [camera('Fine'), { ...camera('Swapped'), location: { type: 'Point', coordinates: [52.95, -1.15] } }, { ...camera('Extra'), orgId: 'other' }] },
    });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/2 of 3 items are invalid, so nothing was added/);
    expect(res.json.detail).toMatch(/item 2: .*swapped|item 2: .*latitude/i);
    expect(res.json.detail).toMatch(/item 3: .*orgId/);
    expect((await t.call('GET', '/api/cameras', { role: 'planner', orgId: 'upload-org-2' })).json.items.length).toBe(before);
  });

  it('refuses a role that may not change the layer, and a body that is not {items: [...]}', async () => {
    expect((await t.call('POST', '/api/cameras/import', { role: 'viewer', body: { items: [camera('X')] } })).status).toBe(403);
    const res = await t.call('POST', '/api/cameras/import', { role: 'planner', body: [camera('X')] });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/\{"items": \[\.\.\.\]\}/);
    expect((await t.call('POST', '/api/cameras/import', { role: 'planner', body: { items: [] } })).json.detail).toMatch(/no items/);
  });
});

describe('POST /api/:kind/import: what was repaired, item by item', () => {
  const clockwise = [...validPspo.geometry.coordinates[0]!].reverse();
  const zone = (name: string, ring: number[][]) => ({ ...validPspo, name, geometry: { type: 'Polygon', coordinates: [ring] } });

  it('each item whose clockwise outer ring was reversed says so, as a single create does; the others carry no warnings', async () => {
    const single = await t.call('POST', '/api/pspo-zones', { role: 'analyst', orgId: 'warn-org', body: zone('Single', clockwise) });
    const res = await t.call('POST', '/api/pspo-zones/import', {
      role: 'analyst',
      orgId: 'warn-org',
      body: { items: [zone('Anticlockwise', validPspo.geometry.coordinates[0]!), zone('Clockwise', clockwise), zone('Also fine', validPspo.geometry.coordinates[0]!)] },
    });
    expect(res.status).toBe(201);
    expect(res.json.created).toBe(3);
    expect(res.json.items.map((i: { warnings?: string[] }) => i.warnings)).toEqual([undefined, single.json.warnings, undefined]);
    expect(res.json.items[1].warnings).toEqual([expect.stringMatching(/outer ring ran clockwise; it was reversed/)]);
    expect(res.json.items[1].geometry).toEqual(validPspo.geometry);
    const stored = await t.call('GET', `/api/pspo-zones/${res.json.items[1].id}`, { role: 'analyst', orgId: 'warn-org' });
    expect(stored.json.geometry).toEqual(validPspo.geometry);
    expect(stored.json.warnings).toBeUndefined();
  });

  it('a replay with the same Idempotency-Key answers the same warnings', async () => {
    const body = { items: [zone('Replayed clockwise', clockwise)] };
    const headers = { 'Idempotency-Key': 'warn-replay' };
    const first = await t.call('POST', '/api/pspo-zones/import', { role: 'analyst', orgId: 'warn-org-2', body, headers });
    const again = await t.call('POST', '/api/pspo-zones/import', { role: 'analyst', orgId: 'warn-org-2', body, headers });
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(again.json.items[0].warnings).toHaveLength(1);
  });
});

describe('POST /api/:kind/import through a crash, retried with the same Idempotency-Key after the key\'s hold', () => {
  const WRITES = new Set(['PutCommand', 'DeleteCommand', 'UpdateCommand', 'BatchWriteCommand', 'TransactWriteCommand']);
  const camera = (name: string, i: number) => ({ name, type: 'fixed', location: { type: 'Point', coordinates: [-1.15 + i * 1e-4, 52.95] } });
  const SIZE = 40;
  let dynamo: EmbeddedDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  const tokens = createLocalTokenService(new TextEncoder().encode('crash-secret-crash-secret-crash-secret'));
  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    doc = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(doc, 'crash-test');
  });
  afterAll(async () => {
    doc.destroy();
    await dynamo.close();
  });

  /**
   * A process of the app: its clock `offsetMs` ahead (a later process, after the key's hold), and, with `dieAfter`,
   * dying once that many writes were carried out (every later store call fails, as nothing more leaves a dead process).
   */
  function processOf(opts: { offsetMs?: number; dieAfter?: number } = {}) {
    const writes: string[] = [];
    let dead = opts.dieAfter === 0;
    const dying = new Proxy(doc, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (command: { constructor: { name: string }; input: { Item?: { sk?: string }; Key?: { sk?: string } } }) => {
          if (dead) throw Object.assign(new Error('the process died (simulated)'), { name: 'ProcessDied' });
          if (!WRITES.has(command.constructor.name)) return target.send(command as never);
          const out = await target.send(command as never);
          writes.push(`${command.constructor.name} ${command.input.Item?.sk ?? command.input.Key?.sk ?? ''}`);
          if (opts.dieAfter !== undefined && writes.length >= opts.dieAfter) dead = true;
          if (dead) throw Object.assign(new Error('the process died (simulated)'), { name: 'ProcessDied' });
          return out;
        };
      },
    });
    const app = createApp({
      ...dynamoPorts(dying, 'crash-test'),
      verifier: tokens.verifier,
      clock: { now: () => new Date(Date.now() + (opts.offsetMs ?? 0)) },
      log: () => undefined,
    });
    const upload = async (orgId: string, key: string, tag: string) => {
      const { token } = await tokens.issue({ userId: 'uploader', orgId, role: 'planner' });
      const res = await app.request('/api/cameras/import', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify({ items: Array.from({ length: SIZE }, (_, i) => camera(`${tag} #${i}`, i)) }),
      });
      return { status: res.status, replayed: res.headers.get('Idempotent-Replayed'), json: (await res.json()) as { items?: { id: string }[] } };
    };
    const names = async (orgId: string) => (await new DynamoAssetRepository(doc, 'crash-test').list(orgId, 'cameras')).map((c) => c.name);
    return { upload, names, writes };
  }
  const HOLD_MS = (IDEMPOTENCY_PENDING_SECONDS + 1) * 1000;

  it('dying before the commit leaves nothing; the retry stores all items once, answering 201', async () => {
    const calibration = processOf();
    await calibration.upload('crash-calibrate', 'k', 'Calibration');
    const commitAt = calibration.writes.findIndex((w, i) => /UPLOAD#/.test(w) && calibration.writes.slice(0, i).some((x) => /UPLOAD#/.test(x))) + 1;
    expect(commitAt).toBeGreaterThan(SIZE);

    for (const [n, dieAfter] of [[1, Math.floor(commitAt / 2)], [2, commitAt - 1]] as const) {
      const orgId = `crash-before-${n}`;
      const died = await processOf({ dieAfter }).upload(orgId, 'key', 'Upload');
      expect(died.status).toBe(500);
      const later = processOf({ offsetMs: HOLD_MS });
      expect(await later.names(orgId)).toEqual([]);
      // Within the hold the key is still claimed by the dead request.
      expect((await processOf().upload(orgId, 'key', 'Upload')).status).toBe(409);
      const retry = await later.upload(orgId, 'key', 'Upload');
      expect(retry).toMatchObject({ status: 201, replayed: null });
      expect((await later.names(orgId)).sort()).toEqual(Array.from({ length: SIZE }, (_, i) => `Upload #${i}`).sort());
    }
  });

  it('dying just after the commit: all items visible at once; the retry answers with them (replayed), adding none', async () => {
    const calibration = processOf();
    await calibration.upload('crash-calibrate-2', 'k', 'Calibration');
    const commitAt = calibration.writes.findIndex((w, i) => /UPLOAD#/.test(w) && calibration.writes.slice(0, i).some((x) => /UPLOAD#/.test(x))) + 1;
    const orgId = 'crash-after';
    expect((await processOf({ dieAfter: commitAt }).upload(orgId, 'key', 'Upload')).status).toBe(500);
    const later = processOf({ offsetMs: HOLD_MS });
    const visible = await later.names(orgId);
    expect(visible).toHaveLength(SIZE);
    const retry = await later.upload(orgId, 'key', 'Upload');
    expect(retry).toMatchObject({ status: 201, replayed: 'true' });
    expect(retry.json.items).toHaveLength(SIZE);
    expect(await later.names(orgId)).toHaveLength(SIZE);
    // And once more: now the key's own record answers.
    const again = await processOf({ offsetMs: 2 * HOLD_MS }).upload(orgId, 'key', 'Upload');
    expect(again).toMatchObject({ status: 201, replayed: 'true' });
    expect(again.json).toEqual(retry.json);
    expect(await later.names(orgId)).toHaveLength(SIZE);
  });
});
