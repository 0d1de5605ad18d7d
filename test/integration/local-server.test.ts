import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalOptions, type RunningServer } from '@safer-places/api/local-server';
import { DEFAULT_TABLE_NAME } from '@safer-places/store';
import { isProcessAlive } from '@safer-places/store/embedded';

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
  mkdirSync(join(webDist, 'assets'), { recursive: true });
  writeFileSync(join(webDist, 'assets', 'index-test.js'), 'console.log("shell");');
  server = await startLocalServer(options);
  token = (await call('POST', '/api/dev/sign-in', { role: 'planner' })).json.token;
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local server', () => {
  it('runs the API in worker threads and the embedded store in a process of its own', () => {
    expect(logs.join('\n')).toMatch(/embedded DynamoDB in its own process, \d+ API workers/);
    expect(server.poolStats().size).toBeGreaterThanOrEqual(2);
    expect(server.storePid).toEqual(expect.any(Number));
    expect(server.storePid).not.toBe(process.pid);
  });

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

    // The store runs in its own process, which closes with the server (no orphan left holding the data folder).
    const storePid = server.storePid!;
    expect(storePid).not.toBe(process.pid);
    expect(isProcessAlive(storePid)).toBe(true);
    await server.close();
    expect(isProcessAlive(storePid)).toBe(false);
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

/** A request with any Host and headers (fetch sets Host itself), straight to the port the server listens on. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string) {
  const { port } = new URL(server.url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((ok, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port: Number(port), method, path, headers: { ...headers, ...(body && { 'content-length': Buffer.byteLength(body) }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('local sign-in safety', () => {
  const port = () => new URL(server.url).port;
  const signInBody = JSON.stringify({ role: 'admin', permissions: ['sensitive-cameras'] });

  it('the server says it listens on loopback', () => {
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
  });

  it('refuses every request addressed to another name (DNS rebinding), sign-in included', async () => {
    for (const host of [`rebind.evil.example:${port()}`, `localhost:${Number(port()) + 1}`, 'localhost']) {
      const page = await raw('GET', '/', { host });
      expect(page.status, host).toBe(421);
      const signIn = await raw('POST', '/api/dev/sign-in', { host, 'content-type': 'application/json', origin: `http://${host}` }, signInBody);
      expect(signIn.status, host).toBe(421);
      expect(JSON.parse(signIn.text)).toMatchObject({ error: 'misdirected_request' });
      expect(signIn.text).not.toMatch(/token/);
    }
    for (const host of [`localhost:${port()}`, `127.0.0.1:${port()}`]) expect((await raw('GET', '/api/health', { host })).status, host).toBe(200);
  });

  it('refuses sign-in and changes from another origin, and lets the page itself sign in', async () => {
    const host = `localhost:${port()}`;
    const foreign = await raw('POST', '/api/dev/sign-in', { host, 'content-type': 'application/json', origin: 'https://evil.example' }, signInBody);
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text)).toMatchObject({ error: 'cross_origin_refused' });
    const write = await raw('POST', '/api/cameras', { host, 'content-type': 'application/json', origin: 'https://evil.example', authorization: `Bearer ${token}` }, '{}');
    expect(write.status).toBe(403);
    const own = await raw('POST', '/api/dev/sign-in', { host, 'content-type': 'application/json', origin: `http://localhost:${port()}`, 'sec-fetch-site': 'same-origin' }, signInBody);
    expect(own.status).toBe(200);
    expect(JSON.parse(own.text).token).toEqual(expect.any(String));
  });

  it('serves the web app with security headers, and its files still load', async () => {
    for (const path of ['/', '/assets/index-test.js', '/some/deep/link']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/default-src 'self'/);
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).toMatch(/worker-src 'self' blob:/);
      expect(csp, path).toMatch(/img-src 'self' data: blob:/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect((await call('GET', '/assets/index-test.js')).text).toContain('console.log');
    expect((await call('GET', '/assets/index-test.js')).headers.get('content-type')).toMatch(/javascript/);
  });
});

describe('local user administration', () => {
  let admin: string;
  const as = (bearer: string) => ({ Authorization: `Bearer ${bearer}` });
  const signIn = (body: unknown) => call('POST', '/api/dev/sign-in', body, { Authorization: '' });

  beforeAll(async () => {
    admin = (await signIn({ role: 'admin', name: 'Local admin' })).json.token;
  });

  it('an administrator invites a user, who then signs in by name with the role the administrator gave', async () => {
    const invited = await call('POST', '/api/users', { email: 'robin@example.gov.uk', name: 'Robin Hood', role: 'analyst' }, as(admin));
    expect(invited.status).toBe(201);
    // The sign-in form asked for viewer; the directory says analyst.
    const robin = await signIn({ role: 'viewer', name: 'robin hood' });
    expect(robin.status).toBe(200);
    const me = await call('GET', '/api/me', undefined, as(robin.json.token));
    expect(me.json).toMatchObject({ userId: invited.json.id, role: 'analyst', name: 'Robin Hood' });
    const list = await call('GET', '/api/users', undefined, as(admin));
    expect(list.json.users.map((u: { email: string }) => u.email)).toContain('robin@example.gov.uk');
  });

  it('a disabled user cannot sign in; enabled again, they can', async () => {
    const id = (await call('GET', '/api/users', undefined, as(admin))).json.users.find((u: { name: string }) => u.name === 'Robin Hood').id;
    expect((await call('PATCH', `/api/users/${id}`, { enabled: false }, as(admin))).status).toBe(200);
    const refused = await signIn({ role: 'admin', name: 'Robin Hood' });
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toMatch(/Robin Hood is disabled/);
    expect((await call('PATCH', `/api/users/${id}`, { enabled: true }, as(admin))).status).toBe(200);
    expect((await signIn({ role: 'admin', name: 'Robin Hood' })).status).toBe(200);
    const audit = await call('GET', '/api/audit', undefined, as(admin));
    expect(audit.json.events.filter((e: { kind?: string }) => e.kind === 'users').map((e: { detail: string }) => e.detail)).toEqual(
      expect.arrayContaining(['Robin Hood <robin@example.gov.uk>: disabled', 'Robin Hood <robin@example.gov.uk>: enabled']),
    );
  });

  it('other names still sign in into the demo organisation as before', async () => {
    const res = await signIn({ role: 'planner', name: 'Someone New' });
    expect(res.status).toBe(200);
    expect((await call('GET', '/api/me', undefined, as(res.json.token))).json).toMatchObject({ orgId: 'demo-csp', role: 'planner', name: 'Someone New' });
  });
});
