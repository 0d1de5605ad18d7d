import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from './figures';
import { IN_SQUARE, ORG_A, SQUARE, startSecurityApp, validBody, type SecurityApp } from './support/security-app';

let s: SecurityApp;
const COVERT = ['sensitive-cameras'] as const;
let covertId: string;
let openId: string;

beforeAll(async () => {
  s = await startSecurityApp();
  // Both cameras sit inside SQUARE, so every area figure would count them.
  const covert = await s.call('POST', '/api/cameras', { role: 'planner', permissions: [...COVERT], body: { ...validBody('cameras'), name: 'Covert camera in the square', type: 'fixed', sensitive: true } });
  expect(covert.status, covert.text).toBe(201);
  covertId = covert.json.id;
  const open = await s.call('POST', '/api/cameras', { role: 'planner', body: { ...validBody('cameras'), name: 'Open camera in the square', type: 'fixed' } });
  openId = open.json.id;
});
afterAll(() => s?.close());

describe('covert and sensitive cameras', () => {
  it('are hidden from every role without the permission: lists, layers, items and analyses', async () => {
    for (const role of ['viewer', 'analyst', 'bid-writer', 'planner', 'admin'] as const) {
      const list = await s.call('GET', '/api/cameras', { role });
      expect(list.json.items.map((c: { id: string }) => c.id)).toContain(openId);
      expect(list.json.items.map((c: { id: string }) => c.id)).not.toContain(covertId);
      const layer = await s.call('GET', '/api/layers/cameras', { role });
      expect(layer.text).not.toContain(covertId);
      expect(layer.text).not.toContain('Covert camera');
      expect((await s.call('GET', `/api/cameras/${covertId}`, { role })).status).toBe(404);
      const stats = await s.call('POST', '/api/areas/analyse', { role, body: { geometry: SQUARE } });
      expect(stats.status).toBe(200);
      expect(stats.json.cctv.camerasInside.map((c: { id: string }) => c.id)).toEqual([openId]);
    }
    // A planner without the permission cannot change it or learn it exists by changing it.
    const put = await s.call('PUT', `/api/cameras/${covertId}`, { role: 'planner', headers: { 'If-Match': '"1"' }, body: validBody('cameras') });
    expect(put.status).toBe(404);
    const del = await s.call('DELETE', `/api/cameras/${covertId}`, { role: 'planner', headers: { 'If-Match': '"1"' } });
    expect(del.status).toBe(404);
    expect((await s.stored(ORG_A, 'cameras')).find((c) => c.id === covertId)?.name).toBe('Covert camera in the square');
  });

  it('are shown with the permission, never stored by any cache, and every read is audited', async () => {
    const before = (await s.auditEvents(ORG_A)).filter((e) => e.action === 'sensitive-read').length;
    const list = await s.call('GET', '/api/cameras', { role: 'viewer', permissions: [...COVERT] });
    expect(list.json.items.map((c: { id: string }) => c.id)).toContain(covertId);
    expect(list.headers.get('Cache-Control')).toBe('private, no-store');
    const item = await s.call('GET', `/api/cameras/${covertId}`, { role: 'analyst', permissions: [...COVERT] });
    expect(item.status).toBe(200);
    expect(item.headers.get('Cache-Control')).toBe('private, no-store');
    const layer = await s.call('GET', '/api/layers/cameras', { role: 'planner', permissions: [...COVERT] });
    expect(layer.text).toContain(covertId);
    expect(layer.headers.get('Cache-Control')).toBe('private, no-store');
    const reads = (await s.auditEvents(ORG_A)).filter((e) => e.action === 'sensitive-read');
    expect(reads.length - before).toBe(3);
    expect(reads[0]).toMatchObject({ userId: 'user-planner-demo-csp', role: 'planner', kind: 'cameras', itemIds: [covertId] });
    // Without the permission, the ordinary private caching applies (and nothing covert is in the answer).
    expect((await s.call('GET', '/api/cameras', { role: 'viewer' })).headers.get('Cache-Control')).toBe('private, no-cache');
  });

  it('are never counted in an export, even one made by a user with the permission', async () => {
    // The LSOA holding both cameras: on screen, the permitted bid writer counts 2 cameras in it, the others 1.
    const lsoas = await s.call('GET', `/api/layers/lsoas?bbox=${IN_SQUARE.join(',')},${IN_SQUARE.join(',')}`, { role: 'bid-writer' });
    const code = lsoas.json.features[0].properties.code as string;
    const selection = (permissions?: ('sensitive-cameras')[]) =>
      s.call('POST', '/api/bids/selection', { role: 'bid-writer', ...(permissions && { permissions }), body: { codes: [code], dataset: s.datasetId } });
    const seen = (await selection([...COVERT])).json.inside.cameras as number;
    const ordinary = (await selection()).json.inside.cameras as number;
    expect(seen).toBe(ordinary + 1);

    const bid = await s.call('POST', '/api/bids', { role: 'bid-writer', permissions: [...COVERT], body: { ...validBody('bids'), selection: [code] } });
    expect(bid.status, bid.text).toBe(201);
    const report = async (permissions?: ('sensitive-cameras')[]) =>
      (await s.call('GET', `/api/bids/${bid.json.id}/report.html?dataset=${s.datasetId}`, { role: 'bid-writer', ...(permissions && { permissions }) })).text;
    const withPermission = await report([...COVERT]);
    expect(withPermission).toBe(await report());
    const pack = await s.app.request(`/api/bids/${bid.json.id}/pack?dataset=${s.datasetId}`, { headers: { Authorization: `Bearer ${await s.token('bid-writer', ORG_A, [...COVERT])}` } });
    expect(pack.status).toBe(200);
    const files = unzipSync(new Uint8Array(await pack.arrayBuffer()));
    expect(strFromU8(files['report.html']!)).toBe(withPermission);
    const all = Object.values(files).map((f) => strFromU8(f)).join('\n');
    expect(all).not.toContain('Covert camera');
    expect(all).not.toContain(covertId);
    recordFigure('Covert cameras', 'hidden without the permission', 'lists, layers, items, deployments, help point links and area figures for all 5 roles; changes 404');
    recordFigure('Covert cameras', 'with the permission', `shown with Cache-Control: private, no-store; reads audited; bid report and pack count ${ordinary} camera${ordinary === 1 ? '' : 's'} in the LSOA, not the ${seen} the user sees`);
  });

  it('do not show through their deployments or the help points linked to them', async () => {
    const deployment = await s.call('POST', '/api/camera-deployments', {
      role: 'planner',
      permissions: [...COVERT],
      body: { cameraId: covertId, siteName: 'Behind the Red Lion', location: { type: 'Point', coordinates: IN_SQUARE }, startDate: '2025-06-01' },
    });
    expect(deployment.status, deployment.text).toBe(400); // only re-deployable cameras are deployed: make one
    const covertMobile = await s.call('POST', '/api/cameras', { role: 'planner', permissions: [...COVERT], body: { ...validBody('cameras'), name: 'Covert mobile camera', sensitive: true } });
    const deployed = await s.call('POST', '/api/camera-deployments', {
      role: 'planner',
      permissions: [...COVERT],
      body: { cameraId: covertMobile.json.id, siteName: 'Behind the Red Lion', location: { type: 'Point', coordinates: IN_SQUARE }, startDate: '2025-06-01' },
    });
    expect(deployed.status, deployed.text).toBe(201);
    const help = await s.call('POST', '/api/help-points', { role: 'planner', permissions: [...COVERT], body: { ...validBody('help-points'), name: 'Help point watched covertly', cameraId: covertId } });
    expect(help.status, help.text).toBe(201);

    for (const role of ['viewer', 'planner', 'admin'] as const) {
      const deployments = await s.call('GET', '/api/camera-deployments', { role });
      expect(deployments.text).not.toContain('Red Lion');
      expect((await s.call('GET', `/api/camera-deployments/${deployed.json.id}`, { role })).status).toBe(404);
      const helpPoints = await s.call('GET', '/api/help-points', { role });
      const shown = helpPoints.json.items.find((h: { id: string }) => h.id === help.json.id);
      expect(shown).toBeDefined();
      expect(shown.cameraId).toBeUndefined();
      const layer = await s.call('GET', '/api/layers/help-points', { role });
      expect(layer.text).not.toContain(covertId);
      expect((await s.call('GET', `/api/help-points/${help.json.id}`, { role })).json.cameraId).toBeUndefined();
      const rotation = await s.call('GET', `/api/planning/rotation?dataset=${s.datasetId}`, { role });
      expect(rotation.status).toBe(200);
      expect(rotation.text).not.toContain('Covert mobile camera');
      expect(rotation.text).not.toContain('Red Lion');
    }
    // A planner without the permission cannot remove the deployment, and editing the help point keeps its hidden link.
    expect((await s.call('DELETE', `/api/camera-deployments/${deployed.json.id}`, { role: 'planner', headers: { 'If-Match': '"1"' } })).status).toBe(404);
    const edit = await s.call('PUT', `/api/help-points/${help.json.id}`, { role: 'planner', headers: { 'If-Match': '"1"' }, body: { ...validBody('help-points'), name: 'Renamed help point' } });
    expect(edit.status, edit.text).toBe(200);
    expect(edit.json.cameraId).toBeUndefined();
    const stored = (await s.stored(ORG_A, 'help-points')).find((h) => h.id === help.json.id)!;
    expect(stored).toMatchObject({ name: 'Renamed help point', cameraId: covertId });
    // With the permission, all of it is there, and the reads are audited.
    const permitted = await s.call('GET', '/api/camera-deployments', { role: 'viewer', permissions: [...COVERT] });
    expect(permitted.text).toContain('Red Lion');
    expect((await s.call('GET', `/api/help-points/${help.json.id}`, { role: 'viewer', permissions: [...COVERT] })).json.cameraId).toBe(covertId);
    const reads = (await s.auditEvents(ORG_A)).filter((e) => e.action === 'sensitive-read' && e.kind !== 'cameras');
    expect(reads.map((e) => e.kind)).toEqual(expect.arrayContaining(['camera-deployments', 'help-points']));
  });

  it('stay out of the audit log an administrator without the permission reads', async () => {
    const plain = await s.call('GET', '/api/audit?limit=200', { role: 'admin' });
    const text = plain.text;
    expect(plain.json.events.length).toBeGreaterThan(0);
    expect(text).not.toContain(covertId);
    expect(plain.json.events.some((e: { action: string }) => e.action === 'sensitive-read')).toBe(false);
    const permitted = await s.call('GET', '/api/audit?limit=200', { role: 'admin', permissions: [...COVERT] });
    expect(permitted.text).toContain(covertId);
    expect(permitted.json.events.some((e: { action: string }) => e.action === 'sensitive-read')).toBe(true);
    recordFigure('Covert cameras', 'audit log', `${permitted.json.events.length - plain.json.events.length} events about covert cameras shown only to an admin with the permission`);
  });
});

