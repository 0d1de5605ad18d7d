import * as z from 'zod';
import type { Audited } from './entities';
import type { AreaGeometry, FeatureCollection } from './geometry';
import type { DataSource, Month } from './reference';
import { CRIME_GROUPS, categoryLabel, categorySelectionSchema, type CrimeCategory } from './crime-categories';
import { monthSchema } from './reference';
import { visibleText } from './text';

/*
 * The bid writer's contract (issue #5): eligible LSOAs, a target area and a one-click evidence pack. This file is the
 * single source of truth for the API (apps/api/src/routes/bids.ts) and the web UI.
 */

/** Same values as SAFER_STREETS_ROUNDS in entities.ts (which imports this file, so this file cannot import it back). */
export const BID_ROUNDS = ['R1', 'R2', 'R3', 'R4', 'R5', 'other'] as const;
export type BidRound = (typeof BID_ROUNDS)[number];
export const bidRoundSchema = z.enum(BID_ROUNDS);

// ---------------------------------------------------------------------------------------------------------------------
// Crime groups for bids
// ---------------------------------------------------------------------------------------------------------------------

/** Groups used by funding rounds besides the map's two ('all-crime', 'neighbourhood-crime'). */
export const BID_CRIME_GROUPS = {
  'acquisitive-crime': {
    label: 'Acquisitive crime',
    categories: [
      'burglary',
      'robbery',
      'theft-from-the-person',
      'vehicle-crime',
      'bicycle-theft',
      'shoplifting',
      'other-theft',
    ] as CrimeCategory[],
    note:
      'Burglary + robbery + theft from the person + vehicle crime + bicycle theft + shoplifting + other theft (police.uk ' +
      'categories; burglary and robbery include business offences).',
  },
  'vawg-related': {
    label: 'VAWG-related (violence and sexual offences, public order)',
    categories: ['violent-crime', 'public-order'] as CrimeCategory[],
    note:
      'police.uk has no VAWG flag and no victim sex: this is every "Violence and sexual offences" and "Public order" ' +
      'crime, a proxy that includes offences against men and boys. Use local (force) VAWG-flagged data where you have it.',
  },
} as const;
export type BidCrimeGroup = keyof typeof BID_CRIME_GROUPS;
export const BID_CRIME_GROUP_NAMES = Object.keys(BID_CRIME_GROUPS) as BidCrimeGroup[];

/** A category choice in bid criteria: a police.uk category, the map's groups, or a bid group. ASB is the
 * 'anti-social-behaviour' category. */
export const bidCategorySelectionSchema = z.union([
  categorySelectionSchema,
  z.enum(BID_CRIME_GROUP_NAMES as [BidCrimeGroup, ...BidCrimeGroup[]]),
]);
export type BidCategorySelection = z.infer<typeof bidCategorySelectionSchema>;

function isBidGroup(s: string): s is BidCrimeGroup {
  return Object.hasOwn(BID_CRIME_GROUPS, s);
}

export function bidCategoriesOf(selection: BidCategorySelection): readonly CrimeCategory[] {
  if (isBidGroup(selection)) return BID_CRIME_GROUPS[selection].categories;
  if (selection === 'all-crime' || selection === 'neighbourhood-crime') return CRIME_GROUPS[selection].categories;
  return [selection];
}

export function bidSelectionLabel(selection: BidCategorySelection): string {
  if (isBidGroup(selection)) return BID_CRIME_GROUPS[selection].label;
  if (selection === 'all-crime' || selection === 'neighbourhood-crime') return CRIME_GROUPS[selection].label;
  return categoryLabel(selection);
}

/** The groups a bid writer picks from first, in this order (the 14 single categories follow in the UI). */
export const BID_CATEGORY_OPTIONS: { value: BidCategorySelection; label: string; note: string }[] = [
  { value: 'neighbourhood-crime', label: CRIME_GROUPS['neighbourhood-crime'].label, note: CRIME_GROUPS['neighbourhood-crime'].note },
  { value: 'acquisitive-crime', label: BID_CRIME_GROUPS['acquisitive-crime'].label, note: BID_CRIME_GROUPS['acquisitive-crime'].note },
  { value: 'anti-social-behaviour', label: 'Anti-social behaviour', note: 'The police.uk anti-social behaviour category.' },
  { value: 'vawg-related', label: BID_CRIME_GROUPS['vawg-related'].label, note: BID_CRIME_GROUPS['vawg-related'].note },
  { value: 'all-crime', label: CRIME_GROUPS['all-crime'].label, note: CRIME_GROUPS['all-crime'].note },
];

// ---------------------------------------------------------------------------------------------------------------------
// Eligibility criteria
// ---------------------------------------------------------------------------------------------------------------------

/** An LSOA code as the dataset has it (ONS 2021: E01…/W01…; the demo data set: DEMO…); unknown codes are named in a 400. */
export const lsoaCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,16}$/, 'LSOA codes are 1-16 letters and digits, e.g. E01033401');
const codeList = (what: string) =>
  z
    .array(z.string().trim().regex(/^[A-Za-z0-9]{1,16}$/, `${what} codes are ONS codes such as E07000174 (letters and digits)`))
    .min(1, `list at least one ${what} code`)
    .max(50, `at most 50 ${what} codes`);
const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const itemId = z.string().regex(ITEM_ID, 'ids are 1-64 letters, digits, - or _');
const datasetParam = z.string().min(1).max(64).optional();

/**
 * Which LSOAs are considered. 'area': an analyst's drawn area (`/api/areas/:id`); an LSOA is in scope when at least
 * half of its area lies inside the drawn area.
 */
export const eligibilityScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('districts'), codes: codeList('district') }),
  z.strictObject({ kind: z.literal('csps'), codes: codeList('CSP') }),
  z.strictObject({ kind: z.literal('area'), areaId: itemId }),
  /** One of the organisation's partnership areas (`/api/partnership-areas`). */
  z.strictObject({ kind: z.literal('partnership'), id: itemId }),
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

// ---------------------------------------------------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------------------------------------------------

export const BID_PRESET_NOTE =
  'Official eligibility thresholds change from round to round and are set in each prospectus: check these criteria ' +
  'against the current prospectus and the OPCC before you rely on them.';

const name = visibleText('name', 120);
const notes = z.string().max(2000, 'notes are at most 2,000 characters').optional();

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

// ---------------------------------------------------------------------------------------------------------------------
// Target area (selection)
// ---------------------------------------------------------------------------------------------------------------------

export const DEFAULT_BUFFER_M = 500;
const bufferM = z.number().int('bufferM must be whole metres').min(0, 'bufferM is 0 to 5,000').max(5000, 'bufferM is 0 to 5,000');
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

// ---------------------------------------------------------------------------------------------------------------------
// Bid drafts (asset kind 'bids': `/api/bids`, `/api/bids/:id`, If-Match)
// ---------------------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------------------
// Evaluation of a funded Safer Streets area
// ---------------------------------------------------------------------------------------------------------------------

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

/** GeoJSON files in the pack. */
export type BidGeoJson = FeatureCollection<AreaGeometry, Record<string, unknown>>;
export type { DataSource as BidDataSource };
