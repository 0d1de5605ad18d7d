import { Hono, type MiddlewareHandler } from 'hono';
import { builtInPreset, parseOrThrow, writersOf, type AssetService, type BidService } from '@safer-places/domain';
import {
  BID_PRESET_NOTE,
  ITEM_ID,
  bidPackQuerySchema,
  eligibilityRequestSchema,
  evaluationQuerySchema,
  selectionRequestSchema,
  type BidPresetInput,
  type Audited,
  type OwnBidPreset,
} from '@safer-places/schemas';
import { noteAudit } from '../audit';
import { ApiProblem } from '../http-errors';
import { expectedVersion, readJson, requireRole, type AppEnv } from '../middleware';

const checkId = (raw: string, what: string) => {
  if (!ITEM_ID.test(raw)) throw new ApiProblem(404, 'not_found', `no ${what} with id "${raw.slice(0, 64)}" in your organisation`);
  return raw;
};

/** The report's own policy: inline styles and SVG only, nothing loaded, nothing run. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/**
 * Bid writer routes: eligibility, target-area selection, evidence report and pack (under /bids, beside the generic
 * CRUD of bid drafts), presets (/bid-presets: built-in plus the organisation's own), and the evaluation of a funded
 * Safer Streets area (/safer-streets-areas/:id/evaluation).
 */
export function bidRoutes(service: BidService, assets: AssetService, idempotent: MiddlewareHandler<AppEnv>) {
  const bids = new Hono<AppEnv>();
  bids.post('/eligibility', async (c) => {
    const body = parseOrThrow(eligibilityRequestSchema, await readJson(c.req), 'eligibility request');
    return c.json(await service.eligibility(c.get('principal'), body.criteria, body.dataset));
  });
  bids.post('/selection', async (c) => {
    const body = parseOrThrow(selectionRequestSchema, await readJson(c.req), 'selection request');
    return c.json(await service.selection(c.get('principal'), body));
  });
  bids.get('/:id/pack', async (c) => {
    const q = parseOrThrow(bidPackQuerySchema, c.req.query(), 'pack query');
    const bidId = checkId(c.req.param('id'), 'bid');
    const pack = await service.pack(c.get('principal'), bidId, q.dataset);
    noteAudit(c, { action: 'export', kind: 'bids', itemIds: [bidId], detail: `evidence pack ${pack.filename}` });
    return c.body(pack.zip as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${pack.filename}"`,
      'Cache-Control': 'private, no-store',
    });
  });
  bids.get('/:id/report.html', async (c) => {
    const q = parseOrThrow(bidPackQuerySchema, c.req.query(), 'report query');
    const bidId = checkId(c.req.param('id'), 'bid');
    const html = await service.reportHtml(c.get('principal'), bidId, q.dataset);
    noteAudit(c, { action: 'export', kind: 'bids', itemIds: [bidId], detail: 'evidence report (HTML)' });
    c.header('Content-Security-Policy', REPORT_CSP);
    c.header('Cache-Control', 'private, no-store');
    return c.html(html);
  });

  const presets = new Hono<AppEnv>();
  const writers = requireRole(...writersOf('bid-presets'));
  const decorate = (p: BidPresetInput & Audited): OwnBidPreset => ({ ...p, builtIn: false, note: BID_PRESET_NOTE });
  const notBuiltIn = (id: string) => {
    if (builtInPreset(id)) throw new ApiProblem(403, 'forbidden', `"${id}" is a built-in preset and cannot be changed or deleted; save a copy as your own preset instead`);
    return id;
  };
  presets.get('/', async (c) => c.json(await service.presets(c.get('principal'))));
  presets.get('/:id', async (c) => {
    const id = c.req.param('id');
    const builtIn = builtInPreset(id);
    if (builtIn) return c.json(builtIn);
    const item = await assets.get(c.get('principal'), 'bid-presets', checkId(id, 'bid preset'));
    c.header('ETag', `"${item.version}"`);
    return c.json(decorate(item));
  });
  presets.post('/', writers, idempotent, async (c) => {
    const item = await assets.create(c.get('principal'), 'bid-presets', await readJson(c.req));
    noteAudit(c, { action: 'create', kind: 'bid-presets', itemIds: [item.id] });
    c.header('ETag', `"${item.version}"`);
    c.header('Location', `/api/bid-presets/${item.id}`);
    return c.json(decorate(item), 201);
  });
  presets.put('/:id', writers, async (c) => {
    const id = notBuiltIn(checkId(c.req.param('id'), 'bid preset'));
    const version = expectedVersion(c.req.header('If-Match'));
    const item = await assets.update(c.get('principal'), 'bid-presets', id, await readJson(c.req), version);
    noteAudit(c, { action: 'update', kind: 'bid-presets', itemIds: [id], detail: `version ${version} → ${item.version}` });
    c.header('ETag', `"${item.version}"`);
    return c.json(decorate(item));
  });
  presets.delete('/:id', writers, async (c) => {
    const id = notBuiltIn(checkId(c.req.param('id'), 'bid preset'));
    await assets.remove(c.get('principal'), 'bid-presets', id, expectedVersion(c.req.header('If-Match')));
    noteAudit(c, { action: 'delete', kind: 'bid-presets', itemIds: [id] });
    return c.body(null, 204);
  });

  const evaluation = new Hono<AppEnv>();
  evaluation.get('/:id/evaluation', async (c) => {
    const q = parseOrThrow(evaluationQuerySchema, c.req.query(), 'evaluation query');
    return c.json(await service.evaluation(c.get('principal'), checkId(c.req.param('id'), 'Safer Streets area'), q));
  });

  return { bids, presets, evaluation };
}
