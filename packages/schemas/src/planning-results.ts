import type { AnalysisHeader, CellCollection, Correction, DatasetRef } from './analysis';
import type { CameraType, Camera, HelpPoint } from './entities';
import type { BBox, PolygonGeometry } from './geometry';
import type { GridShape, SpotFields } from './hotspots-api';
import type { Month } from './months';
import type { OfficerRole } from './planning';
import type { Place } from './scope';

/*
 * Answers of the planner's workflow (`/api/planning/…`; the requests are in planning-api.ts). Every place the map
 * draws a camera's view or a radius around a point carries that shape as `coverage`: a polygon in WGS84 longitude and
 * latitude, 48 steps to the full circle, exactly the shape the coverage model counts in British National Grid metres
 * (a circle, or the sector of a camera's field of view).
 */

/** Vertices to the full circle of every `coverage` polygon (a sector gets its share of them, at least 4). */
export const COVERAGE_POLYGON_STEPS = 48;

/** One of the commonest crime types among some crimes. */
export interface CrimeType {
  key: string;
  label: string;
  count: number;
}

/** A camera as the coverage model counted it: where, how far and which way it sees. */
export interface CameraViewSummary {
  /** Null for a proposed ("what if") camera. */
  id: string | null;
  name: string;
  type: CameraType;
  lon: number;
  lat: number;
  radiusM: number;
  bearingDeg: number | null;
  fieldOfViewDeg: number | null;
}

/** A proposed ("what if") camera of the request, as the answer counted it, with its view to draw. */
export interface ProposedCameraView extends CameraViewSummary {
  coverage: PolygonGeometry;
}

