import * as z from 'zod';
import type { AreaGeometry, BBox } from './geometry';
import { categorySelectionSchema } from './crime-categories';

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'months are YYYY-MM');
export type Month = string;

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
  firstMonth: Month | null;
  lastMonth: Month | null;
  lsoaCount: number;
  crimeCount: number;
  bbox: BBox | null;
  sources: DataSource[];
  importedAt: string;
  notes: string[];
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
  dataset: z.string().min(1).max(64).optional(),
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
  category: string;
  categoryLabel: string;
  from: Month;
  to: Month;
  months: number;
  total: number;
  lsoas: LsoaStatsRow[];
  notes: string[];
}
