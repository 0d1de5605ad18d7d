import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it, vi } from 'vitest';
import { PMTILES_SOURCE, checkArchive, configuredBaseMap, escapeHtml, overlayPlacement, pmtilesStyle, resolveBaseMap, withoutSpriteIcons } from '../src/map/basemap';
import { buildOverlay } from '../src/map/layers';
import { firstLabelLayerId, offlineStyle } from '../src/map/style';
import type { LayerSpecification } from '../src/map/types';

const ORIGIN = 'http://localhost:3000';
const archiveBytes = (head: string) => new TextEncoder().encode(head.padEnd(127, '\0')).buffer;
/** A fetch that answers a style (json) and an archive's first bytes (arrayBuffer). */
const answering = (status: number, body: { json?: unknown; bytes?: ArrayBuffer }) =>
  vi.fn(async (_url: string, _init?: { signal?: AbortSignal; headers?: Record<string, string> }) => ({
    ok: status >= 200 && status < 300,
    status,
    json: async () => body.json,
    arrayBuffer: async () => body.bytes ?? new ArrayBuffer(0),
  }));

describe('which base map', () => {
  it('the server’s basemap, or for an older server the style URL it names, or none', () => {
    const pm = { kind: 'pmtiles', url: '/basemap/a.pmtiles', attribution: '© OpenStreetMap' } as const;
    expect(configuredBaseMap(pm, 'https://x.example/s.json')).toBe(pm);
    expect(configuredBaseMap(undefined, 'https://x.example/s.json')).toEqual({ kind: 'style', url: 'https://x.example/s.json' });
    expect(configuredBaseMap(undefined, null)).toEqual({ kind: 'none' });
  });
});

