import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortThrottledError, generateDemoDataset, type DemoDataset, type ReferenceRepository } from '@safer-places/domain';
import { createApp } from '../src/app';
import { LSOA_TILE_LAYER, LSOA_TILE_MAX_ZOOM, lsoaTileUrl, type BBox, type DatasetSummary, type Lsoa } from '@safer-places/schemas';
import { LSOA_OVERVIEW_MAX_ZOOM, LSOA_OVERVIEW_TOLERANCE, LsoaTileCache } from '../src/tiles';
import { seedDemo, startTestApp } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
let demo: DemoDataset;
beforeAll(async () => {
  t = await startTestApp();
  demo = generateDemoDataset();
  await seedDemo(t, demo);
});
afterAll(() => t.close());

/** The slippy-map tile holding a point (Web Mercator), as the map asks for it. */
function tileAt(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) };
}

/** A tile's extent in lon/lat, grown by `margin` of its size on each side. */
function tileBounds(z: number, x: number, y: number, margin = 0): BBox {
  const n = 2 ** z;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  return [lon(x - margin), lat(y + 1 + margin), lon(x + 1 + margin), lat(y - margin)];
}

const inside = (a: BBox, b: BBox) => a[0] >= b[0] && a[1] >= b[1] && a[2] <= b[2] && a[3] <= b[3];
const meets = (a: BBox, b: BBox) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];

async function getTile(path: string, opts: { role?: 'viewer' | 'admin'; headers?: Record<string, string>; token?: string } = { role: 'viewer' }) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.role) headers.Authorization = `Bearer ${opts.token ?? (await t.tokenFor(opts.role))}`;
  const res = await t.app.request(path, { headers });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

function decode(bytes: Uint8Array) {
  const tile = new VectorTile(new PbfReader(bytes));
  const layer = tile.layers[LSOA_TILE_LAYER]!;
  const features = Array.from({ length: layer?.length ?? 0 }, (_, i) => layer.feature(i));
  return { tile, layer, features };
}

const path = (z: number, x: number, y: number, dataset = 'demo') => lsoaTileUrl('', dataset).replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));

