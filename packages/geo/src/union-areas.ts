import { featureCollection, union } from '@turf/turf';
import type { Feature as TurfFeature, MultiPolygon as TurfMultiPolygon, Polygon as TurfPolygon } from 'geojson';
import type { AreaGeometry, Position } from '@safer-places/schemas';

/**
 * Dissolves areas into one (e.g. a Safer Streets area from its LSOAs): a Polygon when they are contiguous,
 * otherwise a MultiPolygon. Null for no input.
 */
export function unionAreas(areas: AreaGeometry[]): AreaGeometry | null {
  if (areas.length === 0) return null;
  if (areas.length === 1) return structuredClone(areas[0]!);
  const features = areas.map(
    (g) => ({ type: 'Feature', properties: {}, geometry: g }) as TurfFeature<TurfPolygon | TurfMultiPolygon>,
  );
  const merged = union(featureCollection(features));
  if (!merged) return null;
  const g = merged.geometry;
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates as Position[][] };
  // polyclip returns a MultiPolygon of one part for a single contiguous result in some versions.
  if (g.coordinates.length === 1) return { type: 'Polygon', coordinates: g.coordinates[0] as Position[][] };
  return { type: 'MultiPolygon', coordinates: g.coordinates as Position[][][] };
}
