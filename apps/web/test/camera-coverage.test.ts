import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../src/api/client';
import { cameraCoverageKey } from '../src/features/map/useCoverage';

describe('camera coverage on the map', () => {
  it('asks for nothing while coverage is off or the cameras layer is not in', () => {
    expect(cameraCoverageKey(false, 1, 'demo')).toBeNull();
    expect(cameraCoverageKey(true, 0, 'demo')).toBeNull();
    expect(cameraCoverageKey(true, 1, 'demo')).not.toBeNull();
  });

  it('asks again when the cameras layer is read again, the dataset changes or the layer query does', () => {
    const key = cameraCoverageKey(true, 1, 'demo');
    expect(cameraCoverageKey(true, 1, 'demo')).toBe(key);
    expect(cameraCoverageKey(true, 2, 'demo')).not.toBe(key);
    expect(cameraCoverageKey(true, 1, 'other')).not.toBe(key);
    expect(cameraCoverageKey(true, 1, 'demo', { bbox: '-1.2,53,-1.1,53.2' })).not.toBe(key);
    expect(cameraCoverageKey(true, 1, 'demo', { limit: 10 })).not.toBe(key);
  });

  it('reads the coverage route with the cameras layer query', async () => {
    const body = { type: 'FeatureCollection', layer: 'cameras', truncated: false, features: [] };
    const f = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify(body), { status: 200 }));
    const api = createApiClient({ getToken: () => 't', fetch: f });
    await expect(api.cameraCoverage()).resolves.toEqual(body);
    await api.cameraCoverage({ dataset: 'demo', bbox: '-1.2,53,-1.1,53.2', limit: 10 });
    expect(f.mock.calls.map((c) => c[0])).toEqual(['/api/layers/cameras/coverage', '/api/layers/cameras/coverage?dataset=demo&bbox=-1.2%2C53%2C-1.1%2C53.2&limit=10']);
  });

  it('asks the server for the views of cameras being placed', async () => {
    const f = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify({ views: [] }), { status: 200 }));
    const api = createApiClient({ getToken: () => 't', fetch: f });
    const camera = { location: { type: 'Point' as const, coordinates: [-1.15, 53] as [number, number] }, type: 'ptz' as const };
    await api.cameraViews({ cameras: [camera] });
    expect(f.mock.calls[0]![0]).toBe('/api/planning/camera-views');
    expect(f.mock.calls[0]![1]!.method).toBe('POST');
    expect(JSON.parse(String(f.mock.calls[0]![1]!.body))).toEqual({ cameras: [camera] });
  });
});
