import { describe, expect, it } from 'vitest';
import { labelIndices, labelWidth, niceScale, placeLabel, trendChartLayout, trendSummary } from '../src/features/reports/chart';
import { monthLabel as monthLabelOf } from '../src/shared/format';

/** A label's [left, right] in chart units, from its anchor and estimated width. */
function extent(l: { x: number; label: string; anchor: 'start' | 'middle' | 'end' }): [number, number] {
  const w = labelWidth(l.label);
  return l.anchor === 'start' ? [l.x, l.x + w] : l.anchor === 'end' ? [l.x - w, l.x] : [l.x - w / 2, l.x + w / 2];
}

const months = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const idx = 2023 * 12 + from - 1 + i;
    return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
  });

describe('trend chart scale', () => {
  it('rounds the top of the axis up to 1, 2, 2.5 or 5 × 10ⁿ steps from 0', () => {
    expect(niceScale(87)).toEqual({ max: 100, step: 25, ticks: [0, 25, 50, 75, 100] });
    expect(niceScale(100)).toEqual({ max: 100, step: 25, ticks: [0, 25, 50, 75, 100] });
    expect(niceScale(412)).toEqual({ max: 600, step: 200, ticks: [0, 200, 400, 600] });
    expect(niceScale(1234).max).toBe(1500);
    expect(niceScale(7)).toEqual({ max: 8, step: 2, ticks: [0, 2, 4, 6, 8] });
  });

  it('uses whole-number steps only (counts are integers) and copes with no crimes', () => {
    expect(niceScale(3)).toEqual({ max: 3, step: 1, ticks: [0, 1, 2, 3] });
    expect(niceScale(0)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
    expect(niceScale(Number.NaN)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
    for (const n of [1, 2, 5, 9, 13, 99, 101, 999]) {
      const s = niceScale(n);
      expect(s.max).toBeGreaterThanOrEqual(n);
      expect(s.ticks.every(Number.isInteger)).toBe(true);
      expect(s.ticks.at(-1)).toBe(s.max);
    }
  });
});

describe('month labels', () => {
  it('prints every month when they fit, otherwise evenly spaced ones ending with the latest', () => {
    expect(labelIndices(4, 6)).toEqual([0, 1, 2, 3]);
    expect(labelIndices(24, 5)).toEqual([5, 11, 17, 23]);
    expect(labelIndices(12, 4)).toEqual([3, 7, 11]);
    expect(labelIndices(0, 4)).toEqual([]);
  });
});

describe('trend chart layout', () => {
  const trend = months(1, 24).map((m, i) => ({ month: m, count: i * 4 }));
  const layout = trendChartLayout(trend, { width: 320, height: 170, margin: { top: 10, right: 8, bottom: 34, left: 40 }, period: { from: '2024-01', to: '2024-12' } });

  it('has one bar per month inside the plot, heights proportional to the counts', () => {
    expect(layout.bars).toHaveLength(24);
    expect(layout.scale.max).toBe(100);
    const plotH = layout.plot.bottom - layout.plot.top;
    for (const b of layout.bars) {
      expect(b.x).toBeGreaterThanOrEqual(layout.plot.left);
      expect(b.x + b.width).toBeLessThanOrEqual(layout.plot.right + 0.01);
      expect(b.height).toBeCloseTo((b.count / 100) * plotH, 1);
      expect(b.y + b.height).toBeCloseTo(layout.plot.bottom, 5);
    }
    expect(layout.bars[0]!.height).toBe(0);
  });

  it('labels months like "Dec 2024" and marks the chosen period', () => {
    expect(layout.bars[23]!.label).toBe('Dec 2024');
    expect(layout.bars[0]!.label).toBe('Jan 2023');
    expect(layout.bars.filter((b) => b.inPeriod).map((b) => b.month)).toEqual(months(13, 12));
    expect(layout.xLabels.at(-1)!.label).toBe('Dec 2024');
    // Labels never overlap: each one's extent (from its anchor and estimated width) ends before the next begins.
    const extents = layout.xLabels.map(extent);
    for (let i = 1; i < extents.length; i++) expect(extents[i]![0]).toBeGreaterThan(extents[i - 1]![1] + 2);
  });

  it('keeps every month label, the last one included, inside the chart for 3, 12, 24 and 36 months and narrow widths', () => {
    for (const n of [1, 3, 12, 13, 24, 36]) {
      for (const width of [260, 320, 480]) {
        const l = trendChartLayout(months(1, n).map((m) => ({ month: m, count: 5 })), { width });
        for (const lab of l.xLabels) {
          const [left, right] = extent(lab);
          expect(left, `${n} months, width ${width}: ${lab.label}`).toBeGreaterThanOrEqual(0);
          expect(right, `${n} months, width ${width}: ${lab.label}`).toBeLessThanOrEqual(width);
        }
        expect(l.xLabels.at(-1)!.label).toBe(monthLabelOf(months(1, n).at(-1)!));
      }
    }
  });

  it('anchors the last label at its end only where a centred label would be cut', () => {
    // 12 months on 320 units: the last bar's centre is about 11 units from the edge, half "Dec 2023" is about 25.
    const twelve = trendChartLayout(months(1, 12).map((m) => ({ month: m, count: 1 })));
    expect(twelve.xLabels.at(-1)).toMatchObject({ anchor: 'end', x: 319 });
    expect(twelve.xLabels[0]!.anchor).toBe('middle');
    // 3 months: wide bars, the last label fits centred under its bar.
    const three = trendChartLayout(months(1, 3).map((m) => ({ month: m, count: 1 })));
    expect(three.xLabels.at(-1)!.anchor).toBe('middle');
    expect(placeLabel(100, 'Jan 2024', 320)).toEqual({ x: 100, anchor: 'middle' });
    expect(placeLabel(5, 'Jan 2024', 320)).toEqual({ x: 1, anchor: 'start' });
  });

  it('puts y ticks from the bottom (0) to the top (max) with en-GB labels', () => {
    expect(layout.yTicks[0]).toEqual({ value: 0, y: layout.plot.bottom, label: '0' });
    expect(layout.yTicks.at(-1)).toEqual({ value: 100, y: layout.plot.top, label: '100' });
    const big = trendChartLayout([{ month: '2024-01', count: 1234 }]);
    expect(big.yTicks.map((t) => t.label)).toContain('1,500');
  });

  it('treats every month as in period when no period is given, and handles an empty trend', () => {
    expect(trendChartLayout(trend).bars.every((b) => b.inPeriod)).toBe(true);
    const empty = trendChartLayout([]);
    expect(empty.bars).toEqual([]);
    expect(empty.xLabels).toEqual([]);
  });
});

describe('trend summary (the chart’s text alternative)', () => {
  it('names the range, the highest, the lowest and the latest month', () => {
    expect(trendSummary([{ month: '2024-10', count: 12 }, { month: '2024-11', count: 30 }, { month: '2024-12', count: 7 }])).toBe(
      'Oct 2024 to Dec 2024: highest 30 in Nov 2024, lowest 7 in Dec 2024, latest 7 in Dec 2024.',
    );
    expect(trendSummary([])).toBe('No months of data.');
  });
});
