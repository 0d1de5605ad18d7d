import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool, startModuleWorker, type WorkerPoolOptions } from '../src/runtime/worker-pool';

/**
 * The local server's worker pool with real worker threads. Each worker runs the real `serveInWorker` with a small
 * handler (below, as an ES module in a data: URL that imports worker-pool.ts through tsx, as the API workers do):
 * echo, a gzip body, 204, a request held until the test opens a gate (a BroadcastChannel), a tight loop that never
 * ends, a thrown error outside the request, and an exit. Waits are for events (pool counters, gate messages); the
 * only clock is the time budget, and nothing asserts how fast anything is.
 */
const POOL_MODULE = new URL('../src/runtime/worker-pool.ts', import.meta.url).href;
const HANDLER = `
import { threadId } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { serveInWorker } from ${JSON.stringify(POOL_MODULE)};
const gate = new BroadcastChannel('worker-pool-test-gate');
const waiting = [];
gate.onmessage = () => { for (const open of waiting.splice(0)) open(); };
serveInWorker(async (req) => {
  const url = new URL(req.url);
  switch (url.pathname) {
    case '/echo':
      return new Response(await req.arrayBuffer(), {
        status: 201,
        statusText: 'Made',
        headers: { 'Content-Type': 'application/octet-stream', ETag: '"v1"', 'X-Method': req.method, 'X-Seen': req.headers.get('x-test') ?? '', 'Set-Cookie': 'a=1' },
      });
    case '/gzip':
      return new Response(gzipSync(Buffer.from('{"hello":"world"}')), { headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } });
    case '/empty':
      return new Response(null, { status: 204, headers: { ETag: '"e"' } });
    case '/thread':
      return Response.json({ threadId });
    case '/gate':
      await new Promise((open) => waiting.push(open));
      return Response.json({ threadId, opened: true });
    case '/spin':
      for (;;) {}
    case '/throw':
      setImmediate(() => { throw new Error('boom outside the request'); });
      return new Promise(() => {});
    case '/exit':
      process.exit(3);
  }
  return new Response('no such test path', { status: 404 });
});
`;
const HANDLER_URL = new URL(`data:text/javascript,${encodeURIComponent(HANDLER)}`);

let pool: WorkerPool | undefined;
const logs: string[] = [];
const gate = new BroadcastChannel('worker-pool-test-gate');

afterEach(async () => {
  gate.postMessage('open');
  await pool?.close();
  pool = undefined;
  logs.length = 0;
});

async function startPool(options: Partial<WorkerPoolOptions> = {}): Promise<WorkerPool> {
  pool = await WorkerPool.start({
    size: 2,
    queueLimit: 8,
    budgetMs: 10_000,
    maxBodyBytes: 1024 * 1024,
    spawn: () => startModuleWorker(HANDLER_URL, null, { typescript: true }),
    log: (line) => logs.push(line),
    ...options,
  });
  return pool;
}

