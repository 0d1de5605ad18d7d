import { cameraViewPolygon } from '@safer-places/geo';
import type { Feature, FeatureCollection, Position } from '@safer-places/schemas';
import { CAMERA_TYPE_LABELS, DEFAULT_COVERAGE_RADIUS_M } from '@safer-places/schemas';
import type { ProposedCameraBody } from './api';
import { cameraIconId, hotspotRankIconId, MAX_RANK_ICON } from '../../map/icons';
import { PLANNING_COLOURS } from './layers';
import { periodLabel } from '../../shared/period';

/*
 * What the planner's map and legend are made of: the legend rows, and the markers, circles and numbered icons every
 * tab's map state is built from (layers.ts draws them by their `kind`).
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
/** A coverage circle (or a camera's view, when it faces one way) around a point. */
export const circle = (p: Position, radiusM: number, colour: string, key: string, view: { bearing?: number | null; fieldOfView?: number | null } = {}): Feature => ({
  type: 'Feature',
  geometry: cameraViewPolygon(p, radiusM, { ...(view.bearing != null && view.fieldOfView != null && { bearing: view.bearing, fieldOfView: view.fieldOfView }) }, 48),
  properties: { kind: 'circle', colour, key },
});
/** A numbered marker: the rank icons (1–20) of a slot, or the plain slot marker beyond. */
export const rankIcon = (slot: number, n: number) => hotspotRankIconId(slot, Math.min(n, MAX_RANK_ICON));
/** The legend's source line: the dataset, marked when its crimes are synthetic. */
export const sourceOf = (d: { dataset: { name: string; synthetic: boolean } }) =>
  `${d.dataset.name}${d.dataset.synthetic && !/synthetic/i.test(d.dataset.name) ? ' (synthetic demo data)' : ''}`;
export const periodOf = (d: { period: { from: string; to: string } }) => periodLabel(d.period.from, d.period.to);

/** "What if" cameras as the map draws them: the view and the camera symbol. */
export function proposedFeatures(proposed: readonly ProposedCameraBody[]): Feature[] {
  return proposed.flatMap((p, i) => {
    const r = p.coverageRadiusM ?? DEFAULT_COVERAGE_RADIUS_M[p.type];
    return [
      circle(p.location.coordinates, r, PLANNING_COLOURS.proposed, `proposed-${i}`, { bearing: p.bearingDeg ?? null, fieldOfView: p.fieldOfViewDeg ?? null }),
      point(p.location.coordinates, { icon: cameraIconId(p.type), key: `proposed-${i}`, label: `Proposed ${CAMERA_TYPE_LABELS[p.type]}` }),
    ];
  });
}

/** Nothing on the map and no legend. */
export const EMPTY_MAP_STATE: PlanningMapState = { features: { type: 'FeatureCollection', features: [] }, legend: null };
