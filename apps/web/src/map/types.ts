import type { MapOptions } from 'maplibre-gl';

/*
 * MapLibre's style-spec types, taken from maplibre-gl's own declarations (maplibre-gl does not re-export them by
 * name, and the style-spec package is not a direct dependency of the web app).
 */
export type StyleSpecification = Exclude<MapOptions['style'], string | undefined>;
export type LayerSpecification = StyleSpecification['layers'][number];
export type SourceSpecification = StyleSpecification['sources'][string];
export type GeoJSONSourceSpecification = Extract<SourceSpecification, { type: 'geojson' }>;
export type FillLayerSpecification = Extract<LayerSpecification, { type: 'fill' }>;
export type LineLayerSpecification = Extract<LayerSpecification, { type: 'line' }>;
export type CircleLayerSpecification = Extract<LayerSpecification, { type: 'circle' }>;
export type SymbolLayerSpecification = Extract<LayerSpecification, { type: 'symbol' }>;
export type BackgroundLayerSpecification = Extract<LayerSpecification, { type: 'background' }>;
export type FilterSpecification = NonNullable<FillLayerSpecification['filter']>;
export type ColorValue = NonNullable<NonNullable<FillLayerSpecification['paint']>['fill-color']>;

/** A source id with its specification, ready for map.addSource. */
export interface SourceEntry {
  id: string;
  source: SourceSpecification;
}

/** What one logical layer adds to the map. */
export interface LayerBundle {
  sources: SourceEntry[];
  layers: LayerSpecification[];
}

/** A runtime-generated image for map.addImage: straight (not premultiplied) RGBA. */
export interface IconImage {
  width: number;
  height: number;
  data: Uint8Array;
  pixelRatio: number;
}

/**
 * A vector tile source the map reads with its own request headers (the API's tiles need the bearer token): the URL
 * template, which URLs are its tiles, and the headers to send with them (read per request).
 */
export interface MapTileSource {
  url: string;
  owns(url: string): boolean;
  headers(): Record<string, string>;
}
