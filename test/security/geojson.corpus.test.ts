import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnprocessableError, assertValidArea } from '@safer-places/domain';
import { findAreaProblem } from '@safer-places/geo';
import type { AreaGeometry } from '@safer-places/schemas';
import { generatedAreaCases, handMadeAreaCases } from '../../packages/geo/test/area-validity-fixtures';
import { recordFigure } from './figures';
import { startGeoJsonApp, type GeoJsonApp, type RawResult } from './support/geojson-app';
import { jstsVerdict } from './support/geojson-oracle';
import {
  SQUARE,
  analyseBody,
  areaBody,
  at,
  fiftyThousand,
  hole,
  importBody,
  multiPolygon,
  nested,
  polygon,
  ring,
  square,
  type BodyOptions,
  type Pos,
} from './support/geojson-shapes';

/**
 * The GeoJSON bad-input corpus: each case goes, as raw JSON text, to the real API as a drawn area (POST /api/areas),
 * and where relevant as a PSPO zone upload (POST /api/pspo-zones/import) and an unsaved area's statistics
 * (POST /api/areas/analyse). Each asserts the status, a part of the message that names the problem, and what was
 * written: nothing for a refusal, exactly one item for an acceptance. Polygon cases are also cross-checked against
 * jsts IsValidOp where jsts can build the geometry.
 */
interface Answer {
  status: number;
  /** A part of `detail` (refusals) or of the body (acceptances) that names the problem or the outcome. */
  message: string;
}

interface GeoCase {
  name: string;
  /** Raw geometry text, sent as written. */
  geometry: string;
  /** Raw name / extra members for the item around it. */
  body?: BodyOptions;
  area: Answer;
  import?: Answer;
  analyse?: Answer;
  /** Where a 422 marks the problem. */
  point?: Pos;
  /** Not a shape case (the geometry is a plain square): left out of the jsts cross-check. */
  bodyOnly?: boolean;
  /** More checks on an accepted area: the POST answer, then the API to read it back. */
  accepted?: (res: RawResult) => Promise<void>;
}

const bowtie = polygon(ring([0, 0], [10, 10], [10, 0], [0, 10]));
const SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>';
const refuse = (status: number, message: string): Answer => ({ status, message });

let s: GeoJsonApp;
const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();

