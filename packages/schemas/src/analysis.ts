import type { CategorySelection } from './crime-categories';
import type { Feature, PolygonGeometry } from './geometry';
import type { Month } from './months';
import type { ScopeSummary } from './scope';

/*
 * What every crime analysis answer (hot spots, the planner's analyses) starts with, and the grid cells they draw.
 */

/** The dataset an answer was computed on. */
export interface DatasetRef {
  id: string;
  name: string;
  synthetic: boolean;
}

/** Multiple-testing correction over the study-area cells: Benjamini–Hochberg FDR, Holm, or none. */
export type Correction = 'fdr' | 'holm' | 'none';

/** The dataset, place, period and crime types an analysis ran on, and how many crimes that selected. */
export interface AnalysisHeader {
  dataset: DatasetRef;
  scope: ScopeSummary;
  period: { from: Month; to: Month; months: number };
  categories: { key: CategorySelection; label: string }[];
  /** Crimes selected: the chosen types and period, in the scope. */
  crimes: number;
}

/**
 * One grid cell as a polygon; `id` is the cell's index in the grid. Cell properties are declared as type aliases, not
 * interfaces, so that they stay assignable to GeoJSON's `Record<string, unknown>` properties.
 */
export interface CellFeature<P> extends Feature<PolygonGeometry, P> {
  id: number;
}
export interface CellCollection<P> {
  type: 'FeatureCollection';
  features: CellFeature<P>[];
}
