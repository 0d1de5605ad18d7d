import { systemClock, type Clock } from './clock';
import type { TokenBucket } from './token-bucket';

export interface HttpRequest {
  method?: 'GET' | 'POST';
  url: string;
  /** Form fields for a POST (sent as application/x-www-form-urlencoded). */
  form?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  url: string;
}

export interface RequestContext {
  /** What the request is for, in words, used in error messages: "crimes for 2024-01 in E07000174 tile …". */
  what: string;
  /**
   * Answers returned to the caller as they are instead of being retried or thrown (e.g. police.uk's 10k 503): a list
   * of statuses, or a test of status and headers.
   */
  passThrough?: readonly number[] | ((status: number, headers: Headers) => boolean);
}

export interface HttpClientOptions {
  /** Rate limit shared by every request of this client; none when omitted. */
  bucket?: TokenBucket;
  clock?: Clock;
  /** Retries after the first attempt for 429, 5xx, network errors and timeouts. */
  maxRetries?: number;
  /** First back-off delay; doubles per retry (with jitter) up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a larger value fails the request rather than stalling for hours. */
  maxRetryAfterMs?: number;
  timeoutMs?: number;
  /** Requests in flight at once. */
  maxConcurrent?: number;
  fetch?: typeof fetch;
  random?: () => number;
  userAgent?: string;
  onRetry?: (info: { what: string; attempt: number; delayMs: number; reason: string }) => void;
}

/** A request that failed for good: a 4xx, or a 429/5xx/network error that outlasted every retry. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly url: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/** Parses Retry-After (delta-seconds or an HTTP date) into milliseconds from now; null when absent or invalid. */
export function parseRetryAfter(value: string | null, nowEpochMs = Date.now()): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowEpochMs);
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else this.active--;
  }
}

/**
 * fetch with a shared token bucket, a cap on requests in flight, a timeout per attempt and bounded retries with
 * exponential back-off that honours Retry-After.
 */
export class HttpClient {
  private readonly clock: Clock;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly random: () => number;
  private readonly slots: Semaphore;
  /** Attempts sent (including retries), for progress reports. */
  requests = 0;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxRetries = options.maxRetries ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.timeoutMs = options.timeoutMs ?? 90_000;
    this.fetchFn = options.fetch ?? fetch;
    this.random = options.random ?? Math.random;
    this.slots = new Semaphore(Math.max(1, options.maxConcurrent ?? 6));
  }

  async request(req: HttpRequest, ctx: RequestContext): Promise<HttpResponse> {
    let lastReason = '';
    for (let attempt = 0; ; attempt++) {
      let delayMs: number | null = null;
      let retryAfterMs: number | null = null;
      await this.slots.acquire();
      try {
        if (this.options.bucket) await this.options.bucket.take();
        this.requests++;
        const res = await this.send(req);
        const pass = ctx.passThrough;
        const passes = typeof pass === 'function' ? pass(res.status, res.headers) : (pass?.includes(res.status) ?? false);
        if ((res.status >= 200 && res.status < 300) || passes) return res;
        lastReason = `HTTP ${res.status}${res.text ? `: ${res.text.trim().slice(0, 200)}` : ''}`;
        if (!RETRYABLE.has(res.status)) {
          throw new HttpError(`${ctx.what} failed: ${lastReason} (${req.method ?? 'GET'} ${req.url})`, res.status, req.url);
        }
        if (res.status === 429) this.options.bucket?.drain();
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        if (attempt >= this.maxRetries) {
          throw new HttpError(
            `${ctx.what} failed after ${attempt + 1} attempts: ${lastReason} (${req.method ?? 'GET'} ${req.url})`,
            res.status,
            req.url,
          );
        }
      } catch (err) {
        if (err instanceof HttpError) throw err;
        // Network error or timeout: retry like a 5xx.
        lastReason = describeError(err, this.timeoutMs);
        if (attempt >= this.maxRetries) {
          throw new HttpError(`${ctx.what} failed after ${attempt + 1} attempts: ${lastReason} (${req.url})`, null, req.url);
        }
      } finally {
        this.slots.release();
      }
      if (retryAfterMs !== null) {
        if (retryAfterMs > this.maxRetryAfterMs) {
          throw new HttpError(
            `${ctx.what} failed: the server asked to wait ${Math.round(retryAfterMs / 1000)} s (Retry-After), ` +
              `longer than the ${Math.round(this.maxRetryAfterMs / 1000)} s limit; try again later`,
            null,
            req.url,
          );
        }
        delayMs = retryAfterMs;
      } else {
        const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
        delayMs = exp / 2 + (exp / 2) * this.random(); // "equal jitter": spreads retries without going near zero
      }
      this.options.onRetry?.({ what: ctx.what, attempt: attempt + 1, delayMs, reason: lastReason });
      await this.clock.sleep(delayMs);
    }
  }

  async json<T>(req: HttpRequest, ctx: RequestContext): Promise<T> {
    const res = await this.request(req, ctx);
    return parseJson<T>(res, ctx.what);
  }

  private async send(req: HttpRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'safer-places-fetch-data',
    };
    let body: string | undefined;
    if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    const res = await this.fetchFn(req.url, {
      method: req.method ?? (req.form ? 'POST' : 'GET'),
      headers,
      ...(body !== undefined && { body }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, url: req.url };
  }
}

export function parseJson<T>(res: HttpResponse, what: string): T {
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new HttpError(`${what}: the server did not return JSON (HTTP ${res.status}, ${res.url})`, res.status, res.url);
  }
}

function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${err.message} (${cause.code})` : err.message;
  }
  return String(err);
}
