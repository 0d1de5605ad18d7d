import { areaGeometrySchema, UK_BOUNDS, type AreaGeometry, type Position } from '@safer-places/schemas';
import { toAreaGeometry, vertexCount } from './drawing';

/*
 * Typed or pasted coordinates as an area: the keyboard way to draw. Pure, so every format and mistake is tested as data.
 *
 * Accepted:
 * - one corner per line, two numbers separated by a comma, spaces or a tab, as "latitude, longitude" or
 *   "longitude latitude". The order needs no setting: in the United Kingdom every latitude is 49.8–60.95 and every
 *   longitude −8.75–1.9 (the same box the server checks), and those ranges do not overlap, so a pair fits at most one
 *   order. All lines must agree; a pair that fits neither order is refused with the reason;
 * - a GeoJSON Polygon or MultiPolygon, a Feature holding one, or a FeatureCollection of exactly one such Feature
 *   ([longitude, latitude] as GeoJSON says);
 * - WKT POLYGON or MULTIPOLYGON (x y = longitude latitude, an optional SRID=4326; prefix).
 * British National Grid eastings and northings are recognised and refused with a clear message: converting them needs
 * the projection, which only the server has.
 *
 * The result is normalised as a mouse drawing is (6 decimals, rings closed, repeated points dropped) and checked with
 * the same schema the server applies, so its messages are the server's. Crossing edges are checked by the server when
 * the figures are asked for: the area panel shows its message and marks the place on the map.
 */

export type CoordinateFormat = 'lat-lon' | 'lon-lat' | 'geojson' | 'wkt';

export const FORMAT_LABELS: Record<CoordinateFormat, string> = {
  'lat-lon': 'latitude, longitude on each line',
  'lon-lat': 'longitude, latitude on each line',
  geojson: 'GeoJSON',
  wkt: 'WKT',
};

export type CoordinateParse =
  | { ok: true; geometry: AreaGeometry; format: CoordinateFormat; corners: number }
  | { ok: false; problems: string[]; format: CoordinateFormat | 'bng' | null; corners: number };

/** Above this many problems the list says "and N more" rather than one line for each. */
const MAX_PROBLEMS = 5;

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

const inLat = (v: number) => v >= UK_BOUNDS.minLat && v <= UK_BOUNDS.maxLat;
const inLon = (v: number) => v >= UK_BOUNDS.minLon && v <= UK_BOUNDS.maxLon;
/** Eastings and northings of Great Britain, in metres (the server's schema uses the same test). */
const looksBng = (a: number, b: number) => a >= 1000 && a <= 700_000 && b >= 1000 && b <= 1_300_000;

const BNG_MESSAGE =
  'These look like British National Grid eastings and northings (metres). Type longitude and latitude in degrees instead (for example 52.9548, -1.1581); a grid reference can be converted with the Ordnance Survey’s coordinate converter.';

function fail(problems: string[], format: CoordinateFormat | 'bng' | null = null, corners = 0): CoordinateParse {
  const shown = problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `…and ${problems.length - MAX_PROBLEMS} more.`] : problems;
  return { ok: false, problems: shown, format, corners };
}

/** Parses what was typed or pasted; see the module comment for the formats. */
/** Far more than 5,000 corners written out in any of the formats; longer text is refused before it is parsed. */
const MAX_TEXT_CHARS = 1_000_000;

export function parseCoordinates(text: string): CoordinateParse {
  const t = text.trim();
  if (t === '') return fail(['Type or paste at least three corners.']);
  if (t.length > MAX_TEXT_CHARS) return fail([`The text is ${Math.round(t.length / 1000).toLocaleString('en-GB')} thousand characters: at most ${MAX_TEXT_CHARS / 1_000_000} million are read (an area has at most 5,000 corners).`]);
  if (t.startsWith('{') || t.startsWith('[')) return fromGeoJson(t);
  if (/^(srid=\d+\s*;\s*)?(multi)?polygon\b/i.test(t)) return fromWkt(t);
  if (/^[a-z]/i.test(t)) return fail(['Not a format this box reads: use one "latitude, longitude" pair per line, a GeoJSON Polygon or Feature, or WKT POLYGON((…)).']);
  return fromLines(t);
}

