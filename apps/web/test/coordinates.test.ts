import { describe, expect, it } from 'vitest';
import { parseCoordinates, type CoordinateParse } from '../src/features/areas/coordinates';

/** A square of about 700 × 1,100 m round Nottingham's Old Market Square, in [lon, lat], closed. */
const RING: [number, number][] = [
  [-1.1581, 52.9518],
  [-1.1481, 52.9518],
  [-1.1481, 52.9578],
  [-1.1581, 52.9578],
  [-1.1581, 52.9518],
];
const SQUARE = { type: 'Polygon', coordinates: [RING] };

const ok = (r: CoordinateParse) => {
  if (!r.ok) throw new Error(`expected a shape, got: ${r.problems.join(' | ')}`);
  return r;
};

describe('parseCoordinates: accepted formats', () => {
  // [what, text, format, corners]
  const cases: [string, string, string, number][] = [
    ['latitude, longitude per line', '52.9518, -1.1581\n52.9518, -1.1481\n52.9578, -1.1481\n52.9578, -1.1581', 'lat-lon', 4],
    ['longitude latitude with spaces', '-1.1581 52.9518\n-1.1481 52.9518\n-1.1481 52.9578\n-1.1581 52.9578', 'lon-lat', 4],
    ['tabs, CRLF, blank lines, degree signs and a repeated first point', '52.9518°\t-1.1581°\r\n\r\n52.9518\t-1.1481\r\n52.9578\t-1.1481\r\n52.9578\t-1.1581\r\n52.9518\t-1.1581\r\n', 'lat-lon', 4],
    ['semicolons as separators', '52.9518;-1.1581\n52.9518;-1.1481\n52.9578;-1.1481\n52.9578;-1.1581', 'lat-lon', 4],
    ['a GeoJSON Polygon', JSON.stringify(SQUARE), 'geojson', 4],
    ['a GeoJSON Feature with a bbox', JSON.stringify({ type: 'Feature', properties: { name: 'x' }, geometry: { ...SQUARE, bbox: [-1.1581, 52.9518, -1.1481, 52.9578] } }), 'geojson', 4],
    ['a FeatureCollection of one Feature', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: SQUARE }] }), 'geojson', 4],
    ['WKT POLYGON', 'POLYGON ((-1.1581 52.9518, -1.1481 52.9518, -1.1481 52.9578, -1.1581 52.9578, -1.1581 52.9518))', 'wkt', 4],
    ['WKT with SRID=4326 and lower case', 'SRID=4326;polygon((-1.1581 52.9518,-1.1481 52.9518,-1.1481 52.9578,-1.1581 52.9578,-1.1581 52.9518))', 'wkt', 4],
  ];
  it.each(cases)('%s', (_what, text, format, corners) => {
    const r = ok(parseCoordinates(text));
    expect(r.format).toBe(format);
    expect(r.corners).toBe(corners);
    expect(r.geometry).toEqual(SQUARE);
  });

  it('reads WKT MULTIPOLYGON and a polygon with a hole', () => {
    const multi = ok(parseCoordinates('MULTIPOLYGON (((-1.20 52.90, -1.19 52.90, -1.19 52.91, -1.20 52.90)), ((-1.10 52.90, -1.09 52.90, -1.09 52.91, -1.10 52.90)))'));
    expect(multi.geometry.type).toBe('MultiPolygon');
    expect(multi.corners).toBe(6);
    const holed = ok(parseCoordinates('POLYGON ((-1.20 52.90, -1.10 52.90, -1.10 52.99, -1.20 52.99, -1.20 52.90), (-1.16 52.94, -1.15 52.94, -1.15 52.95, -1.16 52.94))'));
    expect(holed.geometry.coordinates).toHaveLength(2);
    expect(holed.corners).toBe(7);
  });

  it('rounds to 6 decimals and drops points that become the same, as a mouse drawing is', () => {
    const r = ok(parseCoordinates('52.95180001, -1.15810004\n52.9518, -1.1581\n52.9518, -1.1481\n52.9578, -1.1481'));
    expect(r.corners).toBe(3);
    expect(r.geometry.coordinates[0]).toEqual([[-1.1581, 52.9518], [-1.1481, 52.9518], [-1.1481, 52.9578], [-1.1581, 52.9518]]);
  });

  it('tells the two orders apart by the UK box: the western and eastern edges both work', () => {
    // Near Land's End (−5.7) and Lowestoft (+1.76): longitudes are never between 49.8 and 60.95.
    expect(ok(parseCoordinates('50.06, -5.71\n50.07, -5.70\n50.07, -5.71')).format).toBe('lat-lon');
    expect(ok(parseCoordinates('1.76 52.47\n1.75 52.48\n1.74 52.47')).format).toBe('lon-lat');
  });
});

