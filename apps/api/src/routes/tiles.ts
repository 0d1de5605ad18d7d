import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { parseOrThrow, type ReferenceService } from '@safer-places/domain';
import { LSOA_TILE_MAX_ZOOM, LSOA_TILE_MIN_ZOOM, lsoaVersionOf } from '@safer-places/schemas';
import { chooseEncoding } from '../compression';
import { ApiProblem } from '../http-errors';
import type { AppEnv } from '../middleware';
import type { ContextTileCache, LsoaTileCache, VectorTileCache } from '../tiles';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';
/**
 * How long browsers (and shared caches) may keep a tile without asking again. Tiles change only when an import gives
 * the dataset a new version (the ETag carries it), so after an hour a revalidation costs a 304.
 */
export const TILE_MAX_AGE_S = 3600;

const tileQuerySchema = z.strictObject({ dataset: z.string().min(1).max(64) });

/** Reads z/x/y of a tile path, each a whole number in range; anything else is a 400 naming the problem. */
export function parseTile(zParam: string, xParam: string, yParam: string): { z: number; x: number; y: number } {
  const yMatch = /^(\d{1,10})\.mvt$/.exec(yParam);
  if (!yMatch) throw new ApiProblem(400, 'invalid_request', `invalid tile: the path must end in {y}.mvt (a whole number); got "${yParam.slice(0, 40)}"`);
  const whole = (name: string, value: string) => {
    if (!/^\d{1,10}$/.test(value)) throw new ApiProblem(400, 'invalid_request', `invalid tile: ${name} must be a whole number; got "${value.slice(0, 40)}"`);
    return Number(value);
  };
  const zoom = whole('z', zParam);
  if (zoom < LSOA_TILE_MIN_ZOOM || zoom > LSOA_TILE_MAX_ZOOM) {
    throw new ApiProblem(400, 'invalid_request', `invalid tile: z must be ${LSOA_TILE_MIN_ZOOM}–${LSOA_TILE_MAX_ZOOM} (the map over-zooms ${LSOA_TILE_MAX_ZOOM}); got ${zoom}`);
  }
  const x = whole('x', xParam);
  const y = Number(yMatch[1]);
  const size = 2 ** zoom;
  if (x >= size) throw new ApiProblem(400, 'invalid_request', `invalid tile: x must be 0–${size - 1} at zoom ${zoom}; got ${x}`);
  if (y >= size) throw new ApiProblem(400, 'invalid_request', `invalid tile: y must be 0–${size - 1} at zoom ${zoom}; got ${y}`);
  return { z: zoom, x, y };
}

/** Whether If-None-Match names this (weak) tag: weak comparison, a list, or `*`. */
function matches(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(tag));
}

/**
 * `GET /api/tiles/lsoas/{z}/{x}/{y}.mvt?dataset=<id>`: the LSOA layer as Mapbox Vector Tiles, every LSOA of the
 * dataset (no feature cap), for any signed-in user (the same readers as the LSOA layer). 200 with the tile, 204 for a
 * tile no LSOA reaches, 304 when If-None-Match holds the tile's ETag (the dataset's LSOA version + z/x/y: a crime import keeps it).
 *
 * `GET /api/tiles/context/{z}/{x}/{y}.mvt?dataset=<id>`: the dataset's context layer (district and ward boundaries,
 * the study area's outline, place labels: packages/schemas context.ts), with the same readers, statuses and caching
 * (its ETag names the context layer, so it never answers for an LSOA tile of the same z/x/y).
 */
export function tileRoutes(reference: ReferenceService, tiles: LsoaTileCache, context: ContextTileCache) {
  const app = new Hono<AppEnv>();
  app.get('/lsoas/:z/:x/:y', (c) => serveTile(c, reference, tiles, ''));
  app.get('/context/:z/:x/:y', (c) => serveTile(c, reference, context, 'context.'));
  return app;
}

/**
 * How tiles are cut, in their ETag: raised whenever the cutting changes what a tile holds for the same LSOAs (f2: the
 * overview zooms generalised to the pixel; f3: long, thin LSOAs kept there too), so browsers and CloudFront fetch the
 * new tiles instead of revalidating the old.
 */
export const TILE_FORMAT = 'f3';

async function serveTile(c: Context<AppEnv>, reference: ReferenceService, tiles: VectorTileCache, tagPrefix: string) {
  const { z: zoom, x, y } = parseTile(c.req.param('z')!, c.req.param('x')!, c.req.param('y')!);
  const query = parseOrThrow(tileQuerySchema, c.req.query(), 'tile query (dataset=<id>)');
  const dataset = await reference.resolveDataset(query.dataset);
  const tag = `W/"${tagPrefix}${encodeURIComponent(dataset.id)}.${encodeURIComponent(lsoaVersionOf(dataset))}.${TILE_FORMAT}.${zoom}.${x}.${y}"`;
  // Headers only once the answer is known: a failure must not carry the tile's ETag or public caching.
  const cacheable = () => {
    // Boundaries only, open data shared by every organisation: caches may keep it whoever asks (sharedData).
    c.set('sharedData', true);
    c.header('ETag', tag);
    c.header('Cache-Control', `public, max-age=${TILE_MAX_AGE_S}`);
  };
  if (matches(c.req.header('If-None-Match'), tag)) {
    cacheable();
    return c.body(null, 304);
  }
  // Compressed here rather than by the app's compression, so a tile is compressed once and then served from the cache.
  const tile = await tiles.compressedTile(dataset, zoom, x, y, chooseEncoding(c.req.header('Accept-Encoding')));
  cacheable();
  if (tile.bytes.byteLength === 0) return c.body(null, 204);
  c.header('Content-Type', MVT_CONTENT_TYPE);
  c.header('Vary', 'Accept-Encoding');
  if (tile.encoding) c.header('Content-Encoding', tile.encoding);
  return c.body(tile.bytes as Uint8Array<ArrayBuffer>, 200);
}