describe('GET /api/tiles/lsoas/{z}/{x}/{y}.mvt', () => {
  it('draws every LSOA of the dataset in the tile that holds it all, with the properties the map joins on', async () => {
    // The deepest zoom at which one tile holds the whole study area.
    const [w, s, e, n] = demo.summary.bbox!;
    let z = 0;
    while (z < 12 && JSON.stringify(tileAt(w, n, z + 1)) === JSON.stringify(tileAt(e, s, z + 1))) z++;
    const { x, y } = tileAt(w, n, z);
    const { res, bytes } = await getTile(path(z, x, y));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/vnd.mapbox-vector-tile');
    const { tile, layer, features } = decode(bytes);
    expect(Object.keys(tile.layers)).toEqual([LSOA_TILE_LAYER]);
    expect(layer.version).toBe(2);
    expect(layer.extent).toBe(4096);
    const byCode = new Map(demo.lsoas.map((l) => [l.code, l]));
    expect(new Set(features.map((f) => f.properties.code))).toEqual(new Set(byCode.keys()));
    for (const f of features) {
      const l = byCode.get(String(f.properties.code))!;
      expect(f.type).toBe(3);
      expect({ ...f.properties }).toEqual({ code: l.code, name: l.name, districtCode: l.districtCode, districtName: l.districtName, ...(l.wardName && { wardName: l.wardName }) });
    }
  });

  it('a district-level tile holds the LSOAs inside it and none far from it', async () => {
    const z = 12;
    // The tile at the middle of the first LSOA, and the LSOAs as the test computes them from their boxes.
    const [w, s, e, n] = demo.lsoas[0]!.bbox;
    const { x, y } = tileAt((w + e) / 2, (s + n) / 2, z);
    const { res, bytes } = await getTile(path(z, x, y));
    expect(res.status).toBe(200);
    const codes = new Set(decode(bytes).features.map((f) => String(f.properties.code)));
    const exact = tileBounds(z, x, y);
    // geojson-vt keeps a buffer of 64/4096 of the tile around it; a little more for simplification.
    const buffered = tileBounds(z, x, y, 0.05);
    const within = demo.lsoas.filter((l) => inside(l.bbox, exact)).map((l) => l.code);
    expect(codes.has(demo.lsoas[0]!.code)).toBe(true);
    for (const code of within) expect(codes, `${code} lies inside the tile`).toContain(code);
    const byCode = new Map<string, Lsoa>(demo.lsoas.map((l) => [l.code, l]));
    for (const code of codes) expect(meets(byCode.get(code)!.bbox, buffered), `${code} reaches the tile`).toBe(true);
    expect(codes.size).toBeLessThan(demo.lsoas.length);
  });

  it('carries an ETag of the dataset version and tile, is cacheable, and answers a revalidation with 304', async () => {
    const { x, y } = tileAt(demo.lsoas[0]!.bbox[0], demo.lsoas[0]!.bbox[1], 10);
    const first = await getTile(path(10, x, y));
    const tag = first.res.headers.get('ETag')!;
    // The demo set has no LSOA version of its own: its version stands for it (lsoaVersionOf).
    expect(tag).toBe(`W/"demo.${encodeURIComponent(demo.summary.version)}.f3.10.${x}.${y}"`);
    expect(first.res.headers.get('Cache-Control')).toBe('public, max-age=3600');
    const again = await getTile(path(10, x, y), { role: 'viewer', headers: { 'If-None-Match': tag } });
    expect(again.res.status).toBe(304);
    expect(again.bytes.byteLength).toBe(0);
    expect(again.res.headers.get('ETag')).toBe(tag);
    // Another tile's tag does not match.
    expect((await getTile(path(10, x + 1, y), { role: 'viewer', headers: { 'If-None-Match': tag } })).res.status).not.toBe(304);
    // Even for readers whose other answers are never cached: a tile holds only shared boundaries.
    const { token } = await t.deps.devSignIn.issue({ userId: 'u-sensitive', orgId: 'org-a', role: 'admin', permissions: ['sensitive-cameras'] });
    const sensitive = await getTile(path(10, x, y), { role: 'admin', token });
    expect(sensitive.res.headers.get('Cache-Control')).toBe('public, max-age=3600');
    expect((await t.call('GET', '/api/datasets', { role: 'viewer' })).headers.get('Cache-Control')).toBe('private, no-cache');
  });

  it('answers 204 for a tile no LSOA reaches', async () => {
    const { res, bytes } = await getTile(path(10, 0, 0));
    expect(res.status).toBe(204);
    expect(bytes.byteLength).toBe(0);
    expect(res.headers.get('ETag')).toMatch(/^W\//);
  });

  it.each([
    [`/api/tiles/lsoas/${LSOA_TILE_MAX_ZOOM + 1}/0/0.mvt?dataset=demo`, /z must be 0–14/],
    ['/api/tiles/lsoas/3/8/0.mvt?dataset=demo', /x must be 0–7 at zoom 3; got 8/],
    ['/api/tiles/lsoas/3/0/8.mvt?dataset=demo', /y must be 0–7 at zoom 3; got 8/],
    ['/api/tiles/lsoas/a/0/0.mvt?dataset=demo', /z must be a whole number/],
    ['/api/tiles/lsoas/3/-1/0.mvt?dataset=demo', /x must be a whole number/],
    ['/api/tiles/lsoas/3/0/0.png?dataset=demo', /must end in \{y\}\.mvt/],
    ['/api/tiles/lsoas/3/0/0.mvt', /dataset/],
    ['/api/tiles/lsoas/3/0/0.mvt?dataset=demo&colour=red', /unknown field\(s\) "colour"/],
  ])('%s → 400 naming the problem', async (p, message) => {
    const res = await t.call('GET', p, { role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(message);
  });

  it('a tile that could not be cut carries neither the ETag nor public caching', async () => {
    const repo = t.deps.reference;
    const failing = new Proxy(repo, {
      get: (target, name) =>
        name === 'listLsoas'
          ? () => Promise.reject(new PortThrottledError('store busy'))
          : typeof target[name as keyof ReferenceRepository] === 'function'
            ? (target[name as keyof ReferenceRepository] as (...a: unknown[]) => unknown).bind(target)
            : target[name as keyof ReferenceRepository],
    });
    const app = createApp({ ...t.deps, reference: failing });
    const res = await app.request(path(3, 3, 2), { headers: { Authorization: `Bearer ${await t.tokenFor('viewer')}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('ETag')).toBeNull();
    expect(res.headers.get('Cache-Control')).toBe('private, no-cache');
  });

  it('needs a signed-in user, and names an unknown dataset', async () => {
    const unsigned = await t.call('GET', path(3, 3, 2));
    expect(unsigned.status).toBe(401);
    const unknown = await t.call('GET', path(3, 3, 2, 'nope'), { role: 'viewer' });
    expect(unknown).toMatchObject({ status: 404, json: { detail: 'no dataset "nope"' } });
  });
});

/** An LSOA of one district with the given rings, its box from them. */
function testLsoa(code: string, coordinates: [number, number][][]): Lsoa {
  const flat = coordinates.flat();
  const xs = flat.map((p) => p[0]);
  const ys = flat.map((p) => p[1]);
  return {
    code,
    name: `LSOA ${code}`,
    districtCode: 'D1',
    districtName: 'District',
    wardName: null,
    cspCode: null,
    cspName: null,
    population: null,
    imdDecile: null,
    deprivationSource: null,
    geometry: { type: 'Polygon', coordinates },
    bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
  };
}

describe('LsoaTileCache', () => {
  const square = (code: string, lon: number, lat: number): Lsoa => testLsoa(code, [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]]);
  const lsoas = Array.from({ length: 40 }, (_, i) => square(`L${i}`, -1.2 + (i % 8) * 0.011, 53 + Math.floor(i / 8) * 0.011));
  const dataset = (version: string, id = 'ds'): DatasetSummary => ({ ...demo.summary, id, version });

  it('builds one index per dataset version, shared by concurrent first requests', async () => {
    let reads = 0;
    const cache = new LsoaTileCache(async () => {
      reads++;
      return lsoas;
    });
    const { x, y } = tileAt(-1.18, 53.02, 12);
    const [a, b] = await Promise.all([cache.tile(dataset('v1'), 12, x, y), cache.tile(dataset('v1'), 12, x + 1, y)]);
    expect(a.byteLength).toBeGreaterThan(0);
    expect(b.byteLength).toBeGreaterThanOrEqual(0);
    expect(cache.builds).toBe(1);
    expect(reads).toBe(1);
    // Cached: the same bytes, nothing rebuilt; a new version builds again.
    expect(await cache.tile(dataset('v1'), 12, x, y)).toBe(a);
    await cache.tile(dataset('v2'), 12, x, y);
    expect(cache.builds).toBe(2);
  });

  it('keeps its tiles and index when only crime months were imported (same LSOA version)', async () => {
    const cache = new LsoaTileCache(async () => lsoas);
    const { x, y } = tileAt(-1.18, 53.02, 12);
    const withLsoas = (version: string, lsoaVersion: string): DatasetSummary => ({ ...dataset(version), lsoaVersion });
    const a = await cache.tile(withLsoas('import-1', 'import-1'), 12, x, y);
    // A month of crimes imported: the dataset's version moves on, its LSOAs' does not.
    expect(await cache.tile(withLsoas('import-2', 'import-1'), 12, x, y)).toBe(a);
    expect(cache.builds).toBe(1);
    // New boundaries: built again.
    await cache.tile(withLsoas('import-3', 'import-3'), 12, x, y);
    expect(cache.builds).toBe(2);
  });

  it('keeps at most maxIndexes datasets and maxBytes of tiles, and drops an index that cut too many tiles', async () => {
    const cache = new LsoaTileCache(async () => lsoas, { maxIndexes: 1, maxBytes: 2_000, maxIndexTiles: 40 });
    const { x, y } = tileAt(-1.18, 53.02, 14);
    await cache.tile(dataset('v1', 'one'), 14, x, y);
    await cache.tile(dataset('v1', 'two'), 14, x, y);
    // The second dataset pushed the first one's index out.
    await cache.tile(dataset('v1', 'one'), 14, x + 1, y);
    expect(cache.builds).toBe(3);
    for (let dx = -3; dx <= 3; dx++) for (let dy = -3; dy <= 3; dy++) await cache.tile(dataset('v1', 'one'), 14, x + dx, y + dy);
    expect(cache.cachedBytes).toBeLessThanOrEqual(2_000);
    // Cutting ~50 tiles at zoom 14 (and their parents) went past 40: the index was rebuilt along the way.
    expect(cache.builds).toBeGreaterThan(3);
  });

  it('compresses a tile once and keeps the compressed bytes; small tiles stay plain', async () => {
    const { gunzipSync } = await import('node:zlib');
    const cache = new LsoaTileCache(async () => lsoas);
    // Zoom 8: all 40 squares in one tile, over a kilobyte.
    const { x, y } = tileAt(-1.18, 53.02, 8);
    const plain = await cache.tile(dataset('v1'), 8, x, y);
    expect(plain.byteLength).toBeGreaterThan(1024);
    const first = await cache.compressedTile(dataset('v1'), 8, x, y, 'gzip');
    expect(first.encoding).toBe('gzip');
    expect(Buffer.from(gunzipSync(first.bytes)).equals(Buffer.from(plain))).toBe(true);
    expect((await cache.compressedTile(dataset('v1'), 8, x, y, 'gzip')).bytes).toBe(first.bytes);
    expect(await cache.compressedTile(dataset('v1'), 8, x, y, null)).toEqual({ bytes: plain, encoding: null });
    const small = tileAt(-1.2, 53.0, 14);
    const tiny = await cache.compressedTile(dataset('v1'), 14, small.x, small.y, 'br');
    expect(tiny.encoding).toBeNull();
    expect(tiny.bytes.byteLength).toBeLessThan(1024);
  });

  it('does not keep a failed build', async () => {
    let fail = true;
    const cache = new LsoaTileCache(async () => {
      if (fail) throw new Error('store down');
      return lsoas;
    });
    const { x, y } = tileAt(-1.18, 53.02, 12);
    await expect(cache.tile(dataset('v1'), 12, x, y)).rejects.toThrow('store down');
    fail = false;
    expect((await cache.tile(dataset('v1'), 12, x, y)).byteLength).toBeGreaterThan(0);
    expect(cache.builds).toBe(1);
  });
});

describe('LsoaTileCache overview zooms (0–LSOA_OVERVIEW_MAX_ZOOM): generalised to the pixel, every LSOA kept', () => {
  const dataset = (id: string): DatasetSummary => ({ ...demo.summary, id, version: 'v1' });
  const lsoa = testLsoa;
  /** A regular polygon of `n` vertices and radius `r` degrees. */
  const blob = (code: string, lon: number, lat: number, r: number, n = 40) => {
    const ring = Array.from({ length: n }, (_, i): [number, number] => [lon + r * Math.cos((2 * Math.PI * i) / n), lat + r * Math.sin((2 * Math.PI * i) / n)]);
    return lsoa(code, [[...ring, ring[0]!]]);
  };
  /** Every LSOA code in the tiles of zoom z over a bbox, and the tiles' bytes and vertices. */
  async function tilesOver(cache: LsoaTileCache, ds: DatasetSummary, bbox: BBox, z: number) {
    const a = tileAt(bbox[0], bbox[3], z);
    const b = tileAt(bbox[2], bbox[1], z);
    const codes = new Map<string, number>();
    let bytes = 0;
    let vertices = 0;
    for (let x = a.x; x <= b.x; x++) {
      for (let y = a.y; y <= b.y; y++) {
        const tile = await cache.tile(ds, z, x, y);
        bytes += tile.byteLength;
        if (tile.byteLength === 0) continue;
        for (const f of decode(tile).features) {
          const code = String(f.properties.code);
          codes.set(code, (codes.get(code) ?? 0) + 1);
          for (const ring of f.loadGeometry()) vertices += ring.length;
        }
      }
    }
    return { codes, bytes, vertices };
  }

  it('keeps every LSOA of the demo dataset, with its properties, at every zoom', async () => {
    const cache = new LsoaTileCache(async () => demo.lsoas);
    const all = new Set(demo.lsoas.map((l) => l.code));
    for (let z = 0; z <= LSOA_OVERVIEW_MAX_ZOOM + 2; z++) {
      const { codes } = await tilesOver(cache, dataset('demo-all'), demo.summary.bbox!, z);
      expect([...all].filter((c) => !codes.has(c)), `zoom ${z}`).toEqual([]);
      expect([...codes.keys()].filter((c) => !all.has(c)), `zoom ${z}`).toEqual([]);
    }
    const { x, y } = tileAt(demo.lsoas[0]!.bbox[0], demo.lsoas[0]!.bbox[1], 4);
    const first = decode(await cache.tile(dataset('demo-all'), 4, x, y)).features.find((f) => f.properties.code === demo.lsoas[0]!.code)!;
    expect(first.properties).toMatchObject({ name: demo.lsoas[0]!.name, districtCode: demo.lsoas[0]!.districtCode, districtName: demo.lsoas[0]!.districtName });
  });

  it('draws an LSOA smaller than a pixel as a one-pixel square at its place, once, and adds none where an LSOA was only cut away', async () => {
    // 0.0005° across: well under a pixel at zoom 6 (~0.03°), so simplification drops its ring.
    const tiny = lsoa('TINY', [[[-1.1, 53.0], [-1.0995, 53.0], [-1.0995, 53.0005], [-1.1, 53.0005], [-1.1, 53.0]]]);
    // A large LSOA centred far away from the tiny one's tile, reaching into it only by a corner.
    const big = blob('BIG', -3.5, 51.5, 2.0);
    const cache = new LsoaTileCache(async () => [tiny, big]);
    const z = 6;
    const home = tileAt(-1.1, 53.0, z);
    const found = decode(await cache.tile(dataset('tiny'), z, home.x, home.y)).features.filter((f) => f.properties.code === 'TINY');
    expect(found).toHaveLength(1);
    const [ring] = found[0]!.loadGeometry();
    const xs = ring!.map((p) => p.x);
    const ys = ring!.map((p) => p.y);
    // One pixel (8 of 4096 units on a 512 px tile) at the LSOA's own place in the tile.
    expect(Math.max(...xs) - Math.min(...xs)).toBe(LSOA_OVERVIEW_TOLERANCE);
    const n = 2 ** z;
    const expectX = (((-1.09975 + 180) / 360) * n - home.x) * 4096;
    expect(Math.abs((Math.max(...xs) + Math.min(...xs)) / 2 - expectX)).toBeLessThanOrEqual(LSOA_OVERVIEW_TOLERANCE);
    expect(Math.max(...ys) - Math.min(...ys)).toBe(LSOA_OVERVIEW_TOLERANCE);
    // Only in its own tile: the neighbours hold no copy.
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
      const tile = await cache.tile(dataset('tiny'), z, home.x + dx, home.y + dy);
      const codes = tile.byteLength ? decode(tile).features.map((f) => f.properties.code) : [];
      expect(codes).not.toContain('TINY');
    }
    // Deeper than the overview the LSOA has its own shape again.
    const deep = tileAt(-1.1, 53.0, 14);
    const shape = decode(await cache.tile(dataset('tiny'), 14, deep.x, deep.y)).features.find((f) => f.properties.code === 'TINY');
    expect(shape?.loadGeometry()[0]!.length).toBe(5);
    // The big LSOA: in the tiles it covers, never as a placeholder square.
    const bigHome = tileAt(-3.5, 51.5, z);
    const bigFeature = decode(await cache.tile(dataset('tiny'), z, bigHome.x, bigHome.y)).features.find((f) => f.properties.code === 'BIG');
    expect(bigFeature!.loadGeometry()[0]!.length).toBeGreaterThan(5);
  });

  it('keeps a long, thin LSOA under a pixel in area but several pixels long', async () => {
    // ~30 km east–west by ~10 m: ~12 px long at zoom 5 (~2.4 km a pixel) but ~0.05 px² in area, so its ring goes.
    const strip = lsoa('STRIP', [[[-1.4, 53.0], [-0.95, 53.0], [-0.95, 53.0001], [-1.4, 53.0001], [-1.4, 53.0]]]);
    // An L of two such arms: its box's centre is far from both, off the LSOA.
    const ring: [number, number][] = [[-1.4, 52.0], [-0.95, 52.0], [-0.95, 52.0001], [-1.3999, 52.0001], [-1.3999, 52.3], [-1.4, 52.3], [-1.4, 52.0]];
    const ell = lsoa('ELL', [ring]);
    const cache = new LsoaTileCache(async () => [strip, ell]);
    for (let z = 0; z <= LSOA_OVERVIEW_MAX_ZOOM; z++) {
      const { codes } = await tilesOver(cache, dataset('strip'), [-1.4, 52.0, -0.95, 53.0001], z);
      expect(codes.get('STRIP'), `zoom ${z}`).toBe(1);
      expect(codes.get('ELL'), `zoom ${z}`).toBe(1);
    }
    // Where the L is only a placeholder, the square sits on one of its arms (a vertex), not at its box's centre.
    const z = 5;
    const n = 2 ** z;
    const world = ([lon, lat]: [number, number]) => {
      const sin = Math.sin((lat * Math.PI) / 180);
      return [((lon + 180) / 360) * n * 4096, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * n * 4096];
    };
    let square: { x: number; y: number } | undefined;
    for (let x = 0; x < n && !square; x++) {
      for (let y = 0; y < n && !square; y++) {
        const tile = await cache.tile(dataset('strip'), z, x, y);
        const f = tile.byteLength ? decode(tile).features.find((f) => f.properties.code === 'ELL') : undefined;
        if (!f) continue;
        const points = f.loadGeometry()[0]!;
        expect(points).toHaveLength(5);
        square = { x: x * 4096 + (Math.min(...points.map((p) => p.x)) + Math.max(...points.map((p) => p.x))) / 2, y: y * 4096 + (Math.min(...points.map((p) => p.y)) + Math.max(...points.map((p) => p.y))) / 2 };
      }
    }
    const nearest = Math.min(...ring.map((v) => Math.hypot(world(v)[0]! - square!.x, world(v)[1]! - square!.y)));
    expect(nearest).toBeLessThanOrEqual(LSOA_OVERVIEW_TOLERANCE);
    const [cx, cy] = world([-1.175, 52.15]);
    expect(Math.hypot(cx! - square!.x, cy! - square!.y)).toBeGreaterThan(5 * LSOA_OVERVIEW_TOLERANCE);
  });

  it('generalises the national zooms to the pixel: fewer vertices than the detail tolerance would keep, the same LSOAs', async () => {
    // 2,000 small LSOAs of 40 vertices each on a grid, ~1.5 km apart: several pixels each at zoom 8, specks at zoom 5.
    const many = Array.from({ length: 2_000 }, (_, i) => blob(`G${i}`, -2 + (i % 50) * 0.02, 52 + Math.floor(i / 50) * 0.014, 0.006));
    const bbox: BBox = [-2.01, 51.99, -1 + 0.01, 52.56 + 0.01];
    const cache = new LsoaTileCache(async () => many);
    for (const z of [5, LSOA_OVERVIEW_MAX_ZOOM]) {
      const { codes, vertices } = await tilesOver(cache, dataset('grid'), bbox, z);
      expect(codes.size, `zoom ${z}`).toBe(2_000);
      // The detail tolerance (1 unit) would keep nearly all 40 vertices of each; the overview keeps a handful.
      expect(vertices / codes.size, `zoom ${z}`).toBeLessThan(20);
    }
    const { codes, vertices } = await tilesOver(cache, dataset('grid'), bbox, 12);
    expect(vertices / codes.size).toBeGreaterThan(30);
  });
});
