import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  AlreadyExistsError,
  DomainError,
  ForbiddenError,
  LimitExceededError,
  NotFoundError,
  PortThrottledError,
  UnprocessableError,
  ValidationError,
  VersionConflictError,
  WriteOutcomeUnknownError,
} from '@safer-places/domain';
import type { ApiError } from '@safer-places/schemas';
import { AuthenticationError } from './auth';

export class ApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

export function problem(c: Context, status: ContentfulStatusCode, error: string, detail: string) {
  return c.json<ApiError>({ error, detail }, status);
}

const STATUS: [new (...a: never[]) => DomainError, ContentfulStatusCode][] = [
  [ValidationError, 400],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [VersionConflictError, 409],
  [AlreadyExistsError, 409],
  [UnprocessableError, 422],
  [LimitExceededError, 413],
];

/**
 * The AWS SDK's own load refusals and timeouts that an adapter let through once its retries ran out (a read that kept
 * being throttled, say). The SDK builds these from the wire with no class of ours to test, so they are known by the
 * SDK's error names; every failure type of this product is mapped with `instanceof` above this fallback.
 */
const SDK_REFUSAL = /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|TimeoutError/;
const isSdkRefusal = (err: unknown) => SDK_REFUSAL.test(String((err as { name?: unknown } | null)?.name ?? ''));

/** One place that turns every failure into `{error, detail}` with the right status; internals never leak. */
export function toErrorResponse(err: unknown, c: Context, log: (entry: Record<string, unknown>) => void) {
  if (err instanceof ApiProblem) return problem(c, err.status, err.code, err.message);
  if (err instanceof AuthenticationError) return problem(c, 401, 'unauthorized', err.message);
  if (err instanceof DomainError) {
    const status = STATUS.find(([type]) => err instanceof type)?.[1] ?? 400;
    if (err instanceof VersionConflictError && err.currentVersion !== null) c.header('ETag', `"${err.currentVersion}"`);
    if (err instanceof LimitExceededError) {
      // The limit's name, what was asked and the most allowed, so a client can say what would fit.
      return c.json({ error: err.code, detail: err.message, limit: err.limit, asked: err.asked, max: err.max }, status);
    }
    if (err instanceof UnprocessableError && err.point) {
      return c.json({ error: err.code, detail: err.message, point: err.point }, status);
    }
    return problem(c, status, err.code, err.message);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return problem(c, status, status === 413 ? 'payload_too_large' : 'http_error', err.message || 'request failed');
  }
  if (err instanceof WriteOutcomeUnknownError) {
    log({ level: 'error', msg: 'write outcome unknown', error: String(err) });
    return problem(c, 500, 'write_outcome_unknown', 'the data store failed part-way and part of this change may have been saved; look at the layer before sending it again');
  }
  if (err instanceof PortThrottledError || isSdkRefusal(err)) {
    c.header('Retry-After', '2');
    return problem(c, 503, 'unavailable', 'the data store is busy; nothing was changed, try again in a few seconds');
  }
  log({ level: 'error', msg: 'unhandled error', error: String(err), stack: (err as Error).stack });
  return problem(c, 500, 'internal_error', 'something went wrong on our side; please try again');
}
