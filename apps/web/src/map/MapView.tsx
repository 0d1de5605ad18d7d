import { forwardRef, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { allMapImages } from './icons';
import { planningMapImages } from '../features/planner/layers';
import { useAreaDrawing } from './areaDrawing';
import { offlineStyle } from './style';
import { configuredBaseMap, ensurePmtilesProtocol, overlayPlacement, resolveBaseMap } from './basemap';
import { attachPointerHandlers } from './pointerHandlers';
import { useMapSync } from './useMapSync';
import { buildOverlay } from './layers';

maplibregl.setWorkerUrl(workerUrl);

export type { HotspotMapState, MapSelection, MapViewHandle, MapViewProps } from './mapViewProps';
import type { MapViewHandle, MapViewProps } from './mapViewProps';

/** Padding for fitting the data: keep it clear of the legend card on the map's left when there is room. */
export function fitPadding(mapWidth: number): { top: number; bottom: number; left: number; right: number } {
  return { top: 24, bottom: 36, right: 56, left: mapWidth >= 760 ? 300 : 24 };
}

/**
 * The one component that owns the MapLibre map: it creates the map once, adds every source and layer from the pure
 * builders, and from then on only updates data, paint, filters and visibility as props change.
 */
export const MapView = forwardRef<MapViewHandle, MapViewProps>(function MapView(props, ref) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const propsRef = useRef(props);
  const [styleReady, setStyleReady] = useState(false);
  /** When a drawing was last finished: the click that finishes it must not also select what lies under it. */
  const drawFinishedAt = useRef(-Infinity);

  useLayoutEffect(() => {
    propsRef.current = props;
  });

  useImperativeHandle(ref, () => ({
    getCenter() {
      const c = mapRef.current?.getCenter();
      return c ? [c.lng, c.lat] : null;
    },
    getBounds() {
      const b = mapRef.current?.getBounds();
      return b ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : null;
    },
    fitBounds(b, opts) {
      const map = mapRef.current;
      map?.resize(); // the panel column may have just opened: fit to the map's size now, not its old one
      map?.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: fitPadding(map.getContainer().clientWidth), duration: 0, ...(opts?.maxZoom !== undefined && { maxZoom: opts.maxZoom }) });
    },
    getMap() {
      return mapRef.current;
    },
  }));

  // Create the map once.
  useEffect(() => {
    let cancelled = false;
    let map: maplibregl.Map | null = null;
    window.__saferPlacesReady = false;

    void (async () => {
      const configured = configuredBaseMap(propsRef.current.basemap, propsRef.current.baseStyleUrl);
      if (configured.kind === 'pmtiles') ensurePmtilesProtocol((name, loader) => maplibregl.addProtocol(name, loader as maplibregl.AddProtocolAction));
      const base = await resolveBaseMap(configured, (url, init) => fetch(url, init), { pageOrigin: window.location.origin });
      if (cancelled || !containerRef.current) return;
      if (base.reason && base.kind === 'offline' && configured.kind !== 'none') console.warn(`Safer Places: ${base.reason}; using the offline map style.`);
      propsRef.current.onBaseStyle?.(base);
      const b = propsRef.current.initialBounds;
      map = new maplibregl.Map({
        container: containerRef.current,
        style: base.style,
        ...(b
          ? { bounds: [[b[0], b[1]], [b[2], b[3]]] as [[number, number], [number, number]], fitBoundsOptions: { padding: fitPadding(containerRef.current.clientWidth) } }
          : { center: [-1.15, 53.1] as [number, number], zoom: 9 }),
        maxZoom: 18,
        // The API's LSOA tiles need the bearer token; every other request (base map, sprites) goes as it is.
        transformRequest: (url, resourceType) => {
          const tiles = propsRef.current.lsoaTiles;
          return tiles && resourceType === 'Tile' && tiles.owns(url) ? { url, headers: tiles.headers() } : { url };
        },
        attributionControl: { compact: false },
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
      });
      mapRef.current = map;
      window.__saferPlacesMap = map;
      map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
      map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
      map.touchZoomRotate.disableRotation();

      // A remote style that fails before it loads (bad sprite host, blocked tiles host) falls back to offline.
      let fellBack = base.kind === 'offline';
      map.on('error', (e) => {
        if (!fellBack && map && !map.isStyleLoaded()) {
          fellBack = true;
          console.warn('Safer Places: the base map failed to load; using the offline map style.', e.error);
          map.setStyle(offlineStyle());
          propsRef.current.onBaseStyle?.({ style: offlineStyle(), kind: 'offline', reason: String(e.error?.message ?? 'error') });
        } else {
          // With a listener attached MapLibre no longer logs errors itself (e.g. a base-map tile that failed).
          console.warn('Safer Places: map error', e.error);
        }
      });

      map.on('load', () => {
        if (!map || cancelled) return;
        const ratio = Math.min(3, Math.max(1, Math.round(window.devicePixelRatio || 1)));
        for (const [id, img] of allMapImages(ratio)) {
          if (!map.hasImage(id)) map.addImage(id, { width: img.width, height: img.height, data: img.data }, { pixelRatio: img.pixelRatio });
        }
        for (const [id, img] of planningMapImages(ratio)) {
          if (!map.hasImage(id)) map.addImage(id, { width: img.width, height: img.height, data: img.data }, { pixelRatio: img.pixelRatio });
        }
        const p = propsRef.current;
        const overlay = buildOverlay({
          visible: p.visible,
          coverage: p.showCoverage,
          choropleth: p.choropleth,
          lsoaTileUrl: p.lsoaTiles?.url ?? null,
          lsoaScope: p.lsoaView ? p.lsoaView.scopeCodes : [],
          selected: p.selected,
          draft: p.draft,
          data: {
            ...(p.data.cameras && { cameras: p.data.cameras }),
            ...(p.data['help-points'] && { 'help-points': p.data['help-points'] }),
            ...(p.data['pspo-zones'] && { 'pspo-zones': p.data['pspo-zones'] }),
            ...(p.data['safer-streets-areas'] && { 'safer-streets-areas': p.data['safer-streets-areas'] }),
            ...(p.coverage && { coverage: p.coverage }),
          },
          areas: { visible: p.showAreas, hiddenId: p.hiddenAreaId, ...(p.areas && { data: p.areas }) },
          hotspots: {
            mode: p.hotspots?.mode ?? 'gi',
            selectedCell: p.hotspots?.selectedCell ?? null,
            selectedSpot: p.hotspots?.selectedSpot ?? null,
            ...(p.hotspots?.cells && { cells: p.hotspots.cells }),
            ...(p.hotspots?.spots && { spots: p.hotspots.spots }),
          },
          bid: p.bid ?? {},
          planning: { ...(p.planning?.features && { data: p.planning.features }) },
          context: { visible: p.showContext ?? true },
        });
        for (const s of overlay.sources) map.addSource(s.id, s.source);
        // Shading and outlines under the base map's labels (street and place names stay readable), points on top.
        const labels = !fellBack && base.labelLayerId && map.getLayer(base.labelLayerId) ? base.labelLayerId : undefined;
        for (const { layer, beforeId } of overlayPlacement(overlay.layers, labels)) map.addLayer(layer, beforeId);
        setStyleReady(true);
      });

      attachPointerHandlers(map, propsRef, drawFinishedAt);

      map.on('moveend', () => {
        if (!map) return;
        const b2 = map.getBounds();
        propsRef.current.onViewChange?.([b2.getWest(), b2.getSouth(), b2.getEast(), b2.getNorth()]);
      });
    })();

    return () => {
      cancelled = true;
      window.__saferPlacesReady = false;
      if (window.__saferPlacesMap === map) delete window.__saferPlacesMap;
      map?.remove();
      mapRef.current = null;
    };
  }, []);

  // The place: fitted once per request, as soon as the map exists.
  const fittedSeq = useRef<number | null>(null);
  const fitTo = props.fitTo;
  useEffect(() => {
    const map = mapRef.current;
    if (!styleReady || !map || !fitTo || fittedSeq.current === fitTo.seq) return;
    fittedSeq.current = fitTo.seq;
    const b = fitTo.bbox;
    map.resize();
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: fitPadding(map.getContainer().clientWidth), duration: 0 });
  }, [styleReady, fitTo]);

  useMapSync(mapRef, styleReady, props);

  // The drawing layer (terra-draw) lives and dies with this map.
  useAreaDrawing(styleReady ? mapRef.current : null, styleReady, props.drawing, {
    onDrawFinish: (result, shape) => {
      drawFinishedAt.current = performance.now();
      propsRef.current.onDrawFinish?.(result, shape);
    },
    onDrawEdit: (result) => propsRef.current.onDrawEdit?.(result),
    onDrawProblem: (message) => propsRef.current.onDrawProblem?.(message),
  });

  return (
    <div
      ref={containerRef}
      className={`map${props.addMode ? ' map--adding' : ''}${props.drawing.kind === 'draw' ? ' map--drawing' : ''}`}
      role="region"
      aria-label="Map of crime by LSOA, CCTV cameras, help points, PSPO zones, Safer Streets areas and drawn areas"
      data-testid="map"
    />
  );
});
