import {
  CONTEXT_TILE_LAYERS,
  CONTEXT_TILE_MAX_ZOOM,
  CONTEXT_TILE_MIN_ZOOM,
  CONTEXT_ATTRIBUTION,
  PLACE_LABEL_MIN_ZOOM,
  contextTileUrl,
  type PlaceLabelKind,
} from '@safer-places/schemas';
import type { LayerBundle, LayerSpecification, LineLayerSpecification, SourceSpecification, SymbolLayerSpecification } from '../types';
import { LAYER_IDS, SOURCE_IDS, type LayerId } from './ids';
import { visibility } from './common';

/*
 * The context layer: district and ward boundaries, the study area's outline and place names, from the API's context
 * tiles (built from the dataset's own ONS LSOAs, wards and districts), drawn over the shading with or without a base
 * map, so a map with no network still shows where things are.
 *
 * Legible without relying on colour: every line and name is a dark neutral on a white halo or casing, and the levels
 * differ by weight, dash and size (district: solid, wide, bold names; ward: dashed, thin; study area: a wide grey edge
 * under a dark line). Labels are thinned by MapLibre's collision detection, largest place first (`rank`), each kind
 * from its own zoom (PLACE_LABEL_MIN_ZOOM: districts always, towns from 10, wards from 11, LSOAs from 14).
 *
 * Fonts: with the offline style (no `glyphs` URL) maplibre-gl draws text locally with the browser's fonts, and the
 * font name only picks the weight; with a remote base style the names are fetched from its glyph server, which the
 * public styles (OpenFreeMap, Protomaps) serve as "Noto Sans Regular" and "Noto Sans Bold". One font per stack, since
 * a glyph server answers one stack name at a time.
 */

export const CONTEXT_FONT_REGULAR = ['Noto Sans Regular'];
export const CONTEXT_FONT_BOLD = ['Noto Sans Bold'];

/** Ink and halo: near-black on white reads over every shading colour (YlOrRd, RdYlBu) and over a base map. */
const INK = '#1a1a1a';
const INK_SOFT = '#3d3d3d';
const HALO = '#ffffff';

/** The map layers of the context layer, bottom to top (what its checkbox shows and hides). */
export const CONTEXT_LINE_LAYER_IDS: readonly LayerId[] = [
  LAYER_IDS.contextStudyAreaCasing,
  LAYER_IDS.contextStudyArea,
  LAYER_IDS.contextWardLine,
  LAYER_IDS.contextDistrictCasing,
  LAYER_IDS.contextDistrictLine,
];
export const CONTEXT_LABEL_LAYER_IDS: readonly LayerId[] = [
  LAYER_IDS.contextLabelsLsoa,
  LAYER_IDS.contextLabelsWard,
  LAYER_IDS.contextLabelsTown,
  LAYER_IDS.contextLabelsDistrict,
];
export const CONTEXT_LAYER_IDS: readonly LayerId[] = [...CONTEXT_LINE_LAYER_IDS, ...CONTEXT_LABEL_LAYER_IDS];

/**
 * The dataset's context tile URL, from its LSOA tile URL (same origin and dataset: `lsoaTileUrl` and `contextTileUrl`
 * of packages/schemas); null when there is no LSOA tile URL or it is not one.
 */
export function contextTileUrlFor(lsoaTileUrl: string | null | undefined): string | null {
  const m = lsoaTileUrl ? /^(.*)\/api\/tiles\/lsoas\/\{z\}\/\{x\}\/\{y\}\.mvt\?dataset=([^&]+)$/.exec(lsoaTileUrl) : null;
  return m ? contextTileUrl(m[1]!, decodeURIComponent(m[2]!)) : null;
}

export function contextVectorSource(tileUrl: string | null | undefined): SourceSpecification {
  return { type: 'vector', tiles: tileUrl ? [tileUrl] : [], minzoom: CONTEXT_TILE_MIN_ZOOM, maxzoom: CONTEXT_TILE_MAX_ZOOM, attribution: CONTEXT_ATTRIBUTION };
}

const zoomed = (stops: [number, number][]) => ['interpolate', ['linear'], ['zoom'], ...stops.flat()] as unknown as number;

function line(id: LayerId, sourceLayer: string, paint: LineLayerSpecification['paint'], visible: boolean, minzoom = 0): LineLayerSpecification {
  return {
    id,
    type: 'line',
    source: SOURCE_IDS.context,
    'source-layer': sourceLayer,
    minzoom,
    layout: { visibility: visibility(visible), 'line-join': 'round', 'line-cap': 'round' },
    paint,
  };
}

