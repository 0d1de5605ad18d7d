import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSET_KIND_NAMES } from '@safer-places/schemas';
import { recordFigure } from './figures';
import { ORG_A, ORG_B, SQUARE, TOKEN_SECRET, startSecurityApp, validBody, type CallResult, type SecurityApp } from './support/security-app';

let s: SecurityApp;
let areaId: string;
let otherOrgAreaId: string;
let covertCameraId: string;

/** Every item of every kind in both organisations, read from the store: "nothing was written" means this is unchanged. */
const snapshot = async () => JSON.stringify(await Promise.all([ORG_A, ORG_B].flatMap((org) => ASSET_KIND_NAMES.map((k) => s.stored(org, k)))));

const signed = (claims: Record<string, unknown>, opts: { audience?: string; issuer?: string; expiresIn?: string | number; secret?: Uint8Array } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-x')
    .setIssuer(opts.issuer ?? 'safer-places-local')
    .setAudience(opts.audience ?? 'safer-places')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h')
    .sign(opts.secret ?? TOKEN_SECRET);

interface ApiCase {
  name: string;
  /** Runs the request(s); returns the response to judge. */
  run(): Promise<CallResult>;
  status: number;
  /** A part of `detail` that names the problem. */
  message: string;
  /** Cases that legitimately write (a replay) say what the store must hold afterwards instead of "unchanged". */
  writes?: () => Promise<void>;
}

const area = (name: string) => ({ name, theme: 'asb', geometry: SQUARE });

const cases: ApiCase[] = [
  {
    name: "another organisation's item id (read)",
    run: () => s.call('GET', `/api/areas/${otherOrgAreaId}`, { role: 'admin' }),
    status: 404,
    message: 'in your organisation',
  },
  {
    name: "another organisation's item id (change)",
    run: () => s.call('PUT', `/api/areas/${otherOrgAreaId}`, { role: 'admin', headers: { 'If-Match': '"1"' }, body: area('Taken over') }),
    status: 404,
    message: 'in your organisation',
  },
  {
    name: "another organisation's item id (delete)",
    run: () => s.call('DELETE', `/api/areas/${otherOrgAreaId}`, { role: 'admin', headers: { 'If-Match': '"1"' } }),
    status: 404,
    message: 'in your organisation',
  },
  {
    name: "another organisation's item in an export",
    run: () => s.call('GET', `/api/areas/${otherOrgAreaId}/export.geojson`, { role: 'analyst' }),
    status: 404,
    message: 'in your organisation',
  },
  { name: 'viewer write', run: () => s.call('POST', '/api/areas', { role: 'viewer', body: area('Viewer area') }), status: 403, message: 'signed in as viewer' },
  { name: 'viewer upload', run: () => s.call('POST', '/api/cameras/import', { role: 'viewer', body: { items: [validBody('cameras')] } }), status: 403, message: 'signed in as viewer' },
  { name: 'bid writer changing a camera', run: () => s.call('POST', '/api/cameras', { role: 'bid-writer', body: validBody('cameras') }), status: 403, message: 'signed in as bid-writer' },
  { name: 'no token', run: () => s.call('POST', '/api/areas', { body: area('Anonymous') }), status: 401, message: 'sign in first' },
  {
    name: 'wrong token audience',
    run: async () => s.call('POST', '/api/areas', { token: await signed({ org: ORG_A, role: 'admin' }, { audience: 'some-other-app' }), body: area('Wrong audience') }),
    status: 401,
    message: 'invalid or has expired',
  },
  {
    name: 'wrong token issuer',
    run: async () => s.call('POST', '/api/areas', { token: await signed({ org: ORG_A, role: 'admin' }, { issuer: 'https://evil.example' }), body: area('Wrong issuer') }),
    status: 401,
    message: 'invalid or has expired',
  },
  {
    name: 'expired token',
    run: async () => s.call('POST', '/api/areas', { token: await signed({ org: ORG_A, role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }), body: area('Expired') }),
    status: 401,
    message: 'invalid or has expired',
  },
  {
    name: 'token signed with another key',
    run: async () => s.call('POST', '/api/areas', { token: await signed({ org: ORG_A, role: 'admin' }, { secret: new TextEncoder().encode('not-the-secret-not-the-secret-not!') }), body: area('Forged') }),
    status: 401,
    message: 'invalid or has expired',
  },
  {
    name: 'unsigned token (alg none)',
    run: async () => {
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const token = `${b64({ alg: 'none' })}.${b64({ sub: 'x', org: ORG_A, role: 'admin', iss: 'safer-places-local', aud: 'safer-places', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
      return s.call('POST', '/api/areas', { token, body: area('Unsigned') });
    },
    status: 401,
    message: 'invalid or has expired',
  },
  {
    name: 'token with an unknown role',
    run: async () => s.call('POST', '/api/areas', { token: await signed({ org: ORG_A, role: 'superuser' }), body: area('Unknown role') }),
    status: 401,
    message: 'no known role',
  },
  {
    name: 'reused idempotency key with a different body',
    run: async () => {
      const first = await s.call('POST', '/api/areas', { role: 'analyst', headers: { 'Idempotency-Key': 'corpus-key-1' }, body: area('First body') });
      expect(first.status).toBe(201);
      return s.call('POST', '/api/areas', { role: 'analyst', headers: { 'Idempotency-Key': 'corpus-key-1' }, body: area('Second body') });
    },
    status: 422,
    message: 'already used for a different request',
    writes: async () => {
      const names = (await s.stored(ORG_A, 'areas')).map((a) => a.name);
      expect(names.filter((n) => n === 'First body')).toHaveLength(1);
      expect(names).not.toContain('Second body');
    },
  },
  {
    name: 'invalid idempotency key',
    run: () => s.call('POST', '/api/areas', { role: 'analyst', headers: { 'Idempotency-Key': 'x'.repeat(300) }, body: area('Long key') }),
    status: 400,
    message: 'Idempotency-Key must be 1 to 255',
  },
  {
    name: 'stale version',
    run: async () => {
      const current = await s.call('GET', `/api/areas/${areaId}`, { role: 'analyst' });
      const stale = Number(JSON.parse(current.headers.get('ETag')!)) - 1;
      return s.call('PUT', `/api/areas/${areaId}`, { role: 'analyst', headers: { 'If-Match': `"${stale}"` }, body: area('Stale edit') });
    },
    status: 409,
    message: 'reload it and apply your change again',
  },
  { name: 'no If-Match on a change', run: () => s.call('PUT', `/api/areas/${areaId}`, { role: 'analyst', body: area('Blind edit') }), status: 428, message: 'send If-Match' },
  { name: 'orgId in the body', run: () => s.call('POST', '/api/areas', { role: 'analyst', body: { ...area('Org smuggle'), orgId: ORG_B } }), status: 400, message: '"orgId"' },
  { name: 'version in the body', run: () => s.call('POST', '/api/areas', { role: 'analyst', body: { ...area('Version smuggle'), version: 99 } }), status: 400, message: '"version"' },
  { name: 'createdBy in the body', run: () => s.call('POST', '/api/areas', { role: 'analyst', body: { ...area('Author smuggle'), createdBy: 'someone-else' } }), status: 400, message: '"createdBy"' },
  {
    name: 'id in the body of a change',
    run: async () => {
      const current = await s.call('GET', `/api/areas/${areaId}`, { role: 'analyst' });
      return s.call('PUT', `/api/areas/${areaId}`, { role: 'analyst', headers: { 'If-Match': current.headers.get('ETag')! }, body: { ...area('Id smuggle'), id: otherOrgAreaId } });
    },
    status: 400,
    message: '"id"',
  },
  {
    name: 'body over 1 MB',
    run: () => s.call('POST', '/api/areas', { role: 'analyst', body: { ...area('Huge'), notes: 'x'.repeat(1_100_000) } }),
    status: 413,
    message: '1 MB limit',
  },
  {
    name: 'upload of 501 items',
    run: () => s.call('POST', '/api/cameras/import', { role: 'planner', body: { items: Array.from({ length: 501 }, () => validBody('cameras')) } }),
    status: 400,
    message: 'at most 500',
  },
  { name: 'page size over the limit', run: () => s.call('GET', '/api/areas?limit=5000', { role: 'viewer' }), status: 400, message: 'at most 1000' },
  { name: 'layer features over the limit', run: () => s.call('GET', '/api/layers/lsoas?limit=50000', { role: 'viewer' }), status: 400, message: 'limit' },
  { name: 'audit page over the limit', run: () => s.call('GET', '/api/audit?limit=1000', { role: 'admin' }), status: 400, message: 'at most 200' },
  { name: 'text/plain body', run: () => s.call('POST', '/api/areas', { role: 'analyst', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(area('Plain')) }), status: 415, message: 'application/json' },
  { name: 'broken JSON', run: () => s.call('POST', '/api/areas', { role: 'analyst', body: '{"name": "Broken", ' }), status: 400, message: 'not valid JSON' },
  {
    name: 'covert camera without the permission',
    run: () => s.call('POST', '/api/cameras', { role: 'planner', body: { ...validBody('cameras'), sensitive: true } }),
    status: 403,
    message: 'sensitive-cameras permission',
  },
  { name: 'covert camera id read without the permission', run: () => s.call('GET', `/api/cameras/${covertCameraId}`, { role: 'admin' }), status: 404, message: 'in your organisation' },
  {
    name: 'help point pointing at a covert camera without the permission',
    run: () => s.call('POST', '/api/help-points', { role: 'planner', body: { ...validBody('help-points'), cameraId: covertCameraId } }),
    status: 400,
    message: 'cameraId: no camera with id',
  },
];

let passed = 0;

beforeAll(async () => {
  s = await startSecurityApp();
  areaId = (await s.call('POST', '/api/areas', { role: 'analyst', body: area('Corpus area') })).json.id;
  await s.call('PUT', `/api/areas/${areaId}`, { role: 'analyst', headers: { 'If-Match': '"1"' }, body: area('Corpus area, edited') });
  otherOrgAreaId = (await s.call('POST', '/api/areas', { role: 'analyst', orgId: ORG_B, body: area('Other organisation area') })).json.id;
  const covert = await s.call('POST', '/api/cameras', { role: 'planner', permissions: ['sensitive-cameras'], body: { ...validBody('cameras'), name: 'Covert camera', sensitive: true } });
  expect(covert.status).toBe(201);
  covertCameraId = covert.json.id;
});
afterAll(async () => {
  recordFigure('Bad input', 'API cases answered as expected', `${passed}/${cases.length}`);
  await s?.close();
});

describe('API bad-input corpus', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await snapshot();
    const res = await c.run();
    expect(res.status, res.text).toBe(c.status);
    expect(res.json?.detail ?? '', res.text).toContain(c.message);
    if (c.writes) await c.writes();
    else expect(await snapshot()).toBe(before);
    expect(s.errors).toEqual([]);
    passed++;
  });
});

describe('server-owned fields', () => {
  it('are refused on every create and change route, naming the field, and nothing is written', async () => {
    const owned = { orgId: ORG_B, version: 7, createdBy: 'someone-else', createdAt: '2020-01-01T00:00:00.000Z', updatedBy: 'x', id: 'chosen-id' };
    const camera = (await s.call('POST', '/api/cameras', { role: 'admin', body: { ...validBody('cameras'), type: 'redeployable' } })).json.id as string;
    const before = await snapshot();
    const wrong: string[] = [];
    let checks = 0;
    for (const kind of ASSET_KIND_NAMES) {
      const body = validBody(kind, { redeployableCameraId: camera });
      const item = (await s.call('POST', `/api/${kind}`, { role: 'admin', body })).json.id as string;
      const afterCreate = await snapshot();
      for (const [field, value] of Object.entries(owned)) {
        for (const [method, path, headers] of [
          ['POST', `/api/${kind}`, {}],
          ['POST', `/api/${kind}/import`, {}],
          ['PUT', `/api/${kind}/${item}`, { 'If-Match': '"1"' }],
        ] as const) {
          const sent = path.endsWith('/import') ? { items: [{ ...body, [field]: value }] } : { ...body, [field]: value };
          const res = await s.call(method, path, { role: 'admin', headers, body: sent });
          checks++;
          if (res.status !== 400 || !res.json?.detail?.includes(`"${field}"`)) wrong.push(`${method} ${path} with ${field}: ${res.status} ${res.text.slice(0, 120)}`);
        }
      }
      expect(await snapshot()).toBe(afterCreate);
    }
    expect(wrong).toEqual([]);
    expect(before).not.toBe(await snapshot()); // the items made to aim at are there, and nothing else changed (checked per kind)
    recordFigure('Bad input', 'server-owned fields refused', `${checks}/${checks} create, upload and change requests with orgId, version, createdBy, createdAt, updatedBy or id: 400 naming the field`);
  });
});