const cases: GeoCase[] = [
  {
    name: 'unclosed ring',
    geometry: JSON.stringify({ type: 'Polygon', coordinates: [[at(0, 0), at(10, 0), at(10, 10), at(0, 10)]] }),
    area: refuse(400, 'geometry.coordinates.0: a polygon ring must be closed: its last position must equal its first'),
    import: refuse(400, 'item 1: invalid PSPO zone: geometry.coordinates.0: a polygon ring must be closed'),
    analyse: refuse(400, 'a polygon ring must be closed'),
  },
  {
    name: 'ring with fewer than 4 positions',
    geometry: JSON.stringify({ type: 'Polygon', coordinates: [[at(0, 0), at(10, 0), at(0, 0)]] }),
    area: refuse(400, 'a polygon ring needs at least 4 positions (first = last); got 3'),
    import: refuse(400, 'item 1: invalid PSPO zone: geometry.coordinates.0: a polygon ring needs at least 4 positions'),
    analyse: refuse(400, 'needs at least 4 positions'),
  },
  {
    name: 'clockwise outer ring (rewound, with a warning)',
    geometry: polygon([...square(0, 0, 10)].reverse()),
    area: { status: 201, message: 'geometry outer ring ran clockwise; it was reversed to the GeoJSON standard order' },
    import: { status: 201, message: '"created":1' },
    analyse: { status: 200, message: '"areaKm2"' },
    accepted: async (res) => {
      expect(res.json.warnings).toEqual([expect.stringMatching(/outer ring ran clockwise; it was reversed/)]);
      expect(res.json.geometry).toEqual({ type: 'Polygon', coordinates: [square(0, 0, 10)] });
      expect((await s.get(`/api/areas/${res.json.id}`)).json.geometry).toEqual({ type: 'Polygon', coordinates: [square(0, 0, 10)] });
    },
  },
  {
    name: 'bowtie',
    geometry: bowtie,
    area: refuse(422, 'geometry: edges of the outer ring cross each other at [1.105000, 54.205000]'),
    point: at(5, 5),
    import: refuse(400, 'item 1: geometry: edges of the outer ring cross each other at [1.105000, 54.205000]'),
    analyse: refuse(422, 'edges of the outer ring cross each other at [1.105000, 54.205000]'),
  },
  {
    name: 'hole outside its shell',
    geometry: polygon(square(0, 0, 10), hole(20, 20, 2)),
    area: refuse(422, 'geometry: hole 1 lies outside the outer ring (coordinates[1][0], at [1.120000, 54.220000] is outside it)'),
    point: at(20, 20),
    import: refuse(400, 'item 1: geometry: hole 1 lies outside the outer ring'),
    analyse: refuse(422, 'hole 1 lies outside the outer ring'),
  },
  {
    name: 'hole crossing its shell',
    geometry: polygon(square(0, 0, 10), hole(8, 4, 4)),
    area: refuse(422, 'the outer ring and hole 1 cross each other at [1.110000, 54.208000]'),
    point: at(10, 8),
    import: refuse(400, 'the outer ring and hole 1 cross each other'),
    analyse: refuse(422, 'the outer ring and hole 1 cross each other'),
  },
  {
    name: 'holes crossing each other',
    geometry: polygon(square(0, 0, 10), hole(2, 2, 3), hole(4, 4, 3)),
    area: refuse(422, 'hole 1 and hole 2 cross each other'),
    import: refuse(400, 'hole 1 and hole 2 cross each other'),
  },
  {
    name: 'hole inside another hole',
    geometry: polygon(square(0, 0, 10), hole(2, 2, 6), hole(4, 4, 2)),
    area: refuse(422, 'hole 2 lies inside hole 1'),
    point: at(4, 4),
    import: refuse(400, 'hole 2 lies inside hole 1'),
    analyse: refuse(422, 'hole 2 lies inside hole 1'),
  },
  {
    name: 'hole touching its shell twice (interior cut in two)',
    geometry: polygon(square(0, 0, 4), ring([0, 2], [2, 3], [4, 2], [2, 1])),
    area: refuse(422, 'geometry: hole 1 touches the outer ring at [1.100000, 54.202000], closing a loop of touching rings that cuts the polygon into separate pieces'),
    import: refuse(400, 'cuts the polygon into separate pieces'),
  },
  {
    name: 'overlapping MultiPolygon parts',
    geometry: multiPolygon([square(0, 0, 6)], [square(3, 3, 6)]),
    area: refuse(422, 'parts 1 and 2 of the MultiPolygon overlap: their edges cross each other'),
    import: refuse(400, 'item 1: geometry: parts 1 and 2 of the MultiPolygon overlap'),
    analyse: refuse(422, 'parts 1 and 2 of the MultiPolygon overlap'),
  },
  {
    name: 'MultiPolygon part inside another part',
    geometry: multiPolygon([square(0, 0, 10)], [square(2, 2, 2)]),
    area: refuse(422, 'part 2 of the MultiPolygon lies inside part 1'),
    point: at(2, 2),
    import: refuse(400, 'part 2 of the MultiPolygon lies inside part 1'),
  },
  {
    name: 'MultiPolygon parts sharing an edge',
    geometry: multiPolygon([square(0, 0, 5)], [square(5, 0, 5)]),
    area: refuse(422, 'parts 1 and 2 of the MultiPolygon overlap: their edges run along each other from'),
    import: refuse(400, 'their edges run along each other'),
  },
  {
    name: 'MultiPolygon island in a hole (valid)',
    geometry: multiPolygon([square(0, 0, 10), hole(2, 2, 6)], [square(4, 4, 2)]),
    area: { status: 201, message: '"type":"MultiPolygon"' },
    import: { status: 201, message: '"created":1' },
    analyse: { status: 200, message: '"areaKm2"' },
  },
  {
    name: 'repeated points making the ring degenerate',
    geometry: polygon([at(3, 3), at(3, 3), at(3, 3), at(3, 3)]),
    area: refuse(422, 'geometry: the outer ring has fewer than 3 different corners (repeated positions count once)'),
    point: at(3, 3),
    import: refuse(400, 'has fewer than 3 different corners'),
    analyse: refuse(422, 'has fewer than 3 different corners'),
  },
  {
    name: 'ring on one straight line (zero area)',
    geometry: polygon(ring([0, 0], [5, 0], [10, 0])),
    area: refuse(422, 'the outer ring encloses no area: all its positions lie on one straight line'),
    import: refuse(400, 'encloses no area'),
  },
  {
    name: 'spike (a ring doubling back on itself)',
    geometry: polygon(ring([0, 0], [4, 0], [4, 4], [6, 4], [4, 4], [0, 4])),
    area: refuse(422, 'geometry: edges of the outer ring touch at [1.104000, 54.204000]'),
    import: refuse(400, 'edges of the outer ring touch at'),
  },
  {
    name: 'lon 500 / lat 95',
    geometry: polygon([[500, 95], [501, 95], [501, 96], [500, 95]]),
    area: refuse(400, 'geometry.coordinates.0.0: [500, 95] is not a longitude/latitude pair (WGS84 degrees)'),
    import: refuse(400, '[500, 95] is not a longitude/latitude pair (WGS84 degrees)'),
    analyse: refuse(400, '[500, 95] is not a longitude/latitude pair'),
  },
  {
    name: 'swapped latitude and longitude',
    geometry: polygon(square(0, 0, 10).map(([x, y]) => [y, x])),
    area: refuse(400, '[54.2, 1.1] is outside the United Kingdom (latitude and longitude look swapped)'),
    import: refuse(400, 'latitude and longitude look swapped'),
    analyse: refuse(400, 'latitude and longitude look swapped'),
  },
  {
    name: 'outside the UK (Paris)',
    geometry: polygon([[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.86], [2.35, 48.85]]),
    area: refuse(400, '[2.35, 48.85] is outside the United Kingdom'),
    import: refuse(400, 'is outside the United Kingdom'),
    analyse: refuse(400, 'is outside the United Kingdom'),
  },
  {
    name: '1e400 (parsed as Infinity)',
    geometry: '{"type": "Polygon", "coordinates": [[[1e400, 54.2], [1.11, 54.2], [1.11, 54.21], [1e400, 54.2]]]}',
    area: refuse(400, 'geometry.coordinates.0.0.0: coordinates must be finite numbers; got Infinity'),
    import: refuse(400, 'coordinates must be finite numbers; got Infinity'),
    analyse: refuse(400, 'coordinates must be finite numbers; got Infinity'),
  },
  {
    name: 'numbers as strings',
    geometry: '{"type": "Polygon", "coordinates": [[["1.1", "54.2"], [1.11, 54.2], [1.11, 54.21], ["1.1", "54.2"]]]}',
    area: refuse(400, 'geometry.coordinates.0.0.0: coordinates must be finite numbers; got text, "1.1"'),
    import: refuse(400, 'coordinates must be finite numbers; got text'),
    analyse: refuse(400, 'coordinates must be finite numbers; got text'),
  },
  {
    name: '3D positions [lon, lat, z] (refused, not dropped: positions are 2D)',
    geometry: polygon(square(0, 0, 10).map((p) => [...p, 35.5])),
    area: refuse(400, 'geometry.coordinates.0.0: a position must be [longitude, latitude]; got 3 values (remove the altitude: positions are 2D)'),
    import: refuse(400, 'got 3 values (remove the altitude'),
    analyse: refuse(400, 'got 3 values (remove the altitude'),
  },
  {
    name: '50,000 vertices, compact (under the body limit)',
    geometry: fiftyThousand(true),
    area: refuse(400, 'geometry has 50000 vertices; the limit is 5000'),
    import: refuse(400, 'geometry has 50000 vertices; the limit is 5000'),
    analyse: refuse(400, 'geometry has 50000 vertices; the limit is 5000'),
  },
  {
    name: '50,000 vertices, 7 decimals (over the 1 MB body limit)',
    geometry: fiftyThousand(false),
    area: refuse(413, 'the request body is larger than the 1 MB limit'),
    import: refuse(413, 'larger than the 1 MB limit'),
    analyse: refuse(413, 'larger than the 1 MB limit'),
  },
  {
    name: '10,000 levels of nested arrays',
    geometry: nested(10_000),
    area: refuse(400, 'geometry.coordinates.0.0.0: coordinates are nested too deeply: expected a number (longitude or latitude) here, got an array'),
    import: refuse(400, 'coordinates are nested too deeply'),
    analyse: refuse(400, 'coordinates are nested too deeply'),
  },
  {
    name: '520,000 levels of nested arrays (just under 1 MB)',
    geometry: nested(520_000),
    area: refuse(400, 'coordinates are nested too deeply'),
    import: refuse(400, 'coordinates are nested too deeply'),
  },
  {
    name: 'LineString coordinates in a Polygon (not nested enough)',
    geometry: JSON.stringify({ type: 'Polygon', coordinates: square(0, 0, 10) }),
    area: refuse(400, 'geometry.coordinates.0.0: coordinates are not nested deeply enough: expected a position [longitude, latitude] here'),
    import: refuse(400, 'not nested deeply enough'),
  },
  {
    name: 'a LineString instead of an area',
    geometry: JSON.stringify({ type: 'LineString', coordinates: square(0, 0, 10) }),
    area: refuse(400, 'geometry.type: an area must be a GeoJSON geometry object with "type": "Polygon" or "MultiPolygon"'),
    import: refuse(400, '"type": "Polygon" or "MultiPolygon"'),
    analyse: refuse(400, '"type": "Polygon" or "MultiPolygon"'),
  },
  {
    name: 'empty geometry (coordinates [])',
    geometry: '{"type": "Polygon", "coordinates": []}',
    area: refuse(400, 'geometry.coordinates: a polygon needs an outer ring (its coordinates are empty)'),
    import: refuse(400, 'a polygon needs an outer ring'),
    analyse: refuse(400, 'a polygon needs an outer ring'),
  },
  {
    name: 'empty MultiPolygon',
    geometry: '{"type": "MultiPolygon", "coordinates": []}',
    area: refuse(400, 'a MultiPolygon needs at least one polygon (its coordinates are empty)'),
    import: refuse(400, 'a MultiPolygon needs at least one polygon'),
  },
  {
    name: 'empty ring',
    geometry: '{"type": "Polygon", "coordinates": [[]]}',
    area: refuse(400, 'a polygon ring needs at least 4 positions (first = last); got 0'),
  },
  {
    name: 'antimeridian-crossing polygon (lon 179 → -179)',
    geometry: polygon([[179, 54.2], [-179, 54.2], [-179, 54.3], [179, 54.3], [179, 54.2]]),
    area: refuse(400, '[179, 54.2] is outside the United Kingdom'),
    import: refuse(400, 'is outside the United Kingdom'),
    analyse: refuse(400, 'is outside the United Kingdom'),
  },
  {
    name: 'British National Grid eastings/northings',
    geometry: polygon([[454000, 339000], [455000, 339000], [455000, 340000], [454000, 340000], [454000, 339000]]),
    area: refuse(400, '[454000, 339000] is not a longitude/latitude pair (WGS84 degrees): it looks like a British National Grid easting/northing (EPSG:27700) in metres; convert it to WGS84 longitude/latitude (EPSG:4326) first'),
    import: refuse(400, 'British National Grid easting/northing (EPSG:27700)'),
    analyse: refuse(400, 'convert it to WGS84 longitude/latitude (EPSG:4326) first'),
  },
  {
    name: 'duplicate keys in the body (the last one wins, as JSON.parse reads it)',
    geometry: SQUARE,
    body: { name: '"First name"', extra: ', "name": "Last name"' },
    area: { status: 201, message: '"name":"Last name"' },
    import: { status: 201, message: '"name":"Last name"' },
    bodyOnly: true,
    accepted: async (res) => {
      expect(res.json.name).toBe('Last name');
      expect((await s.get(`/api/areas/${res.json.id}`)).json.name).toBe('Last name');
    },
  },
  {
    name: 'duplicate "coordinates" in the geometry (a bowtie, then a square: the square wins)',
    geometry: `{"type": "Polygon", "coordinates": ${JSON.stringify(JSON.parse(bowtie).coordinates)}, "coordinates": ${JSON.stringify([square(0, 0, 10)])}}`,
    area: { status: 201, message: '"geometry":{"type":"Polygon"' },
    import: { status: 201, message: '"created":1' },
    analyse: { status: 200, message: '"areaKm2"' },
    accepted: async (res) => expect(res.json.geometry).toEqual({ type: 'Polygon', coordinates: [square(0, 0, 10)] }),
  },
  {
    name: '__proto__ in the body',
    geometry: SQUARE,
    body: { extra: ', "__proto__": {"polluted": true, "role": "admin", "orgId": "other-org"}' },
    area: refuse(400, 'invalid area: (body): unknown field(s) "__proto__" not accepted'),
    import: refuse(400, 'item 1: invalid PSPO zone: (body): unknown field(s) "__proto__" not accepted'),
    analyse: refuse(400, 'unknown field(s) "__proto__" not accepted'),
    bodyOnly: true,
  },
  {
    name: '__proto__ in the geometry',
    geometry: `{"type": "Polygon", "coordinates": ${JSON.stringify([square(0, 0, 10)])}, "__proto__": {"polluted": true}}`,
    area: refuse(400, 'invalid area: geometry: unknown field(s) "__proto__" not accepted'),
    import: refuse(400, 'geometry: unknown field(s) "__proto__" not accepted'),
    analyse: refuse(400, 'geometry: unknown field(s) "__proto__" not accepted'),
  },
  {
    name: 'constructor.prototype in the body',
    geometry: SQUARE,
    body: { extra: ', "constructor": {"prototype": {"polluted": true}}' },
    area: refuse(400, 'unknown field(s) "constructor" not accepted'),
    import: refuse(400, 'unknown field(s) "constructor" not accepted'),
    bodyOnly: true,
  },
  {
    name: '<script> in the area name (kept as text)',
    geometry: SQUARE,
    body: { name: JSON.stringify(SCRIPT) },
    area: { status: 201, message: SCRIPT.replace(/"/g, '\\"') },
    import: { status: 201, message: '"created":1' },
    bodyOnly: true,
    accepted: async (res) => {
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.json.name).toBe(SCRIPT);
      const read = await s.get(`/api/areas/${res.json.id}`);
      expect(read.headers.get('content-type')).toMatch(/^application\/json/);
      expect(read.json.name).toBe(SCRIPT);
      const exported = await s.get(`/api/areas/${res.json.id}/export.geojson`);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toBe('application/geo+json');
      expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="script-alert-xss-script-img-src-x-onerror-alert-1.geojson"$/);
      // A JSON string value, quotes escaped: text to any GeoJSON reader, never markup.
      expect(exported.text).toContain(`"name":${JSON.stringify(SCRIPT)}`);
      expect(JSON.parse(exported.text).features[0].properties.name).toBe(SCRIPT);
    },
  },
  ...(['orgId', 'version', 'createdBy'] as const).map(
    (field): GeoCase => ({
      name: `unknown field ${field} in the body`,
      geometry: SQUARE,
      body: { extra: `, "${field}": ${field === 'version' ? 99 : '"someone-else"'}` },
      area: refuse(400, `invalid area: (body): unknown field(s) "${field}" not accepted`),
      import: refuse(400, `item 1: invalid PSPO zone: (body): unknown field(s) "${field}" not accepted`),
      bodyOnly: true,
    }),
  ),
];