interface LabelStyle {
  font: string[];
  /** Text size (px) at zoom 8 and at zoom 16. */
  size: [number, number];
  colour: string;
  halo: number;
  /** Letter spacing in ems (districts are spaced out a little, as on printed maps). */
  spacing?: number;
}

const LABEL_STYLES: Record<PlaceLabelKind, LabelStyle> = {
  district: { font: CONTEXT_FONT_BOLD, size: [14, 20], colour: INK, halo: 2, spacing: 0.05 },
  town: { font: CONTEXT_FONT_BOLD, size: [12, 16], colour: INK, halo: 1.8 },
  ward: { font: CONTEXT_FONT_REGULAR, size: [11, 14], colour: INK_SOFT, halo: 1.6 },
  lsoa: { font: CONTEXT_FONT_REGULAR, size: [10, 12], colour: INK_SOFT, halo: 1.4 },
};

const LABEL_LAYER_OF: Record<PlaceLabelKind, LayerId> = {
  district: LAYER_IDS.contextLabelsDistrict,
  town: LAYER_IDS.contextLabelsTown,
  ward: LAYER_IDS.contextLabelsWard,
  lsoa: LAYER_IDS.contextLabelsLsoa,
};

function labels(kind: PlaceLabelKind, visible: boolean): SymbolLayerSpecification {
  const s = LABEL_STYLES[kind];
  return {
    id: LABEL_LAYER_OF[kind],
    type: 'symbol',
    source: SOURCE_IDS.context,
    'source-layer': CONTEXT_TILE_LAYERS.placeLabels,
    minzoom: PLACE_LABEL_MIN_ZOOM[kind],
    filter: ['==', ['get', 'kind'], kind],
    layout: {
      visibility: visibility(visible),
      'text-field': ['get', 'name'],
      'text-font': s.font,
      'text-size': zoomed([[8, s.size[0]], [16, s.size[1]]]),
      'text-max-width': 8,
      'text-padding': 4,
      'text-letter-spacing': s.spacing ?? 0,
      // Largest place first when two labels collide; a label that does not fit is left out, never drawn over another.
      'symbol-sort-key': ['get', 'rank'],
      'text-allow-overlap': false,
      'text-optional': false,
    },
    paint: { 'text-color': s.colour, 'text-halo-color': HALO, 'text-halo-width': s.halo, 'text-halo-blur': 0.5 },
  };
}

export interface ContextLayerOptions {
  visible: boolean;
  /** The dataset's context tile URL template; null: no dataset yet (the source has no tiles and draws nothing). */
  tileUrl: string | null;
}

/** The context layer's source and layers (line layers and label layers; OVERLAY_ORDER places each). */
export function contextLayers({ visible, tileUrl }: ContextLayerOptions): LayerBundle {
  const layers: LayerSpecification[] = [
    line(LAYER_IDS.contextStudyAreaCasing, CONTEXT_TILE_LAYERS.studyArea, { 'line-color': HALO, 'line-opacity': 0.85, 'line-width': zoomed([[6, 4], [14, 7]]) }, visible),
    line(LAYER_IDS.contextStudyArea, CONTEXT_TILE_LAYERS.studyArea, { 'line-color': INK, 'line-width': zoomed([[6, 1.6], [14, 3]]) }, visible),
    line(LAYER_IDS.contextWardLine, CONTEXT_TILE_LAYERS.wardBoundaries, { 'line-color': INK_SOFT, 'line-opacity': 0.9, 'line-width': zoomed([[9, 1], [14, 2]]), 'line-dasharray': [4, 2] }, visible, 9),
    line(LAYER_IDS.contextDistrictCasing, CONTEXT_TILE_LAYERS.districtBoundaries, { 'line-color': HALO, 'line-opacity': 0.8, 'line-width': zoomed([[6, 3], [14, 6]]) }, visible),
    line(LAYER_IDS.contextDistrictLine, CONTEXT_TILE_LAYERS.districtBoundaries, { 'line-color': INK, 'line-width': zoomed([[6, 1.2], [14, 2.5]]) }, visible),
  ];
  const kinds: PlaceLabelKind[] = ['lsoa', 'ward', 'town', 'district'];
  return {
    sources: [{ id: SOURCE_IDS.context, source: contextVectorSource(tileUrl) }],
    layers: [...layers, ...kinds.map((k) => labels(k, visible))],
  };
}
