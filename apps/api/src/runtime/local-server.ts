import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { AssetService, generateDemoDataset, seedDemoIfEmpty } from '@safer-places/domain';
import { DEFAULT_TABLE_NAME, createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamoProcess, type EmbeddedDynamoProcess } from '@safer-places/store/embedded';
import { REQUEST_TIME_BUDGET_MS, siteContentSecurityPolicy, type BaseMapConfig } from '@safer-places/schemas';
import { MAX_BODY_BYTES } from '../app';
import { DEFAULT_PMTILES_ATTRIBUTION, archiveUrlPath, mapStyleUrlOf, plainAttribution, styleBaseMap } from '../basemap/config';
import { readArchiveSummary } from '../basemap/read';
import { serveFileWithRanges } from '../basemap/serve';
import type { ApiWorkerSettings } from './api-worker';
import { readCognitoEnv, type CognitoSettings } from './cognito-env';
import { WorkerPool, startModuleWorker, type WorkerHeap } from './worker-pool';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface LocalOptions {
  port: number;
  host: string;
  dataDir: string;
  /** Use this DynamoDB instead of the embedded one (DynamoDB Local, or AWS). */
  dynamoEndpoint?: string;
  tableName: string;
  /** A MapLibre style for the base map (when `basemap` is not given). Neither: no base map. */
  mapStyleUrl?: string;
  /** The base map (MAP_STYLE_URL: the default public style when unset; `none` or empty for none). */
  basemap?: BaseMapConfig;
  /**
   * A PMTiles base map archive (MAP_PMTILES) served at /basemap/<file name> with range requests; wins over the style.
   * Its attribution: `pmtilesAttribution` (MAP_PMTILES_ATTRIBUTION), else the archive's metadata, else OpenStreetMap.
   */
  pmtilesFile?: string;
  pmtilesAttribution?: string;
  webDist: string;
  log: (line: string) => void;
  /**
   * Sign in with a Cognito user pool (or any identity provider speaking its OAuth endpoints, such as the browser test's
   * fixture) instead of the local sign-in: tokens are checked by the same verifier as on AWS, with the keys published
   * at <issuer>/.well-known/jwks.json, and POST /api/dev/sign-in does not exist. From the COGNITO_* variables.
   */
  cognito?: CognitoSettings;
  /** API worker threads (API_WORKERS; default: the cores available, at least 2). */
  workers?: number;
  /** Requests that may wait for a worker (API_QUEUE_LIMIT; default DEFAULT_QUEUE_LIMIT). */
  queueLimit?: number;
  /** The time budget of one request, in ms (default REQUEST_TIME_BUDGET_MS; tests shorten it). */
  requestBudgetMs?: number;
}

/** A whole number ≥ 1 from an environment variable, or undefined when it is not set. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`environment variable ${name} '${raw}' must be a whole number of at least 1`);
  return n;
}

export function optionsFromEnv(env = process.env): LocalOptions {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? join(REPO_ROOT, '.data')),
    ...(env.DYNAMODB_ENDPOINT && { dynamoEndpoint: env.DYNAMODB_ENDPOINT }),
    tableName: env.TABLE_NAME ?? DEFAULT_TABLE_NAME,
    basemap: styleBaseMap(env.MAP_STYLE_URL),
    ...(env.MAP_PMTILES?.trim() && { pmtilesFile: resolve(env.MAP_PMTILES.trim()) }),
    ...(env.MAP_PMTILES_ATTRIBUTION?.trim() && { pmtilesAttribution: env.MAP_PMTILES_ATTRIBUTION.trim() }),
    webDist: resolve(env.WEB_DIST ?? join(REPO_ROOT, 'apps/web/dist')),
    log: (line) => console.log(line),
    ...withCognito(env),
    ...(positiveInteger(env, 'API_WORKERS') !== undefined && { workers: positiveInteger(env, 'API_WORKERS') }),
    ...(positiveInteger(env, 'API_QUEUE_LIMIT') !== undefined && { queueLimit: positiveInteger(env, 'API_QUEUE_LIMIT') }),
  };
}

function withCognito(env: NodeJS.ProcessEnv): { cognito?: CognitoSettings } {
  const cognito = readCognitoEnv(env, { required: false, allowLoopbackHttp: true });
  return cognito ? { cognito } : {};
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return v4 !== null && v4.slice(1).every((n) => Number(n) <= 255);
}

/**
 * Local sign-in hands an administrator's token, covert-camera permission included, to anyone who asks: it may only
 * ever listen where nobody but this machine can reach it. Throws (the server does not start) otherwise.
 */
