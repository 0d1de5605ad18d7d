import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app';
import { API_METRICS, lambdaTelemetry, withTelemetry } from '../src/runtime/lambda-deps';
import { startTestApp, validCamera } from './harness';

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
function event(method: string, path: string, headers: Record<string, string>, body?: unknown): LambdaEvent {
  const e: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
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
