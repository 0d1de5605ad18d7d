import { areasIntersect, bboxIntersects, bufferArea, geometryBBox, ringOfNeighbours } from '@safer-places/geo';
import type { AreaGeometry, ComparisonLsoa, Lsoa } from '@safer-places/schemas';
import { roundHalfAway } from '@safer-places/schemas';
import { profileOf, suggestComparison, type ComparisonCandidate } from './comparison';

/**
 * The suggested comparison LSOAs for a target: candidates are neither in it, next to it, nor touching its buffer; the
 * most similar `count` of them on rate, trend and deprivation (see suggestComparison).
 */
export function suggestComparisonFor(
  topo: { lsoas: readonly Lsoa[]; adjacency: Parameters<typeof ringOfNeighbours>[0] },
  members: readonly number[],
  target: AreaGeometry,
  bufferM: number,
  current: ArrayLike<number>,
  previous: ArrayLike<number>,
  count: number,
): ReturnType<typeof suggestComparison> {
  const excluded = new Uint8Array(topo.lsoas.length);
  for (const i of members) excluded[i] = 1;
  for (const i of ringOfNeighbours(topo.adjacency, members)) excluded[i] = 1;
  const grown = bufferM > 0 ? bufferArea(target, bufferM) : null;
  if (grown) {
    const box = geometryBBox(grown);
    topo.lsoas.forEach((l, i) => {
      if (!excluded[i] && bboxIntersects(l.bbox, box) && areasIntersect(l.geometry, grown)) excluded[i] = 1;
    });
  }
  const candidate = (i: number): ComparisonCandidate => ({ index: i, current: current[i]!, previous: previous[i]!, population: topo.lsoas[i]!.population, decile: topo.lsoas[i]!.imdDecile });
  const candidates: ComparisonCandidate[] = [];
  for (let i = 0; i < topo.lsoas.length; i++) if (!excluded[i]) candidates.push(candidate(i));
  return suggestComparison(profileOf(members.map(candidate)), candidates, count);
}

/**
 * A comparison LSOA as a result shows it: its suggestion score (null when the bid writer chose it), and its rate per
 * 1,000 residents and 12-month trend from the profile's counts.
 */
export function comparisonRow(l: Lsoa, current: number, previous: number, score: number | null): ComparisonLsoa {
  return {
    code: l.code,
    name: l.name,
    score,
    rate: l.population ? roundHalfAway((current / l.population) * 1000, 2) : null,
    trend: previous > 0 ? roundHalfAway((current - previous) / previous, 3) : null,
    decile: l.imdDecile,
  };
}

/** The suggestion scores by topology index, rounded as results show them. */
export function scoresOf(suggested: ReturnType<typeof suggestComparison>): Map<number, number> {
  return new Map(suggested.map((s) => [s.index, roundHalfAway(s.score, 3)]));
}
