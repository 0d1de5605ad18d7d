import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { AssetService, DEMO_ORG_ID, generateDemoDataset, seedDemoIfEmpty } from '@safer-places/domain';
import { DEFAULT_TABLE_NAME, DynamoAssetRepository, DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { createApp } from '../app';
import { createLocalTokenService } from '../auth';

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
  mkdirSync(options.dataDir, { recursive: true });
  let embedded: EmbeddedDynamo | undefined;
  const endpoint = options.dynamoEndpoint ?? (embedded = await startEmbeddedDynamo({ dir: join(options.dataDir, 'dynamodb') })).endpoint;
  const doc = createDocumentClient({ endpoint });
  await ensureTable(doc, options.tableName);

  const assets = new DynamoAssetRepository(doc, options.tableName);
  const reference = new DynamoReferenceRepository(doc, options.tableName);
  const seeded = await seedDemoIfEmpty(
    { reference, assets, assetService: new AssetService({ assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } }) },
    () => generateDemoDataset(),
  );
  if (seeded.seededReference) options.log('Loaded the synthetic demo data set (generated, not real crime data).');

  const tokens = createLocalTokenService(localSecret(options.dataDir));
  const api = createApp({
    assets,
    reference,
    verifier: tokens.verifier,
    config: { mapStyleUrl: options.mapStyleUrl ?? null },
    devSignIn: { orgId: DEMO_ORG_ID, issue: (p) => tokens.issue(p) },
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
  return {
    url,
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      doc.destroy();
      await embedded?.close();
    },
  };
}
