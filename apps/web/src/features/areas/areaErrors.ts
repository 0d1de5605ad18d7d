import type { Position } from '@safer-places/schemas';
import { ApiError } from '../../api/client';

/** "54.35000° N, 1.10000° E": a point as the panel names it. */
export function lonLatText([lon, lat]: Position): string {
  return `${Math.abs(lat).toFixed(5)}° ${lat < 0 ? 'S' : 'N'}, ${Math.abs(lon).toFixed(5)}° ${lon < 0 ? 'W' : 'E'}`;
}

/** A shape the server refused at a point (edges crossing, a hole outside, parts overlapping): its words, and where. */
export function crossingMessage(err: unknown): string | null {
  if (!(err instanceof ApiError) || !err.point) return null;
  const detail = err.detail.replace(/^geometry: /, '');
  return `The shape cannot be saved: ${detail} (${lonLatText(err.point)}, marked on the map). Move a corner there, or draw it again.`;
}
