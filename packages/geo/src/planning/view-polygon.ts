import type { PolygonGeometry, Position } from '@safer-places/schemas';
import { coverageCircle } from '../coverage-circle';
import { sectorPolygon } from '../measure';

/**
 * What a camera sees, to draw on the map: its coverage circle, or with a field of view under 360° the sector from
 * bearing − fov/2 to bearing + fov/2 (degrees clockwise from grid north), closed at the camera. Both are drawn in
 * British National Grid metres, exactly the shape the coverage model counts (see camera-coverage.ts).
 */
export function cameraViewPolygon(center: Position, radiusM: number, view: { bearing?: number; fieldOfView?: number } = {}, steps = 64): PolygonGeometry {
  const { bearing, fieldOfView } = view;
  if (bearing === undefined || fieldOfView === undefined || fieldOfView >= 360) return coverageCircle(center, radiusM, steps);
  if (!(radiusM > 0) || !Number.isFinite(radiusM)) throw new RangeError(`cameraViewPolygon: radius must be > 0 m, got ${radiusM}`);
  if (!(fieldOfView > 0)) throw new RangeError(`cameraViewPolygon: field of view must be > 0°, got ${fieldOfView}`);
  const arcSteps = Math.max(4, Math.round((steps * fieldOfView) / 360));
  return sectorPolygon(center, radiusM, bearing - fieldOfView / 2, bearing + fieldOfView / 2, arcSteps);
}
