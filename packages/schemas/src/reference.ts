import * as z from 'zod';
import type { AreaGeometry, BBox } from './geometry';
import { categorySelectionSchema } from './crime-categories';
import { datasetParam } from './fields';
import { monthSchema, type Month } from './months';
import { scopeSchema, type ScopeSummary } from './scope';

export interface DataSource {
  name: string;
  publisher: string;
  licence: string;
  /** e.g. "2023-01 to 2024-12" or "2021 edition" */
  coverage?: string;
}

export interface DatasetSummary {
  id: string;
  name: string;
  synthetic: boolean;
  /** Changes whenever the dataset's content changes; used in ETags. */
  version: string;
  /**
   * Changes only when the dataset's LSOAs change (boundaries, names, wards, districts, population, deprivation), not
   * when crime months are added: what LSOA-only caches and the map's tiles are keyed by. Absent on datasets imported
   * before it was kept: {@link lsoaVersionOf} then answers `version`.
   */
  lsoaVersion?: string;
  firstMonth: Month | null;
  lastMonth: Month | null;
  lsoaCount: number;
  crimeCount: number;
  bbox: BBox | null;
  sources: DataSource[];
  importedAt: string;
  notes: string[];
  /** The place the dataset covers: the LSOAs it keeps, and how they were chosen. Absent on datasets from before. */
  studyArea?: StudyArea;
  /** Where every crime row went (summed over the stored months). Absent on datasets from before. */
  crimeAccounting?: CrimeAccounting;
}

/** The version a dataset's LSOAs are cached and tiled under (its `lsoaVersion`, or `version` on older datasets). */
export function lsoaVersionOf(dataset: Pick<DatasetSummary, 'version' | 'lsoaVersion'>): string {
  return dataset.lsoaVersion ?? dataset.version;
}

/** How a dataset's study area was chosen. */
export type StudyAreaMethod =
  /** The districts of the police force area the crimes "Fall within" (ONS LAD → CSP → PFA lookup). */
  | 'police-force-area'
  /** Without that lookup: the districts holding at least 1 % of the located crimes. */
  | 'crime-share'
  /** Named with an import option (--districts, --csp, --force). */
  | 'named'
  /** Every LSOA of the boundary files (no crimes to choose a place from). */
  | 'all-boundaries'
  /** The synthetic demo set's own districts. */
  | 'synthetic';

export interface StudyArea {
  /** e.g. "Nottinghamshire police force area (8 districts)". */
  label: string;
  method: StudyAreaMethod;
  /** Why, in words, e.g. "police.uk rows fall within Nottinghamshire Police; ONS LAD24 → PFA24 lookup". */
  reason: string;
  force: { code: string | null; name: string } | null;
  districts: { code: string; name: string; lsoaCount: number }[];
  lsoaCount: number;
  /**
   * Imported force by force (the national import): each force's crimes were placed in its own districts' LSOAs only,
   * so a crime a force located in another force's LSOA is kept unplaced (outside its study area), not in that LSOA.
   */
  byForce?: boolean;
}

/**
 * Every police.uk row read, accounted for: rowsRead = stored + duplicatesSkipped + rejected, and
 * stored = placed + outsideStudyArea + noLocation.
 */
export interface CrimeAccounting {
  rowsRead: number;
  stored: number;
  /** Placed in an LSOA of the study area: these are what analyses count. */
  placed: number;
  /** Located outside the study area (e.g. snapped just over the force boundary): kept, never placed in another force's LSOA. */
  outsideStudyArea: number;
  /** No coordinates in the police.uk row. */
  noLocation: number;
  /** Exact repeats of a row already read (same Crime ID and content). */
  duplicatesSkipped: number;
  /** Rows that could not be read (bad month, unknown crime type, wrong number of fields). */
  rejected: number;
}

/** One LSOA (2021 edition) with the attributes the choropleth and panels need. */
export interface Lsoa {
  code: string;
  name: string;
  districtCode: string;
  districtName: string;
  wardName: string | null;
  /** Community Safety Partnership (ONS CSP code and name). */
  cspCode: string | null;
  cspName: string | null;
  population: number | null;
  /** IMD decile, 1 = most deprived 10 % of England. */
  imdDecile: number | null;
  /** Where the decile came from, shown to users so they can judge it. */
  deprivationSource: string | null;
  geometry: AreaGeometry;
  bbox: BBox;
}

export const DECILE_MEASURES = ['count', 'rate', 'imd-decile'] as const;
export const measureSchema = z.enum(DECILE_MEASURES);
export type Measure = z.infer<typeof measureSchema>;

export const lsoaStatsQuerySchema = z.strictObject({
  dataset: datasetParam,
  scope: scopeSchema.optional(),
  category: categorySelectionSchema.default('all-crime'),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
});
export type LsoaStatsQuery = z.infer<typeof lsoaStatsQuerySchema>;

export interface LsoaStatsRow {
  code: string;
  count: number;
  /** Crimes per 1,000 usual residents over the whole period; null where population is unknown. */
  ratePer1000: number | null;
  population: number | null;
  imdDecile: number | null;
}

export interface LsoaStats {
  dataset: Pick<DatasetSummary, 'id' | 'name' | 'synthetic'>;
  /** The place the rows cover. */
  scope?: ScopeSummary;
  category: string;
  categoryLabel: string;
  from: Month;
  to: Month;
  months: number;
  total: number;
  lsoas: LsoaStatsRow[];
  notes: string[];
}
