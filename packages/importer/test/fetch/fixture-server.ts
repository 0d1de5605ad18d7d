/**
 * A local stand-in for police.uk and the ONS ArcGIS services, serving a small synthetic world built at test time:
 * a grid of square LSOAs in three districts, and crimes at seeded random points inside them.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CRIME_CATEGORIES } from '@safer-places/schemas';
import type { PoliceCrime } from '../../src/fetch/police-api';

export type Ring = [number, number][];

export interface FixtureLsoa {
  code: string;
  name: string;
  wardCode: string;
  wardName: string;
  lad: string;
  ladName: string;
  /** Closed ring, [lon, lat]. */
  ring: Ring;
}

export interface FixtureWorld {
  forceId: string;
  forceName: string;
  /** Months police.uk "has", oldest first. */
  months: string[];
  lsoas: FixtureLsoa[];
  crimes: Map<string, PoliceCrime[]>;
  /** District each crime was generated in. */
  ladOf: Map<number, string>;
}

export const LAD_A = 'E07000174'; // "Mansfield": columns 0-2, rows 0-2
export const LAD_B = 'E07000170'; // "Ashfield": columns 3-5, rows 0-1 (so A+B's box also covers part of C)
export const LAD_C = 'E07000171'; // "Bassetlaw": columns 3-5 row 2, and columns 6-7; never requested

const ORIGIN_LON = -1.2;
const ORIGIN_LAT = 53.1;
const CELL = 0.01;
const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function ladOfCell(col: number, row: number): { lad: string; name: string } {
  if (col <= 2) return { lad: LAD_A, name: 'Mansfield' };
  if (col <= 5 && row <= 1) return { lad: LAD_B, name: 'Ashfield' };
  return { lad: LAD_C, name: 'Bassetlaw' };
}

export function buildWorld(options: { crimesPerLsoa?: number; months?: string[]; seed?: number } = {}): FixtureWorld {
  const months = options.months ?? ['2024-01', '2024-02', '2024-03'];
  const perLsoa = options.crimesPerLsoa ?? 8;
  const rand = seeded(options.seed ?? 42);
  const lsoas: FixtureLsoa[] = [];
  const counters = new Map<string, number>();
  let n = 0;
  for (let col = 0; col < 8; col++) {
    for (let row = 0; row < 3; row++) {
      const { lad, name } = ladOfCell(col, row);
      const k = (counters.get(lad) ?? 0) + 1;
      counters.set(lad, k);
      const x0 = r6(ORIGIN_LON + col * CELL);
      const y0 = r6(ORIGIN_LAT + row * CELL);
      const x1 = r6(x0 + CELL);
      const y1 = r6(y0 + CELL);
      lsoas.push({
        code: `E0199${String(++n).padStart(4, '0')}`,
        name: `${name} ${String(Math.ceil(k / 3)).padStart(3, '0')}${'ABC'[(k - 1) % 3]}`,
        wardCode: `E0599${lad.slice(-3)}${String(Math.ceil(k / 3)).padStart(2, '0')}`,
        wardName: `${name} Ward ${Math.ceil(k / 3)}`,
        lad,
        ladName: name,
        ring: [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]],
      });
    }
  }

  const streets = ['On or near High Street', 'On or near The Drive, Park Lane', 'On or near "The Oval"', 'On or near Parking Area'];
  const outcomes = ['Investigation complete; no suspect identified', 'Unable to prosecute suspect', 'Court result unavailable'];
  const crimes = new Map<string, PoliceCrime[]>();
  const ladOf = new Map<number, string>();
  let id = 100000;
  const make = (month: string, lon: number, lat: number, lad: string, i: number): PoliceCrime => {
    const category = CRIME_CATEGORIES[i % CRIME_CATEGORIES.length]!.slug;
    const asb = category === 'anti-social-behaviour';
    const crimeId = ++id;
    ladOf.set(crimeId, lad);
    return {
      category,
      location_type: 'Force',
      location: { latitude: lat.toFixed(6), longitude: lon.toFixed(6), street: { id: 1000 + (i % 50), name: streets[i % streets.length]! } },
      context: '',
      outcome_status: asb ? null : { category: outcomes[i % outcomes.length]!, date: month },
      persistent_id: asb ? '' : createHash('sha256').update(`crime-${crimeId}`).digest('hex'),
      id: crimeId,
      location_subtype: '',
      month,
    };
  };
  for (const month of months) {
    const list: PoliceCrime[] = [];
    let i = 0;
    for (const l of lsoas) {
      const [[x0, y0], , [x1, y1]] = l.ring as [[number, number], unknown, [number, number]];
      for (let k = 0; k < perLsoa; k++) {
        // Keep clear of the cell edges so each point is inside exactly one LSOA.
        const lon = x0 + 0.0005 + rand() * (x1 - x0 - 0.001);
        const lat = y0 + 0.0005 + rand() * (y1 - y0 - 0.001);
        list.push(make(month, Number(lon.toFixed(6)), Number(lat.toFixed(6)), l.lad, i++));
      }
    }
    // Crimes on the midlines of the A+B box (lon -1.17 is also the A/B boundary; lat 53.115 crosses row 1), which a
    // client splitting that box is asked about twice.
    for (const lat of [53.1025, 53.105, 53.1075]) list.push(make(month, -1.17, lat, LAD_B, i++));
    for (const lon of [-1.195, -1.185, -1.155]) list.push(make(month, lon, 53.115, lon < -1.17 ? LAD_A : LAD_B, i++));
    crimes.set(month, list);
  }
  return { forceId: 'nottinghamshire', forceName: 'Nottinghamshire Police', months, lsoas, crimes, ladOf };
}

