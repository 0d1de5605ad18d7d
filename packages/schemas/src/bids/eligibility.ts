import * as z from 'zod';
import { datasetParam, itemIdSchema } from '../fields';
import { monthSchema, type Month } from '../months';
import { bidCategorySelectionSchema, type BidCategorySelection } from './categories';

/*
 * Eligibility (`POST /api/bids/eligibility`): which LSOAs of a scope pass a funding round's criteria, rule by rule.
 */

/** An area code as a client may send it: letters and digits, checked against the dataset later. */
const CODE = /^[A-Za-z0-9]{1,16}$/;
/** An LSOA code as the dataset has it (ONS 2021: E01…/W01…; the demo data set: DEMO…); unknown codes are named in a 400. */
export const lsoaCodeSchema = z.string().trim().regex(CODE, 'LSOA codes are 1-16 letters and digits, e.g. E01033401');
const codeList = (what: string) =>
  z
    .array(z.string().trim().regex(CODE, `${what} codes are ONS codes such as E07000174 (letters and digits)`))
    .min(1, `list at least one ${what} code`)
    .max(50, `at most 50 ${what} codes`);

/**
 * Which LSOAs are considered. 'area': an analyst's drawn area (`/api/areas/:id`); an LSOA is in scope when at least
 * half of its area lies inside the drawn area.
 */
export const eligibilityScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('districts'), codes: codeList('district') }),
  z.strictObject({ kind: z.literal('csps'), codes: codeList('CSP') }),
  z.strictObject({ kind: z.literal('area'), areaId: itemIdSchema }),
  /** One of the organisation's partnership areas (`/api/partnership-areas`). */
  z.strictObject({ kind: z.literal('partnership'), id: itemIdSchema }),
]);
export type EligibilityScope = z.infer<typeof eligibilityScopeSchema>;

/** Share of an LSOA's area that must lie inside a drawn area for the LSOA to be in an 'area' scope. */
export const AREA_SCOPE_MIN_SHARE = 0.5;

export const bidRuleSchema = z.discriminatedUnion('kind', [
  /** Rate per 1,000 residents (12 months) at least `minPercent` % above the force-area (whole dataset) average. */
  z.strictObject({
    kind: z.literal('rate-above-average'),
    minPercent: z.number().min(-100, 'minPercent is at least -100').max(10_000, 'minPercent is at most 10,000'),
  }),
  /** Among the top `percent` % of LSOAs in scope by rate (rank ≤ ceil(percent/100 × LSOAs in scope with a rate)). */
  z.strictObject({
    kind: z.literal('top-percent'),
    percent: z.number().gt(0, 'percent must be more than 0').max(100, 'percent is at most 100'),
  }),
  /** At least `count` crimes of the chosen categories in the 12 months. */
  z.strictObject({
    kind: z.literal('min-count'),
    count: z.number().int('count must be a whole number').min(0, 'count is at least 0').max(1_000_000),
  }),
  /** Deprivation decile at most `decile` (1 = most deprived 10 % of England; the dataset's IoD 2025 decile where
   * imported, else IMD 2019 — see `decileSource` in the response). */
  z.strictObject({
    kind: z.literal('max-decile'),
    decile: z.number().int('decile must be a whole number').min(1, 'decile is 1 to 10').max(10, 'decile is 1 to 10'),
  }),
  /**
   * Share of the LSOA's crimes (chosen categories, the 24 months ending `to`) that fall in persistent Getis-Ord Gi*
   * hot-spot cells (hot-spot change classification over the same 24 months, FDR, the hot-spot API's default grid),
   * at least `minShare`. Crimes, not area: police.uk points are snapped, so an LSOA's crimes say where the problem is.
   */
  z.strictObject({
    kind: z.literal('persistent-hotspot-share'),
    minShare: z.number().min(0, 'minShare is 0 to 1').max(1, 'minShare is 0 to 1'),
  }),
]);
export type BidRule = z.infer<typeof bidRuleSchema>;
export type BidRuleKind = BidRule['kind'];
export const BID_RULE_KINDS: BidRuleKind[] = [
  'rate-above-average',
  'top-percent',
  'min-count',
  'max-decile',
  'persistent-hotspot-share',
];
export const BID_RULE_LABELS: Record<BidRuleKind, string> = {
  'rate-above-average': 'Crime rate above the force-area average',
  'top-percent': 'In the top % of LSOAs in scope by crime rate',
  'min-count': 'At least this many crimes in 12 months',
  'max-decile': 'Deprivation decile at most',
  'persistent-hotspot-share': 'Share of crimes in persistent hot spots',
};

