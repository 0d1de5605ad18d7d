import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker, parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

/**
 * HTTP requests answered by a pool of worker threads, so that a slow or CPU-bound request never blocks the thread
 * that accepts connections (nor the other requests: each worker serves one request at a time).
 *
 * The main thread turns a Request into a plain message (method, URL, headers, body bytes), hands it to an idle
 * worker (or queues it, up to `queueLimit`), and turns the worker's answer back into a Response with the same status,
 * headers and body bytes (transferred, never re-encoded: an ETag or a Content-Encoding set by the app stays true).
 * A request that takes longer than `budgetMs` in its worker is answered 503 `time_budget_exceeded`, and that worker
 * is terminated (which stops even a tight loop) and replaced by a fresh one; so is a worker that crashes or exits.
 * A request that waits longer than `budgetMs` for a worker is answered 503 `time_budget_exceeded` too; a request
 * that finds the queue full is answered 429 `queue_full` at once (too many requests at once: a 4xx naming the limit).
 * Both carry Retry-After.
 */

/** A request as a worker receives it. */
export interface WorkerRequestMessage {
  type: 'request';
  id: number;
  method: string;
  url: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
}

/** A worker's answer to one request. */
export interface WorkerResponseMessage {
  type: 'response';
  id: number;
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer;
}

/** A worker's own heap after a full garbage collection, in bytes. */
export interface WorkerHeap {
  usedHeapBytes: number;
  totalHeapBytes: number;
  /** Memory outside the JavaScript heap that the worker's objects hold (typed arrays' buffers, mostly). */
  externalBytes: number;
}

type FromWorker = { type: 'ready' } | WorkerResponseMessage | ({ type: 'heap'; id: number } & WorkerHeap);

export interface WorkerPoolOptions {
  /** How many workers (at least 1). */
  size: number;
  /** How many requests may wait for a worker; beyond that, 429 `queue_full`. */
  queueLimit: number;
  /** The most time a request may take in its worker, and may wait for one, in ms. */
  budgetMs: number;
  /** Request bodies larger than this are refused (413 `payload_too_large`) before they reach a worker. */
  maxBodyBytes: number;
  /** Starts one worker; it must call `serveInWorker` (or speak its messages). */
  spawn: () => Worker;
  /** Diagnostics (a worker replaced, and why). */
  log?: (line: string) => void;
  /** How the limits are named in answers (the settings an operator can change). */
  names?: { budget?: string; queueLimit?: string };
}

interface Job {
  id: number;
  message: WorkerRequestMessage;
  resolve(res: Response): void;
  queueTimer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  retired: boolean;
  job?: Job;
  budgetTimer?: NodeJS.Timeout;
  heapQueries: Map<number, (heap: WorkerHeap) => void>;
}

/** The pause before starting a worker again after a replacement failed to start. */
const RESTART_DELAY_MS = 1000;

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** Hop-by-hop headers: they describe one connection, not the message, and are not passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

function problem(status: number, error: string, detail: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error, detail }), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}

/** Header pairs of a message, Set-Cookie kept as separate lines, hop-by-hop headers left out. */
export function headerPairs(headers: Headers): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of headers) if (name !== 'set-cookie' && !HOP_BY_HOP.has(name)) pairs.push([name, value]);
  for (const cookie of headers.getSetCookie()) pairs.push(['set-cookie', cookie]);
  return pairs;
}