let passed = 0;
let compared = 0;
let agreed = 0;

function expectAnswer(res: RawResult, want: Answer, where: string) {
  expect(res.status, `${where}: ${res.text.slice(0, 300)}`).toBe(want.status);
  if (want.status >= 300) expect(res.json?.detail, where).toContain(want.message);
  else expect(res.text, where).toContain(want.message);
}

/** The product's verdict on the shape: the API's, when the shape check was reached; else the same check, called directly. */
function productSaysValid(areaStatus: number, geometry: unknown): boolean {
  if (areaStatus === 201) return true;
  if (areaStatus === 422) return false;
  try {
    assertValidArea(geometry as AreaGeometry);
    return true;
  } catch (e) {
    if (e instanceof UnprocessableError) return false;
    throw e;
  }
}

beforeAll(async () => {
  s = await startGeoJsonApp();
});

afterAll(async () => {
  recordFigure('Bad input', 'GeoJSON cases answered as expected', `${passed}/${cases.length}`);
  recordFigure('Bad input', 'GeoJSON verdicts agreeing with jsts IsValidOp', `${agreed}/${compared}`);
  await s?.close();
});

describe('GeoJSON bad-input corpus', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const areasBefore = await s.count('areas');
      const res = await s.post('/api/areas', areaBody(c.geometry, c.body));
      expectAnswer(res, c.area, 'POST /api/areas');
      if (c.area.status === 422) expect(res.json.point, 'a 422 marks where').toEqual(c.point ?? [expect.any(Number), expect.any(Number)]);
      expect(await s.count('areas')).toBe(areasBefore + (c.area.status === 201 ? 1 : 0));
      if (c.area.status === 201) await c.accepted?.(res);

      if (c.import) {
        const zonesBefore = await s.count('pspo-zones');
        const up = await s.post('/api/pspo-zones/import', importBody(c.geometry, c.body));
        expectAnswer(up, c.import, 'POST /api/pspo-zones/import');
        expect(await s.count('pspo-zones')).toBe(zonesBefore + (c.import.status === 201 ? 1 : 0));
        if (c.import.status === 201 && c.area.status === 201) expect(up.json.items[0].geometry).toEqual(res.json.geometry);
      }

      if (c.analyse) {
        const before = await s.count('areas');
        const stats = await s.post('/api/areas/analyse', analyseBody(c.geometry, c.bodyOnly ? c.body : {}));
        expectAnswer(stats, c.analyse, 'POST /api/areas/analyse');
        if (c.analyse.status === 422) expect(stats.json.point).toEqual(res.json.point);
        expect(await s.count('areas')).toBe(before);
      }

      // Nothing leaked onto the prototype chain, whatever the body held.
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(s.errors).toEqual([]);

      if (!c.bodyOnly) {
        const parsed: unknown = JSON.parse(c.geometry);
        const oracle = jstsVerdict(parsed);
        if (oracle) {
          compared++;
          const ours = productSaysValid(c.area.status, parsed);
          expect(ours, `jsts says ${oracle.valid ? 'valid' : `invalid (${oracle.reason})`}`).toBe(oracle.valid);
          agreed++;
        }
      }
      passed++;
    });
  }
});

