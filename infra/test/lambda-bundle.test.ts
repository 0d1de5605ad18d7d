/**
 * The Lambda code exactly as the stack deploys it: `cdk synth` is run with the real CLI, offline, and the files it
 * bundled (local esbuild) are required from its cloud assembly and called the way Lambda calls them, against the
 * embedded DynamoDB. Proves the bundle, not the source.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { builtinModules, createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { API_TABLE_ACTIONS, IAM_ENCLOSING_OPERATIONS, PROTECTED_ROUTE, PUBLIC_ROUTES } from '../lib/api';
import { buildLambdaBundle } from '../lib/bundling';
import { IMPORTER_LEADING_KEYS, IMPORTER_TABLE_ACTIONS } from '../lib/importer';
import { LAD_A, LAD_B, buildWorld, crimesIn, startFixtureServer, type FixtureServer } from '../../packages/importer/test/fetch/fixture-server';
import { cdkCli, makeWebDist } from './helpers';

/** The issue's limit for the API bundle (minified). */
export const MAX_API_BUNDLE_BYTES = 1.5 * 1024 * 1024;

const TABLE = 'safer-places-bundle-test';
const ISSUER = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_BundleTest';
const CLIENT_ID = 'bundle-test-client';
const SIGN_IN_DOMAIN = 'https://safer-places-bundle-test.auth.eu-west-2.amazoncognito.com';

/** The API function's table and Cognito settings, as the stack gives them (values for the offline bundle). */
const API_SETTINGS = {
  TABLE_NAME: TABLE,
  COGNITO_ISSUER: ISSUER,
  COGNITO_CLIENT_ID: CLIENT_ID,
  COGNITO_USER_POOL_ID: 'eu-west-2_BundleTest',
  COGNITO_REGION: 'eu-west-2',
  COGNITO_DOMAIN: SIGN_IN_DOMAIN,
};

let work: string;
let outdir: string;
let synth: ReturnType<typeof cdkCli>;
let template: { Resources: Record<string, { Type: string; Properties: any }> };
let dynamo: EmbeddedDynamo;
let proxy: RecordingProxy;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'safer-places-bundle-'));
  outdir = join(work, 'cdk.out');
  synth = cdkCli(['synth', '-q', '--output', outdir, '-c', 'force=nottinghamshire', '-c', `districts=${LAD_A},${LAD_B}`], makeWebDist(work));
  if (synth.code === 0) template = JSON.parse(readFileSync(join(outdir, 'SaferPlaces-dev.template.json'), 'utf8'));
  dynamo = await startEmbeddedDynamo();
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, TABLE);
  doc.destroy();
  proxy = await startRecordingProxy(dynamo.endpoint);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await proxy?.close();
  await dynamo?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('cdk synth (the CLI, offline)', () => {
  it('synthesises the stack, cdk-nag checks passing, with telemetry and notices off', () => {
    console.log(`cdk synth (CLI, API and importer bundled): ${(synth.ms / 1000).toFixed(1)} s`);
    expect(synth.out).not.toMatch(/ValidationFailed|\bError\b/);
    expect(synth.code).toBe(0);
    expect(synth.out).not.toMatch(/Telemetry is enabled|NOTICES/);
    const routes = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual([PROTECTED_ROUTE, ...PUBLIC_ROUTES].sort());
    expect(JSON.stringify(template)).not.toContain('CDKMetadata');
  });
});

/** The synthesised function's code folder in the cloud assembly, and its environment variable names. */
function deployed(name: 'Api' | 'Importer') {
  const [, fn] = Object.entries(template.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(`${name}Handler`))!;
  const hash = (fn.Properties.Code.S3Key as string).replace(/\.zip$/, '');
  return { file: join(outdir, `asset.${hash}`, 'index.js'), env: Object.keys(fn.Properties.Environment.Variables as object) };
}

/**
 * The AWS SDK's optional CRT signer: required inside a try/catch only for SigV4a (multi-region S3 access points), never
 * by DynamoDB, and not installed, so esbuild leaves the require in place.
 */
