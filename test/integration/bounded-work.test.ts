import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as turf from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type RunningServer } from '@safer-places/api/local-server';
import { importFiles } from '@safer-places/importer';
import { DEFAULT_TABLE_NAME, DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamoProcess } from '@safer-places/store/embedded';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from './shared-data';

/**
 * Issue #15's bounded-work cases against the real local server (port 0, embedded store in its own process, API in
 * worker threads) holding the real Nottinghamshire data: a UK-sized 5-vertex polygon, a 5,000-vertex county-sized
 * polygon, a hot spot grid of over 4 M cells, and 1,000 parallel 1 km² area requests. Each must be answered with a
 * 4xx naming the limit (413 for a costly request, 429 when the queue of waiting requests is full), a correct result, or
 * (the server's own guard) 503 naming the time budget;
 * and throughout every case `/api/health` is polled and must answer 200 every time. Nothing asserts how fast:
 * timeouts only guard against hangs.
 */

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

const DATASET = 'notts';
/** A hang guard for one health request, far above any answer's time. */
const HEALTH_HANG_GUARD_MS = 60_000;

/** The United Kingdom's whole box (inside the schema's UK bounds) in one 5-vertex ring (~800,000 km²). */
const ukPolygon: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[-8.7, 49.9], [1.8, 49.9], [1.8, 60.9], [-8.7, 60.9], [-8.7, 49.9]]] };
/** A 25 km circle over the middle of the county with 5,000 vertices, the closing one included (~1,960 km²). */
const countyPolygon = turf.circle([-1.05, 53.1], 25, { units: 'kilometers', steps: 4999 }).geometry;
/** ~1 km² (564 m radius) on Old Market Square. */
const cityCentre = turf.circle([-1.1494, 52.9533], 0.564, { units: 'kilometers', steps: 64 }).geometry;
/** A map view of ~128 × 122 km: at the smallest cell size (50 m) over 6 M cells. */
const wideView = 'view:-2.2,52.6,-0.3,53.7';

