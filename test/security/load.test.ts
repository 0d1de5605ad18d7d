import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import * as turf from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type RunningServer } from '@safer-places/api/local-server';
import { importFiles } from '@safer-places/importer';
import { DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { recordFigure } from './figures';

/**
 * The real local HTTP server on loopback, over the embedded DynamoDB holding the real Nottinghamshire data (684
 * LSOAs, 24 months, ~258 k crimes), under autocannon: the main read routes and an area analysis over Nottingham city
 * centre. Every answer must be a 2xx; per route we record requests, throughput and p50/p95/p99 latency. The request
 * count per route is sized from a timed warm-up so that each route runs a few seconds (≤ ~10 s even if concurrency gained nothing; the whole run ≤ 60 s).
 */

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

const DATASET = 'notts';
const TABLE = 'load';
const CONNECTIONS = 4;
/** Wall time aimed for per route, and bounds on its request count. */
const ROUTE_SECONDS = 8;
const MIN_REQUESTS = 20;
const MAX_REQUESTS = 3000;

/** A ~1 km² circle (564 m radius) on Old Market Square, as the area-statistics benchmark draws. */
const cityCentre = turf.circle([-1.1494, 52.9533], 0.564, { units: 'kilometers', steps: 64 }).geometry;

interface Route {
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

const ROUTES: Route[] = [
  { label: 'GET /api/layers/lsoas', method: 'GET', path: `/api/layers/lsoas?dataset=${DATASET}` },
  { label: 'GET /api/lsoas/stats', method: 'GET', path: `/api/lsoas/stats?dataset=${DATASET}&category=all-crime&from=2024-01&to=2024-12` },
  { label: 'GET /api/hotspots', method: 'GET', path: `/api/hotspots?dataset=${DATASET}&cellSize=200&from=2024-01&to=2024-12` },
  { label: 'GET /api/layers/cameras', method: 'GET', path: '/api/layers/cameras' },
  { label: 'POST /api/areas/analyse', method: 'POST', path: '/api/areas/analyse', body: { geometry: cityCentre, dataset: DATASET } },
];

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

describe.runIf(sharedDataAvailable)('load on the local server with the real Nottinghamshire data', () => {
  let dynamo: EmbeddedDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  let server: RunningServer;
  let dir: string;
  let base: string;
  let token: string;
  let importSeconds = 0;
  let crimes = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sp-load-'));
    dynamo = await startEmbeddedDynamo();
    doc = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(doc, TABLE);
    const t0 = performance.now();
    const report = await importFiles(
      [
        join(SHARED_DATA, 'lsoa21-boundaries'),
        join(SHARED_DATA, 'iod2025-nottinghamshire.csv'),
        join(SHARED_DATA, 'population/lsoa21-census2021-usual-residents-nottinghamshire.csv'),
        join(SHARED_DATA, 'lookups'),
        join(SHARED_DATA, 'police-uk'),
      ],
      { reference: new DynamoReferenceRepository(doc, TABLE), datasetId: DATASET, datasetName: 'Nottinghamshire (real)' },
    );
    importSeconds = (performance.now() - t0) / 1000;
    crimes = report.crimes!.imported;
    server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: join(dir, 'data'),
      dynamoEndpoint: dynamo.endpoint,
      tableName: TABLE,
      webDist: join(dir, 'no-web'),
      log: () => {},
    });
    // The server names itself "localhost"; it listens on 127.0.0.1 only, so connect there.
    base = server.url.replace('//localhost:', '//127.0.0.1:');
    const signIn = await fetch(`${base}/api/dev/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role: 'analyst' }) });
    expect(signIn.status).toBe(200);
    token = ((await signIn.json()) as { token: string }).token;
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    doc?.destroy();
    await dynamo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const headers = (route: Route) => ({ Authorization: `Bearer ${token}`, ...(route.body !== undefined && { 'Content-Type': 'application/json' }) });

  it('the real data is there: 684 LSOAs and ~258 k crimes', async () => {
    expect(crimes).toBeGreaterThan(250_000);
    const res = await fetch(`${base}/api/datasets`, { headers: { Authorization: `Bearer ${token}` } });
    const { datasets } = (await res.json()) as { datasets: { id: string; lsoaCount: number }[] };
    expect(datasets.find((d) => d.id === DATASET)?.lsoaCount).toBe(684);
    recordFigure('Load', 'real data imported before the run', `${crimes.toLocaleString('en-GB')} crimes, 684 LSOAs in ${importSeconds.toFixed(1)} s`);
  });

  for (const route of ROUTES) {
    it(`${route.label}: every answer 2xx under ${CONNECTIONS} connections`, async () => {
      // Warm-up: caches filled, the answer checked, and one request timed to size the run.
      let warm = 0;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const res = await fetch(base + route.path, { method: route.method, headers: headers(route), ...(route.body !== undefined && { body: JSON.stringify(route.body) }) });
        const text = await res.text();
        expect(res.status, `${route.label}: ${text.slice(0, 300)}`).toBe(200);
        warm = performance.now() - t;
      }
      const amount = Math.max(MIN_REQUESTS, Math.min(MAX_REQUESTS, Math.floor(((ROUTE_SECONDS * 1000) / Math.max(warm, 0.5)) * 1.2)));

      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: base + route.path,
            method: route.method,
            headers: headers(route),
            ...(route.body !== undefined && { body: JSON.stringify(route.body) }),
            connections: CONNECTIONS,
            amount,
            timeout: 30,
          },
          (err, res) => (err ? reject(err) : resolve(res)),
        );
        instance.on('response', (_client, statusCode, _bytes, responseTime) => {
          latencies.push(responseTime);
          statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
        });
      });

      expect(result.errors, `${route.label}: connection errors`).toBe(0);
      expect(result.timeouts, `${route.label}: timeouts`).toBe(0);
      expect(result.non2xx, `${route.label}: non-2xx ${JSON.stringify([...statuses])}`).toBe(0);
      expect(result['2xx']).toBe(amount);
      expect(latencies).toHaveLength(amount);

      const sorted = [...latencies].sort((a, b) => a - b);
      const seconds = result.duration;
      const throughput = amount / seconds;
      recordFigure(
        'Load',
        route.label,
        `${amount} requests in ${seconds.toFixed(1)} s, ${throughput.toFixed(1)} req/s; p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms; 0 errors, 0 non-2xx`,
      );
    }, 90_000);
  }
});