/** `POST /api/planning/camera-views`: each camera of the request, in order, with its view. */
export interface CameraViews {
  views: ProposedCameraView[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Patrol plan: `GET /api/planning/patrol`
// ---------------------------------------------------------------------------------------------------------------------

export interface PatrolStop extends SpotFields {
  /** Position in the visit order, 1-based. */
  visit: number;
  mainTypes: CrimeType[];
  /** Straight-line metres from the previous stop (the start for the first). */
  legM: number;
  cumulativeM: number;
  busiestPointShare: number;
  snapPointWarning: boolean;
}

export interface PatrolPlan extends AnalysisHeader {
  /** Only crimes in this box counted, when the request gave one. */
  area: { bbox: BBox } | null;
  start: { lon: number; lat: number };
  roundTrip: boolean;
  stops: PatrolStop[];
  distance: {
    totalM: number;
    /** The leg back to the start, on a round trip. */
    returnLegM: number | null;
    nearestNeighbourM: number;
    savedM: number;
    method: string;
    straightLine: boolean;
  };
  dosage: {
    minutesPerVisit: number;
    patrolsPerDay: number;
    speedKmh: number;
    minutesOnSpotsPerPatrol: number;
    travelMinutesPerPatrol: number;
    minutesPerPatrol: number;
    hoursPerDay: number;
    hoursPerWeek: number;
    minutesPerSpotPerDay: number;
  };
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Coverage gaps: `POST /api/planning/coverage`
// ---------------------------------------------------------------------------------------------------------------------

/** A significant hot cell no camera covers, described. */
export interface GapCell extends Place {
  cell: number;
  crimes: number;
  z: number;
  class: number;
  /** The cell's centre. */
  lon: number;
  lat: number;
  location: string | null;
  mainTypes: CrimeType[];
}

export type GapCellProperties = {
  cell: number;
  crimes: number;
  class: number;
  z: number;
  location: string;
  /** e.g. "Violence and sexual offences (12), Shoplifting (4)". */
  mainTypes: string;
};

export interface CoverageSpot extends SpotFields {
  mainTypes: CrimeType[];
  /** Crimes of the spot the live cameras cover. */
  coveredBefore: number;
  /** With the proposed cameras too. */
  covered: number;
  share: number | null;
  gap: boolean;
  snapPointWarning: boolean;
}

export interface CoverageFigures {
  crimesCovered: number;
  shareCovered: number | null;
  hotCells: number;
  hotCellCrimes: number;
  hotCellCrimesCovered: number;
  hotCellShareCovered: number | null;
  gapCells: number;
  gapCellCrimes: number;
  spots: number;
  spotGaps: number;
}

export interface CoverageGaps extends AnalysisHeader {
  grid: { shape: GridShape; cellSizeM: number; correction: Correction };
  cameras: {
    live: number;
    /** Each proposed camera, its crimes in view and those nothing else covers. */
    proposed: (ProposedCameraView & { crimesInView: number; newlyCovered: number })[];
  };
  /** With the live cameras only. */
  before: CoverageFigures;
  /** With the proposed cameras too; null without proposed cameras. */
  after: CoverageFigures | null;
  gapCells: CellCollection<GapCellProperties>;
  /** The busiest gap cells, busiest first. */
  gapList: GapCell[];
  truncated: boolean;
  spots: CoverageSpot[];
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Candidate camera sites: `POST /api/planning/sites`
// ---------------------------------------------------------------------------------------------------------------------

export interface SitePick extends Place {
  rank: number;
  /** Index into the candidate sites. */
  candidate: number;
  /** The hot cell, when the candidates were the hot-cell centres. */
  cell: number | null;
  lon: number;
  lat: number;
  radiusM: number;
  /** Crimes this pick newly covers. */
  gain: number;
  coveredBefore: number;
  coveredAfter: number;
  shareBefore: number | null;
  shareAfter: number | null;
  location: string | null;
  mainTypes: CrimeType[];
  /** The new camera's coverage circle. */
  coverage: PolygonGeometry;
}

export interface CandidateSites extends AnalysisHeader {
  camera: { type: CameraType; typeLabel: string; radiusM: number };
  candidates: { source: 'uploaded' | 'hot-cells'; count: number; cellSizeM: number | null };
  existingCameras: number;
  total: number;
  coveredBefore: number;
  coveredAfter: number;
  shareBefore: number | null;
  shareAfter: number | null;
  picks: SitePick[];
  /** The proposed cameras of the request, counted as existing ones. */
  proposed: ProposedCameraView[];
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Re-deployable camera rotation: `GET /api/planning/rotation`
// ---------------------------------------------------------------------------------------------------------------------

export interface RotationSite extends Place {
  cell: number;
  /** The cell's centre. */
  lon: number;
  lat: number;
  /** The last 12 months' crimes a camera there would newly cover. */
  crimes: number;
  pattern: 'emerging' | 'persistent';
  location: string | null;
  mainTypes: CrimeType[];
}

export interface RotationSuggestion extends RotationSite {
  /** 1 = this camera's first choice. */
  choice: number;
  sameDistrict: boolean;
  /** Straight line from the camera. */
  distanceM: number;
  /** Coverage there, with the rotation's radius (RotationSuggestions.radiusM). */
  coverage: PolygonGeometry;
}

export interface RotationCamera {
  id: string;
  name: string;
  district: string | null;
  status: Camera['status'];
  version: number;
  lon: number;
  lat: number;
  radiusM: number;
  current: { id: string; siteName: string; startDate: string; endDate: string; due: boolean; overdue: boolean } | null;
  /** Latest first, at most 10. */
  history: { id: string; version: number; siteName: string; startDate: string; endDate: string; lon: number; lat: number; notes: string | null }[];
  suggestions: RotationSuggestion[];
}

export type RotationCellProperties = {
  cell: number;
  pattern: 'emerging' | 'persistent';
  /** The last 12 months' crimes in the cell. */
  crimes: number;
};

export interface RotationSuggestions extends AnalysisHeader {
  grid: { shape: GridShape; cellSizeM: number; correction: Correction; periods: number; recentPeriods: number };
  recent: { from: Month; to: Month };
  radiusM: number;
  /** YYYY-MM-DD. */
  today: string;
  /** The camera due to move first comes first. */
  cameras: RotationCamera[];
  eligibleCells: CellCollection<RotationCellProperties>;
  sites: number;
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Help point suggestions: `GET /api/planning/help-points`
// ---------------------------------------------------------------------------------------------------------------------

export interface NearestHelpPoint {
  id: string;
  name: string;
  status: string;
  distanceM: number;
}

export interface HelpPointSpot extends SpotFields {
  mainTypes: CrimeType[];
  nearestHelpPoint: NearestHelpPoint | null;
  suggest: boolean;
  snapPointWarning: boolean;
}

export interface HelpPointArea {
  id: string;
  kind: 'area' | 'safer-streets-area';
  name: string;
  theme: string;
  crimes: number;
  /** The published point inside with the most of these crimes: where a help point would go. */
  busiestPoint: (Place & { lon: number; lat: number; crimes: number; location: string | null }) | null;
  nearestHelpPoint: NearestHelpPoint | null;
  suggest: boolean;
}

/** A help point and the circle of `distanceM` around it. */
export interface HelpPointReach {
  id: string;
  name: string;
  status: HelpPoint['status'];
  lon: number;
  lat: number;
  coverage: PolygonGeometry;
}

export interface HelpPointSuggestions extends AnalysisHeader {
  distanceM: number;
  helpPoints: {
    total: number;
    live: number;
    planned: number;
    /** Every help point counted (those of the dataset's study area), with the circle of `distanceM` around it. */
    reach: HelpPointReach[];
  };
  spots: HelpPointSpot[];
  areas: HelpPointArea[];
  suggested: number;
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Dosage report: `GET /api/planning/dosage`
// ---------------------------------------------------------------------------------------------------------------------

export interface DosageSpot {
  key: string;
  spotName: string;
  lon: number;
  lat: number;
  radiusM: number;
  /** YYYY-MM-DD. */
  firstVisit: string;
  month: {
    visits: number;
    minutes: number;
    hours: number;
    byRole: { role: string; hours: number }[];
    /** Null when police.uk has not published the month. */
    crimes: number | null;
    asb: number | null;
  };
  before: { months: number; crimesPerMonth: number | null; asbPerMonth: number | null };
  /** Patrol hours in each month of DosageReport.history. */
  hoursByMonth: number[];
  /** Latest first, at most 50. */
  visits: { id: string; version: number; visitDate: string; minutes: number; officerRole: OfficerRole; officerRoleLabel: string; notes: string | null }[];
  /** The circle of the spot's radius, where its crimes are counted. */
  coverage: PolygonGeometry;
}

export interface DosageReport {
  dataset: DatasetRef;
  month: Month;
  beforeMonths: number;
  crimeMonthPublished: boolean;
  lastCrimeMonth: Month | null;
  /** The 12 months ending `month`. */
  history: Month[];
  totals: { spots: number; visits: number; hours: number };
  spots: DosageSpot[];
  notes: string[];
}