describe('findAreaProblem against jsts IsValidOp (the validity fixtures of packages/geo)', () => {
  const fixtures = [...handMadeAreaCases(), ...generatedAreaCases()];

  it(`gives jsts's verdict on every fixture jsts can build (${fixtures.length} fixtures)`, () => {
    const disagreements: string[] = [];
    let checked = 0;
    for (const f of fixtures) {
      const oracle = jstsVerdict(f.geometry);
      if (!oracle) continue;
      checked++;
      const ours = findAreaProblem(f.geometry);
      if ((ours === null) !== oracle.valid) disagreements.push(`${f.name}: ours ${ours ? `${ours.kind} (${ours.message})` : 'valid'}, jsts ${oracle.reason ?? 'valid'}`);
    }
    recordFigure('Bad input', 'Validity fixtures agreeing with jsts IsValidOp', `${checked - disagreements.length}/${checked}`);
    expect(checked).toBeGreaterThanOrEqual(350);
    expect(disagreements).toEqual([]);
  });

  it('leaves out only what jsts cannot build: unclosed, empty, non-numeric', () => {
    const skipped = handMadeAreaCases().filter((f) => !jstsVerdict(f.geometry)).map((f) => f.name);
    expect(skipped.sort()).toEqual(['empty-multipolygon', 'empty-polygon', 'empty-ring', 'null-coordinate', 'unclosed-ring']);
  });
});
