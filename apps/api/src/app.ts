import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import {
  AreaAnalysisService,
  AssetService,
  BidService,
  CrimePointsCache,
  HotspotService,
  LayerService,
  PlanningService,
  ReferenceService,
  ScopeResolver,
  SearchService,
  parseOrThrow,
  writableKinds,
  type AssetRepository,
  type AuditLog,
  type Clock,
  type IdGenerator,
  type PostcodeRepository,
  type ReferenceRepository,
  type UserDirectory,
} from '@safer-places/domain';
import {
  ASSET_KINDS,
  ASSET_KIND_NAMES,
  MAX_ANSWER_BYTES,
  REQUEST_TIME_BUDGET_MS,
  devSignInSchema,
  hasPermission,
  type ClientConfig,
  type Me,
  type Principal,
} from '@safer-places/schemas';
import { auditRoutes, auditTrail } from './audit';
import { idempotent } from './idempotency';
import type { IdempotencyStore } from './ports';
import type { TokenVerifier } from './auth';
import { compressAnswers } from './compression';
import { ApiProblem, toErrorResponse } from './http-errors';
import { authenticate, boundAnswers, readJson, timeBudget, type AppEnv } from './middleware';
import { areaRoutes } from './routes/areas';
import { assetRoutes } from './routes/assets';
import { bidRoutes } from './routes/bids';
import { hotspotRoutes } from './routes/hotspots';
import { planningRoutes } from './routes/planning';
import { referenceRoutes } from './routes/reference';
import { scopeRoutes } from './routes/scopes';
import { searchRoutes } from './routes/search';
import { tileRoutes } from './routes/tiles';
import { userRoutes } from './routes/users';
import { ContextTileCache, LsoaTileCache, type ContextTileCacheOptions, type LsoaTileCacheOptions } from './tiles';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  assets: AssetRepository;
  reference: ReferenceRepository;
  audit: AuditLog;
  idempotency: IdempotencyStore;
  verifier: TokenVerifier;
  clock?: Clock;
  ids?: IdGenerator;
  config?: Partial<ClientConfig>;
  /** Local only: issues tokens for a chosen role in the given organisation. Absent on Lambda. */
  devSignIn?: { orgId: string; issue(principal: Principal): Promise<{ token: string; expiresAt: string }> };
  log?: (entry: Record<string, unknown>) => void;
  /** The organisation's users for administrators (GET/POST /api/users, PATCH /api/users/:id): Cognito on AWS, the local store locally. */
  users?: UserDirectory;
  /**
   * Per-request limits (packages/schemas' limits.ts by default; tests lower them): the time budget, past which the
   * answer is 503 `time_budget_exceeded`, and the largest JSON answer, past which it is 413 `limit_exceeded`.
   */
  limits?: { timeBudgetMs?: number; maxAnswerBytes?: number };
  /**
   * Memory the analyses may keep per process, in MB: crime points (per district × month and per scope) and monthly
   * counts. Defaults 384 and 64; CRIME_CACHE_MB sets the first on Lambda and locally.
   */
  caches?: { crimeMb?: number; countsMb?: number };
  /** Sizes of the LSOA vector-tile cache (tiles.ts has the defaults). */
  tiles?: LsoaTileCacheOptions;
  /** Sizes of the context-layer tile cache (its own budget; tiles.ts has the defaults). */
  contextTiles?: ContextTileCacheOptions;
  /** A dataset's postcodes (an imported ONS postcode file) for the search; without it postcodes are not searched. */
  postcodes?: PostcodeRepository;
}

const jsonLog = (entry: Record<string, unknown>) => console.log(JSON.stringify(entry));

