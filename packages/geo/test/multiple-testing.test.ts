import { describe, expect, it } from 'vitest';
import { adjustDistinct, adjustPValues, erfc, seededRandom, twoSidedP, type PAdjustMethod } from '../src/index';
import { expectGolden } from './golden';

/** Definitions straight from the papers, O(m²), with R's tie handling (ties take the value at their last/first rank). */
function bruteForce(p: number[], method: PAdjustMethod): number[] {
  const valid = p.filter((v) => !Number.isNaN(v));
  const m = valid.length;
  const sorted = [...valid].sort((a, b) => a - b);
  return p.map((v) => {
    if (Number.isNaN(v)) return NaN;
    if (method === 'none') return v;
    if (method === 'fdr') {
      const last = sorted.lastIndexOf(v) + 1; // rank of the last tie
      let best = Infinity;
      for (let j = last; j <= m; j++) best = Math.min(best, (m * sorted[j - 1]!) / j);
      return Math.min(1, best);
    }
    const first = sorted.indexOf(v) + 1;
    let worst = 0;
    for (let j = 1; j <= first; j++) worst = Math.max(worst, (m - j + 1) * sorted[j - 1]!);
    return Math.min(1, worst);
  });
}

describe('erfc / twoSidedP', () => {
  it('matches tabulated values across both branches to ~1e-14 relative', () => {
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869534],
      [1, 0.15729920705028513],
      [1.9, 0.007209570764742524],
      [2, 0.004677734981047266],
      [2.1, 0.0029794666563329854],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
      [-1, 1.8427007929497148],
    ];
    for (const [x, v] of table) expect(Math.abs(erfc(x) - v) / v, `erfc(${x})`).toBeLessThan(1e-13);
    expect(erfc(30)).toBe(0);
    expect(Number.isNaN(erfc(Number.NaN))).toBe(true);
  });

  it('gives the familiar two-sided critical values', () => {
    expect(twoSidedP(1.6448536269514722)).toBeCloseTo(0.1, 14);
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedP(-2.5758293035489004)).toBeCloseTo(0.01, 14);
    expect(twoSidedP(0)).toBe(1);
  });
});

describe('adjustPValues', () => {
  it('matches R p.adjust on a textbook example', () => {
    const p = [0.01, 0.02, 0.03, 0.04, 0.05];
    expect([...adjustPValues(p, 'fdr')].map((v) => +v.toFixed(12))).toEqual([0.05, 0.05, 0.05, 0.05, 0.05]);
    expect([...adjustPValues(p, 'holm')].map((v) => +v.toFixed(12))).toEqual([0.05, 0.08, 0.09, 0.09, 0.09]);
    expect([...adjustPValues(p, 'none')]).toEqual(p);
  });

  it('matches the definitions on random p-values with ties and NaN (which are not counted as tests)', () => {
    const rng = seededRandom(9);
    for (let trial = 0; trial < 20; trial++) {
      const m = 1 + rng.int(0, 300);
      const p = Array.from({ length: m }, () => {
        const r = rng.next();
        if (r < 0.05) return NaN;
        if (r < 0.25) return rng.pick([0.001, 0.01, 0.2, 1]); // ties
        return rng.next() ** 3;
      });
      for (const method of ['none', 'fdr', 'holm'] as const) {
        const got = [...adjustPValues(p, method)];
        const want = bruteForce(p, method);
        got.forEach((g, i) => (Number.isNaN(want[i]!) ? expect(g).toBeNaN() : expect(g).toBeCloseTo(want[i]!, 14)));
      }
    }
  });

  it('never lowers a p-value, keeps the order, and Holm is at least as strict as FDR', () => {
    const rng = seededRandom(10);
    const p = Array.from({ length: 500 }, () => rng.next() ** 4);
    const fdr = adjustPValues(p, 'fdr');
    const holm = adjustPValues(p, 'holm');
    const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      expect(fdr[i]).toBeGreaterThanOrEqual(p[i]!);
      expect(holm[i]).toBeGreaterThanOrEqual(fdr[i]! - 1e-15);
      if (k > 0) expect(fdr[i]).toBeGreaterThanOrEqual(fdr[order[k - 1]!]!);
    }
  });
});

describe('adjustDistinct', () => {
  it('equals adjusting the expanded list, including equal values in different entries', () => {
    const values = [0.03, 0.001, 0.2, 0.03, Number.NaN, 0.5];
    const counts = [3, 1, 10, 2, 4, 0];
    const expanded = values.flatMap((v, d) => Array.from({ length: counts[d]! }, () => v));
    for (const method of ['none', 'fdr', 'holm'] as const) {
      const full = adjustPValues(expanded, method);
      const distinct = adjustDistinct(values, counts, method);
      let k = 0;
      values.forEach((_, d) => {
        for (let j = 0; j < counts[d]!; j++, k++) {
          if (Number.isNaN(full[k]!)) expect(distinct[d]).toBeNaN();
          else expect(distinct[d]).toBeCloseTo(full[k]!, 15);
        }
      });
    }
  });

  it('matches the golden adjustments', () => {
    const rng = seededRandom(12);
    const p = Array.from({ length: 12 }, (_, i) => (i % 5 === 4 ? 0.04 : rng.next() ** 3));
    const adj = { none: adjustPValues(p, 'none'), fdr: adjustPValues(p, 'fdr'), holm: adjustPValues(p, 'holm') };
    expectGolden('multiple-testing', 'adjusted', {
      type: 'FeatureCollection',
      features: p.map((v, i) => ({ type: 'Feature', properties: { p: v, fdr: adj.fdr[i], holm: adj.holm[i] }, geometry: null })),
    });
  });
});
