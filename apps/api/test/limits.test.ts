import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitExceededError, type ReferenceRepository } from '@safer-places/domain';
import { MAX_ANSWER_BYTES, MAX_LAYER_FEATURES, REQUEST_TIME_BUDGET_MS, type Lsoa } from '@safer-places/schemas';
import { createApp } from '../src/app';
import { toErrorResponse } from '../src/http-errors';
import { TEST_DATASET, TEST_LSOAS, loadTestDataset, startTestApp } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
  await loadTestDataset(t.reference);
});
afterAll(() => t.close());

/** Calls an app built from the test app's dependencies with some of them replaced. */
async function callWith(app: ReturnType<typeof createApp>, path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers: { Authorization: `Bearer ${await t.tokenFor('viewer')}`, ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

describe('413 limit_exceeded', () => {
  it('maps LimitExceededError to 413 with the limit, what was asked and the most allowed', async () => {
    const app = new Hono();
    app.onError((err, c) => toErrorResponse(err, c, () => {}));
    app.get('/costly', () => {
      throw new LimitExceededError('MAX_CRIMES_PER_ANALYSIS', 2_000_000, 1_500_000, 'this analysis would read 2,000,000 crimes; at most 1,500,000');
    });
    const res = await app.request('/costly');
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: 'limit_exceeded',
      detail: 'this analysis would read 2,000,000 crimes; at most 1,500,000',
      limit: 'MAX_CRIMES_PER_ANALYSIS',
      asked: 2_000_000,
      max: 1_500_000,
    });
  });

  it('the LSOA layer never cuts silently: more LSOAs than MAX_LAYER_FEATURES is a 413 pointing at the tiles', async () => {
    // A dataset of MAX_LAYER_FEATURES + 1 LSOAs: the test dataset's two, and copies of the first further east.
    const many: Lsoa[] = [
      ...TEST_LSOAS,
      ...Array.from({ length: MAX_LAYER_FEATURES - 1 }, (_, i) => ({ ...TEST_LSOAS[0]!, code: `E0900${String(i).padStart(4, '0')}`, bbox: [0.5, 53, 0.51, 53.01] as Lsoa['bbox'] })),
    ];
    const reference: ReferenceRepository = { ...bind(t.deps.reference), listLsoas: async (id) => (id === TEST_DATASET.id ? many : []) };
    const app = createApp({ ...t.deps, reference });

    const all = await callWith(app, '/api/layers/lsoas');
    expect(all.status).toBe(413);
    expect(all.json).toMatchObject({ error: 'limit_exceeded', limit: 'MAX_LAYER_FEATURES', asked: MAX_LAYER_FEATURES + 1, max: MAX_LAYER_FEATURES });
    expect(all.json.detail).toContain(`/api/tiles/lsoas/{z}/{x}/{y}.mvt?dataset=${TEST_DATASET.id}`);

    // Narrowed by bbox to what fits: answered whole.
    const west = await callWith(app, '/api/layers/lsoas?bbox=-1.21,52.99,-1.17,53.02');
    expect(west.status).toBe(200);
    expect(west.json).toMatchObject({ truncated: false });
    expect(west.json.features.map((f: { id: string }) => f.id)).toEqual(['E01000001', 'E01000002']);

    // A cap the caller chose: answered, and says it is truncated.
    const capped = await callWith(app, '/api/layers/lsoas?limit=10');
    expect(capped.status).toBe(200);
    expect(capped.json).toMatchObject({ truncated: true });
    expect(capped.json.features).toHaveLength(10);
  });
});

describe('bounded answers (MAX_ANSWER_BYTES)', () => {
  it('refuses a JSON answer larger than the limit with 413 naming it, and sends smaller ones whole', async () => {
    const full = await t.call('GET', '/api/layers/lsoas', { role: 'viewer' });
    const size = Buffer.byteLength(JSON.stringify(full.json));
    const app = createApp({ ...t.deps, limits: { maxAnswerBytes: size - 1 } });

    const refused = await callWith(app, '/api/layers/lsoas', { 'Accept-Encoding': 'gzip' });
    expect(refused.status).toBe(413);
    expect(refused.json).toMatchObject({ error: 'limit_exceeded', limit: 'MAX_ANSWER_BYTES', asked: size, max: size - 1 });
    expect(refused.json.detail).toMatch(/more than the \d+ one answer may hold/);
    // Nothing of the refused answer leaks into the refusal: no ETag to revalidate it with.
    expect(refused.headers.get('ETag')).toBeNull();
    expect(refused.headers.get('Cache-Control')).toBe('private, no-cache');

    const fits = createApp({ ...t.deps, limits: { maxAnswerBytes: size } });
    const whole = await callWith(fits, '/api/layers/lsoas');
    expect(whole.status).toBe(200);
    expect(whole.json).toEqual(full.json);
  });

  it('is MAX_ANSWER_BYTES by default, and the time budget REQUEST_TIME_BUDGET_MS', () => {
    expect(MAX_ANSWER_BYTES).toBeLessThan(6 * 1024 * 1024);
    expect(REQUEST_TIME_BUDGET_MS).toBeLessThan(30_000);
  });
});

describe('time budget', () => {
  it('answers 503 time_budget_exceeded naming the budget when a request runs past it, while others are answered', async () => {
    // A store that never answers listDatasets until the test lets it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow: ReferenceRepository = {
      ...bind(t.deps.reference),
      listDatasets: async () => {
        await held;
        return t.deps.reference.listDatasets();
      },
    };
    const app = createApp({ ...t.deps, reference: slow, limits: { timeBudgetMs: 30 } });
    try {
      const pending = callWith(app, '/api/datasets');
      // While it waits, the app answers others (health does no I/O, so it fits any budget).
      expect((await callWith(app, '/api/health')).status).toBe(200);
      const res = await pending;
      expect(res.status).toBe(503);
      expect(res.json).toEqual({
        error: 'time_budget_exceeded',
        detail: expect.stringContaining('time budget of 30 ms (REQUEST_TIME_BUDGET_MS)'),
      });
    } finally {
      release();
    }
  });
});

/** The repository's methods bound to it, so single ones can be replaced in a spread. */
function bind(repo: ReferenceRepository): ReferenceRepository {
  const proto = Object.getPrototypeOf(repo) as object;
  const names = Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor' && typeof (repo as never)[n] === 'function');
  return Object.fromEntries(names.map((n) => [n, ((repo as never)[n] as (...a: unknown[]) => unknown).bind(repo)])) as unknown as ReferenceRepository;
}
