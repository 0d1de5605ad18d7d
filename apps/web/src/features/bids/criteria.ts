import {
  BID_CATEGORY_OPTIONS,
  BID_ROUNDS,
  BID_RULE_LABELS,
  CRIME_CATEGORIES,
  type BidCategorySelection,
  type BidRule,
  type BidRuleKind,
  type EligibilityCriteriaInput,
  type FeatureCollection,
  type ScopeOptions,
} from '@safer-places/schemas';
import type { BidScope } from '../scope/scopeState';
import { formatInteger, formatNumber, formatPercent } from '../../shared/format';

/*
 * The bid's eligibility criteria as data: defaults, rules and their one number, the crimes counted, where to look, the
 * OPCC list parser, and the draft a save sends. Pure: tested as data.
 */

export type BidRound = (typeof BID_ROUNDS)[number];

export const ROUND_LABELS: Record<string, string> = { R1: 'Round 1', R2: 'Round 2', R3: 'Round 3', R4: 'Round 4', R5: 'Round 5', other: 'Other' };


export const DEFAULT_BID_CRITERIA: EligibilityCriteriaInput = {
  scope: { kind: 'all' },
  categories: ['neighbourhood-crime'],
  combine: 'and',
  rules: [{ kind: 'rate-above-average', minPercent: 20 }],
};

/** A new rule of the kind with a sensible starting threshold. */
export function defaultRule(kind: BidRuleKind): BidRule {
  switch (kind) {
    case 'rate-above-average':
      return { kind, minPercent: 20 };
    case 'top-percent':
      return { kind, percent: 20 };
    case 'min-count':
      return { kind, count: 50 };
    case 'max-decile':
      return { kind, decile: 3 };
    case 'persistent-hotspot-share':
      return { kind, minShare: 0.25 };
  }
}

/** The one number a rule is set with, its unit and its allowed range, for the rule's input. */
export function ruleField(rule: BidRule): { value: number; unit: string; min: number; max: number; step: number } {
  switch (rule.kind) {
    case 'rate-above-average':
      return { value: rule.minPercent, unit: '% above', min: -100, max: 10_000, step: 5 };
    case 'top-percent':
      return { value: rule.percent, unit: '% of LSOAs', min: 1, max: 100, step: 1 };
    case 'min-count':
      return { value: rule.count, unit: 'crimes', min: 0, max: 1_000_000, step: 1 };
    case 'max-decile':
      return { value: rule.decile, unit: 'decile', min: 1, max: 10, step: 1 };
    case 'persistent-hotspot-share':
      return { value: Math.round(rule.minShare * 100), unit: '% of crimes', min: 0, max: 100, step: 5 };
  }
}

/** The rule with its number changed (the share rule's input is in %). */
export function withRuleValue(rule: BidRule, value: number): BidRule {
  switch (rule.kind) {
    case 'rate-above-average':
      return { ...rule, minPercent: value };
    case 'top-percent':
      return { ...rule, percent: value };
    case 'min-count':
      return { ...rule, count: Math.round(value) };
    case 'max-decile':
      return { ...rule, decile: Math.round(value) };
    case 'persistent-hotspot-share':
      return { ...rule, minShare: value / 100 };
  }
}

export function ruleLabel(kind: BidRuleKind): string {
  return BID_RULE_LABELS[kind];
}

/** How far an LSOA passes or fails a rule, in the rule's own unit: "+12.3", "−4". */
export function formatMargin(kind: BidRuleKind, margin: number | null): string {
  if (margin === null) return 'unknown';
  const sign = margin > 0 ? '+' : margin < 0 ? '−' : '±';
  const abs = Math.abs(margin);
  if (kind === 'persistent-hotspot-share') return `${sign}${formatPercent(abs)}`;
  if (kind === 'min-count' || kind === 'max-decile' || kind === 'top-percent') return `${sign}${formatInteger(abs)}`;
  return `${sign}${formatNumber(abs, 1)}`;
}

const LSOA_CODE = /\b[EW]01\d{6}\b/g;

/**
 * Codes from a pasted list or a CSV file (any column, any separators): every E01/W01 code once, in first-seen order.
 * `ignored` counts code-like tokens that are not valid codes, so the UI can say some were skipped.
 */
