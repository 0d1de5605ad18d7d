/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** The small part of the MapLibre map the browser tests call inside the page (see apps/web/src/global.d.ts). */
interface E2eRenderedFeature {
  properties: Record<string, unknown>;
  geometry:
    | { type: 'Point'; coordinates: number[] }
    | { type: 'Polygon'; coordinates: number[][][] }
    | { type: 'MultiPolygon'; coordinates: number[][][][] }
    | { type: 'LineString' | 'MultiPoint'; coordinates: number[][] }
    | { type: 'MultiLineString'; coordinates: number[][][] };
}

interface E2eMap {
  getLayer(id: string): unknown;
  getCanvas(): HTMLCanvasElement;
  project(lngLat: [number, number]): { x: number; y: number };
  queryRenderedFeatures(options: { layers: string[]; filter?: unknown[] }): E2eRenderedFeature[];
  queryRenderedFeatures(geometry: [number, number] | [[number, number], [number, number]], options: { layers: string[] }): E2eRenderedFeature[];
  getLayoutProperty(layer: string, name: string): unknown;
  fitBounds(bounds: [[number, number], [number, number]], options?: { padding?: number | { top: number; bottom: number; left: number; right: number }; duration?: number; maxZoom?: number }): unknown;
  loaded(): boolean;
  getStyle(): { name?: string; layers: { id: string }[] };
  getPaintProperty(layer: string, name: string): unknown;
  isMoving(): boolean;
  getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
  getFeatureState(feature: { source: string; sourceLayer?: string; id: string | number }): Record<string, unknown>;
  getZoom(): number;
  jumpTo(options: { center?: [number, number]; zoom?: number }): unknown;
  zoomTo(zoom: number, options?: { duration?: number }): unknown;
}

/** The small part of terra-draw (the map's drawing layer) the browser tests read. */
interface E2eDraw {
  getSnapshot(): { id?: string | number; geometry: { type: string; coordinates: number[][][] }; properties: Record<string, unknown> }[];
  getMode(): string;
}

interface Window {
  __saferPlacesMap?: E2eMap;
  __saferPlacesReady?: boolean;
  __saferPlacesDraw?: E2eDraw;
}