/** Builds the whole HTTP API. Handlers for Lambda and for local Node only adapt this app. */
export function createApp(deps: AppDeps) {
  const log = deps.log ?? jsonLog;
  const clock = deps.clock ?? { now: () => new Date() };
  const ids = deps.ids ?? { newId: () => crypto.randomUUID() };
  const assetService = new AssetService({
    assets: deps.assets,
    clock,
    ids,
    // Every hand-over of a covert camera is logged before the data leaves (a failed append fails the read).
    onSensitiveRead: (p, kind, itemIds) =>
      deps.audit.append({
        id: ids.newId(),
        orgId: p.orgId,
        at: clock.now().toISOString(),
        userId: p.userId,
        role: p.role,
        action: 'sensitive-read',
        method: 'READ',
        path: `/api/${kind}`,
        status: 200,
        kind,
        itemIds: itemIds.slice(0, 100),
        detail:
          kind === 'cameras'
            ? `${itemIds.length} covert or sensitive camera${itemIds.length === 1 ? '' : 's'}`
            : `${itemIds.length} ${itemIds.length === 1 ? ASSET_KINDS[kind].singular : ASSET_KINDS[kind].label.toLowerCase()} linked to a covert camera`,
        sensitive: true,
      }),
  });
  const MB = 1024 * 1024;
  const referenceService = new ReferenceService(deps.reference, { countsCacheBytes: (deps.caches?.countsMb ?? 64) * MB });
  // The one place scopes are resolved, shared by every analysis (and their caches).
  const scopes = new ScopeResolver(referenceService, assetService, deps.assets);
  const layerService = new LayerService(referenceService, assetService, scopes);
  const crimePoints = new CrimePointsCache(deps.reference, { reference: referenceService, maxBytes: (deps.caches?.crimeMb ?? 384) * MB });
  const areaAnalysis = new AreaAnalysisService(referenceService, crimePoints, assetService);
  const hotspots = new HotspotService(referenceService, crimePoints, scopes);
  const planning = new PlanningService(hotspots.selection, assetService, clock);
  const bidService = new BidService({ reference: referenceService, points: crimePoints, assets: assetService, clock, scopes });
  const tiles = new LsoaTileCache((dataset) => referenceService.lsoas(dataset), deps.tiles);
  const contextTiles = new ContextTileCache((dataset) => referenceService.lsoas(dataset), deps.contextTiles);

  const app = new Hono<AppEnv>();
  app.onError((err, c) => toErrorResponse(err, c, log));
  app.notFound((c) => c.json({ error: 'not_found', detail: `no route ${c.req.method} ${c.req.path}` }, 404));

  const api = new Hono<AppEnv>();
  api.use(secureHeaders());
  api.use(async (c, next) => {
    const started = performance.now();
    await next();
    // Private data: browsers may revalidate with the ETag, shared caches must not keep it. Anything a user with the
    // sensitive-cameras permission reads may hold covert cameras: no cache keeps it at all.
    const principal = c.get('principal') as Principal | undefined;
    if (principal && hasPermission(principal, 'sensitive-cameras') && !c.get('sharedData')) c.header('Cache-Control', 'private, no-store');
    else if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'private, no-cache');
    log({
      level: 'info',
      msg: 'request',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(principal && { orgId: principal.orgId, role: principal.role }),
    });
  });
  api.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiProblem(413, 'payload_too_large', `the request body is larger than the ${MAX_BODY_BYTES / 1024 / 1024} MB limit`);
      },
    }),
  );
  // Compression wraps everything below it, so it sees the final answer (errors included) and compresses it last.
  api.use(compressAnswers());
  api.use(timeBudget(deps.limits?.timeBudgetMs ?? REQUEST_TIME_BUDGET_MS));

  api.get('/health', (c) => c.json({ status: 'ok', time: clock.now().toISOString() }));
  api.get('/config', (c) =>
    c.json<ClientConfig>({
      mapStyleUrl: deps.config?.mapStyleUrl ?? null,
      // The base map to draw (docs/operations/basemap.md); without one configured, the style URL's or none.
      basemap: deps.config?.basemap ?? (deps.config?.mapStyleUrl ? { kind: 'style', url: deps.config.mapStyleUrl } : { kind: 'none' }),
      devSignIn: deps.devSignIn !== undefined,
      ...(deps.config?.cognito && { cognito: deps.config.cognito }),
    }),
  );
  if (deps.devSignIn) {
    const dev = deps.devSignIn;
    api.post('/dev/sign-in', async (c) => {
      const body = parseOrThrow(devSignInSchema, await readJson(c.req), 'sign-in request');
      const name = body.name ?? `Local ${body.role}`;
      const userId = `local-${body.role}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 64);
      return c.json(await dev.issue({ userId, orgId: dev.orgId, role: body.role, name, ...(body.permissions?.length && { permissions: body.permissions }) }));
    });
  }

  // Everything below needs a verified identity.
  api.use('*', authenticate(deps.verifier));
  api.use('*', auditTrail(deps.audit, clock, ids, log));
  // Inside the audit trail: an answer refused for its size is not recorded as an export that happened.
  api.use('*', boundAnswers(deps.limits?.maxAnswerBytes ?? MAX_ANSWER_BYTES));
  api.get('/me', (c) => {
    const p = c.get('principal');
    return c.json<Me>({ userId: p.userId, orgId: p.orgId, role: p.role, name: p.name ?? null, canWrite: writableKinds(p.role), permissions: p.permissions ?? [] });
  });
  api.route('/audit', auditRoutes(deps.audit));
  api.route('/users', userRoutes(deps.users));
  const creates = idempotent(deps.idempotency, clock, log);
  api.route('/', referenceRoutes(referenceService, layerService, scopes));
  api.route('/tiles', tileRoutes(referenceService, tiles, contextTiles));
  const areas = areaRoutes(areaAnalysis, assetService, referenceService, scopes);
  api.route('/areas', areas.areas);
  api.route('/strategic-assessment', areas.strategic);
  api.route('/hotspots', hotspotRoutes(hotspots));
  api.route('/planning', planningRoutes(planning, clock));
  api.route('/', scopeRoutes(scopes, referenceService));
  api.route('/search', searchRoutes(new SearchService({ reference: referenceService, selection: hotspots.selection, ...(deps.postcodes && { postcodes: deps.postcodes }) })));
  // Bid routes before the generic CRUD: /bid-presets is served entirely here (built-in presets plus the organisation's).
  const bidApi = bidRoutes(bidService, assetService, creates);
  api.route('/bids', bidApi.bids);
  api.route('/bid-presets', bidApi.presets);
  api.route('/safer-streets-areas', bidApi.evaluation);
  for (const kind of ASSET_KIND_NAMES) api.route(`/${kind}`, assetRoutes(kind, assetService, creates));

  app.route('/api', api);
  return app;
}

export type App = ReturnType<typeof createApp>;
