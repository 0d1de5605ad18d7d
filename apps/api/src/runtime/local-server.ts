import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { AssetService, DEMO_ORG_ID, generateDemoDataset, seedDemoIfEmpty } from '@safer-places/domain';
import { DEFAULT_TABLE_NAME, createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
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
  mkdirSync(options.dataDir, { recursive: true });
  let embedded: EmbeddedDynamo | undefined;
  const endpoint = options.dynamoEndpoint ?? (embedded = await startEmbeddedDynamo({ dir: join(options.dataDir, 'dynamodb') })).endpoint;
  const doc = createDocumentClient({ endpoint });
  await ensureTable(doc, options.tableName);

  const ports = dynamoPorts(doc, options.tableName);
  const { assets, reference } = ports;
  const seeded = await seedDemoIfEmpty(
    { reference, assets, assetService: new AssetService({ assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } }) },
    () => generateDemoDataset(),
  );
  if (seeded.seededReference) options.log('Loaded the synthetic demo data set (generated, not real crime data).');

  const mapStyleUrl = options.mapStyleUrl ?? null;
  let signIn: Pick<AppDeps, 'verifier' | 'config' | 'devSignIn'>;
  if (options.cognito) {
    const { issuer, clientId, client } = options.cognito;
    signIn = { verifier: createCognitoVerifier({ issuer, clientId }), config: { mapStyleUrl, cognito: client } };
  } else {
    const tokens = createLocalTokenService(localSecret(options.dataDir));
    signIn = { verifier: tokens.verifier, config: { mapStyleUrl }, devSignIn: { orgId: DEMO_ORG_ID, issue: (p) => tokens.issue(p) } };
  }
  const api = createApp({
    ...ports,
    ...signIn,
    log: (entry) => {
      if (entry.level === 'error') console.error(JSON.stringify(entry));
    },
  });

  const root = new Hono();
  root.route('/', api);
  // Unknown API paths answer as the API does, never with the web app's shell.
  root.all('/api/*', (c) => c.json({ error: 'not_found', detail: `no route ${c.req.method} ${c.req.path}` }, 404));
  if (existsSync(join(options.webDist, 'index.html'))) {
    root.use('/*', serveStatic({ root: options.webDist }));
    root.get('*', serveStatic({ path: join(options.webDist, 'index.html') }));
  } else {
    root.get('/', (c) => c.text('The web app is not built. Run `npm start` from the repository root (it builds apps/web first).', 503));
  }

  const server: ServerType = await new Promise((ok) => {
    const s = serve({ fetch: root.fetch, port: options.port, hostname: options.host }, () => ok(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host === '127.0.0.1' ? 'localhost' : options.host}:${port}`;
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
