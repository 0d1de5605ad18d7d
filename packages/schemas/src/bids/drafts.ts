import * as z from 'zod';
import { bufferM, datasetParam, name, notes, type Audited } from '../fields';
import type { AreaGeometry, FeatureCollection } from '../geometry';
import type { DataSource } from '../reference';
import { MAX_BID_LSOAS, eligibilityCriteriaSchema, lsoaCodeSchema } from './eligibility';
import { bidRoundSchema } from './presets';

/*
 * Bid drafts (asset kind 'bids': `/api/bids`, `/api/bids/:id`, If-Match) and their evidence pack.
 */

export const bidInputSchema = z.strictObject({
  name,
  round: bidRoundSchema.optional(),
  notes,
  criteria: eligibilityCriteriaSchema,
  /** The target LSOAs (may be empty while drafting; the pack needs at least one). */
  selection: z.array(lsoaCodeSchema).max(MAX_BID_LSOAS, `selection has at most ${MAX_BID_LSOAS} LSOA codes`),
  /** Your comparison LSOAs; absent = suggested. */
  comparison: z.array(lsoaCodeSchema).max(MAX_BID_LSOAS, `comparison has at most ${MAX_BID_LSOAS} LSOA codes`).optional(),
  bufferM: bufferM.optional(),
});
export type BidInput = z.infer<typeof bidInputSchema>;
export type Bid = BidInput & Audited;

/** `GET /api/bids/:id/pack` and `GET /api/bids/:id/report.html` */
export const bidPackQuerySchema = z.strictObject({ dataset: datasetParam });

/** Files in the evidence pack zip, in order. */
export const BID_PACK_FILES = ['report.html', 'lsoas.csv', 'target.geojson', 'comparison.geojson', 'buffer.geojson'] as const;

/** GeoJSON files in the pack. */
export type BidGeoJson = FeatureCollection<AreaGeometry, Record<string, unknown>>;
export type { DataSource as BidDataSource };
