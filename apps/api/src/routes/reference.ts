import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { LimitExceededError, parseOrThrow, type LayerService, type ReferenceService, type ScopeResolver } from '@safer-places/domain';
import { MAX_LAYER_FEATURES, bboxSchema, layerNameSchema, layerQuerySchema, lsoaStatsQuerySchema, type BBox } from '@safer-places/schemas';
import { ApiProblem } from '../http-errors';
import { requireRole, type AppEnv } from '../middleware';

/** Whether two [minLon, minLat, maxLon, maxLat] boxes meet (the layer's own bbox filter). */
const meets = (a: BBox, b: BBox) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];

export function referenceRoutes(reference: ReferenceService, layers: LayerService, scopes: ScopeResolver) {
  const app = new Hono<AppEnv>();
  // Weak ETags over the body: a map reload with nothing changed costs a 304 instead of the whole layer.
  app.use('/layers/*', etag({ weak: true }));
  app.use('/lsoas/stats', etag({ weak: true }));

  app.get('/datasets', async (c) => {
    const [datasets, fallback] = await Promise.all([reference.listDatasets(), reference.defaultDataset()]);
    return c.json({ datasets, defaultDatasetId: fallback?.id ?? null });
  });

  app.get('/datasets/:id/imports', requireRole('admin'), async (c) => {
    const id = c.req.param('id');
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) throw new ApiProblem(404, 'not_found', `no dataset "${id.slice(0, 64)}"`);
    return c.json({ items: await reference.importReports(id) });
  });

  // What each camera of the cameras layer covers (same query, same cameras), for the map to draw without projecting.
  app.get('/layers/cameras/coverage', async (c) => {
    const query = parseOrThrow(layerQuerySchema, c.req.query(), 'layer query');
    const bbox = query.bbox === undefined ? undefined : parseOrThrow(bboxSchema, query.bbox, 'bbox');
    if (query.scope) throw new ApiProblem(400, 'invalid_request', 'invalid layer query: scope applies to the lsoas layer only, not cameras');
    const body = await layers.cameraCoverage(c.get('principal'), {
      ...(bbox && { bbox }),
      ...(query.dataset && { datasetId: query.dataset }),
      ...(query.limit && { limit: query.limit }),
    });
    return c.json(body);
  });

  app.get('/layers/:layer', async (c) => {
    const layer = parseOrThrow(layerNameSchema, c.req.param('layer'), 'layer name (lsoas, cameras, help-points, pspo-zones, safer-streets-areas)');
    const query = parseOrThrow(layerQuerySchema, c.req.query(), 'layer query');
    const bbox = query.bbox === undefined ? undefined : parseOrThrow(bboxSchema, query.bbox, 'bbox');
    if (query.scope && layer !== 'lsoas') throw new ApiProblem(400, 'invalid_request', `invalid layer query: scope applies to the lsoas layer only, not ${layer}`);
    const scope = query.scope ? await scopes.resolve(c.get('principal'), await reference.resolveDataset(query.dataset), query.scope) : undefined;
    if (layer === 'lsoas' && query.limit === undefined) {
      // Never cut silently: without a limit of its own the caller gets every LSOA it asked for, or a 413 saying how
      // many match and where all of them can be drawn from (the vector tiles). With ?limit= the caller chose a cap
      // and the answer says `truncated`.
      const dataset = scope?.dataset ?? (await reference.resolveDataset(query.dataset));
      const candidates = scope ? scope.lsoas : await reference.lsoas(dataset);
      const matching = bbox ? candidates.filter((l) => meets(l.bbox, bbox)).length : candidates.length;
      if (matching > MAX_LAYER_FEATURES) {
        throw new LimitExceededError(
          'MAX_LAYER_FEATURES',
          matching,
          MAX_LAYER_FEATURES,
          `${matching} LSOAs match and one layer answer holds at most ${MAX_LAYER_FEATURES} (MAX_LAYER_FEATURES): narrow with bbox or scope, or draw every LSOA from the vector tiles GET /api/tiles/lsoas/{z}/{x}/{y}.mvt?dataset=${dataset.id}`,
        );
      }
    }
    const body = await layers.layer(c.get('principal'), layer, {
      ...(bbox && { bbox }),
      ...(query.dataset && { datasetId: query.dataset }),
      ...(query.limit && { limit: query.limit }),
      ...(scope && { scope }),
    });
    return c.json(body);
  });

  app.get('/lsoas/stats', async (c) => {
    const query = parseOrThrow(lsoaStatsQuerySchema, c.req.query(), 'statistics query');
    const scope = await scopes.resolve(c.get('principal'), await reference.resolveDataset(query.dataset), query.scope);
    return c.json(await reference.lsoaStats(query, scope));
  });
  return app;
}
