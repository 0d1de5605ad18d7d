import { rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { BENCH, generateForBench, importNational, mib, openStore, percentile, startServerProcess, type ServerProcess, type Store } from '../support/national/bench-setup';
import type { ServerMemory } from '../support/national/api-server';
import { chooseDistrict, drawnSquareIn } from '../support/national/places';

/**
 * API memory and latency on the national set: a SYNTHETIC national month (test/support/national; all 33,755 England
 * LSOAs, ~470 k crimes) imported into the embedded store, the local server in a process of its own, then a load test
 * of NATIONAL_BENCH_LOAD_SECONDS (60) with autocannon: drawn-area statistics (POST /api/areas/analyse, a ~0.8 km²
 * box in a district's busiest LSOA) and that district's hot spots (GET /api/hotspots, 100 m cells) side by side.
 * Reports the server's peak resident set (goal ≤ 1 GB; the whole process, API worker threads included), its main
 * thread's heap after a full collection before and after the run (flat heap: no leak; worker threads' heaps show in the
 * resident set only), and p50/p95 latencies (goals: drawn area ≤ 100 ms, hot spots ≤ 100 ms): first warm and one
 * request at a time (NATIONAL_BENCH_SEQUENTIAL of each, default 100, the routes taking turns), the same-run baseline,
 * then under the load test.
 */
if (!sharedDataAvailable && mustHaveSharedData) throw new Error(`shared data missing at ${SHARED_DATA}`);

const DATASET = 'national';
const TABLE = 'national-api-bench';
const CONNECTIONS = 4;
/** Warm requests of each route sent one at a time before the load test. */
const SEQUENTIAL = Number(process.env.NATIONAL_BENCH_SEQUENTIAL ?? 100);

let store: Store;
let server: ServerProcess;
let out = '';
let crimes = 0;
let districtLabel = '';
let token = '';
let analyse: { path: string; body: string };
let hotspots: string;
let before: ServerMemory;
let after: ServerMemory | null = null;
let peak = { rss: 0, heapUsed: 0, vmHwm: 0 };
const latencies = { analyse: [] as number[], hotspots: [] as number[] };
const unloaded = { analyse: NaN, hotspots: NaN };
/** Latencies of the warm requests sent one at a time. */
const sequential = { analyse: [] as number[], hotspots: [] as number[] };
const answers = { analyse: 0, hotspots: 0, errors: 0, non2xx: 0, analyseBytes: 0, hotspotsBytes: 0 };
let importSeconds = 0;

const headers = () => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

beforeAll(async () => {
  if (!sharedDataAvailable) return;
  const result = await generateForBench(SHARED_DATA);
  out = result.out;
  store = await openStore(TABLE);
  const imported = await importNational(store, SHARED_DATA, result, DATASET);
  importSeconds = imported.seconds;
  crimes = imported.report.crimes!.imported;
  const district = chooseDistrict(result, result.months[0]!);
  const square = await drawnSquareIn(result, district);
  districtLabel = `${district.name} (${district.code}, ${district.lsoas.length} LSOAs); drawn area holds ${square.inside} crimes`;
  const [from, to] = [result.months[0]!, result.months.at(-1)!];
  analyse = { path: '/api/areas/analyse', body: JSON.stringify({ geometry: square.geometry, dataset: DATASET, from, to }) };
  hotspots = `/api/hotspots?dataset=${DATASET}&scope=district:${district.code}&cellSize=100&from=${from}&to=${to}`;
  server = await startServerProcess(store.dynamo.endpoint, TABLE);
  const signIn = await fetch(`${server.url}/api/dev/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role: 'analyst' }) });
  if (signIn.status !== 200) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
  token = ((await signIn.json()) as { token: string }).token;
  // First requests (cold caches), then warm ones one at a time, the routes taking turns: the baseline; the heap
  // measured after a collection.
  const ask = async (k: 'analyse' | 'hotspots') => {
    const t = performance.now();
    const res = k === 'analyse' ? await fetch(server.url + analyse.path, { method: 'POST', headers: headers(), body: analyse.body }) : await fetch(server.url + hotspots, { headers: headers() });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${k}: ${res.status} ${text.slice(0, 300)}`);
    answers[`${k}Bytes`] = Buffer.byteLength(text);
    return performance.now() - t;
  };
  for (const k of ['analyse', 'hotspots'] as const) for (let i = 0; i < 3; i++) await ask(k);
  for (let i = 0; i < SEQUENTIAL; i++) for (const k of ['analyse', 'hotspots'] as const) sequential[k].push(await ask(k));
  for (const k of ['analyse', 'hotspots'] as const) unloaded[k] = percentile(sequential[k], 0.5);
  before = await server.memory(true);
}, 900_000);

