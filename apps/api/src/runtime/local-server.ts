import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { AssetService, DEMO_ORG_ID, generateDemoDataset, localSignInPrincipal, seedDemoIfEmpty } from '@safer-places/domain';
import { DEFAULT_TABLE_NAME, DynamoUserDirectory, createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { siteContentSecurityPolicy } from '@safer-places/schemas';
import { createApp, type AppDeps } from '../app';
import { createCognitoVerifier, createLocalTokenService } from '../auth';
import { readCognitoEnv, type CognitoSettings } from './cognito-env';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface LocalOptions {
  port: number;
  host: string;
  dataDir: string;
  /** Use this DynamoDB instead of the embedded one (DynamoDB Local, or AWS). */
  dynamoEndpoint?: string;
  tableName: string;
  mapStyleUrl?: string;
  webDist: string;
  log: (line: string) => void;
  /**
   * Sign in with a Cognito user pool (or any identity provider speaking its OAuth endpoints, such as the browser test's
   * fixture) instead of the local sign-in: tokens are checked by the same verifier as on AWS, with the keys published
   * at <issuer>/.well-known/jwks.json, and POST /api/dev/sign-in does not exist. From the COGNITO_* variables.
   */
  cognito?: CognitoSettings;
}

export function optionsFromEnv(env = process.env): LocalOptions {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? join(REPO_ROOT, '.data')),
    ...(env.DYNAMODB_ENDPOINT && { dynamoEndpoint: env.DYNAMODB_ENDPOINT }),
    tableName: env.TABLE_NAME ?? DEFAULT_TABLE_NAME,
    ...(env.MAP_STYLE_URL && { mapStyleUrl: env.MAP_STYLE_URL }),
    webDist: resolve(env.WEB_DIST ?? join(REPO_ROOT, 'apps/web/dist')),
    log: (line) => console.log(line),
    ...withCognito(env),
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
  close(): Promise<void>;
}

export async function startLocalServer(options: LocalOptions): Promise<RunningServer> {
  const started = performance.now();
  assertSafeBinding(options);
  mkdirSync(options.dataDir, { recursive: true });
  let embedded: EmbeddedDynamo | undefined;
  const endpoint = options.dynamoEndpoint ?? (embedded = await startEmbeddedDynamo({ dir: join(options.dataDir, 'dynamodb') })).endpoint;
  const doc = createDocumentClient({ endpoint });
  await ensureTable(doc, options.tableName);

  const hooks = crashTestHooks();
  const ports = dynamoPorts(hooks ? hooks.wrap(doc) : doc, options.tableName);
  const { assets, reference } = ports;
  const seeded = await seedDemoIfEmpty(
    { reference, assets, assetService: new AssetService({ assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } }) },
    () => generateDemoDataset(),
  );
  if (seeded.seededReference) options.log('Loaded the synthetic demo data set (generated, not real crime data).');

  const mapStyleUrl = options.mapStyleUrl ?? null;
  let signIn: Pick<AppDeps, 'verifier' | 'config' | 'devSignIn' | 'users'>;
  if (options.cognito) {
    // The users are the identity provider's; the local server cannot administer them (the Lambda does, on AWS).
    const { issuer, clientId, client } = options.cognito;
    signIn = { verifier: createCognitoVerifier({ issuer, clientId }), config: { mapStyleUrl, cognito: client } };
  } else {
    const tokens = createLocalTokenService(localSecret(options.dataDir));
    // Users the demo organisation's administrators invite: one with the name signed in with signs in as stored, and a
    // disabled one not at all.
    const users = new DynamoUserDirectory(doc, options.tableName);
    signIn = {
      verifier: tokens.verifier,
      config: { mapStyleUrl },
      users,
      devSignIn: { orgId: DEMO_ORG_ID, issue: async (p) => tokens.issue(localSignInPrincipal(await users.list(DEMO_ORG_ID), p)) },
    };
  }
  const api = createApp({
    ...ports,
    ...signIn,
    ...(hooks?.clock && { clock: hooks.clock }),
    log: (entry) => {
      if (entry.level === 'error') console.error(JSON.stringify(entry));
    },
  });

  let listeningPort = options.port;
  const root = new Hono();
  root.use('*', localRequestGuard({ port: () => listeningPort, host: options.host, checkHost: !options.cognito || isLoopbackHost(options.host) }));
  root.use('*', webSecurityHeaders(localContentSecurityPolicy({ mapStyleUrl, signInUrl: options.cognito?.client.domain ?? null })));
  root.route('/', api);
  // Unknown API paths answer as the API does, never with the web app's shell.
  root.all('/api/*', (c) => c.json({ error: 'not_found', detail: `no route ${c.req.method} ${c.req.path}` }, 404));
  if (existsSync(join(options.webDist, 'index.html'))) {
    root.use('/*', serveStatic({ root: options.webDist }));
    root.get('*', serveStatic({ path: join(options.webDist, 'index.html') }));
  } else {
    root.get('/', (c) => c.text('The web app is not built. Run `npm start` from the repository root (it builds apps/web first).', 503));
  }

  hooks?.arm(); // start-up (table, demo seeding) is done: from here on, writes are the requests'
  const server: ServerType = await new Promise((ok) => {
    const s = serve({ fetch: root.fetch, port: options.port, hostname: options.host }, () => ok(s));
  });
  const { port } = server.address() as AddressInfo;
  listeningPort = port;
  const url = `http://${options.host === '127.0.0.1' ? 'localhost' : urlHost(options.host)}:${port}`;
  options.log(`Safer Places is running at ${url} (data in ${options.dataDir}${options.dynamoEndpoint ? `, DynamoDB at ${options.dynamoEndpoint}` : ', embedded DynamoDB'}) — ready in ${Math.round(performance.now() - started)} ms`);
  if (options.cognito) options.log(`Sign-in: Cognito managed login at ${options.cognito.client.domain} (issuer ${options.cognito.issuer}); local sign-in is off.`);
  return {
    url,
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      doc.destroy();
      await embedded?.close();
    },
  };
}

