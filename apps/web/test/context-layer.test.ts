import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { CONTEXT_ATTRIBUTION, CONTEXT_TILE_LAYERS, PLACE_LABEL_MIN_ZOOM } from '@safer-places/schemas';
import {
  CONTEXT_LABEL_LAYER_IDS,
  CONTEXT_LAYER_IDS,
  CONTEXT_LINE_LAYER_IDS,
  LAYER_IDS,
  OVERLAY_ORDER,
  SOURCE_IDS,
  buildOverlay,
  composeStyle,
  contextLayers,
  contextTileUrlFor,
  type OverlayState,
} from '../src/map/layers';
import { offlineStyle } from '../src/map/style';
import { overlayPlacement } from '../src/map/basemap';
import { createApiClient } from '../src/api/client';
import type { LayerSpecification, SymbolLayerSpecification } from '../src/map/types';

const LSOA_TILES = 'http://localhost:5173/api/tiles/lsoas/{z}/{x}/{y}.mvt?dataset=open%20data';
const CONTEXT_TILES = 'http://localhost:5173/api/tiles/context/{z}/{x}/{y}.mvt?dataset=open%20data';
const state: OverlayState = {
  visible: { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true },
  coverage: false,
  choropleth: { classByCode: new Map(), colours: ['#ffffb2'] },
  lsoaTileUrl: LSOA_TILES,
  selected: null,
  draft: null,
  context: {},
  hotspots: { mode: 'gi', selectedCell: null, selectedSpot: null },
  bid: {},
  planning: {},
  areas: { visible: true },
};
const byId = (layers: LayerSpecification[], id: string) => layers.find((l) => l.id === id)!;

