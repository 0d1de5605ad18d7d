import { circle } from '@turf/turf';
import type { PolygonGeometry, Position } from '@safer-places/schemas';

/** Geodesic circle around a camera: ring of `steps` vertices plus the closing one. */
export function coverageCircle(center: Position, radiusM: number, steps = 64): PolygonGeometry {
  if (!(radiusM > 0) || !Number.isFinite(radiusM)) throw new RangeError(`coverageCircle: radius must be > 0 m, got ${radiusM}`);
  if (!Number.isInteger(steps) || steps < 3) throw new RangeError(`coverageCircle: steps must be an integer >= 3, got ${steps}`);
  const feature = circle(center, radiusM, { steps, units: 'meters' });
  const ring = feature.geometry.coordinates[0]!.map(([x, y]) => [x!, y!] as Position);
  // turf closes the ring by copying the first vertex; make it exact so strict validators accept it.
  ring[ring.length - 1] = [ring[0]![0], ring[0]![1]];
  return { type: 'Polygon', coordinates: [ring] };
}
