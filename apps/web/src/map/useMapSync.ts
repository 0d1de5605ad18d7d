import { useEffect } from 'react';
import type * as maplibregl from 'maplibre-gl';
import type { FeatureCollection } from '@safer-places/schemas';
import {
  LAYER_IDS,
  SOURCE_IDS,
  choroplethFillColor,
  draftCollection,
  drawnAreaFilters,
  drawnAreaVisibilities,
  emptyCollection,
  hotspotCellColour,
  layerVisibilities,
  selectedCellFilter,
  selectedSpotFilter,
  selectionFilters,
} from './layers';
import type { MapViewProps } from './mapViewProps';

type GeoJSONSourceLike = { setData(data: unknown): unknown };

function setSourceData(map: maplibregl.Map, sourceId: string, data: FeatureCollection | null | undefined) {
  const source = map.getSource(sourceId) as unknown as GeoJSONSourceLike | undefined;
  source?.setData(data ?? emptyCollection());
}

/**
 * Keeps the map in step with the props once its style is ready: each source's data (replaced only when its own
 * collection changes), the choropleth paint, the hot spot colours and selection, layer visibility, the selection
 * highlight, the cursor, and the readiness flag the browser tests wait for.
 */
export function useMapSync(mapRef: { current: maplibregl.Map | null }, styleReady: boolean, props: MapViewProps): void {
  // Data: each source is replaced only when its own collection changes.
  const { lsoas, cameras } = props.data;
  const helpPoints = props.data['help-points'];
  const pspo = props.data['pspo-zones'];
  const saferStreets = props.data['safer-streets-areas'];
  useEffect(() => { if (styleReady && mapRef.current) setSourceData(mapRef.current, SOURCE_IDS.lsoas, lsoas); }, [styleReady, lsoas]);
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

  // Selection highlight.
  const selectedKey = props.selected ? `${props.selected.layer}:${props.selected.id}` : '';
  useEffect(() => {
    const map = mapRef.current;
    if (!styleReady || !map) return;
    for (const [id, filter] of selectionFilters(props.selected)) map.setFilter(id, filter);
    const areaId = props.selected?.layer === 'areas' ? props.selected.id : null;
    for (const [id, filter] of drawnAreaFilters(areaId, props.hiddenAreaId)) if (map.getLayer(id)) map.setFilter(id, filter);
  }, [styleReady, selectedKey, props.hiddenAreaId]);

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
  }, [styleReady, props.dataReady, lsoas, cameras, helpPoints, pspo, saferStreets, props.areas, props.coverage, props.choropleth, hs?.cells, hs?.spots, hs?.mode, planningFeatures]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && props.drawing.kind === 'none') map.getCanvas().style.cursor = props.addMode ? 'crosshair' : '';
  }, [props.addMode, styleReady, props.drawing.kind]);
}
