export * from './crime';
export * from './errors';
export * from './permissions';
export * from './months';
export * from './ports';
export * from './validation';
export * from './assets';
export * from './reference';
export * from './layers';
export * from './seed';
export * from './demo-data';
export * from './crime-points';
export * from './strategic';
export * from './csv';
export * from './area-analysis';
export * from './hotspots';
export * from './bids/index';
export { CrimeSelection, crimeSelectionOf, type CrimeSelectionRequest, type ProjectedPoints } from './crime-selection';
export * from './planning/index';
export * from './scope';
export * from './users';

// The web app still imports these answer types from here; they live in @safer-places/schemas. Temporary: to be removed
// once apps/web imports them from '@safer-places/schemas'.
export type {
  AreaStats,
  CandidateSites,
  CoverageGaps,
  DosageReport,
  HelpPointSuggestions,
  PatrolPlan,
  RotationSuggestions,
  StrategicRow,
  StrategicTable,
} from '@safer-places/schemas';
