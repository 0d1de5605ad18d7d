import { createMiddleware } from 'hono/factory';
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

export type AppEnv = { Variables: { principal: Principal; audit: AuditNote } };

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