const OPTIONAL_AT_RUNTIME = ['@aws-sdk/signature-v4-crt'];

/** Modules a bundle still loads at run time, other than Node's own (there must be none). */
function externalRequires(code: string): string[] {
  const required = new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
  return [...required].filter((m) => !m.startsWith('node:') && !builtinModules.includes(m) && !OPTIONAL_AT_RUNTIME.includes(m));
}

/**
 * DynamoDB in front of the embedded one that records which operations the code under test calls, and the partition
 * keys they touch (what IAM's dynamodb:LeadingKeys condition sees).
 */
interface RecordingProxy {
  endpoint: string;
  operations: Set<string>;
  partitionKeys: Set<string>;
  close(): Promise<void>;
}

type AttributeValue = { S?: string };
/** The partition keys of one low-level DynamoDB request (the table's partition key attribute is pk). */
function partitionKeysOf(body: any): string[] {
  const pk = (item: Record<string, AttributeValue> | undefined) => (item?.pk?.S !== undefined ? [item.pk.S] : []);
  if (!body || typeof body !== 'object') return [];
  const out = [...pk(body.Item), ...pk(body.Key)];
  // Query: KeyConditionExpression 'pk = :pk …'.
  if (typeof body.KeyConditionExpression === 'string' && body.ExpressionAttributeValues?.[':pk']?.S) out.push(body.ExpressionAttributeValues[':pk'].S);
  for (const requests of Object.values((body.RequestItems ?? {}) as Record<string, any[]>)) {
    for (const r of requests) out.push(...pk(r.PutRequest?.Item), ...pk(r.DeleteRequest?.Key));
  }
  return out;
}

