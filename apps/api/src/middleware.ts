import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { LimitExceededError } from '@safer-places/domain';
import type { AuditAction, Principal, Role } from '@safer-places/schemas';
import { AuthenticationError, type TokenVerifier } from './auth';
import { ApiProblem } from './http-errors';

/** What a route says about itself for the audit log (noteAudit in audit.ts); written only if the route succeeds. */
export interface AuditNote {
  action: Extract<AuditAction, 'create' | 'update' | 'delete' | 'import' | 'export'>;
  kind?: string;
  itemIds?: string[];
  detail?: string;
  sensitive?: boolean;
}

export type AppEnv = {
  Variables: {
    principal: Principal;
    audit: AuditNote;
    /**
     * Set by a route whose answer holds only data shared by every organisation (the LSOA tiles): its own
     * Cache-Control stands, even for readers whose other answers must never be cached.
     */
    sharedData: boolean;
  };
};

/** Verifies the bearer token; the principal it yields is the only place routes read orgId and role from. */
export function authenticate(verifier: TokenVerifier) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AuthenticationError('sign in first: send "Authorization: Bearer <token>"');
    let principal: Principal;
    try {
      principal = await verifier.verify(match[1]!);
    } catch (e) {
      throw e instanceof AuthenticationError ? e : new AuthenticationError('the token is invalid or has expired');
    }
    c.set('principal', principal);
    await next();
  });
}

/** The single role check, used on every protected route, locally and on Lambda alike. */
export function requireRole(...roles: readonly Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { role } = c.get('principal');
    if (!roles.includes(role)) {
      throw new ApiProblem(403, 'forbidden', `this needs one of the roles ${roles.join(', ')}; you are signed in as ${role}`);
    }
    await next();
  });
}

/** Reads If-Match as a version number: `"3"`, `W/"3"` or `3`. */
export function expectedVersion(ifMatch: string | undefined): number {
  if (!ifMatch) throw new ApiProblem(428, 'precondition_required', 'send If-Match with the version you edited (the ETag you received) so concurrent edits are not lost');
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!m) throw new ApiProblem(400, 'invalid_request', `If-Match must be a version such as "3"; got ${JSON.stringify(ifMatch)}`);
  return Number(m[1]);
}

export async function readJson(req: { json(): Promise<unknown>; header(name: string): string | undefined }): Promise<unknown> {
  const type = req.header('Content-Type') ?? '';
  if (!/^application\/(geo\+)?json\b/i.test(type)) throw new ApiProblem(415, 'unsupported_media_type', 'send the body as application/json');
  try {
    return await req.json();
  } catch {
    throw new ApiProblem(400, 'invalid_json', 'the request body is not valid JSON');
  }
}

/**
 * Replaces the answer wholesale. Hono's `c.res =` keeps the old answer's headers, which a new body must not inherit
 * (an ETag or Content-Length of the old body); clearing it first drops them.
 */
export function replaceResponse(c: Context, res: Response) {
  c.res = undefined;
  c.res = res;
}

/**
 * Every request gets `budgetMs` (REQUEST_TIME_BUDGET_MS, below API Gateway's 30 s): past it the client gets 503
 * `time_budget_exceeded` naming the budget instead of a gateway error. The timer can only fire while the handler waits
 * (store reads, other I/O): a handler that computes without yielding holds the event loop, which is why the local
 * server runs requests in workers it can stop, and why the Lambda function's own timeout sits between the budget and
 * the gateway's limit. Work that already started is not undone; its late answer is dropped.
 */
export function timeBudget(budgetMs: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ApiProblem(
              503,
              'time_budget_exceeded',
              `the request ran past its time budget of ${budgetMs} ms (REQUEST_TIME_BUDGET_MS) and was stopped; ask for less (a smaller area or scope, fewer months) or try again`,
            ),
          ),
        budgetMs,
      );
    });
    const work = next();
    // If the budget wins, whatever the handler does later must not surface as an unhandled rejection.
    work.catch(() => {});
    try {
      await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  });
}

const JSON_TYPE = /^\s*application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * Answers larger than `maxBytes` (MAX_ANSWER_BYTES) are refused with 413 `limit_exceeded` naming the limit, never cut.
 * Measures the uncompressed body of JSON answers (application/json, application/geo+json); other answers are bounded
 * by their routes (tiles by the tile grid, CSV exports by the analysis limits).
 */
export function boundAnswers(maxBytes: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const res = c.res;
    if (!res.body || !JSON_TYPE.test(res.headers.get('Content-Type') ?? '')) return;
    const declared = Number(res.headers.get('Content-Length') ?? NaN);
    if (Number.isFinite(declared) && declared <= maxBytes) return;
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.byteLength <= maxBytes) {
      replaceResponse(c, new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers }));
      return;
    }
    replaceResponse(c, new Response(null, { status: 500 }));
    throw new LimitExceededError(
      'MAX_ANSWER_BYTES',
      body.byteLength,
      maxBytes,
      `the answer would be ${body.byteLength} bytes, more than the ${maxBytes} one answer may hold (MAX_ANSWER_BYTES); ask for less: a bbox, a smaller scope or area, fewer months (the LSOA layer is drawn from the vector tiles)`,
    );
  });
}