export function assertSafeBinding(options: Pick<LocalOptions, 'host' | 'port' | 'cognito'>): void {
  if (options.cognito || isLoopbackHost(options.host)) return;
  throw new Error(
    `refusing to start: HOST is ${options.host}, which is not a loopback address, and local sign-in is on. ` +
      `Anyone who can reach ${options.host}:${options.port} could sign in as an administrator with access to covert cameras. ` +
      `Keep HOST at 127.0.0.1 (or localhost, ::1), or sign in with Cognito instead (set all of COGNITO_ISSUER, COGNITO_CLIENT_ID, ` +
      `COGNITO_USER_POOL_ID, COGNITO_REGION and COGNITO_DOMAIN), which turns local sign-in off.`,
  );
}

/** Hosts put in URLs: IPv6 in brackets. */
const urlHost = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Methods that change something (and sign-in): refused from another origin. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Guards a server on loopback against other web sites. A page elsewhere can make the browser send requests to
 * localhost, or point a name of its own at 127.0.0.1 (DNS rebinding) and read the answers as its own origin:
 * - every request's Host must be localhost, 127.0.0.1 or [::1] (or the address listened on) with the server's port,
 *   else 421 (a rebinding page's requests carry its own name);
 * - a request that changes something, and POST /api/dev/sign-in always, is refused (403) when its Origin is another
 *   origin, or when it has no Origin but the browser says it comes from another site (Sec-Fetch-Site). Clients that
 *   are not browsers send neither and are let through: they run on this machine.
 * `checkHost` false (Cognito sign-in listening beyond loopback): the Host is not checked, and "same origin" is the
 * origin the request was addressed to.
 */
export function localRequestGuard(options: { port: () => number; host: string; checkHost: boolean }): MiddlewareHandler {
  const hostNames = ['localhost', '127.0.0.1', '[::1]', urlHost(options.host.toLowerCase())];
  const authorities = () => {
    const port = options.port();
    return new Set(hostNames.flatMap((h) => (port === 80 ? [`${h}:${port}`, h] : [`${h}:${port}`])));
  };
  const refuse = (c: Parameters<MiddlewareHandler>[0], status: 403 | 421, error: string, detail: string) =>
    c.json({ error, detail }, status, { 'Cache-Control': 'no-store' });
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    const allowed = authorities();
    if (options.checkHost && !allowed.has(host)) {
      return refuse(
        c,
        421,
        'misdirected_request',
        `this local server answers only at http://localhost:${options.port()} (or 127.0.0.1, [::1] on that port); this request was addressed to ` +
          `${host ? `"${host.slice(0, 100)}"` : 'no host'}. Other names are refused so that no other web site can reach it (DNS rebinding).`,
      );
    }
    const signIn = c.req.path === '/api/dev/sign-in';
    if (!SAFE_METHODS.has(c.req.method) || signIn) {
      const origin = c.req.header('origin');
      const own = options.checkHost ? [...allowed].map((a) => `http://${a}`) : [`http://${host}`];
      const fetchSite = c.req.header('sec-fetch-site');
      const crossOrigin = origin !== undefined ? !own.includes(origin.toLowerCase()) : fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none';
      if (crossOrigin) {
        return refuse(
          c,
          403,
          'cross_origin_refused',
          `${signIn ? 'sign-in' : `${c.req.method} requests`} from another origin (${origin ? `"${origin.slice(0, 100)}"` : `Sec-Fetch-Site: ${fetchSite}`}) ` +
            `are refused: use Safer Places at http://localhost:${options.port()} itself.`,
        );
      }
    }
    await next();
  };
}

/** The origin of a URL for a CSP source list, or null when it is not an http(s) URL. */
function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * The web app's Content-Security-Policy on the local server, as the CloudFront site has it (infra/lib/web.ts) without
 * the https-only parts: scripts only from the site, MapLibre's workers from the site or blob:, images also data: and
 * blob:, and fetches to the site, the base map style's origin and the sign-in domain (token and revocation endpoints).
 * Styles allow 'unsafe-inline': MapLibre and React set element styles, and the bid report opened from a blob: URL
 * inherits this policy with its own <style>.
 */
export function localContentSecurityPolicy(options: { mapStyleUrl?: string | null; signInUrl?: string | null }): string {
  // A PMTiles base map is served by this server itself ('self'); only a style on another host adds an origin.
  const origins = [originOf(options.mapStyleUrl), originOf(options.signInUrl)].filter((o): o is string => !!o);
  return siteContentSecurityPolicy(origins, { upgradeInsecureRequests: false });
}

