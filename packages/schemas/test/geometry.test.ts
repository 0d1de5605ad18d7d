import { describe, expect, it } from 'vitest';
import { MAX_VERTICES_PER_GEOMETRY, areaGeometrySchema, drawnAreaInputSchema, pointSchema } from '../src/index';

/** Every message zod gives, as "path: message". */
const problems = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, v: unknown) =>
  schema.safeParse(v).error?.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`) ?? [];
const square = [[-1.2, 53], [-1.1, 53], [-1.1, 53.1], [-1.2, 53.1], [-1.2, 53]];
const polygon = (coordinates: unknown) => ({ type: 'Polygon', coordinates });

describe('area geometry messages', () => {
  it('accepts a UK polygon and multipolygon', () => {
    expect(problems(areaGeometrySchema, polygon([square]))).toEqual([]);
    expect(problems(areaGeometrySchema, { type: 'MultiPolygon', coordinates: [[square]] })).toEqual([]);
  });

  it.each([
    ['1e400 (read as Infinity)', polygon(JSON.parse(`[[[1e400, 53], [-1.1, 53], [-1.1, 53.1], [1e400, 53]]]`)), /^coordinates\.0\.0\.0: coordinates must be finite numbers; got Infinity$/],
    ['numbers as strings', polygon([[['-1.2', '53'], [-1.1, 53], [-1.1, 53.1], ['-1.2', '53']]]), /^coordinates\.0\.0\.0: coordinates must be finite numbers; got text, "-1\.2"$/],
    ['null position', polygon([[[-1.2, 53], null, [-1.1, 53.1], [-1.2, 53]]]), /^coordinates\.0\.1: expected a position \[longitude, latitude\] here, got null \(a Polygon is \[\[\[lon, lat\], …\]\]\)$/],
    ['3D positions', polygon([square.map((p) => [...p, 12])]), /^coordinates\.0\.0: a position must be \[longitude, latitude\]; got 3 values \(remove the altitude: positions are 2D\)$/],
    ['lon 500 / lat 95', polygon([[[500, 95], [501, 95], [501, 96], [500, 95]]]), /\[500, 95\] is not a longitude\/latitude pair \(WGS84 degrees\)$/],
    ['British National Grid', polygon([[[454000, 339000], [455000, 339000], [455000, 340000], [454000, 339000]]]), /\[454000, 339000\] is not a longitude\/latitude pair \(WGS84 degrees\): it looks like a British National Grid easting\/northing \(EPSG:27700\) in metres; convert it to WGS84 longitude\/latitude \(EPSG:4326\) first/],
    ['swapped latitude and longitude', polygon([square.map(([x, y]) => [y, x])]), /\[53, -1\.2\] is outside the United Kingdom \(latitude and longitude look swapped\)/],
    ['Paris', polygon([[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]]), /\[2\.35, 48\.85\] is outside the United Kingdom$/],
    ['across the antimeridian', polygon([[[179, 52], [-179, 52], [-179, 53], [179, 53], [179, 52]]]), /\[179, 52\] is outside the United Kingdom/],
    ['nested too deeply', polygon(JSON.parse('['.repeat(10_000) + ']'.repeat(10_000))), /^coordinates\.0\.0\.0: coordinates are nested too deeply: expected a number \(longitude or latitude\) here, got an array \(a Polygon is \[\[\[lon, lat\], …\]\]\)$/],
    ['MultiPolygon coordinates in a Polygon', polygon([[square]]), /coordinates are nested too deeply/],
    ['LineString coordinates in a Polygon', polygon(square), /^coordinates\.0\.0: coordinates are not nested deeply enough: expected a position \[longitude, latitude\] here, got -1\.2 \(a Polygon/],
    ['a bare position', polygon([-1.2, 53]), /coordinates\.0: coordinates are not nested deeply enough: expected a ring \(a list of positions\) here, got -1\.2/],
    ['empty Polygon', polygon([]), /^coordinates: a polygon needs an outer ring \(its coordinates are empty\)$/],
    ['empty ring', polygon([[]]), /coordinates\.0: a polygon ring needs at least 4 positions \(first = last\); got 0/],
    ['empty MultiPolygon', { type: 'MultiPolygon', coordinates: [] }, /^coordinates: a MultiPolygon needs at least one polygon \(its coordinates are empty\)$/],
    ['unclosed ring', polygon([square.slice(0, 4)]), /a polygon ring must be closed: its last position must equal its first, \[-1\.2,53\]/],
    ['3 positions', polygon([[[-1.2, 53], [-1.1, 53], [-1.2, 53]]]), /at least 4 positions \(first = last\); got 3/],
    ['a LineString', { type: 'LineString', coordinates: square }, /^type: an area must be a GeoJSON geometry object with "type": "Polygon" or "MultiPolygon"$/],
    ['null', null, /an area must be a GeoJSON geometry object/],
    ['a foreign member', { ...polygon([square]), crs: { type: 'name' } }, /Unrecognized key: "crs"/],
  ])('%s', (_name, value, message) => {
    const found = problems(areaGeometrySchema, value);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(message);
  });

  it(`caps a geometry at ${MAX_VERTICES_PER_GEOMETRY} vertices, counting every ring and part`, () => {
    const ring = (n: number) => [...square.slice(0, 4), ...Array.from({ length: n - 5 }, () => [-1.15, 53.05]), square[0]];
    expect(problems(areaGeometrySchema, polygon([ring(5000)]))).toEqual([]);
    expect(problems(areaGeometrySchema, polygon([ring(50_000)]))).toEqual([': geometry has 50000 vertices; the limit is 5000']);
    expect(problems(areaGeometrySchema, { type: 'MultiPolygon', coordinates: [[ring(2500)], [ring(2500), ring(5)]] })[0]).toMatch(/5005 vertices; the limit is 5000/);
  });

  it('applies the same position rules to points', () => {
    expect(problems(pointSchema, { type: 'Point', coordinates: [457000, 340000] })[0]).toMatch(/British National Grid/);
    expect(problems(pointSchema, { type: 'Point', coordinates: [-1.19, 53, 40] })[0]).toMatch(/\[longitude, latitude\]; got 3 values/);
  });

  it('keeps an own __proto__ key out: refused as an unknown field, the prototype untouched', () => {
    const body = JSON.parse(`{"name": "A", "theme": "asb", "geometry": ${JSON.stringify(polygon([square]))}, "__proto__": {"polluted": true}}`);
    expect(problems(drawnAreaInputSchema, body)).toEqual([': Unrecognized key: "__proto__"']);
    const geometry = JSON.parse(`{"type": "Polygon", "coordinates": ${JSON.stringify([square])}, "__proto__": {"polluted": true}}`);
    expect(problems(areaGeometrySchema, geometry)).toEqual([': Unrecognized key: "__proto__"']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
