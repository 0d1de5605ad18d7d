import * as z from 'zod';
import { bufferM, datasetParam } from '../fields';
import type { AreaGeometry } from '../geometry';
import { monthSchema, type Month } from '../months';
import { bidCategorySelectionSchema, type BidCategorySelection } from './categories';
import { MAX_BID_LSOAS, lsoaCodeSchema, type BidDatasetRef } from './eligibility';

/*
 * The target area (`POST /api/bids/selection`): the chosen LSOAs as contiguous groups, their figures, a displacement
 * buffer and a suggested comparison area.
 */

export const DEFAULT_BUFFER_M = 500;
const codes = (what: string, min: number) =>
  z
    .array(lsoaCodeSchema)
    .min(min, `${what} needs at least ${min} LSOA code`)
    .max(MAX_BID_LSOAS, `${what} has at most ${MAX_BID_LSOAS} LSOA codes`);

/** `POST /api/bids/selection` */
export const selectionRequestSchema = z.strictObject({
  codes: codes('codes', 1),
  dataset: datasetParam,
  /** Last month of the 12 months; default: the dataset's last month. */
  to: monthSchema.optional(),
  bufferM: bufferM.default(DEFAULT_BUFFER_M),
  /** Categories for totals, the monthly trend and the comparison match; default: all crime and ASB. */
  categories: z.array(bidCategorySelectionSchema).min(1).max(16).optional(),
  /** Your own comparison LSOAs instead of the suggested ones. */
  comparison: codes('comparison', 1).optional(),
});
export type SelectionRequest = z.input<typeof selectionRequestSchema>;

export interface BidCategoryRow {
  key: string;
  label: string;
  current: number;
  previous: number;
  change: number;
  /** Null when the previous 12 months had none. */
  changePct: number | null;
  target: 'Reduce' | 'Monitor';
}

export interface ComparisonLsoa {
  code: string;
  name: string;
  /** Similarity distance (0 = identical; smaller is more similar); null for LSOAs you chose. */
  score: number | null;
  rate: number | null;
  /** 12-month trend: (current − previous) / previous; null when previous is 0. */
  trend: number | null;
  decile: number | null;
}

export interface SelectionLsoa {
  code: string;
  name: string;
  ward: string | null;
  district: string;
  cspName: string | null;
  population: number | null;
  decile: number | null;
  count: number;
  previousCount: number;
  rate: number | null;
  areaKm2: number;
  /** Index into `groups`. */
  group: number;
}

export interface SelectionResult {
  dataset: BidDatasetRef;
  period: { from: Month; to: Month };
  previousPeriod: { from: Month; to: Month };
  categories: { key: BidCategorySelection; label: string }[];
  totals: {
    lsoas: number;
    areaKm2: number;
    /** Sum of known populations; `populationUnknown` LSOAs are left out. */
    residents: number;
    populationUnknown: number;
    crimes: number;
    previousCrimes: number;
    change: number;
    /** Null when previousCrimes is 0. */
    changePercent: number | null;
    /** Per 1,000 residents over the 12 months; null without population. */
    rate: number | null;
  };
  /** Connected components by shared boundary (largest first); one group = one contiguous target area. */
  groups: string[][];
  lsoas: SelectionLsoa[];
  /** Dissolved union of the selected LSOAs, gaps under ~1 m closed. */
  target: AreaGeometry;
  bufferM: number;
  /** The target buffered by bufferM minus the target (displacement ring); null when bufferM is 0. */
  buffer: AreaGeometry | null;
  comparison: {
    /** True when suggested by the similarity score, false when the request gave them. */
    suggested: boolean;
    lsoas: ComparisonLsoa[];
    geometry: AreaGeometry | null;
    /** How the suggestion was scored, in words. */
    method: string;
  };
  /** Strategic-assessment rows (12 months vs previous 12, Reduce/Monitor), all categories and groups. */
  byCategory: BidCategoryRow[];
  /** 24 months ending `to`, chosen categories; `comparison` is the comparison area's count. */
  monthly: { month: Month; count: number; comparison: number }[];
  inside: { cameras: number; helpPoints: number; pspoZones: number };
  notes: string[];
}
