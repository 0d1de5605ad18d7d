import type { BidRule, EligibilityLsoa, EligibilityRuleResult } from '@safer-places/schemas';
import { roundHalfAway } from '@safer-places/schemas';

/**
 * Eligibility rules over LSOAs, as a pure function of per-LSOA figures (the service gathers them): fast enough to
 * re-run on every change of a criterion, for a county or for all of England.
 *
 * - rate-above-average: rate per 1,000 residents (12 months) at least minPercent % above the force-area average
 *   (total crimes ÷ total residents × 1,000 over every LSOA of the dataset with a population, scope or not).
 *   value = % above the average.
 * - top-percent: rank by rate among LSOAs in scope with a rate (1 = highest; ties share the better rank) at most
 *   ceil(percent % × LSOAs ranked). value = rank, threshold = that cut-off rank.
 * - min-count: crimes in the 12 months ≥ count.
 * - max-decile: deprivation decile ≤ decile (1 = most deprived).
 * - persistent-hotspot-share: share of the LSOA's crimes (24 months) in persistent Gi* hot-spot cells ≥ minShare.
 *
 * An LSOA with an unknown figure (no population, no decile) fails the rule that needs it. combine 'and' needs every
 * rule, 'or' any; with no rules every LSOA in scope passes. With an OPCC list, the list decides (rules are reported).
 */
export interface CriteriaLsoa {
  code: string;
  name: string;
  ward?: string | null;
  district: string;
  cspName: string | null;
  population: number | null;
  decile: number | null;
}

export interface CriteriaInput {
  lsoas: readonly CriteriaLsoa[];
  /** Crimes in the 12 months, aligned with lsoas. */
  current: ArrayLike<number>;
  /** Crimes in the 12 months before. */
  previous: ArrayLike<number>;
  /** Share of crimes in persistent hot spots, aligned with lsoas; null when not computed. */
  persistentShare: ArrayLike<number> | null;
  /** 1 where the LSOA is in scope. */
  inScope: Uint8Array;
  /** 1 where the LSOA is on the OPCC list; null when there is no list. */
  inList: Uint8Array | null;
  rules: readonly BidRule[];
  combine: 'and' | 'or';
}

export interface CriteriaOutput {
  averageRate: number | null;
  scopeLsoas: number;
  eligible: number;
  /** In-scope LSOAs only, eligible first then by rate (highest first, unknown last), then code. */
  lsoas: EligibilityLsoa[];
}

