import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreThrottledError, WriteOutcomeUnknownError, type AssetRepository } from '@safer-places/domain';
import { createApp } from '../src/app';
import { startTestApp, validCamera } from './harness';

/**
 * The store's failures are the domain's port errors, and the API maps them by class (apps/api/src/http-errors.ts):
 * a store that kept refusing answers 503 with Retry-After, a write whose outcome is unknown answers 500 and keeps an
 * idempotent request's answer. Here the real store sits behind a repository that fails its next create on cue.
 */
let t: Awaited<ReturnType<typeof startTestApp>>;
let app: ReturnType<typeof createApp>;
let failNext: (() => Error) | null = null;
let creates = 0;
const logged: Record<string, unknown>[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const real = t.deps.assets;
  const assets = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'create') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<AssetRepository['create']>) => {
        creates++;
        const fail = failNext;
        failNext = null;
        if (fail) throw fail();
        return target.create(...args);
      };
    },
  }) as AssetRepository;
  app = createApp({ ...t.deps, assets, log: (e) => void logged.push(e) });
});
afterAll(() => t.close());

async function post(body: unknown, headers: Record<string, string> = {}) {
  const token = await t.tokenFor('planner');
  const res = await app.request('/api/cameras', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

const BUSY = { error: 'unavailable', detail: 'the data store is busy; nothing was changed, try again in a few seconds' };
const UNKNOWN = {
  error: 'write_outcome_unknown',
  detail: 'the data store failed part-way and part of this change may have been saved; look at the layer before sending it again',
};

describe('store port errors through a route', () => {
  it('StoreThrottledError answers 503 with Retry-After and logs no error', async () => {
    logged.length = 0;
    failNext = () => new StoreThrottledError('BatchWrite: 3 items still unprocessed after 5 attempts');
    const res = await post({ ...validCamera, name: 'Busy store' });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('2');
    expect(res.json).toEqual(BUSY);
    expect(logged.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('WriteOutcomeUnknownError answers 500 write_outcome_unknown and is logged', async () => {
    logged.length = 0;
    failNext = () => new WriteOutcomeUnknownError('a write timed out and reading it back failed too');
    const res = await post({ ...validCamera, name: 'Unknown outcome' });
    expect(res.status).toBe(500);
    expect(res.json).toEqual(UNKNOWN);
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: 'write outcome unknown' }));
  });

  it('with an Idempotency-Key, an unknown outcome keeps its answer: the retry is replayed, not run again', async () => {
    failNext = () => new WriteOutcomeUnknownError('a write timed out and reading it back failed too');
    const body = { ...validCamera, name: 'Unknown outcome, kept' };
    const first = await post(body, { 'Idempotency-Key': 'port-errors-unknown' });
    expect(first.status).toBe(500);
    const before = creates;
    const retry = await post(body, { 'Idempotency-Key': 'port-errors-unknown' });
    expect(retry.status).toBe(500);
    expect(retry.json).toEqual(UNKNOWN);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(creates).toBe(before);
  });

  it('with an Idempotency-Key, a throttled store frees the key: the retry runs and is stored', async () => {
    failNext = () => new StoreThrottledError('the store kept refusing');
    const body = { ...validCamera, name: 'Throttled, retried' };
    const first = await post(body, { 'Idempotency-Key': 'port-errors-busy' });
    expect(first.status).toBe(503);
    const retry = await post(body, { 'Idempotency-Key': 'port-errors-busy' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull();
    expect(retry.json).toMatchObject({ name: 'Throttled, retried', version: 1 });
  });

  it('the AWS SDK’s own throttling, let through by an adapter, still answers 503', async () => {
    failNext = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' });
    const res = await post({ ...validCamera, name: 'SDK throttled' });
    expect(res.status).toBe(503);
    expect(res.json).toEqual(BUSY);
  });

  it('an error merely named like a port error is not one: a plain 500, nothing about the store', async () => {
    logged.length = 0;
    failNext = () => Object.assign(new Error('look-alike'), { name: 'WriteOutcomeUnknownError' });
    const res = await post({ ...validCamera, name: 'Look-alike' });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: 'internal_error', detail: 'something went wrong on our side; please try again' });
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: 'unhandled error' }));
  });
});
