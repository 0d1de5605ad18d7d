import { spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { LAMBDA_NODE_OPTIONS, buildLambdaBundle } from '../../infra/lib/bundling';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { generateForBench, importNational, openStore, type Store } from '../support/national/bench-setup';
import { chooseDistrict, drawnSquareIn } from '../support/national/places';

/**
 * The API Lambda's first data request on the national set: the bundle exactly as the stack builds it (same esbuild
 * settings, NODE_OPTIONS as deployed), each run in a FRESH Node process, as a new Lambda instance starts, against the
 * embedded DynamoDB holding a SYNTHETIC national month (all 33,755 England LSOAs, ~470 k crimes). Measured inside that
 * process: module init (loading index.js), the first request (a cold instance: LSOAs, partition sizes, crimes read from
 * the store) and a second one (warm), and the process's peak resident set. Requests: a district's hot spots (100 m
 * cells) and a ~0.8 km² drawn area in it, with `/api/health` on a fresh instance as the same-run baseline (init and a
 * request that reads nothing). Goal from the issue: first data request ≤ 1.5 s (reported, not asserted). The store is
 * the embedded one in this process, over HTTP on this machine: slower per read than DynamoDB on AWS, so the first
 * request's time here is an upper estimate of what the store costs on AWS, and Lambda's arm64 CPU differs.
 */
if (!sharedDataAvailable && mustHaveSharedData) throw new Error(`shared data missing at ${SHARED_DATA}`);

const TABLE = 'national-lambda-bench';
const DATASET = 'national';
const RUNS = Number(process.env.NATIONAL_LAMBDA_RUNS ?? 5);
/** A folder: one more run of each request, from a bundle built without minifying, with a CPU profile written there. */
const PROFILE_DIR = process.env.NATIONAL_LAMBDA_PROFILE;
const ISSUER = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_NationalBench';
const CLIENT_ID = 'national-bench';

interface Sample {
  initMs: number;
  firstMs: number;
  /** The function's own CPU time (user + system) in the first request: what does not depend on the store's speed. */
  firstCpuMs: number;
  /** Store requests of the whole run (both requests) and the bytes they answered, counted by the proxy. */
  storeRequests: number;
  storeBytes: number;
  secondMs: number;
  status: number;
  secondStatus: number;
  bytes: number;
  peakRssMb: number | null;
}

let store: Store;
let work = '';
let out = '';
let bundle = '';
let env: NodeJS.ProcessEnv = {};
let label = '';
const events: Record<'health' | 'hotspots' | 'analyse', unknown> = { health: null, hotspots: null, analyse: null };
const samples: Record<keyof typeof events, Sample[]> = { health: [], hotspots: [], analyse: [] };

/** Runs in a fresh process: loads the bundle, answers the event twice, writes what it measured to OUT. */
const CHILD = `
const { readFileSync, writeFileSync } = require('node:fs');
const t0 = performance.now();
const { handler } = require(process.env.BUNDLE);
const initMs = performance.now() - t0;
const context = { functionName: 'api', awsRequestId: 'bench', getRemainingTimeInMillis: () => 29000 };
(async () => {
  const event = JSON.parse(readFileSync(process.env.EVENT, 'utf8'));
  const cpu0 = process.cpuUsage();
  const a = performance.now();
  const first = await handler(event, context);
  const b = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const second = await handler(event, context);
  const c = performance.now();
  const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  writeFileSync(process.env.OUT, JSON.stringify({ initMs, firstMs: b - a, firstCpuMs: (cpu.user + cpu.system) / 1000, secondMs: c - b, status: first.statusCode, secondStatus: second.statusCode,
    bytes: first.isBase64Encoded ? Buffer.from(first.body || '', 'base64').length : Buffer.byteLength(first.body || ''), peakRssMb: hwm ? Number(hwm[1]) / 1024 : null }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function apiEvent(method: string, path: string, query: string, token: string | null, claims: Record<string, unknown> | null, body?: unknown) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: {
      host: 'abc123.execute-api.eu-west-2.amazonaws.com',
      'x-forwarded-proto': 'https',
      'accept-encoding': 'br, gzip',
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-2.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: '$default',
      stage: '$default',
      time: '05/Dec/2026:09:00:00 +0000',
      timeEpoch: Date.now(),
      ...(claims && { authorizer: { jwt: { claims, scopes: null } } }),
    },
    isBase64Encoded: false,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  };
}

/** In front of the embedded store: counts the requests and the bytes answered (what a run reads from the store). */
const traffic = { requests: 0, bytes: 0 };
let proxy: Server | undefined;
async function startCountingProxy(target: string): Promise<string> {
  const to = new URL(target);
  proxy = createServer((req, res) => {
    traffic.requests++;
    const upstream = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.on('data', (d: Buffer) => (traffic.bytes += d.length));
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((ok) => proxy!.listen(0, '127.0.0.1', () => ok()));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

/** One fresh process (asynchronously: the embedded store answering it runs in this process). */
async function runFresh(kind: keyof typeof events, profile?: { bundle: string; dir: string }): Promise<Sample> {
  const eventFile = join(work, `${kind}.json`);
  const outFile = join(work, `${kind}.out.json`);
  writeFileSync(eventFile, JSON.stringify(events[kind]));
  rmSync(outFile, { force: true });
  traffic.requests = 0;
  traffic.bytes = 0;
  const args = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile.dir}`, `--cpu-prof-name=${kind}.cpuprofile`, '-e', CHILD] : ['-e', CHILD];
  const child = spawn(process.execPath, args, { env: { ...env, BUNDLE: profile?.bundle ?? bundle, EVENT: eventFile, OUT: outFile }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  if (code !== 0) throw new Error(`fresh Lambda process failed (${kind}): ${stderr}`);
  const sample = { ...(JSON.parse(readFileSync(outFile, 'utf8')) as Sample), storeRequests: traffic.requests, storeBytes: traffic.bytes };
  if (sample.status !== 200 || sample.secondStatus !== 200) throw new Error(`${kind}: answered ${sample.status} then ${sample.secondStatus}`);
  return sample;
}

beforeAll(async () => {
  if (!sharedDataAvailable) return;
  work = mkdtempSync(join(tmpdir(), 'sp-national-lambda-'));
  const result = await generateForBench(SHARED_DATA);
  out = result.out;
  store = await openStore(TABLE);
  const imported = await importNational(store, SHARED_DATA, result, DATASET);
  const district = chooseDistrict(result, result.months[0]!);
  const square = await drawnSquareIn(result, district);
  label = `${imported.report.crimes!.imported.toLocaleString('en-GB')} crimes; district ${district.name} (${district.code}, ${district.lsoas.length} LSOAs), drawn area holding ${square.inside} crimes`;
  bundle = await buildLambdaBundle('api', join(work, 'api'));

  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'national-bench', alg: 'RS256', use: 'sig' };
  const claims = { sub: 'analyst-1', 'custom:orgId': 'bench-csp', 'cognito:groups': ['analyst'], email: 'analyst-1@example.org' };
  const token = await new SignJWT({ token_use: 'id', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'national-bench' })
    .setIssuer(ISSUER)
    .setAudience(CLIENT_ID)
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  env = {
    PATH: process.env.PATH,
    TABLE_NAME: TABLE,
    COGNITO_ISSUER: ISSUER,
    COGNITO_CLIENT_ID: CLIENT_ID,
    COGNITO_USER_POOL_ID: 'eu-west-2_NationalBench',
    COGNITO_REGION: 'eu-west-2',
    COGNITO_DOMAIN: 'https://safer-places-national-bench.auth.eu-west-2.amazoncognito.com',
    COGNITO_JWKS: JSON.stringify({ keys: [jwk] }),
    DYNAMODB_ENDPOINT: await startCountingProxy(store.dynamo.endpoint),
    CRIME_CACHE_MB: '384',
    MAP_STYLE_URL: 'none',
    NODE_OPTIONS: LAMBDA_NODE_OPTIONS.api ?? '',
    POWERTOOLS_SERVICE_NAME: 'api',
    POWERTOOLS_METRICS_NAMESPACE: 'SaferPlaces/bench',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const [from, to] = [result.months[0]!, result.months.at(-1)!];
  events.health = apiEvent('GET', '/api/health', '', null, null);
  events.hotspots = apiEvent('GET', '/api/hotspots', `dataset=${DATASET}&scope=district:${district.code}&cellSize=100&from=${from}&to=${to}`, token, claims);
  events.analyse = apiEvent('POST', '/api/areas/analyse', '', token, claims, { geometry: square.geometry, dataset: DATASET, from, to });
  // One run each before measuring (the store's own first reads), then RUNS fresh processes per request, interleaved.
  for (const k of ['health', 'hotspots', 'analyse'] as const) await runFresh(k);
  for (let i = 0; i < RUNS; i++) for (const k of ['health', 'hotspots', 'analyse'] as const) samples[k].push(await runFresh(k));
  if (PROFILE_DIR) {
    const readable = await buildLambdaBundle('api', join(work, 'readable'), { readable: true });
    for (const k of ['hotspots', 'analyse'] as const) await runFresh(k, { bundle: readable, dir: PROFILE_DIR });
    console.log(`CPU profiles of a first request (unminified bundle) in ${PROFILE_DIR}`);
  }
}, 900_000);

afterAll(async () => {
  if (!sharedDataAvailable) return;
  if (samples.analyse.length > 0) report();
  proxy?.close();
  store?.doc.destroy();
  await store?.dynamo.close();
  if (out) rmSync(out, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

function report(): void {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const m = (k: keyof typeof events, f: keyof Sample) => median(samples[k].map((s) => Number(s[f])));
  const line = (k: 'hotspots' | 'analyse', name: string) =>
    `  ${name}: init ${m(k, 'initMs').toFixed(0)} ms, first request ${m(k, 'firstMs').toFixed(0)} ms (goal ≤ 1,500 ms; ${(m(k, 'firstMs') / m('health', 'firstMs')).toFixed(1)}× the first health request) of which the function's own CPU ${m(k, 'firstCpuMs').toFixed(0)} ms, the rest waiting on the store (${m(k, 'storeRequests')} store requests, ${(m(k, 'storeBytes') / 2 ** 20).toFixed(1)} MiB read); second ${m(k, 'secondMs').toFixed(0)} ms; answer ${(m(k, 'bytes') / 1024).toFixed(0)} KB compressed; peak RSS ${m(k, 'peakRssMb').toFixed(0)} MiB`;
  console.log(
    [
      `\nAPI Lambda bundle, fresh process per run, national set (SYNTHETIC; ${label}); medians of ${RUNS} runs:`,
      `  baseline GET /api/health: init ${m('health', 'initMs').toFixed(0)} ms, first request ${m('health', 'firstMs').toFixed(1)} ms, peak RSS ${m('health', 'peakRssMb').toFixed(0)} MiB`,
      line('hotspots', 'GET /api/hotspots (district, 100 m)'),
      line('analyse', 'POST /api/areas/analyse (drawn area)'),
      `  Node ${process.version} on ${process.arch}; Lambda runs Node 22 on arm64, and DynamoDB there is not this embedded store.`,
    ].join('\n'),
  );
}

describe.runIf(sharedDataAvailable)('API Lambda: first data request on the national set', () => {
  // The figures are the fresh processes above; this repeats one cold hot-spot request for the bench table.
  bench('fresh process: init + first district hot-spot request', async () => void (await runFresh('hotspots')), { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 });
});