/** One "a, b" or "a b" pair per line (blank lines ignored; a degree sign is allowed). */
function fromLines(text: string): CoordinateParse {
  const pairs: { line: number; a: number; b: number }[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/°/g, '').trim();
    if (line === '') return;
    const parts = line.split(/[\s,;]+/).filter((p) => p !== '');
    if (parts.length !== 2) {
      problems.push(`Line ${i + 1} has ${parts.length} value${parts.length === 1 ? '' : 's'} (“${raw.trim().slice(0, 40)}”): each line needs two numbers, a latitude and a longitude.`);
      return;
    }
    if (!parts.every((p) => NUMBER.test(p))) {
      problems.push(`Line ${i + 1} (“${raw.trim().slice(0, 40)}”) is not two numbers.`);
      return;
    }
    pairs.push({ line: i + 1, a: Number(parts[0]), b: Number(parts[1]) });
  });
  if (problems.length > 0) return fail(problems, null, pairs.length);
  if (pairs.length > 0 && pairs.every((p) => looksBng(p.a, p.b))) return fail([BNG_MESSAGE], 'bng', pairs.length);

  const latLon = pairs.filter((p) => inLat(p.a) && inLon(p.b));
  const lonLat = pairs.filter((p) => inLon(p.a) && inLat(p.b));
  for (const p of pairs) {
    if (!latLon.includes(p) && !lonLat.includes(p)) problems.push(`Line ${p.line} (${p.a}, ${p.b}) is not a place in the United Kingdom in either order.`);
  }
  if (problems.length > 0) return fail(problems, null, pairs.length);
  if (latLon.length > 0 && lonLat.length > 0) {
    const lines = (ps: typeof pairs) => ps.map((p) => p.line).join(', ');
    return fail([`Lines ${lines(latLon)} read as latitude, longitude but lines ${lines(lonLat)} as longitude, latitude: use one order throughout.`], null, pairs.length);
  }
  const format: CoordinateFormat = lonLat.length > 0 ? 'lon-lat' : 'lat-lon';
  const ring: Position[] = pairs.map((p) => (format === 'lat-lon' ? [p.b, p.a] : [p.a, p.b]));
  return finish({ type: 'Polygon', coordinates: [ring] }, format);
}

function fromGeoJson(text: string): CoordinateParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail([`This is not valid GeoJSON: ${err instanceof Error ? err.message : String(err)}.`], 'geojson');
  }
  const obj = value as { type?: unknown; geometry?: unknown; features?: unknown };
  let geometry: unknown = value;
  if (obj && obj.type === 'FeatureCollection') {
    const features = Array.isArray(obj.features) ? obj.features : [];
    if (features.length !== 1) return fail([`The FeatureCollection holds ${features.length} features: paste exactly one polygon.`], 'geojson');
    geometry = (features[0] as { geometry?: unknown }).geometry;
  } else if (obj && obj.type === 'Feature') geometry = obj.geometry;
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    const type = g && typeof g.type === 'string' ? `a ${g.type}` : 'no geometry';
    return fail([`The GeoJSON holds ${type}: paste a Polygon or MultiPolygon (or a Feature with one).`], 'geojson');
  }
  const coords = JSON.stringify(g.coordinates ?? null).match(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi)?.map(Number) ?? [];
  if (coords.length >= 2 && looksBng(coords[0]!, coords[1]!)) return fail([BNG_MESSAGE], 'bng');
  return finish(g as AreaGeometry, 'geojson');
}

/** WKT POLYGON((x y, …), (…)) or MULTIPOLYGON(((…)), ((…))), x y = longitude latitude. */
function fromWkt(text: string): CoordinateParse {
  const m = /^(?:srid=(\d+)\s*;\s*)?(multi)?polygon\s*(?:z|m|zm)?\s*(\(.*\))\s*$/is.exec(text);
  if (!m) return fail(['This WKT could not be read: expected POLYGON((lon lat, lon lat, …)).'], 'wkt');
  if (m[1] && m[1] !== '4326') {
    return fail([m[1] === '27700' ? BNG_MESSAGE : `SRID ${m[1]} is not longitude/latitude: use SRID=4326 (WGS84) coordinates.`], m[1] === '27700' ? 'bng' : 'wkt');
  }
  const nested = wktNesting(m[3]!);
  if (typeof nested === 'string') return fail([`This WKT could not be read: ${nested}.`], 'wkt');
  const depth = m[2] ? 3 : 2;
  const shape = depthOf(nested);
  if (shape !== depth) return fail([`This WKT could not be read: a ${m[2] ? 'MULTIPOLYGON needs three' : 'POLYGON needs two'} levels of brackets around its points.`], 'wkt');
  const points = (nested as unknown[]).flat(depth - 1) as Position[];
  if (points.length > 0 && points.every((p) => looksBng(p[0], p[1]))) return fail([BNG_MESSAGE], 'bng');
  const geometry = m[2] ? { type: 'MultiPolygon' as const, coordinates: nested as Position[][][] } : { type: 'Polygon' as const, coordinates: nested as Position[][] };
  return finish(geometry, 'wkt');
}

type Nest = Position | Nest[];

