import { sector } from '@turf/turf';
import type { PolygonGeometry, Position } from '@safer-places/schemas';
import { coverageCircle } from '../coverage-circle';

/**
 * What a camera sees, to draw on the map: its coverage circle, or with a field of view under 360° the geodesic sector
 * from bearing − fov/2 to bearing + fov/2 (degrees clockwise from north), closed at the camera.
 */
export function cameraViewPolygon(center: Position, radiusM: number, view: { bearing?: number; fieldOfView?: number } = {}, steps = 64): PolygonGeometry {
  const { bearing, fieldOfView } = view;
  if (bearing === undefined || fieldOfView === undefined || fieldOfView >= 360) return coverageCircle(center, radiusM, steps);
  if (!(radiusM > 0) || !Number.isFinite(radiusM)) throw new RangeError(`cameraViewPolygon: radius must be > 0 m, got ${radiusM}`);
  if (!(fieldOfView > 0)) throw new RangeError(`cameraViewPolygon: field of view must be > 0°, got ${fieldOfView}`);
  const arcSteps = Math.max(4, Math.round((steps * fieldOfView) / 360));
  const feature = sector(center, radiusM, bearing - fieldOfView / 2, bearing + fieldOfView / 2, { units: 'meters', steps: arcSteps });
  const ring = feature.geometry.coordinates[0]!.map(([x, y]) => [x!, y!] as Position);
  ring[ring.length - 1] = [ring[0]![0], ring[0]![1]];
  return { type: 'Polygon', coordinates: [ring] };
}
