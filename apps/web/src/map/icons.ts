import type { CameraType } from '@safer-places/schemas';
import { CAMERA_TYPES } from '@safer-places/schemas';
import type { IconImage } from './types';
import type { IconShape } from './palette';
import { CAMERA_SYMBOLS, HELP_POINT_COLOUR, HOTSPOT_SLOT_SYMBOLS, OUTLINE_DARK, PSPO_COLOUR, hexToRgb } from './palette';

/*
 * Map symbols drawn as pixels at runtime, so the offline style needs no sprite sheet and no glyph server. Everything
 * here is pure: spec in, RGBA bytes out. The same bytes paint the legend swatches, so legend and map always agree.
 */

export type Rgba = [number, number, number, number];

export interface IconSpec {
  shape: IconShape;
  /** Size in CSS pixels (the icon is square). */
  size: number;
  pixelRatio?: number;
  fill: string;
  stroke: string;
  /** Stroke width in CSS pixels, drawn inside the shape's edge. */
  strokeWidth: number;
  /** Optional plus sign (help points) or digits (ranks of top hot spots) in the middle. */
  glyph?: { kind: 'plus'; colour: string } | { kind: 'digits'; text: string; colour: string; /** Digit height in half-size units; default 0.85. */ height?: number };
  /** Opacity of the whole icon, 0–1. */
  opacity?: number;
}

const SUPERSAMPLE = 4;
const TRIANGLE_HEIGHT = 1.7;
const TRIANGLE: readonly (readonly [number, number])[] = [
  [0, -0.95],
  [TRIANGLE_HEIGHT / Math.sqrt(3), 0.75],
  [-TRIANGLE_HEIGHT / Math.sqrt(3), 0.75],
];

/** Inside a convex polygon by at least `inset` from every edge. */
function insideConvex(poly: readonly (readonly [number, number])[], x: number, y: number, inset: number): boolean {
  const cx = poly.reduce((s, p) => s + p[0], 0) / poly.length;
  const cy = poly.reduce((s, p) => s + p[1], 0) / poly.length;
  for (let i = 0; i < poly.length; i++) {
    const [ax, ay] = poly[i]!;
    const [bx, by] = poly[(i + 1) % poly.length]!;
    const len = Math.hypot(bx - ax, by - ay);
    const d = ((bx - ax) * (y - ay) - (by - ay) * (x - ax)) / len;
    const dc = ((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / len;
    if (Math.sign(dc) * d < inset) return false;
  }
  return true;
}

/**
 * Whether (x, y) lies inside the shape shrunk by `inset`. Coordinates are centred on the icon, in units of the
 * icon's half-size (so the icon spans -1..1 on both axes).
 */
export function insideShape(shape: IconShape, x: number, y: number, inset: number): boolean {
  switch (shape) {
    case 'circle': {
      const r = 0.92 - inset;
      return r > 0 && x * x + y * y <= r * r;
    }
    case 'square': {
      const h = 0.8 - inset;
      return h > 0 && Math.abs(x) <= h && Math.abs(y) <= h;
    }
    case 'diamond': {
      const h = 0.98 - inset * Math.SQRT2;
      return h > 0 && Math.abs(x) + Math.abs(y) <= h;
    }
    case 'triangle':
      // Upward-pointing equilateral triangle (image rows grow downwards).
      return insideConvex(TRIANGLE, x, y, inset);
  }
}

function insideGlyph(glyph: NonNullable<IconSpec['glyph']>, x: number, y: number): boolean {
  return glyph.kind === 'plus' ? insidePlus(x, y) : insideDigits(glyph.text, x, y, glyph.height);
}

function insidePlus(x: number, y: number): boolean {
  const arm = 0.5;
  const half = 0.13;
  return (Math.abs(x) <= half && Math.abs(y) <= arm) || (Math.abs(y) <= half && Math.abs(x) <= arm);
}

/** A 5 × 7 pixel font for ranks: the map's offline style has no glyph server, so numbers are drawn as pixels. */
const DIGITS: Record<string, readonly string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
};
/** Whether (x, y) falls on a lit pixel of `text`, `height` tall in half-size units, centred in the icon. */
export function insideDigits(text: string, x: number, y: number, height = 0.85): boolean {
  const cell = height / 7;
  const width = (text.length * 6 - 1) * cell;
  const col = Math.floor((x + width / 2) / cell);
  const row = Math.floor((y + height / 2) / cell);
  if (row < 0 || row >= 7 || col < 0 || col >= text.length * 6 - 1) return false;
  const glyph = DIGITS[text[Math.floor(col / 6)]!];
  return !!glyph && col % 6 < 5 && glyph[row]![col % 6] === '1';
}

export function parseColour(hex: string, alpha = 1): Rgba {
  const [r, g, b] = hexToRgb(hex);
  return [r, g, b, alpha];
}

/** Rasterises one icon with 4×4 supersampling for smooth edges. Output is straight RGBA, row-major, top row first. */
export function rasterizeIcon(spec: IconSpec): IconImage {
  const pixelRatio = spec.pixelRatio ?? 1;
  const px = Math.max(1, Math.round(spec.size * pixelRatio));
  const data = new Uint8Array(px * px * 4);
  const fill = parseColour(spec.fill);
  const stroke = parseColour(spec.stroke);
  const glyph = spec.glyph ? parseColour(spec.glyph.colour) : null;
  const inset = (2 * spec.strokeWidth) / spec.size; // stroke width in half-size units
  const opacity = spec.opacity ?? 1;
  const samples = SUPERSAMPLE * SUPERSAMPLE;

  for (let row = 0; row < px; row++) {
    for (let col = 0; col < px; col++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = ((col + (sx + 0.5) / SUPERSAMPLE) / px) * 2 - 1;
          const y = ((row + (sy + 0.5) / SUPERSAMPLE) / px) * 2 - 1;
          if (!insideShape(spec.shape, x, y, 0)) continue;
          let c: Rgba = stroke;
          if (insideShape(spec.shape, x, y, inset)) c = glyph && insideGlyph(spec.glyph!, x, y) ? glyph : fill;
          const ca = c[3];
          r += c[0] * ca; g += c[1] * ca; b += c[2] * ca; a += ca;
        }
      }
      const i = (row * px + col) * 4;
      if (a > 0) {
        data[i] = Math.round(r / a);
        data[i + 1] = Math.round(g / a);
        data[i + 2] = Math.round(b / a);
        data[i + 3] = Math.round((a / samples) * opacity * 255);
      }
    }
  }
  return { width: px, height: px, data, pixelRatio };
}

