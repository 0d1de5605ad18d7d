import type { LegendModel, LegendSwatch } from '../map/legendModel';

/*
 * Where everything goes on an exported map, as pure geometry: text wrapping, the legend's rows and swatches, and the
 * page (a PNG sized to the captured map, or an A4 landscape print page with the map fitted in). Sizes are in the
 * picture's pixels; `unit` is how many of them make one CSS pixel (2 for a PNG at twice screen resolution, about 2.1
 * for a page printed at 200 dpi), so type and swatches keep their on-screen proportions at any resolution.
 */

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Text width in pixels at a font size (pixels) and weight: the canvas's measureText in the browser, an estimate in tests. */
export type Measure = (text: string, sizePx: number, bold: boolean) => number;

/** Greedy word wrap to `maxWidth`; a single word longer than the line stays whole on its own line. */
export function wrapText(text: string, maxWidth: number, sizePx: number, bold: boolean, measure: Measure): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (line && measure(next, sizePx, bold) > maxWidth) {
      lines.push(line);
      line = w;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** Type sizes and spacing in CSS pixels (multiplied by the unit). */
export const TYPE = {
  title: 22,
  subtitle: 13,
  sectionTitle: 12.5,
  label: 12,
  note: 11,
  footer: 10.5,
  lineHeight: 1.3,
  margin: 16,
  gap: 12,
  legendWidth: 250,
  legendPadding: 10,
  swatchW: 26,
  swatchH: 16,
  iconBox: 22,
  rowGap: 4,
} as const;

export type LegendOp =
  | { op: 'text'; text: string; x: number; y: number; size: number; bold: boolean; muted?: boolean; warn?: boolean; align?: 'left' | 'right' }
  | { op: 'swatch'; swatch: LegendSwatch; x: number; y: number; w: number; h: number };

export interface LegendLayout {
  width: number;
  height: number;
  /** Positions relative to the legend box's top left; text `y` is the top of its line. */
  ops: LegendOp[];
}

/**
 * The legend laid out in a box `TYPE.legendWidth` CSS pixels wide: a "Legend" heading, then each section's title,
 * scope line, column captions, rows (swatch, label, count at the right; icon rows two to a line where the screen
 * legend has them side by side) and notes.
 */
export function layoutLegend(model: LegendModel, unit: number, measure: Measure): LegendLayout {
  const u = unit;
  const width = TYPE.legendWidth * u;
  const pad = TYPE.legendPadding * u;
  const inner = width - 2 * pad;
  const ops: LegendOp[] = [];
  let y = pad;
  const line = (size: number) => size * u * TYPE.lineHeight;
  const paragraph = (text: string, size: number, bold: boolean, extra: Partial<Extract<LegendOp, { op: 'text' }>> = {}, w = inner, x = pad) => {
    for (const l of wrapText(text, w, size * u, bold, measure)) {
      ops.push({ op: 'text', text: l, x, y, size: size * u, bold, ...extra });
      y += line(size);
    }
  };

  paragraph('Legend', TYPE.sectionTitle + 1.5, true);
  y += 2 * u;
  if (model.empty) paragraph(model.empty, TYPE.label, false, { muted: true });
  for (const s of model.sections) {
    y += 4 * u;
    paragraph(s.title, TYPE.sectionTitle, true);
    for (const b of s.before) paragraph(b, TYPE.note, false, { muted: true });
    if (s.caption) {
      const capW = measure(s.caption[1], TYPE.note * u, false);
      const top = y;
      paragraph(s.caption[0], TYPE.note, false, { muted: true }, inner - capW - 8 * u);
      ops.push({ op: 'text', text: s.caption[1], x: width - pad, y: top, size: TYPE.note * u, bold: false, muted: true, align: 'right' });
      y = Math.max(y, top + line(TYPE.note));
    }
    y += 2 * u;
    let column = 0;
    // Two icon rows to a line, as on screen, when every such label fits half the width on one line.
    const halfLabelW = inner / 2 - TYPE.swatchW * u - 6 * u - 4 * u;
    const grid = !!s.grid && s.rows.every((r) => r.swatch.kind !== 'icon' || measure(r.label, TYPE.label * u, false) <= halfLabelW);
    for (const r of s.rows) {
      const half = grid && r.swatch.kind === 'icon';
      const colW = half ? inner / 2 : inner;
      const x0 = pad + (half ? column * colW : 0);
      if (!half && column === 1) {
        column = 0;
        y += TYPE.iconBox * u + TYPE.rowGap * u;
      }
      const countW = r.count ? measure(r.count.text, TYPE.label * u, false) + 6 * u : 0;
      const labelX = x0 + TYPE.swatchW * u + 6 * u;
      const lines = wrapText(r.label, x0 + colW - labelX - countW, TYPE.label * u, false, measure);
      const rowH = Math.max(r.swatch.kind === 'icon' ? TYPE.iconBox * u : TYPE.swatchH * u + 4 * u, lines.length * line(TYPE.label));
      const swH = r.swatch.kind === 'icon' ? TYPE.iconBox * u : TYPE.swatchH * u;
      ops.push({ op: 'swatch', swatch: r.swatch, x: x0, y: y + (rowH - swH) / 2, w: TYPE.swatchW * u, h: swH });
      const textTop = y + (rowH - lines.length * line(TYPE.label)) / 2;
      lines.forEach((l, i) => ops.push({ op: 'text', text: l, x: labelX, y: textTop + i * line(TYPE.label), size: TYPE.label * u, bold: false }));
      if (r.count) ops.push({ op: 'text', text: r.count.text, x: x0 + colW, y: textTop, size: TYPE.label * u, bold: false, align: 'right' });
      if (half && column === 0) column = 1;
      else {
        column = 0;
        y += rowH + TYPE.rowGap * u;
      }
    }
    if (column === 1) y += TYPE.iconBox * u + TYPE.rowGap * u;
    for (const n of s.notes) paragraph(n.text, TYPE.note, false, n.warn ? { warn: true } : { muted: true });
  }
  if (model.warning) {
    y += 4 * u;
    paragraph(model.warning, TYPE.note, false, { warn: true });
  }
  return { width, height: y + pad, ops };
}

/** The largest rectangle of the image's shape that fits in `region`, centred in it. */
export function fitContain(imageW: number, imageH: number, region: Rect): Rect & { scale: number } {
  if (!(imageW > 0 && imageH > 0)) throw new RangeError('the image has no size');
  const scale = Math.min(region.w / imageW, region.h / imageH);
  const w = imageW * scale;
  const h = imageH * scale;
  return { x: region.x + (region.w - w) / 2, y: region.y + (region.h - h) / 2, w, h, scale };
}

export interface PageLayout {
  width: number;
  height: number;
  header: Rect;
  /** Where the map picture is drawn, and its scale from the captured pixels. */
  map: Rect & { scale: number };
  legend: Rect & { scale: number };
  footer: Rect;
}

/** The PNG's width for a captured map `mapW` pixels wide: margins, the map, a gap and the legend column. */
export function pngPageWidth(mapW: number, unit: number): number {
  return Math.round(2 * TYPE.margin * unit + mapW + TYPE.gap * unit + TYPE.legendWidth * unit);
}

/**
 * A PNG page around the captured map at its own size: the title block on top, the map on the left with the legend
 * beside it (the page grows if the legend is taller than the map), the attribution below.
 */
export function pngPage(p: { mapW: number; mapH: number; unit: number; headerH: number; legendH: number; footerH: number }): PageLayout {
  const m = TYPE.margin * p.unit;
  const gap = TYPE.gap * p.unit;
  const width = pngPageWidth(p.mapW, p.unit);
  const top = m + p.headerH + gap;
  const body = Math.max(p.mapH, p.legendH);
  const height = Math.round(top + body + gap + p.footerH + m);
  return {
    width,
    height,
    header: { x: m, y: m, w: width - 2 * m, h: p.headerH },
    map: { x: m, y: top, w: p.mapW, h: p.mapH, scale: 1 },
    legend: { x: m + p.mapW + gap, y: top, w: TYPE.legendWidth * p.unit, h: p.legendH, scale: 1 },
    footer: { x: m, y: top + body + gap, w: width - 2 * m, h: p.footerH },
  };
}

/** A4 landscape, in millimetres. */
export const A4_LANDSCAPE_MM = { width: 297, height: 210 } as const;

/** An A4 landscape page's size in pixels at `dpi`, and the unit that keeps type at its on-screen size in print (1 CSS px = 1/96 in). */
export function a4LandscapePixels(dpi: number): { width: number; height: number; unit: number } {
  if (!(dpi > 0)) throw new RangeError(`dpi must be positive: ${dpi}`);
  return { width: Math.round((A4_LANDSCAPE_MM.width / 25.4) * dpi), height: Math.round((A4_LANDSCAPE_MM.height / 25.4) * dpi), unit: dpi / 96 };
}

/**
 * A fixed-size print page: the title block on top, the attribution at the foot, the legend column on the right (shrunk
 * to fit when taller than the room) and the map fitted into what is left, keeping its shape, at its top left.
 */
export function printPage(p: { width: number; height: number; unit: number; headerH: number; footerH: number; legendH: number; imageW: number; imageH: number }): PageLayout {
  const m = TYPE.margin * p.unit;
  const gap = TYPE.gap * p.unit;
  const legendW = TYPE.legendWidth * p.unit;
  const top = m + p.headerH + gap;
  const bodyH = p.height - top - gap - p.footerH - m;
  if (bodyH <= 0) throw new RangeError('the title and attribution leave no room for the map');
  const legendScale = Math.min(1, bodyH / p.legendH);
  const region: Rect = { x: m, y: top, w: p.width - 2 * m - gap - legendW, h: bodyH };
  return {
    width: p.width,
    height: p.height,
    header: { x: m, y: m, w: p.width - 2 * m, h: p.headerH },
    // Top left of the room, so the map sits under the title rather than floating in the middle of the page.
    map: { ...fitContain(p.imageW, p.imageH, region), x: region.x, y: region.y },
    legend: { x: p.width - m - legendW * legendScale, y: top, w: legendW * legendScale, h: p.legendH * legendScale, scale: legendScale },
    footer: { x: m, y: p.height - m - p.footerH, w: p.width - 2 * m, h: p.footerH },
  };
}
