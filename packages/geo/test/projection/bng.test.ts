import { describe, expect, it } from 'vitest';
import proj4 from 'proj4';
import { BNG_PROJ4, bngToLonLat, fromBng, lonLatToBng, seededRandom, toBng } from '../../src/index';
import { expectGolden, readInput } from '../golden';

const stations = readInput('projection/bng', 'points').features as {
  properties: { name: string; easting: number; northing: number };
  geometry: { coordinates: [number, number] };
}[];

describe('toBng / fromBng', () => {
  it('matches the golden projection of the OS test stations', () => {
    const lonLat = Float64Array.from(stations.flatMap((s) => s.geometry.coordinates));
    const xy = toBng(lonLat);
    expectGolden('projection/bng', 'projected', {
      type: 'FeatureCollection',
      features: stations.map((s, i) => ({
        type: 'Feature',
        properties: { name: s.properties.name, easting: xy[2 * i], northing: xy[2 * i + 1] },
        geometry: s.geometry,
      })),
    });
  });

  it('lands within 5 m of the OS (OSTN) grid coordinates of the test stations, as the Helmert shift should', () => {
    const lonLat = Float64Array.from(stations.flatMap((s) => s.geometry.coordinates));
    const xy = toBng(lonLat);
    let worst = 0;
    stations.forEach((s, i) => {
      const d = Math.hypot(xy[2 * i]! - s.properties.easting, xy[2 * i + 1]! - s.properties.northing);
      worst = Math.max(worst, d);
      expect(d, s.properties.name).toBeLessThan(5);
    });
    // A wrong ellipsoid, origin or missing datum shift is off by 100 m or more; the Helmert fit is off by metres.
    expect(worst).toBeGreaterThan(0.5);
  });

  it('uses exactly the OS transverse Mercator (OSGB36 lat/lon to grid to the millimetre)', () => {
    // Same datum on both sides, so only the projection is exercised.
    const osgb36 = '+proj=longlat +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +no_defs';
    const grid = proj4(osgb36, BNG_PROJ4);
    const dms = (d: number, m: number, s: number) => d + m / 60 + s / 3600;
    const cases: [string, number, number, number, number][] = [
      // OS "A guide to coordinate systems in Great Britain", worked example C.1 (Caister water tower).
      ['OS guide C.1', dms(1, 43, 4.5177), dms(52, 39, 27.2531), 651409.903, 313177.27],
      // OS Explorer 161 south-west corner and a Landranger 40 graticule crossing (Toby Thurston's osgb tests).
      ['Explorer 161 SW corner', -0.416666666667, 51.3333333333, 510290.252, 160605.816],
      ['Glendessary graticule', -320 / 60, 57, 197573.181, 794792.843],
      ['true origin', -2, 49, 400000, -100000],
    ];
    for (const [name, lon, lat, e, n] of cases) {
      const [x, y] = grid.forward([lon, lat]);
      expect(Math.abs(x! - e), name).toBeLessThan(0.002);
      expect(Math.abs(y! - n), name).toBeLessThan(0.002);
    }
  });

  it('round-trips 10,000 points across England to better than 1e-6 degrees', () => {
    const rng = seededRandom(5);
    const n = 10_000;
    const lonLat = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      lonLat[2 * i] = -5.5 + rng.next() * 7.2;
      lonLat[2 * i + 1] = 50 + rng.next() * 5.5;
    }
    const back = fromBng(toBng(lonLat));
    let worst = 0;
    for (let i = 0; i < 2 * n; i++) worst = Math.max(worst, Math.abs(back[i]! - lonLat[i]!));
    expect(worst).toBeLessThan(1e-6);
  });

  it('agrees with the single-point helpers and writes into a caller-supplied array', () => {
    const lonLat = Float64Array.of(-1.1466, 52.9536, -0.8083, 53.0763);
    const out = new Float64Array(4);
    expect(toBng(lonLat, out)).toBe(out);
    expect([out[0], out[1]]).toEqual(lonLatToBng(-1.1466, 52.9536));
    expect([out[2], out[3]]).toEqual(lonLatToBng(-0.8083, 53.0763));
    const [lon, lat] = bngToLonLat(out[0]!, out[1]!);
    expect(lon).toBeCloseTo(-1.1466, 7);
    expect(lat).toBeCloseTo(52.9536, 7);
    // Nottingham is roughly 457 km east, 340 km north of the false origin.
    expect(out[0]).toBeGreaterThan(455_000);
    expect(out[0]).toBeLessThan(460_000);
    expect(out[1]).toBeGreaterThan(338_000);
    expect(out[1]).toBeLessThan(343_000);
  });

  it('turns non-finite pairs into NaN without stopping the batch, and rejects odd lengths', () => {
    const xy = toBng(Float64Array.of(Number.NaN, 53, -1.15, 52.95, -1.15, Infinity));
    expect(Number.isNaN(xy[0]!) && Number.isNaN(xy[1]!)).toBe(true);
    expect(Number.isFinite(xy[2]!) && Number.isFinite(xy[3]!)).toBe(true);
    expect(Number.isNaN(xy[4]!) && Number.isNaN(xy[5]!)).toBe(true);
    expect(lonLatToBng(Number.NaN, 1)).toEqual([NaN, NaN]);
    expect(() => toBng(new Float64Array(3))).toThrow(RangeError);
    expect(() => fromBng(new Float64Array(4), new Float64Array(2))).toThrow(RangeError);
  });
});