async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const operations = new Set<string>();
  const partitionKeys = new Set<string>();
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const op = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (op) operations.add(`dynamodb:${op}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        for (const k of partitionKeysOf(JSON.parse(body.toString('utf8')))) partitionKeys.add(k);
      } catch {
        // Not JSON: nothing to record.
      }
      const upstream = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    operations,
    partitionKeys,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
type Reply = { statusCode: number; headers: Record<string, string>; body: any };

/** An HTTP API (payload 2.0) event as API Gateway sends it behind CloudFront, with the JWT claims when authorised. */
function apiEvent(method: string, path: string, opts: { token?: string; claims?: JWTPayload; body?: unknown; query?: string; headers?: Record<string, string> } = {}): APIGatewayProxyEventV2 {
  const routeKey = path === '/api/health' || path === '/api/config' ? `${method} ${path}` : 'ANY /api/{proxy+}';
  const headers: Record<string, string> = {
    host: 'abc123.execute-api.eu-west-2.amazonaws.com',
    'x-forwarded-proto': 'https',
    'user-agent': 'Amazon CloudFront',
    ...(opts.token && { authorization: `Bearer ${opts.token}` }),
    ...(opts.body !== undefined && { 'content-type': 'application/json' }),
    ...opts.headers,
  };
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: opts.query ?? '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-2.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'Amazon CloudFront' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey,
      stage: '$default',
      time: '22/Nov/2026:11:00:00 +0000',
      timeEpoch: Date.now(),
      ...(opts.claims && { authorizer: { jwt: { claims: opts.claims as Record<string, string>, scopes: null } } }),
    } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
    ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
  };
}

const lambdaContext = { functionName: 'api', awsRequestId: 'req', getRemainingTimeInMillis: () => 20_000 } as unknown as Context;

/**
 * What the bundled code writes to stdout and stderr, one JSON object per line: on Lambda, Powertools writes there
 * itself, and the JSON log format keeps such lines as they are. console.log is watched too: nothing may go through it,
 * as the runtime would wrap it under "message".
 */
function captureOutput() {
  const lines: Record<string, unknown>[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    }),
  );
  const consoleLog = vi.spyOn(console, 'log').mockImplementation(() => {});
  return {
    lines,
    consoleLog,
    restore: () => {
      for (const spy of [...spies, consoleLog]) spy.mockRestore();
    },
  };
}

describe('the API bundle', () => {
  it('is one self-contained minified file of at most 1.5 MB, the same bytes as a build with the shared settings', async () => {
    const { file } = deployed('Api');
    const size = statSync(file).size;
    expect(size).toBeLessThanOrEqual(MAX_API_BUNDLE_BYTES);
    const code = readFileSync(file, 'utf8');
    expect(externalRequires(code)).toEqual([]);
    const rebuilt = await buildLambdaBundle('api', join(work, 'api'));
    expect((await readFile(rebuilt)).equals(await readFile(file))).toBe(true);
  });

  it('shows stack traces at their source lines on Lambda, reading the source map only when a stack is formatted', () => {
    const { file } = deployed('Api');
    // A fresh process as Lambda starts one (no NODE_OPTIONS): load the bundle, note whether the map was read, then
    // give the handler an event it cannot read and print the stack of what it throws.
    const child = `
      const fs = require('node:fs');
      const reads = [];
      const readFileSync = fs.readFileSync;
      fs.readFileSync = (p, ...rest) => { reads.push(String(p)); return readFileSync(p, ...rest); };
      const { handler } = require(${JSON.stringify(file)});
      const mapReadAtLoad = reads.some((p) => p.endsWith('.map'));
      handler(null, { functionName: 'api', awsRequestId: 'stack', getRemainingTimeInMillis: () => 29000 }).then(
        () => process.stdout.write(JSON.stringify({ answered: true })),
        (e) => process.stdout.write(JSON.stringify({ mapReadAtLoad, stack: e.stack, mapReadAfter: reads.some((p) => p.endsWith('.map')) })),
      );`;
    const env = {
      PATH: process.env.PATH,
      AWS_LAMBDA_FUNCTION_NAME: 'api',
      AWS_REGION: 'eu-west-2',
      ...API_SETTINGS,
      POWERTOOLS_TRACE_ENABLED: 'false',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const run = (extra: Record<string, string | undefined>) => {
      const r = spawnSync(process.execPath, ['-e', child], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { mapReadAtLoad: boolean; mapReadAfter: boolean; stack: string };
    };
    const onLambda = run({});
    expect(onLambda.mapReadAtLoad).toBe(false);
    expect(onLambda.mapReadAfter).toBe(true);
    const frames = onLambda.stack.split('\n').slice(1);
    expect(onLambda.stack).toMatch(/^TypeError: /);
    // Every frame in the bundle is shown at its source: the hono adapter, then the project's own Lambda handler.
    expect(frames.filter((f) => f.includes('index.js:'))).toEqual([]);
    expect(frames[0]).toMatch(/node_modules\/hono\/dist\/adapter\/aws-lambda\/handler\.js:\d+:\d+\)?$/);
    expect(frames.some((f) => /apps\/api\/src\/lambda\.ts:\d+:\d+/.test(f))).toBe(true);
    // At the very files, lines and columns Node's own --enable-source-maps gives.
    const withNode = run({ NODE_OPTIONS: '--enable-source-maps' });
    const where = (stack: string) => stack.split('\n').slice(1).map((f) => /(\/[^\s()]+:\d+:\d+)\)?$/.exec(f)?.[1] ?? f.trim());
    expect(where(onLambda.stack)).toEqual(where(withNode.stack));
    expect(withNode.mapReadAtLoad).toBe(true);
    // Off Lambda (a test runner loading the bundle), whoever formats stacks keeps doing so.
    const elsewhere = run({ AWS_LAMBDA_FUNCTION_NAME: undefined });
    expect(elsewhere.stack.split('\n')[1]).toMatch(/index\.js:\d+:\d+\)?$/);
  });

  it('answers API Gateway v2 events against the embedded DynamoDB, checking Cognito ID tokens itself', async () => {
    const { file, env } = deployed('Api');
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'bundle-test', alg: 'RS256', use: 'sig' };
    const settings: Record<string, string> = {
      ...API_SETTINGS,
      CRIME_CACHE_MB: '384',
      MAP_STYLE_URL: 'https://tiles.example.org/styles/basic.json',
      POWERTOOLS_SERVICE_NAME: 'api',
      POWERTOOLS_METRICS_NAMESPACE: 'SaferPlaces/dev',
    };
    // Every variable the stack sets gets a value here; the two offline-only ones are added.
    expect(env.filter((k) => !(k in settings))).toEqual([]);
    for (const [k, v] of Object.entries({ ...settings, DYNAMODB_ENDPOINT: proxy.endpoint, COGNITO_JWKS: JSON.stringify({ keys: [jwk] }) })) {
      if (k !== 'NODE_OPTIONS') vi.stubEnv(k, v);
    }
    const { handler } = createRequire(import.meta.url)(file) as { handler: Handler };
    proxy.operations.clear();
    // The app's request log: Powertools JSON lines (checked at the end).
    const output = captureOutput();

    const idToken = (claims: JWTPayload, o: { aud?: string; iss?: string; exp?: string; key?: CryptoKey } = {}) =>
      new SignJWT({ token_use: 'id', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'bundle-test' })
        .setIssuer(o.iss ?? ISSUER)
        .setAudience(o.aud ?? CLIENT_ID)
        .setSubject(String(claims.sub ?? 'user-1'))
        .setIssuedAt()
        .setExpirationTime(o.exp ?? '1h')
        .sign(o.key ?? privateKey);
    const userClaims = (sub: string, org: string, groups: string[]) => ({ sub, 'custom:orgId': org, 'cognito:groups': groups, email: `${sub}@example.org` });
    const call = async (method: string, path: string, opts: Parameters<typeof apiEvent>[2] = {}): Promise<Reply> => {
      const r = (await handler(apiEvent(method, path, opts), lambdaContext)) as { statusCode: number; headers: Record<string, string>; body?: string };
      return { statusCode: r.statusCode, headers: r.headers ?? {}, body: r.body ? JSON.parse(r.body) : null };
    };
    const as = async (sub: string, org: string, groups: string[]) => {
      const claims = userClaims(sub, org, groups);
      return { token: await idToken(claims), claims };
    };

    // Public routes, no token.
    const health = await call('GET', '/api/health');
    expect(health.statusCode).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    // Where the web app sends users to sign in: the pool's managed login.
    expect((await call('GET', '/api/config')).body).toEqual({
      mapStyleUrl: 'https://tiles.example.org/styles/basic.json',
      basemap: { kind: 'style', url: 'https://tiles.example.org/styles/basic.json' },
      devSignIn: false,
      cognito: { region: 'eu-west-2', userPoolId: 'eu-west-2_BundleTest', clientId: CLIENT_ID, domain: SIGN_IN_DOMAIN },
    });
    // No local sign-in on Lambda.
    expect((await call('POST', '/api/dev/sign-in', { body: { role: 'admin' } })).statusCode).toBe(401);

    // Tokens: missing, forged, wrong audience, wrong issuer, expired, access token: all 401.
    expect((await call('GET', '/api/me')).statusCode).toBe(401);
    const planner = await as('planner-1', 'notts-csp', ['planner']);
    const otherKey = (await generateKeyPair('RS256')).privateKey;
    for (const bad of [
      await idToken(planner.claims, { key: otherKey }),
      await idToken(planner.claims, { aud: 'another-client' }),
      await idToken(planner.claims, { iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other' }),
      await idToken(planner.claims, { exp: '-1m' }),
      await idToken({ ...planner.claims, token_use: 'access' }),
      await idToken({ sub: 'no-org', 'cognito:groups': ['admin'] }),
    ]) {
      expect((await call('GET', '/api/me', { token: bad })).statusCode).toBe(401);
    }

    // Organisation and role come from the token: custom:orgId and the most capable group.
    const me = await call('GET', '/api/me', { token: planner.token, claims: planner.claims });
    expect(me.statusCode).toBe(200);
    expect(me.body).toMatchObject({ userId: 'planner-1', orgId: 'notts-csp', role: 'planner' });
    const both = await as('lead-1', 'notts-csp', ['viewer', 'analyst']);
    expect((await call('GET', '/api/me', { token: both.token })).body.role).toBe('analyst');

    // Create, read, list, update, delete a camera: every table operation the API uses.
    const camera = { name: 'Market Place camera', type: 'fixed', location: { type: 'Point', coordinates: [-1.1953, 53.0051] } };
    const created = await call('POST', '/api/cameras', { token: planner.token, body: camera });
    expect(created.statusCode).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.etag).toBe('"1"');
    expect((await call('GET', `/api/cameras/${id}`, { token: planner.token })).body).toMatchObject({ name: 'Market Place camera' });
    const layer = await call('GET', '/api/layers/cameras', { token: planner.token });
    expect(layer.body.features.map((f: any) => f.properties.name)).toEqual(['Market Place camera']);
    const updated = await call('PUT', `/api/cameras/${id}`, { token: planner.token, body: { ...camera, name: 'Market Place (north)' }, headers: { 'if-match': '"1"' } });
    expect(updated.statusCode).toBe(200);

    // Viewers read but cannot write; another organisation sees nothing.
    const viewer = await as('viewer-1', 'notts-csp', ['viewer']);
    expect((await call('GET', '/api/cameras', { token: viewer.token })).body.items).toHaveLength(1);
    expect((await call('POST', '/api/cameras', { token: viewer.token, body: camera })).statusCode).toBe(403);
    const outsider = await as('admin-9', 'derbys-csp', ['admin']);
    expect((await call('GET', '/api/cameras', { token: outsider.token })).body.items).toEqual([]);
    expect((await call('GET', `/api/cameras/${id}`, { token: outsider.token })).statusCode).toBe(404);

    expect((await call('DELETE', `/api/cameras/${id}`, { token: planner.token, headers: { 'if-match': '"2"' } })).statusCode).toBe(204);
    expect((await call('GET', '/api/cameras', { token: planner.token })).body.items).toEqual([]);

    // Reference data reads.
    expect((await call('GET', '/api/datasets', { token: viewer.token })).statusCode).toBe(200);

    output.restore();
    expect(output.consoleLog).not.toHaveBeenCalled();
    expect(output.lines).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'request', service: 'api', method: 'POST', path: '/api/cameras', status: 201, orgId: 'notts-csp', role: 'planner' }),
    );

    // The stack's IAM policy allows every DynamoDB operation the bundle made.
    expect([...proxy.operations].filter((op) => !API_TABLE_ACTIONS.includes(op) && !IAM_ENCLOSING_OPERATIONS.includes(op))).toEqual([]);
    expect([...proxy.operations].sort()).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:DeleteItem']));
  });
});

describe('the scheduled importer bundle', () => {
  const world = buildWorld({ crimesPerLsoa: 5, months: ['2024-01', '2024-02', '2024-03'] });
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(world);
  });
  afterAll(async () => {
    await server?.close();
  });

  const settings = (): Record<string, string> => ({
    TABLE_NAME: TABLE,
    FORCE: 'nottinghamshire',
    LADS: `${LAD_A},${LAD_B}`,
    NODE_OPTIONS: '',
    POWERTOOLS_SERVICE_NAME: 'importer',
    POWERTOOLS_METRICS_NAMESPACE: 'SaferPlaces/dev',
  });
  const stubEnv = () => {
    for (const [k, v] of Object.entries({ ...settings(), DYNAMODB_ENDPOINT: proxy.endpoint, POLICE_API_URL: server.policeUrl, ONS_API_URL: server.onsUrl })) {
      if (k !== 'NODE_OPTIONS') vi.stubEnv(k, v);
    }
  };

  it('imports the newest police.uk month for the configured districts, with the table rights the stack grants', async () => {
    const { file, env } = deployed('Importer');
    expect(env.filter((k) => !(k in settings()))).toEqual([]);
    expect(externalRequires(readFileSync(file, 'utf8'))).toEqual([]);
    stubEnv();
    const { handler } = createRequire(import.meta.url)(file) as { handler: (event?: unknown) => Promise<any> };
    proxy.operations.clear();
    proxy.partitionKeys.clear();
    const output = captureOutput();

    const result = await handler();
    // Structured logs: one JSON object per line, with a level (Lambda's JSON log format keeps them as they are), and
    // the run's metrics as one EMF document.
    output.restore();
    expect(output.consoleLog).not.toHaveBeenCalled();
    const lines = output.lines.filter((l) => !('_aws' in l)) as { level: string; message: string }[];
    expect(lines.every((l) => ['INFO', 'WARN'].includes(l.level) && typeof l.message === 'string')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ level: 'INFO', message: 'scheduled import done', service: 'importer', months: ['2024-03'] });
    expect(output.lines.filter((l) => '_aws' in l)).toEqual([expect.objectContaining({ service: 'importer', ImportSucceeded: 1 })]);
    const expected = crimesIn(world, '2024-03', [LAD_A, LAD_B]).length;
    expect(result).toMatchObject({ datasetId: 'open-data', force: 'nottinghamshire', lads: [LAD_A, LAD_B], months: ['2024-03'], crimesDownloaded: expected, crimesImported: expected });

    const doc = createDocumentClient({ endpoint: dynamo.endpoint });
    const dataset = await new DynamoReferenceRepository(doc, TABLE).getDataset('open-data');
    doc.destroy();
    expect(dataset).toMatchObject({ firstMonth: '2024-03', lastMonth: '2024-03', crimeCount: expected, synthetic: false });
    expect(dataset!.lsoaCount).toBe(world.lsoas.filter((l) => l.lad === LAD_A || l.lad === LAD_B).length);

    // A manual invocation may ask for more months (a first load); the month already there is replaced, not doubled.
    const output2 = captureOutput();
    const backfill = await handler({ months: 2 });
    output2.restore();
    expect(backfill.months).toEqual(['2024-02', '2024-03']);
    const doc2 = createDocumentClient({ endpoint: dynamo.endpoint });
    const after = await new DynamoReferenceRepository(doc2, TABLE).getDataset('open-data');
    doc2.destroy();
    expect(after).toMatchObject({ firstMonth: '2024-02', lastMonth: '2024-03', crimeCount: expected + crimesIn(world, '2024-02', [LAD_A, LAD_B]).length });

    expect([...proxy.operations].filter((op) => !IMPORTER_TABLE_ACTIONS.includes(op))).toEqual([]);
    expect([...proxy.operations]).toEqual(expect.arrayContaining(['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']));
    // Every partition it touched is one its role's dynamodb:LeadingKeys condition allows (StringLike: * is any text).
    const allowed = IMPORTER_LEADING_KEYS.map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
    expect(proxy.partitionKeys.size).toBeGreaterThan(3);
    expect([...proxy.partitionKeys].filter((pk) => !allowed.some((re) => re.test(pk)))).toEqual([]);
  });

  it('fails (so the Lambda Errors alarm fires) when the districts are unknown or the settings missing', async () => {
    const { handler } = createRequire(import.meta.url)(deployed('Importer').file) as { handler: (event?: unknown) => Promise<unknown> };
    stubEnv();
    const output = captureOutput();
    vi.stubEnv('LADS', 'E07000999');
    await expect(handler()).rejects.toThrow(/no LSOAs for E07000999/);
    expect(output.lines.filter((l) => !('_aws' in l)).at(-1)).toMatchObject({ level: 'ERROR', message: 'scheduled import failed' });
    expect(output.lines.filter((l) => '_aws' in l).at(-1)).toMatchObject({ ImportFailed: 1 });
    await expect(handler({ months: 99 })).rejects.toThrow(/months must be 1-36/);
    vi.stubEnv('FORCE', '');
    await expect(handler()).rejects.toThrow(/FORCE not set/);
    output.restore();
    expect(output.lines.filter((l) => '_aws' in l).map((l) => l.ImportFailed)).toEqual([1, 1, 1]);
  });
});
