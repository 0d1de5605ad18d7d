import { describe, expect, it, vi } from 'vitest';
import { ApiError, buildQuery, createApiClient, describeError } from '../src/api/client';

function fakeFetch(status: number, body: unknown) {
  return vi.fn(async (_url: string, _init?: RequestInit) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );
}

describe('buildQuery', () => {
  it('skips empty values and encodes the rest', () => {
    expect(buildQuery({ dataset: 'demo', bbox: '-1.2,53,-1.1,53.2', limit: undefined, to: '' })).toBe('?dataset=demo&bbox=-1.2%2C53%2C-1.1%2C53.2');
    expect(buildQuery({})).toBe('');
  });
});

describe('api client', () => {
  it('sends the bearer token on private calls but not on config', async () => {
    const f = fakeFetch(200, { mapStyleUrl: null, devSignIn: true });
    const api = createApiClient({ getToken: () => 'tok', fetch: f });
    await api.config();
    expect((f.mock.calls[0]![1]!.headers as Record<string, string>).authorization).toBeUndefined();
    await api.me();
    expect((f.mock.calls[1]![1]!.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('sends If-Match with the quoted version on updates and deletes', async () => {
    const f = fakeFetch(204, undefined);
    const api = createApiClient({ getToken: () => 't', fetch: f });
    await api.deleteAsset('cameras', 'cam 1', 4);
    expect(f.mock.calls[0]![0]).toBe('/api/cameras/cam%201');
    expect(f.mock.calls[0]![1]!.method).toBe('DELETE');
    expect((f.mock.calls[0]![1]!.headers as Record<string, string>)['if-match']).toBe('"4"');
  });

  it('puts layer and stats parameters in the query string', async () => {
    const f = fakeFetch(200, { type: 'FeatureCollection', features: [] });
    const api = createApiClient({ getToken: () => 't', fetch: f });
    await api.layer('lsoas', { dataset: 'demo' });
    await api.stats({ dataset: 'demo', category: 'neighbourhood-crime', from: '2024-01', to: '2024-12' });
    expect(f.mock.calls.map((c) => c[0])).toEqual([
      '/api/layers/lsoas?dataset=demo',
      '/api/lsoas/stats?dataset=demo&category=neighbourhood-crime&from=2024-01&to=2024-12',
    ]);
  });

  it('turns {error, detail} into an ApiError and reports 401s', async () => {
    const onUnauthorized = vi.fn();
    const api = createApiClient({ getToken: () => 'old', fetch: fakeFetch(401, { error: 'unauthorized', detail: 'token expired' }), onUnauthorized });
    const err = await api.me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: 'unauthorized', detail: 'token expired' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('explains a version conflict in plain words', async () => {
    const api = createApiClient({ getToken: () => 't', fetch: fakeFetch(409, { error: 'version_conflict', detail: 'stale' }) });
    const err = await api.updateAsset('cameras', 'c1', 1, { name: 'x', type: 'fixed', status: 'live', location: { type: 'Point', coordinates: [-1, 53] } }).catch((e: unknown) => e);
    expect(describeError(err)).toMatch(/^Someone else changed this/);
  });

  it('reports an unreachable server as status 0', async () => {
    const api = createApiClient({ getToken: () => 't', fetch: vi.fn(async () => { throw new TypeError('Failed to fetch'); }) });
    const err = await api.datasets().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: 'network_error' });
    expect(describeError(err)).toMatch(/could not be reached/);
  });

  it("gives the map the LSOA tiles' absolute URL template and the current token for those tiles only", () => {
    let token: string | null = 'tok-1';
    const api = createApiClient({ getToken: () => token, baseUrl: 'https://sp.example.org/', fetch: fakeFetch(200, {}) });
    const tiles = api.lsoaTiles('open data');
    expect(tiles.url).toBe('https://sp.example.org/api/tiles/lsoas/{z}/{x}/{y}.mvt?dataset=open%20data');
    expect(tiles.owns('https://sp.example.org/api/tiles/lsoas/9/251/165.mvt?dataset=open%20data')).toBe(true);
    expect(tiles.owns('https://tiles.example.net/base/9/251/165.pbf')).toBe(false);
    expect(tiles.headers()).toEqual({ authorization: 'Bearer tok-1' });
    token = 'tok-2'; // a renewed token is used for the next tile at once
    expect(tiles.headers()).toEqual({ authorization: 'Bearer tok-2' });
    token = null;
    expect(tiles.headers()).toEqual({});
  });
});
