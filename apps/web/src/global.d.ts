import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    /** The live map, for browser tests and debugging. */
    __saferPlacesMap?: MapLibreMap;
    /** True once every layer's data is on the map and the map is idle. */
    __saferPlacesReady?: boolean;
  }
}

export {};
