import type { IconImage } from '../../map/types';
import { HELP_POINT_ICON, helpPointIconSpec, pspoHatch, rasterizeIcon } from '../../map/icons';
import { planningIconSpec } from '../planner/layers';
import type { LegendModel, LegendSwatch } from '../map/legendModel';
import type { CapturedMap } from './capture';
import { a4LandscapePixels, layoutLegend, pngPage, pngPageWidth, printPage, TYPE, wrapText, type LegendLayout, type Measure, type PageLayout, type Rect } from './layout';
import { scaleBar } from './scaleBar';

/*
 * Paints an exported map on a 2D canvas from the layout: title block, the captured map with a scale bar and north
 * arrow, the legend with the very swatches and icons the map uses, and the attribution.
 */

export interface ExportContent {
  title: string;
  subtitle: string;
  /** Shown prominently under the title when the dataset is generated. */
  syntheticLabel: string | null;
  legend: LegendModel;
  attribution: string;
}

const INK = '#1a1a1a';
const MUTED = '#4a5560';
const WARN = '#7a2e00';
const RULE = '#c5ccd3';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

const font = (size: number, bold: boolean) => `${bold ? '700' : '400'} ${size}px ${FONT}`;

function measureWith(ctx: CanvasRenderingContext2D): Measure {
  return (text, size, bold) => {
    ctx.font = font(size, bold);
    return ctx.measureText(text).width;
  };
}

/** The runtime image behind a legend icon id, at the pixel ratio of the picture. */
export function legendIconImage(id: string, ratio: number): IconImage | null {
  const r = Math.max(1, Math.round(ratio));
  if (id === HELP_POINT_ICON.live) return rasterizeIcon(helpPointIconSpec('live', r));
  if (id === HELP_POINT_ICON.planned) return rasterizeIcon(helpPointIconSpec('planned', r));
  const spec = planningIconSpec(id, r);
  return spec ? rasterizeIcon(spec) : null;
}

function imageCanvas(img: IconImage): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = img.width;
  c.height = img.height;
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
  return c;
}

function strokeDashed(ctx: CanvasRenderingContext2D, width: number, dashed: boolean, u: number) {
  ctx.lineWidth = width;
  ctx.setLineDash(dashed ? [3 * u, 2 * u] : []);
}

function drawSwatch(ctx: CanvasRenderingContext2D, s: LegendSwatch, r: Rect, u: number) {
  ctx.save();
  if (s.kind === 'fill') {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(r.x, r.y, r.w, r.h);
    ctx.globalAlpha = s.opacity;
    ctx.fillStyle = s.colour;
    ctx.fillRect(r.x, r.y, r.w, r.h);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = 'rgba(0,0,0,0.35)';
    ctx.lineWidth = u;
    ctx.strokeRect(r.x + u / 2, r.y + u / 2, r.w - u, r.h - u);
  } else if (s.kind === 'area') {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(r.x, r.y, r.w, r.h);
    if (s.fill) {
      ctx.globalAlpha = s.fillOpacity ?? 1;
      ctx.fillStyle = s.fill;
      ctx.fillRect(r.x, r.y, r.w, r.h);
      ctx.globalAlpha = 1;
    }
    if (s.hatch) {
      const pattern = ctx.createPattern(imageCanvas(pspoHatch(Math.max(1, Math.round(u)))), 'repeat');
      if (pattern) {
        ctx.fillStyle = pattern;
        ctx.fillRect(r.x, r.y, r.w, r.h);
      }
    }
    const lw = s.lineWidth * u;
    if (s.cased) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = lw + 4 * u;
      ctx.strokeRect(r.x + lw + 2 * u, r.y + lw + 2 * u, r.w - 2 * lw - 4 * u, r.h - 2 * lw - 4 * u);
    }
    ctx.strokeStyle = s.line;
    strokeDashed(ctx, lw, !!s.dashed, u);
    ctx.strokeRect(r.x + lw / 2, r.y + lw / 2, r.w - lw, r.h - lw);
  } else if (s.kind === 'line') {
    const cy = r.y + r.h / 2;
    if (s.dashed) {
      ctx.beginPath();
      ctx.arc(r.x + r.w / 2, cy, Math.min(r.w, r.h) / 2 - u, 0, 2 * Math.PI);
      ctx.globalAlpha = 0.12;
      ctx.fillStyle = s.colour;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = s.colour;
      strokeDashed(ctx, 1.8 * u, true, u);
      ctx.stroke();
    } else {
      ctx.lineCap = 'round';
      for (const [colour, w] of [['#ffffff', 6], [s.colour, 3]] as const) {
        ctx.beginPath();
        ctx.moveTo(r.x + 2 * u, cy);
        ctx.lineTo(r.x + r.w - 2 * u, cy);
        ctx.strokeStyle = colour;
        ctx.lineWidth = w * u;
        ctx.stroke();
      }
    }
  } else if (s.kind === 'dashed-edge') {
    ctx.strokeStyle = '#000000';
    strokeDashed(ctx, 2 * u, true, u);
    ctx.strokeRect(r.x + 2 * u, r.y + u, r.w - 4 * u, r.h - 2 * u);
  } else {
    const img = legendIconImage(s.icon, u);
    if (img) {
      // The icon at its own size, shrunk only if it would not fit the row.
      const natW = (img.width / img.pixelRatio) * u;
      const natH = (img.height / img.pixelRatio) * u;
      const fit = Math.min(1, r.w / natW, r.h / natH);
      const w = natW * fit;
      const h = natH * fit;
      ctx.drawImage(imageCanvas(img), r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h);
    }
  }
  ctx.restore();
}