describe('context layer style', () => {
  it('derives the context tiles of the LSOA tiles’ dataset, and nothing from another URL', () => {
    expect(contextTileUrlFor(LSOA_TILES)).toBe(CONTEXT_TILES);
    expect(contextTileUrlFor('https://elsewhere.example/tiles/{z}/{x}/{y}.pbf')).toBeNull();
    expect(contextTileUrlFor(null)).toBeNull();
  });

  it('passes the MapLibre style validator on the offline style (no glyphs URL), with its attribution', () => {
    const style = composeStyle(offlineStyle(), buildOverlay(state));
    expect(validateStyleMin(style as never)).toEqual([]);
    expect(style.glyphs).toBeUndefined();
    const source = style.sources[SOURCE_IDS.context] as { type: string; tiles: string[]; attribution: string };
    expect(source).toMatchObject({ type: 'vector', tiles: [CONTEXT_TILES], attribution: CONTEXT_ATTRIBUTION });
    expect(CONTEXT_ATTRIBUTION).toMatch(/Contains OS data © Crown copyright and database right; ONS, Open Government Licence v3\.0/);
  });

  it('draws boundaries over the shading and every analysis fill, names over the areas, under every point symbol', () => {
    const ids = buildOverlay(state).layers.map((l) => l.id);
    for (const id of CONTEXT_LAYER_IDS) expect(ids).toContain(id);
    const at = (id: string) => ids.indexOf(id);
    for (const id of CONTEXT_LINE_LAYER_IDS) {
      for (const under of [LAYER_IDS.lsoaFill, LAYER_IDS.lsoaOutline, LAYER_IDS.hotspotCellsFill, LAYER_IDS.bidSelectionFill, LAYER_IDS.bidEligibleFill]) expect(at(id)).toBeGreaterThan(at(under));
    }
    for (const id of CONTEXT_LABEL_LAYER_IDS) {
      for (const under of [LAYER_IDS.pspoFill, LAYER_IDS.areasFill, LAYER_IDS.saferStreetsFill, LAYER_IDS.lsoaSelected, LAYER_IDS.planningCellsFill]) expect(at(id)).toBeGreaterThan(at(under));
      for (const over of [LAYER_IDS.camerasSymbol, LAYER_IDS.helpPointsSymbol, LAYER_IDS.hotspotSpotsSymbol, LAYER_IDS.planningPointsSymbol, LAYER_IDS.draftPoint]) expect(at(id)).toBeLessThan(at(over));
    }
    // Districts are the last labels placed below the points: they win a collision with a ward or LSOA name.
    expect(at(LAYER_IDS.contextLabelsDistrict)).toBeGreaterThan(at(LAYER_IDS.contextLabelsWard));
    expect(OVERLAY_ORDER.filter((id) => (CONTEXT_LAYER_IDS as string[]).includes(id))).toHaveLength(CONTEXT_LAYER_IDS.length);
  });

  it('puts lines under a base map’s labels and the names on top of it', () => {
    const placed = overlayPlacement(contextLayers({ visible: true, tileUrl: CONTEXT_TILES }).layers, 'base-labels');
    for (const { layer, beforeId } of placed) expect(beforeId).toBe(layer.type === 'line' ? 'base-labels' : undefined);
  });

  it('shows each kind of name from its own zoom, largest first, dark on a white halo, never over another label', () => {
    const layers = contextLayers({ visible: true, tileUrl: CONTEXT_TILES }).layers.filter((l): l is SymbolLayerSpecification => l.type === 'symbol');
    expect(layers.map((l) => [l.filter, l.minzoom])).toEqual(
      (['lsoa', 'ward', 'town', 'district'] as const).map((k) => [['==', ['get', 'kind'], k], PLACE_LABEL_MIN_ZOOM[k]]),
    );
    for (const l of layers) {
      expect(l['source-layer']).toBe(CONTEXT_TILE_LAYERS.placeLabels);
      expect(l.layout!['text-field']).toEqual(['get', 'name']);
      expect(l.layout!['symbol-sort-key']).toEqual(['get', 'rank']);
      expect(l.layout!['text-allow-overlap']).toBe(false);
      expect(l.layout!['text-font']).toHaveLength(1);
      expect(String(l.layout!['text-font'])).toMatch(/^Noto Sans (Regular|Bold)$/);
      expect(l.paint!['text-halo-color']).toBe('#ffffff');
      expect(Number(l.paint!['text-halo-width'])).toBeGreaterThanOrEqual(1.4);
    }
  });

  it('tells boundary levels apart by width and dash, not by colour alone', () => {
    const { layers } = contextLayers({ visible: true, tileUrl: CONTEXT_TILES });
    const ward = byId(layers, LAYER_IDS.contextWardLine);
    const district = byId(layers, LAYER_IDS.contextDistrictLine);
    expect(ward.type === 'line' && ward.paint!['line-dasharray']).toEqual([4, 2]);
    expect(district.type === 'line' && district.paint!['line-dasharray']).toBeUndefined();
    expect(ward.minzoom).toBe(9);
    expect(byId(layers, LAYER_IDS.contextDistrictCasing).type).toBe('line');
    expect(byId(layers, LAYER_IDS.contextStudyArea)).toMatchObject({ 'source-layer': CONTEXT_TILE_LAYERS.studyArea });
  });

  it('hides every context layer when switched off, and is left out of an overlay that does not ask for it', () => {
    const off = contextLayers({ visible: false, tileUrl: null });
    expect(off.layers.every((l) => l.layout?.visibility === 'none')).toBe(true);
    expect((off.sources[0]!.source as { tiles: string[] }).tiles).toEqual([]);
    const { context: _, ...without } = state;
    expect(buildOverlay(without).layers.some((l) => l.id.startsWith('context-'))).toBe(false);
  });

  it('sends the bearer token with context tiles, as with LSOA tiles', () => {
    const api = createApiClient({ getToken: () => 't0k', baseUrl: 'http://localhost:5173' });
    const tiles = api.lsoaTiles('open data');
    expect(tiles.url).toBe(LSOA_TILES);
    expect(tiles.owns(CONTEXT_TILES.replace('{z}/{x}/{y}', '9/251/165'))).toBe(true);
    expect(tiles.headers()).toEqual({ authorization: 'Bearer t0k' });
  });
});
