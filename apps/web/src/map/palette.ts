import type { CameraType } from '@safer-places/schemas';

/**
 * Colours. Every ramp here is colour-blind safe (ColorBrewer marks YlOrRd and RdYlBu as such) and every point
 * symbol pairs its Okabe–Ito colour with a shape, so nothing relies on colour alone.
 */

/** ColorBrewer YlOrRd, 5 classes: low → high. */
export const SEQUENTIAL_5 = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'] as const;

/** ColorBrewer RdYlBu, 10 classes: index 0 = IMD decile 1 (most deprived) in red → decile 10 in blue. */
export const IMD_DECILE_10 = [
  '#a50026', '#d73027', '#f46d43', '#fdae61', '#fee090',
  '#e0f3f8', '#abd9e9', '#74add1', '#4575b4', '#313695',
] as const;

export const NO_DATA_COLOUR = '#bdbdbd';

/** Okabe–Ito palette (Okabe & Ito 2008). */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

export type IconShape = 'circle' | 'square' | 'triangle' | 'diamond';

/** Camera symbol per type: colour AND shape, so type never depends on colour alone. */
export const CAMERA_SYMBOLS: Record<CameraType, { colour: string; shape: IconShape }> = {
  fixed: { colour: OKABE_ITO.blue, shape: 'circle' },
  ptz: { colour: OKABE_ITO.reddishPurple, shape: 'square' },
  redeployable: { colour: OKABE_ITO.orange, shape: 'triangle' },
  anpr: { colour: OKABE_ITO.skyBlue, shape: 'diamond' },
};

export const HELP_POINT_COLOUR = OKABE_ITO.bluishGreen;

/**
 * Top hot spots of up to three crime types: each type its own colour AND shape, digits in the contrasting colour.
 * Black, blue and reddish purple stay apart from the red/blue Gi* cells under them for every common colour-vision type.
 */
export const HOTSPOT_SLOT_SYMBOLS: readonly { colour: string; shape: IconShape; text: string }[] = [
  { colour: '#1a1a1a', shape: 'circle', text: '#ffffff' },
  { colour: OKABE_ITO.blue, shape: 'square', text: '#ffffff' },
  { colour: OKABE_ITO.reddishPurple, shape: 'diamond', text: '#000000' },
];

/** ColorBrewer RdBu, 6 classes, for Gi*: hot 99 / 95 / 90 %, then cold 90 / 95 / 99 %. */
export const GI_CLASS_COLOURS: Record<'3' | '2' | '1' | '-1' | '-2' | '-3', string> = {
  '3': '#b2182b',
  '2': '#ef8a62',
  '1': '#fddbc7',
  '-1': '#d1e5f0',
  '-2': '#67a9cf',
  '-3': '#2166ac',
};

/**
 * Bid layers. Eligible LSOAs orange, the chosen ones blue with a solid edge, the comparison area reddish purple with a
 * dashed edge, the displacement buffer grey and dotted, the dissolved target a black edge: Okabe–Ito hues that stay
 * apart for every common colour-vision type, and each with its own line style as well.
 */
export const BID_COLOURS = {
  eligible: OKABE_ITO.orange,
  selection: OKABE_ITO.blue,
  comparison: OKABE_ITO.reddishPurple,
  buffer: '#595959',
  target: '#000000',
} as const;

/** Viridis, 5 steps, low → high: a sequential ramp distinct from the LSOA choropleth's YlOrRd. */
export const DENSITY_5 = ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'] as const;
export const PSPO_COLOUR = '#542788';
export const SAFER_STREETS_COLOUR = '#1f5f99';
export const SAFER_STREETS_FILL = OKABE_ITO.skyBlue;
/**
 * Analysts' drawn areas: a darker shade of Okabe–Ito bluish green (legible on the light end of the choropleth) over a
 * white casing. Distinct from PSPO zones (purple, dashed) and Safer Streets areas (blue, single line) by colour for
 * every common colour-vision type and, for all readers, by the double-line edge.
 */
export const DRAWN_AREA_COLOUR = '#007a5a';
export const DRAWN_AREA_CASING = '#ffffff';
export const OUTLINE_DARK = '#1a1a1a';
export const SELECTED_COLOUR = '#000000';

/**
 * n colours spread evenly over a ramp, so a classification that came out with fewer classes (ties) still runs from
 * the light end to the dark end. One class takes the lightest colour.
 */
export function spreadColours(ramp: readonly string[], n: number): string[] {
  if (n <= 0) return [];
  if (n === 1) return [ramp[0]!];
  if (n >= ramp.length) return [...ramp];
  return Array.from({ length: n }, (_, i) => ramp[Math.round((i * (ramp.length - 1)) / (n - 1))]!);
}

/** "#rrggbb" → [r, g, b]. */
export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  const v = parseInt(m[1]!, 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