/** The body of a request, or 'too-large' once it passes `max` bytes (read no further). */
async function readBody(req: Request, max: number): Promise<ArrayBuffer | null | 'too-large'> {
  if (!req.body || req.method === 'GET' || req.method === 'HEAD') return null;
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > max) return 'too-large';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return 'too-large';
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body.buffer;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers started to replace one that ran over its budget, crashed or exited. */
  replaced = 0;

  private constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts `size` workers and resolves once every one is ready (rejects, stopping them, if one fails to start). */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    if (!(Number.isInteger(options.size) && options.size >= 1)) throw new Error(`a worker pool needs at least one worker (asked for ${options.size})`);
    const pool = new WorkerPool(options);
    const starting = Array.from({ length: options.size }, () => pool.addSlot());
    try {
      await Promise.all(starting.map((s) => s.started));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Workers, busy ones, and requests waiting. */
  get stats() {
    return { size: this.slots.length, busy: this.slots.filter((s) => s.job).length, queued: this.queue.length, replaced: this.replaced };
  }

  /** Answers one request through a worker. Never rejects: every failure is an HTTP answer. */
  async handle(req: Request): Promise<Response> {
    if (this.closed) return problem(503, 'shutting_down', 'the server is shutting down', { 'Retry-After': '5' });
    const body = await readBody(req, this.options.maxBodyBytes);
    if (body === 'too-large') {
      return problem(413, 'payload_too_large', `the request body is larger than the ${this.options.maxBodyBytes / 1024 / 1024} MB limit`);
    }
    const idle = this.slots.some((s) => s.ready && !s.job && !s.retired);
    const { budget = 'REQUEST_TIME_BUDGET_MS', queueLimit = 'API_QUEUE_LIMIT' } = this.options.names ?? {};
    if (!idle && this.queue.length >= this.options.queueLimit) {
      return problem(
        429,
        'queue_full',
        `all ${this.slots.length} API workers are busy and ${this.queue.length} requests are already waiting, the queue limit (${queueLimit} = ${this.options.queueLimit}); try again shortly`,
        { 'Retry-After': '2' },
      );
    }
    const id = this.nextId++;
    const message: WorkerRequestMessage = { type: 'request', id, method: req.method, url: req.url, headers: headerPairs(req.headers), body };
    return new Promise<Response>((resolve) => {
      const job: Job = { id, message, resolve };
      job.queueTimer = setTimeout(() => {
        const at = this.queue.indexOf(job);
        if (at < 0) return;
        this.queue.splice(at, 1);
        resolve(
          problem(
            503,
            'time_budget_exceeded',
            `the request waited ${seconds(this.options.budgetMs)} for a free API worker, its whole time budget (${budget} = ${this.options.budgetMs} ms), and was not started; try again shortly`,
            { 'Retry-After': '5' },
          ),
        );
      }, this.options.budgetMs);
      this.queue.push(job);
      this.pump();
    });
  }

  /** Each ready worker's heap after a full garbage collection (for tests and diagnostics; waits for busy workers). */
  async heaps(): Promise<WorkerHeap[]> {
    return Promise.all(
      this.slots
        .filter((s) => s.ready && !s.retired)
        .map(
          (slot) =>
            new Promise<WorkerHeap>((ok) => {
              const id = this.nextId++;
              slot.heapQueries.set(id, ok);
              slot.worker.postMessage({ type: 'heap', id });
            }),
        ),
    );
  }

  /** Stops every worker; requests still waiting or running are answered 503. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      clearTimeout(job.queueTimer);
      job.resolve(problem(503, 'shutting_down', 'the server is shutting down', { 'Retry-After': '5' }));
    }
    await Promise.all(
      this.slots.splice(0).map(async (slot) => {
        slot.retired = true;
        clearTimeout(slot.budgetTimer);
        slot.job?.resolve(problem(503, 'shutting_down', 'the server is shutting down', { 'Retry-After': '5' }));
        slot.job = undefined;
        await slot.worker.terminate();
      }),
    );
  }

  private addSlot(at = this.slots.length): { slot: Slot; started: Promise<void> } {
    const worker = this.options.spawn();
    const slot: Slot = { worker, ready: false, retired: false, heapQueries: new Map() };
    this.slots[at] = slot;
    const started = new Promise<void>((ok, fail) => {
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          slot.ready = true;
          ok();
          this.pump();
        } else if (m.type === 'response') this.answered(slot, m);
        else if (m.type === 'heap') {
          slot.heapQueries.get(m.id)?.({ usedHeapBytes: m.usedHeapBytes, totalHeapBytes: m.totalHeapBytes, externalBytes: m.externalBytes });
          slot.heapQueries.delete(m.id);
        }
      });
      // A worker that fails before it is ready fails its start (retried after a pause, see replace); one that fails
      // later is replaced at once, and the request it was serving is answered.
      worker.on('error', (err) => {
        if (slot.ready) this.failed(slot, `failed: ${err.message}`);
        else fail(err);
      });
      worker.on('exit', (code) => {
        if (slot.ready) this.failed(slot, `exited with code ${code}`);
        else fail(new Error(`an API worker exited (code ${code}) before it was ready`));
      });
    });
    // A failed start is the caller's to report (start) or is retried (replace); never an unhandled rejection.
    started.catch(() => {});
    return { slot, started };
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job || slot.retired) continue;
      const job = this.queue.shift()!;
      clearTimeout(job.queueTimer);
      slot.job = job;
      slot.budgetTimer = setTimeout(() => this.overBudget(slot, job), this.options.budgetMs);
      slot.worker.postMessage(job.message, job.message.body ? [job.message.body] : []);
    }
  }

  private answered(slot: Slot, m: WorkerResponseMessage): void {
    const job = slot.job;
    if (!job || job.id !== m.id || slot.retired) return;
    clearTimeout(slot.budgetTimer);
    slot.job = undefined;
    const body = NULL_BODY_STATUSES.has(m.status) || m.body.byteLength === 0 ? null : m.body;
    const headers = new Headers();
    for (const [name, value] of m.headers) headers.append(name, value);
    job.resolve(new Response(body, { status: m.status, statusText: m.statusText, headers }));
    this.pump();
  }

  private overBudget(slot: Slot, job: Job): void {
    if (slot.job !== job || slot.retired) return;
    const { budget = 'REQUEST_TIME_BUDGET_MS' } = this.options.names ?? {};
    job.resolve(
      problem(
        503,
        'time_budget_exceeded',
        `the request ran longer than its time budget of ${seconds(this.options.budgetMs)} (${budget} = ${this.options.budgetMs} ms) and was stopped; ask for less (a smaller area, fewer months, a larger cell size)`,
      ),
    );
    slot.job = undefined;
    this.replace(slot, `ran over the ${seconds(this.options.budgetMs)} budget on ${job.message.method} ${new URL(job.message.url).pathname}`);
  }

  private failed(slot: Slot, why: string): void {
    if (slot.retired) return;
    clearTimeout(slot.budgetTimer);
    const job = slot.job;
    slot.job = undefined;
    job?.resolve(problem(500, 'worker_failed', `the API worker serving this request ${why}; the request was not completed`));
    this.replace(slot, why);
  }

  /** Stops a worker and puts a fresh one in its place; queued requests wait for it (or for the others). */
  private replace(slot: Slot, why: string): void {
    slot.retired = true;
    clearTimeout(slot.budgetTimer);
    void slot.worker.terminate();
    if (this.closed) return;
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.replaced++;
    this.options.log?.(`An API worker ${why}: replaced by a fresh one.`);
    const { slot: fresh, started } = this.addSlot(at);
    started.catch((err: unknown) => {
      this.options.log?.(`A replacement API worker did not start (${err instanceof Error ? err.message : String(err)}); trying again in ${RESTART_DELAY_MS} ms.`);
      if (this.slots[at] === fresh && !this.closed) setTimeout(() => this.replace(fresh, 'did not start'), RESTART_DELAY_MS);
    });
  }
}

