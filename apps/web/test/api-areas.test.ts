import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from '../src/api/client';

const geometry = { type: 'Polygon' as const, coordinates: [[[1, 54], [1.01, 54], [1.01, 54.01], [1, 54]]] as [number, number][][] };

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return vi.fn(async (_url: string, _init?: RequestInit) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers }));
}

describe('area calls', () => {
  it('asks a saved area for its figures with the categories, months and dataset on the query string', async () => {
    const f = fakeFetch(200, { total: 3 });
    const api = createApiClient({ getToken: () => 't', fetch: f });
    await api.areaStats('a 1', { categories: ['burglary', 'robbery'], from: '2024-01', to: '2024-12', dataset: 'demo' });
    expect(f.mock.calls[0]![0]).toBe('/api/areas/a%201/stats?categories=burglary%2Crobbery&from=2024-01&to=2024-12&dataset=demo');
    await api.areaStats('a1', {});
    expect(f.mock.calls[1]![0]).toBe('/api/areas/a1/stats');
  });

  it('posts an unsaved drawing for analysis, leaving out what is not chosen', async () => {
    const f = fakeFetch(200, { total: 3 });
    const api = createApiClient({ getToken: () => 't', fetch: f });
    await api.analyseArea(geometry, { categories: ['all-crime'], from: '2024-01', to: '2024-12' });
    const [url, init] = f.mock.calls[0]!;
    expect(url).toBe('/api/areas/analyse');
    expect(init!.method).toBe('POST');
    expect(JSON.parse(String(init!.body))).toEqual({ geometry, categories: ['all-crime'], from: '2024-01', to: '2024-12' });
    await api.analyseArea(geometry, {});
    expect(JSON.parse(String(f.mock.calls[1]![1]!.body))).toEqual({ geometry });
  });

  it('keeps the crossing point of a self-crossing shape on the error', async () => {
    const f = fakeFetch(422, { error: 'unprocessable', detail: "the polygon's edges cross each other at [1.005, 54.005]", point: [1.005, 54.005] });
    const api = createApiClient({ getToken: () => 't', fetch: f });
    const err = await api.analyseArea(geometry, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).point).toEqual([1.005, 54.005]);
    const plain = await createApiClient({ getToken: () => 't', fetch: fakeFetch(400, { error: 'x', detail: 'y' }) }).analyseArea(geometry, {}).catch((e: unknown) => e);
    expect((plain as ApiError).point).toBeNull();
  });

  it('downloads exports with the bearer token and hands back the body and Content-Disposition', async () => {
    const f = fakeFetch(200, 'a,b\r\n1,2\r\n', { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="x-statistics.csv"' });
    const api = createApiClient({ getToken: () => 'tok', fetch: f });
    const file = await api.downloadAreaExport('a1', 'csv', { categories: ['all-crime'], from: '2024-01', to: '2024-12' });
    expect(f.mock.calls[0]![0]).toBe('/api/areas/a1/export.csv?categories=all-crime&from=2024-01&to=2024-12');
    expect((f.mock.calls[0]![1]!.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(file.disposition).toBe('attachment; filename="x-statistics.csv"');
    expect(await file.blob.text()).toBe('a,b\r\n1,2\r\n');
    await api.downloadAreaExport('a1', 'geojson', { categories: ['burglary'] });
    expect(f.mock.calls[1]![0]).toBe('/api/areas/a1/export.geojson');
    await api.downloadStrategicCsv({ groupBy: 'csp', scope: 'district:E07000174', dataset: 'demo' });
    expect(f.mock.calls[2]![0]).toBe('/api/strategic-assessment?dataset=demo&scope=district%3AE07000174&groupBy=csp&format=csv');
  });

  it('turns a refused download into an ApiError and reports a 401', async () => {
    const onUnauthorized = vi.fn();
    const api = createApiClient({ getToken: () => 't', fetch: fakeFetch(401, { error: 'unauthorized', detail: 'expired' }), onUnauthorized });
    const err = await api.downloadAreaExport('a1', 'csv').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, detail: 'expired' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('reads the strategic assessment for a place, grouped by district (groupBy), the place as scope', async () => {
    const f = fakeFetch(200, { tables: [], groupBy: 'district', to: '2024-12', dataset: { id: 'demo', name: 'Demo', synthetic: true } });
    const api = createApiClient({ getToken: () => 't', fetch: f });
    await api.strategic({ groupBy: 'district', scope: 'csp:E22000366', dataset: 'demo' });
    expect(f.mock.calls[0]![0]).toBe('/api/strategic-assessment?dataset=demo&scope=csp%3AE22000366&groupBy=district');
  });
});
