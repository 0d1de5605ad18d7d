import { basename } from 'node:path';
import type { BaseMapConfig } from '@safer-places/schemas';

/**
 * The base map the web app draws under its layers, from the server's settings (docs/operations/basemap.md):
 * - MAP_PMTILES (local server: a .pmtiles file it serves itself) or MAP_PMTILES_URL (AWS: the archive's path in the
 *   site bucket, served by CloudFront): a self-hosted PMTiles archive in the Protomaps schema. Wins over the style.
 * - otherwise MAP_STYLE_URL: a public MapLibre style; unset means the default below, empty or "none" means no base map.
 */

/**
 * OpenFreeMap's "Liberty" style: OpenStreetMap data (OpenMapTiles schema) with streets and place labels, no key, no
 * registration, no cookies and no request limits (openfreemap.org). Its sources carry their own attribution
 * (OpenFreeMap, © OpenMapTiles, data from OpenStreetMap), which the map's attribution control shows.
 */
export const DEFAULT_MAP_STYLE_URL = 'https://tiles.openfreemap.org/styles/liberty';
export const DEFAULT_MAP_STYLE_ATTRIBUTION = 'OpenFreeMap © OpenMapTiles, data © OpenStreetMap contributors (ODbL)';
/** Protomaps base map archives are built from OpenStreetMap (and Natural Earth at low zooms). */
export const DEFAULT_PMTILES_ATTRIBUTION = '© OpenStreetMap contributors (ODbL)';
/** Where the local server serves the configured archive (same origin, so no CSP change). */
export const BASEMAP_PATH_PREFIX = '/basemap/';

export class BaseMapConfigError extends Error {}

/** A file name safe to put in a URL path: letters, digits, dot, dash, underscore, ending in .pmtiles. */
const ARCHIVE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.pmtiles$/;

export function archiveUrlPath(file: string): string {
  const name = basename(file);
  if (!ARCHIVE_NAME.test(name)) {
    throw new BaseMapConfigError(`the base map file name '${name}' must end in .pmtiles and hold only letters, digits, '.', '-' and '_' (e.g. nottinghamshire.pmtiles)`);
  }
  return `${BASEMAP_PATH_PREFIX}${name}`;
}

/** Plain text for the attribution control: tags dropped (archive metadata often carries links), whitespace folded. */
export function plainAttribution(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&copy;/gi, '©')
    .replace(/&amp;/gi, '&')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

export function styleBaseMap(raw: string | undefined, variable = 'MAP_STYLE_URL'): BaseMapConfig {
  if (raw === undefined) return { kind: 'style', url: DEFAULT_MAP_STYLE_URL, attribution: DEFAULT_MAP_STYLE_ATTRIBUTION };
  const value = raw.trim();
  if (value === '' || value.toLowerCase() === 'none') return { kind: 'none' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BaseMapConfigError(`${variable} '${value.slice(0, 200)}' is not a URL: give a MapLibre style's http(s) address, or "none" for no base map`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BaseMapConfigError(`${variable} '${value.slice(0, 200)}' must be an http(s) URL of a MapLibre style, or "none"`);
  }
  return { kind: 'style', url: url.toString(), ...(value === DEFAULT_MAP_STYLE_URL && { attribution: DEFAULT_MAP_STYLE_ATTRIBUTION }) };
}

/** From the environment of the Lambda (MAP_PMTILES_URL: a path on the site's own origin, set by the stack). */
export function baseMapFromEnv(env: NodeJS.ProcessEnv): BaseMapConfig {
  const pmtilesUrl = env.MAP_PMTILES_URL?.trim();
  if (pmtilesUrl) {
    if (!pmtilesUrl.startsWith(BASEMAP_PATH_PREFIX)) throw new BaseMapConfigError(`MAP_PMTILES_URL '${pmtilesUrl.slice(0, 200)}' must be a path under ${BASEMAP_PATH_PREFIX} on the site's own origin`);
    archiveUrlPath(pmtilesUrl);
    return { kind: 'pmtiles', url: pmtilesUrl, attribution: plainAttribution(env.MAP_PMTILES_ATTRIBUTION || DEFAULT_PMTILES_ATTRIBUTION) };
  }
  return styleBaseMap(env.MAP_STYLE_URL);
}

/** The style URL GET /api/config still answers as `mapStyleUrl` for older web apps. */
export function mapStyleUrlOf(basemap: BaseMapConfig): string | null {
  return basemap.kind === 'style' ? basemap.url : null;
}