/**
 * A square, seamlessly tiling diagonal hatch (lines running bottom-left to top-right) for fill-pattern.
 * Pixels on a line get `colour` at `alpha`; the rest are fully transparent.
 */
export function rasterizeHatch(opts: { size: number; spacing: number; lineWidth: number; colour: string; alpha: number; pixelRatio?: number }): IconImage {
  const pixelRatio = opts.pixelRatio ?? 1;
  const size = Math.round(opts.size * pixelRatio);
  const spacing = Math.round(opts.spacing * pixelRatio);
  const lineWidth = Math.max(1, Math.round(opts.lineWidth * pixelRatio));
  if (size % spacing !== 0) throw new RangeError('the hatch size must be a multiple of its spacing so it tiles');
  const [r, g, b] = hexToRgb(opts.colour);
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + y) % spacing < lineWidth) {
        const i = (y * size + x) * 4;
        data[i] = r;
        data[i + 1] = g;
        data[i + 2] = b;
        data[i + 3] = Math.round(opts.alpha * 255);
      }
    }
  }
  return { width: size, height: size, data, pixelRatio };
}

export const ICON_SIZE = { camera: 18, helpPoint: 22, hotspotRank: 24 } as const;

/** Ranks the map draws as numbered symbols; lower ranks beyond this show as plain markers. */
export const MAX_RANK_ICON = 20;

export function hotspotRankIconId(slot: number, rank: number): string {
  return `sp-hotspot-${slot}-${rank}`;
}

/** A numbered marker for the top hot spots of the crime type in `slot`: that slot's colour and shape. */
export function hotspotRankIconSpec(slot: number, rank: number, pixelRatio = 1): IconSpec {
  const s = HOTSPOT_SLOT_SYMBOLS[slot]!;
  // A diamond's middle is narrow: draw it larger with relatively smaller digits, so every shape's digits look alike.
  const diamond = s.shape === 'diamond';
  const size = diamond ? 32 : ICON_SIZE.hotspotRank;
  return { shape: s.shape, size, pixelRatio, fill: s.colour, stroke: '#ffffff', strokeWidth: 1.5, glyph: { kind: 'digits', text: String(rank), colour: s.text, height: diamond ? 0.62 : 0.85 } };
}

export function cameraIconId(type: CameraType): string {
  return `sp-camera-${type}`;
}
export const HELP_POINT_ICON = { live: 'sp-help-live', planned: 'sp-help-planned' } as const;
export const PSPO_HATCH_ID = 'sp-pspo-hatch';

export function cameraIconSpec(type: CameraType, pixelRatio = 1): IconSpec {
  const s = CAMERA_SYMBOLS[type];
  return { shape: s.shape, size: ICON_SIZE.camera, pixelRatio, fill: s.colour, stroke: OUTLINE_DARK, strokeWidth: 1.5 };
}

/** Live help points are solid green with a white plus; planned ones are hollow (white) with a green plus and ring. */
export function helpPointIconSpec(status: 'live' | 'planned', pixelRatio = 1): IconSpec {
  return status === 'live'
    ? { shape: 'circle', size: ICON_SIZE.helpPoint, pixelRatio, fill: HELP_POINT_COLOUR, stroke: OUTLINE_DARK, strokeWidth: 1.5, glyph: { kind: 'plus', colour: '#ffffff' } }
    : { shape: 'circle', size: ICON_SIZE.helpPoint, pixelRatio, fill: '#ffffff', stroke: HELP_POINT_COLOUR, strokeWidth: 3, glyph: { kind: 'plus', colour: HELP_POINT_COLOUR } };
}

export function pspoHatch(pixelRatio = 1): IconImage {
  return rasterizeHatch({ size: 12, spacing: 6, lineWidth: 2, colour: PSPO_COLOUR, alpha: 0.55, pixelRatio });
}

/** Every runtime image the layers reference, by id. */
export function allMapImages(pixelRatio = 1): Map<string, IconImage> {
  const images = new Map<string, IconImage>();
  for (const t of CAMERA_TYPES) images.set(cameraIconId(t), rasterizeIcon(cameraIconSpec(t, pixelRatio)));
  images.set(HELP_POINT_ICON.live, rasterizeIcon(helpPointIconSpec('live', pixelRatio)));
  images.set(HELP_POINT_ICON.planned, rasterizeIcon(helpPointIconSpec('planned', pixelRatio)));
  images.set(PSPO_HATCH_ID, pspoHatch(pixelRatio));
  for (let slot = 0; slot < HOTSPOT_SLOT_SYMBOLS.length; slot++) {
    for (let rank = 1; rank <= MAX_RANK_ICON; rank++) images.set(hotspotRankIconId(slot, rank), rasterizeIcon(hotspotRankIconSpec(slot, rank, pixelRatio)));
  }
  return images;
}