// ---- test only: the crash test's hooks (test/security/crash.test.ts); read only when NODE_ENV=test ----

/** The DynamoDB document client the store's repositories take. */
type StoreClient = Parameters<typeof dynamoPorts>[0];
const STORE_WRITES = new Set(['PutCommand', 'DeleteCommand', 'UpdateCommand', 'BatchWriteCommand', 'TransactWriteCommand']);

/**
 * With NODE_ENV=test only, and only those set:
 *  - SAFER_PLACES_CRASH_AFTER_WRITES=N: the process kills itself with SIGKILL once N store writes made after start-up
 *    have been carried out (the N-th lands, its answer is never used); N=0 dies as the first is about to be sent.
 *  - SAFER_PLACES_LOG_WRITES=1: each such write is written to stderr as "store write <n> <command> <sort key>".
 *  - SAFER_PLACES_CLOCK_OFFSET_MS=<ms>: the API's clock runs that far ahead, as a process started that much later.
 * Anywhere else this returns null and nothing is wrapped.
 */
function crashTestHooks(env = process.env) {
  if (env.NODE_ENV !== 'test') return null;
  const crashAfter = env.SAFER_PLACES_CRASH_AFTER_WRITES ? Number(env.SAFER_PLACES_CRASH_AFTER_WRITES) : null;
  const logWrites = env.SAFER_PLACES_LOG_WRITES === '1';
  const offsetMs = env.SAFER_PLACES_CLOCK_OFFSET_MS ? Number(env.SAFER_PLACES_CLOCK_OFFSET_MS) : 0;
  if (crashAfter === null && !logWrites && offsetMs === 0) return null;
  if (crashAfter !== null && !(Number.isInteger(crashAfter) && crashAfter >= 0)) throw new Error('SAFER_PLACES_CRASH_AFTER_WRITES must be a whole number');
  let armed = false;
  let writes = 0;
  const die = () => process.kill(process.pid, 'SIGKILL');
  return {
    arm: () => void (armed = true),
    ...(offsetMs !== 0 && { clock: { now: () => new Date(Date.now() + offsetMs) } }),
    wrap: (doc: StoreClient): StoreClient =>
      new Proxy(doc, {
        get(target, prop, receiver) {
          if (prop !== 'send') return Reflect.get(target, prop, receiver);
          return async (command: { constructor: { name: string }; input: Record<string, unknown> }, ...rest: unknown[]) => {
            const type = command.constructor.name;
            const counted = armed && STORE_WRITES.has(type);
            if (counted && crashAfter === 0) die();
            const out: unknown = await Reflect.apply(target.send, target, [command, ...rest]);
            if (!counted) return out;
            writes++;
            if (logWrites) process.stderr.write(`store write ${writes} ${type} ${sortKeyOf(command.input)}\n`);
            if (writes === crashAfter) die();
            return out;
          };
        },
      }),
  };
}

function sortKeyOf(input: Record<string, unknown>): string {
  const item = (input.Item ?? input.Key) as { sk?: unknown } | undefined;
  if (item?.sk !== undefined) return String(item.sk);
  const first = (input.TransactItems as { Put?: { Item?: { sk?: unknown } } }[] | undefined)?.[0]?.Put?.Item?.sk;
  return first === undefined ? '-' : `${String(first)} (transaction)`;
}
