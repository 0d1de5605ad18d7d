import type { StyleSpecification } from './types';

export const OFFLINE_BACKGROUND = '#e8edf1';

/**
 * The built-in base style: one plain background and nothing else: no sources, no glyphs, no sprite, so the map
 * works with no network at all. Everything the app draws on top uses fill, line, circle and icon-only symbol layers
 * with runtime images, none of which needs a glyph server.
 */
export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'Safer Places offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': OFFLINE_BACKGROUND } }],
  };
}

export interface BaseStyle {
  style: StyleSpecification;
  /** 'remote': the configured base map is drawn (a public style, or the self-hosted PMTiles archive); 'offline': not. */
  kind: 'remote' | 'offline';
  /** Why the remote style was not used, for the console and the footer. */
  reason?: string;
  /** Which configured base map this is (absent: the style of a URL, as before base map settings). */
  basemap?: 'style' | 'pmtiles' | 'none';
  /** The base map's first label layer: the app's areas and shading go below it, so place and street names stay on top. */
  labelLayerId?: string;
}

export type FetchLike = (url: string, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

function looksLikeStyle(v: unknown): v is StyleSpecification {
  if (!v || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  return s.version === 8 && Array.isArray(s.layers) && !!s.sources && typeof s.sources === 'object';
}

/**
 * Fetches the configured base style first (with a timeout) and falls back to offlineStyle() on any failure, so a
 * blocked or slow tile host never leaves the user with a blank map.
 */
export async function resolveBaseStyle(url: string | null | undefined, fetchImpl: FetchLike, timeoutMs = 5000): Promise<BaseStyle> {
  if (!url) return { style: offlineStyle(), kind: 'offline', reason: 'no base map configured' };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await Promise.race([
      fetchImpl(url, { signal: controller.signal, headers: { accept: 'application/json' } }),
      new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(new Error(`timed out after ${timeoutMs} ms`)));
      }),
    ]);
    if (!res.ok) return { style: offlineStyle(), kind: 'offline', reason: `base map style answered HTTP ${res.status}` };
    const body = await res.json();
    if (!looksLikeStyle(body)) return { style: offlineStyle(), kind: 'offline', reason: 'base map style is not a MapLibre v8 style' };
    return { style: body, kind: 'remote', ...(firstLabelLayerId(body) && { labelLayerId: firstLabelLayerId(body) }) };
  } catch (err) {
    return { style: offlineStyle(), kind: 'offline', reason: `base map style unavailable: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The first symbol layer of a base style (where its labels start), if it has any. */
export function firstLabelLayerId(style: StyleSpecification): string | undefined {
  return style.layers.find((l) => l.type === 'symbol')?.id;
}
