import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ForbiddenError, NotFoundError, parseOrThrow, type AuditLog, type Clock, type IdGenerator } from '@safer-places/domain';
import { auditQuerySchema, hasPermission, type AuditAction, type AuditEvent } from '@safer-places/schemas';
import { ApiProblem } from './http-errors';
import { requireRole, type AppEnv } from './middleware';

/** What a route says about itself for the audit log; written only if the route succeeds. */
export interface AuditNote {
  action: Extract<AuditAction, 'create' | 'update' | 'delete' | 'import' | 'export'>;
  kind?: string;
  itemIds?: string[];
  detail?: string;
  sensitive?: boolean;
}

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

/** GET /api/audit: the organisation's log, newest first, for administrators. */
export function auditRoutes(log: AuditLog) {
  const app = new Hono<AppEnv>();
  app.get('/', requireRole('admin'), async (c) => {
    const q = parseOrThrow(auditQuerySchema, c.req.query(), 'audit query');
    const principal = c.get('principal');
    const page = await log.list(principal.orgId, { limit: q.limit, ...(q.before && { before: q.before }) });
    // Events about covert cameras would show they exist: only readers who may see them get them.
    const events = hasPermission(principal, 'sensitive-cameras') ? page.events : page.events.filter((e) => !e.sensitive);
    c.header('Cache-Control', 'private, no-store');
    return c.json({ events, next: page.next });
  });
  return app;
}