function drawLegend(ctx: CanvasRenderingContext2D, legend: LegendLayout, box: Rect & { scale: number }, u: number) {
  ctx.save();
  ctx.translate(box.x, box.y);
  ctx.scale(box.scale, box.scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, legend.width, legend.height);
  ctx.strokeStyle = RULE;
  ctx.lineWidth = u;
  ctx.strokeRect(u / 2, u / 2, legend.width - u, legend.height - u);
  ctx.textBaseline = 'top';
  for (const op of legend.ops) {
    if (op.op === 'swatch') drawSwatch(ctx, op.swatch, op, u);
    else {
      ctx.font = font(op.size, op.bold);
      ctx.fillStyle = op.warn ? WARN : op.muted ? MUTED : INK;
      ctx.textAlign = op.align ?? 'left';
      ctx.fillText(op.text, op.x, op.y);
    }
  }
  ctx.restore();
}

/** Scale bar (bottom left) and north arrow (top right) over the map picture. */
function drawMapFurniture(ctx: CanvasRenderingContext2D, map: Rect & { scale: number }, captured: CapturedMap, u: number) {
  const metresPerPagePx = captured.metresPerCssPx / (captured.pixelRatio * map.scale);
  const bar = scaleBar(metresPerPagePx, Math.min(140 * u, map.w / 3));
  const x = map.x + 10 * u;
  const y = map.y + map.h - 12 * u;
  ctx.save();
  ctx.font = font(TYPE.label * u, true);
  const labelW = ctx.measureText(bar.label).width;
  ctx.fillStyle = 'rgba(255,255,255,0.88)';
  ctx.fillRect(x - 6 * u, y - 16 * u, bar.px + labelW + 20 * u, 24 * u);
  ctx.strokeStyle = INK;
  ctx.lineWidth = 3 * u;
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x + bar.px, y);
  ctx.stroke();
  ctx.lineWidth = 2 * u;
  for (const bx of [x, x + bar.px]) {
    ctx.beginPath();
    ctx.moveTo(bx, y - 6 * u);
    ctx.lineTo(bx, y + 4 * u);
    ctx.stroke();
  }
  ctx.fillStyle = INK;
  ctx.textBaseline = 'middle';
  ctx.fillText(bar.label, x + bar.px + 6 * u, y - 2 * u);

  // North arrow, turned against the map's bearing so it always points to true north.
  const cx = map.x + map.w - 24 * u;
  const cy = map.y + 30 * u;
  ctx.fillStyle = 'rgba(255,255,255,0.88)';
  ctx.beginPath();
  ctx.arc(cx, cy, 18 * u, 0, 2 * Math.PI);
  ctx.fill();
  ctx.translate(cx, cy);
  ctx.rotate((-captured.bearing * Math.PI) / 180);
  ctx.fillStyle = INK;
  ctx.beginPath();
  ctx.moveTo(0, -14 * u);
  ctx.lineTo(6 * u, 4 * u);
  ctx.lineTo(0, 0);
  ctx.lineTo(-6 * u, 4 * u);
  ctx.closePath();
  ctx.fill();
  ctx.font = font(11 * u, true);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('N', 0, 5 * u);
  ctx.restore();
}

interface TextBlock {
  lines: { text: string; size: number; bold: boolean; colour: string; band?: string }[];
  height: number;
}

function headerBlock(c: ExportContent, width: number, u: number, measure: Measure): TextBlock {
  const lines: TextBlock['lines'] = [];
  for (const t of wrapText(c.title, width, TYPE.title * u, true, measure)) lines.push({ text: t, size: TYPE.title * u, bold: true, colour: INK });
  for (const t of wrapText(c.subtitle, width, TYPE.subtitle * u, false, measure)) lines.push({ text: t, size: TYPE.subtitle * u, bold: false, colour: MUTED });
  if (c.syntheticLabel) lines.push({ text: c.syntheticLabel, size: TYPE.subtitle * u, bold: true, colour: INK, band: '#F0E442' });
  return { lines, height: lines.reduce((h, l) => h + l.size * TYPE.lineHeight + (l.band ? 4 * u : 0), 0) };
}

