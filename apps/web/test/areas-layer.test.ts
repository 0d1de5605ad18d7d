import { describe, expect, it } from 'vitest';
import { latest, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import {
  AREA_LAYER_IDS,
  CLICK_TARGETS,
  DRAWN_AREA_FILL_OPACITY,
  ID_FIELD,
  LAYER_ORDER,
  OVERLAY_ORDER,
  buildOverlay,
  composeStyle,
  drawnAreaFilters,
  drawnAreaLayers,
  drawnAreaVisibilities,
  hiddenAreaFilter,
  type OverlayState,
} from '../src/map/layers';
import { offlineStyle } from '../src/map/style';
import { DRAWN_AREA_CASING, DRAWN_AREA_COLOUR, PSPO_COLOUR, SAFER_STREETS_COLOUR, SAFER_STREETS_FILL, SELECTED_COLOUR, hexToRgb } from '../src/map/palette';
import type { LayerSpecification } from '../src/map/types';

const ALL_ON = { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true };
const choropleth = { classByCode: new Map<string, number>(), colours: ['#ffffb2'] };
type AnyLayer = LayerSpecification & { paint?: Record<string, unknown>; layout?: Record<string, unknown>; filter?: unknown; source?: string };
const byId = (layers: LayerSpecification[], id: string) => layers.find((l) => l.id === id) as AnyLayer;

/** WCAG relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = hexToRgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
};

describe('drawn areas layer (style builder as data)', () => {
  const b = drawnAreaLayers({ visible: true, selectedId: 'area-2', hiddenId: null });

  it('has its own source and a fill, a white casing, an outline and a selected outline', () => {
    expect(b.sources).toEqual([{ id: 'sp-areas', source: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } }]);
    expect(b.layers.map((l) => [l.id, l.type])).toEqual([
      ['areas-fill', 'fill'],
      ['areas-casing', 'line'],
      ['areas-outline', 'line'],
      ['areas-selected', 'line'],
    ]);
    expect(b.layers.every((l) => (l as AnyLayer).source === 'sp-areas')).toBe(true);
  });

  it('draws a faint wash (the choropleth stays readable) and a solid green edge over a wider white casing', () => {
    expect(byId(b.layers, 'areas-fill').paint).toEqual({ 'fill-color': DRAWN_AREA_COLOUR, 'fill-opacity': DRAWN_AREA_FILL_OPACITY });
    expect(DRAWN_AREA_FILL_OPACITY).toBeLessThanOrEqual(0.15);
    const casing = byId(b.layers, 'areas-casing').paint!;
    const outline = byId(b.layers, 'areas-outline').paint!;
    expect(casing['line-color']).toBe(DRAWN_AREA_CASING);
    expect(outline['line-color']).toBe(DRAWN_AREA_COLOUR);
    expect(casing['line-width'] as number).toBeGreaterThan(outline['line-width'] as number);
    expect(outline['line-dasharray']).toBeUndefined(); // PSPO edges are the dashed ones
  });

  it('uses an edge colour distinct from PSPO zones, Safer Streets areas and the selection, with contrast on light and white', () => {
    const others = [PSPO_COLOUR, SAFER_STREETS_COLOUR, SAFER_STREETS_FILL, SELECTED_COLOUR].map((c) => c.toLowerCase());
    expect(others).not.toContain(DRAWN_AREA_COLOUR.toLowerCase());
    // Legible against its white casing and the lightest choropleth class.
    expect(contrast(DRAWN_AREA_COLOUR, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(DRAWN_AREA_COLOUR, '#ffffb2')).toBeGreaterThanOrEqual(4.5);
    // A different lightness from the Safer Streets blue and the PSPO purple, so it differs without hue too.
    expect(Math.abs(luminance(DRAWN_AREA_COLOUR) - luminance(PSPO_COLOUR))).toBeGreaterThan(0.05);
  });

  it('highlights only the selected area, and never the one being reshaped', () => {
    expect(byId(b.layers, 'areas-selected').filter).toEqual(['==', ['get', 'id'], 'area-2']);
    const reshaping = drawnAreaLayers({ visible: true, selectedId: 'area-2', hiddenId: 'area-2' });
    expect(byId(reshaping.layers, 'areas-selected').filter).toEqual(['==', ['get', 'id'], '']);
    expect(byId(reshaping.layers, 'areas-fill').filter).toEqual(['!=', ['get', 'id'], 'area-2']);
    expect(hiddenAreaFilter(null)).toEqual(['!=', ['get', 'id'], '']);
  });

  it('gives every filter for a selection change and every visibility for the checkbox', () => {
    const f = drawnAreaFilters('a1', 'a3');
    expect([...f.keys()]).toEqual([...AREA_LAYER_IDS]);
    expect(f.get('areas-outline')).toEqual(['!=', ['get', 'id'], 'a3']);
    expect(f.get('areas-selected')).toEqual(['==', ['get', 'id'], 'a1']);
    expect([...drawnAreaVisibilities(false).values()]).toEqual(['none', 'none', 'none', 'none']);
    expect(drawnAreaLayers({ visible: false, selectedId: null }).layers.map((l) => l.layout?.visibility)).toEqual(['none', 'none', 'none', 'none']);
  });
});

describe('the overlay with drawn areas', () => {
  const state: OverlayState = { visible: ALL_ON, coverage: true, choropleth, selected: { layer: 'areas', id: 'a1' }, draft: null, areas: { visible: true } };

  it('leaves the five-layer overlay unchanged when no areas are given', () => {
    const { areas: _a, ...without } = state;
    expect(buildOverlay(without).layers.map((l) => l.id)).toEqual([...LAYER_ORDER]);
  });

  it('puts the area fill with the other fills, its edge above PSPO edges, its selection with the selections, all below point symbols', () => {
    const ids = buildOverlay(state).layers.map((l) => l.id);
    expect(ids).toEqual(OVERLAY_ORDER.filter((id) => !id.startsWith('hotspot-') && !id.startsWith('bid-') && !id.startsWith('planning-') && !id.startsWith('context-')));
    const at = (id: string) => ids.indexOf(id);
    expect(at('areas-fill')).toBeGreaterThan(at('pspo-fill'));
    expect(at('areas-fill')).toBeLessThan(at('pspo-outline'));
    expect(at('areas-casing')).toBeGreaterThan(at('pspo-outline'));
    expect(at('areas-outline')).toBe(at('areas-casing') + 1);
    expect(at('areas-selected')).toBeGreaterThan(at('lsoa-selected'));
    expect(at('areas-selected')).toBeLessThan(at('cameras-symbol'));
    expect(byId(buildOverlay(state).layers, 'areas-selected').filter).toEqual(['==', ['get', 'id'], 'a1']);
  });

  it('passes the MapLibre style validator', () => {
    const style = composeStyle(offlineStyle(), buildOverlay({ ...state, areas: { visible: false, hiddenId: 'a9' } }));
    expect(validateStyleMin(style as never)).toEqual([]);
    expect(Object.keys(style.sources)).toContain('sp-areas');
    expect(latest.paint_line['line-color']).toBeTruthy();
  });

  it('is clickable below point symbols and above the layers it covers, identified by id', () => {
    const order = CLICK_TARGETS.map((t) => t.layer);
    expect(order.indexOf('areas')).toBeGreaterThan(order.indexOf('cameras'));
    expect(order.indexOf('areas')).toBeLessThan(order.indexOf('pspo-zones'));
    expect(order.indexOf('areas')).toBeLessThan(order.indexOf('lsoas'));
    expect(CLICK_TARGETS.find((t) => t.layer === 'areas')!.layerId).toBe('areas-fill');
    expect(ID_FIELD.areas).toBe('id');
  });
});