afterAll(async () => {
  if (!sharedDataAvailable) return;
  const line = (k: 'analyse' | 'hotspots', label: string) =>
    `  ${label}: one at a time (warm, ${sequential[k].length}): p50 ${unloaded[k].toFixed(0)} ms, p95 ${percentile(sequential[k], 0.95).toFixed(0)} ms (goal ≤ 100 ms); ` +
    `under load: ${latencies[k].length} answers, p50 ${percentile(latencies[k], 0.5).toFixed(0)} ms, p95 ${percentile(latencies[k], 0.95).toFixed(0)} ms, p99 ${percentile(latencies[k], 0.99).toFixed(0)} ms ` +
    `(p95 ÷ one-at-a-time p50 ${(percentile(latencies[k], 0.95) / unloaded[k]).toFixed(1)}); answer ${(answers[`${k}Bytes`] / 1024).toFixed(0)} KB`;
  console.log(
    [
      `\nnational API under load (SYNTHETIC, ${crimes.toLocaleString('en-GB')} crimes, 33,755 LSOAs, imported in ${importSeconds.toFixed(0)} s; ${CONNECTIONS} connections per route for ${BENCH.loadSeconds} s; district ${districtLabel}):`,
      line('analyse', 'POST /api/areas/analyse (drawn area)'),
      line('hotspots', 'GET /api/hotspots (district, 100 m)'),
      `  errors ${answers.errors}, non-2xx ${answers.non2xx}`,
      `  server memory: peak RSS ${mib(Math.max(peak.vmHwm, peak.rss))} (goal ≤ 1024 MiB), main-thread peak heap ${mib(peak.heapUsed)}; main-thread heap after GC ${mib(before.heapUsed)} before → ${mib(after?.heapUsed ?? null)} after (${after ? `${after.heapUsed >= before.heapUsed ? '+' : ''}${((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(1)} MiB, ${((after.heapUsed / before.heapUsed - 1) * 100).toFixed(1)} %` : 'not measured'}); RSS after ${mib(after?.rss ?? null)}`,
      `  API workers after GC, heap (outside the heap): ${before.workerHeaps.map((h, i) => `${mib(h)} (${mib(before.workerExternal[i]!)})`).join(', ')} before → ${after ? after.workerHeaps.map((h, i) => `${mib(h)} (${mib(after!.workerExternal[i]!)})`).join(', ') : 'not measured'} after`,
    ].join('\n'),
  );
  await server?.close();
  store?.doc.destroy();
  await store?.dynamo.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

function load(k: 'analyse' | 'hotspots'): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url + (k === 'analyse' ? analyse.path : hotspots),
        method: k === 'analyse' ? 'POST' : 'GET',
        headers: headers(),
        ...(k === 'analyse' && { body: analyse.body }),
        connections: CONNECTIONS,
        duration: BENCH.loadSeconds,
        timeout: 30,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      latencies[k].push(ms);
      if (status < 200 || status > 299) answers.non2xx++;
    });
  });
}

describe.runIf(sharedDataAvailable)('national API: memory and latency under load', () => {
  bench(
    `drawn-area statistics and district hot spots side by side`,
    async () => {
      const sampler = setInterval(() => {
        void server.memory().then((m) => {
          peak = { rss: Math.max(peak.rss, m.rss), heapUsed: Math.max(peak.heapUsed, m.heapUsed), vmHwm: Math.max(peak.vmHwm, m.peakRss ?? 0) };
        });
      }, 500);
      try {
        const results = await Promise.all([load('analyse'), load('hotspots')]);
        answers.errors += results.reduce((s, r) => s + r.errors + r.timeouts, 0);
      } finally {
        clearInterval(sampler);
      }
      const last = await server.memory();
      peak.vmHwm = Math.max(peak.vmHwm, last.peakRss ?? 0);
      after = await server.memory(true);
    },
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
});
