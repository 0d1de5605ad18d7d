import { writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { localSignInPrincipal, DEMO_ORG_ID } from '@safer-places/domain';
import { DynamoUserDirectory, createDocumentClient, dynamoPorts } from '@safer-places/store';
import type { BaseMapConfig } from '@safer-places/schemas';
import { createApp, type AppDeps } from '../app';
import { createCognitoVerifier, createLocalTokenService } from '../auth';
import type { CognitoSettings } from './cognito-env';
import { cachesFromEnv } from './cache-env';
import { serveInWorker } from './worker-pool';

/**
 * One API worker of the local server (./local-server.ts): builds its own `createApp(deps)` from the serialisable
 * settings the main thread hands it, with its own store client and caches, and serves the requests the pool sends.
 */
export interface ApiWorkerSettings {
  /** The DynamoDB endpoint (the embedded store's process, DynamoDB Local, or AWS). */
  endpoint: string;
  tableName: string;
  mapStyleUrl: string | null;
  /** The base map GET /api/config names (absent: the style of `mapStyleUrl`, or none). */
  basemap?: BaseMapConfig;
  /** Cognito sign-in; else local sign-in with `localSecretHex`. */
  cognito?: CognitoSettings;
  /** The per-install key local tokens are signed with (hex). */
  localSecretHex?: string;
  /** The app's own time budget (REQUEST_TIME_BUDGET_MS unless the server was given another). */
  timeBudgetMs?: number;
  /** The crash test's store-write count, shared by every worker (NODE_ENV=test only). */
  writeCounter?: SharedArrayBuffer;
}

const settings = workerData as ApiWorkerSettings;
const doc = createDocumentClient({ endpoint: settings.endpoint });
const hooks = crashTestHooks(settings.writeCounter);
const ports = dynamoPorts(hooks ? hooks.wrap(doc) : doc, settings.tableName);

let signIn: Pick<AppDeps, 'verifier' | 'config' | 'devSignIn' | 'users'>;
if (settings.cognito) {
  // The users are the identity provider's; the local server cannot administer them (the Lambda does, on AWS).
  const { issuer, clientId, client } = settings.cognito;
  signIn = { verifier: createCognitoVerifier({ issuer, clientId }), config: { mapStyleUrl: settings.mapStyleUrl, ...(settings.basemap && { basemap: settings.basemap }), cognito: client } };
} else {
  if (!settings.localSecretHex) throw new Error('an API worker without Cognito needs the local signing key');
  const tokens = createLocalTokenService(Buffer.from(settings.localSecretHex, 'hex'));
  // Users the demo organisation's administrators invite: one with the name signed in with signs in as stored, and a
  // disabled one not at all.
  const users = new DynamoUserDirectory(doc, settings.tableName);
  signIn = {
    verifier: tokens.verifier,
    config: { mapStyleUrl: settings.mapStyleUrl, ...(settings.basemap && { basemap: settings.basemap }) },
    users,
    devSignIn: { orgId: DEMO_ORG_ID, issue: async (p) => tokens.issue(localSignInPrincipal(await users.list(DEMO_ORG_ID), p)) },
  };
}

const app = createApp({
  ...ports,
  ...signIn,
  // Each worker keeps its own caches: the environment's budget is per worker (docs/operations/local.md).
  caches: cachesFromEnv(process.env),
  ...(settings.timeBudgetMs !== undefined && { limits: { timeBudgetMs: settings.timeBudgetMs } }),
  ...(hooks?.clock && { clock: hooks.clock }),
  log: (entry) => {
    if (entry.level === 'error') console.error(JSON.stringify(entry));
  },
});
serveInWorker(app.fetch);

// ---- test only: the crash test's hooks (test/security/crash.test.ts); read only when NODE_ENV=test ----

/** The DynamoDB document client the store's repositories take. */
type StoreClient = Parameters<typeof dynamoPorts>[0];
const STORE_WRITES = new Set(['PutCommand', 'DeleteCommand', 'UpdateCommand', 'BatchWriteCommand', 'TransactWriteCommand']);

/**
 * With NODE_ENV=test only, and only those set:
 *  - SAFER_PLACES_CRASH_AFTER_WRITES=N: the process kills itself with SIGKILL once N store writes made by requests
 *    (counted across all workers; start-up's writes are the main thread's and not counted) have been carried out
 *    (the N-th lands, its answer is never used); N=0 dies as the first is about to be sent.
 *  - SAFER_PLACES_LOG_WRITES=1: each such write is written to stderr as "store write <n> <command> <sort key>".
 *  - SAFER_PLACES_CLOCK_OFFSET_MS=<ms>: the API's clock runs that far ahead, as a process started that much later.
 * Anywhere else this returns null and nothing is wrapped.
 */
function crashTestHooks(counter: SharedArrayBuffer | undefined, env = process.env) {
  if (env.NODE_ENV !== 'test') return null;
  const crashAfter = env.SAFER_PLACES_CRASH_AFTER_WRITES ? Number(env.SAFER_PLACES_CRASH_AFTER_WRITES) : null;
  const logWrites = env.SAFER_PLACES_LOG_WRITES === '1';
  const offsetMs = env.SAFER_PLACES_CLOCK_OFFSET_MS ? Number(env.SAFER_PLACES_CLOCK_OFFSET_MS) : 0;
  if (crashAfter === null && !logWrites && offsetMs === 0) return null;
  if (crashAfter !== null && !(Number.isInteger(crashAfter) && crashAfter >= 0)) throw new Error('SAFER_PLACES_CRASH_AFTER_WRITES must be a whole number');
  const writes = new Int32Array(counter ?? new SharedArrayBuffer(4));
  // The whole process, every worker and the main thread with it, as kill -9 would.
  const die = () => process.kill(process.pid, 'SIGKILL');
  return {
    ...(offsetMs !== 0 && { clock: { now: () => new Date(Date.now() + offsetMs) } }),
    wrap: (client: StoreClient): StoreClient =>
      new Proxy(client, {
        get(target, prop, receiver) {
          if (prop !== 'send') return Reflect.get(target, prop, receiver);
          return async (command: { constructor: { name: string }; input: Record<string, unknown> }, ...rest: unknown[]) => {
            const type = command.constructor.name;
            const counted = STORE_WRITES.has(type);
            if (counted && crashAfter === 0) die();
            const out: unknown = await Reflect.apply(target.send, target, [command, ...rest]);
            if (!counted) return out;
            const n = Atomics.add(writes, 0, 1) + 1;
            // Synchronously to stderr: a worker's console is relayed by the main thread, which a crash may not let finish.
            if (logWrites) writeSync(2, `store write ${n} ${type} ${sortKeyOf(command.input)}\n`);
            if (n === crashAfter) die();
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
