/*
 * The scale bar of an exported map: metres per pixel at the view's centre latitude (Web Mercator, as MapLibre draws
 * it), and the longest "nice" length (1, 2 or 5 × a power of ten) that fits the room given, in metres or kilometres.
 */

/** The earth radius MapLibre measures with (its own scale control uses it too), in metres. */
const EARTH_RADIUS_M = 6371008.8;
/** MapLibre's world is 512 pixels wide at zoom 0. */
const WORLD_TILE_PX = 512;

/** Ground metres per CSS pixel at latitude `lat` (degrees) and MapLibre zoom `zoom`. */
export function metresPerPixel(lat: number, zoom: number): number {
  if (!Number.isFinite(lat) || Math.abs(lat) >= 90) throw new RangeError(`latitude out of range: ${lat}`);
  if (!Number.isFinite(zoom)) throw new RangeError(`zoom is not a number: ${zoom}`);
  return (2 * Math.PI * EARTH_RADIUS_M * Math.cos((lat * Math.PI) / 180)) / (WORLD_TILE_PX * 2 ** zoom);
}

/** The largest 1, 2 or 5 × 10^k metres not above `maxMetres` (at least 1 m). */
export function niceLength(maxMetres: number): number {
  if (!(maxMetres > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(maxMetres));
  // Rounding guards against 10^k coming out a hair above an exact power (log10(1000) = 2.9999…).
  const first = maxMetres / power;
  const step = first >= 5 - 1e-9 ? 5 : first >= 2 - 1e-9 ? 2 : 1;
  return Math.round(step * power);
}

/** "500 m", "1 km", "20 km". */
export function lengthLabel(metres: number): string {
  return metres >= 1000 ? `${(metres / 1000).toLocaleString('en-GB')} km` : `${metres.toLocaleString('en-GB')} m`;
}

export interface ScaleBar {
  metres: number;
  /** The bar's length in the picture's pixels. */
  px: number;
  label: string;
}

/** The scale bar for a picture whose pixels are `metresPerPx` of ground each, at most `maxPx` long. */
export function scaleBar(metresPerPx: number, maxPx: number): ScaleBar {
  if (!(metresPerPx > 0) || !Number.isFinite(metresPerPx)) throw new RangeError(`metres per pixel must be positive: ${metresPerPx}`);
  if (!(maxPx > 0)) throw new RangeError(`the bar needs room: ${maxPx}`);
  const metres = niceLength(metresPerPx * maxPx);
  return { metres, px: metres / metresPerPx, label: lengthLabel(metres) };
}
