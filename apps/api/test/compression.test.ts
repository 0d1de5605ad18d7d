import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESSION_THRESHOLD_BYTES, chooseEncoding } from '../src/compression';
import { seedDemo, startTestApp } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t);
});
afterAll(() => t.close());

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers: { Authorization: `Bearer ${await t.tokenFor('viewer')}`, ...headers } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

const LAYER = '/api/layers/lsoas?dataset=demo';

describe('compressed answers', () => {
  it('gzip and br bodies decode to the same JSON as the plain answer, with Vary: Accept-Encoding', async () => {
    const plain = await get(LAYER);
    expect(plain.res.status).toBe(200);
    expect(plain.res.headers.get('Content-Encoding')).toBeNull();
    expect(plain.res.headers.get('Vary')).toMatch(/Accept-Encoding/);
    expect(plain.bytes.byteLength).toBeGreaterThan(COMPRESSION_THRESHOLD_BYTES);
    const json = JSON.parse(plain.bytes.toString('utf8'));
    expect(json.features.length).toBeGreaterThan(100);

    const gz = await get(LAYER, { 'Accept-Encoding': 'gzip' });
    expect(gz.res.headers.get('Content-Encoding')).toBe('gzip');
    expect(gz.res.headers.get('Vary')).toMatch(/Accept-Encoding/);
    expect(gz.res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(JSON.parse(gunzipSync(gz.bytes).toString('utf8'))).toEqual(json);
    expect(gz.bytes.byteLength).toBeLessThan(plain.bytes.byteLength / 2);

    const br = await get(LAYER, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.res.headers.get('Content-Encoding')).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.bytes).toString('utf8'))).toEqual(json);
  });

  it('keeps the ETag across encodings, so a revalidation is a 304 whichever encoding was used', async () => {
    const gz = await get(LAYER, { 'Accept-Encoding': 'gzip' });
    const tag = gz.res.headers.get('ETag')!;
    expect(tag).toMatch(/^W\//);
    expect((await get(LAYER)).res.headers.get('ETag')).toBe(tag);
    const again = await get(LAYER, { 'Accept-Encoding': 'br', 'If-None-Match': tag });
    expect(again.res.status).toBe(304);
    expect(again.bytes.byteLength).toBe(0);
  });

  it('compresses vector tiles too', async () => {
    const [w, s] = (await t.reference.getDataset('demo'))!.bbox!;
    // A tile large enough to compress: the one holding the whole (small) demo area at zoom 8.
    const big = await get(`/api/tiles/lsoas/8/${lonToX(w, 8)}/${latToY(s, 8)}.mvt?dataset=demo`, { 'Accept-Encoding': 'br' });
    const bigPlain = await get(`/api/tiles/lsoas/8/${lonToX(w, 8)}/${latToY(s, 8)}.mvt?dataset=demo`);
    expect(big.res.status).toBe(200);
    expect(bigPlain.bytes.byteLength).toBeGreaterThan(COMPRESSION_THRESHOLD_BYTES);
    expect(big.res.headers.get('Content-Encoding')).toBe('br');
    expect(brotliDecompressSync(big.bytes).equals(bigPlain.bytes)).toBe(true);
    expect(big.res.headers.get('Content-Type')).toBe('application/vnd.mapbox-vector-tile');
  });

  it('sends small answers and answers without Accept-Encoding as they are', async () => {
    const health = await t.app.request('/api/health', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(health.headers.get('Content-Encoding')).toBeNull();
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const refused = await get(LAYER, { 'Accept-Encoding': 'gzip;q=0, br;q=0' });
    expect(refused.res.headers.get('Content-Encoding')).toBeNull();
    expect(JSON.parse(refused.bytes.toString('utf8')).type).toBe('FeatureCollection');
  });
});

describe('chooseEncoding', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0.2, gzip;q=0.5', 'gzip'],
    ['deflate', null],
    ['gzip;q=0, br;q=0', null],
  ] as const)('%s → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

function lonToX(lon: number, z: number) {
  return Math.floor(((lon + 180) / 360) * 2 ** z);
}
function latToY(lat: number, z: number) {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
}
