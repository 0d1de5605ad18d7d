import { describe, expect, it } from 'vitest';
import { expression, latest, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { LSOA_TILE_LAYER, LSOA_TILE_MAX_ZOOM, LSOA_TILE_MIN_ZOOM, type FeatureCollection } from '@safer-places/schemas';
import {
  LAYER_IDS,
  LAYER_ORDER,
  MAP_LAYERS_OF,
  PRIMARY_LAYER_ID,
  buildOverlay,
  cameraLayers,
  choroplethFillColor,
  composeStyle,
  coverageLayers,
  draftLayers,
  helpPointLayers,
  layerVisibilities,
  lsoaFilters,
  lsoaLayers,
  lsoaScopeFilter,
  lsoaVectorSource,
  pspoLayers,
  saferStreetsLayers,
  selectionFilters,
  type OverlayState,
} from '../src/map/layers';
import { offlineStyle } from '../src/map/style';
import { allMapImages, PSPO_HATCH_ID } from '../src/map/icons';
import { CAMERA_SYMBOLS, NO_DATA_COLOUR, SEQUENTIAL_5 } from '../src/map/palette';
import type { LayerSpecification } from '../src/map/types';

const ALL_ON = { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true };

/** Evaluates a data-driven paint/layout value for one feature, the way MapLibre would. */
function evaluate(value: unknown, spec: unknown, properties: Record<string, unknown>): unknown {
  const parsed = expression.createExpression(value, spec as never);
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
  return parsed.value.evaluate({ zoom: 12 }, { type: 'Point', properties } as never);
}
const hex = (c: unknown) => {
  if (typeof c === 'string') return c.toLowerCase();
  const { r, g, b } = c as { r: number; g: number; b: number };
  return `#${[r, g, b].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;
};
const layer = (layers: LayerSpecification[], id: string) => {
  const l = layers.find((x) => x.id === id);
  if (!l) throw new Error(`no layer ${id}`);
  return l as LayerSpecification & { paint?: Record<string, unknown>; layout?: Record<string, unknown>; filter?: unknown };
};

const choropleth = { classByCode: new Map([['E01000001', 0], ['E01000002', 4], ['E01000003', 4]]), colours: [...SEQUENTIAL_5] };

const TILES = 'http://localhost:5173/api/tiles/lsoas/{z}/{x}/{y}.mvt?dataset=demo';

/** Evaluates a paint value for one feature with a feature state, the way MapLibre would. */
function evaluateWithState(value: unknown, spec: unknown, properties: Record<string, unknown>, state: Record<string, unknown>): unknown {
  const parsed = expression.createExpression(value, spec as never);
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
  return parsed.value.evaluate({ zoom: 12 }, { type: 'Polygon', properties } as never, state as never);
}
/** Evaluates a layer filter for one feature. */
function passes(filter: unknown, properties: Record<string, unknown>): boolean {
  const f = expression.createExpression(filter, latest.filter as never);
  if (f.result !== 'success') throw new Error(JSON.stringify(f.value));
  return f.value.evaluate({ zoom: 12 }, { type: 'Polygon', properties } as never) as boolean;
}

describe('LSOA choropleth from vector tiles', () => {
  it('has a fill, an outline and a selected outline on the LSOA tiles, the code promoted to the feature id', () => {
    const b = lsoaLayers({ visible: true, choropleth, selectedCode: null, tileUrl: TILES, scopeCodes: null });
    expect(b.sources).toEqual([{ id: 'sp-lsoas', source: { type: 'vector', tiles: [TILES], minzoom: LSOA_TILE_MIN_ZOOM, maxzoom: LSOA_TILE_MAX_ZOOM, promoteId: 'code' } }]);
    expect(b.layers.map((l) => [l.id, l.type])).toEqual([['lsoa-fill', 'fill'], ['lsoa-outline', 'line'], ['lsoa-selected', 'line']]);
    for (const l of b.layers) expect(l).toMatchObject({ source: 'sp-lsoas', 'source-layer': LSOA_TILE_LAYER });
  });

  it('draws LSOA outlines from zoom 8 only (under it they blur into the fill); the fill and the selection at every zoom', () => {
    const b = lsoaLayers({ visible: true, choropleth, selectedCode: 'E01000001', tileUrl: TILES, scopeCodes: null });
    expect(layer(b.layers, 'lsoa-outline').minzoom).toBe(8);
    expect(layer(b.layers, 'lsoa-fill').minzoom).toBeUndefined();
    expect(layer(b.layers, 'lsoa-selected').minzoom).toBeUndefined();
  });

  it('has no tiles until a dataset is known', () => {
    expect(lsoaVectorSource(null)).toMatchObject({ type: 'vector', tiles: [] });
  });

  it('colours each LSOA by the class in its feature state; no state or no data in the no-data colour', () => {
    const fill = layer(lsoaLayers({ visible: true, choropleth, selectedCode: null, tileUrl: TILES }).layers, 'lsoa-fill').paint!['fill-color'];
    expect(JSON.stringify(fill)).toContain('feature-state');
    const spec = latest.paint_fill['fill-color'];
    const code = { code: 'E01000001' };
    expect(hex(evaluateWithState(fill, spec, code, { class: 0, value: 3, inScope: true }))).toBe('#ffffb2');
    expect(hex(evaluateWithState(fill, spec, code, { class: 4, value: 90, inScope: true }))).toBe(SEQUENTIAL_5[4]!.toLowerCase());
    expect(hex(evaluateWithState(fill, spec, code, { class: -1, value: null, inScope: true }))).toBe(NO_DATA_COLOUR.toLowerCase());
    expect(hex(evaluateWithState(fill, spec, code, {}))).toBe(NO_DATA_COLOUR.toLowerCase());
  });

  it('is one small expression however many LSOAs are classed (the classes live in the feature states)', () => {
    const many = new Map(Array.from({ length: 33_755 }, (_, i) => [`E01${String(i).padStart(6, '0')}`, i % 5] as [string, number]));
    expect(JSON.stringify(choroplethFillColor({ classByCode: many, colours: [...SEQUENTIAL_5] })).length).toBeLessThan(300);
  });

  it('is one plain colour when nothing is classed (the shading turned plain)', () => {
    expect(choroplethFillColor({ classByCode: new Map(), colours: [] })).toBe(NO_DATA_COLOUR);
    expect(choroplethFillColor({ classByCode: new Map([['a', 0]]), colours: [], noDataColour: '#ffffff' })).toBe('#ffffff');
  });

  it("draws and outlines only the scope's LSOAs: every one for the whole dataset, none before the scope is known", () => {
    const scoped = lsoaLayers({ visible: true, choropleth, selectedCode: null, tileUrl: TILES, scopeCodes: ['E01000002', 'E01000001'] });
    for (const id of ['lsoa-fill', 'lsoa-outline']) {
      const f = layer(scoped.layers, id).filter;
      expect(passes(f, { code: 'E01000001' })).toBe(true);
      expect(passes(f, { code: 'E01000002' })).toBe(true);
      expect(passes(f, { code: 'E01009999' })).toBe(false);
    }
    const all = lsoaLayers({ visible: true, choropleth, selectedCode: null, tileUrl: TILES, scopeCodes: null });
    expect(layer(all.layers, 'lsoa-fill').filter).toBeUndefined();
    const none = lsoaLayers({ visible: true, choropleth, selectedCode: null, tileUrl: TILES });
    expect(passes(layer(none.layers, 'lsoa-fill').filter, { code: 'E01000001' })).toBe(false);
    expect(lsoaScopeFilter([])).toEqual(['==', ['get', 'code'], '']);
  });

  it('highlights the selected LSOA only while it is in the scope', () => {
    const f = lsoaFilters(['E01000001', 'E01000002'], 'E01000002');
    expect(passes(f.get('lsoa-selected'), { code: 'E01000002' })).toBe(true);
    expect(passes(f.get('lsoa-selected'), { code: 'E01000001' })).toBe(false);
    expect(passes(lsoaFilters(['E01000001'], 'E01000002').get('lsoa-selected'), { code: 'E01000002' })).toBe(false);
    expect(lsoaFilters(null, 'E01000002').get('lsoa-selected')).toEqual(['==', ['get', 'code'], 'E01000002']);
    expect(lsoaFilters(null, null).get('lsoa-fill')).toBeNull();
  });

  it('keeps the scope filter a hash look-up for a national scope', () => {
    const codes = Array.from({ length: 33_755 }, (_, i) => `E01${String(i).padStart(6, '0')}`);
    const f = lsoaScopeFilter(codes) as unknown[];
    expect(f[0]).toBe('match');
    expect(passes(f, { code: 'E01033754' })).toBe(true);
    expect(passes(f, { code: 'E01033755' })).toBe(false);
  });

  it('hides all three layers when the LSOA layer is off', () => {
    const b = lsoaLayers({ visible: false, choropleth, selectedCode: null, tileUrl: TILES });
    expect(b.layers.every((l) => l.layout?.visibility === 'none')).toBe(true);
  });
});

describe('cameras', () => {
  const b = cameraLayers({ visible: true, selectedId: 'cam-1' });
  const symbol = layer(b.layers, 'cameras-symbol');
  it('draws each type with its own runtime icon (shape + colour)', () => {
    const spec = latest.layout_symbol['icon-image'];
    const icon = (type: string) => String(evaluate(symbol.layout!['icon-image'], spec, { type }));
    expect(icon('fixed')).toBe('sp-camera-fixed');
    expect(icon('ptz')).toBe('sp-camera-ptz');
    expect(icon('redeployable')).toBe('sp-camera-redeployable');
    expect(icon('anpr')).toBe('sp-camera-anpr');
    expect(icon('mystery')).toBe('sp-camera-fixed');
  });
  it('fades decommissioned and planned cameras', () => {
    const spec = latest.paint_symbol['icon-opacity'];
    expect(evaluate(symbol.paint!['icon-opacity'], spec, { status: 'live' })).toBe(1);
    expect(evaluate(symbol.paint!['icon-opacity'], spec, { status: 'planned' })).toBe(0.75);
    expect(evaluate(symbol.paint!['icon-opacity'], spec, { status: 'decommissioned' })).toBe(0.4);
  });
  it('never needs glyphs: icons only, overlapping allowed', () => {
    expect(symbol.layout!['text-field']).toBeUndefined();
    expect(symbol.layout!['icon-allow-overlap']).toBe(true);
  });
  it('rings the selected camera', () => {
    expect(layer(b.layers, 'cameras-selected')).toMatchObject({ type: 'circle', filter: ['==', ['get', 'id'], 'cam-1'] });
  });
  it('gives every type a different shape, so colour is never the only cue', () => {
    const shapes = Object.values(CAMERA_SYMBOLS).map((s) => s.shape);
    expect(new Set(shapes).size).toBe(4);
    const colours = Object.values(CAMERA_SYMBOLS).map((s) => s.colour);
    expect(new Set(colours).size).toBe(4);
  });
});

describe('coverage circles, help points, PSPO zones and Safer Streets areas', () => {
  it('colours coverage by camera type, semi-transparent with a dashed edge', () => {
    const b = coverageLayers({ visible: true });
    const fill = layer(b.layers, 'coverage-fill');
    expect(hex(evaluate(fill.paint!['fill-color'], latest.paint_fill['fill-color'], { type: 'ptz' }))).toBe(CAMERA_SYMBOLS.ptz.colour.toLowerCase());
    expect(fill.paint!['fill-opacity']).toBeLessThan(0.3);
    expect(layer(b.layers, 'coverage-outline').paint!['line-dasharray']).toEqual([1, 1.5]);
  });

  it('shows planned help points with the hollow icon', () => {
    const sym = layer(helpPointLayers({ visible: true, selectedId: null }).layers, 'help-points-symbol');
    const spec = latest.layout_symbol['icon-image'];
    expect(String(evaluate(sym.layout!['icon-image'], spec, { status: 'planned' }))).toBe('sp-help-planned');
    expect(String(evaluate(sym.layout!['icon-image'], spec, { status: 'live' }))).toBe('sp-help-live');
  });

  it('hatches PSPO zones with the runtime pattern and dashes their edge', () => {
    const b = pspoLayers({ visible: true, selectedId: null });
    expect(layer(b.layers, 'pspo-fill').paint!['fill-pattern']).toBe(PSPO_HATCH_ID);
    expect(layer(b.layers, 'pspo-outline').paint!['line-dasharray']).toEqual([3, 2]);
  });

  it('draws Safer Streets areas as a light wash with a solid edge', () => {
    const b = saferStreetsLayers({ visible: true, selectedId: 'ss-9' });
    expect(layer(b.layers, 'safer-streets-fill').paint!['fill-opacity']).toBeLessThan(0.5);
    expect(layer(b.layers, 'safer-streets-outline').paint!['line-dasharray']).toBeUndefined();
    expect(layer(b.layers, 'safer-streets-selected').filter).toEqual(['==', ['get', 'id'], 'ss-9']);
  });

  it('puts the unsaved point in its own source', () => {
    const b = draftLayers([-1.15, 53.1]);
    const src = b.sources[0]!.source as unknown as { data: FeatureCollection };
    expect(src.data.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [-1.15, 53.1] });
    expect((draftLayers(null).sources[0]!.source as unknown as { data: FeatureCollection }).data.features).toEqual([]);
  });
});

describe('the whole overlay', () => {
  const state: OverlayState = { visible: ALL_ON, coverage: true, choropleth, lsoaTileUrl: TILES, lsoaScope: ['E01000001'], selected: { layer: 'cameras', id: 'c1' }, draft: null };

  it('stacks layers areas → outlines → selections → point symbols', () => {
    const ids = buildOverlay(state).layers.map((l) => l.id);
    expect(ids).toEqual([...LAYER_ORDER]);
    expect(ids.indexOf('lsoa-fill')).toBeLessThan(ids.indexOf('pspo-fill'));
    expect(ids.indexOf('pspo-fill')).toBeLessThan(ids.indexOf('cameras-symbol'));
    expect(ids.at(-1)).toBe('draft-point');
  });

  it('passes the MapLibre style validator on top of the offline style', () => {
    const style = composeStyle(offlineStyle(), buildOverlay(state));
    expect(validateStyleMin(style as never)).toEqual([]);
    expect(style.layers[0]!.id).toBe('background');
    expect(Object.keys(style.sources).sort()).toEqual(['sp-camera-coverage', 'sp-cameras', 'sp-draft', 'sp-help-points', 'sp-lsoas', 'sp-pspo-zones', 'sp-safer-streets-areas']);
  });

  it('references only images the app generates at runtime', () => {
    const images = allMapImages();
    const overlay = buildOverlay(state);
    const referenced = new Set<string>();
    const walk = (v: unknown) => {
      if (typeof v === 'string' && v.startsWith('sp-') && !v.startsWith('sp-lsoas')) referenced.add(v);
      if (Array.isArray(v)) v.forEach(walk);
    };
    for (const l of overlay.layers) {
      const anyL = l as { layout?: Record<string, unknown>; paint?: Record<string, unknown> };
      walk(anyL.layout?.['icon-image']);
      walk(anyL.paint?.['fill-pattern']);
    }
    expect(referenced.size).toBe(7);
    for (const id of referenced) expect(images.has(id), id).toBe(true);
  });

  it('sets visibility none on every map layer of a hidden layer, and nothing else', () => {
    const overlay = buildOverlay({ ...state, visible: { ...ALL_ON, 'pspo-zones': false } });
    const hidden = overlay.layers.filter((l) => l.layout?.visibility === 'none').map((l) => l.id);
    expect(hidden).toEqual(['pspo-fill', 'pspo-outline', 'pspo-selected']);
  });

  it('shows coverage only when asked for and cameras are on', () => {
    const v = layerVisibilities(ALL_ON, true);
    expect(v.get('coverage-fill')).toBe('visible');
    expect(layerVisibilities(ALL_ON, false).get('coverage-fill')).toBe('none');
    const off = layerVisibilities({ ...ALL_ON, cameras: false }, true);
    expect(off.get('coverage-fill')).toBe('none');
    expect(off.get('coverage-outline')).toBe('none');
    expect(off.get('cameras-symbol')).toBe('none');
    expect(off.get('lsoa-fill')).toBe('visible');
    expect(v.size).toBe(Object.values(MAP_LAYERS_OF).flat().length);
  });

  it('moves the selection filter to the selected layer only', () => {
    const f = selectionFilters({ layer: 'lsoas', id: 'E01000002' });
    expect(f.get(LAYER_IDS.lsoaSelected)).toEqual(['==', ['get', 'code'], 'E01000002']);
    expect(f.get(LAYER_IDS.camerasSelected)).toEqual(['==', ['get', 'id'], '']);
    expect(selectionFilters(null).get(LAYER_IDS.lsoaSelected)).toEqual(['==', ['get', 'code'], '']);
  });

  it('has a primary map layer for each user-facing layer', () => {
    expect(PRIMARY_LAYER_ID).toEqual({
      lsoas: 'lsoa-fill',
      cameras: 'cameras-symbol',
      'help-points': 'help-points-symbol',
      'pspo-zones': 'pspo-fill',
      'safer-streets-areas': 'safer-streets-fill',
    });
  });
});

describe('offline style', () => {
  const s = offlineStyle();
  it('is a plain background with no external resources at all', () => {
    expect(s.version).toBe(8);
    expect(s.sources).toEqual({});
    expect(s.glyphs).toBeUndefined();
    expect(s.sprite).toBeUndefined();
    expect(s.layers).toEqual([{ id: 'background', type: 'background', paint: { 'background-color': '#e8edf1' } }]);
    expect(validateStyleMin(s as never)).toEqual([]);
  });
  it('contains no text anywhere once the overlay is added (there is no glyph server)', () => {
    const style = composeStyle(s, buildOverlay({ visible: ALL_ON, coverage: true, choropleth, selected: null, draft: [-1, 53] }));
    for (const l of style.layers) {
      expect(['background', 'fill', 'line', 'circle', 'symbol']).toContain(l.type);
      expect((l as { layout?: Record<string, unknown> }).layout?.['text-field']).toBeUndefined();
    }
  });
});