export const MAX_BID_LSOAS = 2000;
export const MAX_LSOA_LIST = 5000;

export const eligibilityCriteriaSchema = z.strictObject({
  scope: eligibilityScopeSchema,
  categories: z.array(bidCategorySelectionSchema).min(1, 'choose at least one crime category').max(16, 'at most 16 categories'),
  /** Last month of the 12-month period; default: the dataset's last month. */
  to: monthSchema.optional(),
  combine: z.enum(['and', 'or']).default('and'),
  rules: z.array(bidRuleSchema).max(10, 'at most 10 rules').default([]),
  /** An OPCC-provided list: when present it IS the eligibility set (rules are still evaluated and reported). */
  lsoaList: z.array(lsoaCodeSchema).min(1, 'lsoaList needs at least one code (or leave it out)').max(MAX_LSOA_LIST).optional(),
});
/** Parsed criteria (defaults filled in). */
export type EligibilityCriteria = z.infer<typeof eligibilityCriteriaSchema>;
/** Criteria as a client may send them (combine and rules optional). */
export type EligibilityCriteriaInput = z.input<typeof eligibilityCriteriaSchema>;

/** `POST /api/bids/eligibility` */
export const eligibilityRequestSchema = z.strictObject({
  criteria: eligibilityCriteriaSchema,
  dataset: datasetParam,
});
export type EligibilityRequest = z.input<typeof eligibilityRequestSchema>;

export interface EligibilityRuleResult {
  kind: BidRuleKind;
  /** Plain-language rule with its threshold, e.g. "Rate at least 20 % above the force-area average (41.2 per 1,000)". */
  label: string;
  pass: boolean;
  /** The LSOA's figure the rule tests (rate, % above average, rank, count, decile or share); null when unknown. */
  value: number | null;
  /** The figure it is compared with, in the same unit as value. */
  threshold: number;
  /** How far past the threshold (positive = passes with room, negative = fails by), same unit; null when unknown. */
  margin: number | null;
}

export interface EligibilityLsoa {
  code: string;
  name: string;
  /** Ward (ONS best-fit), where the boundaries or the ward lookup gave one. */
  ward: string | null;
  district: string;
  cspName: string | null;
  /** Rank by rate among LSOAs in scope (1 = highest); null where the rate is unknown. */
  rank: number | null;
  /** Crimes of the chosen categories in the 12 months. */
  count: number;
  /** The 12 months before. */
  previousCount: number;
  /** Per 1,000 usual residents over the 12 months; null where population is unknown. */
  rate: number | null;
  population: number | null;
  decile: number | null;
  /** Share of the LSOA's 24-month crimes in persistent hot-spot cells; null unless a persistent-hotspot-share rule is
   * used (it needs the Gi* analysis). */
  persistentShare: number | null;
  /** In the OPCC list (only when criteria.lsoaList is given). */
  inList?: boolean;
  passes: boolean;
  rules: EligibilityRuleResult[];
}

export interface BidDatasetRef {
  id: string;
  name: string;
  synthetic: boolean;
}

export interface EligibilityResult {
  dataset: BidDatasetRef;
  period: { from: Month; to: Month };
  previousPeriod: { from: Month; to: Month };
  categories: { key: BidCategorySelection; label: string }[];
  /** Force-area (whole dataset) rate per 1,000 residents over the period, over LSOAs with a population. */
  averageRate: number | null;
  scopeLsoas: number;
  eligible: number;
  /** Which deprivation index the deciles come from, e.g. "IoD 2025 (LSOA 2021)". */
  decileSource: string | null;
  /** Sorted: eligible first, then by rate (highest first, unknown last), then code. */
  lsoas: EligibilityLsoa[];
  notes: string[];
}
