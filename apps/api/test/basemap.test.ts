import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { Compression, FetchSource, PMTiles, TileType, tileIdToZxy, type RangeResponse, type Source } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '@safer-places/schemas';
import { createApp } from '../src/app';
import {
  DEFAULT_MAP_STYLE_ATTRIBUTION,
  DEFAULT_MAP_STYLE_URL,
  DEFAULT_PMTILES_ATTRIBUTION,
  archiveUrlPath,
  baseMapFromEnv,
  plainAttribution,
  styleBaseMap,
} from '../src/basemap/config';
import { ExtractError, extractArchive, planRequests, tileIdsInBox } from '../src/basemap/extract';
import { FIRST_FETCH_BYTES, FileSink, MemorySink, PmtilesWriter, archiveBytes, buildArchive, writeArchiveFile, type ArchiveInfo } from '../src/basemap/pmtiles-writer';
import { nodeDecompress, readArchiveSummary } from '../src/basemap/read';
import { parseRange, serveFileWithRanges } from '../src/basemap/serve';
import { buildVectorArchive } from '../src/basemap/vector';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { UsageError, dailyBuildCandidates, fetchBasemap, forceBBox, parseFetchBasemapArgs } from '../src/basemap/cli';
import { localContentSecurityPolicy, optionsFromEnv, resolveLocalBaseMap } from '../src/runtime/local-server';

/** An archive held in memory, read by the pmtiles library as it would read a file or a URL. */
class BytesSource implements Source {
  reads: [number, number][] = [];
  constructor(private readonly bytes: Uint8Array) {}
  getKey() {
    return 'memory';
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    this.reads.push([offset, length]);
    return { data: this.bytes.slice(offset, offset + length).buffer };
  }
}

const INFO: ArchiveInfo = {
  tileType: TileType.Mvt,
  tileCompression: Compression.Gzip,
  minZoom: 0,
  maxZoom: 14,
  bounds: [-1.35, 52.78, -0.66, 53.51],
  metadata: { name: 'test', attribution: '<a href="https://www.openstreetmap.org/copyright">&copy; OpenStreetMap</a>', vector_layers: [{ id: 'earth' }, { id: 'places' }] },
};

/** A tile whose bytes say where it is (gzip, as the archive declares). */
const tileFor = (z: number, x: number, y: number) => new Uint8Array(gzipSync(Buffer.from(`tile ${z}/${x}/${y}`)));
/** The same with padding of a length that varies from tile to tile. */
function unevenTile(z: number, x: number, y: number): Uint8Array {
  let seed = (x * 7919 + y * 104729 + z) >>> 0;
  const noise = Array.from({ length: seed % 997 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0), 33 + (seed >>> 24) % 90));
  return new Uint8Array(gzipSync(Buffer.concat([Buffer.from(`tile ${z}/${x}/${y} `), Buffer.from(noise)])));
}

