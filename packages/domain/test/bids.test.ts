import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { bidPresetInputSchema, eligibilityCriteriaSchema, type Bid, type BidRule, type DatasetSummary, type SelectionResult } from '@safer-places/schemas';
import {
  BUILT_IN_BID_PRESETS,
  bidLsoasCsv,
  buildBidPack,
  differenceInDifferences,
  counts,
  evaluateCriteria,
  evaluateRule,
  packFileName,
  profileOf,
  renderBidReport,
  suggestComparison,
  type CriteriaInput,
} from '../src/index';

/** Five LSOAs with round figures: rates 10, 20, 30, 40 per 1,000 and one without population. */
const lsoas = [
  { code: 'A', name: 'Alpha', district: 'D1', cspName: 'C1', population: 1000, decile: 1 },
  { code: 'B', name: 'Beta', district: 'D1', cspName: 'C1', population: 1000, decile: 3 },
  { code: 'C', name: 'Gamma', district: 'D2', cspName: 'C2', population: 2000, decile: 5 },
  { code: 'D', name: 'Delta', district: 'D2', cspName: 'C2', population: 500, decile: null },
  { code: 'E', name: 'Epsilon', district: 'D2', cspName: 'C2', population: null, decile: 2 },
];
// Crimes: A 10, B 20, C 60 (rate 30), D 20 (rate 40), E 99. Average = (10+20+60+20)/(4500) × 1000 = 24.444…
const input = (rules: BidRule[], over: Partial<CriteriaInput> = {}): CriteriaInput => ({
  lsoas,
  current: [10, 20, 60, 20, 99],
  previous: [5, 25, 60, 10, 0],
  persistentShare: null,
  inScope: new Uint8Array([1, 1, 1, 1, 1]),
  inList: null,
  rules,
  combine: 'and',
  ...over,
});
const passing = (out: ReturnType<typeof evaluateCriteria>) => out.lsoas.filter((l) => l.passes).map((l) => l.code).sort();

