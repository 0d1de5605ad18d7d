import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDataset, type DemoDataset } from '@safer-places/domain';
import { CONTEXT_TILE_LAYERS, contextTileUrl, type AreaGeometry, type DatasetSummary, type Lsoa } from '@safer-places/schemas';
import { CONTEXT_TILE_CACHE_BYTES, CONTEXT_TILE_INDEX_MAX_TILES, ContextTileCache } from '../src/tiles';
import { seedDemo, startTestApp } from './harness';

/** The real Nottinghamshire LSOA21 boundaries with their best-fit ward and district, read at test time (never copied). */
const DATA = process.env.SHARED_DATA_DIR ?? join(import.meta.dirname, '../../../../shared/data');
const NOTTS = join(DATA, 'lsoa21-boundaries');
const realData = existsSync(NOTTS);
if (!realData && process.env.CI === 'true') throw new Error(`shared data missing at ${DATA} (needed under CI=true)`);

let t: Awaited<ReturnType<typeof startTestApp>>;
let demo: DemoDataset;
const REAL: DatasetSummary = {
  id: 'notts',
  name: 'Nottinghamshire boundaries',
  synthetic: false,
  version: 'v1',
  firstMonth: '2024-01',
  lastMonth: '2024-12',
  lsoaCount: 684,
  crimeCount: 0,
  bbox: [-1.345, 52.789, -0.666, 53.503],
  sources: [],
  importedAt: '2026-11-01T00:00:00.000Z',
  notes: [],
};

function nottinghamshire(): Lsoa[] {
  return readdirSync(NOTTS)
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(NOTTS, f), 'utf8')).features as { properties: Record<string, string>; geometry: AreaGeometry }[])
    .map((f) => ({
      code: f.properties.LSOA21CD!,
      name: f.properties.LSOA21NM!,
      districtCode: f.properties.LAD24CD!,
      districtName: f.properties.LAD24NM!,
      wardName: f.properties.WD24NM ?? null,
      cspCode: null,
      cspName: null,
      population: null,
      imdDecile: null,
      deprivationSource: null,
      geometry: f.geometry,
      bbox: [0, 0, 0, 0],
    }));
}

beforeAll(async () => {
  t = await startTestApp();
  demo = generateDemoDataset();
  await seedDemo(t, demo);
  if (realData) {
    await t.reference.putLsoas(REAL.id, nottinghamshire());
    await t.reference.putDataset(REAL);
  }
});
afterAll(() => t.close());

function tileAt(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) };
}

/** The deepest zoom whose one tile holds the whole box, and that tile. */
function wholeTile([w, s, e, n]: readonly number[]): { z: number; x: number; y: number } {
  let z = 0;
  while (z < 12 && JSON.stringify(tileAt(w!, n!, z + 1)) === JSON.stringify(tileAt(e!, s!, z + 1))) z++;
  return { z, ...tileAt(w!, n!, z) };
}

const path = (z: number, x: number, y: number, dataset = 'demo') => contextTileUrl('', dataset).replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));

