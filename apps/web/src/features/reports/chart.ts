import { formatInteger, monthLabel } from '../../shared/format';

/*
 * The monthly trend chart as numbers: scales, bars, ticks and labels, computed here so the SVG component only draws
 * them and tests can check every position.
 */

export interface NiceScale {
  /** Top of the axis: a round number at or above the data maximum. */
  max: number;
  step: number;
  ticks: number[];
}

/** A "nice" linear scale from 0: steps of 1, 2, 2.5 or 5 × 10ⁿ, about `targetTicks` intervals, integers only. */
export function niceScale(dataMax: number, targetTicks = 4): NiceScale {
  const max0 = Number.isFinite(dataMax) && dataMax > 0 ? dataMax : 0;
  if (max0 === 0) return { max: 1, step: 1, ticks: [0, 1] };
  const raw = max0 / Math.max(1, targetTicks);
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = mag;
  for (const m of [1, 2, 2.5, 5, 10]) {
    step = m * mag;
    if (step >= raw) break;
  }
  step = Math.max(1, Math.round(step)); // counts are whole numbers: never a 0.5 tick
  const max = Math.ceil(max0 / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(v);
  return { max, step, ticks };
}

/**
 * Which of n month labels to print so they never crowd: at most maxLabels, evenly spaced, always the last month
 * (the most recent is what readers look for first).
 */
export function labelIndices(n: number, maxLabels: number): number[] {
  if (n <= 0) return [];
  if (n <= maxLabels) return Array.from({ length: n }, (_, i) => i);
  const every = Math.ceil((n - 1) / Math.max(1, maxLabels - 1));
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i -= every) out.unshift(i);
  return out;
}

export interface ChartBar {
  month: string;
  label: string;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Inside the period the panel's figures are for. */
  inPeriod: boolean;
}

export interface TrendChartLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  scale: NiceScale;
  bars: ChartBar[];
  yTicks: { value: number; y: number; label: string }[];
  /** Month labels: x is where the text is anchored (its middle, or its end for a last label that would overrun the right edge). */
  xLabels: { x: number; label: string; anchor: 'start' | 'middle' | 'end' }[];
}

/** The month labels' font size in the chart's own units (styles.css `.trend__svg text`). */
export const LABEL_FONT_PX = 10;
/** A generous average glyph width for digits and short month names, as a share of the font size. */
const GLYPH_EM = 0.62;

/** An upper estimate of a label's width in chart units (a little wider than it draws, so a label kept inside fits). */
export function labelWidth(label: string, fontPx = LABEL_FONT_PX): number {
  return label.length * fontPx * GLYPH_EM;
}

/**
 * Where to anchor a label centred on x so that it stays inside [0, width]: centred when it fits, else its start at the
 * left edge or its end at the right edge (the last month's label at the right of a 12- or 24-month chart).
 */
export function placeLabel(x: number, label: string, width: number): { x: number; anchor: 'start' | 'middle' | 'end' } {
  const half = labelWidth(label) / 2;
  const pad = 1;
  if (x + half > width - pad) return { x: round2(width - pad), anchor: 'end' };
  if (x - half < pad) return { x: pad, anchor: 'start' };
  return { x: round2(x), anchor: 'middle' };
}

export interface TrendChartOptions {
  width?: number;
  height?: number;
  margin?: { top: number; right: number; bottom: number; left: number };
  period?: { from: string; to: string } | null;
  maxLabels?: number;
}

/** Bars for every month of the trend, y from 0 to a nice maximum, month labels that never overlap nor overrun the edges. */
export function trendChartLayout(trend: readonly { month: string; count: number }[], opts: TrendChartOptions = {}): TrendChartLayout {
  const width = opts.width ?? 320;
  const height = opts.height ?? 170;
  const m = opts.margin ?? { top: 10, right: 8, bottom: 34, left: 40 };
  const plot = { left: m.left, top: m.top, right: width - m.right, bottom: height - m.bottom };
  const plotW = plot.right - plot.left;
  const plotH = plot.bottom - plot.top;
  const scale = niceScale(Math.max(0, ...trend.map((t) => t.count)));
  const n = trend.length;
  const slot = n > 0 ? plotW / n : plotW;
  const gap = Math.min(2, slot * 0.2);
  const y = (v: number) => plot.bottom - (v / scale.max) * plotH;
  const bars = trend.map((t, i) => {
    const top = y(t.count);
    return {
      month: t.month,
      label: monthLabel(t.month),
      count: t.count,
      x: round2(plot.left + i * slot + gap / 2),
      y: round2(top),
      width: round2(Math.max(0.5, slot - gap)),
      height: round2(plot.bottom - top),
      inPeriod: opts.period ? t.month >= opts.period.from && t.month <= opts.period.to : true,
    };
  });
  const yTicks = scale.ticks.map((v) => ({ value: v, y: round2(y(v)), label: formatInteger(v) }));
  const maxLabels = opts.maxLabels ?? Math.max(2, Math.floor(plotW / 58));
  const xLabels = labelIndices(n, maxLabels).map((i) => {
    const label = monthLabel(trend[i]!.month);
    return { label, ...placeLabel(plot.left + (i + 0.5) * slot, label, width) };
  });
  return { width, height, plot, scale, bars, yTicks, xLabels };
}

/** A one-sentence summary of the trend for screen readers: range, peak and latest month. */
export function trendSummary(trend: readonly { month: string; count: number }[]): string {
  if (trend.length === 0) return 'No months of data.';
  let peak = trend[0]!;
  let low = trend[0]!;
  for (const t of trend) {
    if (t.count > peak.count) peak = t;
    if (t.count < low.count) low = t;
  }
  const last = trend[trend.length - 1]!;
  return (
    `${monthLabel(trend[0]!.month)} to ${monthLabel(last.month)}: highest ${formatInteger(peak.count)} in ${monthLabel(peak.month)}, ` +
    `lowest ${formatInteger(low.count)} in ${monthLabel(low.month)}, latest ${formatInteger(last.count)} in ${monthLabel(last.month)}.`
  );
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