/** Security headers for the web app's pages and files (the API sets its own). */
export function webSecurityHeaders(csp: string): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) return;
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
  };
}

/** A per-install signing key for local tokens, kept beside the data so sign-ins survive restarts. */
function localSecret(dataDir: string): Uint8Array {
  const file = join(dataDir, 'local-signing-key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

export interface RunningServer {
  url: string;
  /** The embedded store's process id (null when DYNAMODB_ENDPOINT names another store). */
  storePid: number | null;
  /** Each API worker's heap after a full garbage collection (tests and diagnostics). */
  workerHeaps(): Promise<WorkerHeap[]>;
  /** The embedded store process's heap after a full collection and its RSS (null with DYNAMODB_ENDPOINT). */
  storeMemory(): Promise<{ heapUsedBytes: number; rssBytes: number } | null>;
  /** API workers, busy ones, requests waiting, workers replaced so far. */
  poolStats(): WorkerPool['stats'];
  close(): Promise<void>;
}

export async function startLocalServer(options: LocalOptions): Promise<RunningServer> {
  const started = performance.now();
  assertSafeBinding(options);
  mkdirSync(options.dataDir, { recursive: true });
  let store: EmbeddedDynamoProcess | undefined;
  let pool: WorkerPool | undefined;
  try {
    const endpoint = options.dynamoEndpoint ?? (store = await startEmbeddedDynamoProcess({ dir: join(options.dataDir, 'dynamodb') })).endpoint;

    // One-time work, before any worker starts: the table and the demo data.
    const doc = createDocumentClient({ endpoint });
    try {
      await ensureTable(doc, options.tableName);
      const { assets, reference } = dynamoPorts(doc, options.tableName);
      const seeded = await seedDemoIfEmpty(
        { reference, assets, assetService: new AssetService({ assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } }) },
        () => generateDemoDataset(),
      );
      if (seeded.seededReference) options.log('Loaded the synthetic demo data set (generated, not real crime data).');
    } finally {
      doc.destroy();
    }

    const basemap = await resolveLocalBaseMap(options);
    const mapStyleUrl = mapStyleUrlOf(basemap);
    const settings: ApiWorkerSettings = {
      endpoint,
      tableName: options.tableName,
      mapStyleUrl,
      basemap,
      ...(options.cognito ? { cognito: options.cognito } : { localSecretHex: Buffer.from(localSecret(options.dataDir)).toString('hex') }),
      ...(process.env.NODE_ENV === 'test' && { writeCounter: new SharedArrayBuffer(4) }),
    };
    const workers = options.workers ?? defaultWorkerCount();
    const budgetMs = options.requestBudgetMs ?? REQUEST_TIME_BUDGET_MS;
    const queueLimit = options.queueLimit ?? DEFAULT_QUEUE_LIMIT;
    pool = await WorkerPool.start({
      size: workers,
      queueLimit,
      // The app in the worker answers its own 503 at the budget where it can (a request waiting on the store); the
      // pool's hard stop, which ends the worker, comes a little later, for work that holds the worker's thread.
      budgetMs: budgetMs + HARD_STOP_MARGIN_MS,
      maxBodyBytes: MAX_BODY_BYTES,
      spawn: () => startModuleWorker(API_WORKER_ENTRY, { ...settings, timeBudgetMs: budgetMs }, { maxHeapMb: API_WORKER_HEAP_MB }),
      log: options.log,
    });
    const api = pool;

    let listeningPort = options.port;
    const root = new Hono();
    root.use('*', localRequestGuard({ port: () => listeningPort, host: options.host, checkHost: !options.cognito || isLoopbackHost(options.host) }));
    root.use('*', webSecurityHeaders(localContentSecurityPolicy({ mapStyleUrl, signInUrl: options.cognito?.client.domain ?? null })));
    // Health is answered here, never queued behind the workers: it says whether this server answers at all.
    root.use('/api/health', secureHeaders());
    root.get('/api/health', (c) => c.json({ status: 'ok', time: new Date().toISOString() }, 200, { 'Cache-Control': 'private, no-cache' }));
    // Every other API path, unknown ones included (they answer as the API does, never with the web app's shell).
    root.all('/api/*', (c) => api.handle(c.req.raw));
    // The PMTiles base map, from this origin, with range requests (the pmtiles protocol reads it piece by piece).
    const archive = options.pmtilesFile;
    if (basemap.kind === 'pmtiles' && archive) {
      root.on(['GET', 'HEAD'], basemap.url, (c) => serveFileWithRanges(c, archive));
      options.log(`Base map: ${archive} at ${basemap.url} (${basemap.attribution}).`);
    }
    // Any other archive path is not found (never the web app's page, which a PMTiles reader would take for data).
    root.all('/basemap/*', (c) => c.json({ error: 'not_found', detail: `no base map archive at ${c.req.path.slice(0, 200)}` }, 404, { 'Cache-Control': 'no-store' }));
    if (existsSync(join(options.webDist, 'index.html'))) {
      root.use('/*', serveStatic({ root: options.webDist }));
      root.get('*', serveStatic({ path: join(options.webDist, 'index.html') }));
    } else {
      root.get('/', (c) => c.text('The web app is not built. Run `npm start` from the repository root (it builds apps/web first).', 503));
    }

    const server: ServerType = await new Promise((ok, fail) => {
      const s = serve({ fetch: root.fetch, port: options.port, hostname: options.host }, () => ok(s));
      s.once('error', fail);
    });
    const { port } = server.address() as AddressInfo;
    listeningPort = port;
    const url = `http://${options.host === '127.0.0.1' ? 'localhost' : urlHost(options.host)}:${port}`;
    options.log(
      `Safer Places is running at ${url} (data in ${options.dataDir}${options.dynamoEndpoint ? `, DynamoDB at ${options.dynamoEndpoint}` : ', embedded DynamoDB in its own process'}, ` +
        `${workers} API worker${workers === 1 ? '' : 's'}) — ready in ${Math.round(performance.now() - started)} ms`,
    );
    if (options.cognito) options.log(`Sign-in: Cognito managed login at ${options.cognito.client.domain} (issuer ${options.cognito.issuer}); local sign-in is off.`);
    let closing: Promise<void> | undefined;
    return {
      url,
      storePid: store?.pid ?? null,
      workerHeaps: () => api.heaps(),
      storeMemory: async () => (store ? store.memory() : null),
      poolStats: () => api.stats,
      close: () =>
        (closing ??= (async () => {
          const closed = new Promise<void>((ok) => server.close(() => ok()));
          (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          await api.close();
          await closed;
          await store?.close();
        })()),
    };
  } catch (err) {
    await pool?.close();
    await store?.close();
    throw err;
  }
}

/**
 * The base map the server offers: the PMTiles archive when one is configured (checked to be a PMTiles v3 file now, so
 * a wrong path stops the start with a clear message instead of a blank map later), else the configured style or none.
 */
export async function resolveLocalBaseMap(options: Pick<LocalOptions, 'basemap' | 'mapStyleUrl' | 'pmtilesFile' | 'pmtilesAttribution'>): Promise<BaseMapConfig> {
  if (options.pmtilesFile) {
    const url = archiveUrlPath(options.pmtilesFile);
    if (!existsSync(options.pmtilesFile)) throw new Error(`MAP_PMTILES: ${options.pmtilesFile} does not exist (download one with npm run fetch-basemap, docs/operations/basemap.md)`);
    const summary = await readArchiveSummary(options.pmtilesFile);
    const attribution = plainAttribution(options.pmtilesAttribution ?? summary.attribution ?? DEFAULT_PMTILES_ATTRIBUTION) || DEFAULT_PMTILES_ATTRIBUTION;
    return { kind: 'pmtiles', url, attribution };
  }
  if (options.basemap) return options.basemap;
  return options.mapStyleUrl ? styleBaseMap(options.mapStyleUrl) : { kind: 'none' };
}

/** How long after the time budget the pool stops a worker that has not answered (the app answers first if it can). */
export const HARD_STOP_MARGIN_MS = 3_000;
/** Each API worker's heap limit: one that outgrows it dies alone and is replaced, the server goes on. */
export const API_WORKER_HEAP_MB = 1_536;

/** Requests that may wait for a free API worker before new ones are refused (429 `queue_full`); API_QUEUE_LIMIT. */
export const DEFAULT_QUEUE_LIMIT = 256;

/** One API worker per core the process may use, and at least two, so one slow request never holds all of them. */
export function defaultWorkerCount(): number {
  return Math.max(2, availableParallelism());
}

/** The worker's module, beside this one (TypeScript when run from source, as `npm start` does). */
const API_WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './api-worker.ts' : './api-worker.js', import.meta.url);
