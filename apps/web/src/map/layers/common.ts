import type { FeatureCollection } from '@safer-places/schemas';
import type { ColorValue, FilterSpecification, GeoJSONSourceSpecification } from '../types';

export type Visibility = 'visible' | 'none';

export function visibility(visible: boolean): Visibility {
  return visible ? 'visible' : 'none';
}

export function emptyCollection(): FeatureCollection {
  return { type: 'FeatureCollection', features: [] };
}

export function geojsonSource(data?: FeatureCollection): GeoJSONSourceSpecification {
  return { type: 'geojson', data: (data ?? emptyCollection()) as GeoJSONSourceSpecification['data'] };
}

/**
 * Matches the one selected feature by a property (LSOA `code`, asset `id`). With nothing selected it matches an
 * empty string, which no feature has, so the layer keeps a valid filter and draws nothing.
 */
export function selectedFilter(field: 'code' | 'id', selectedId: string | null): FilterSpecification {
  return ['==', ['get', field], selectedId ?? ''] as FilterSpecification;
}

/** Cast helper for expressions whose literal arrays TypeScript cannot follow. */
export function colour(expr: unknown): ColorValue {
  return expr as ColorValue;
}