/** Brackets to nested arrays; the innermost text is "x y, x y" pairs. A string says what is wrong. */
function wktNesting(s: string): Nest[] | string {
  let i = 0;
  // A MULTIPOLYGON has three levels of brackets: deeper text is refused before it can exhaust the stack.
  const parse = (level = 1): Nest[] | string => {
    if (level > 3) return 'too many levels of brackets (a MULTIPOLYGON has three)';
    if (s[i] !== '(') return `expected “(” at character ${i + 1}`;
    i++;
    while (/\s/.test(s[i] ?? '')) i++;
    if (s[i] === '(') {
      const items: Nest[] = [];
      for (;;) {
        const child = parse(level + 1);
        if (typeof child === 'string') return child;
        items.push(child as Nest);
        while (/\s/.test(s[i] ?? '')) i++;
        if (s[i] === ',') {
          i++;
          while (/\s/.test(s[i] ?? '')) i++;
          continue;
        }
        if (s[i] === ')') {
          i++;
          return items;
        }
        return `expected “,” or “)” at character ${i + 1}`;
      }
    }
    const end = s.indexOf(')', i);
    if (end < 0) return 'a bracket is not closed';
    const ring: Position[] = [];
    for (const pair of s.slice(i, end).split(',')) {
      const nums = pair.trim().split(/\s+/);
      if (nums.length < 2 || nums.length > 4 || !nums.every((n) => NUMBER.test(n))) return `“${pair.trim().slice(0, 30)}” is not a point (two numbers, longitude latitude)`;
      ring.push([Number(nums[0]), Number(nums[1])]);
    }
    i = end + 1;
    return ring;
  };
  const out = parse();
  if (typeof out !== 'string' && s.slice(i).trim() !== '') return `unexpected text after the last bracket: “${s.slice(i).trim().slice(0, 20)}”`;
  return out;
}

/** Levels of arrays above the points: a ring is 1, a polygon 2, a multipolygon 3 (0 for an empty or mixed nesting). */
function depthOf(n: Nest[]): number {
  if (n.length === 0) return 0;
  if (typeof n[0]![0] === 'number') return n.every((p) => typeof (p as Position)[0] === 'number') ? 1 : 0;
  const d = depthOf(n[0] as Nest[]);
  return d > 0 && n.every((c) => Array.isArray(c) && depthOf(c as Nest[]) === d) ? d + 1 : 0;
}

/** Normalises as a drawing is (toAreaGeometry) and checks with the server's own schema, keeping its messages. */
function finish(raw: AreaGeometry, format: CoordinateFormat): CoordinateParse {
  const rawCorners = countCorners(raw);
  if (Array.isArray(raw.coordinates) && rawCorners < 3) return fail([`A shape needs at least three corners; ${rawCorners === 0 ? 'none were' : rawCorners === 1 ? 'one was' : 'two were'} given.`], format, rawCorners);
  // Positions are checked before normalising, so a bad one is named rather than rounded or dropped.
  const checked = areaGeometrySchema.safeParse(closeRings(raw));
  if (!checked.success) {
    const problems = [...new Set(checked.error.issues.map((i) => sentence(i.message)))];
    return fail(problems, format, rawCorners);
  }
  const normalised = toAreaGeometry({ geometry: { type: raw.type, coordinates: raw.coordinates } });
  if (!normalised.ok) return fail([normalised.error], format, rawCorners);
  return { ok: true, geometry: normalised.geometry, format, corners: vertexCount(normalised.geometry) };
}

/** Corners as a user counts them: distinct points per ring, a repeated closing point not counted. */
function countCorners(g: AreaGeometry): number {
  const c = g.coordinates as unknown;
  if (!Array.isArray(c)) return 0;
  const rings = (g.type === 'Polygon' ? c : c.flat()) as unknown[];
  let n = 0;
  for (const r of rings) {
    if (!Array.isArray(r)) continue;
    const first = r[0] as Position | undefined, last = r[r.length - 1] as Position | undefined;
    const closed = r.length > 1 && Array.isArray(first) && Array.isArray(last) && first[0] === last[0] && first[1] === last[1];
    n += r.length - (closed ? 1 : 0);
  }
  return n;
}

/** Typed rings need not repeat their first point; the schema wants closed rings, so close any that are open. */
function closeRings(g: AreaGeometry): unknown {
  const close = (ring: unknown) => {
    if (!Array.isArray(ring) || ring.length === 0) return ring;
    const first = ring[0] as unknown[], last = ring[ring.length - 1] as unknown[];
    if (!Array.isArray(first) || !Array.isArray(last)) return ring;
    return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  };
  // Only type and coordinates: a pasted geometry's bbox or crs member is not part of the area.
  const c = g.coordinates as unknown;
  if (!Array.isArray(c)) return { type: g.type, coordinates: c };
  return { type: g.type, coordinates: g.type === 'Polygon' ? c.map(close) : c.map((p) => (Array.isArray(p) ? p.map(close) : p)) };
}

const sentence = (s: string) => {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
};
