import type { FeatureCollection, LayerName, Position } from '@safer-places/schemas';
import type { FilterSpecification, LayerBundle, StyleSpecification } from '../types';
import { LAYER_IDS, MAP_LAYERS_OF, OVERLAY_ORDER, type LayerId, type SelectableLayer } from './ids';
import { selectedFilter, visibility, type Visibility } from './common';
import { lsoaLayers, type ChoroplethPaint } from './lsoas';
import { cameraLayers } from './cameras';
import { coverageLayers } from './coverage';
import { helpPointLayers } from './helpPoints';
import { pspoLayers } from './pspoZones';
import { saferStreetsLayers } from './saferStreets';
import { draftLayers } from './draft';
import { contextLayers, contextTileUrlFor } from './context';
import { drawnAreaLayers } from '../../features/areas/layers';
import { hotspotLayers, type HotspotLayerOptions } from '../../features/hotspots/layers';
import { bidLayers, type BidLayerOptions } from '../../features/bids/layers';
import { planningLayers, type PlanningLayerOptions } from '../../features/planner/layers';

export * from './ids';
export * from './common';
export * from './lsoas';
export * from './cameras';
export * from './coverage';
export * from './helpPoints';
export * from './pspoZones';
export * from './saferStreets';
export * from './draft';
export * from './context';
export * from '../../features/areas/layers';
export * from '../../features/hotspots/layers';
export * from '../../features/bids/layers';
export * from '../../features/planner/layers';

export interface OverlayState {
  visible: Record<LayerName, boolean>;
  /** The coverage-circle option; circles show only while cameras are shown too. */
  coverage: boolean;
  choropleth: ChoroplethPaint;
  /** The LSOA layer's tile URL template (null: no tiles yet) and the scope's codes (null: all; undefined: none yet). */
  lsoaTileUrl?: string | null;
  lsoaScope?: readonly string[] | null;
  selected: { layer: SelectableLayer; id: string } | null;
  draft: Position | null;
  /** GeoJSON of the organisation's layers and the coverage (the LSOA layer comes from tiles: a `lsoas` entry is unused). */
  data?: Partial<Record<LayerName | 'coverage', FeatureCollection>>;
  /** The organisation's drawn areas; their layers are added only when this is given. */
  areas?: { visible: boolean; data?: FeatureCollection; hiddenId?: string | null };
  /** Hot spot analysis results; their layers are added only when this is given. */
  hotspots?: HotspotLayerOptions;
  /** The bid being prepared; its layers are added only when this is given. */
  bid?: BidLayerOptions;
  /** The planner's patrol plan, gaps or sites; its layers are added only when this is given. */
  planning?: PlanningLayerOptions;
  /**
   * The context layer (boundaries and place names); its layers are added only when this is given, shown unless
   * `visible` is false; its tiles are the dataset's (`tileUrl`, by default the one of `lsoaTileUrl`'s dataset).
   */
  context?: { visible?: boolean; tileUrl?: string | null };
}

function selectedIdFor(state: OverlayState, layer: SelectableLayer): string | null {
  return state.selected && state.selected.layer === layer ? state.selected.id : null;
}

/** Every source and layer the app adds on top of the base style, layers in draw order. */
export function buildOverlay(state: OverlayState): LayerBundle {
  const d = state.data ?? {};
  const bundles: LayerBundle[] = [
    lsoaLayers({
      visible: state.visible.lsoas,
      choropleth: state.choropleth,
      selectedCode: selectedIdFor(state, 'lsoas'),
      tileUrl: state.lsoaTileUrl ?? null,
      ...(state.lsoaScope !== undefined && { scopeCodes: state.lsoaScope }),
    }),
    saferStreetsLayers({ visible: state.visible['safer-streets-areas'], selectedId: selectedIdFor(state, 'safer-streets-areas'), data: d['safer-streets-areas'] }),
    pspoLayers({ visible: state.visible['pspo-zones'], selectedId: selectedIdFor(state, 'pspo-zones'), data: d['pspo-zones'] }),
    coverageLayers({ visible: state.coverage && state.visible.cameras, data: d.coverage }),
    cameraLayers({ visible: state.visible.cameras, selectedId: selectedIdFor(state, 'cameras'), data: d.cameras }),
    helpPointLayers({ visible: state.visible['help-points'], selectedId: selectedIdFor(state, 'help-points'), data: d['help-points'] }),
    draftLayers(state.draft),
  ];
  if (state.areas) {
    bundles.push(
      drawnAreaLayers({ visible: state.areas.visible, selectedId: selectedIdFor(state, 'areas'), hiddenId: state.areas.hiddenId ?? null, data: state.areas.data }),
    );
  }
  if (state.hotspots) bundles.push(hotspotLayers(state.hotspots));
  if (state.bid) bundles.push(bidLayers(state.bid));
  if (state.planning) bundles.push(planningLayers(state.planning));
  if (state.context) bundles.push(contextLayers({ visible: state.context.visible ?? true, tileUrl: state.context.tileUrl ?? contextTileUrlFor(state.lsoaTileUrl) }));
  const order = new Map<string, number>(OVERLAY_ORDER.map((id, i) => [id, i]));
  return {
    sources: bundles.flatMap((b) => b.sources),
    layers: bundles.flatMap((b) => b.layers).sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9)),
  };
}

/** The visibility each map layer should have for the given toggles. */
export function layerVisibilities(visible: Record<LayerName, boolean>, coverage: boolean): Map<LayerId, Visibility> {
  const out = new Map<LayerId, Visibility>();
  for (const [name, ids] of Object.entries(MAP_LAYERS_OF) as [LayerName | 'coverage', readonly LayerId[]][]) {
    const on = name === 'coverage' ? coverage && visible.cameras : visible[name];
    for (const id of ids) out.set(id, visibility(on));
  }
  return out;
}

/**
 * The filter of each "selected" highlight layer for the current selection (the LSOA highlight without the scope: see
 * `lsoaFilters` for the one the map applies).
 */
export function selectionFilters(selected: OverlayState['selected']): Map<LayerId, FilterSpecification> {
  const id = (layer: SelectableLayer) => (selected && selected.layer === layer ? selected.id : null);
  return new Map<LayerId, FilterSpecification>([
    [LAYER_IDS.lsoaSelected, selectedFilter('code', id('lsoas'))],
    [LAYER_IDS.camerasSelected, selectedFilter('id', id('cameras'))],
    [LAYER_IDS.helpPointsSelected, selectedFilter('id', id('help-points'))],
    [LAYER_IDS.pspoSelected, selectedFilter('id', id('pspo-zones'))],
    [LAYER_IDS.saferStreetsSelected, selectedFilter('id', id('safer-streets-areas'))],
  ]);
}

/** A base style with the overlay appended: what the map shows once MapView has added everything. */
export function composeStyle(base: StyleSpecification, overlay: LayerBundle): StyleSpecification {
  const sources = { ...base.sources };
  for (const s of overlay.sources) sources[s.id] = s.source;
  return { ...base, sources, layers: [...base.layers, ...overlay.layers] };
}
