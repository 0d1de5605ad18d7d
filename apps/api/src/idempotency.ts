import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { WriteOutcomeUnknownError, type Clock } from '@safer-places/domain';
import { ApiProblem } from './http-errors';
import type { AppEnv } from './middleware';
import type { IdempotencyStore, StoredResponse } from './ports';

const KEY = /^[\x21-\x7e]{1,255}$/;
/** A DynamoDB item holds 400 KB; a larger answer is replayed as a short summary instead. */
const MAX_STORED_BODY = 300_000;
const KEPT_HEADERS = ['content-type', 'etag', 'location'];

/** What makes two requests "the same request": method, path and body. */
async function fingerprintOf(c: Context<AppEnv>): Promise<string> {
  const body = await c.req.text();
  return createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
}

/**
 * The upload id for a request sent with an Idempotency-Key: the same for every retry of it (same user, key, method,
 * path and body), so the store can find an upload an earlier try completed, or clear away one it left unfinished,
 * even after the key's in-flight hold has run out. Null without a key (each such request is an upload of its own).
 */
export async function retryUploadId(c: Context<AppEnv>): Promise<string | null> {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined || !KEY.test(key)) return null;
  const { orgId, userId } = c.get('principal');
  const fingerprint = await fingerprintOf(c);
  return createHash('sha256').update(`${orgId}\n${userId}\n${key}\n${fingerprint}`).digest('hex').slice(0, 40);
}

/**
 * Create routes accept `Idempotency-Key`: the first request with a key runs; a retry with the same key and the same
 * body gets the first answer again (nothing is created twice); the same key with a different body is refused (422).
 * A failed request frees its key, so the client can correct the body and send it again with the same key.
 *
 * The key's record is claimed before the route runs and finished after it; a process that dies in between leaves the
 * claim pending until it expires (IDEMPOTENCY_PENDING_SECONDS), and a retry after that runs the route again. Uploads
 * are bound to their key beyond that (retryUploadId): the store finds the upload an earlier try completed and answers
 * with it, or clears away what an unfinished one left, so even then nothing is stored twice.
 */
export function idempotent(store: IdempotencyStore, clock: Clock, report: (entry: Record<string, unknown>) => void) {
  // The request's own answer stands even if its key's bookkeeping fails; a key left claimed frees itself in a minute.
  const quietly = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (err) {
      report({ level: 'error', msg: `idempotency ${what} failed`, error: String(err) });
    }
  };
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('Idempotency-Key');
    if (key === undefined) return next();
    if (!KEY.test(key)) throw new ApiProblem(400, 'invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID');
    const principal = c.get('principal');
    const scope = { orgId: principal.orgId, userId: principal.userId };
    const fingerprint = await fingerprintOf(c);

    const record = await store.reserve(scope, key, fingerprint, clock.now());
    if (record.state !== 'new') {
      if (record.fingerprint !== fingerprint) {
        throw new ApiProblem(422, 'idempotency_key_reused', `Idempotency-Key "${key}" was already used for a different request; use a new key for a new request`);
      }
      if (record.state === 'pending') {
        c.header('Retry-After', '1');
        throw new ApiProblem(409, 'idempotency_in_progress', `a request with Idempotency-Key "${key}" is still being processed; try again in a moment`);
      }
      const replay = new Response(record.response.body, { status: record.response.status, headers: record.response.headers });
      replay.headers.set('Idempotent-Replayed', 'true');
      return replay;
    }

    const { claim } = record;
    try {
      await next();
    } catch (err) {
      await quietly('release', () => store.release(scope, key, claim));
      throw err;
    }
    // A failure after which the store may hold part of the change keeps its answer: sending it again could duplicate.
    const outcomeUnknown = c.error instanceof WriteOutcomeUnknownError;
    if (c.res.status >= 300 && !outcomeUnknown) {
      await quietly('release', () => store.release(scope, key, claim));
      return;
    }
    let text = await c.res.clone().text();
    if (text.length > MAX_STORED_BODY) {
      text = JSON.stringify({ replayed: true, detail: 'this request already succeeded; its answer was too large to keep, so list the layer to see what it created' });
    }
    const headers: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = c.res.headers.get(h);
      if (v) headers[h] = v;
    }
    const stored: StoredResponse = { status: c.res.status, headers, body: text };
    await quietly('completion', () => store.complete(scope, key, claim, stored, clock.now()));
  });
}
