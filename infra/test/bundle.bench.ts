/**
 * Cold-start cost of the API Lambda bundle: size, and module init time (what Lambda's init phase spends loading
 * index.js: parse, compile, run the top level, build the Hono app and the DynamoDB client), each in a fresh Node process.
 * Compared in the same run against the unbundled source loaded through tsx, and against an empty Node process.
 * Targets from the issue (reported, not asserted): bundle ≤ 1.5 MB minified, module init ≤ 300 ms.
 *
 * Run: npm run bench -w @safer-places/infra (or cd infra && npx vitest bench --run)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { LAMBDA_ENTRIES, LAMBDA_NODE_OPTIONS, REPO_ROOT, buildLambdaBundle } from '../lib/bundling';

const MAX_BYTES = 1.5 * 1024 * 1024;
const MAX_INIT_MS = 300;
const RUNS = 15;

const outdir = mkdtempSync(join(tmpdir(), 'safer-places-bench-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const apiBundle = await buildLambdaBundle('api', join(outdir, 'api'));
const importerBundle = await buildLambdaBundle('importer', join(outdir, 'importer'));

/** The variables the stack sets (values that need no network at init). */
const lambdaEnv = {
  ...process.env,
  TABLE_NAME: 'safer-places-dev',
  COGNITO_ISSUER: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Bench',
  COGNITO_CLIENT_ID: 'bench',
  COGNITO_USER_POOL_ID: 'eu-west-2_Bench',
  COGNITO_REGION: 'eu-west-2',
  COGNITO_DOMAIN: 'https://safer-places-bench.auth.eu-west-2.amazoncognito.com',
  AWS_REGION: 'eu-west-2',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Node prints how long loading the module took, measured inside the fresh process. */
const timeRequire = (file: string) =>
  `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`;
const timeTsxImport = (file: string) =>
  `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`;

function run(args: string[], env: NodeJS.ProcessEnv): number {
  const r = spawnSync(process.execPath, args, { env, cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`benchmark child failed: ${r.stderr}`);
  return Number(r.stdout.trim() || 0);
}

const API_NODE_OPTIONS = LAMBDA_NODE_OPTIONS.api ?? '';
const bundled = () => run(['-e', timeRequire(apiBundle)], { ...lambdaEnv, NODE_OPTIONS: API_NODE_OPTIONS });
/** What the API ran with before it mapped stack traces itself on first use. */
const bundledNodeSourceMaps = () => run(['-e', timeRequire(apiBundle)], { ...lambdaEnv, NODE_OPTIONS: '--enable-source-maps' });
const source = () => run(['--import', 'tsx', '--input-type=module', '-e', timeTsxImport(LAMBDA_ENTRIES.api)], { ...lambdaEnv, NODE_OPTIONS: '' });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sample = (f: () => number) => median(Array.from({ length: RUNS }, f));

// The report: medians of RUNS fresh processes each.
const size = statSync(apiBundle).size;
const initMs = sample(bundled);
const initNodeMapsMs = sample(bundledNodeSourceMaps);
const sourceMs = sample(source);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB (${b.toLocaleString('en-GB')} bytes)`;
console.log(
  [
    '',
    'API Lambda bundle (same esbuild settings as the stack)',
    `  size:            ${mb(size)}  target ≤ 1.5 MB  ${size <= MAX_BYTES ? 'OK' : 'OVER'}`,
    `  module init:     ${initMs.toFixed(0)} ms median of ${RUNS} fresh processes, NODE_OPTIONS="${API_NODE_OPTIONS}" as deployed  target ≤ ${MAX_INIT_MS} ms  ${initMs <= MAX_INIT_MS ? 'OK' : 'OVER'}`,
    `  with Node's --enable-source-maps instead (source map read at load): ${initNodeMapsMs.toFixed(0)} ms`,
    `  baseline, the unbundled source through tsx: ${sourceMs.toFixed(0)} ms  (bundle is ${(sourceMs / initMs).toFixed(1)}× faster)`,
    `Importer bundle: ${mb(statSync(importerBundle).size)}`,
    `Node ${process.version} on ${process.arch}; Lambda runs Node 22 on arm64 (Graviton), so absolute times there differ.`,
    '',
  ].join('\n'),
);

describe('API Lambda cold start (fresh Node process per iteration)', () => {
  const options = { iterations: 10, warmupIterations: 1, time: 0 };
  bench('empty Node process (baseline)', () => void run(['-e', '0'], lambdaEnv), options);
  bench('Node + bundled index.js, as deployed', () => void bundled(), options);
  bench('Node + unbundled source through tsx', () => void source(), options);
});
