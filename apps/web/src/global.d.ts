import type { Map as MapLibreMap } from 'maplibre-gl';
import type { TerraDraw } from 'terra-draw';

declare global {
  interface Window {
    /** The live map, for browser tests and debugging. */
    __saferPlacesMap?: MapLibreMap;
    /** True once every layer's data is on the map and the map is idle. */
    __saferPlacesReady?: boolean;
    /** The map's drawing layer (terra-draw), for browser tests: `getSnapshot()` gives what is drawn. */
    __saferPlacesDraw?: TerraDraw;
  }
}

export {};
