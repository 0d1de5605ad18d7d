export { PlanningService } from './service';
export { type PatrolPlanRequest, type PatrolPlan, type PatrolStop, ROUTE_METHOD, STRAIGHT_LINE_NOTE, patrolPlan } from './patrol';
export { type CoverageGapRequest, type CoverageGaps, COVERAGE_NOTE, MAX_GAP_CELLS, coverageGaps } from './coverage';
export { type CandidateSitesRequest, type CandidateSites, GREEDY_NOTE, candidateSites } from './sites';
export { type RotationRequest, type RotationSuggestions, DEPLOYMENT_DUE_DAYS, OTHERWISE_COVERED_SHARE, rotationSuggestions } from './rotation';
export { type HelpPointRequest, type HelpPointSuggestions, helpPointSuggestions } from './help-points';
export { type DosageReportRequest, type DosageReport, dosageReport, spotKey } from './dosage';
export { xmlEscape, patrolGpx, patrolGeoJson, dosageCsv } from './exports';
export { type PlanningContext, type PlacedCamera, liveCameraViews, proposedCameraViews, mainCrimeTypes } from './common';