describe('eligibility rules', () => {
  it('rate-above-average: % above the force-area average over LSOAs with a population', () => {
    const out = evaluateCriteria(input([{ kind: 'rate-above-average', minPercent: 20 }]));
    expect(out.averageRate).toBe(24.44);
    // C: 30 / 24.444 = +22.7 %, D: +63.6 %; B: −18.2 %; E has no rate.
    expect(passing(out)).toEqual(['C', 'D']);
    const c = out.lsoas.find((l) => l.code === 'C')!.rules[0]!;
    expect(c).toMatchObject({ kind: 'rate-above-average', pass: true, value: 22.7, threshold: 20, margin: 2.7 });
    expect(c.label).toContain('24.4 per 1,000');
    expect(out.lsoas.find((l) => l.code === 'E')!.rules[0]).toMatchObject({ pass: false, value: null, margin: null });
  });

  it('the average is the whole dataset even when the scope is smaller', () => {
    const out = evaluateCriteria(input([{ kind: 'rate-above-average', minPercent: 0 }], { inScope: new Uint8Array([1, 1, 0, 0, 0]) }));
    expect(out.averageRate).toBe(24.44);
    expect(out.scopeLsoas).toBe(2);
    expect(passing(out)).toEqual([]);
  });

  it('top-percent: rank within scope against ceil(percent × LSOAs with a rate)', () => {
    const out = evaluateCriteria(input([{ kind: 'top-percent', percent: 50 }]));
    // Ranked: D 40, C 30, B 20, A 10 → top 50 % of 4 = ranks 1–2.
    expect(passing(out)).toEqual(['C', 'D']);
    expect(out.lsoas.find((l) => l.code === 'B')!.rules[0]).toMatchObject({ value: 3, threshold: 2, margin: -1, pass: false });
    expect(out.lsoas.find((l) => l.code === 'D')!.rank).toBe(1);
    expect(out.lsoas.find((l) => l.code === 'E')!.rank).toBeNull();
    // 10 % of 4 still lets the top one through.
    expect(passing(evaluateCriteria(input([{ kind: 'top-percent', percent: 10 }])))).toEqual(['D']);
  });

  it('equal rates share a rank', () => {
    const out = evaluateCriteria(input([], { current: [20, 20, 10, 0, 0] }));
    expect(out.lsoas.filter((l) => l.code === 'A' || l.code === 'B').map((l) => l.rank)).toEqual([1, 1]);
    expect(out.lsoas.find((l) => l.code === 'C')!.rank).toBe(3);
  });

  it('min-count, max-decile and persistent-hotspot-share', () => {
    expect(passing(evaluateCriteria(input([{ kind: 'min-count', count: 20 }])))).toEqual(['B', 'C', 'D', 'E']);
    const decile = evaluateCriteria(input([{ kind: 'max-decile', decile: 2 }]));
    expect(passing(decile)).toEqual(['A', 'E']);
    expect(decile.lsoas.find((l) => l.code === 'D')!.rules[0]).toMatchObject({ pass: false, value: null });
    expect(decile.lsoas.find((l) => l.code === 'B')!.rules[0]).toMatchObject({ value: 3, threshold: 2, margin: -1 });
    const share = evaluateCriteria(input([{ kind: 'persistent-hotspot-share', minShare: 0.25 }], { persistentShare: [0, 0.25, 0.5, 0.1, 1] }));
    expect(passing(share)).toEqual(['B', 'C', 'E']);
    expect(share.lsoas.find((l) => l.code === 'C')!.persistentShare).toBe(0.5);
  });

  it('combines rules with and / or; no rules lets every LSOA in scope through', () => {
    const rules: BidRule[] = [
      { kind: 'max-decile', decile: 3 },
      { kind: 'min-count', count: 20 },
    ];
    expect(passing(evaluateCriteria(input(rules)))).toEqual(['B', 'E']);
    expect(passing(evaluateCriteria(input(rules, { combine: 'or' })))).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(evaluateCriteria(input([])).eligible).toBe(5);
  });

  it('an OPCC list is the eligibility set; rules are still reported', () => {
    const out = evaluateCriteria(input([{ kind: 'min-count', count: 50 }], { inList: new Uint8Array([1, 0, 0, 0, 0]) }));
    expect(passing(out)).toEqual(['A']);
    const a = out.lsoas.find((l) => l.code === 'A')!;
    expect(a).toMatchObject({ inList: true, passes: true });
    expect(a.rules[0]).toMatchObject({ pass: false });
  });

  it('sorts eligible first, then by rate (unknown last)', () => {
    const out = evaluateCriteria(input([{ kind: 'max-decile', decile: 3 }]));
    expect(out.lsoas.map((l) => l.code)).toEqual(['B', 'A', 'E', 'D', 'C']);
  });

  it('evaluateRule reports unknown figures as failing with no margin', () => {
    expect(evaluateRule({ kind: 'rate-above-average', minPercent: 0 }, { rate: 10, rank: 1, count: 1, decile: 1, share: null, average: null, ranked: 1 })).toMatchObject({ pass: false, value: null });
  });
});

describe('comparison suggestion', () => {
  it('takes the candidates closest on rate, trend and decile, best first', () => {
    const target = profileOf([{ index: 0, current: 30, previous: 30, population: 1000, decile: 2 }]);
    expect(target).toEqual({ current: 30, previous: 30, population: 1000, decile: 2 });
    const candidates = [
      { index: 1, current: 31, previous: 30, population: 1000, decile: 2 }, // near-identical
      { index: 2, current: 90, previous: 30, population: 1000, decile: 9 }, // far
      { index: 3, current: 25, previous: 30, population: 1000, decile: 3 }, // close-ish
      { index: 4, current: 30, previous: 30, population: null, decile: 2 }, // no population: not a candidate
    ];
    const s = suggestComparison(target, candidates, 2);
    expect(s.map((c) => c.index)).toEqual([1, 3]);
    expect(s[0]!.score).toBeLessThan(s[1]!.score);
    expect(suggestComparison(target, candidates, 10)).toHaveLength(3);
  });
});

describe('difference in differences', () => {
  it('scales the comparison change to the target', () => {
    // Target 100 → 70; comparison 200 → 180 (−10 %). Expected 90, so −20 crimes; relative 0.7 / 0.9 − 1 = −22.2 %.
    const did = differenceInDifferences(counts(100, 70), counts(200, 180));
    expect(did.absolute).toBe(-20);
    expect(did.relative).toBe(-0.222);
    expect(did.unscaled).toBe(-30 - -20);
    expect(counts(100, 70)).toEqual({ before: 100, after: 70, change: -30, changePercent: -30 });
    expect(differenceInDifferences(counts(10, 5), counts(0, 4))).toMatchObject({ absolute: null, relative: null });
  });

  it('rounds half away from zero, as every figure the product shows (schemas numbers.ts)', () => {
    // 79 / 80 − 1 = −0.0125, a half at three decimals: −0.013 (Math.round would give −0.012).
    expect(differenceInDifferences(counts(80, 79), counts(100, 100)).relative).toBe(-0.013);
  });
});