/** The crimes of a month that lie in the districts. */
export function crimesIn(world: FixtureWorld, month: string, lads: string[]): PoliceCrime[] {
  return (world.crimes.get(month) ?? []).filter((c) => lads.includes(world.ladOf.get(c.id)!));
}

/** Even-odd point in polygon; points on an edge count as inside (as a generous server would). */
export function pointInRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    const cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
    if (Math.abs(cross) < 1e-12 && x >= Math.min(xi, xj) && x <= Math.max(xi, xj) && y >= Math.min(yi, yj) && y <= Math.max(yi, yj)) {
      return true;
    }
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export interface FixtureRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams | null;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface FixtureReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FixtureOptions {
  /** police.uk answers 503 when a polygon holds more crimes than this (10,000 in real life). */
  maxCrimesPerPolygon?: number;
  /** ArcGIS page size cap (2,000 in real life). */
  onsPageSize?: number;
  /** Answer a request yourself (return undefined to let the fixture answer). */
  intercept?: (req: FixtureRequest) => FixtureReply | undefined | Promise<FixtureReply | undefined>;
  /** Which force police.uk says polices a point. */
  forceAt?: (lon: number, lat: number) => string;
}

export interface FixtureServer {
  url: string;
  policeUrl: string;
  onsUrl: string;
  requests: FixtureRequest[];
  /** Times each crime id was included in an answer. */
  served: Map<number, number>;
  close(): Promise<void>;
}

export const LOOKUP_PATH = '/LSOA21_WD24_LAD24_EW_LU/FeatureServer/0/query';
export const BOUNDARY_PATH = '/Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V4/FeatureServer/0/query';

function inList(where: string, field: string): string[] {
  const m = new RegExp(`${field}\\s+IN\\s*\\(([^)]*)\\)`, 'i').exec(where);
  if (!m) return [];
  return m[1]!.split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: FixtureReply) {
  const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(body);
}