async function getTile(p: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(p, { headers: { Authorization: `Bearer ${await t.tokenFor('viewer')}`, ...headers } });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

function layers(bytes: Uint8Array) {
  const tile = new VectorTile(new PbfReader(bytes));
  const features = (layer: VectorTileLayer | undefined) => Array.from({ length: layer?.length ?? 0 }, (_, i) => layer!.feature(i));
  return {
    names: Object.keys(tile.layers).sort(),
    labels: features(tile.layers[CONTEXT_TILE_LAYERS.placeLabels]).map((f) => f.properties as { name: string; kind: string; minzoom: number; rank: number }),
    lines: (layer: string) => features(tile.layers[layer]),
  };
}

describe('GET /api/tiles/context/{z}/{x}/{y}.mvt', () => {
  it('draws the demo study area, district boundaries and district names in the tile that holds it all', async () => {
    const { z, x, y } = wholeTile(demo.summary.bbox!);
    const { res, bytes } = await getTile(path(z, x, y));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/vnd.mapbox-vector-tile');
    const tile = layers(bytes);
    expect(tile.names).toEqual([CONTEXT_TILE_LAYERS.districtBoundaries, CONTEXT_TILE_LAYERS.placeLabels, CONTEXT_TILE_LAYERS.studyArea, CONTEXT_TILE_LAYERS.wardBoundaries].sort());
    expect(tile.lines(CONTEXT_TILE_LAYERS.studyArea)[0]!.type).toBe(2);
    // Below zoom 10 only district names: their minimum zoom is 0, towns 10, wards 11, LSOAs 14.
    expect(z).toBeLessThan(10);
    expect(tile.labels.every((l) => l.kind === 'district')).toBe(true);
    expect(tile.labels.map((l) => l.name).sort()).toEqual([...new Set(demo.lsoas.map((l) => l.districtName))].sort());
  });

  it('adds ward names from zoom 11 and LSOA names from zoom 14', async () => {
    const lsoa = demo.lsoas[0]!;
    const [w, s, e, n] = lsoa.bbox;
    const at = (z: number) => tileAt((w + e) / 2, (s + n) / 2, z);
    const kinds = async (z: number) => {
      const { x, y } = at(z);
      const { res, bytes } = await getTile(path(z, x, y));
      return res.status === 204 ? new Set<string>() : new Set(layers(bytes).labels.map((l) => l.kind));
    };
    expect((await kinds(10)).has('ward')).toBe(false);
    const z11 = at(11);
    const wards = layers((await getTile(path(11, z11.x, z11.y))).bytes).labels.filter((l) => l.kind === 'ward').map((l) => l.name);
    expect(wards.length).toBeGreaterThan(0);
    for (const name of wards) expect(demo.lsoas.some((l) => l.wardName === name)).toBe(true);
    expect((await kinds(13)).has('lsoa')).toBe(false);
    const z14 = at(14);
    const names14 = layers((await getTile(path(14, z14.x, z14.y))).bytes).labels.filter((l) => l.kind === 'lsoa').map((l) => l.name);
    expect(names14).toContain(lsoa.name);
  });

  it('carries its own ETag, is cacheable, answers a revalidation with 304, and 204 where nothing is', async () => {
    const { z, x, y } = wholeTile(demo.summary.bbox!);
    const first = await getTile(path(z, x, y));
    const tag = first.res.headers.get('ETag')!;
    expect(tag).toBe(`W/"context.demo.${encodeURIComponent(demo.summary.version)}.f3.${z}.${x}.${y}"`);
    expect(first.res.headers.get('Cache-Control')).toBe('public, max-age=3600');
    const again = await getTile(path(z, x, y), { 'If-None-Match': tag });
    expect(again.res.status).toBe(304);
    // An LSOA tile's tag for the same z/x/y is another resource's: no 304 for it.
    const lsoaTag = `W/"demo.${encodeURIComponent(demo.summary.version)}.f3.${z}.${x}.${y}"`;
    expect((await getTile(path(z, x, y), { 'If-None-Match': lsoaTag })).res.status).toBe(200);
    const far = tileAt(-120, 40, 8);
    const empty = await getTile(path(8, far.x, far.y));
    expect(empty.res.status).toBe(204);
    expect(empty.res.headers.get('ETag')).toMatch(/^W\/"context\./);
  });

  it('needs a signed-in user; names a bad tile and an unknown dataset', async () => {
    expect((await t.call('GET', path(3, 3, 2))).status).toBe(401);
    expect(await t.call('GET', path(15, 0, 0), { role: 'viewer' })).toMatchObject({ status: 400, json: { detail: expect.stringMatching(/z must be 0–14/) } });
    expect(await t.call('GET', '/api/tiles/context/3/3/2.png?dataset=demo', { role: 'viewer' })).toMatchObject({ status: 400, json: { detail: expect.stringMatching(/\{y\}\.mvt/) } });
    expect(await t.call('GET', path(3, 3, 2, 'nope'), { role: 'viewer' })).toMatchObject({ status: 404, json: { detail: 'no dataset "nope"' } });
  });
});

describe.runIf(realData)('context tiles of the real Nottinghamshire LSOAs', () => {
  it('names the 8 districts over the county, and Hucknall\'s wards and town in its zoom-11 tile', async () => {
    const { z, x, y } = wholeTile(REAL.bbox!);
    const county = layers((await getTile(path(z, x, y, REAL.id))).bytes);
    expect(county.labels.filter((l) => l.kind === 'district').map((l) => l.name).sort()).toEqual(['Ashfield', 'Bassetlaw', 'Broxtowe', 'Gedling', 'Mansfield', 'Newark and Sherwood', 'Nottingham', 'Rushcliffe']);
    expect(county.lines(CONTEXT_TILE_LAYERS.districtBoundaries).length).toBeGreaterThan(0);
    expect(county.lines(CONTEXT_TILE_LAYERS.studyArea).length).toBeGreaterThan(0);
    // Hucknall (Ashfield): 53.038 N, 1.205 W.
    const h = tileAt(-1.205, 53.038, 11);
    const labels = layers((await getTile(path(11, h.x, h.y, REAL.id))).bytes).labels;
    expect(labels.filter((l) => l.kind === 'ward').map((l) => l.name)).toEqual(expect.arrayContaining(['Hucknall North', 'Hucknall South']));
    expect(labels.some((l) => l.kind === 'town' && l.name === 'Hucknall')).toBe(true);
  });
});

describe('ContextTileCache', () => {
  const square = (code: string, lon: number, lat: number, wardName: string | null): Lsoa => ({
    code,
    name: `Place ${code}`,
    districtCode: lon < -1.18 ? 'D1' : 'D2',
    districtName: lon < -1.18 ? 'Westby' : 'Eastby',
    wardName,
    cspCode: null,
    cspName: null,
    population: null,
    imdDecile: null,
    deprivationSource: null,
    geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]] },
    bbox: [lon, lat, lon + 0.01, lat + 0.01],
  });
  const grid = (ward: (i: number) => string | null) => Array.from({ length: 16 }, (_, i) => square(`L${i}`, -1.2 + (i % 4) * 0.01, 53 + Math.floor(i / 4) * 0.01, ward(i)));
  const dataset = (version: string): DatasetSummary => ({ ...REAL, id: 'grid', version });

  it('without wards (data imported without the ward lookup): no ward lines or names, districts and outline as usual', async () => {
    const cache = new ContextTileCache(async () => grid(() => null));
    const { x, y } = tileAt(-1.18, 53.02, 12);
    const tile = layers(await cache.tile(dataset('v1'), 12, x, y));
    expect(tile.names).toEqual([CONTEXT_TILE_LAYERS.districtBoundaries, CONTEXT_TILE_LAYERS.placeLabels, CONTEXT_TILE_LAYERS.studyArea].sort());
    expect(tile.labels.map((l) => l.name).sort()).toEqual(['Eastby', 'Westby']);
  });

  it('with wards: ward lines between the wards of one district, built once per dataset version', async () => {
    let reads = 0;
    const cache = new ContextTileCache(async () => {
      reads++;
      return grid((i) => (i % 4 < 2 ? (i < 8 ? 'West Low' : 'West High') : 'East'));
    });
    const { x, y } = tileAt(-1.18, 53.02, 12);
    const [a] = await Promise.all([cache.tile(dataset('v1'), 12, x, y), cache.tile(dataset('v1'), 12, x + 1, y)]);
    expect(layers(a).names).toContain(CONTEXT_TILE_LAYERS.wardBoundaries);
    expect(cache.builds).toBe(1);
    expect(reads).toBe(1);
    expect(await cache.tile(dataset('v1'), 12, x, y)).toBe(a);
    await cache.tile(dataset('v2'), 12, x, y);
    expect(cache.builds).toBe(2);
  });
  it('many distinct tiles do not rebuild the layer: the tile limit holds for each layer index, not their sum', async () => {
    let reads = 0;
    const lsoas = async () => {
      reads++;
      return demo.lsoas;
    };
    // Every tile over the demo area from zoom 0 to 14: ~1,160 tiles, each layer index cutting at most ~1,050 (their
    // sum is over 3,000). A limit of 1,500 tiles per index must hold them all with one build.
    const sweep = async (cache: ContextTileCache) => {
      const [w, s, e, n] = demo.summary.bbox!;
      let requested = 0;
      for (let z = 0; z <= 14; z++) {
        const a = tileAt(w, n, z);
        const b = tileAt(e, s, z);
        for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++, requested++) await cache.tile(demo.summary, z, x, y);
      }
      return requested;
    };
    const limited = new ContextTileCache(lsoas, { maxIndexTiles: 1_500 });
    expect(await sweep(limited)).toBeGreaterThan(1_000);
    expect(limited.builds).toBe(1);
    expect(reads).toBe(1);
    // With its own defaults (not the LSOA cache's), twice over: one build.
    reads = 0;
    const defaults = new ContextTileCache(lsoas);
    await sweep(defaults);
    await sweep(defaults);
    expect(defaults.builds).toBe(1);
    expect(reads).toBe(1);
    expect(CONTEXT_TILE_INDEX_MAX_TILES).toBeGreaterThan(1_500);
    expect(CONTEXT_TILE_CACHE_BYTES).toBeGreaterThan(0);
    // A limit below what one index cuts still drops and rebuilds (memory stays bounded).
    reads = 0;
    const tight = new ContextTileCache(lsoas, { maxIndexTiles: 200 });
    await sweep(tight);
    expect(tight.builds).toBeGreaterThan(1);
  });
});
