import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { PbfReader } from 'pbf';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app';
import { API_METRICS, lambdaTelemetry, withTelemetry } from '../src/runtime/lambda-deps';
import { loadTestDataset, startTestApp, validCamera } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Shaped as API Gateway really sends it (no body key when there is none), hence the cast to Hono's looser type. */
function event(method: string, path: string, headers: Record<string, string>, body?: unknown, query = ''): LambdaEvent {
  const e: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: { host: 'api.example.test', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '22/Nov/2026:11:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
    ...(query && { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) }),
    ...(body !== undefined && { body: JSON.stringify(body) }),
  };
  return e as unknown as LambdaEvent;
}

describe('the Lambda adapter', () => {
  it('answers API Gateway v2 events with the same app and the same auth checks', async () => {
    const handler = handle(t.app);
    const ctx = {} as Context;
    const health = await handler(event('GET', '/api/health', {}), ctx);
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body!)).toMatchObject({ status: 'ok' });

    expect((await handler(event('GET', '/api/cameras', {}), ctx)).statusCode).toBe(401);

    const token = await t.tokenFor('planner');
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await handler(event('POST', '/api/cameras', auth, validCamera), ctx);
    expect(created.statusCode).toBe(201);
    const layer = await handler(event('GET', '/api/layers/cameras', auth), ctx);
    expect(JSON.parse(layer.body!).features.map((f: any) => f.properties.name)).toEqual(['Market Place camera']);

    const viewer = { authorization: `Bearer ${await t.tokenFor('viewer')}`, 'content-type': 'application/json' };
    expect((await handler(event('POST', '/api/cameras', viewer, validCamera), ctx)).statusCode).toBe(403);
  });
});

describe('compressed and binary answers through the Lambda adapter (payload 2.0)', () => {
  it('sends a compressed body base64 with isBase64Encoded, and a plain one as text', async () => {
    await loadTestDataset(t.reference);
    // Enough cameras that the layer is worth compressing.
    for (let i = 0; i < 12; i++) await t.call('POST', '/api/cameras', { role: 'planner', body: { ...validCamera, name: `Camera ${i} on the market place` } });
    const handler = handle(t.app);
    const auth = { authorization: `Bearer ${await t.tokenFor('viewer')}` };

    const plain = await handler(event('GET', '/api/layers/cameras', auth), {} as Context);
    expect(plain.statusCode).toBe(200);
    expect(plain.isBase64Encoded).toBe(false);
    const json = JSON.parse(plain.body!);
    expect(json.features.length).toBeGreaterThanOrEqual(12);

    const gz = await handler(event('GET', '/api/layers/cameras', { ...auth, 'accept-encoding': 'gzip' }), {} as Context);
    expect(gz.statusCode).toBe(200);
    expect(gz.headers!['content-encoding']).toBe('gzip');
    expect(gz.isBase64Encoded).toBe(true);
    expect(JSON.parse(gunzipSync(Buffer.from(gz.body!, 'base64')).toString('utf8'))).toEqual(json);
  });

  it('sends a vector tile base64 as binary', async () => {
    const handler = handle(t.app);
    const auth = { authorization: `Bearer ${await t.tokenFor('viewer')}` };
    // The test dataset's two squares near (-1.19, 53.0) at zoom 12.
    const res = await handler(event('GET', '/api/tiles/lsoas/12/2034/1334.mvt', auth, undefined, 'dataset=test-ds'), {} as Context);
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(true);
    expect(res.headers!['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const layer = new VectorTile(new PbfReader(Buffer.from(res.body!, 'base64'))).layers.lsoas!;
    expect(Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties.code).sort()).toEqual(['E01000001', 'E01000002']);
  });
});

/**
 * Every line the Powertools utilities write, parsed. They write to stdout and stderr themselves (not through
 * console.log, which the Lambda runtime wraps under "message"), one JSON object per line, which Lambda's JSON log
 * format keeps as it is. Whatever goes through console.log is kept apart, to show nothing does.
 */
function captureOutput() {
  const lines: Record<string, unknown>[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
  }
  const consoleLog = vi.spyOn(console, 'log').mockImplementation(() => {});
  return { lines, consoleLog };
}

const lambdaContext = {
  functionName: 'safer-places-api',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:safer-places-api',
  memoryLimitInMB: '1024',
  awsRequestId: 'aws-req-1',
  getRemainingTimeInMillis: () => 20_000,
} as unknown as Context;

describe('telemetry on Lambda (Powertools)', () => {
  it('logs app errors at ERROR and turns a lost audit event into the AuditAppendFailed metric (EMF)', async () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'api');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'SaferPlaces/test');
    const { lines, consoleLog } = captureOutput();
    const telemetry = lambdaTelemetry();
    // The table refuses every audit event: the change still succeeds, its event is reported.
    const app = createApp({ ...t.deps, audit: { append: () => Promise.reject(new Error('table unavailable')), list: (o, q) => t.deps.audit.list(o, q) }, log: telemetry.log });
    const lambda = handle(app);
    const handler = withTelemetry(telemetry, (e: LambdaEvent, c: Context) => lambda(e, c));

    const auth = { authorization: `Bearer ${await t.tokenFor('planner')}`, 'content-type': 'application/json' };
    const created = await handler(event('POST', '/api/cameras', auth, validCamera), lambdaContext);
    expect(created.statusCode).toBe(201);

    expect(consoleLog).not.toHaveBeenCalled();
    const failure = lines.find((l) => l.message === 'audit append failed');
    expect(failure).toMatchObject({
      level: 'ERROR',
      service: 'api',
      function_request_id: 'aws-req-1',
      error: 'Error: table unavailable',
      event: expect.objectContaining({ action: 'create', method: 'POST', path: '/api/cameras', status: 201 }),
    });
    const metrics = lines.filter((l) => '_aws' in l);
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'SaferPlaces/test', Dimensions: [['service']], Metrics: [{ Name: API_METRICS.auditAppendFailed, Unit: 'Count' }] }] },
      service: 'api',
      [API_METRICS.auditAppendFailed]: 1,
    });
    // The request itself is an INFO line of its own.
    expect(lines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'request', method: 'POST', path: '/api/cameras', status: 201 }));
  });

  it('keeps each level and counts no metric for ordinary lines', () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'api');
    const { lines } = captureOutput();
    const { log } = lambdaTelemetry();
    log({ level: 'warn', msg: 'slow', ms: 900 });
    log({ level: 'error', msg: 'unhandled error', error: 'boom' });
    log({ level: 'info', msg: 'request', status: 200 });
    log({ msg: 'no level' });
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['WARN', 'slow'],
      ['ERROR', 'unhandled error'],
      ['INFO', 'request'],
      ['INFO', 'no level'],
    ]);
    expect(lines.filter((l) => '_aws' in l)).toEqual([]);
  });
});
