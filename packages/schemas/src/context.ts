import type { Position } from './geometry';

/*
 * The context layer: district and ward boundaries, the study area's outline and place names, built from a dataset's
 * own ONS LSOAs (with their best-fit ward and district) and served as vector tiles beside the LSOA tiles, so the map
 * shows where things are with no base map and no network.
 * `GET /api/tiles/context/{z}/{x}/{y}.mvt?dataset=<id>`.
 */

/** The source layers inside each context tile. */
export const CONTEXT_TILE_LAYERS = {
  /** Lines between two districts (local authority districts), each drawn once. */
  districtBoundaries: 'district-boundaries',
  /** Lines between two wards of one district (a line between districts is a district boundary only). */
  wardBoundaries: 'ward-boundaries',
  /** The outline of the whole study area (every LSOA of the dataset). */
  studyArea: 'study-area',
  /** One point per district, town, ward and LSOA, where its name is drawn. */
  placeLabels: 'place-labels',
} as const;
export type ContextTileLayer = (typeof CONTEXT_TILE_LAYERS)[keyof typeof CONTEXT_TILE_LAYERS];

/** The zoom range context tiles are cut for (the same as the LSOA tiles); the map over-zooms the last one. */
export const CONTEXT_TILE_MIN_ZOOM = 0;
export const CONTEXT_TILE_MAX_ZOOM = 14;

/** The tile URL template of a dataset's context layer, for the map's vector source ({z}/{x}/{y} are filled by the map). */
export function contextTileUrl(origin: string, datasetId: string): string {
  return `${origin}/api/tiles/context/{z}/{x}/{y}.mvt?dataset=${encodeURIComponent(datasetId)}`;
}

/**
 * What a place label names: a district; a town (the common part of two or more ward names of one district, such as
 * "Hucknall" from "Hucknall North" and "Hucknall South"); a ward; an LSOA.
 */
export const PLACE_LABEL_KINDS = ['district', 'town', 'ward', 'lsoa'] as const;
export type PlaceLabelKind = (typeof PLACE_LABEL_KINDS)[number];

/**
 * The zoom from which each kind of label is drawn (and put in tiles): district names over the whole county, towns
 * once a district fills the screen, ward names at neighbourhood scale, LSOA names at street scale.
 */
export const PLACE_LABEL_MIN_ZOOM: Record<PlaceLabelKind, number> = { district: 0, town: 10, ward: 11, lsoa: 14 };

/** The properties of one place label in a context tile. */
export interface PlaceLabelProperties {
  name: string;
  kind: PlaceLabelKind;
  /** PLACE_LABEL_MIN_ZOOM of its kind. */
  minzoom: number;
  /** 0 for the largest place of its kind, then 1, 2 … by area: the map draws lower ranks first when labels collide. */
  rank: number;
  /** The district the place lies in (a district's own code for a district). */
  districtCode: string;
}

/** The properties of a boundary line in a context tile. */
export interface BoundaryLineProperties {
  level: 'district' | 'ward' | 'study-area';
}

/** A boundary as lines (a dissolve's edges, never a polygon: nothing to fill, nothing to click). */
export interface BoundaryLineFeature {
  type: 'Feature';
  geometry: { type: 'MultiLineString'; coordinates: Position[][] };
  properties: BoundaryLineProperties;
}

export interface PlaceLabelFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: Position };
  properties: PlaceLabelProperties;
}

/** The whole context layer of a dataset, one entry per tile layer. */
export interface ContextLayer {
  districtBoundaries: BoundaryLineFeature[];
  wardBoundaries: BoundaryLineFeature[];
  studyArea: BoundaryLineFeature[];
  placeLabels: PlaceLabelFeature[];
}

/** The attribution the map shows with the context layer (it is drawn from ONS boundaries, names and lookups). */
export const CONTEXT_ATTRIBUTION = 'Boundaries and names: Contains OS data © Crown copyright and database right; ONS, Open Government Licence v3.0';
