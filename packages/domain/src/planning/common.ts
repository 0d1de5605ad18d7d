import {
  assignCells,
  cameraViewPolygon,
  countCells,
  giStar,
  lonLatToBng,
  significantCells,
  type CameraView,
  type Grid,
} from '@safer-places/geo';
import type { Camera, CameraType, CameraViewSummary, CrimeType, PolygonGeometry, Position, ProposedCamera, ProposedCameraView } from '@safer-places/schemas';
import { COVERAGE_POLYGON_STEPS, CRIME_CATEGORIES, DEFAULT_COVERAGE_RADIUS_M, PLANNING_CELL_SIZE_M } from '@safer-places/schemas';
import type { AssetService } from '../assets';
import type { Clock } from '../ports';
import type { CrimePoints } from '../crime-points';
import type { CrimeSelection } from '../crime-selection';

/** What every planner analysis needs: the shared crime selection (and its caches), the organisation's items, a clock. */
export interface PlanningContext {
  selection: CrimeSelection;
  assets: AssetService;
  clock: Clock;
}

export type Selected = Awaited<ReturnType<CrimeSelection['select']>>;

/** A camera as the coverage model sees it, in BNG metres, with what the answer reports about it. */
export interface PlacedCamera extends CameraView {
  id: string | null;
  name: string;
  type: CameraType;
  lon: number;
  lat: number;
}

export function effectiveRadius(type: CameraType, radius?: number): number {
  return radius ?? DEFAULT_COVERAGE_RADIUS_M[type];
}

function place(lon: number, lat: number, base: Omit<PlacedCamera, 'x' | 'y' | 'lon' | 'lat'>): PlacedCamera {
  const [x, y] = lonLatToBng(lon, lat);
  return { ...base, x, y, lon, lat };
}

/** Live cameras count for coverage; planned and decommissioned ones do not (they watch nothing today). */
export function liveCameraViews(cameras: readonly Camera[], keep: (c: Camera) => boolean = () => true): PlacedCamera[] {
  return cameras
    .filter((c) => c.status === 'live' && keep(c))
    .map((c) =>
      place(c.location.coordinates[0], c.location.coordinates[1], {
        id: c.id,
        name: c.name,
        type: c.type,
        radius: effectiveRadius(c.type, c.coverageRadiusM),
        ...(c.bearingDeg !== undefined && c.fieldOfViewDeg !== undefined && { bearing: c.bearingDeg, fieldOfView: c.fieldOfViewDeg }),
      }),
    );
}

export function proposedCameraViews(proposed: readonly ProposedCamera[]): PlacedCamera[] {
  return proposed.map((p, i) =>
    place(p.location.coordinates[0], p.location.coordinates[1], {
      id: null,
      name: p.name ?? `Proposed camera ${i + 1}`,
      type: p.type,
      radius: effectiveRadius(p.type, p.coverageRadiusM),
      ...(p.bearingDeg !== undefined && p.fieldOfViewDeg !== undefined && { bearing: p.bearingDeg, fieldOfView: p.fieldOfViewDeg }),
    }),
  );
}

/** The grid planner analyses use: camera-sized cells (100 m) unless asked otherwise. */
export async function planningGrid(ctx: PlanningContext, s: Selected, cellSize: number | undefined) {
  return ctx.selection.studyGrid(s.scope, cellSize ?? PLANNING_CELL_SIZE_M, 'square');
}

/** Gi* over the selected crimes and the significant hot cells (class > 0), with every point's cell. */
export function hotCells(s: Selected, grid: Grid, mask: Uint8Array, correction: 'fdr' | 'holm' | 'none') {
  const cellOfPoint = assignCells(grid, s.projected.xy);
  const counts = countCells(grid, cellOfPoint, s.selected);
  const gi = giStar(grid, counts, { mask, correction });
  const hot = Array.from(significantCells(gi, 1)).filter((c) => gi.classes[c]! > 0);
  return { cellOfPoint, counts, gi, hot };
}

/** The most common crime types among some crimes, largest first (ties in police.uk order). */
export function mainCrimeTypes(points: Pick<CrimePoints, 'category'>, members: Iterable<number>, n = 3): CrimeType[] {
  const tally = new Uint32Array(CRIME_CATEGORIES.length);
  for (const i of members) tally[points.category[i]!]!++;
  return [...tally.keys()]
    .filter((c) => tally[c]! > 0)
    .sort((a, b) => tally[b]! - tally[a]! || a - b)
    .slice(0, n)
    .map((c) => ({ key: CRIME_CATEGORIES[c]!.slug, label: CRIME_CATEGORIES[c]!.label, count: tally[c]! }));
}

/** The most common police.uk location text among some crimes ("On or near …"), or null. */
export function commonLocation(locations: readonly string[], members: Iterable<number>): string | null {
  const tally = new Map<string, number>();
  let best: string | null = null, bestCount = 0;
  for (const i of members) {
    const t = locations[i]?.trim();
    if (!t) continue;
    const c = (tally.get(t) ?? 0) + 1;
    tally.set(t, c);
    if (c > bestCount) [best, bestCount] = [t, c];
  }
  return best;
}

export function toBngPoint(p: Position): [number, number] {
  return lonLatToBng(p[0], p[1]);
}

export const share = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);
export const round1 = (x: number) => Math.round(x * 10) / 10;
export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function viewSummary(c: PlacedCamera): CameraViewSummary {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    lon: round6(c.lon),
    lat: round6(c.lat),
    radiusM: c.radius,
    bearingDeg: c.bearing ?? null,
    fieldOfViewDeg: c.fieldOfView ?? null,
  };
}

/**
 * The shape an answer carries for the map to draw (`coverage`): the circle of `radiusM` around `position`, or with a
 * bearing and a field of view the sector the camera sees, COVERAGE_POLYGON_STEPS vertices to the full circle.
 */
export function coveragePolygon(position: Position, radiusM: number, view: { bearing?: number; fieldOfView?: number } = {}): PolygonGeometry {
  return cameraViewPolygon(position, radiusM, view, COVERAGE_POLYGON_STEPS);
}

/** A proposed camera as the answer reports it, with the view it was counted with. */
export function proposedView(c: PlacedCamera): ProposedCameraView {
  const view = c.bearing !== undefined && c.fieldOfView !== undefined ? { bearing: c.bearing, fieldOfView: c.fieldOfView } : {};
  return { ...viewSummary(c), coverage: coveragePolygon([c.lon, c.lat], c.radius, view) };
}
