import { Hono, type MiddlewareHandler } from 'hono';
import { parseOrThrow, writersOf, type AssetService } from '@safer-places/domain';
import type { AssetKind, Page } from '@safer-places/schemas';
import { ASSET_KINDS, ITEM_ID, pageQuerySchema } from '@safer-places/schemas';
import { noteAudit } from '../audit';
import { ApiProblem } from '../http-errors';
import { retryUploadId } from '../idempotency';
import { expectedVersion, readJson, requireRole, type AppEnv } from '../middleware';

/** What was repaired on the way in (e.g. a ring's winding) travels with the saved item, never stored with it. */
const withWarnings = <T extends object>(item: T, warnings: string[]) => (warnings.length > 0 ? { ...item, warnings } : item);

/** CRUD for one organisation-owned layer; the version travels as ETag / If-Match, never in the body. */
export function assetRoutes(kind: AssetKind, service: AssetService, idempotent: MiddlewareHandler<AppEnv>) {
  const app = new Hono<AppEnv>();
  const writers = requireRole(...writersOf(kind));
  const sensitive = (c: { get(key: 'principal'): { orgId: string } }, item: unknown) => service.isSensitiveItem(c.get('principal').orgId, kind, item);
  const id = (raw: string) => {
    if (!ITEM_ID.test(raw)) throw new ApiProblem(404, 'not_found', `no ${ASSET_KINDS[kind].singular} with id "${raw.slice(0, 64)}" in your organisation`);
    return raw;
  };

  // Pages in id order; `next` is the last id of the page, passed back as `after`.
  app.get('/', async (c) => {
    const q = parseOrThrow(pageQuerySchema, c.req.query(), 'list query');
    const all = (await service.list(c.get('principal'), kind)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const from = q.after === undefined ? 0 : all.findIndex((i) => i.id > q.after!);
    const items = from < 0 ? [] : all.slice(from, from + q.limit);
    const next = from >= 0 && from + q.limit < all.length ? items.at(-1)!.id : null;
    return c.json({ items, next } satisfies Page<(typeof all)[number]>);
  });
  app.get('/:id', async (c) => {
    const item = await service.get(c.get('principal'), kind, id(c.req.param('id')));
    c.header('ETag', `"${item.version}"`);
    return c.json(item);
  });
  app.post('/', writers, idempotent, async (c) => {
    const { item, warnings } = await service.createChecked(c.get('principal'), kind, await readJson(c.req));
    noteAudit(c, { action: 'create', kind, itemIds: [item.id], sensitive: await sensitive(c, item) });
    c.header('ETag', `"${item.version}"`);
    c.header('Location', `/api/${kind}/${item.id}`);
    return c.json(withWarnings(item, warnings), 201);
  });
  // A file upload: every item is checked before any is written, and all are written or none, even if the process dies
  // part-way. Each item says what was repaired in it, as single creates do. A retry with the same Idempotency-Key is
  // answered from the upload an earlier try completed, however late it comes.
  app.post('/import', writers, idempotent, async (c) => {
    const body = await readJson(c.req);
    if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray((body as { items?: unknown }).items) || Object.keys(body).length !== 1) {
      throw new ApiProblem(400, 'invalid_request', 'the body must be {"items": [...]}, one object per item');
    }
    const uploadId = await retryUploadId(c);
    const upload = await service.upload(c.get('principal'), kind, (body as { items: unknown[] }).items, uploadId === null ? {} : { uploadId });
    const items = upload.items.map((i) => i.item);
    const anySensitive = (await Promise.all(items.map((i) => sensitive(c, i)))).some(Boolean);
    const uploaded = `${items.length} ${items.length === 1 ? ASSET_KINDS[kind].singular : ASSET_KINDS[kind].label} uploaded`;
    // An answer from an earlier try's upload is audited here if that try died before its own event was written (its
    // key was not finished either, or the key's record would have answered instead of this route).
    const detail = upload.replayed ? `${uploaded} (saved by an earlier try of the same request, which did not answer)` : uploaded;
    noteAudit(c, { action: 'import', kind, itemIds: items.map((i) => i.id), detail, sensitive: anySensitive });
    if (upload.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json({ created: items.length, items: upload.items.map(({ item, warnings }) => withWarnings(item, warnings)) }, 201);
  });
  app.put('/:id', writers, async (c) => {
    const version = expectedVersion(c.req.header('If-Match'));
    const { item, warnings } = await service.updateChecked(c.get('principal'), kind, id(c.req.param('id')), await readJson(c.req), version);
    noteAudit(c, { action: 'update', kind, itemIds: [item.id], detail: `version ${version} → ${item.version}`, sensitive: await sensitive(c, item) });
    c.header('ETag', `"${item.version}"`);
    return c.json(withWarnings(item, warnings));
  });
  app.delete('/:id', writers, async (c) => {
    const itemId = id(c.req.param('id'));
    const removed = await service.remove(c.get('principal'), kind, itemId, expectedVersion(c.req.header('If-Match')));
    noteAudit(c, { action: 'delete', kind, itemIds: [itemId], sensitive: await sensitive(c, removed) });
    return c.body(null, 204);
  });
  return app;
}