describe('audit log', () => {
  it('records writes, uploads, exports and refusals, newest first, for administrators only', async () => {
    const created = await s.call('POST', '/api/pspo-zones', { role: 'analyst', body: validBody('pspo-zones') });
    const id = created.json.id;
    await s.call('PUT', `/api/pspo-zones/${id}`, { role: 'planner', headers: { 'If-Match': '"1"' }, body: { ...validBody('pspo-zones'), name: 'Renamed' } });
    await s.call('POST', '/api/help-points/import', { role: 'planner', body: { items: [validBody('help-points'), validBody('help-points')] } });
    await s.call('GET', '/api/hotspots/top.csv', { role: 'viewer' });
    await s.call('DELETE', `/api/pspo-zones/${id}`, { role: 'admin', headers: { 'If-Match': '"2"' } });
    await s.call('POST', '/api/cameras', { role: 'viewer', body: validBody('cameras') });

    const page = await s.call('GET', '/api/audit?limit=6', { role: 'admin' });
    expect(page.status).toBe(200);
    expect(page.headers.get('Cache-Control')).toBe('private, no-store');
    const events = page.json.events as { at: string; action: string; userId: string; role: string; kind?: string; itemIds?: string[]; status: number; detail?: string }[];
    expect(events.map((e) => e.action)).toEqual(['denied', 'delete', 'export', 'import', 'update', 'create']);
    expect(events[0]).toMatchObject({ role: 'viewer', status: 403 });
    expect(events[1]).toMatchObject({ role: 'admin', kind: 'pspo-zones', itemIds: [id] });
    expect(events[3]).toMatchObject({ role: 'planner', kind: 'help-points' });
    expect(events[3]!.itemIds).toHaveLength(2);
    expect(events[4]).toMatchObject({ detail: 'version 1 → 2' });
    // Pages continue where the last ended.
    const next = await s.call('GET', `/api/audit?limit=6&before=${encodeURIComponent(page.json.next)}`, { role: 'admin' });
    expect(next.json.events.length).toBeGreaterThan(0);
    expect(next.json.events[0].at <= events.at(-1)!.at).toBe(true);

    for (const role of ['viewer', 'analyst', 'bid-writer', 'planner'] as const) expect((await s.call('GET', '/api/audit', { role })).status).toBe(403);
    // Append-only: no route changes or removes events, and the store refuses to overwrite one.
    expect((await s.call('DELETE', '/api/audit', { role: 'admin' })).status).toBe(404);
    expect((await s.call('PUT', '/api/audit', { role: 'admin', body: {} })).status).toBe(404);
    const [first] = await s.auditEvents(ORG_A);
    await expect(s.ports.audit.append({ ...first!, action: 'create', detail: 'rewritten' })).rejects.toThrow();
    expect((await s.auditEvents(ORG_A))[0]).toEqual(first);
    recordFigure('Audit log', 'events checked', 'create, update, delete, import, export, sensitive-read, denied, not-found; admin only; overwrite refused');
  });
});

