export { PlanningService } from './service';
export { type PatrolPlanRequest, ROUTE_METHOD, STRAIGHT_LINE_NOTE, patrolPlan } from './patrol';
export { type CoverageGapRequest, COVERAGE_NOTE, MAX_GAP_CELLS, coverageGaps } from './coverage';
export { type CandidateSitesRequest, GREEDY_NOTE, candidateSites } from './sites';
export { type RotationRequest, DEPLOYMENT_DUE_DAYS, OTHERWISE_COVERED_SHARE, rotationSuggestions } from './rotation';
export { type HelpPointRequest, helpPointSuggestions } from './help-points';
export { type DosageReportRequest, dosageReport, spotKey } from './dosage';
export { xmlEscape, patrolGpx, patrolGeoJson, dosageCsv } from './exports';
export { type PlanningContext, type PlacedCamera, liveCameraViews, proposedCameraViews, mainCrimeTypes } from './common';
