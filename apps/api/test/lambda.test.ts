import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, validCamera } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

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
