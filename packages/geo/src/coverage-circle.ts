import type { PolygonGeometry, Position } from '@safer-places/schemas';
import { circlePolygon } from './measure';

/**
 * A camera's coverage circle: every vertex `radiusM` metres from the camera on the British National Grid, the same
 * metres the coverage model (planning/camera-coverage.ts) counts in, so a crime drawn inside the circle is a crime the
 * figures count as covered. A ring of `steps` vertices plus the closing one, which repeats the first exactly.
 */
export function coverageCircle(center: Position, radiusM: number, steps = 64): PolygonGeometry {
  if (!(radiusM > 0) || !Number.isFinite(radiusM)) throw new RangeError(`coverageCircle: radius must be > 0 m, got ${radiusM}`);
  if (!Number.isInteger(steps) || steps < 3) throw new RangeError(`coverageCircle: steps must be an integer >= 3, got ${steps}`);
  return circlePolygon(center, radiusM, steps);
}
