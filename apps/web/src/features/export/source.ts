import type { RefObject } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { selectionLabel, type CategorySelection, type DatasetSummary, type LayerName, type LsoaStats, type Measure } from '@safer-places/schemas';
import type { LayerCollection } from '../../api/client';
import type { MapViewHandle } from '../../map/mapViewProps';
import type { HotspotLegend } from '../hotspots/hotspots';
import type { PlannerLegend } from '../planner/mapFeatures';
import type { Choropleth } from '../map/choropleth';
import type { LegendModelInput } from '../map/legendModel';
import type { ScopeSummary } from '@safer-places/schemas';

/**
 * What the export reads from the signed-in workspace (the workspace state satisfies it as it is): the map, the
 * dataset and place, the shading's choices and figures, and the analysis on show.
 */
export interface ExportWorkspace {
  mapHandle: RefObject<MapViewHandle | null>;
  dataset: DatasetSummary | null;
  scope: { label: string };
  prefs: { measure: Measure; visible: Record<LayerName, boolean>; showCoverage: boolean; category: CategorySelection };
  stats: { stats: LsoaStats | null };
  map: { layers: { lsoas?: LayerCollection | undefined }; truncated: LayerName[] };
  tool: string | null;
  areas: { show: boolean; saved: readonly unknown[] };
  hotspots: { legend: HotspotLegend | null };
  planner: { mapState: { legend: PlannerLegend | null } };
  bid: { legend: LegendModelInput['bid'] };
}

/**
 * The legend's input exactly as the map pane gives it to the on-screen legend: with an analysis panel open the LSOA
 * shading is plain (so not in the legend) and only that analysis is listed with the layers.
 */
export function exportLegendInput(ws: ExportWorkspace, shading: { choropleth: Choropleth; scope: ScopeSummary | null; deprivationSource: string | null }): LegendModelInput {
  const { prefs } = ws;
  const stats = ws.stats.stats;
  const plain = ws.tool !== null;
  return {
    visible: plain ? { ...prefs.visible, lsoas: false } : prefs.visible,
    showCoverage: prefs.showCoverage,
    choropleth: shading.choropleth,
    period: shading.choropleth.measure === 'imd-decile' ? null : stats ? { from: stats.from, to: stats.to } : null,
    categoryLabel: stats?.categoryLabel ?? selectionLabel(prefs.category),
    category: prefs.category,
    scope: shading.scope,
    deprivationSource: shading.deprivationSource,
    truncated: ws.map.truncated,
    showAreas: ws.areas.show && ws.areas.saved.length > 0,
    hotspots: ws.tool === 'hotspots' ? ws.hotspots.legend : null,
    planning: ws.tool === 'planner' ? ws.planner.mapState.legend : null,
    bid: ws.bid.legend,
  };
}

/** The open analysis's own title, which names what the map shows better than the LSOA shading. */
export function analysisTitle(ws: Pick<ExportWorkspace, 'tool' | 'hotspots' | 'planner' | 'bid'>): string | null {
  if (ws.tool === 'hotspots') return ws.hotspots.legend?.title ?? null;
  if (ws.tool === 'planner') return ws.planner.mapState.legend?.title ?? null;
  if (ws.tool === 'bid' && ws.bid.legend) return 'Bid: eligible LSOAs and the chosen area';
  return null;
}

/*
 * The map the workspace shows, for pictures made elsewhere (the patrol sheet's route map). There is one MapLibre map
 * per page (MapView owns it); the export control, mounted with the workspace, offers it here while it is mounted.
 */
let mapSource: (() => MapLibreMap | null) | null = null;

/** Offers the map for pictures; the returned function withdraws it. */
export function offerMapForPictures(get: () => MapLibreMap | null): () => void {
  mapSource = get;
  return () => {
    if (mapSource === get) mapSource = null;
  };
}

/** The map to take pictures of, if the workspace has one. */
export function mapForPictures(): MapLibreMap | null {
  return mapSource?.() ?? null;
}