export async function startFixtureServer(world: FixtureWorld, options: FixtureOptions = {}): Promise<FixtureServer> {
  const maxCrimes = options.maxCrimesPerPolygon ?? 10_000;
  const pageCap = options.onsPageSize ?? 2000;
  const requests: FixtureRequest[] = [];
  const served = new Map<number, number>();

  const police = (r: FixtureRequest): FixtureReply => {
    const p = r.path.slice('/police/api'.length);
    if (p === '/forces') return { status: 200, body: [{ id: world.forceId, name: world.forceName }, { id: 'derbyshire', name: 'Derbyshire Constabulary' }] };
    if (p.startsWith('/forces/')) {
      const id = decodeURIComponent(p.slice('/forces/'.length));
      if (id === world.forceId) return { status: 200, body: { id, name: world.forceName, url: 'https://example.invalid', engagement_methods: [] } };
      if (id === 'derbyshire') return { status: 200, body: { id, name: 'Derbyshire Constabulary' } };
      return { status: 404, body: '' };
    }
    if (p === '/crimes-street-dates') {
      return { status: 200, body: [...world.months].reverse().map((date) => ({ date, 'stop-and-search': [world.forceId] })) };
    }
    if (p === '/locate-neighbourhood') {
      const [lat, lon] = (r.query.get('q') ?? '').split(',').map(Number) as [number, number];
      const inside = world.lsoas.some((l) => pointInRing(lon, lat, l.ring));
      if (!inside) return { status: 404, body: '' };
      return { status: 200, body: { force: options.forceAt?.(lon, lat) ?? world.forceId, neighbourhood: 'NC01' } };
    }
    if (p === '/crimes-street/all-crime') {
      const params = r.form ?? r.query;
      const poly = params.get('poly');
      const date = params.get('date');
      if (!poly || !date) return { status: 400, body: '' };
      const ring: Ring = poly.split(':').map((pair) => {
        const [lat, lng] = pair.split(',').map(Number) as [number, number];
        return [lng, lat];
      });
      const inside = (world.crimes.get(date) ?? []).filter((c) => pointInRing(Number(c.location!.longitude), Number(c.location!.latitude), ring));
      if (inside.length > maxCrimes) return { status: 503, body: '' };
      for (const c of inside) served.set(c.id, (served.get(c.id) ?? 0) + 1);
      return { status: 200, body: inside };
    }
    return { status: 404, body: '' };
  };

  const page = <T>(rows: T[], q: URLSearchParams) => {
    const offset = Number(q.get('resultOffset') ?? 0);
    const count = Math.min(pageCap, Number(q.get('resultRecordCount') ?? pageCap));
    const slice = rows.slice(offset, offset + count);
    return { slice, more: offset + slice.length < rows.length };
  };

  const onsService = (r: FixtureRequest): FixtureReply => {
    const p = r.path.slice('/ons/services'.length);
    const where = r.query.get('where') ?? '';
    if (p === LOOKUP_PATH) {
      const lads = inList(where, 'LAD24CD');
      const rows = world.lsoas
        .filter((l) => lads.includes(l.lad))
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((l) => ({ LSOA21CD: l.code, LSOA21NM: l.name, WD24CD: l.wardCode, WD24NM: l.wardName, LAD24CD: l.lad, LAD24NM: l.ladName, ObjectId: 1 }));
      const { slice, more } = page(rows, r.query);
      return { status: 200, body: { objectIdFieldName: 'ObjectId', features: slice.map((attributes) => ({ attributes })), ...(more && { exceededTransferLimit: true }) } };
    }
    if (p === BOUNDARY_PATH) {
      if (r.query.get('f') !== 'geojson' || r.query.get('outSR') !== '4326') return { status: 200, body: { error: { code: 400, message: 'expected f=geojson&outSR=4326' } } };
      const codes = inList(where, 'LSOA21CD');
      if (codes.length > 100) return { status: 200, body: { error: { code: 400, message: 'where clause too long' } } };
      const rows = world.lsoas.filter((l) => codes.includes(l.code)).sort((a, b) => a.code.localeCompare(b.code));
      const { slice, more } = page(rows, r.query);
      return {
        status: 200,
        body: {
          type: 'FeatureCollection',
          features: slice.map((l, i) => ({
            type: 'Feature',
            id: i + 1,
            // ArcGIS gives more decimals than needed; the client rounds to 6.
            geometry: { type: 'Polygon', coordinates: [l.ring.map(([x, y]) => [x + 1e-10, y])] },
            properties: { LSOA21CD: l.code, LSOA21NM: l.name },
          })),
          ...(more && { properties: { exceededTransferLimit: true } }),
        },
      };
    }
    return { status: 200, body: { error: { code: 400, message: 'Invalid URL', details: [] } } };
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const raw = req.method === 'POST' ? await readBody(req) : '';
      const r: FixtureRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        form: req.method === 'POST' ? new URLSearchParams(raw) : null,
        at: performance.now(),
      };
      requests.push(r);
      const custom = await options.intercept?.(r);
      if (custom) return send(res, custom);
      if (r.path.startsWith('/police/api/')) return send(res, police(r));
      if (r.path.startsWith('/ons/services/')) return send(res, onsService(r));
      send(res, { status: 404, body: '' });
    })().catch((e: unknown) => send(res, { status: 500, body: String(e) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    policeUrl: `${url}/police/api`,
    onsUrl: `${url}/ons/services`,
    requests,
    served,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
