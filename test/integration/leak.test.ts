import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as turf from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type RunningServer } from '@safer-places/api/local-server';
import { DEFAULT_TABLE_NAME } from '@safer-places/store';

/**
 * The local server must not grow with the requests it serves (issue #15: with the store in the API's process, the heap
 * grew ~13 KB per camera-layer read and ~44 KB per area-stats request). The real local server (its demo data, the
 * embedded store in its own process, the API in worker threads) serves a fixed number of camera-layer reads and
 * saved-area statistics, 8 at a time; each API worker's heap after a full garbage collection, and this process's RSS
 * (the server's main thread lives here), are compared before and after. The bounds are generous: a leak of the size
 * measured before would add ~85 MB; nothing here depends on how fast the machine is.
 */
const WARM_UP_ROUNDS = 100;
const ROUNDS = 1500;
const CONCURRENCY = 8;
/** Growth allowed for the workers' heaps together (a leak of 32 KB a round would pass it) and the main process's RSS. */
const MAX_HEAP_GROWTH_BYTES = 48 * 1024 * 1024;
const MAX_RSS_GROWTH_BYTES = 128 * 1024 * 1024;

let dir: string;
let server: RunningServer;
let token: string;
let areaId: string;

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(server.url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : null };
};

let collect: (() => void) | undefined;
function mainRssAfterGc(): number {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  return process.memoryUsage().rss;
}

/** `rounds` rounds of one camera-layer read and one area-stats request, `CONCURRENCY` clients at a time. */
async function load(rounds: number): Promise<void> {
  let next = 0;
  const client = async () => {
    while (next < rounds) {
      next++;
      const layer = await api('GET', '/api/layers/cameras');
      expect(layer.status).toBe(200);
      const stats = await api('GET', `/api/areas/${areaId}/stats`);
      expect(stats.status).toBe(200);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sp-leak-'));
  server = await startLocalServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'data'), tableName: DEFAULT_TABLE_NAME, webDist: join(dir, 'no-web'), log: () => {} });
  const signIn = await fetch(`${server.url}/api/dev/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role: 'analyst' }) });
  token = ((await signIn.json()) as { token: string }).token;
  const camera = ((await api('GET', '/api/cameras')).json!.items as { location: { coordinates: [number, number] } }[])[0]!;
  const geometry = turf.circle(camera.location.coordinates, 0.564, { units: 'kilometers', steps: 64 }).geometry;
  const created = await api('POST', '/api/areas', { name: 'Leak test area', theme: 'asb', geometry });
  expect(created.status).toBe(201);
  areaId = String(created.json!.id);
}, 300_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('memory under load on the local server', () => {
  it(`stays flat over ${ROUNDS} camera-layer reads and ${ROUNDS} area-stats requests`, async () => {
    await load(WARM_UP_ROUNDS);
    const heapsBefore = await server.workerHeaps();
    const rssBefore = mainRssAfterGc();
    const storeBefore = await server.storeMemory();

    await load(ROUNDS);

    const heapsAfter = await server.workerHeaps();
    const rssAfter = mainRssAfterGc();
    const storeAfter = await server.storeMemory();
    // The same workers throughout (none replaced), so before and after compare like with like.
    expect(server.poolStats().replaced).toBe(0);
    expect(heapsAfter).toHaveLength(heapsBefore.length);
    const growth = heapsAfter.map((h, i) => h.usedHeapBytes - heapsBefore[i]!.usedHeapBytes);
    console.log(
      `worker heaps after GC: ${heapsBefore.map((h) => mb(h.usedHeapBytes)).join(', ')} → ${heapsAfter.map((h) => mb(h.usedHeapBytes)).join(', ')}; ` +
        `main RSS ${mb(rssBefore)} → ${mb(rssAfter)}; store process heap after GC ${mb(storeBefore!.heapUsedBytes)} → ${mb(storeAfter!.heapUsedBytes)}, RSS ${mb(storeBefore!.rssBytes)} → ${mb(storeAfter!.rssBytes)} (reported, not bounded: its own process)`,
    );
    expect(growth.reduce((a, b) => a + b, 0)).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
    expect(rssAfter - rssBefore).toBeLessThan(MAX_RSS_GROWTH_BYTES);
  }, 900_000);
});
