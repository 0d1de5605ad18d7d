import { useEffect, useRef } from 'react';
import type * as maplibregl from 'maplibre-gl';
import type { FeatureCollection } from '@safer-places/schemas';
import {
  CONTEXT_LAYER_IDS,
  contextTileUrlFor,
  visibility,
  EMPTY_LSOA_VIEW,
  LAYER_IDS,
  LSOA_SOURCE_LAYER,
  SOURCE_IDS,
  choroplethFillColor,
  draftCollection,
  drawnAreaFilters,
  drawnAreaVisibilities,
  emptyCollection,
  featureStateChanges,
  hotspotCellColour,
  layerVisibilities,
  lsoaFilters,
  selectedCellFilter,
  selectedSpotFilter,
  selectionFilters,
  type LsoaFeatureState,
} from './layers';
import type { MapViewProps } from './mapViewProps';

type GeoJSONSourceLike = { setData(data: unknown): unknown };
type VectorSourceLike = { setTiles?(tiles: string[]): unknown; tiles?: string[] };

function setSourceData(map: maplibregl.Map, sourceId: string, data: FeatureCollection | null | undefined) {
  const source = map.getSource(sourceId) as unknown as GeoJSONSourceLike | undefined;
  source?.setData(data ?? emptyCollection());
}

/**
 * Keeps the map in step with the props once its style is ready: each source's data (replaced only when its own
 * collection changes), the LSOA tiles' URL, the LSOA feature states (only the ones that changed) and scope filter,
 * the choropleth paint, the hot spot colours and selection, layer visibility, the selection
 * highlight, the cursor, and the readiness flag the browser tests wait for.
 */
