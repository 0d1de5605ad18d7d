import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSET_KIND_NAMES, ROLES, type AssetKind, type Role } from '@safer-places/schemas';
import { recordFigure } from './figures';
import { ORG_A, ORG_B, startSecurityApp, validBody, type SecurityApp } from './support/security-app';

/**
 * The role matrix, written down here independently of the code: who may call each route. "public" routes need no
 * token; every other route needs one, and a role outside its list gets 403 before anything is read or written.
 */
const EVERYONE = ROLES;
const WRITERS: Record<AssetKind, readonly Role[]> = {
  cameras: ['planner', 'admin'],
  'help-points': ['planner', 'admin'],
  'pspo-zones': ['analyst', 'planner', 'admin'],
  'safer-streets-areas': ['bid-writer', 'analyst', 'admin'],
  bids: ['bid-writer', 'analyst', 'admin'],
  'bid-presets': ['bid-writer', 'analyst', 'admin'],
  areas: ['analyst', 'admin'],
  'patrol-visits': ['planner', 'admin'],
  'camera-deployments': ['planner', 'admin'],
  'partnership-areas': ['analyst', 'admin'],
};

const MATRIX: Record<string, readonly Role[] | 'public'> = {
  'GET /api/health': 'public',
  'GET /api/config': 'public',
  'POST /api/dev/sign-in': 'public',
  'GET /api/me': EVERYONE,
  'GET /api/audit': ['admin'],
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'GET /api/datasets': EVERYONE,
  'GET /api/datasets/:id/imports': ['admin'],
  'GET /api/layers/:layer': EVERYONE,
  'GET /api/layers/cameras/coverage': EVERYONE,
  'GET /api/lsoas/stats': EVERYONE,
  'GET /api/tiles/lsoas/:z/:x/:y': EVERYONE,
  'GET /api/tiles/context/:z/:x/:y': EVERYONE,
  'POST /api/areas/analyse': EVERYONE,
  'GET /api/areas/:id/stats': EVERYONE,
  'GET /api/areas/:id/export.csv': EVERYONE,
  'GET /api/areas/:id/export.geojson': EVERYONE,
  'GET /api/strategic-assessment': EVERYONE,
  'GET /api/hotspots': EVERYONE,
  'GET /api/hotspots/top.csv': EVERYONE,
  'GET /api/hotspots/change': EVERYONE,
  'GET /api/hotspots/density': EVERYONE,
  'GET /api/planning/patrol': EVERYONE,
  'GET /api/planning/patrol.gpx': EVERYONE,
  'GET /api/planning/patrol.geojson': EVERYONE,
  'POST /api/planning/coverage': EVERYONE,
  'POST /api/planning/sites': EVERYONE,
  'POST /api/planning/camera-views': EVERYONE,
  'GET /api/planning/rotation': EVERYONE,
  'GET /api/planning/help-points': EVERYONE,
  'GET /api/planning/dosage': EVERYONE,
  'POST /api/bids/eligibility': EVERYONE,
  'POST /api/bids/selection': EVERYONE,
  'GET /api/bids/:id/pack': EVERYONE,
  'GET /api/bids/:id/report.html': EVERYONE,
  'GET /api/safer-streets-areas/:id/evaluation': EVERYONE,
  'GET /api/scopes': EVERYONE,
  'GET /api/search': EVERYONE,
  'PUT /api/home-scope': ['admin'],
  ...Object.fromEntries(
    ASSET_KIND_NAMES.flatMap((kind) => [
      [`GET /api/${kind}`, EVERYONE],
      [`GET /api/${kind}/:id`, EVERYONE],
      [`POST /api/${kind}`, WRITERS[kind]],
      [`POST /api/${kind}/import`, WRITERS[kind]],
      [`PUT /api/${kind}/:id`, WRITERS[kind]],
      [`DELETE /api/${kind}/:id`, WRITERS[kind]],
    ]),
  ),
};

let s: SecurityApp;
const ids = new Map<AssetKind, string>();
const routes: { method: string; path: string }[] = [];

beforeAll(async () => {
  s = await startSecurityApp();
  const seen = new Set<string>();
  for (const r of s.app.routes) {
    const key = `${r.method} ${r.path}`;
    if (r.method === 'ALL' || seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: r.method, path: r.path });
  }
  // One real item of every kind in organisation A (the camera first: deployments need a re-deployable camera).
  for (const kind of ASSET_KIND_NAMES) {
    const res = await s.call('POST', `/api/${kind}`, { role: 'admin', body: validBody(kind, { redeployableCameraId: ids.get('cameras') }) });
    expect(res.status, `${kind}: ${res.text}`).toBe(201);
    ids.set(kind, res.json.id);
  }
});
afterAll(() => s?.close());

/** The concrete path for a route pattern: real ids of organisation A's items, a real layer and dataset. */
function concrete(path: string): string {
  const kind = ASSET_KIND_NAMES.find((k) => path.startsWith(`/api/${k}/:id`)) ?? (path.startsWith('/api/bids/:id') ? 'bids' : null);
  const concretePath = path
    .replace(':id', path.startsWith('/api/datasets/') ? s.datasetId : kind ? ids.get(kind)! : 'x')
    .replace(':layer', 'cameras');
  // The evaluation needs its start month; with it, the only thing left to refuse is the item itself.
  return path.endsWith('/evaluation') ? `${concretePath}?start=2024-06` : concretePath;
}

/** A request that passes the role check if the role is allowed: bodies are minimal, so no write can succeed. */
const bodyFor = (method: string) => (method === 'POST' || method === 'PUT' ? {} : undefined);