// ---- the worker's side ----

let collectGarbage: (() => void) | undefined;
function fullGc(): void {
  if (!collectGarbage) {
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  collectGarbage();
}

/**
 * Serves the pool's requests in this worker thread with `fetch` (a Hono app's `fetch`), one at a time as the pool
 * sends them, and tells the pool it is ready.
 */
export function serveInWorker(fetch: (req: Request) => Response | Promise<Response>): void {
  const port = parentPort;
  if (!port) throw new Error('serveInWorker runs in a worker thread started by a WorkerPool');
  port.on('message', (m: WorkerRequestMessage | { type: 'heap'; id: number }) => {
    if (m.type === 'heap') {
      fullGc();
      const heap = getHeapStatistics();
      port.postMessage({ type: 'heap', id: m.id, usedHeapBytes: heap.used_heap_size, totalHeapBytes: heap.total_heap_size, externalBytes: heap.external_memory });
      return;
    }
    void (async () => {
      let res: Response;
      try {
        res = await fetch(new Request(m.url, { method: m.method, headers: m.headers, body: m.body }));
      } catch (err) {
        console.error(JSON.stringify({ level: 'error', msg: 'request failed in the API worker', error: err instanceof Error ? err.message : String(err) }));
        res = problem(500, 'internal_error', 'the request failed on the server');
      }
      const body = await res.arrayBuffer();
      const answer: WorkerResponseMessage = { type: 'response', id: m.id, status: res.status, statusText: res.statusText, headers: headerPairs(res.headers), body };
      port.postMessage(answer, [body]);
    })();
  });
  port.postMessage({ type: 'ready' });
}

/** The file URL of tsx's ES module API (`tsx/esm/api`, its import condition), found through tsx's package.json. */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> }).exports['./esm/api'];
  const file = exported?.import?.default;
  if (!file) throw new Error(`tsx at ${dirname(manifest)} has no ES module API (tsx/esm/api) to load TypeScript workers with`);
  return pathToFileURL(join(dirname(manifest), file)).href;
}

/**
 * Starts a worker thread running the ES module at `entry` (a file, or a data: URL) with `workerData`. A TypeScript
 * entry (the repository runs its sources directly; `typescript` defaults to a .ts entry) is loaded through tsx,
 * registered in the worker itself: module hooks of the main thread do not reach worker threads.
 */
export function startModuleWorker(entry: URL, workerData: unknown, options: { typescript?: boolean; maxHeapMb?: number } = {}): Worker {
  const steps: string[] = [];
  if (options.typescript ?? entry.pathname.endsWith('.ts')) {
    steps.push(`const { register } = await import(${JSON.stringify(tsxEsmApi())});`, 'register();');
  }
  steps.push(`await import(${JSON.stringify(entry.href)});`);
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(steps.join('\n'))}`), {
    workerData,
    // A worker that outgrows its heap dies alone (its request answered 500, the worker replaced), never the server.
    ...(options.maxHeapMb && { resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb } }),
  });
}
