import * as z from 'zod';
import { datasetParam } from '../fields';
import type { AreaGeometry } from '../geometry';
import { monthSchema, type Month } from '../months';
import { bidCategorySelectionSchema, type BidCategorySelection } from './categories';
import { MAX_BID_LSOAS, lsoaCodeSchema, type BidDatasetRef } from './eligibility';
import { DEFAULT_BUFFER_M, type ComparisonLsoa } from './selection';

/*
 * Evaluation of a funded Safer Streets area
 * (`GET /api/safer-streets-areas/:id/evaluation`): before and after, against a comparison area and a buffer ring.
 */

const lsoaCsv = z
  .string()
  .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
  .pipe(z.array(lsoaCodeSchema).min(1, 'comparison needs at least one LSOA code').max(MAX_BID_LSOAS));

/** `GET /api/safer-streets-areas/:id/evaluation?start=YYYY-MM&months=12&comparison=E01…,E01…&bufferM=500` */
export const evaluationQuerySchema = z.strictObject({
  start: monthSchema,
  months: z.coerce.number().int('months must be a whole number').min(1, 'months is 1 to 24').max(24, 'months is 1 to 24').default(12),
  comparison: lsoaCsv.optional(),
  bufferM: z.coerce.number().int('bufferM must be whole metres').min(0, 'bufferM is 0 to 5,000').max(5000, 'bufferM is 0 to 5,000').default(DEFAULT_BUFFER_M),
  dataset: datasetParam,
  /** Default: from the area's theme (acquisitive → acquisitive crime, vawg → VAWG-related, asb → ASB,
   * neighbourhood → neighbourhood crime). */
  categories: z
    .string()
    .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(bidCategorySelectionSchema).min(1).max(16))
    .optional(),
});
export type EvaluationQuery = z.infer<typeof evaluationQuerySchema>;

export interface EvaluationCounts {
  before: number;
  after: number;
  change: number;
  /** Null when before is 0. */
  changePercent: number | null;
}

export interface EvaluationResult {
  area: { id: string; name: string; round: string; theme: string; startDate: string; endDate: string };
  dataset: BidDatasetRef;
  categories: { key: BidCategorySelection; label: string }[];
  months: number;
  before: { from: Month; to: Month };
  after: { from: Month; to: Month };
  /** False when part of the after (or before) window is not in the data yet; figures then cover fewer months. */
  complete: boolean;
  monthsAvailable: { before: number; after: number };
  /** Crimes inside the saved area geometry (point in polygon). */
  target: EvaluationCounts;
  comparison: EvaluationCounts & { suggested: boolean; lsoas: ComparisonLsoa[]; geometry: AreaGeometry | null };
  /** Ring of bufferM around the target (displacement or diffusion of benefit). */
  buffer: EvaluationCounts & { bufferM: number; geometry: AreaGeometry | null };
  did: {
    /** Target after minus the target's expected after, (target before × comparison after / comparison before);
     * crimes; negative = fewer than expected. Null when the comparison had none before. */
    absolute: number | null;
    /** Ratio of ratios minus 1: (T after / T before) / (C after / C before) − 1; null when any before count is 0. */
    relative: number | null;
    /** Plain difference of changes, (T after − T before) − (C after − C before), unscaled. */
    unscaled: number;
    method: string;
  };
  monthly: { month: Month; target: number; comparison: number; buffer: number }[];
  caveats: string[];
  notes: string[];
}
