import { describe, expect, it, vi } from 'vitest';
import type { BBox } from '@safer-places/schemas';
import { createApiClient } from '../src/api/client';
import { bboxParam, cameraQueryOf, layerQuery } from '../src/features/map/useMapLayers';
import { cameraCoverageKey } from '../src/features/map/useCoverage';

const view: BBox = [-1.234567, 53.1, -1.1, 53.2345678];

describe('what each map layer is read with', () => {
  it('reads the LSOA layer for the dataset and place, the organisation layers unscoped', () => {
    expect(layerQuery('lsoas', { datasetId: 'demo', scopeKey: 'district:E07000174' })).toEqual({ dataset: 'demo', scope: 'district:E07000174' });
    expect(layerQuery('lsoas', { datasetId: null, scopeKey: null })).toEqual({});
    expect(layerQuery('cameras', { datasetId: 'demo', scopeKey: 'district:E07000174' })).toEqual({});
    expect(layerQuery('help-points', { datasetId: 'demo', scopeKey: 'study-area' })).toEqual({});
  });

  it('reads a layer the server cut short for the area in view, to five decimals', () => {
    expect(bboxParam(view)).toBe('-1.23457,53.10000,-1.10000,53.23457');
    expect(layerQuery('cameras', { datasetId: 'demo', scopeKey: null, bbox: view })).toEqual({ bbox: '-1.23457,53.10000,-1.10000,53.23457' });
    expect(layerQuery('lsoas', { datasetId: 'demo', scopeKey: 'study-area', bbox: view })).toEqual({ dataset: 'demo', scope: 'study-area', bbox: bboxParam(view) });
  });
});

describe('camera coverage follows the cameras layer on the map', () => {
  it('asks for the coverage of the cameras the layer was read for: the whole layer, or the area in view', () => {
    const whole = cameraQueryOf(layerQuery('cameras', { datasetId: 'demo', scopeKey: 'district:E07000174' }));
    const inView = cameraQueryOf(layerQuery('cameras', { datasetId: 'demo', scopeKey: 'district:E07000174', bbox: view }));
    expect(whole).toEqual({});
    expect(inView).toEqual({ bbox: bboxParam(view) });
    // Nothing but the area in view is passed on (the coverage route knows no place).
    expect(cameraQueryOf({ dataset: 'demo', scope: 'study-area' })).toEqual({});
  });

  it('asks again when the cameras layer is re-read for another area, and not when the same query is rebuilt', () => {
    const whole = cameraCoverageKey(true, 1, 'demo', cameraQueryOf(layerQuery('cameras', { datasetId: 'demo', scopeKey: null })));
    const inView = cameraCoverageKey(true, 2, 'demo', cameraQueryOf(layerQuery('cameras', { datasetId: 'demo', scopeKey: null, bbox: view })));
    const elsewhere: BBox = [-1.3, 53.0, -1.2, 53.1];
    const inViewElsewhere = cameraCoverageKey(true, 2, 'demo', cameraQueryOf(layerQuery('cameras', { datasetId: 'demo', scopeKey: null, bbox: elsewhere })));
    expect(new Set([whole, inView, inViewElsewhere]).size).toBe(3);
    expect(cameraCoverageKey(true, 2, 'demo', { bbox: bboxParam(view) })).toBe(inView);
    // Still nothing to ask for while coverage is off.
    expect(cameraCoverageKey(false, 2, 'demo', { bbox: bboxParam(view) })).toBeNull();
  });

  it('sends the cameras layer area with the coverage request', async () => {
    const body = { type: 'FeatureCollection', layer: 'cameras', truncated: false, features: [] };
    const f = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify(body), { status: 200 }));
    const api = createApiClient({ getToken: () => 't', fetch: f });
    await api.layer('cameras', layerQuery('cameras', { datasetId: 'demo', scopeKey: null, bbox: view }));
    await api.cameraCoverage(cameraQueryOf(layerQuery('cameras', { datasetId: 'demo', scopeKey: null, bbox: view })));
    const [layerUrl, coverageUrl] = f.mock.calls.map((c) => new URL(c[0], 'http://x'));
    expect(layerUrl!.pathname).toBe('/api/layers/cameras');
    expect(coverageUrl!.pathname).toBe('/api/layers/cameras/coverage');
    expect(coverageUrl!.searchParams.get('bbox')).toBe(layerUrl!.searchParams.get('bbox'));
    expect(coverageUrl!.searchParams.get('bbox')).toBe(bboxParam(view));
  });
});
