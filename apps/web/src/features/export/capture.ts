import type { Map as MapLibreMap } from 'maplibre-gl';
import type { BBox } from '@safer-places/schemas';
import { metresPerPixel } from './scaleBar';

/*
 * A picture of the live MapLibre map, without keeping the drawing buffer for everyday use (preserveDrawingBuffer
 * costs every frame): the map is asked to draw once more and its canvas is copied inside that frame's `render`
 * event, while the buffer still holds the frame. For print resolution the map draws at a higher pixel ratio for the
 * moment of the picture; for a picture of a route it is fitted to the route first. Both are undone afterwards.
 */

export interface CapturedMap {
  /** A copy of the map's pixels. */
  canvas: HTMLCanvasElement;
  /** Canvas pixels per CSS pixel of the map when it was captured. */
  pixelRatio: number;
  /** Ground metres per CSS pixel at the picture's centre latitude. */
  metresPerCssPx: number;
  /** The map's rotation in degrees clockwise from north (0 unless rotated). */
  bearing: number;
  /** The base map sources' attribution strings (may hold HTML). */
  attributions: string[];
}

/** The largest canvas side the capture asks for: within every WebGL implementation's texture limit that matters here. */
export const MAX_CAPTURE_SIDE = 4096;

/** The pixel ratio to draw at: `wanted`, but never making a side longer than `maxSide` (nor less than 1). */
export function captureRatio(wanted: number, cssW: number, cssH: number, maxSide = MAX_CAPTURE_SIDE): number {
  const cap = maxSide / Math.max(cssW, cssH, 1);
  return Math.max(1, Math.min(wanted, cap));
}

/** The box around a set of [lon, lat] points (at least a few metres wide, so a single point has a view). */
export function boundsOf(points: readonly (readonly [number, number])[], minSpanDeg = 0.002): BBox | null {
  if (points.length === 0) return null;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of points) {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  }
  const padLon = Math.max(0, (minSpanDeg - (e - w)) / 2);
  const padLat = Math.max(0, (minSpanDeg - (n - s)) / 2);
  return [w - padLon, s - padLat, e + padLon, n + padLat];
}

const wait = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** Resolves once the map has drawn everything it is waiting for (tiles, images), or after `guardMs` regardless. */
async function settled(map: MapLibreMap, guardMs: number): Promise<void> {
  await Promise.race([
    new Promise<void>((ok) => {
      map.once('idle', () => ok());
      map.triggerRepaint();
    }),
    wait(guardMs),
  ]);
}

/** Copies the canvas inside the next frame's `render` event. */
function copyNextFrame(map: MapLibreMap): Promise<HTMLCanvasElement> {
  return new Promise((ok, fail) => {
    map.once('render', () => {
      try {
        const src = map.getCanvas();
        const copy = document.createElement('canvas');
        copy.width = src.width;
        copy.height = src.height;
        const ctx = copy.getContext('2d');
        if (!ctx) throw new Error('no 2D canvas');
        ctx.drawImage(src, 0, 0);
        ok(copy);
      } catch (err) {
        fail(err as Error);
      }
    });
    map.triggerRepaint();
  });
}

function sourceAttributions(map: MapLibreMap): string[] {
  const out: string[] = [];
  const style = map.getStyle();
  for (const id of Object.keys(style?.sources ?? {})) {
    const src = map.getSource(id) as { attribution?: unknown } | undefined;
    if (src && typeof src.attribution === 'string' && src.attribution.trim()) out.push(src.attribution);
  }
  return out;
}

let queue: Promise<unknown> = Promise.resolve();

export interface CaptureOptions {
  /** Canvas pixels per CSS pixel wanted (limited by MAX_CAPTURE_SIDE). */
  pixelRatio: number;
  /** Fit the map to this box (with this padding in CSS pixels) for the picture, then go back to the view it had. */
  fit?: { bbox: BBox; padding: number; maxZoom?: number };
  /** How long to wait for tiles at most before taking the picture anyway (a hang guard, not a timing). */
  guardMs?: number;
}

/**
 * Takes a picture of the map. Pictures are taken one at a time (each changes the map for a moment); the map's view
 * and pixel ratio are restored whatever happens.
 */
export function captureMap(map: MapLibreMap, opts: CaptureOptions): Promise<CapturedMap> {
  const run = async (): Promise<CapturedMap> => {
    const guardMs = opts.guardMs ?? 20_000;
    const before = { center: map.getCenter(), zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
    const ratioBefore = map.getPixelRatio();
    const container = map.getContainer();
    const ratio = captureRatio(opts.pixelRatio, container.clientWidth, container.clientHeight);
    try {
      if (opts.fit) {
        const [w, s, e, n] = opts.fit.bbox;
        map.fitBounds([[w, s], [e, n]], { padding: opts.fit.padding, duration: 0, ...(opts.fit.maxZoom !== undefined && { maxZoom: opts.fit.maxZoom }) });
      }
      if (ratio !== ratioBefore) map.setPixelRatio(ratio);
      await settled(map, guardMs);
      const canvas = await copyNextFrame(map);
      return {
        canvas,
        pixelRatio: canvas.width / Math.max(1, container.clientWidth),
        metresPerCssPx: metresPerPixel(map.getCenter().lat, map.getZoom()),
        bearing: map.getBearing(),
        attributions: sourceAttributions(map),
      };
    } finally {
      if (map.getPixelRatio() !== ratioBefore) map.setPixelRatio(ratioBefore);
      if (opts.fit) map.jumpTo(before);
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