describe('base map settings', () => {
  it('default to a keyless public style; empty or "none" is no base map; anything else must be an http(s) URL', () => {
    expect(styleBaseMap(undefined)).toEqual({ kind: 'style', url: DEFAULT_MAP_STYLE_URL, attribution: DEFAULT_MAP_STYLE_ATTRIBUTION });
    expect(DEFAULT_MAP_STYLE_URL).toBe('https://tiles.openfreemap.org/styles/liberty');
    expect(styleBaseMap('')).toEqual({ kind: 'none' });
    expect(styleBaseMap(' None ')).toEqual({ kind: 'none' });
    expect(styleBaseMap('https://tiles.example.org/style.json?key=a')).toEqual({ kind: 'style', url: 'https://tiles.example.org/style.json?key=a' });
    expect(() => styleBaseMap('tiles.example.org/style.json')).toThrow(/MAP_STYLE_URL 'tiles.example.org\/style.json' is not a URL/);
    expect(() => styleBaseMap('ftp://tiles.example.org/style.json')).toThrow(/must be an http\(s\) URL/);
  });

  it('on Lambda: an archive in the site bucket wins over the style, with plain-text attribution', () => {
    expect(baseMapFromEnv({})).toMatchObject({ kind: 'style', url: DEFAULT_MAP_STYLE_URL });
    expect(baseMapFromEnv({ MAP_STYLE_URL: 'none' })).toEqual({ kind: 'none' });
    expect(baseMapFromEnv({ MAP_PMTILES_URL: '/basemap/notts.pmtiles', MAP_STYLE_URL: DEFAULT_MAP_STYLE_URL })).toEqual({
      kind: 'pmtiles',
      url: '/basemap/notts.pmtiles',
      attribution: DEFAULT_PMTILES_ATTRIBUTION,
    });
    expect(baseMapFromEnv({ MAP_PMTILES_URL: '/basemap/notts.pmtiles', MAP_PMTILES_ATTRIBUTION: '<b>© OpenStreetMap</b> &amp; OS' })).toMatchObject({ attribution: '© OpenStreetMap & OS' });
    expect(() => baseMapFromEnv({ MAP_PMTILES_URL: 'https://elsewhere.example/x.pmtiles' })).toThrow(/must be a path under \/basemap\//);
    expect(() => baseMapFromEnv({ MAP_PMTILES_URL: '/basemap/a b.pmtiles' })).toThrow(/must end in .pmtiles/);
  });

  it('attribution is plain text: tags and entities of archive metadata removed', () => {
    expect(plainAttribution(String(INFO.metadata.attribution))).toBe('© OpenStreetMap');
    expect(plainAttribution('<script>alert(1)</script>OSM')).toBe('alert(1) OSM');
    expect(archiveUrlPath('/data/maps/nottinghamshire.pmtiles')).toBe('/basemap/nottinghamshire.pmtiles');
  });

  it('the local server: MAP_STYLE_URL unset means the public style, and its origin is allowed to be fetched', () => {
    expect(optionsFromEnv({}).basemap).toMatchObject({ kind: 'style', url: DEFAULT_MAP_STYLE_URL });
    expect(optionsFromEnv({ MAP_STYLE_URL: '' }).basemap).toEqual({ kind: 'none' });
    expect(optionsFromEnv({ MAP_PMTILES: 'maps/notts.pmtiles' }).pmtilesFile).toMatch(/\/maps\/notts\.pmtiles$/);
    expect(localContentSecurityPolicy({ mapStyleUrl: DEFAULT_MAP_STYLE_URL })).toContain("connect-src 'self' https://tiles.openfreemap.org;");
  });
});

describe('GET /api/config answers the base map', () => {
  const deps = { verifier: { verify: async () => null } } as unknown as Parameters<typeof createApp>[0];
  it('as configured, with the style URL also as mapStyleUrl for older web apps', async () => {
    const pmtiles = { kind: 'pmtiles', url: '/basemap/a.pmtiles', attribution: '© OpenStreetMap' } as const;
    const res = await createApp({ ...deps, config: { mapStyleUrl: null, basemap: pmtiles } }).request('/api/config');
    expect(await res.json()).toEqual({ mapStyleUrl: null, basemap: pmtiles, devSignIn: false });
    const old = await createApp({ ...deps, config: { mapStyleUrl: 'https://t.example/s.json' } }).request('/api/config');
    expect(await old.json()).toMatchObject({ basemap: { kind: 'style', url: 'https://t.example/s.json' } });
  });
});

describe('PMTiles writer', () => {
  it('writes a clustered v3 archive the pmtiles library reads back: header, metadata, every tile, runs and repeats', async () => {
    const tiles = [];
    for (let z = 0; z <= 6; z++) for (let x = 0; x < Math.min(2 ** z, 6); x++) for (let y = 0; y < Math.min(2 ** z, 5); y++) tiles.push({ z, x, y, data: tileFor(z, x, y) });
    // A run of identical tiles (sea) and a repeat far away: stored once.
    const sea = new Uint8Array(gzipSync(Buffer.from('sea')));
    for (let x = 20; x < 40; x++) tiles.push({ z: 7, x, y: 100, data: sea });
    tiles.push({ z: 8, x: 200, y: 200, data: sea });
    const { bytes, layout } = buildArchive(INFO, tiles);
    expect(layout.leafDirectories).toBe(0);
    expect(layout.numAddressedTiles).toBe(tiles.length);
    expect(layout.numTileContents).toBe(tiles.length - 20);

    const archive = new PMTiles(new BytesSource(bytes), undefined, nodeDecompress);
    const header = await archive.getHeader();
    expect(header).toMatchObject({ specVersion: 3, clustered: true, tileType: TileType.Mvt, tileCompression: Compression.Gzip, internalCompression: Compression.Gzip, minZoom: 0, maxZoom: 14 });
    expect([header.minLon, header.minLat, header.maxLon, header.maxLat]).toEqual(INFO.bounds);
    expect(header.numAddressedTiles).toBe(tiles.length);
    expect(header.numTileEntries).toBeLessThan(tiles.length); // the run of 20 is one entry
    expect(await archive.getMetadata()).toEqual(INFO.metadata);
    for (const t of tiles) {
      const got = await archive.getZxy(t.z, t.x, t.y);
      expect(got, `${t.z}/${t.x}/${t.y}`).toBeDefined();
      expect(Buffer.from(got!.data).toString()).toBe(t.data === sea ? 'sea' : `tile ${t.z}/${t.x}/${t.y}`);
    }
    expect(await archive.getZxy(6, 63, 63)).toBeUndefined();
  });

  it('puts entries in leaf directories when the root would not fit in the first 16 KiB', async () => {
    const tiles = [];
    // Tiles of uneven sizes with gaps between them, as real ones are: their directory does not compress to nothing.
    for (let x = 0; x < 160; x++) for (let y = 0; y < 160; y++) if ((x * 7 + y * 3) % 5 !== 0) tiles.push({ z: 10, x: 400 + x, y: 300 + y, data: unevenTile(10, 400 + x, 300 + y) });
    const { bytes, layout } = buildArchive({ ...INFO, minZoom: 10, maxZoom: 10 }, tiles);
    expect(layout.leafDirectories).toBeGreaterThan(1);
    const source = new BytesSource(bytes);
    const archive = new PMTiles(source, undefined, nodeDecompress);
    const header = await archive.getHeader();
    expect(header.rootDirectoryOffset + header.rootDirectoryLength).toBeLessThanOrEqual(FIRST_FETCH_BYTES);
    expect(header.leafDirectoryLength).toBeGreaterThan(0);
    for (const t of [tiles[0]!, tiles[12_345]!, tiles.at(-1)!]) expect(Buffer.from((await archive.getZxy(t.z, t.x, t.y))!.data).toString()).toMatch(new RegExp(`^tile 10/${t.x}/${t.y} `));
    expect(await archive.getZxy(10, 400, 300)).toBeUndefined(); // one of the gaps
  });

  it('with a small root forced, still one level of leaves that reads back every tile', async () => {
    const tiles = [];
    for (let x = 0; x < 30; x++) for (let y = 0; y < 30; y++) tiles.push({ z: 9, x: 250 + x, y: 160 + y, data: unevenTile(9, 250 + x, 160 + y) });
    const { bytes, layout } = buildArchive({ ...INFO, minZoom: 9, maxZoom: 9 }, tiles, { rootDirectoryMaxBytes: 200 });
    expect(layout.leafDirectories).toBeGreaterThan(1);
    const archive = new PMTiles(new BytesSource(bytes), undefined, nodeDecompress);
    for (const t of tiles) expect(Buffer.from((await archive.getZxy(t.z, t.x, t.y))!.data).toString()).toMatch(new RegExp(`^tile 9/${t.x}/${t.y} `));
  });

  it('refuses tiles out of tile id order (the archive would not be clustered)', async () => {
    const { PmtilesWriter } = await import('../src/basemap/pmtiles-writer');
    const w = new PmtilesWriter(INFO, new MemorySink());
    w.addTile(5, 3, 3, tileFor(5, 3, 3));
    expect(() => w.addTile(0, 0, 0, tileFor(0, 0, 0))).toThrow(/increasing tile id order/);
    expect(archiveBytes(w.layout(), new MemorySink()).length).toBeGreaterThan(127);
  });
});

describe('range serving of the archive file', () => {
  let dir: string;
  let file: string;
  const app = new Hono();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'basemap-serve-'));
    file = join(dir, 'a.pmtiles');
    writeFileSync(file, Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251)));
    app.on(['GET', 'HEAD'], '/basemap/a.pmtiles', (c) => serveFileWithRanges(c, file));
    app.get('/basemap/missing.pmtiles', (c) => serveFileWithRanges(c, join(dir, 'missing.pmtiles')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const get = (headers: Record<string, string> = {}, method = 'GET') => app.request('/basemap/a.pmtiles', { method, headers });

  it('206 with Content-Range for a range, a suffix and an open end', async () => {
    const r = await get({ range: 'bytes=10-19' });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(r.headers.get('content-length')).toBe('10');
    expect(r.headers.get('accept-ranges')).toBe('bytes');
    expect([...new Uint8Array(await r.arrayBuffer())]).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i));
    const suffix = await get({ range: 'bytes=-5' });
    expect(suffix.headers.get('content-range')).toBe('bytes 995-999/1000');
    expect((await suffix.arrayBuffer()).byteLength).toBe(5);
    const open = await get({ range: 'bytes=990-' });
    expect(open.headers.get('content-range')).toBe('bytes 990-999/1000');
    const beyond = await get({ range: 'bytes=0-16383' }); // the pmtiles reader's first read of a small file
    expect(beyond.status).toBe(206);
    expect(beyond.headers.get('content-range')).toBe('bytes 0-999/1000');
  });

  it('416 for a range past the end; 200 for the whole file, a different If-Range or an unusable Range', async () => {
    const past = await get({ range: 'bytes=1000-1005' });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */1000');
    const whole = await get();
    expect(whole.status).toBe(200);
    expect((await whole.arrayBuffer()).byteLength).toBe(1000);
    expect((await get({ range: 'bytes=0-1', 'if-range': '"other"' })).status).toBe(200);
    expect((await get({ range: 'bytes=0-1,5-6' })).status).toBe(200);
    expect(parseRange('items=0-1', 10)).toBe('whole');
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
  });

  it('a strong ETag that changes with the file; If-None-Match answers 304; HEAD has no body', async () => {
    const etag = (await get()).headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect((await get({ 'if-none-match': etag })).status).toBe(304);
    const ranged = await get({ range: 'bytes=0-1', 'if-range': etag });
    expect(ranged.status).toBe(206);
    const head = await get({}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('1000');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    utimesSync(file, new Date(), new Date(Date.now() + 60_000));
    expect((await get()).headers.get('etag')).not.toBe(etag);
    expect((await app.request('/basemap/missing.pmtiles')).status).toBe(404);
  });
});

