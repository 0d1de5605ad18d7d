import type { Feature, FeatureCollection, PolygonGeometry, Position, ProposedCameraView } from '@safer-places/schemas';
import { CAMERA_TYPE_LABELS, DEFAULT_COVERAGE_RADIUS_M } from '@safer-places/schemas';
import type { ProposedCameraBody } from './api';
import { cameraIconId, hotspotRankIconId, MAX_RANK_ICON } from '../../map/icons';
import { PLANNING_COLOURS } from './layers';
import { periodLabel } from '../../shared/period';

/*
 * What the planner's map and legend are made of: the legend rows, and the markers, circles and numbered icons every
 * tab's map state is built from (layers.ts draws them by their `kind`). Circles and camera views are the server's
 * `coverage` polygons from the answers (and `POST /api/planning/camera-views`): the web never projects them itself.
 */

export type PlannerLegendRow =
  | { kind: 'icon'; icon: string; label: string; count?: number }
  | { kind: 'fill'; colour: string; label: string; count?: number }
  | { kind: 'line'; colour: string; dashed: boolean; label: string };

export interface PlannerLegend {
  title: string;
  rows: PlannerLegendRow[];
  note?: string;
  source: string;
}

export interface PlanningMapState {
  features: FeatureCollection;
  legend: PlannerLegend | null;
}

type Props = Record<string, unknown>;

/** A marker: an icon at a point. */
export const point = (p: Position, props: Props): Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { kind: 'point', ...props } });
/** A coverage circle (or a camera's view, when it faces one way): a `coverage` polygon of an answer. */
export const circle = (coverage: PolygonGeometry, colour: string, key: string): Feature => ({
  type: 'Feature',
  geometry: coverage,
  properties: { kind: 'circle', colour, key },
});
/** A numbered marker: the rank icons (1–20) of a slot, or the plain slot marker beyond. */
export const rankIcon = (slot: number, n: number) => hotspotRankIconId(slot, Math.min(n, MAX_RANK_ICON));
/** The legend's source line: the dataset, marked when its crimes are synthetic. */
export const sourceOf = (d: { dataset: { name: string; synthetic: boolean } }) =>
  `${d.dataset.name}${d.dataset.synthetic && !/synthetic/i.test(d.dataset.name) ? ' (synthetic demo data)' : ''}`;
export const periodOf = (d: { period: { from: string; to: string } }) => periodLabel(d.period.from, d.period.to);

/**
 * "What if" cameras as the map draws them: the view and the camera symbol. `views[i]` is the view of `proposed[i]`
 * (from the answer, or the camera views asked for it); a camera whose view is not known yet shows its symbol alone.
 */
export function proposedFeatures(proposed: readonly ProposedCameraBody[], views: readonly (PolygonGeometry | null | undefined)[]): Feature[] {
  return proposed.flatMap((p, i) => {
    const view = views[i];
    return [
      ...(view ? [circle(view, PLANNING_COLOURS.proposed, `proposed-${i}`)] : []),
      point(p.location.coordinates, { icon: cameraIconId(p.type), key: `proposed-${i}`, label: `Proposed ${CAMERA_TYPE_LABELS[p.type]}` }),
    ];
  });
}

/** Whether `view` (from an answer or the camera views) is the view of the proposed camera `p`: same place and shape. */
export function isViewOf(p: ProposedCameraBody, view: ProposedCameraView): boolean {
  const [lon, lat] = p.location.coordinates;
  return (
    Math.abs(view.lon - lon) < 5e-7 &&
    Math.abs(view.lat - lat) < 5e-7 &&
    view.type === p.type &&
    view.radiusM === (p.coverageRadiusM ?? DEFAULT_COVERAGE_RADIUS_M[p.type]) &&
    view.bearingDeg === (p.bearingDeg ?? null) &&
    view.fieldOfViewDeg === (p.fieldOfViewDeg ?? null)
  );
}

/** The view of each proposed camera among those known (undefined where none is), in the order of `proposed`. */
export function knownViews(proposed: readonly ProposedCameraBody[], known: readonly ProposedCameraView[]): (PolygonGeometry | undefined)[] {
  return proposed.map((p) => known.find((v) => isViewOf(p, v))?.coverage);
}

/** Nothing on the map and no legend. */
export const EMPTY_MAP_STATE: PlanningMapState = { features: { type: 'FeatureCollection', features: [] }, legend: null };
