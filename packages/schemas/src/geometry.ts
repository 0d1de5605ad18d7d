// A namespace import lets the bundler drop what is unused (the named `z` pulls in every locale).
import * as z from 'zod';

/** Generous box around the UK and its islands (WGS84). Anything outside is almost always swapped or projected input. */
export const UK_BOUNDS = { minLon: -8.75, minLat: 49.8, maxLon: 1.9, maxLat: 60.95 } as const;
export const MAX_VERTICES_PER_GEOMETRY = 5000;

export type Position = [number, number];

/** Says where the nesting went wrong: an array where a number belongs, a number where an array does, or neither. */
const depth = (got: unknown, expected: string) =>
  `${Array.isArray(got) ? 'coordinates are nested too deeply: ' : typeof got === 'number' ? 'coordinates are not nested deeply enough: ' : ''}expected ${expected} here, got ${
    Array.isArray(got) ? 'an array' : String(JSON.stringify(got)).slice(0, 40)
  } (a Polygon is [[[lon, lat], …]])`;

/** One longitude or latitude. JSON.parse reads 1e400 as Infinity, so "finite" is checked as well as "number". */
const coordinate = z.number({
  error: ({ input }) =>
    Array.isArray(input) ? depth(input, 'a number (longitude or latitude)') : `coordinates must be finite numbers; got ${typeof input === 'string' ? `text, ${JSON.stringify(input.slice(0, 20))}` : String(input)}`,
});

const position = z
  .array(coordinate, { error: ({ input }) => depth(input, 'a position [longitude, latitude]') })
  .superRefine((pos, ctx) => {
    if (pos.length !== 2) {
      const z3 = pos.length === 3 ? ' (remove the altitude: positions are 2D)' : '';
      ctx.addIssue({ code: 'custom', message: `a position must be [longitude, latitude]; got ${pos.length} values${z3}` });
      return;
    }
    const [lon, lat] = pos as Position;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      ctx.addIssue({ code: 'custom', message: 'coordinates must be finite numbers' });
      return;
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      // Eastings and northings of land in Great Britain are in the thousands, which keeps a mistyped degree out.
      const bng = lon >= 1000 && lon <= 700_000 && lat >= 1000 && lat <= 1_300_000;
      const hint = bng ? ': it looks like a British National Grid easting/northing (EPSG:27700) in metres; convert it to WGS84 longitude/latitude (EPSG:4326) first' : '';
      ctx.addIssue({ code: 'custom', message: `[${lon}, ${lat}] is not a longitude/latitude pair (WGS84 degrees)${hint}` });
      return;
    }
    const { minLon, minLat, maxLon, maxLat } = UK_BOUNDS;
    if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) {
      const hint = lat >= minLon && lat <= maxLon && lon >= minLat && lon <= maxLat ? ' (latitude and longitude look swapped)' : '';
      ctx.addIssue({ code: 'custom', message: `[${lon}, ${lat}] is outside the United Kingdom${hint}` });
    }
  }) as unknown as z.ZodType<Position>;

const linearRing = z.array(position, { error: ({ input }) => depth(input, 'a ring (a list of positions)') }).superRefine((ring, ctx) => {
  if (ring.length < 4) {
    ctx.addIssue({ code: 'custom', message: `a polygon ring needs at least 4 positions (first = last); got ${ring.length}` });
    return;
  }
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    ctx.addIssue({ code: 'custom', message: `a polygon ring must be closed: its last position must equal its first, [${first}]` });
  }
});

const polygonCoordinates = z.array(linearRing).min(1, 'a polygon needs an outer ring (its coordinates are empty)');

/** Positions in a polygon's rings, counted without recursion (anything that is not an array is reported elsewhere). */
const countPositions = (rings: unknown) => (Array.isArray(rings) ? rings.reduce((n: number, r: unknown) => n + (Array.isArray(r) ? r.length : 0), 0) : 0);

function vertexCap(geom: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }, ctx: z.RefinementCtx) {
  const coords = geom.coordinates;
  const n = geom.type === 'Polygon' ? countPositions(coords) : Array.isArray(coords) ? coords.reduce((m: number, p: unknown) => m + countPositions(p), 0) : 0;
  if (n > MAX_VERTICES_PER_GEOMETRY) {
    ctx.addIssue({ code: 'custom', message: `geometry has ${n} vertices; the limit is ${MAX_VERTICES_PER_GEOMETRY}` });
  }
}

export const pointSchema = z.strictObject({ type: z.literal('Point'), coordinates: position });
export const polygonSchema = z
  .strictObject({ type: z.literal('Polygon'), coordinates: polygonCoordinates })
  .superRefine(vertexCap);
export const multiPolygonSchema = z
  .strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(polygonCoordinates).min(1, 'a MultiPolygon needs at least one polygon (its coordinates are empty)') })
  .superRefine(vertexCap);
export const areaGeometrySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema], {
  error: 'an area must be a GeoJSON geometry object with "type": "Polygon" or "MultiPolygon"',
});

export type PointGeometry = { type: 'Point'; coordinates: Position };
export type PolygonGeometry = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;
export type Geometry = PointGeometry | AreaGeometry;
export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export const bboxSchema = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => Number(p.trim()));
    if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers: minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = parts as BBox;
    if (minLon > maxLon || minLat > maxLat) {
      ctx.addIssue({ code: 'custom', message: 'bbox minimum must not exceed its maximum' });
      return z.NEVER;
    }
    return [minLon, minLat, maxLon, maxLat] as BBox;
  });

export interface Feature<G extends Geometry = Geometry, P = Record<string, unknown>> {
  type: 'Feature';
  id?: string | number;
  geometry: G;
  properties: P;
}
export interface FeatureCollection<G extends Geometry = Geometry, P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Feature<G, P>[];
}