describe('regional extract over HTTP range requests', () => {
  let dir: string;
  let server: ServerType;
  let url: string;
  let planet: Uint8Array;
  const region: [number, number, number, number] = [-1.35, 52.78, -0.66, 53.51];
  let requests: string[] = [];
  /** Requests answered before the source "goes down" (503). */
  let answerRequests = Infinity;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basemap-extract-'));
    // A "planet": every tile to zoom 5, and zooms 6-10 over England, so the box is a small part of it.
    const tiles = [];
    for (let z = 0; z <= 10; z++) {
      const n = 2 ** z;
      const ids = z <= 5 ? tileIdsInBox([-180, -85, 180, 85], z, z) : tileIdsInBox([-6, 50, 2, 56], z, z);
      for (const id of ids) {
        const [, x, y] = tileIdToZxy(id);
        tiles.push({ z, x, y, data: x % 7 === 0 && z > 3 ? new Uint8Array(gzipSync(Buffer.from('sea'))) : tileFor(z, x, y) });
      }
      expect(n).toBeGreaterThan(0);
    }
    planet = buildArchive({ ...INFO, maxZoom: 10, bounds: [-180, -85, 180, 85] }, tiles).bytes;
    const file = join(dir, 'planet.pmtiles');
    writeFileSync(file, planet);
    const app = new Hono();
    app.use('*', async (c, next) => {
      requests.push(c.req.header('range') ?? 'whole');
      if (requests.length > answerRequests) return c.text('down', 503);
      await next();
    });
    app.get('/planet.pmtiles', (c) => serveFileWithRanges(c, file));
    server = await new Promise<ServerType>((ok) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/planet.pmtiles`;
  });
  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies exactly the tiles over the box, bytes unchanged, in a few merged requests', async () => {
    requests = [];
    const sink = new MemorySink();
    const result = await extractArchive({ source: new FetchSource(url), bbox: region, maxZoom: 9, sink, maxGapBytes: 4096 });
    const expected = tileIdsInBox(region, 0, 9);
    expect(result.tiles).toBe(expected.length);
    expect(result.requests).toBeLessThan(expected.length);
    expect(requests.every((r) => r.startsWith('bytes='))).toBe(true);

    const extract = new PMTiles(new BytesSource(archiveBytes(result.writer.layout(), sink)), undefined, nodeDecompress);
    const header = await extract.getHeader();
    expect(header).toMatchObject({ minZoom: 0, maxZoom: 9, clustered: true, numAddressedTiles: expected.length });
    expect([header.minLon, header.minLat, header.maxLon, header.maxLat]).toEqual(region);
    expect(await extract.getMetadata()).toMatchObject({ attribution: INFO.metadata.attribution, 'safer-places:extract': { maxzoom: 9 } });
    const source = new PMTiles(new BytesSource(planet), undefined, nodeDecompress);
    for (const id of expected) {
      const [z, x, y] = tileIdToZxy(id);
      const a = await extract.getZxy(z, x, y);
      const b = await source.getZxy(z, x, y);
      expect(Buffer.from(a!.data).toString(), `${z}/${x}/${y}`).toBe(Buffer.from(b!.data).toString());
    }
    // Outside the box: not copied.
    expect(await extract.getZxy(9, 0, 0)).toBeUndefined();
  });

  it('npm run fetch-basemap replaces the archive whole: a reader of the old file keeps it, and nothing is left beside it', async () => {
    const out = join(dir, 'out', 'notts.pmtiles');
    await fetchBasemap({ bbox: region, force: null, source: url, maxZoom: 6, out }, () => {});
    const old = readFileSync(out);
    // A running server has the old archive open while the new one is written.
    const reader = openSync(out, 'r');
    try {
      await fetchBasemap({ bbox: region, force: null, source: url, maxZoom: 8, out }, () => {});
      const seen = Buffer.alloc(old.length);
      expect(readSync(reader, seen, 0, old.length, 0)).toBe(old.length);
      expect(seen.equals(old)).toBe(true);
    } finally {
      closeSync(reader);
    }
    expect((await readArchiveSummary(out)).maxZoom).toBe(8);
    expect(readdirSync(join(dir, 'out'))).toEqual(['notts.pmtiles']);
  });

  it('a fetch that fails midway leaves the previous archive as it was, and no part files', async () => {
    const out = join(dir, 'failed', 'notts.pmtiles');
    await fetchBasemap({ bbox: region, force: null, source: url, maxZoom: 6, out }, () => {});
    const before = readFileSync(out);
    requests = [];
    answerRequests = 3;
    try {
      await expect(fetchBasemap({ bbox: region, force: null, source: url, maxZoom: 9, out }, () => {})).rejects.toThrow();
    } finally {
      answerRequests = Infinity;
    }
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'failed'))).toEqual(['notts.pmtiles']);
  });

  it('stops at the source’s deepest zoom, and refuses a box with too many tiles', async () => {
    const result = await extractArchive({ source: new FetchSource(url), bbox: region, maxZoom: 15, sink: new MemorySink() });
    expect(result.writer.layout().head.length).toBeGreaterThan(127);
    expect(result.tiles).toBe(tileIdsInBox(region, 0, 10).length);
    await expect(extractArchive({ source: new FetchSource(url), bbox: region, maxZoom: 10, maxTiles: 10 })).rejects.toThrow(ExtractError);
  });

  it('groups neighbouring ranges into requests within the gap and size limits', () => {
    expect(planRequests([{ offset: 100, length: 10 }, { offset: 0, length: 10 }, { offset: 15, length: 5 }], 10, 1000)).toEqual([{ offset: 0, length: 20 }, { offset: 100, length: 10 }]);
    expect(planRequests([{ offset: 0, length: 10 }, { offset: 10, length: 10 }], 10, 15)).toEqual([{ offset: 0, length: 10 }, { offset: 10, length: 10 }]);
  });
});

describe('npm run fetch-basemap arguments', () => {
  it('a box or a force, a zoom up to 15, an http(s) source and a .pmtiles output', () => {
    expect(parseFetchBasemapArgs(['--bbox', '-1.35,52.78,-0.66,53.51'], '/tmp')).toMatchObject({ bbox: [-1.35, 52.78, -0.66, 53.51], force: null, maxZoom: 15, source: null });
    expect(parseFetchBasemapArgs(['--force', 'Nottinghamshire', '--maxzoom', '12', '--out', 'x/notts.pmtiles'], '/tmp')).toMatchObject({ force: 'nottinghamshire', maxZoom: 12, out: '/tmp/x/notts.pmtiles' });
    const bad: [string[], RegExp][] = [
      [[], /either --bbox or --force/],
      [['--bbox', '1,2,3'], /four numbers/],
      [['--bbox', '3,2,1,4'], /is empty/],
      [['--bbox', '-1,52,-0.5,53', '--force', 'x'], /either --bbox or --force/],
      [['--force', 'west yorkshire'], /police.uk force id/],
      [['--force', 'x', '--maxzoom', '16'], /0 to 15/],
      [['--force', 'x', '--source', 'file:///planet.pmtiles'], /http\(s\) URL/],
      [['--force', 'x', '--out', 'notts.mbtiles'], /must end in .pmtiles/],
      [['--force', 'x', '--zoom', '3'], /Unknown option/],
    ];
    for (const [args, message] of bad) expect(() => parseFetchBasemapArgs(args), args.join(' ')).toThrow(message);
    expect(() => parseFetchBasemapArgs([])).toThrow(UsageError);
  });

  it('the newest daily builds first; a force’s box from the imported dataset whose study area it is', () => {
    expect(dailyBuildCandidates(new Date('2025-03-02T10:00:00Z'), 3)).toEqual([
      'https://build.protomaps.com/20250302.pmtiles',
      'https://build.protomaps.com/20250301.pmtiles',
      'https://build.protomaps.com/20250228.pmtiles',
    ]);
    const dataset = (id: string, force: string | null, bbox: DatasetSummary['bbox'], synthetic = false) =>
      ({ id, synthetic, bbox, studyArea: { force: force ? { code: null, name: force } : null } }) as DatasetSummary;
    const datasets = [dataset('demo', 'Nottinghamshire', [0, 0, 1, 1], true), dataset('open-data', 'Nottinghamshire Police', [-1.35, 52.78, -0.66, 53.51]), dataset('x', null, [0, 0, 1, 1])];
    expect(forceBBox(datasets, 'nottinghamshire')).toEqual([-1.35, 52.78, -0.66, 53.51]);
    expect(() => forceBBox(datasets, 'derbyshire')).toThrow(/no imported dataset has the force 'derbyshire'.*imported: nottinghamshire \(dataset demo\), nottinghamshire-police \(dataset open-data\)/);
  });
});

describe('the local server’s base map', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'basemap-local-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a PMTiles file wins over the style, with the attribution from its metadata unless one is given', async () => {
    const file = join(dir, 'notts.pmtiles');
    writeFileSync(file, buildArchive(INFO, [{ z: 0, x: 0, y: 0, data: tileFor(0, 0, 0) }]).bytes);
    expect(await readArchiveSummary(file)).toMatchObject({ minZoom: 0, maxZoom: 14, vectorLayers: ['earth', 'places'] });
    expect(await resolveLocalBaseMap({ pmtilesFile: file, basemap: styleBaseMap(undefined) })).toEqual({ kind: 'pmtiles', url: '/basemap/notts.pmtiles', attribution: '© OpenStreetMap' });
    expect(await resolveLocalBaseMap({ pmtilesFile: file, pmtilesAttribution: 'Contains OS data © Crown copyright' })).toMatchObject({ attribution: 'Contains OS data © Crown copyright' });
    expect(await resolveLocalBaseMap({})).toEqual({ kind: 'none' });
    expect(await resolveLocalBaseMap({ mapStyleUrl: 'https://t.example/s.json' })).toEqual({ kind: 'style', url: 'https://t.example/s.json' });
  });

  it('writing an archive file never truncates the one in place: a failed write leaves it whole, with no temporary files', async () => {
    const out = join(dir, 'written.pmtiles');
    writeFileSync(out, buildArchive(INFO, [{ z: 0, x: 0, y: 0, data: tileFor(0, 0, 0) }]).bytes);
    const before = readFileSync(out);
    const sink = new FileSink(join(dir, 'written.pmtiles.part'));
    const writer = new PmtilesWriter(INFO, sink);
    writer.addTile(1, 0, 0, tileFor(1, 0, 0));
    // The tile data is lost before the archive is written (disk trouble, a crash between the steps).
    rmSync(sink.path);
    await expect(writeArchiveFile(out, writer.layout(), sink)).rejects.toThrow();
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('written.'))).toEqual(['written.pmtiles']);

    const good = new FileSink(join(dir, 'written.pmtiles.part'));
    const next = new PmtilesWriter({ ...INFO, maxZoom: 9 }, good);
    next.addTile(1, 0, 0, tileFor(1, 0, 0));
    await writeArchiveFile(out, next.layout(), good);
    expect((await readArchiveSummary(out)).maxZoom).toBe(9);
    expect(existsSync(good.path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('written.'))).toEqual(['written.pmtiles']);
  });

  it('an archive shorter than its header says (a copy or download cut short) stops the start', async () => {
    const whole = buildArchive(INFO, [0, 1, 2].map((x) => ({ z: 2, x, y: 1, data: unevenTile(2, x, 1) }))).bytes;
    const cut = join(dir, 'cut.pmtiles');
    writeFileSync(cut, whole.subarray(0, whole.length - 10));
    await expect(readArchiveSummary(cut)).rejects.toThrow(/cut.pmtiles is truncated: \d+ bytes, but its header places data up to byte \d+/);
    await expect(resolveLocalBaseMap({ pmtilesFile: cut })).rejects.toThrow(/truncated/);
    writeFileSync(cut, whole);
    await expect(readArchiveSummary(cut)).resolves.toMatchObject({ maxZoom: 14 });
  });

  it('a missing or wrong file stops the start with a clear message', async () => {
    await expect(resolveLocalBaseMap({ pmtilesFile: join(dir, 'none.pmtiles') })).rejects.toThrow(/MAP_PMTILES: .*none.pmtiles does not exist/);
    const junk = join(dir, 'junk.pmtiles');
    writeFileSync(junk, 'not an archive at all, just text');
    await expect(resolveLocalBaseMap({ pmtilesFile: junk })).rejects.toThrow(/is not a PMTiles archive/);
  });
});

describe('a vector base map built from GeoJSON layers', () => {
  it('cuts each layer into gzip MVT tiles named as the Protomaps schema, readable back from the archive', async () => {
    const square = { type: 'Polygon', coordinates: [[[-1.2, 52.9], [-1.1, 52.9], [-1.1, 53.0], [-1.2, 53.0], [-1.2, 52.9]]] };
    const { bytes, tiles } = buildVectorArchive({
      layers: {
        earth: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: square, properties: {} }] },
        places: {
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', geometry: { type: 'Point', coordinates: [-1.15, 52.95] }, properties: { kind: 'locality', name: 'Testford', min_zoom: 4 } },
            { type: 'Feature', geometry: { type: 'Point', coordinates: [-1.16, 52.96] }, properties: { kind: 'locality', name: 'Little Testing', min_zoom: 9 } },
          ],
        },
      } as never,
      maxZoom: 10,
      attribution: 'Contains OS data © Crown copyright',
    });
    expect(tiles).toBe(tileIdsInBox([-1.2, 52.9, -1.1, 53.0], 0, 10).length);
    const archive = new PMTiles(new BytesSource(bytes), undefined, nodeDecompress);
    expect(await archive.getMetadata()).toMatchObject({ attribution: 'Contains OS data © Crown copyright', vector_layers: [{ id: 'earth' }, { id: 'places' }] });
    const [, x, y] = tileIdToZxy(tileIdsInBox([-1.15, 52.95, -1.15, 52.95], 10, 10)[0]!);
    const tile = new VectorTile(new PbfReader(new Uint8Array((await archive.getZxy(10, x, y))!.data)));
    expect(Object.keys(tile.layers).sort()).toEqual(['earth', 'places']);
    const names = (t: VectorTile) => Array.from({ length: t.layers.places?.length ?? 0 }, (_, i) => t.layers.places!.feature(i).properties.name);
    expect(names(tile).sort()).toEqual(['Little Testing', 'Testford']);
    // Below its min_zoom a place is not in the tiles.
    const [, x8, y8] = tileIdToZxy(tileIdsInBox([-1.15, 52.95, -1.15, 52.95], 8, 8)[0]!);
    expect(names(new VectorTile(new PbfReader(new Uint8Array((await archive.getZxy(8, x8, y8))!.data))))).toEqual(['Testford']);
  });
});