describe('every route × every role', () => {
  it('every route the app serves has a row in the matrix, and every row is a route', () => {
    const served = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(served.filter((r) => !(r in MATRIX)), 'routes with no row in the role matrix').toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !served.includes(r)), 'rows for routes that do not exist').toEqual([]);
    expect(served.length).toBe(Object.keys(MATRIX).length);
  });

  it('answers each role as the matrix says, and nothing is written', async () => {
    const before = await Promise.all(ASSET_KIND_NAMES.map((k) => s.stored(ORG_A, k)));
    let checks = 0;
    let denied = 0;
    const wrong: string[] = [];
    for (const { method, path } of routes) {
      const allowed = MATRIX[`${method} ${path}`]!;
      if (allowed === 'public') continue;
      // No token at all: 401 on every protected route.
      const anonymous = await s.call(method, concrete(path), { body: bodyFor(method) });
      if (anonymous.status !== 401) wrong.push(`${method} ${path} without a token: ${anonymous.status}`);
      for (const role of ROLES) {
        const res = await s.call(method, concrete(path), { role, body: bodyFor(method) });
        checks++;
        if (allowed.includes(role)) {
          if (res.status === 401 || res.status === 403 || res.status >= 500) wrong.push(`${method} ${path} as ${role}: ${res.status} ${res.text.slice(0, 120)}`);
        } else {
          denied++;
          if (res.status !== 403) wrong.push(`${method} ${path} as ${role}: expected 403, got ${res.status}`);
          else if (!res.json?.detail?.includes(role)) wrong.push(`${method} ${path} as ${role}: the 403 does not name the role: ${res.text}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    const after = await Promise.all(ASSET_KIND_NAMES.map((k) => s.stored(ORG_A, k)));
    expect(after).toEqual(before);
    expect(s.errors).toEqual([]);
    const protectedRoutes = routes.filter((r) => MATRIX[`${r.method} ${r.path}`] !== 'public').length;
    recordFigure('Roles', 'routes × roles checked', `${protectedRoutes} protected routes × ${ROLES.length} roles = ${checks} checks (${denied} refused with 403), all as the matrix says`);
    recordFigure('Roles', 'requests without a token', `${protectedRoutes}/${protectedRoutes} answered 401`);
    const refusals = (await s.auditEvents(ORG_A)).filter((e) => e.action === 'denied').length;
    expect(refusals).toBe(denied);
    recordFigure('Roles', 'refusals in the audit log', `${refusals}/${denied}`);
  });
});

describe('organisation isolation', () => {
  it("another organisation's items are 404 on every item route, for every role, and each attempt is audited", async () => {
    const itemRoutes = routes.filter((r) => r.path.includes(':id') && !r.path.startsWith('/api/datasets/'));
    const before = await Promise.all(ASSET_KIND_NAMES.map((k) => s.stored(ORG_A, k)));
    const auditBefore = (await s.auditEvents(ORG_B)).length;
    let attempts = 0;
    let leaked = 0;
    const wrong: string[] = [];
    for (const { method, path } of itemRoutes) {
      for (const role of ROLES) {
        const allowed = MATRIX[`${method} ${path}`] as readonly Role[];
        if (!allowed.includes(role)) continue; // the role check answers first (403), tested above
        const headers = method === 'PUT' || method === 'DELETE' ? { 'If-Match': '"1"' } : undefined;
        const kind = ASSET_KIND_NAMES.find((k) => path.startsWith(`/api/${k}/`));
        const body = method === 'PUT' && kind ? validBody(kind, { redeployableCameraId: ids.get('cameras') }) : undefined;
        const res = await s.call(method, concrete(path), { role, orgId: ORG_B, ...(headers && { headers }), ...(body && { body }) });
        attempts++;
        if (res.status !== 404) wrong.push(`${method} ${path} as ${role} of ${ORG_B}: ${res.status} ${res.text.slice(0, 160)}`);
        if (res.text.includes('Security suite')) leaked++;
      }
    }
    // Lists and layers never show another organisation's items either.
    for (const kind of ASSET_KIND_NAMES) {
      const list = await s.call('GET', `/api/${kind}`, { role: 'admin', orgId: ORG_B });
      attempts++;
      // Built-in bid presets are the product's, shared by everyone; anything else would be another organisation's.
      if (list.json.items.filter((i: { builtIn?: boolean }) => !i.builtIn).length !== 0) leaked++;
    }
    const layer = await s.call('GET', '/api/layers/cameras', { role: 'admin', orgId: ORG_B });
    attempts++;
    if (layer.json.features.length !== 0) leaked++;

    expect(wrong).toEqual([]);
    expect(leaked).toBe(0);
    expect(await Promise.all(ASSET_KIND_NAMES.map((k) => s.stored(ORG_A, k)))).toEqual(before);
    const notFound = (await s.auditEvents(ORG_B)).slice(0, (await s.auditEvents(ORG_B)).length - auditBefore).filter((e) => e.action === 'not-found');
    const itemAttempts = attempts - ASSET_KIND_NAMES.length - 1;
    expect(notFound.length).toBe(itemAttempts);
    expect(await s.auditEvents(ORG_A).then((e) => e.filter((x) => x.orgId !== ORG_A))).toEqual([]);
    recordFigure('Organisation isolation', 'cross-organisation reads and writes that succeeded', `0 of ${attempts} attempts (${itemAttempts} item routes × allowed roles, ${ASSET_KIND_NAMES.length + 1} lists/layers)`);
    recordFigure('Organisation isolation', 'attempts in the audit log', `${notFound.length}/${itemAttempts} as not-found events`);
  });
});