describe('parseCoordinates: problems, in words', () => {
  it('refuses deeply nested WKT and very long text in words, never by throwing', () => {
    const deep = parseCoordinates(`POLYGON${'('.repeat(200_000)}1 2${')'.repeat(200_000)}`);
    expect(deep.ok).toBe(false);
    expect(JSON.stringify(deep)).toMatch(/too many levels of brackets|more than|at most/);
    const long = parseCoordinates('53.1, -1.2\n'.repeat(100_000));
    expect(long.ok).toBe(false);
    expect(JSON.stringify(long)).toMatch(/at most 1 million are read/);
  });

  // [what, text, a pattern every problem list must contain]
  const cases: [string, string, RegExp][] = [
    ['nothing typed', '   ', /at least three corners/],
    ['two corners only', '52.95, -1.15\n52.96, -1.14', /at least three corners; two were given/],
    ['a line with three numbers', '52.95, -1.15, 30\n52.96, -1.14\n52.96, -1.15', /Line 1 has 3 values.*two numbers/],
    ['a line that is not numbers', '52.95, -1.15\nnorth, west\n52.96, -1.15', /Line 2 .* is not two numbers/],
    ['a place outside the UK in either order', '52.95, -1.15\n48.85, 2.35\n52.96, -1.15', /Line 2 \(48\.85, 2\.35\) is not a place in the United Kingdom in either order/],
    ['mixed orders', '52.95, -1.15\n-1.14 52.96\n52.96, -1.15', /Lines 1, 3 read as latitude, longitude but lines 2 as longitude, latitude/],
    ['British National Grid lines', '457000, 340000\n458000, 340000\n458000, 341000', /British National Grid eastings and northings/],
    ['British National Grid in WKT', 'SRID=27700;POLYGON((457000 340000, 458000 340000, 458000 341000, 457000 340000))', /British National Grid/],
    ['British National Grid in GeoJSON', JSON.stringify({ type: 'Polygon', coordinates: [[[457000, 340000], [458000, 340000], [458000, 341000], [457000, 340000]]] }), /British National Grid/],
    ['another SRID', 'SRID=3857;POLYGON((1 2, 3 4, 5 6, 1 2))', /SRID 3857 is not longitude\/latitude/],
    ['broken JSON', '{"type": "Polygon", "coordinates": [[[', /not valid GeoJSON/],
    ['a GeoJSON point', JSON.stringify({ type: 'Point', coordinates: [-1.15, 52.95] }), /holds a Point: paste a Polygon/],
    ['a FeatureCollection of two', JSON.stringify({ type: 'FeatureCollection', features: [{}, {}] }), /holds 2 features: paste exactly one polygon/],
    ['GeoJSON with latitude first (the server’s own message)', JSON.stringify({ type: 'Polygon', coordinates: [[[52.95, -1.15], [52.95, -1.14], [52.96, -1.14], [52.95, -1.15]]] }), /outside the United Kingdom \(latitude and longitude look swapped\)/],
    ['WKT with one bracket level', 'POLYGON (-1.15 52.95, -1.14 52.95, -1.14 52.96, -1.15 52.95)', /POLYGON needs two levels of brackets/],
    ['WKT not closed', 'POLYGON ((-1.15 52.95, -1.14 52.95', /could not be read/],
    ['WKT with a bad point', 'POLYGON ((-1.15 52.95, east 52.95, -1.14 52.96, -1.15 52.95))', /“east 52\.95” is not a point/],
    ['words', 'Old Market Square', /Not a format this box reads/],
  ];
  it.each(cases)('%s', (_what, text, pattern) => {
    const r = parseCoordinates(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.join(' ')).toMatch(pattern);
  });

  it('says how many corners it read even when it refuses, and lists at most five problems', () => {
    const r = parseCoordinates(['52.95, -1.15', '52.96, -1.14', ...Array.from({ length: 8 }, (_, i) => `${40 + i}, 20`)].join('\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.corners).toBe(10);
    expect(r.problems).toHaveLength(6);
    expect(r.problems[5]).toBe('…and 3 more.');
  });

  it('refuses more corners than the server takes, with its message', () => {
    const many = Array.from({ length: 5001 }, (_, i) => {
      const a = (2 * Math.PI * i) / 5001;
      return `${(52.95 + 0.01 * Math.sin(a)).toFixed(6)}, ${(-1.15 + 0.015 * Math.cos(a)).toFixed(6)}`;
    }).join('\n');
    const r = parseCoordinates(many);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join(' ')).toMatch(/5002 vertices; the limit is 5000/);
  });
});
