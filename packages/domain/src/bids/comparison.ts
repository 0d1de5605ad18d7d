/**
 * Suggested comparison area: LSOAs outside the target and its surroundings that look most like the target before the
 * intervention, so a later before/after change in the target can be set against theirs (difference in differences).
 *
 * Each LSOA is described by three features, and each feature is standardised by its standard deviation over every
 * candidate with all three known:
 *   rate   crimes per 1,000 residents in the 12 months (chosen categories)
 *   trend  ln((current + 1) / (previous + 1)), the 12-month trend on a log scale (+1 keeps empty LSOAs finite)
 *   decile deprivation decile
 * The target is described the same way from its totals (rate and trend of the summed counts; population-weighted mean
 * decile). score = √(Σ ((candidate − target) / sd)²), 0 = identical. The n candidates with the lowest score are taken
 * one by one, best first (greedy), n = the number of target LSOAs (fewer if there are not enough candidates). LSOAs
 * with no population or no decile are not candidates.
 */
export const COMPARISON_METHOD =
  'Score = √(Δrate² + Δtrend² + Δdecile²), each difference from the target divided by that feature’s standard deviation over the candidates; rate = crimes per 1,000 residents (12 months), trend = ln((current + 1) / (previous + 1)), decile = deprivation decile (target: population-weighted mean). Candidates: LSOAs of the dataset not in the target, not adjacent to it and not touching its buffer, with population and decile known. The lowest scores are taken one by one until there are as many as target LSOAs.';

export interface ComparisonCandidate {
  index: number;
  current: number;
  previous: number;
  population: number | null;
  decile: number | null;
}

export interface ComparisonProfile {
  current: number;
  previous: number;
  population: number;
  decile: number | null;
}

export interface ScoredCandidate {
  index: number;
  score: number;
  rate: number;
  trend: number;
}

export function profileOf(members: readonly ComparisonCandidate[]): ComparisonProfile {
  let current = 0, previous = 0, population = 0, decileSum = 0, decileWeight = 0;
  for (const m of members) {
    current += m.current;
    previous += m.previous;
    if (m.population !== null && m.population > 0) {
      population += m.population;
      if (m.decile !== null) {
        decileSum += m.decile * m.population;
        decileWeight += m.population;
      }
    }
  }
  return { current, previous, population, decile: decileWeight > 0 ? decileSum / decileWeight : null };
}

export function suggestComparison(target: ComparisonProfile, candidates: readonly ComparisonCandidate[], n: number): ScoredCandidate[] {
  const usable = candidates.filter((c) => c.population !== null && c.population > 0 && c.decile !== null);
  if (usable.length === 0 || n <= 0) return [];
  const rate = usable.map((c) => (c.current / c.population!) * 1000);
  const trend = usable.map((c) => Math.log((c.current + 1) / (c.previous + 1)));
  const decile = usable.map((c) => c.decile!);
  const sd = (xs: number[]) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1);
    return Math.sqrt(v) || 1;
  };
  const sr = sd(rate), st = sd(trend), sdd = sd(decile);
  const tRate = target.population > 0 ? (target.current / target.population) * 1000 : 0;
  const tTrend = Math.log((target.current + 1) / (target.previous + 1));
  const tDecile = target.decile ?? 5.5;
  const scored = usable.map((c, k) => ({
    index: c.index,
    score: Math.sqrt(((rate[k]! - tRate) / sr) ** 2 + ((trend[k]! - tTrend) / st) ** 2 + ((decile[k]! - tDecile) / sdd) ** 2),
    rate: rate[k]!,
    trend: trend[k]!,
  }));
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return scored.slice(0, n);
}
