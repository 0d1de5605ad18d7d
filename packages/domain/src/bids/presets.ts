import type { BuiltInBidPreset, EligibilityCriteria } from '@safer-places/schemas';
import { BID_PRESET_NOTE } from '@safer-places/schemas';

/**
 * Starting points per Safer Streets round. The crime types follow each round's published theme; the thresholds are
 * this product's suggestions (the Home Office set the eligible areas per round, often via an OPCC list of LSOAs), so
 * every preset carries BID_PRESET_NOTE and is meant to be copied and adjusted.
 */
const base = (categories: EligibilityCriteria['categories'], rules: EligibilityCriteria['rules']): EligibilityCriteria => ({
  scope: { kind: 'all' },
  categories,
  combine: 'and',
  rules,
});

export const BUILT_IN_BID_PRESETS: readonly BuiltInBidPreset[] = [
  {
    id: 'builtin-r1-acquisitive',
    name: 'Acquisitive crime (Safer Streets round 1)',
    round: 'R1',
    description:
      'Round 1 (2020/21) funded situational prevention of acquisitive crime in small, high-crime areas. Suggested: acquisitive crime rate at least 50 % above the force-area average and at least 50 crimes a year.',
    criteria: base(['acquisitive-crime'], [
      { kind: 'rate-above-average', minPercent: 50 },
      { kind: 'min-count', count: 50 },
    ]),
    builtIn: true,
    note: BID_PRESET_NOTE,
  },
  {
    id: 'builtin-r2-burglary-robbery-theft',
    name: 'Burglary, robbery, theft from the person and vehicle crime (round 2)',
    round: 'R2',
    description:
      'Round 2 (2021/22) targeted burglary, robbery, theft from the person and vehicle crime. Suggested: in the top 20 % of LSOAs in scope by rate for those four, with at least 30 of them a year.',
    criteria: base(['burglary', 'robbery', 'theft-from-the-person', 'vehicle-crime'], [
      { kind: 'top-percent', percent: 20 },
      { kind: 'min-count', count: 30 },
    ]),
    builtIn: true,
    note: BID_PRESET_NOTE,
  },
  {
    id: 'builtin-r3-vawg-public-spaces',
    name: 'VAWG in public spaces (round 3)',
    round: 'R3',
    description:
      'Round 3 (2021/22) funded making public spaces safer for women and girls. police.uk has no VAWG flag: this uses violence and sexual offences plus public order as a proxy. Suggested: rate at least 25 % above the force-area average and at least a fifth of those crimes in persistent hot spots.',
    criteria: base(['vawg-related'], [
      { kind: 'rate-above-average', minPercent: 25 },
      { kind: 'persistent-hotspot-share', minShare: 0.2 },
    ]),
    builtIn: true,
    note: BID_PRESET_NOTE,
  },
  {
    id: 'builtin-r4-neighbourhood-asb-vawg',
    name: 'Neighbourhood crime, ASB and VAWG (round 4)',
    round: 'R4',
    description:
      'Round 4 (2022-24) covered neighbourhood crime, anti-social behaviour and/or VAWG. Suggested: the three together at least 25 % above the force-area average, in the more deprived half of England (decile 5 or lower).',
    criteria: base(['neighbourhood-crime', 'anti-social-behaviour', 'vawg-related'], [
      { kind: 'rate-above-average', minPercent: 25 },
      { kind: 'max-decile', decile: 5 },
    ]),
    builtIn: true,
    note: BID_PRESET_NOTE,
  },
];

export function builtInPreset(id: string): BuiltInBidPreset | undefined {
  return BUILT_IN_BID_PRESETS.find((p) => p.id === id);
}
