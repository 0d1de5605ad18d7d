import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps';
import { Protocol } from 'pmtiles';
import type { BaseMapConfig } from '@safer-places/schemas';
import { firstLabelLayerId, offlineStyle, resolveBaseStyle, type BaseStyle, type FetchLike } from './style';
import type { LayerSpecification, StyleSpecification } from './types';

/**
 * The base map under the app's layers, from the server's BaseMapConfig (GET /api/config):
 * - `style`: a public MapLibre style, fetched first and replaced by the offline style if it cannot be had;
 * - `pmtiles`: the self-hosted archive in the Protomaps schema, drawn through MapLibre's `pmtiles://` protocol with the
 *   Protomaps "light" layers. The style has no `glyphs` URL: maplibre-gl v6 then draws every label locally with the
 *   browser's own fonts (its glyph manager rasterises text itself when no glyph server is named), so it needs nothing
 *   beyond the archive. Nor a sprite: layers that would show sprite icons keep their text, or are left out;
 * - `none`: the offline style (a plain background), under the context layer.
 */

/** The id of the PMTiles source in the style (the Protomaps layers name it). */
export const PMTILES_SOURCE = 'basemap';

/** The server's base map, or for an older server (no `basemap` in its config) the style URL it names. */
export function configuredBaseMap(basemap: BaseMapConfig | undefined, styleUrl: string | null): BaseMapConfig {
  return basemap ?? (styleUrl ? { kind: 'style', url: styleUrl } : { kind: 'none' });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Layers without sprite icons: the style has no sprite, so an icon would be a missing image. A label with an icon keeps
 * its text; a layer of icons only (one-way arrows, road shields with no text of their own) is left out.
 */
export function withoutSpriteIcons(layers: readonly LayerSpecification[]): LayerSpecification[] {
  const out: LayerSpecification[] = [];
  for (const layer of layers) {
    if (layer.type !== 'symbol' || !layer.layout || !('icon-image' in layer.layout)) {
      out.push(layer);
      continue;
    }
    const { 'icon-image': _icon, ...layout } = layer.layout;
    if (!('text-field' in layout)) continue;
    out.push({ ...layer, layout });
  }
  return out;
}

/** The style for a PMTiles archive at `url` (absolute, or a path on the page's origin), with its attribution. */
export function pmtilesStyle(config: { url: string; attribution: string }, pageOrigin: string): StyleSpecification {
  const archive = new URL(config.url, pageOrigin).href;
  return {
    version: 8,
    name: 'Safer Places base map (PMTiles)',
    sources: {
      [PMTILES_SOURCE]: { type: 'vector', url: `pmtiles://${archive}`, attribution: escapeHtml(config.attribution) },
    },
    layers: withoutSpriteIcons(protomapsLayers(PMTILES_SOURCE, namedFlavor('light'), { lang: 'en' }) as LayerSpecification[]),
  };
}

/**
 * Where each of the app's layers goes: areas and lines (the shading, boundaries, outlines) below the base map's first
 * label layer, so street and place names stay readable over them; points and the app's own labels (symbols, circles)
 * on top of everything. Without base map labels (the offline style) every layer goes on top, in its order.
 */
export function overlayPlacement(layers: readonly LayerSpecification[], labelLayerId: string | undefined): { layer: LayerSpecification; beforeId?: string }[] {
  if (!labelLayerId) return layers.map((layer) => ({ layer }));
  const below = layers.filter((l) => l.type !== 'symbol' && l.type !== 'circle');
  const above = layers.filter((l) => l.type === 'symbol' || l.type === 'circle');
  return [...below.map((layer) => ({ layer, beforeId: labelLayerId })), ...above.map((layer) => ({ layer }))];
}

let protocol: Protocol | null = null;
type AddProtocol = (name: string, loader: Protocol['tilev4']) => void;

/** Registers the `pmtiles://` protocol with MapLibre, once per page. */
export function ensurePmtilesProtocol(addProtocol: AddProtocol): void {
  if (protocol) return;
  protocol = new Protocol({ metadata: false });
  addProtocol('pmtiles', protocol.tilev4);
}

/** The bytes every PMTiles archive starts with. */
const MAGIC = 'PMTiles';

type RangeFetch = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** Null when the archive answers a range request with a PMTiles header, else why not (before the map relies on it). */
export async function checkArchive(url: string, fetchImpl: RangeFetch, timeoutMs = 5000): Promise<string | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchImpl(url, { signal: controller.signal, headers: { range: 'bytes=0-126' } });
    if (!res.ok) return `base map archive answered HTTP ${res.status}`;
    const head = new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).slice(0, MAGIC.length));
    return head === MAGIC ? null : 'base map archive is not a PMTiles file';
  } catch (err) {
    return `base map archive unavailable: ${controller.signal.aborted ? `timed out after ${timeoutMs} ms` : (err as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

/** The base style to create the map with, falling back to the offline style whenever the configured one cannot be had. */
export async function resolveBaseMap(
  config: BaseMapConfig,
  fetchImpl: FetchLike & RangeFetch,
  options: { pageOrigin: string; timeoutMs?: number },
): Promise<BaseStyle> {
  if (config.kind === 'none') return { style: offlineStyle(), kind: 'offline', basemap: 'none', reason: 'no base map configured' };
  if (config.kind === 'style') return { ...(await resolveBaseStyle(config.url, fetchImpl, options.timeoutMs)), basemap: 'style' };
  const problem = await checkArchive(new URL(config.url, options.pageOrigin).href, fetchImpl, options.timeoutMs);
  if (problem) return { style: offlineStyle(), kind: 'offline', basemap: 'pmtiles', reason: problem };
  const style = pmtilesStyle(config, options.pageOrigin);
  const labelLayerId = firstLabelLayerId(style);
  return { style, kind: 'remote', basemap: 'pmtiles', ...(labelLayerId && { labelLayerId }) };
}
