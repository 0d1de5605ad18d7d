import * as turf from '@turf/turf';
import type { Feature as TurfFeature, MultiPolygon as TurfMultiPolygon, Polygon as TurfPolygon } from 'geojson';
import type { AreaGeometry, Position } from '@safer-places/schemas';

/**
 * The ring of land within `distanceM` metres of an area but outside it, where displacement (or diffusion of benefit)
 * of crime is looked for: turf.buffer (geodesic, via a local azimuthal equidistant projection) minus the area itself.
 * Null for a distance of 0 or when nothing is left.
 */
export function bufferRing(area: AreaGeometry, distanceM: number, steps = 8): AreaGeometry | null {
  if (!(distanceM > 0)) return null;
  const feature = turf.feature(area) as TurfFeature<TurfPolygon | TurfMultiPolygon>;
  const grown = turf.buffer(feature, distanceM, { units: 'meters', steps });
  if (!grown) return null;
  const ring = turf.difference(turf.featureCollection([grown as TurfFeature<TurfPolygon | TurfMultiPolygon>, feature]));
  if (!ring) return null;
  const g = ring.geometry;
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates as Position[][] };
  if (g.coordinates.length === 1) return { type: 'Polygon', coordinates: g.coordinates[0] as Position[][] };
  return { type: 'MultiPolygon', coordinates: g.coordinates as Position[][][] };
}

/** The area grown by `distanceM` metres (the ring plus the area). */
export function bufferArea(area: AreaGeometry, distanceM: number, steps = 8): AreaGeometry | null {
  if (!(distanceM > 0)) return structuredClone(area);
  const grown = turf.buffer(turf.feature(area) as TurfFeature<TurfPolygon | TurfMultiPolygon>, distanceM, { units: 'meters', steps });
  if (!grown) return null;
  const g = grown.geometry;
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates as Position[][] }
    : { type: 'MultiPolygon', coordinates: g.coordinates as Position[][][] };
}