describe('presets', () => {
  it('are valid criteria with the prospectus note, one per round 1–4', () => {
    expect(BUILT_IN_BID_PRESETS.map((p) => p.round)).toEqual(['R1', 'R2', 'R3', 'R4']);
    for (const p of BUILT_IN_BID_PRESETS) {
      expect(eligibilityCriteriaSchema.parse(p.criteria)).toEqual(p.criteria);
      expect(bidPresetInputSchema.safeParse({ name: p.name, round: p.round, description: p.description, criteria: p.criteria }).success).toBe(true);
      expect(p.note).toMatch(/prospectus/);
      expect(p.builtIn).toBe(true);
    }
  });
});

describe('evidence report and pack', () => {
  const dataset: DatasetSummary = {
    id: 'ds', name: 'Test <data>', synthetic: true, version: 'v1', firstMonth: '2023-01', lastMonth: '2024-12', lsoaCount: 2, crimeCount: 10, bbox: null,
    sources: [{ name: 'police.uk', publisher: 'Home Office', licence: 'OGL v3', coverage: '2023-01 to 2024-12' }], importedAt: '2025-01-05T00:00:00Z', notes: [],
  };
  const square = { type: 'Polygon' as const, coordinates: [[[-1.2, 53], [-1.19, 53], [-1.19, 53.01], [-1.2, 53.01], [-1.2, 53]]] as [number, number][][] };
  const selection: SelectionResult = {
    dataset: { id: 'ds', name: 'Test <data>', synthetic: true }, period: { from: '2024-01', to: '2024-12' }, previousPeriod: { from: '2023-01', to: '2023-12' },
    categories: [{ key: 'all-crime', label: 'All crime and ASB' }],
    totals: { lsoas: 1, areaKm2: 0.74, residents: 1500, populationUnknown: 0, crimes: 120, previousCrimes: 100, change: 20, changePercent: 20, rate: 80 },
    groups: [['E01000001']],
    lsoas: [{ code: 'E01000001', name: '=HYPERLINK("http://x")', ward: 'W', district: 'D', cspName: 'C', population: 1500, decile: 2, count: 120, previousCount: 100, rate: 80, areaKm2: 0.74, group: 0 }],
    target: square, bufferM: 500, buffer: null,
    comparison: { suggested: true, lsoas: [], geometry: null, method: 'm' },
    byCategory: [{ key: 'all-crime', label: 'All crime and ASB', current: 120, previous: 100, change: 20, changePct: 20, target: 'Reduce' }],
    monthly: [{ month: '2024-12', count: 10, comparison: 0 }], inside: { cameras: 1, helpPoints: 0, pspoZones: 2 }, notes: [],
  };
  const bid: Bid = {
    id: 'b1', orgId: 'o', version: 3, createdAt: '', createdBy: 'u', updatedAt: '', updatedBy: 'u<i>',
    name: '<script>alert(1)</script>', notes: '<img src=x onerror=alert(2)>', criteria: eligibilityCriteriaSchema.parse({ scope: { kind: 'all' }, categories: ['all-crime'] }), selection: ['E01000001'],
  };
  const report = { bid, selection, eligibility: null, dataset, lsoaGeometries: [square], generatedAt: new Date('2025-02-01T10:00:00Z') };

  it('escapes every user text and shows the synthetic banner', () => {
    const html = renderBidReport(report);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('Test &lt;data&gt;');
    expect(html).toContain('SYNTHETIC DATA');
    // Self-contained: nothing loaded from anywhere.
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(http/i);
  });

  it('escapes formulas in the CSV and names the zip after the bid', () => {
    const csv = bidLsoasCsv(report);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(packFileName('<script>alert(1)</script>')).toBe('scriptalert1script-evidence-pack.zip');
    expect(packFileName('Safer Streets 5: Mansfield town centre')).toBe('safer-streets-5-mansfield-town-centre-evidence-pack.zip');
    const pack = buildBidPack(report, new Map([['E01000001', square]]), new Map());
    const files = unzipSync(pack.zip);
    expect(Object.keys(files).sort()).toEqual(['buffer.geojson', 'comparison.geojson', 'lsoas.csv', 'report.html', 'target.geojson']);
    expect(JSON.parse(strFromU8(files['target.geojson']!)).features).toHaveLength(2);
    expect(JSON.parse(strFromU8(files['buffer.geojson']!)).features).toHaveLength(0);
  });
});
