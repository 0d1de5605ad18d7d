import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalOptions, type RunningServer } from '@safer-places/api/local-server';
import { DEFAULT_TABLE_NAME } from '@safer-places/store';

/**
 * The local start-up path end to end: embedded DynamoDB on disk, demo seeding, sign-in, edits, and a restart that
 * must keep every saved edit (and not bring deleted demo items back).
 */
const dir = mkdtempSync(join(tmpdir(), 'sp-local-'));
const webDist = join(dir, 'web');
const logs: string[] = [];
const options: LocalOptions = {
  port: 0,
  host: '127.0.0.1',
  dataDir: join(dir, 'data'),
  tableName: DEFAULT_TABLE_NAME,
  webDist,
  log: (line) => logs.push(line),
};

let server: RunningServer;
let token: string;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(token && { Authorization: `Bearer ${token}` }), ...(body !== undefined && { 'Content-Type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text.startsWith('{') ? JSON.parse(text) : null };
}

beforeAll(async () => {
  mkdirSync(webDist, { recursive: true });
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Safer Places test shell</title>');
  server = await startLocalServer(options);
  token = (await call('POST', '/api/dev/sign-in', { role: 'planner' })).json.token;
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local server', () => {
  it('seeds the synthetic demo set on first start and labels it synthetic', async () => {
    expect(logs.join('\n')).toMatch(/synthetic demo data/i);
    const { json } = await call('GET', '/api/datasets');
    expect(json.datasets).toHaveLength(1);
    expect(json.datasets[0]).toMatchObject({ id: 'demo', synthetic: true });
    expect(json.datasets[0].lsoaCount).toBeGreaterThanOrEqual(250);
  });

  it('serves all five layers with features', async () => {
    for (const layer of ['lsoas', 'cameras', 'help-points', 'pspo-zones', 'safer-streets-areas']) {
      const { status, json } = await call('GET', `/api/layers/${layer}`);
      expect(status, layer).toBe(200);
      expect(json.features.length, layer).toBeGreaterThan(0);
    }
    const stats = await call('GET', '/api/lsoas/stats?category=all-crime');
    expect(stats.json.dataset.synthetic).toBe(true);
    expect(stats.json.total).toBeGreaterThan(10_000);
  });

  it('serves the web app, with deep links falling back to index.html', async () => {
    expect((await call('GET', '/')).text).toMatch(/Safer Places test shell/);
    expect((await call('GET', '/some/deep/link')).text).toMatch(/Safer Places test shell/);
    const unknownApi = await call('GET', '/api/nope');
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.json).toEqual({ error: 'not_found', detail: 'no route GET /api/nope' });
  });

  it('keeps saved edits and deletions across a restart, without re-seeding', async () => {
    const created = await call('POST', '/api/cameras', { name: 'Saved before restart', type: 'ptz', location: { type: 'Point', coordinates: [-1.2, 53.05] } });
    expect(created.status).toBe(201);
    const cameras = (await call('GET', '/api/cameras')).json.items as any[];
    const demoCamera = cameras.find((c) => c.id !== created.json.id)!;
    const { id: _id, orgId: _o, version, createdAt: _c, createdBy: _cb, updatedAt: _u, updatedBy: _ub, ...input } = demoCamera;
    expect((await call('PUT', `/api/cameras/${demoCamera.id}`, { ...input, name: 'Edited demo camera' }, { 'If-Match': `"${version}"` })).status).toBe(200);
    const helpPoint = (await call('GET', '/api/help-points')).json.items[0];
    expect((await call('DELETE', `/api/help-points/${helpPoint.id}`, undefined, { 'If-Match': `"${helpPoint.version}"` })).status).toBe(204);

    await server.close();
    logs.length = 0;
    server = await startLocalServer(options);
    token = (await call('POST', '/api/dev/sign-in', { role: 'planner' })).json.token;

    expect(logs.join('\n')).not.toMatch(/synthetic demo data/i);
    const after = (await call('GET', '/api/cameras')).json.items as any[];
    expect(after).toHaveLength(cameras.length);
    expect(after.find((c) => c.id === created.json.id)?.name).toBe('Saved before restart');
    expect(after.find((c) => c.id === demoCamera.id)).toMatchObject({ name: 'Edited demo camera', version: version + 1 });
    expect((await call('GET', `/api/help-points/${helpPoint.id}`)).status).toBe(404);
  });
});
