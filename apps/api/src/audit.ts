import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ForbiddenError, NotFoundError, parseOrThrow, type AuditLog, type Clock, type IdGenerator } from '@safer-places/domain';
import { auditQuerySchema, hasPermission, type AuditAction, type AuditEvent } from '@safer-places/schemas';
import { ApiProblem } from './http-errors';
import { requireRole, type AppEnv, type AuditNote } from './middleware';

export type { AuditNote };

/** Marks the request as auditable; the trail middleware writes the event once the response is known. */
export const noteAudit = (c: { set(key: 'audit', value: AuditNote): void }, note: AuditNote) => c.set('audit', note);

/** Which refusal an error is, if it is one the audit log keeps. */
function refusal(err: Error | undefined, status: number): Extract<AuditAction, 'denied' | 'not-found'> | null {
  if (status === 403 && (err instanceof ForbiddenError || (err instanceof ApiProblem && err.status === 403))) return 'denied';
  // Only item look-ups (an id that is not in the caller's organisation), not paths that do not exist.
  if (status === 404 && (err instanceof NotFoundError || (err instanceof ApiProblem && err.status === 404))) return 'not-found';
  return null;
}

/**
 * After every signed-in request: successful writes, imports and exports the route noted, and refusals (a role not
 * allowed, an item not in the caller's organisation) go into the organisation's append-only audit log.
 */
export function auditTrail(log: AuditLog, clock: Clock, ids: IdGenerator, report: (entry: Record<string, unknown>) => void) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const principal = c.get('principal');
    const status = c.res.status;
    const note = status < 300 ? c.get('audit') : undefined;
    const refused = refusal(c.error, status);
    const action = note?.action ?? refused;
    if (!action) return;
    const event: AuditEvent = {
      id: ids.newId(),
      orgId: principal.orgId,
      at: clock.now().toISOString(),
      userId: principal.userId,
      role: principal.role,
      action,
      method: c.req.method,
      path: c.req.path,
      status,
      ...(note?.kind && { kind: note.kind }),
      ...(note?.itemIds && { itemIds: note.itemIds.slice(0, 100) }),
      ...((note?.detail ?? (refused && c.error?.message)) && { detail: (note?.detail ?? c.error!.message).slice(0, 500) }),
      ...((note?.sensitive || (c.error instanceof NotFoundError && c.error.hidesSensitive)) && { sensitive: true }),
    };
    try {
      await log.append(event);
    } catch (err) {
      // The change itself is done; losing its audit entry is reported loudly rather than turning success into failure.
      report({ level: 'error', msg: 'audit append failed', event, error: String(err) });
    }
  });
}

/** Raw events read per store call while looking for events a reader may see. */
const SCAN_PAGE = 1000;

/**
 * One page of the log holding only the events the reader may see. `next` must never be the store cursor of an event
 * the reader may not see (its position is the hidden event's time and id), so it is always the cursor of the last
 * event handed out, and null when no visible event follows. The store's cursors are opaque: the cursor of a visible
 * event E is found by reading again from the page's start with a limit that ends exactly at E.
 */
export async function visibleAuditPage(
  log: AuditLog,
  orgId: string,
  query: { limit: number; before?: string },
  visible: (event: AuditEvent) => boolean,
): Promise<{ events: AuditEvent[]; next: string | null }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const events: AuditEvent[] = [];
    // Where the store page holding the last event handed out starts, and that event's index in it.
    let pageStart: string | undefined = query.before;
    let lastAt: { start: string | undefined; index: number } | null = null;
    let more = false;
    let cursor: string | undefined = query.before;
    scan: for (;;) {
      const page = await log.list(orgId, { limit: Math.max(SCAN_PAGE, query.limit + 1), ...(cursor !== undefined && { before: cursor }) });
      pageStart = cursor;
      for (const [index, event] of page.events.entries()) {
        if (!visible(event)) continue;
        // One visible event beyond the page: there is a next page, and it starts after the last one handed out.
        if (events.length === query.limit) {
          more = true;
          break scan;
        }
        events.push(event);
        lastAt = { start: pageStart, index };
      }
      if (page.next === null) break;
      cursor = page.next;
    }
    if (!more || !lastAt) return { events, next: null };
    const last = events.at(-1)!;
    const upTo = await log.list(orgId, { limit: lastAt.index + 1, ...(lastAt.start !== undefined && { before: lastAt.start }) });
    // Events written meanwhile (only possible on the first page, which starts at the newest) shift the positions: again.
    if (upTo.events.at(-1)?.id === last.id && upTo.next !== null) return { events, next: upTo.next };
  }
  throw new ApiProblem(503, 'unavailable', 'the audit log is being written to quickly; try again in a few seconds');
}

/** GET /api/audit: the organisation's log, newest first, for administrators. */
export function auditRoutes(log: AuditLog) {
  const app = new Hono<AppEnv>();
  app.get('/', requireRole('admin'), async (c) => {
    const q = parseOrThrow(auditQuerySchema, c.req.query(), 'audit query');
    const principal = c.get('principal');
    const query = { limit: q.limit, ...(q.before && { before: q.before }) };
    // Events about covert cameras would show they exist: only readers who may see them get them, or their positions.
    const page = hasPermission(principal, 'sensitive-cameras')
      ? await log.list(principal.orgId, query)
      : await visibleAuditPage(log, principal.orgId, query, (e) => !e.sensitive);
    c.header('Cache-Control', 'private, no-store');
    return c.json({ events: page.events, next: page.next });
  });
  return app;
}
