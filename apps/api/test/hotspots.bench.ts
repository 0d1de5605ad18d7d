import { afterAll, beforeAll, bench, describe } from 'vitest';
import { seedDemo, startTestApp } from './harness';

/**
 * GET /api/hotspots for one district, 100 m cells, 12 months, on the demo data set in the embedded store: latency
 * (median and p95 over the run) and the answer's size, printed after the run. Baseline in the same run: the same
 * request for the whole study area at 250 m (fewer cells), so the ratio shows what the district's grid costs.
 */
let t: Awaited<ReturnType<typeof startTestApp>>;
let token: string;
const DISTRICT = 'DEMOLAD02';
const QUERY = `/api/hotspots?dataset=demo&scope=district:${DISTRICT}&cellSize=100&from=2024-01&to=2024-12`;
const BASELINE = '/api/hotspots?dataset=demo&cellSize=250&from=2024-01&to=2024-12';
const times = new Map<string, number[]>();
const sizes = new Map<string, number>();

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t);
  token = await t.tokenFor('viewer');
}, 120_000);
afterAll(async () => {
  const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  for (const [name, xs] of times) {
    console.log(`${name}: median ${p(xs, 0.5).toFixed(1)} ms, p95 ${p(xs, 0.95).toFixed(1)} ms over ${xs.length} requests; answer ${((sizes.get(name) ?? 0) / 1024).toFixed(0)} KB (target p95 ≤ 100 ms, ≤ 500 KB)`);
  }
  await t?.close();
});

async function timedRequest(name: string, path: string) {
  const start = performance.now();
  const res = await t.app.request(path, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.text();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`status ${res.status}: ${body}`);
  sizes.set(name, Buffer.byteLength(body));
  (times.get(name) ?? times.set(name, []).get(name)!).push(ms);
}

describe('hot spots API, one district, 100 m cells, 12 months (demo data)', () => {
  bench('GET /api/hotspots (district, 100 m)', () => timedRequest('district, 100 m', QUERY), { time: 4000, warmupIterations: 3 });
  bench('baseline: GET /api/hotspots (study area, 250 m)', () => timedRequest('study area, 250 m', BASELINE), { time: 4000, warmupIterations: 3 });
});
