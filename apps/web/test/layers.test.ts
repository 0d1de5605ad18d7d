import { describe, expect, it } from 'vitest';
import { expression, latest, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { FeatureCollection } from '@safer-places/schemas';
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
  lsoaLayers,
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

describe('LSOA choropleth', () => {
  it('has a fill, an outline and a selected outline on the LSOA source', () => {
    const b = lsoaLayers({ visible: true, choropleth, selectedCode: null });
    expect(b.sources).toEqual([{ id: 'sp-lsoas', source: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } }]);
    expect(b.layers.map((l) => [l.id, l.type])).toEqual([['lsoa-fill', 'fill'], ['lsoa-outline', 'line'], ['lsoa-selected', 'line']]);
    expect(b.layers.every((l) => 'source' in l && l.source === 'sp-lsoas')).toBe(true);
  });

  it('maps each LSOA code to its class colour and unknown codes to "no data"', () => {
    const fill = layer(lsoaLayers({ visible: true, choropleth, selectedCode: null }).layers, 'lsoa-fill').paint!['fill-color'];
    const spec = latest.paint_fill['fill-color'];
    expect(hex(evaluate(fill, spec, { code: 'E01000001' }))).toBe('#ffffb2');
    expect(hex(evaluate(fill, spec, { code: 'E01000002' }))).toBe('#bd0026');
    expect(hex(evaluate(fill, spec, { code: 'E01000003' }))).toBe('#bd0026');
    expect(hex(evaluate(fill, spec, { code: 'E09999999' }))).toBe(NO_DATA_COLOUR);
  });

  it('groups codes per class in a sorted match expression', () => {
    expect(choroplethFillColor(choropleth)).toEqual([
      'match', ['get', 'code'],
      ['E01000001'], '#ffffb2',
      ['E01000002', 'E01000003'], '#bd0026',
      NO_DATA_COLOUR,
    ]);
  });

  it('is a plain no-data colour when nothing is classified (a match needs a branch)', () => {
    expect(choroplethFillColor({ classByCode: new Map(), colours: [...SEQUENTIAL_5] })).toBe(NO_DATA_COLOUR);
    expect(choroplethFillColor({ classByCode: new Map([['a', 7]]), colours: ['#000000'], noDataColour: '#123456' })).toBe('#123456');
  });

  it('highlights only the selected code', () => {
    const sel = layer(lsoaLayers({ visible: true, choropleth, selectedCode: 'E01000002' }).layers, 'lsoa-selected');
    expect(sel.filter).toEqual(['==', ['get', 'code'], 'E01000002']);
    const none = layer(lsoaLayers({ visible: true, choropleth, selectedCode: null }).layers, 'lsoa-selected');
    expect(none.filter).toEqual(['==', ['get', 'code'], '']);
  });

  it('hides every LSOA layer when switched off', () => {
    const b = lsoaLayers({ visible: false, choropleth, selectedCode: null });
    expect(b.layers.map((l) => l.layout?.visibility)).toEqual(['none', 'none', 'none']);
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
  const state: OverlayState = { visible: ALL_ON, coverage: true, choropleth, selected: { layer: 'cameras', id: 'c1' }, draft: null };

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
