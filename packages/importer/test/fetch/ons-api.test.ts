import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/fetch/http';
import { OnsApi, toAreaGeometry } from '../../src/fetch/ons-api';
import { BOUNDARY_PATH, LAD_A, LAD_B, LOOKUP_PATH, buildWorld, startFixtureServer, type FixtureServer } from './fixture-server';

const world = buildWorld();
let server: FixtureServer;
let broken: FixtureServer;

beforeAll(async () => {
  // Pages of 4 records force the client to follow exceededTransferLimit.
  server = await startFixtureServer(world, { onsPageSize: 4 });
  broken = await startFixtureServer(world, {
    intercept: (r) => (r.path.endsWith(LOOKUP_PATH) ? { status: 200, body: { error: { code: 400, message: 'Unable to complete operation.', details: ["'where' parameter is invalid"] } } } : undefined),
  });
});
afterAll(async () => {
  await Promise.all([server.close(), broken.close()]);
});

const http = () => new HttpClient({ baseDelayMs: 5, maxDelayMs: 20 });

describe('ONS lookup', () => {
  it('collects every page of the districts’ LSOAs', async () => {
    const before = server.requests.length;
    const ons = new OnsApi(server.onsUrl, http(), { pageSize: 2000 });
    const rows = await ons.lookupLsoas([LAD_A, LAD_B]);
    const expected = world.lsoas.filter((l) => l.lad === LAD_A || l.lad === LAD_B);
    expect(rows.map((r) => r.lsoa21cd)).toEqual(expected.map((l) => l.code).sort());
    expect(rows[0]).toEqual({ lsoa21cd: expected[0]!.code, lsoa21nm: expected[0]!.name, wd24cd: expected[0]!.wardCode, wd24nm: expected[0]!.wardName, lad24cd: LAD_A, lad24nm: 'Mansfield' });
    const calls = server.requests.slice(before);
    // 15 LSOAs at 4 per page (the server's cap, though 2000 was asked for) = 4 pages.
    expect(calls).toHaveLength(4);
    expect(calls.map((c) => c.query.get('resultOffset'))).toEqual(['0', '4', '8', '12']);
    expect(calls[0]!.query.get('where')).toBe(`LAD24CD IN ('${LAD_A}','${LAD_B}')`);
    expect(calls[0]!.query.get('outFields')).toBe('LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM');
    expect(calls[0]!.query.get('f')).toBe('json');
  });

  it('reports an ArcGIS error object (sent with HTTP 200) as a failure', async () => {
    const ons = new OnsApi(broken.onsUrl, http());
    await expect(ons.lookupLsoas([LAD_A])).rejects.toThrow(/ArcGIS error 400 Unable to complete operation.; 'where' parameter is invalid/);
  });
});

describe('ONS boundaries', () => {
  it('queries codes in batches and follows paging in GeoJSON answers', async () => {
    const before = server.requests.length;
    const ons = new OnsApi(server.onsUrl, http(), { batchSize: 10 });
    const codes = world.lsoas.filter((l) => l.lad === LAD_A || l.lad === LAD_B).map((l) => l.code);
    const got = await ons.boundaries(codes);
    expect(got.map((b) => b.code).sort()).toEqual([...codes].sort());
    const calls = server.requests.slice(before);
    // Batches of 10 and 5 codes; pages of 4: 3 + 2 requests.
    expect(calls).toHaveLength(5);
    for (const c of calls) {
      expect(c.path.endsWith(BOUNDARY_PATH)).toBe(true);
      expect(c.query.get('outSR')).toBe('4326');
      expect(c.query.get('f')).toBe('geojson');
    }
    const one = got.find((b) => b.code === codes[0])!;
    const src = world.lsoas.find((l) => l.code === codes[0])!;
    expect(one.name).toBe(src.name);
    expect(one.geometry).toEqual({ type: 'Polygon', coordinates: [src.ring] }); // rounded back to 6 d.p.
  });

  it('never sends more than 100 codes in one query', async () => {
    const before = server.requests.length;
    const ons = new OnsApi(server.onsUrl, http(), { batchSize: 500 });
    const codes = Array.from({ length: 250 }, (_, i) => `E01${String(i).padStart(6, '0')}`);
    await ons.boundaries(codes);
    const calls = server.requests.slice(before);
    expect(calls).toHaveLength(3);
    for (const c of calls) expect((c.query.get('where')!.match(/'/g) ?? []).length / 2).toBeLessThanOrEqual(100);
  });
});

describe('toAreaGeometry', () => {
  it('closes rings, drops repeated vertices and unwraps one-part multipolygons', () => {
    expect(
      toAreaGeometry({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 0.0000001], [1, 1], [0, 1]]]] }),
    ).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] });
    expect(toAreaGeometry({ type: 'Point', coordinates: [0, 0] })).toBeNull();
    expect(toAreaGeometry(null)).toBeNull();
  });
});
