import type { BBox, CameraType, CategorySelection, Position } from '@safer-places/schemas';
import type { CandidateSites, CoverageGaps, DosageReport, HelpPointSuggestions, PatrolPlan, ProposedCameraBody, RotationSuggestions } from './api';
import { HOTSPOT_PERIODS, resolveHotspotPeriod, type HotspotPeriod } from '../hotspots/hotspots';
import type { MonthRange } from '../../shared/period';

/*
 * The planner's choices as data: its tabs, what the user has set, and what each tab asks the server (the request and
 * its stable key). Pure: tested as data.
 */

export type PlannerTab = 'patrol' | 'gaps' | 'sites' | 'rotation' | 'help' | 'dosage';

export const PLANNER_TABS: readonly { value: PlannerTab; label: string; hint: string }[] = [
  { value: 'patrol', label: 'Patrol plan', hint: 'The top hot spots in a short visiting order from a start point, with the time the dosage takes.' },
  { value: 'gaps', label: 'Coverage gaps', hint: 'Hot cells and top hot spots no camera covers; drop a camera to see what it would change.' },
  { value: 'sites', label: 'Camera sites', hint: 'Where new cameras would newly cover the most crimes (greedy).' },
  { value: 'rotation', label: 'Rotation', hint: 'Next sites for re-deployable cameras, and their deployment history.' },
  { value: 'help', label: 'Help points', hint: 'VAWG-related hot spots and areas far from a refuge help point.' },
  { value: 'dosage', label: 'Dosage log', hint: 'Patrol visits recorded, and the monthly report of hours and crimes.' },
];

export interface PlannerQuery {
  categories: CategorySelection[];
  period: HotspotPeriod;
  /** Spots to patrol (top N). */
  top: number;
  minutes: number;
  perDay: number;
  speedKmh: number;
  roundTrip: boolean;
  start: Position | null;
  /** Only hot spots in this box (the map view when chosen); null for the whole dataset. */
  area: BBox | null;
  /** New cameras to site. */
  k: number;
  cameraType: CameraType;
  /** "What if" cameras dropped on the map. */
  proposed: ProposedCameraBody[];
  /** Feasible sites uploaded by the user (null: the hot-cell centroids). */
  candidates: { name: string; sites: Position[] } | null;
  helpDistanceM: number;
}

export const DEFAULT_PLANNER_QUERY: PlannerQuery = {
  categories: ['all-crime'],
  period: 'last-12',
  top: 10,
  minutes: 15,
  perDay: 2,
  speedKmh: 5,
  roundTrip: true,
  start: null,
  area: null,
  k: 5,
  cameraType: 'fixed',
  proposed: [],
  candidates: null,
  helpDistanceM: 300,
};

export const PLANNER_PERIODS = HOTSPOT_PERIODS.filter((p) => p.value !== 'all');
export const TOP_SPOT_CHOICES = [5, 8, 10, 15, 20] as const;
export const MINUTE_CHOICES = [10, 15, 20, 30] as const;
export const PER_DAY_CHOICES = [1, 2, 3, 4] as const;
export const SPEED_CHOICES = [
  { value: 5, label: 'On foot (5 km/h)' },
  { value: 15, label: 'Bicycle (15 km/h)' },
  { value: 30, label: 'Vehicle (30 km/h)' },
] as const;
export const K_CHOICES = [1, 2, 3, 5, 8, 10] as const;
/** Camera types in few words, for narrow selects: "PTZ (150 m)". */
export const CAMERA_SHORT_LABELS: Record<CameraType, string> = { fixed: 'Fixed', ptz: 'PTZ', redeployable: 'Re-deployable', anpr: 'ANPR' };

export function plannerPeriod(choice: HotspotPeriod, dataset: { firstMonth: string | null; lastMonth: string | null } | null): MonthRange | null {
  return resolveHotspotPeriod(choice, dataset);
}

export interface PlannerAnswers {
  patrol?: { key: string; result: PatrolPlan };
  gaps?: { key: string; result: CoverageGaps };
  sites?: { key: string; result: CandidateSites };
  rotation?: { key: string; result: RotationSuggestions };
  help?: { key: string; result: HelpPointSuggestions };
  dosage?: { key: string; result: DosageReport };
}

/** The parts of a dataset summary the planner's requests depend on. */
export interface DatasetLike {
  id: string;
  version: string;
  firstMonth: string | null;
  lastMonth: string | null;
}

/** The crimes and months part of every request (the whole dataset's months for rotation). */
export function plannerSelection(query: PlannerQuery, dataset: DatasetLike, allMonths = false, scope: string | null = null) {
  const range = allMonths ? (dataset.firstMonth && dataset.lastMonth ? { from: dataset.firstMonth, to: dataset.lastMonth } : null) : plannerPeriod(query.period, dataset);
  return {
    dataset: dataset.id,
    ...(scope && { scope }),
    categories: query.categories,
    ...(range && { from: range.from, to: range.to }),
  };
}

/**
 * What the active tab asks the server, as a stable key: an answer is shown only while its key matches, and a changed
 * key loads again. Null when the tab cannot ask yet (a patrol plan needs a start point).
 */
export function plannerRequestKey(
  tab: PlannerTab,
  query: PlannerQuery,
  dataset: DatasetLike,
  extra: { dosageMonth?: string | null; version?: number; assets?: string; scope?: string | null } = {},
): string | null {
  const sel = { v: dataset.version, ...plannerSelection(query, dataset, tab === 'rotation', extra.scope ?? null) };
  // Answers that depend on the organisation's cameras, help points, visits or deployments load again when they change.
  const own = { assets: extra.assets ?? '', n: extra.version ?? 0 };
  switch (tab) {
    case 'patrol':
      return query.start ? JSON.stringify({ tab, ...sel, top: query.top, minutes: query.minutes, perDay: query.perDay, speedKmh: query.speedKmh, roundTrip: query.roundTrip, start: query.start, area: query.area }) : null;
    case 'gaps':
      return JSON.stringify({ tab, ...sel, ...own, top: query.top, proposed: query.proposed });
    case 'sites':
      return JSON.stringify({ tab, ...sel, ...own, k: query.k, cameraType: query.cameraType, candidates: query.candidates?.sites ?? null, proposed: query.proposed });
    case 'rotation':
      return JSON.stringify({ tab, ...sel, ...own });
    case 'help':
      return JSON.stringify({ tab, v: dataset.version, dataset: dataset.id, scope: extra.scope ?? null, ...own, ...(plannerPeriod(query.period, dataset) ?? {}), top: query.top, distanceM: query.helpDistanceM });
    case 'dosage':
      return JSON.stringify({ tab, v: dataset.version, dataset: dataset.id, month: extra.dosageMonth ?? null, n: own.n });
  }
}

/** A proposed camera dropped at `at`, with the type's default radius (and a view when both bearing and width are set). */
export function proposedCamera(at: Position, type: CameraType, view: { bearingDeg?: number; fieldOfViewDeg?: number } = {}): ProposedCameraBody {
  const lonLat: Position = [Math.round(at[0] * 1e6) / 1e6, Math.round(at[1] * 1e6) / 1e6];
  return {
    location: { type: 'Point', coordinates: lonLat },
    type,
    ...(view.bearingDeg !== undefined && view.fieldOfViewDeg !== undefined && { bearingDeg: view.bearingDeg, fieldOfViewDeg: view.fieldOfViewDeg }),
  };
}
