import { Hono } from 'hono';
import { parseOrThrow, type ReferenceService, type ScopeResolver } from '@safer-places/domain';
import { homeScopeInputSchema } from '@safer-places/schemas';
import * as z from 'zod';
import { noteAudit } from '../audit';
import { readJson, requireRole, type AppEnv } from '../middleware';

const datasetQuery = z.strictObject({ dataset: z.string().min(1).max(64).optional() });

/**
 * The places a user can choose (`GET /scopes`: study area, districts, CSPs, the organisation's partnership areas and
 * drawn areas, and its home scope) and the organisation's home scope, which only administrators set.
 */
export function scopeRoutes(scopes: ScopeResolver, reference: ReferenceService) {
  const app = new Hono<AppEnv>();

  app.get('/scopes', async (c) => {
    const q = parseOrThrow(datasetQuery, c.req.query(), 'scopes query');
    return c.json(await scopes.options(c.get('principal'), await reference.resolveDataset(q.dataset)));
  });

  app.put('/home-scope', requireRole('admin'), async (c) => {
    const q = parseOrThrow(datasetQuery, c.req.query(), 'home scope query');
    const body = parseOrThrow(homeScopeInputSchema, await readJson(c.req), 'home scope');
    const summary = await scopes.setHomeScope(c.get('principal'), await reference.resolveDataset(q.dataset), body.scope);
    noteAudit(c, { action: 'update', kind: 'home-scope', detail: `home scope set to ${summary.label} (${summary.key})` });
    return c.json(summary);
  });

  return app;
}