export function useMapSync(mapRef: { current: maplibregl.Map | null }, styleReady: boolean, props: MapViewProps): void {
  // Data: each source is replaced only when its own collection changes.
  const { cameras } = props.data;
  const helpPoints = props.data['help-points'];
  const pspo = props.data['pspo-zones'];
  const saferStreets = props.data['safer-streets-areas'];
  // The LSOA layer: tiles of the dataset, states joined from the figures, the scope as a filter.
  const tileUrl = props.lsoaTiles?.url ?? null;
  useEffect(() => {
    const source = styleReady ? (mapRef.current?.getSource(SOURCE_IDS.lsoas) as unknown as VectorSourceLike | undefined) : undefined;
    if (source?.setTiles && (source.tiles?.[0] ?? null) !== tileUrl) source.setTiles(tileUrl ? [tileUrl] : []);
  }, [styleReady, tileUrl]);
  const lsoaView = props.lsoaView ?? EMPTY_LSOA_VIEW;
  const appliedStates = useRef<ReadonlyMap<string, LsoaFeatureState>>(new Map());
  useEffect(() => {
    const map = mapRef.current;
    if (!styleReady || !map || !map.getSource(SOURCE_IDS.lsoas)) return;
    const { set, remove } = featureStateChanges(appliedStates.current, lsoaView.states);
    const target = (id: string) => ({ source: SOURCE_IDS.lsoas, sourceLayer: LSOA_SOURCE_LAYER, id });
    for (const code of remove) map.removeFeatureState(target(code));
    for (const [code, state] of set) map.setFeatureState(target(code), { ...state });
    appliedStates.current = lsoaView.states;
  }, [styleReady, lsoaView.states]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.cameras, cameras); }, [styleReady, cameras]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS['help-points'], helpPoints); }, [styleReady, helpPoints]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS['pspo-zones'], pspo); }, [styleReady, pspo]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS['safer-streets-areas'], saferStreets); }, [styleReady, saferStreets]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.coverage, props.coverage); }, [styleReady, props.coverage]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.draft, draftCollection(props.draft)); }, [styleReady, props.draft]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.areas, props.areas); }, [styleReady, props.areas]);
  const bid = props.bid ?? null;
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.bidEligible, bid?.eligible); }, [styleReady, bid?.eligible]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.bidSelection, bid?.selection); }, [styleReady, bid?.selection]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.bidTarget, bid?.target); }, [styleReady, bid?.target]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.bidBuffer, bid?.buffer); }, [styleReady, bid?.buffer]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.bidComparison, bid?.comparison); }, [styleReady, bid?.comparison]);
  const planningFeatures = props.planning?.features ?? null;
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.planning, planningFeatures); }, [styleReady, planningFeatures]);
  const hs = props.hotspots ?? null;
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.hotspotCells, hs?.cells); }, [styleReady, hs?.cells]);
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.hotspotSpots, hs?.spots); }, [styleReady, hs?.spots]);
  useEffect(() => {
    if (styleReady && mapRef.current) mapRef.current.setPaintProperty(LAYER_IDS.hotspotCellsFill, 'fill-color', hotspotCellColour(hs?.mode ?? 'gi'));
  }, [styleReady, hs?.mode]);
  useEffect(() => {
    const map = mapRef.current;
    if (!styleReady || !map) return;
    map.setFilter(LAYER_IDS.hotspotCellSelected, selectedCellFilter(hs?.selectedCell ?? null));
    map.setFilter(LAYER_IDS.hotspotSpotSelected, selectedSpotFilter(hs?.selectedSpot ?? null));
  }, [styleReady, hs?.selectedCell, hs?.selectedSpot]);

  // Paint: the choropleth colours.
  useEffect(() => {
    if (styleReady && mapRef.current) mapRef.current.setPaintProperty(LAYER_IDS.lsoaFill, 'fill-color', choroplethFillColor(props.choropleth));
  }, [styleReady, props.choropleth]);

  // Visibility of every map layer from the toggles.
  const visibleKey = JSON.stringify(props.visible);
  useEffect(() => {
    const map = mapRef.current;
    if (!styleReady || !map) return;
    for (const [id, v] of layerVisibilities(props.visible, props.showCoverage)) {
      if (map.getLayoutProperty(id, 'visibility') !== v) map.setLayoutProperty(id, 'visibility', v);
    }
  }, [styleReady, visibleKey, props.showCoverage]);
  useEffect(() => {
    const map = mapRef.current;
    if (!styleReady || !map) return;
    for (const [id, v] of drawnAreaVisibilities(props.showAreas)) {
      if (map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== v) map.setLayoutProperty(id, 'visibility', v);
    }
  }, [styleReady, props.showAreas]);
  // The context layer: its checkbox, and the tiles of the LSOA tiles' dataset.
  const showContext = props.showContext ?? true;
  useEffect(() => {
    const map = mapRef.current;
    if (!styleReady || !map) return;
    for (const id of CONTEXT_LAYER_IDS) {
      if (map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== visibility(showContext)) map.setLayoutProperty(id, 'visibility', visibility(showContext));
    }
  }, [styleReady, showContext]);
  useEffect(() => {
    const source = styleReady ? (mapRef.current?.getSource(SOURCE_IDS.context) as unknown as VectorSourceLike | undefined) : undefined;
    const url = contextTileUrlFor(tileUrl);
    if (source?.setTiles && (source.tiles?.[0] ?? null) !== url) source.setTiles(url ? [url] : []);
  }, [styleReady, tileUrl]);

  // Selection highlight.
  const selectedKey = props.selected ? `${props.selected.layer}:${props.selected.id}` : '';
  useEffect(() => {
    const map = mapRef.current;
    if (!styleReady || !map) return;
    for (const [id, filter] of selectionFilters(props.selected)) if (id !== LAYER_IDS.lsoaSelected) map.setFilter(id, filter);
    const areaId = props.selected?.layer === 'areas' ? props.selected.id : null;
    for (const [id, filter] of drawnAreaFilters(areaId, props.hiddenAreaId)) if (map.getLayer(id)) map.setFilter(id, filter);
  }, [styleReady, selectedKey, props.hiddenAreaId]);

  // The LSOA layers' filters: the scope's LSOAs, and the selected one within them. Set only when they change (a new
  // filter re-lays out every loaded tile).
  const lsoaSelected = props.selected?.layer === 'lsoas' ? props.selected.id : null;
  const scopeCodes = lsoaView.scopeCodes;
  useEffect(() => {
    const map = mapRef.current;
    if (!styleReady || !map) return;
    for (const [id, filter] of lsoaFilters(scopeCodes, lsoaSelected)) {
      if (map.getLayer(id) && JSON.stringify(map.getFilter(id) ?? null) !== JSON.stringify(filter)) map.setFilter(id, filter);
    }
  }, [styleReady, scopeCodes, lsoaSelected]);

  // Readiness for tests: all data applied and the map idle with every source loaded.
  useEffect(() => {
    window.__saferPlacesReady = false;
    const map = mapRef.current;
    if (!styleReady || !map || !props.dataReady) return;
    let cancelled = false;
    const check = () => {
      if (cancelled) return;
      const sourcesLoaded = Object.values(SOURCE_IDS).every((id) => !map.getSource(id) || map.isSourceLoaded(id));
      if (sourcesLoaded && map.loaded()) window.__saferPlacesReady = true;
      else map.once('idle', check);
    };
    map.once('idle', check);
    map.triggerRepaint();
    return () => {
      cancelled = true;
    };
  }, [styleReady, props.dataReady, tileUrl, lsoaView, cameras, helpPoints, pspo, saferStreets, props.areas, props.coverage, props.choropleth, hs?.cells, hs?.spots, hs?.mode, planningFeatures]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && props.drawing.kind === 'none') map.getCanvas().style.cursor = props.addMode ? 'crosshair' : '';
  }, [props.addMode, styleReady, props.drawing.kind]);
}
