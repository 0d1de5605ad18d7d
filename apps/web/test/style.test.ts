import { describe, expect, it, vi } from 'vitest';
import { offlineStyle, resolveBaseStyle } from '../src/map/style';

const remote = { version: 8, sources: { osm: { type: 'vector', url: 'https://tiles.example/x.json' } }, layers: [{ id: 'bg', type: 'background' }] };
const ok = (body: unknown) => vi.fn(async () => ({ ok: true, status: 200, json: async () => body }));

describe('resolveBaseStyle', () => {
  it('uses the offline style when no base map is configured', async () => {
    const fetchImpl = ok(remote);
    const r = await resolveBaseStyle(null, fetchImpl);
    expect(r.kind).toBe('offline');
    expect(r.style).toEqual(offlineStyle());
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('uses a reachable remote style', async () => {
    const r = await resolveBaseStyle('https://maps.example/style.json', ok(remote));
    expect(r.kind).toBe('remote');
    expect(r.style).toEqual(remote);
  });

  it('falls back when the request fails', async () => {
    const r = await resolveBaseStyle('https://maps.example/style.json', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    expect(r).toMatchObject({ kind: 'offline', reason: 'base map style unavailable: Failed to fetch' });
    expect(r.style.sources).toEqual({});
  });

  it('falls back on an HTTP error', async () => {
    const r = await resolveBaseStyle('https://maps.example/style.json', vi.fn(async () => ({ ok: false, status: 404, json: async () => ({}) })));
    expect(r).toMatchObject({ kind: 'offline', reason: 'base map style answered HTTP 404' });
  });

  it('falls back when the JSON is not a v8 style', async () => {
    const r = await resolveBaseStyle('https://maps.example/style.json', ok({ version: 7, layers: [] }));
    expect(r).toMatchObject({ kind: 'offline', reason: 'base map style is not a MapLibre v8 style' });
  });

  it('gives up after the timeout and aborts the request', async () => {
    let signal: AbortSignal | undefined;
    const hang = vi.fn((_url: string, init?: { signal?: AbortSignal }) => {
      signal = init?.signal;
      return new Promise<never>(() => undefined);
    });
    const r = await resolveBaseStyle('https://slow.example/style.json', hang, 50);
    expect(r).toMatchObject({ kind: 'offline', reason: 'base map style unavailable: timed out after 50 ms' });
    expect(signal?.aborted).toBe(true);
  });
});
