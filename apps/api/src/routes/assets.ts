import { Hono } from 'hono';
import { writersOf, type AssetService } from '@safer-places/domain';
import type { AssetKind } from '@safer-places/schemas';
import { ASSET_KINDS } from '@safer-places/schemas';
import { ApiProblem } from '../http-errors';
import { expectedVersion, readJson, requireRole, type AppEnv } from '../middleware';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** CRUD for one organisation-owned layer; the version travels as ETag / If-Match, never in the body. */
export function assetRoutes(kind: AssetKind, service: AssetService) {
  const app = new Hono<AppEnv>();
  const writers = requireRole(...writersOf(kind));
  const id = (raw: string) => {
    if (!ID.test(raw)) throw new ApiProblem(404, 'not_found', `no ${ASSET_KINDS[kind].singular} with id "${raw.slice(0, 64)}" in your organisation`);
    return raw;
  };

  app.get('/', async (c) => c.json({ items: await service.list(c.get('principal'), kind) }));
  app.get('/:id', async (c) => {
    const item = await service.get(c.get('principal'), kind, id(c.req.param('id')));
    c.header('ETag', `"${item.version}"`);
    return c.json(item);
  });
  app.post('/', writers, async (c) => {
    const item = await service.create(c.get('principal'), kind, await readJson(c.req));
    c.header('ETag', `"${item.version}"`);
    c.header('Location', `/api/${kind}/${item.id}`);
    return c.json(item, 201);
  });
  // A file upload: every item is checked before any is written.
  app.post('/import', writers, async (c) => {
    const body = await readJson(c.req);
    if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray((body as { items?: unknown }).items) || Object.keys(body).length !== 1) {
      throw new ApiProblem(400, 'invalid_request', 'the body must be {"items": [...]}, one object per item');
    }
    const items = await service.createMany(c.get('principal'), kind, (body as { items: unknown[] }).items);
    return c.json({ created: items.length, items }, 201);
  });
  app.put('/:id', writers, async (c) => {
    const version = expectedVersion(c.req.header('If-Match'));
    const item = await service.update(c.get('principal'), kind, id(c.req.param('id')), await readJson(c.req), version);
    c.header('ETag', `"${item.version}"`);
    return c.json(item);
  });
  app.delete('/:id', writers, async (c) => {
    await service.remove(c.get('principal'), kind, id(c.req.param('id')), expectedVersion(c.req.header('If-Match')));
    return c.body(null, 204);
  });
  return app;
}