describe('idempotency keys on create routes', () => {
  it('replay the first answer for the same body, and write once', async () => {
    const body = { ...validBody('areas'), name: 'Idempotent area' };
    const first = await s.call('POST', '/api/areas', { role: 'analyst', headers: { 'Idempotency-Key': 'idem-1' }, body });
    const again = await s.call('POST', '/api/areas', { role: 'analyst', headers: { 'Idempotency-Key': 'idem-1' }, body });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('Location')).toBe(first.headers.get('Location'));
    expect((await s.stored(ORG_A, 'areas')).filter((a) => a.name === 'Idempotent area')).toHaveLength(1);
    // Keys belong to one user: another user's same key is a new request.
    const other = await s.call('POST', '/api/areas', { role: 'admin', headers: { 'Idempotency-Key': 'idem-1' }, body });
    expect(other.status).toBe(201);
    expect(other.json.id).not.toBe(first.json.id);
  });

  it('free the key after a refused request, so the corrected body can use it', async () => {
    const bad = await s.call('POST', '/api/cameras/import', { role: 'planner', headers: { 'Idempotency-Key': 'idem-upload' }, body: { items: [validBody('cameras'), { name: 'No location', type: 'fixed' }] } });
    expect(bad.status).toBe(400);
    const good = await s.call('POST', '/api/cameras/import', { role: 'planner', headers: { 'Idempotency-Key': 'idem-upload' }, body: { items: [validBody('cameras'), validBody('cameras')] } });
    expect(good.status).toBe(201);
    const replay = await s.call('POST', '/api/cameras/import', { role: 'planner', headers: { 'Idempotency-Key': 'idem-upload' }, body: { items: [validBody('cameras'), validBody('cameras')] } });
    expect(replay.json).toEqual(good.json);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('let only one of several simultaneous requests with one key run', async () => {
    const body = { ...validBody('areas'), name: 'Raced area' };
    const results = await Promise.all(Array.from({ length: 10 }, () => s.call('POST', '/api/areas', { role: 'analyst', headers: { 'Idempotency-Key': 'idem-race' }, body })));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((st) => st === 201 || st === 409)).toBe(true);
    expect(results.filter((r) => r.status === 409).every((r) => r.headers.get('Retry-After') === '1')).toBe(true);
    expect((await s.stored(ORG_A, 'areas')).filter((a) => a.name === 'Raced area')).toHaveLength(1);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.json.id));
    expect(ids.size).toBe(1);
    recordFigure('Idempotency', 'create routes with Idempotency-Key', `same key + body replayed (1 item written); different body 422; ${statuses.filter((x) => x === 201).length} × 201 + ${statuses.filter((x) => x === 409).length} × 409 for 10 simultaneous → 1 item`);
  });
});