const get = (p: WorkerPool, path: string) => p.handle(new Request(`http://localhost:3000${path}`));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !check(); i++) await new Promise((ok) => setTimeout(ok, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('worker pool', () => {
  it('answers through a worker with the status, headers and body bytes the handler gave', async () => {
    const p = await startPool();
    const body = randomBytes(200_000);
    const res = await p.handle(new Request('http://localhost:3000/echo', { method: 'PUT', body, headers: { 'X-Test': 'seen', 'Content-Type': 'application/octet-stream' } }));
    expect(res.status).toBe(201);
    expect(res.statusText).toBe('Made');
    expect(res.headers.get('etag')).toBe('"v1"');
    expect(res.headers.get('x-method')).toBe('PUT');
    expect(res.headers.get('x-seen')).toBe('seen');
    expect(res.headers.getSetCookie()).toEqual(['a=1']);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it('passes a compressed body through untouched, with its Content-Encoding', async () => {
    const p = await startPool();
    const res = await get(p, '/gzip');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString())).toEqual({ hello: 'world' });
  });

  it('answers 204 without a body', async () => {
    const res = await get(await startPool(), '/empty');
    expect(res.status).toBe(204);
    expect(res.headers.get('etag')).toBe('"e"');
    expect(res.body).toBeNull();
  });

  it('refuses a body over the limit before it reaches a worker', async () => {
    const p = await startPool({ maxBodyBytes: 1000 });
    const res = await p.handle(new Request('http://localhost:3000/echo', { method: 'POST', body: randomBytes(1001) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    expect((await p.handle(new Request('http://localhost:3000/echo', { method: 'POST', body: randomBytes(1000) }))).status).toBe(201);
  });

  it('serves requests side by side on different workers: a held one does not block the next', async () => {
    const p = await startPool({ size: 2 });
    const held = get(p, '/gate');
    await until(() => p.stats.busy === 1, 'the held request to start');
    const other = await get(p, '/thread');
    expect(other.status).toBe(200);
    gate.postMessage('open');
    const first = (await (await held).json()) as { threadId: number; opened: boolean };
    expect(first.opened).toBe(true);
    expect(first.threadId).not.toBe(((await other.json()) as { threadId: number }).threadId);
  });

  it('queues when every worker is busy, serves the queue in turn, and refuses with 429 naming the limit when it is full', async () => {
    const p = await startPool({ size: 1, queueLimit: 2 });
    const held = get(p, '/gate');
    await until(() => p.stats.busy === 1, 'the held request to start');
    const queued = [get(p, '/thread'), get(p, '/thread')];
    await until(() => p.stats.queued === 2, 'two queued requests');
    const refused = await get(p, '/thread');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await refused.json()) as { error: string; detail: string };
    expect(body.error).toBe('queue_full');
    expect(body.detail).toMatch(/queue limit \(API_QUEUE_LIMIT = 2\)/);
    gate.postMessage('open');
    expect((await held).status).toBe(200);
    for (const res of await Promise.all(queued)) expect(res.status).toBe(200);
    expect(p.stats).toMatchObject({ busy: 0, queued: 0 });
  });

  it('stops a request over its time budget with 503 naming the budget, replaces that worker, and serves the next request', async () => {
    const p = await startPool({ size: 1, budgetMs: 2000 });
    const before = ((await (await get(p, '/thread')).json()) as { threadId: number }).threadId;
    const res = await get(p, '/spin');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: string; detail: string };
    expect(body.error).toBe('time_budget_exceeded');
    expect(body.detail).toMatch(/time budget of 2 s \(REQUEST_TIME_BUDGET_MS = 2000 ms\)/);
    expect(p.stats.replaced).toBe(1);
    expect(logs.join('\n')).toMatch(/ran over the 2 s budget on GET \/spin: replaced by a fresh one/);
    const next = await get(p, '/thread');
    expect(next.status).toBe(200);
    expect(((await next.json()) as { threadId: number }).threadId).not.toBe(before);
  });

  it('answers 503 to a request that waited its whole budget for a worker, without starting it', async () => {
    const p = await startPool({ size: 1, budgetMs: 1500 });
    const held = get(p, '/gate');
    await until(() => p.stats.busy === 1, 'the held request to start');
    const waited = await get(p, '/thread');
    expect(waited.status).toBe(503);
    expect(await waited.json()).toMatchObject({ error: 'time_budget_exceeded', detail: expect.stringMatching(/waited 1500 ms for a free API worker/) });
    // The held one itself ran over the budget meanwhile.
    expect((await held).status).toBe(503);
  });

  it('replaces a worker that crashes or exits, answering its request 500, and serves the next one', async () => {
    const p = await startPool({ size: 1 });
    for (const path of ['/throw', '/exit']) {
      const res = await get(p, path);
      expect(res.status, path).toBe(500);
      expect(await res.json(), path).toMatchObject({ error: 'worker_failed' });
      expect((await get(p, '/thread')).status, path).toBe(200);
    }
    expect(p.stats.replaced).toBe(2);
  });

  it("reports each worker's heap after a full collection", async () => {
    const p = await startPool({ size: 2 });
    const heaps = await p.heaps();
    expect(heaps).toHaveLength(2);
    for (const h of heaps) expect(h.usedHeapBytes).toBeGreaterThan(0);
  });

  it('fails to start, stopping what it started, when a worker cannot start', async () => {
    const broken = new URL(`data:text/javascript,${encodeURIComponent('throw new Error("cannot start");')}`);
    await expect(WorkerPool.start({ size: 2, queueLimit: 1, budgetMs: 1000, maxBodyBytes: 10, spawn: () => startModuleWorker(broken, null) })).rejects.toThrow(/cannot start/);
  });
});