export function parseLsoaList(text: string): { codes: string[]; ignored: number } {
  const codes: string[] = [];
  const seen = new Set<string>();
  for (const m of text.toUpperCase().matchAll(LSOA_CODE)) {
    if (!seen.has(m[0])) {
      seen.add(m[0]);
      codes.push(m[0]);
    }
  }
  // Tokens that look like a code but are not a valid one (a digit short, a wrong prefix) are counted, not names.
  const rest = text.toUpperCase().replace(LSOA_CODE, ' ');
  const ignored = rest.split(/[\s,;\t"]+/).filter((t) => /^[A-Z]\d{5,}$/.test(t)).length;
  return { codes, ignored };
}

/** A place's code and name, sorted by name: what the scope choices list. */
export type PlaceName = [code: string, label: string];

export interface PlaceNames {
  districts: PlaceName[];
  csps: PlaceName[];
  partnerships: PlaceName[];
}

/**
 * The districts, CSPs and partnership areas the criteria can be limited to, by name: from the place picker's options,
 * or (while those are not loaded) the districts and CSPs named on the LSOA layer.
 */
export function placeNames(places: ScopeOptions | null, lsoas: FeatureCollection | undefined): PlaceNames {
  const districts = new Map<string, string>();
  const csps = new Map<string, string>();
  const partnerships = (places?.partnerships ?? []).map((p) => [p.key.replace(/^partnership:/, ''), p.label] as PlaceName);
  for (const d of places?.districts ?? []) districts.set(d.key.replace(/^district:/, ''), d.label);
  for (const c of places?.csps ?? []) csps.set(c.key.replace(/^csp:/, ''), c.label);
  for (const f of places ? [] : (lsoas?.features ?? [])) {
    const p = f.properties;
    if (p.districtCode) districts.set(String(p.districtCode), String(p.districtName ?? p.districtCode));
    if (p.cspCode) csps.set(String(p.cspCode), String(p.cspName ?? p.cspCode));
  }
  const sort = (m: Map<string, string>) => [...m].sort((a, b) => a[1].localeCompare(b[1], 'en-GB'));
  return { districts: sort(districts), csps: sort(csps), partnerships: partnerships.sort((a, b) => a[1].localeCompare(b[1], 'en-GB')) };
}

/** The scope a "Where" choice starts with (its first place), or null when there is no place of that kind to choose. */
export function scopeOfKind(kind: BidScope['kind'], names: PlaceNames, areas: readonly { id: string }[]): BidScope | null {
  if (kind === 'all') return { kind };
  if (kind === 'districts' && names.districts[0]) return { kind, codes: [names.districts[0][0]] };
  if (kind === 'csps' && names.csps[0]) return { kind, codes: [names.csps[0][0]] };
  if (kind === 'partnership' && names.partnerships[0]) return { kind, id: names.partnerships[0][0] };
  if (kind === 'area' && areas[0]) return { kind, areaId: areas[0].id };
  return null;
}

/** The crimes counted, with one group or category turned on or off (never none: all crime when the last goes). */
export function withCategory(criteria: EligibilityCriteriaInput, value: BidCategorySelection, on: boolean): EligibilityCriteriaInput {
  const categories = (criteria.categories ?? []) as BidCategorySelection[];
  const next = on ? [...categories, value] : categories.filter((c) => c !== value);
  return { ...criteria, categories: next.length > 0 ? next : ['all-crime'] };
}

/** The crimes counted, in words: "Neighbourhood crime, Burglary". */
export function categoriesText(categories: readonly BidCategorySelection[]): string {
  return categories.map((c) => BID_CATEGORY_OPTIONS.find((o) => o.value === c)?.label ?? CRIME_CATEGORIES.find((x) => x.slug === c)?.label ?? c).join(', ');
}

/** The criteria without the OPCC list: the rules decide again. */
export function withoutList(criteria: EligibilityCriteriaInput): EligibilityCriteriaInput {
  const { lsoaList: _drop, ...rest } = criteria;
  return rest;
}

/** What a save sends: the trimmed name, the round and notes when set, the criteria, the chosen LSOAs and the buffer. */
export function draftInput(d: { name: string; round: BidRound | ''; notes: string; criteria: EligibilityCriteriaInput; selection: string[]; bufferM: number }) {
  return {
    name: d.name.trim(),
    ...(d.round && { round: d.round }),
    ...(d.notes.trim() && { notes: d.notes.trim() }),
    criteria: d.criteria,
    selection: d.selection,
    bufferM: d.bufferM,
  };
}

/** The displacement buffer as typed, in whole metres from 0 to 5,000 (null when the input is not a number). */
export function bufferFromInput(value: number): number | null {
  return Number.isFinite(value) ? Math.min(5000, Math.max(0, Math.round(value))) : null;
}