function footerBlock(c: ExportContent, width: number, u: number, measure: Measure): TextBlock {
  const lines = wrapText(c.attribution, width, TYPE.footer * u, false, measure).map((text) => ({ text, size: TYPE.footer * u, bold: false, colour: MUTED }));
  return { lines, height: lines.length * TYPE.footer * u * TYPE.lineHeight };
}

function drawBlock(ctx: CanvasRenderingContext2D, block: TextBlock, r: Rect, u: number) {
  ctx.save();
  ctx.textBaseline = 'top';
  let y = r.y;
  for (const l of block.lines) {
    ctx.font = font(l.size, l.bold);
    if (l.band) {
      y += 2 * u;
      ctx.fillStyle = l.band;
      ctx.fillRect(r.x, y - 2 * u, ctx.measureText(l.text).width + 12 * u, l.size * TYPE.lineHeight + 2 * u);
      ctx.fillStyle = l.colour;
      ctx.fillText(l.text, r.x + 6 * u, y);
      y += l.size * TYPE.lineHeight + 2 * u;
    } else {
      ctx.fillStyle = l.colour;
      ctx.fillText(l.text, r.x, y);
      y += l.size * TYPE.lineHeight;
    }
  }
  ctx.restore();
}

export type PageKind = { kind: 'png' } | { kind: 'print'; dpi: number };

/** A finished page and the layout it was painted with (the tests and the print view read the regions). */
export interface ComposedPage {
  canvas: HTMLCanvasElement;
  layout: PageLayout;
}

/** Paints the whole page: a PNG sized around the captured map, or an A4 landscape page at `dpi`. */
export function composePage(content: ExportContent, captured: CapturedMap, page: PageKind): ComposedPage {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw the picture (no 2D canvas).');
  const measure = measureWith(ctx);
  const u = page.kind === 'png' ? captured.pixelRatio : a4LandscapePixels(page.dpi).unit;
  const width = page.kind === 'png' ? pngPageWidth(captured.canvas.width, u) : a4LandscapePixels(page.dpi).width;
  const inner = width - 2 * TYPE.margin * u;
  const header = headerBlock(content, inner, u, measure);
  const footer = footerBlock(content, inner, u, measure);
  const legend = layoutLegend(content.legend, u, measure);
  const layout =
    page.kind === 'png'
      ? pngPage({ mapW: captured.canvas.width, mapH: captured.canvas.height, unit: u, headerH: header.height, legendH: legend.height, footerH: footer.height })
      : printPage({ ...a4LandscapePixels(page.dpi), headerH: header.height, footerH: footer.height, legendH: legend.height, imageW: captured.canvas.width, imageH: captured.canvas.height });
  canvas.width = layout.width;
  canvas.height = layout.height;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  drawBlock(ctx, header, layout.header, u);
  const m = layout.map;
  ctx.drawImage(captured.canvas, m.x, m.y, m.w, m.h);
  ctx.strokeStyle = '#6b7278';
  ctx.lineWidth = u;
  ctx.strokeRect(m.x - u / 2, m.y - u / 2, m.w + u, m.h + u);
  drawMapFurniture(ctx, m, captured, u);
  drawLegend(ctx, legend, layout.legend, u);
  drawBlock(ctx, footer, layout.footer, u);
  return { canvas, layout };
}

/** The picture of a route for the patrol sheet: the captured map with its scale bar, north arrow and a one-line attribution. */
export function composeRoutePicture(captured: CapturedMap, attribution: string): HTMLCanvasElement {
  const u = captured.pixelRatio;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  const measure = measureWith(ctx);
  const lines = wrapText(attribution, captured.canvas.width - 12 * u, TYPE.footer * u, false, measure);
  const footH = lines.length * TYPE.footer * u * TYPE.lineHeight + 8 * u;
  canvas.width = captured.canvas.width;
  canvas.height = captured.canvas.height + footH;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const map = { x: 0, y: 0, w: captured.canvas.width, h: captured.canvas.height, scale: 1 };
  ctx.drawImage(captured.canvas, 0, 0);
  drawMapFurniture(ctx, map, captured, u);
  drawBlock(ctx, { lines: lines.map((text) => ({ text, size: TYPE.footer * u, bold: false, colour: MUTED })), height: footH }, { x: 6 * u, y: captured.canvas.height + 4 * u, w: canvas.width, h: footH }, u);
  return canvas;
}

/** A canvas as a PNG Blob. */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('The picture could not be encoded as PNG.'))), 'image/png'));
}