export function evaluateCriteria(input: CriteriaInput): CriteriaOutput {
  const { lsoas, current, previous, inScope, inList, rules } = input;
  const n = lsoas.length;
  const rate = new Float64Array(n).fill(NaN);
  let totalCrimes = 0;
  let totalPop = 0;
  for (let i = 0; i < n; i++) {
    const pop = lsoas[i]!.population;
    if (pop !== null && pop > 0) {
      rate[i] = (current[i]! / pop) * 1000;
      totalCrimes += current[i]!;
      totalPop += pop;
    }
  }
  const average = totalPop > 0 ? (totalCrimes / totalPop) * 1000 : null;

  // Ranks by rate within scope (competition ranking: equal rates share the better rank).
  const ranked: number[] = [];
  for (let i = 0; i < n; i++) if (inScope[i] && !Number.isNaN(rate[i]!)) ranked.push(i);
  ranked.sort((a, b) => rate[b]! - rate[a]!);
  const rank = new Int32Array(n);
  for (let k = 0; k < ranked.length; k++) {
    const i = ranked[k]!;
    rank[i] = k > 0 && rate[ranked[k - 1]!] === rate[i] ? rank[ranked[k - 1]!]! : k + 1;
  }

  // Labels are the same for every LSOA: formatted once.
  const labels = rules.map((rule) => ruleLabel(rule, average, ranked.length));
  const out: EligibilityLsoa[] = [];
  for (let i = 0; i < n; i++) {
    if (!inScope[i]) continue;
    const l = lsoas[i]!;
    const r = Number.isNaN(rate[i]!) ? null : rate[i]!;
    const share = input.persistentShare ? input.persistentShare[i]! : null;
    const results = rules.map((rule, k) => evaluateRule(rule, { rate: r, rank: rank[i]! || null, count: current[i]!, decile: l.decile, share, average, ranked: ranked.length }, labels[k]));
    const byRules = results.length === 0 || (input.combine === 'and' ? results.every((x) => x.pass) : results.some((x) => x.pass));
    const listed = inList ? inList[i] === 1 : undefined;
    out.push({
      code: l.code,
      name: l.name,
      ward: l.ward ?? null,
      district: l.district,
      cspName: l.cspName,
      rank: rank[i]! || null,
      count: current[i]!,
      previousCount: previous[i]!,
      rate: r === null ? null : roundHalfAway(r, 2),
      population: l.population,
      decile: l.decile,
      persistentShare: share === null ? null : roundHalfAway(share, 3),
      ...(listed !== undefined && { inList: listed }),
      passes: listed !== undefined ? listed : byRules,
      rules: results,
    });
  }
  out.sort((a, b) => Number(b.passes) - Number(a.passes) || (b.rate ?? -1) - (a.rate ?? -1) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { averageRate: average === null ? null : roundHalfAway(average, 2), scopeLsoas: out.length, eligible: out.filter((l) => l.passes).length, lsoas: out };
}

interface RuleFigures {
  rate: number | null;
  rank: number | null;
  count: number;
  decile: number | null;
  share: number | null;
  average: number | null;
  ranked: number;
}

/** The rule in words with its threshold, e.g. "Rate at least 20 % above the force-area average (24.4 per 1,000)". */
export function ruleLabel(rule: BidRule, average: number | null, ranked: number): string {
  switch (rule.kind) {
    case 'rate-above-average':
      return `Rate at least ${fmt(rule.minPercent)} % above the force-area average (${average === null ? 'unknown' : `${fmt(average)} per 1,000`})`;
    case 'top-percent':
      return `In the top ${fmt(rule.percent)} % of LSOAs in scope by rate (rank ${topCutoff(rule.percent, ranked)} or better of ${ranked})`;
    case 'min-count':
      return `At least ${rule.count} crimes in the 12 months`;
    case 'max-decile':
      return `Deprivation decile ${rule.decile} or lower (1 = most deprived 10 %)`;
    case 'persistent-hotspot-share':
      return `At least ${fmt(rule.minShare * 100)} % of its crimes (24 months) in persistent hot spots`;
  }
}

const topCutoff = (percent: number, ranked: number) => Math.max(1, Math.ceil((percent / 100) * ranked));

export function evaluateRule(rule: BidRule, f: RuleFigures, label = ruleLabel(rule, f.average, f.ranked)): EligibilityRuleResult {
  switch (rule.kind) {
    case 'rate-above-average': {
      const value = f.rate !== null && f.average !== null && f.average > 0 ? (f.rate / f.average - 1) * 100 : null;
      return result(rule.kind, label, value, rule.minPercent, (v, t) => v - t, 1);
    }
    case 'top-percent':
      return result(rule.kind, label, f.rank, topCutoff(rule.percent, f.ranked), (v, t) => t - v, 0);
    case 'min-count':
      return result(rule.kind, label, f.count, rule.count, (v, t) => v - t, 0);
    case 'max-decile':
      return result(rule.kind, label, f.decile, rule.decile, (v, t) => t - v, 0);
    case 'persistent-hotspot-share':
      return result(rule.kind, label, f.share, rule.minShare, (v, t) => v - t, 3);
  }
}

function result(
  kind: BidRule['kind'],
  label: string,
  value: number | null,
  threshold: number,
  margin: (v: number, t: number) => number,
  digits: number,
): EligibilityRuleResult {
  if (value === null) return { kind, label, pass: false, value: null, threshold, margin: null };
  const m = margin(value, threshold);
  return { kind, label, pass: m >= -1e-9, value: roundHalfAway(value, digits), threshold, margin: roundHalfAway(m, digits) };
}

const fmt = (x: number) => roundHalfAway(x, 1).toLocaleString('en-GB');