describe('the PMTiles style', () => {
  const style = pmtilesStyle({ url: '/basemap/notts.pmtiles', attribution: '© OpenStreetMap <contributors> & OS' }, ORIGIN);

  it('reads the archive from the page’s origin through the pmtiles protocol, attribution as escaped text', () => {
    expect(style.sources[PMTILES_SOURCE]).toEqual({
      type: 'vector',
      url: 'pmtiles://http://localhost:3000/basemap/notts.pmtiles',
      attribution: '© OpenStreetMap &#60;contributors&#62; &#38; OS',
    });
    expect(pmtilesStyle({ url: 'https://cdn.example/x.pmtiles', attribution: 'a' }, ORIGIN).sources[PMTILES_SOURCE]).toMatchObject({ url: 'pmtiles://https://cdn.example/x.pmtiles' });
  });

  it('is a valid MapLibre style with streets, water, boundaries and place and road names, and no glyph server or sprite', () => {
    expect(validateStyleMin(style as never)).toEqual([]);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    const ids = style.layers.map((l) => l.id);
    for (const id of ['background', 'earth', 'water', 'roads_major', 'roads_minor', 'boundaries', 'places_locality', 'roads_labels_major', 'roads_labels_minor']) expect(ids).toContain(id);
    const sourceLayers = new Set(style.layers.map((l) => ('source-layer' in l ? l['source-layer'] : undefined)));
    for (const name of ['earth', 'water', 'roads', 'boundaries', 'places', 'landuse']) expect(sourceLayers.has(name), name).toBe(true);
    // No sprite: no layer asks for an icon.
    expect(style.layers.filter((l) => l.type === 'symbol' && l.layout && 'icon-image' in l.layout)).toEqual([]);
    // Light colours: the shading on top must stay readable.
    expect(style.layers[0]).toMatchObject({ id: 'background', type: 'background' });
    expect(firstLabelLayerId(style)).toBe(style.layers.find((l) => l.type === 'symbol')!.id);
  });

  it('keeps the text of labels with icons and leaves icon-only layers out', () => {
    const layers = [
      { id: 'fill', type: 'fill', source: 's' },
      { id: 'town', type: 'symbol', source: 's', layout: { 'icon-image': 'dot', 'text-field': ['get', 'name'] } },
      { id: 'arrows', type: 'symbol', source: 's', layout: { 'icon-image': 'arrow' } },
      { id: 'names', type: 'symbol', source: 's', layout: { 'text-field': 'x' } },
    ] as LayerSpecification[];
    expect(withoutSpriteIcons(layers)).toEqual([layers[0], { id: 'town', type: 'symbol', source: 's', layout: { 'text-field': ['get', 'name'] } }, layers[3]]);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});

describe('where the app’s layers go', () => {
  const overlay = buildOverlay({
    visible: { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true },
    coverage: true,
    choropleth: { classByCode: new Map([['E01000001', 0]]), colours: ['#fef0d9', '#b30000'] },
    lsoaTileUrl: 'http://localhost/api/tiles/{z}/{x}/{y}',
    selected: null,
    draft: null,
  });

  it('shading and outlines under the base map’s labels, points and the app’s own symbols on top, each group in order', () => {
    const placed = overlayPlacement(overlay.layers, 'roads_labels_minor');
    expect(placed.map((p) => p.layer.id)).toHaveLength(overlay.layers.length);
    const firstOnTop = placed.findIndex((p) => p.beforeId === undefined);
    expect(placed.slice(0, firstOnTop).every((p) => p.beforeId === 'roads_labels_minor' && p.layer.type !== 'symbol' && p.layer.type !== 'circle')).toBe(true);
    expect(placed.slice(firstOnTop).every((p) => p.beforeId === undefined && (p.layer.type === 'symbol' || p.layer.type === 'circle'))).toBe(true);
    expect(placed.find((p) => p.layer.id === 'lsoa-fill')?.beforeId).toBe('roads_labels_minor');
    const order = (ids: string[]) => ids.filter((id) => overlay.layers.some((l) => l.id === id));
    expect(order(placed.map((p) => p.layer.id)).filter((id) => placed.find((p) => p.layer.id === id)!.beforeId)).toEqual(
      overlay.layers.filter((l) => l.type !== 'symbol' && l.type !== 'circle').map((l) => l.id),
    );
  });

  it('with no base map labels (offline), everything on top in the overlay’s own order', () => {
    expect(overlayPlacement(overlay.layers, undefined)).toEqual(overlay.layers.map((layer) => ({ layer })));
  });
});

describe('resolving the base map', () => {
  it('none: the offline style, without asking anyone', async () => {
    const f = answering(200, {});
    expect(await resolveBaseMap({ kind: 'none' }, f, { pageOrigin: ORIGIN })).toMatchObject({ kind: 'offline', basemap: 'none', style: offlineStyle() });
    expect(f).not.toHaveBeenCalled();
  });

  it('a style: fetched, with its first label layer; the offline style when it cannot be had', async () => {
    const remote = { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background' }, { id: 'road', type: 'line', source: 'x' }, { id: 'road-name', type: 'symbol', source: 'x' }] };
    expect(await resolveBaseMap({ kind: 'style', url: 'https://x.example/s.json' }, answering(200, { json: remote }), { pageOrigin: ORIGIN })).toMatchObject({
      kind: 'remote',
      basemap: 'style',
      labelLayerId: 'road-name',
      style: remote,
    });
    expect(await resolveBaseMap({ kind: 'style', url: 'https://x.example/s.json' }, answering(503, {}), { pageOrigin: ORIGIN })).toMatchObject({ kind: 'offline', basemap: 'style', reason: 'base map style answered HTTP 503' });
  });

  it('an archive: checked with a range request for its header first, the offline style if it is missing or not PMTiles', async () => {
    const ok = answering(206, { bytes: archiveBytes('PMTiles\u0003') });
    const r = await resolveBaseMap({ kind: 'pmtiles', url: '/basemap/a.pmtiles', attribution: 'OSM' }, ok, { pageOrigin: ORIGIN });
    expect(r).toMatchObject({ kind: 'remote', basemap: 'pmtiles', labelLayerId: firstLabelLayerId(r.style) });
    expect(r.labelLayerId).toBeDefined();
    expect(ok).toHaveBeenCalledWith('http://localhost:3000/basemap/a.pmtiles', expect.objectContaining({ headers: { range: 'bytes=0-126' } }));
    const missing = await resolveBaseMap({ kind: 'pmtiles', url: '/basemap/a.pmtiles', attribution: 'OSM' }, answering(404, {}), { pageOrigin: ORIGIN });
    expect(missing).toMatchObject({ kind: 'offline', reason: 'base map archive answered HTTP 404', style: offlineStyle() });
    expect(await checkArchive('http://x/a.pmtiles', answering(200, { bytes: archiveBytes('<!doctype html>') }))).toBe('base map archive is not a PMTiles file');
  });

  it('an archive that never answers: given up after the timeout', async () => {
    const hang = vi.fn((_url: string, init: { signal: AbortSignal }) => new Promise<never>((_, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted')))));
    expect(await checkArchive('http://x/a.pmtiles', hang, 30)).toBe('base map archive unavailable: timed out after 30 ms');
  });
});
