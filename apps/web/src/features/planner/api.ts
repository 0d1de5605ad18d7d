import type { CameraViews, CandidateSites, CoverageGaps, DosageReport, HelpPointSuggestions, PatrolPlan, RotationSuggestions } from '@safer-places/schemas';
import type { BBox, CameraType, CategorySelection, Position } from '@safer-places/schemas';

export type { CameraViews, CandidateSites, CoverageGaps, DosageReport, HelpPointSuggestions, PatrolPlan, RotationSuggestions };

type RequestFn = <T>(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal }) => Promise<T>;
type DownloadFn = (path: string) => Promise<{ blob: Blob; disposition: string | null }>;
type QueryFn = (params: Record<string, string | number | undefined | null>) => string;

/** Crimes and months every planner analysis is asked for. */
export interface PlannerSelection {
  dataset?: string;
  /** The place (a scope key): hot spots, cells and ranks stop at its edge. */
  scope?: string;
  categories?: CategorySelection[];
  from?: string;
  to?: string;
}

export interface PatrolParams extends PlannerSelection {
  start: Position;
  /** Only hot spots inside this box (the map view chosen). */
  bbox?: BBox | null;
  top: number;
  minutes: number;
  perDay: number;
  speedKmh: number;
  roundTrip: boolean;
}

/** A camera that does not exist yet, for "what if". */
export interface ProposedCameraBody {
  location: { type: 'Point'; coordinates: Position };
  type: CameraType;
  coverageRadiusM?: number;
  bearingDeg?: number;
  fieldOfViewDeg?: number;
}

export interface CoverageBody extends PlannerSelection {
  top: number;
  cellSize?: number;
  proposed?: ProposedCameraBody[];
}

export interface SitesBody extends PlannerSelection {
  k: number;
  cameraType: CameraType;
  cellSize?: number;
  candidates?: Position[];
  proposed?: ProposedCameraBody[];
}

const list = (c?: CategorySelection[]) => (c && c.length > 0 ? c.join(',') : undefined);
const body = <T extends PlannerSelection>(b: T) => ({ ...b, ...(b.categories && b.categories.length === 0 && { categories: undefined }) });

/** The planner's API calls, added to the app's client (same token, errors and downloads as every other call). */
export function planningApi(request: RequestFn, download: DownloadFn, buildQuery: QueryFn) {
  const patrolQuery = (q: PatrolParams) =>
    buildQuery({
      dataset: q.dataset,
      scope: q.scope,
      categories: list(q.categories),
      from: q.from,
      to: q.to,
      start: `${q.start[0].toFixed(6)},${q.start[1].toFixed(6)}`,
      bbox: q.bbox ? q.bbox.map((n) => n.toFixed(5)).join(',') : undefined,
      top: q.top,
      minutes: q.minutes,
      perDay: q.perDay,
      speedKmh: q.speedKmh,
      roundTrip: q.roundTrip ? 'true' : 'false',
    });
  return {
    patrolPlan: (q: PatrolParams, signal?: AbortSignal) => request<PatrolPlan>('GET', `/api/planning/patrol${patrolQuery(q)}`, signal ? { signal } : {}),
    downloadPatrol: (q: PatrolParams, kind: 'gpx' | 'geojson') => download(`/api/planning/patrol.${kind}${patrolQuery(q)}`),
    /** The view of each camera being placed ("what if"), in order, to draw before any analysis answers (1 to 20). */
    cameraViews: (b: { cameras: ProposedCameraBody[] }, signal?: AbortSignal) => request<CameraViews>('POST', '/api/planning/camera-views', { body: b, ...(signal && { signal }) }),
    coverageGaps: (b: CoverageBody, signal?: AbortSignal) => request<CoverageGaps>('POST', '/api/planning/coverage', { body: body(b), ...(signal && { signal }) }),
    candidateSites: (b: SitesBody, signal?: AbortSignal) => request<CandidateSites>('POST', '/api/planning/sites', { body: body(b), ...(signal && { signal }) }),
    rotation: (q: PlannerSelection & { suggestions?: number }, signal?: AbortSignal) =>
      request<RotationSuggestions>('GET', `/api/planning/rotation${buildQuery({ dataset: q.dataset, scope: q.scope, categories: list(q.categories), from: q.from, to: q.to, suggestions: q.suggestions })}`, signal ? { signal } : {}),
    helpPointSuggestions: (q: { dataset?: string; scope?: string; from?: string; to?: string; top?: number; distanceM?: number }, signal?: AbortSignal) =>
      request<HelpPointSuggestions>('GET', `/api/planning/help-points${buildQuery(q)}`, signal ? { signal } : {}),
    dosageReport: (q: { dataset?: string; month?: string }, signal?: AbortSignal) =>
      request<DosageReport>('GET', `/api/planning/dosage${buildQuery(q)}`, signal ? { signal } : {}),
    downloadDosageCsv: (q: { dataset?: string; month?: string }) => download(`/api/planning/dosage${buildQuery({ ...q, format: 'csv' })}`),
  };
}
