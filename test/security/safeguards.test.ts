import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from './figures';
import { ORG_A, SQUARE, startSecurityApp, validBody, type SecurityApp } from './support/security-app';

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

  it('are never exported, even by a user with the permission', async () => {
    const areaRes = await s.call('POST', '/api/areas', { role: 'analyst', permissions: [...COVERT], body: { name: 'Square', theme: 'asb', geometry: SQUARE } });
    const live = await s.call('GET', `/api/areas/${areaRes.json.id}/stats`, { role: 'analyst', permissions: [...COVERT] });
    expect(live.json.cctv.camerasInside.map((c: { id: string }) => c.id).sort()).toEqual([covertId, openId].sort());
    const csv = await s.call('GET', `/api/areas/${areaRes.json.id}/export.csv`, { role: 'analyst', permissions: [...COVERT] });
    expect(csv.status).toBe(200);
    expect(csv.text).not.toContain('Covert camera');
    expect(csv.text).not.toContain(covertId);

    // The bid pack counts cameras inside its target: the covert one is not counted.
    const lsoas = await s.call('GET', '/api/layers/lsoas', { role: 'bid-writer' });
    const inSquare = lsoas.json.features.filter((f: { properties: { code: string } }) => f.properties.code).slice(0, 1).map((f: { properties: { code: string } }) => f.properties.code);
    const bid = await s.call('POST', '/api/bids', { role: 'bid-writer', permissions: [...COVERT], body: { ...validBody('bids'), selection: inSquare } });
    expect(bid.status, bid.text).toBe(201);
    const pack = await s.app.request(`/api/bids/${bid.json.id}/pack`, { headers: { Authorization: `Bearer ${await s.token('bid-writer', ORG_A, [...COVERT])}` } });
    expect(pack.status).toBe(200);
    const files = unzipSync(new Uint8Array(await pack.arrayBuffer()));
    const all = Object.values(files).map((f) => strFromU8(f)).join('\n');
    expect(all).not.toContain('Covert camera');
    expect(all).not.toContain(covertId);
    recordFigure('Covert cameras', 'hidden without the permission', 'lists, layers, items, area figures for all 5 roles; changes 404');
    recordFigure('Covert cameras', 'with the permission', 'shown with Cache-Control: private, no-store; 3/3 reads audited; 0 in CSV, GeoJSON or bid pack exports');
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
