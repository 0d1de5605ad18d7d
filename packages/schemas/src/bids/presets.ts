import * as z from 'zod';
import { SAFER_STREETS_ROUNDS } from '../entities';
import { name, notes, type Audited } from '../fields';
import { eligibilityCriteriaSchema, type EligibilityCriteria } from './eligibility';

/*
 * Eligibility presets (`/api/bid-presets`): the built-in ones per funding round and an organisation's own.
 */

/** The Safer Streets funding rounds a bid or preset is for (the rounds of a funded Safer Streets area). */
export const BID_ROUNDS = SAFER_STREETS_ROUNDS;
export type BidRound = (typeof BID_ROUNDS)[number];
export const bidRoundSchema = z.enum(BID_ROUNDS);

export const BID_PRESET_NOTE =
  'Official eligibility thresholds change from round to round and are set in each prospectus: check these criteria ' +
  'against the current prospectus and the OPCC before you rely on them.';

/** An organisation's own preset (`POST /api/bid-presets`, `PUT /api/bid-presets/:id` with If-Match). */
export const bidPresetInputSchema = z.strictObject({
  name,
  round: bidRoundSchema,
  description: z.string().max(2000, 'description is at most 2,000 characters').default(''),
  criteria: eligibilityCriteriaSchema,
  notes,
});
export type BidPresetInput = z.infer<typeof bidPresetInputSchema>;

export interface BuiltInBidPreset {
  id: string;
  name: string;
  round: BidRound;
  description: string;
  criteria: EligibilityCriteria;
  builtIn: true;
  /** Always BID_PRESET_NOTE. */
  note: string;
}
export type OwnBidPreset = BidPresetInput & Audited & { builtIn: false; note: string };
export type BidPreset = BuiltInBidPreset | OwnBidPreset;

/** `GET /api/bid-presets` */
export interface BidPresetList {
  items: BidPreset[];
  note: string;
}
