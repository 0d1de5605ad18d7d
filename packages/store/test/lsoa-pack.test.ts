import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AreaGeometry, BBox, Lsoa } from '@safer-places/schemas';
import { decodeLsoaPack, encodeLsoaPack } from '../src/lsoa-pack';

/** A small deterministic generator, so the cases are the same on every run. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function ring(random: () => number, cx: number, cy: number, r: number, n: number, decimals: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * 2 * Math.PI;
    const k = r * (0.6 + 0.4 * random());
    out.push([Number((cx + k * Math.cos(a)).toFixed(decimals)), Number((cy + k * Math.sin(a)).toFixed(decimals))]);
  }
  out.push([out[0]![0], out[0]![1]]);
  return out;
}

function bboxOf(g: AreaGeometry): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of polygons) for (const p of rings[0]!) {
    b[0] = Math.min(b[0], p[0]!);
    b[1] = Math.min(b[1], p[1]!);
    b[2] = Math.max(b[2], p[0]!);
    b[3] = Math.max(b[3], p[1]!);
  }
  return b;
}

function lsoas(count: number, decimals: number, seed = 7): Lsoa[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) => {
    const cx = -2 + random() * 2;
    const cy = 52 + random() * 2;
    const outer = ring(random, cx, cy, 0.01, 5 + Math.floor(random() * 60), decimals);
    const geometry: AreaGeometry =
      i % 5 === 0
        ? { type: 'MultiPolygon', coordinates: [[outer, ring(random, cx, cy, 0.002, 6, decimals)], [ring(random, cx + 0.05, cy, 0.004, 9, decimals)]] }
        : { type: 'Polygon', coordinates: [outer] };
    return {
      code: `E01${String(i).padStart(6, '0')}`,
      name: i % 7 === 0 ? `Newark and Sherwood ${String(i).padStart(3, '0')}A` : `Bassetlaw ${i}B`,
      districtCode: i % 2 ? 'E07000171' : 'E07000175',
      districtName: i % 2 ? 'Bassetlaw' : 'Newark and Sherwood',
      wardName: i % 3 === 0 ? null : `Ward ‘${i % 11}’ — Ollerton & Boughton`,
      cspCode: i % 4 === 0 ? null : 'E22000123',
      cspName: i % 4 === 0 ? null : 'Bassetlaw, Newark and Sherwood',
      population: i % 6 === 0 ? null : i % 13 === 0 ? 1_000.5 + i : 1_000 + i,
      imdDecile: i % 8 === 0 ? null : 1 + (i % 10),
      deprivationSource: i % 9 === 0 ? null : 'IoD 2025 (LSOA 2021)',
      geometry,
      bbox: bboxOf(geometry),
    };
  });
}

const gunzipped = (b: Uint8Array) => gunzipSync(b);
const isFormat2 = (b: Uint8Array) => gunzipped(b).subarray(0, 4).toString('latin1') === 'SPL2';

describe('packed LSOA copy', () => {
  it('decodes to the same LSOAs, field by field, at the coordinates’ own precision', () => {
    for (const decimals of [5, 6, 7]) {
      const input = lsoas(400, decimals, decimals);
      const packed = encodeLsoaPack(input);
      expect(isFormat2(packed)).toBe(true);
      expect(decodeLsoaPack(packed)).toEqual(input);
    }
  });

  it('keeps full-precision coordinates exactly (written as float64) and coordinates far apart', () => {
    const input = lsoas(50, 15);
    input[3]!.geometry = { type: 'Polygon', coordinates: [[[-179.999999999, -89.5], [179.123456789012, 89.987654321], [0.1 + 0.2, 1e-9], [-179.999999999, -89.5]]] };
    input[3]!.bbox = [-179.999999999, -89.5, 179.123456789012, 89.987654321];
    const packed = encodeLsoaPack(input);
    expect(isFormat2(packed)).toBe(true);
    expect(decodeLsoaPack(packed)).toEqual(input);
    // At a scale, a jump across the world is one long varint, not a wrong number.
    const world = lsoas(3, 5);
    world[1]!.geometry = { type: 'Polygon', coordinates: [[[-179.99999, -89.99999], [179.99999, 89.99999], [0, 0], [-179.99999, -89.99999]]] };
    expect(decodeLsoaPack(encodeLsoaPack(world))).toEqual(world);
  });

  it('keeps negative zero (as float64: a whole number of steps would give 0)', () => {
    const input = lsoas(5, 5);
    input[1]!.geometry = { type: 'Polygon', coordinates: [[[-0, 51.5], [0.001, 51.5], [0.001, 51.501], [-0, 51.5]]] };
    input[1]!.bbox = [-0, 51.5, 0.001, 51.501];
    const decoded = decodeLsoaPack(encodeLsoaPack(input));
    expect(Object.is(decoded[1]!.bbox[0], -0)).toBe(true);
    expect(Object.is((decoded[1]!.geometry.coordinates[0] as number[][])[0]![0], -0)).toBe(true);
    expect(decoded).toEqual(input);
  });

  it('gives a copy earlier versions wrote in the same field order as its own', () => {
    const input = lsoas(3, 5);
    const shuffled = input.map(({ bbox, geometry, code, ...rest }) => ({ bbox, ...rest, geometry, code }));
    const decoded = decodeLsoaPack(gzipSync(Buffer.from(JSON.stringify(shuffled))));
    expect(decoded.map((l) => Object.keys(l))).toEqual(input.map((l) => Object.keys(l)));
    expect(decoded).toEqual(input);
  });

  it('is smaller than the gzipped JSON it replaces', () => {
    const input = lsoas(2_000, 5);
    const json = gzipSync(Buffer.from(JSON.stringify(input)));
    expect(encodeLsoaPack(input).length).toBeLessThan(json.length * 0.7);
  });

  it('packs LSOAs of another shape as gzipped JSON, and reads the JSON copies earlier versions wrote', () => {
    const extra = lsoas(20, 5).map((l) => ({ ...l, note: 'a field this format does not know' }));
    const withAltitude = lsoas(20, 5);
    // Positions with a height, as some GeoJSON has (the Position type allows two numbers only).
    withAltitude[2]!.geometry = { type: 'Polygon', coordinates: [[[-1, 52, 10], [-1.1, 52, 10], [-1.1, 52.1, 10], [-1, 52, 10]]] } as unknown as Lsoa['geometry'];
    const missingWard = lsoas(20, 5).map(({ wardName: _w, ...rest }) => rest as Lsoa);
    for (const input of [extra, withAltitude, missingWard]) {
      const packed = encodeLsoaPack(input as Lsoa[]);
      expect(isFormat2(packed)).toBe(false);
      expect(decodeLsoaPack(packed)).toEqual(input);
    }
    const older = lsoas(30, 5);
    expect(decodeLsoaPack(gzipSync(Buffer.from(JSON.stringify(older))))).toEqual(older);
  });

  it('boundaries read when first asked for behave as plain properties', () => {
    const input = lsoas(30, 5);
    const decoded = decodeLsoaPack(encodeLsoaPack(input));
    const l = decoded[5]!;
    expect(Object.keys(l)).toEqual(Object.keys(input[5]!));
    expect(l.geometry).toBe(l.geometry);
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(input);
    expect({ ...l }).toEqual(input[5]);
    expect(structuredClone(l)).toEqual(input[5]);
    const replaced: Lsoa['geometry'] = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    l.geometry = replaced;
    expect(l.geometry).toBe(replaced);
    (l as { geometry: unknown }).geometry = undefined;
    expect(l.geometry).toBeUndefined();
    expect(decoded[6]!.geometry).toEqual(input[6]!.geometry);
  });

  it('an empty set and a damaged copy', () => {
    expect(decodeLsoaPack(encodeLsoaPack([]))).toEqual([]);
    const plain = gunzipped(encodeLsoaPack(lsoas(10, 5)));
    expect(() => decodeLsoaPack(gzipSync(plain.subarray(0, plain.length - 3)))).toThrow(/ends early/);
    expect(() => decodeLsoaPack(gzipSync(Buffer.concat([plain, Buffer.from([0])])))).toThrow(/left over/);
    // One LSOA with few strings and no numbers: eight one-byte string indexes, two one-byte nulls, then the type.
    const one = gunzipped(encodeLsoaPack([{ ...lsoas(1, 5)[0]!, population: null, imdDecile: null }]));
    const record = 8 + one.readUInt32LE(4);
    const wrongType = Buffer.from(one);
    wrongType[record + 10] = 9;
    expect(() => decodeLsoaPack(gzipSync(wrongType))).toThrow(/unknown geometry type 9 at LSOA 0/);
    const wrongString = Buffer.from(one);
    wrongString[record] = 100;
    expect(() => decodeLsoaPack(gzipSync(wrongString))).toThrow(/string 99 is not in the table/);
  });
});