describe.runIf(sharedDataAvailable)('bounded work per request on the real local server', () => {
  let dir: string;
  let server: RunningServer;
  let base: string;
  let token: string;
  const healthStatuses: number[] = [];
  const results = new Map<string, { status: number; body: Record<string, unknown> }>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sp-bounded-'));
    const dataDir = join(dir, 'data');
    // The county imported into the data folder's store (in its process), then the server started on that folder.
    const store = await startEmbeddedDynamoProcess({ dir: join(dataDir, 'dynamodb') });
    const doc = createDocumentClient({ endpoint: store.endpoint });
    try {
      await ensureTable(doc, DEFAULT_TABLE_NAME);
      await importFiles(
        [
          join(SHARED_DATA, 'lsoa21-boundaries'),
          join(SHARED_DATA, 'iod2025-nottinghamshire.csv'),
          join(SHARED_DATA, 'population/lsoa21-census2021-usual-residents-nottinghamshire.csv'),
          join(SHARED_DATA, 'lookups'),
          join(SHARED_DATA, 'police-uk'),
        ],
        { reference: new DynamoReferenceRepository(doc, DEFAULT_TABLE_NAME), datasetId: DATASET, datasetName: 'Nottinghamshire (real)' },
      );
    } finally {
      doc.destroy();
      await store.close();
    }
    server = await startLocalServer({ port: 0, host: '127.0.0.1', dataDir, tableName: DEFAULT_TABLE_NAME, webDist: join(dir, 'no-web'), log: () => {} });
    base = server.url.replace('//localhost:', '//127.0.0.1:');
    const signIn = await fetch(`${base}/api/dev/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role: 'viewer' }) });
    expect(signIn.status).toBe(200);
    token = ((await signIn.json()) as { token: string }).token;
  }, 900_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (text.startsWith('{') ? JSON.parse(text) : { text }) as Record<string, unknown> };
  };

  /** Runs `work` while polling /api/health one request after another until it settles (at least once). */
  async function withHealthPolled<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.finally(() => (settled = true));
    const poll = (async () => {
      do {
        const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(HEALTH_HANG_GUARD_MS) });
        healthStatuses.push(res.status);
        await res.text();
        await new Promise((ok) => setTimeout(ok, 100));
      } while (!settled);
    })();
    const [out] = await Promise.all([done, poll]);
    return out;
  }

  /** A 4xx naming a limit, or the server's guard: the time budget or the queue limit. */
  function isBounded(r: { status: number; body: Record<string, unknown> }): boolean {
    if (r.status === 413 && r.body.error === 'limit_exceeded') return true;
    if (r.status === 400 && typeof r.body.detail === 'string') return true;
    if (r.status === 429 && r.body.error === 'queue_full') return true;
    return r.status === 503 && r.body.error === 'time_budget_exceeded';
  }

  it('a UK-sized 5-vertex polygon: health answers throughout, and the analysis is answered', async () => {
    const before = healthStatuses.length;
    const r = await withHealthPolled(api('POST', '/api/areas/analyse', { geometry: ukPolygon, dataset: DATASET }));
    results.set('uk', r);
    expect(healthStatuses.length).toBeGreaterThan(before);
    expect(healthStatuses.every((s) => s === 200)).toBe(true);
    expect(r.status === 200 || isBounded(r), JSON.stringify(r).slice(0, 500)).toBe(true);
  }, 300_000);

  it('the UK-sized polygon is refused up front: 413 limit_exceeded naming the area limit', () => {
    // Goes green once the domain's area limit (MAX_ANALYSIS_AREA_KM2) is checked before the work.
    const r = results.get('uk')!;
    expect({ status: r.status, error: r.body.error }, String(r.body.detail)).toEqual({ status: 413, error: 'limit_exceeded' });
  });

  it('a 5,000-vertex county-sized polygon: a correct result or a named limit, health answering throughout', async () => {
    const before = healthStatuses.length;
    const r = await withHealthPolled(api('POST', '/api/areas/analyse', { geometry: countyPolygon, dataset: DATASET }));
    console.log(`county polygon: ${r.status} ${r.status === 200 ? `${String(r.body.total)} crimes` : JSON.stringify(r.body)}`);
    expect(healthStatuses.length).toBeGreaterThan(before);
    expect(healthStatuses.every((s) => s === 200)).toBe(true);
    if (r.status === 200) {
      const stats = r.body as { areaKm2: number; total: number; byCategory: { count: number }[] };
      // ~1,960 km² (BNG planar vs geodesic differ by well under 1%), thousands of crimes, the categories adding up.
      expect(stats.areaKm2).toBeGreaterThan(1900);
      expect(stats.areaKm2).toBeLessThan(2020);
      expect(stats.total).toBeGreaterThan(10_000);
      expect(stats.byCategory.reduce((s, c) => s + c.count, 0)).toBe(stats.total);
    } else expect(isBounded(r), JSON.stringify(r).slice(0, 500)).toBe(true);
  }, 300_000);

  it('a hot spot grid of over 4 M cells: a named limit or a result, health answering throughout', async () => {
    const before = healthStatuses.length;
    const r = await withHealthPolled(api('GET', `/api/hotspots?dataset=${DATASET}&scope=${encodeURIComponent(wideView)}&cellSize=50&from=2024-01&to=2024-12`));
    expect(healthStatuses.length).toBeGreaterThan(before);
    expect(healthStatuses.every((s) => s === 200)).toBe(true);
    console.log(`hot spots over 4 M cells: ${r.status} ${r.status === 200 ? 'computed' : JSON.stringify(r.body)}`);
    if (r.status === 200) expect(r.body).toHaveProperty('grid');
    else expect(isBounded(r), JSON.stringify(r).slice(0, 500)).toBe(true);
  }, 300_000);

  it('1,000 parallel 1 km² area requests: each the same correct result or a named limit (queue, budget), health answering throughout', async () => {
    const reference = await api('POST', '/api/areas/analyse', { geometry: cityCentre, dataset: DATASET });
    expect(reference.status).toBe(200);
    const expected = reference.body as { total: number; areaKm2: number };
    expect(expected.total).toBeGreaterThan(0);
    const before = healthStatuses.length;
    const answers = await withHealthPolled(Promise.all(Array.from({ length: 1000 }, () => api('POST', '/api/areas/analyse', { geometry: cityCentre, dataset: DATASET }))));
    expect(healthStatuses.length).toBeGreaterThan(before);
    expect(healthStatuses.every((s) => s === 200)).toBe(true);
    let served = 0;
    for (const r of answers) {
      if (r.status === 200) {
        served++;
        expect({ total: r.body.total, areaKm2: r.body.areaKm2 }).toEqual({ total: expected.total, areaKm2: expected.areaKm2 });
      } else {
        expect(isBounded(r), JSON.stringify(r).slice(0, 500)).toBe(true);
        if (r.status === 503 || r.status === 429) expect(r.retryAfter).toMatch(/^\d+$/);
      }
    }
    console.log(`1,000 parallel: ${served} served, ${answers.length - served} bounded (${[...new Set(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${String(a.body.error)}`))].join(', ')})`);
    expect(served).toBeGreaterThan(0);
    // The server is still whole: every worker back and idle, nothing left waiting.
    expect(server.poolStats()).toMatchObject({ busy: 0, queued: 0 });
  }, 600_000);
});
