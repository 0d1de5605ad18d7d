import { z } from 'zod';

/** Generous box around the UK and its islands (WGS84). Anything outside is almost always swapped or projected input. */
export const UK_BOUNDS = { minLon: -8.75, minLat: 49.8, maxLon: 1.9, maxLat: 60.95 } as const;
export const MAX_VERTICES_PER_GEOMETRY = 5000;

export type Position = [number, number];

const position = z
  .array(z.number({ error: 'coordinates must be finite numbers' }))
  .superRefine((pos, ctx) => {
    if (pos.length !== 2) {
      ctx.addIssue({ code: 'custom', message: `a position must be [longitude, latitude]; got ${pos.length} values` });
      return;
    }
    const [lon, lat] = pos as Position;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      ctx.addIssue({ code: 'custom', message: 'coordinates must be finite numbers' });
      return;
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      ctx.addIssue({ code: 'custom', message: `[${lon}, ${lat}] is not a longitude/latitude pair (WGS84 degrees)` });
      return;
    }
    const { minLon, minLat, maxLon, maxLat } = UK_BOUNDS;
    if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) {
      const hint = lat >= minLon && lat <= maxLon && lon >= minLat && lon <= maxLat ? ' (latitude and longitude look swapped)' : '';
      ctx.addIssue({ code: 'custom', message: `[${lon}, ${lat}] is outside the United Kingdom${hint}` });
    }
  }) as unknown as z.ZodType<Position>;

const linearRing = z.array(position).superRefine((ring, ctx) => {
  if (ring.length < 4) {
    ctx.addIssue({ code: 'custom', message: `a polygon ring needs at least 4 positions (first = last); got ${ring.length}` });
    return;
  }
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    ctx.addIssue({ code: 'custom', message: 'a polygon ring must be closed: its last position must equal its first' });
  }
});

const polygonCoordinates = z.array(linearRing).min(1, 'a polygon needs an outer ring');

function countVertices(coords: unknown): number {
  if (!Array.isArray(coords)) return 0;
  if (typeof coords[0] === 'number') return 1;
  return coords.reduce((n: number, c: unknown) => n + countVertices(c), 0);
}

function vertexCap<T extends { coordinates: unknown }>(geom: T, ctx: z.RefinementCtx) {
  const n = countVertices(geom.coordinates);
  if (n > MAX_VERTICES_PER_GEOMETRY) {
    ctx.addIssue({ code: 'custom', message: `geometry has ${n} vertices; the limit is ${MAX_VERTICES_PER_GEOMETRY}` });
  }
}

export const pointSchema = z.strictObject({ type: z.literal('Point'), coordinates: position });
export const polygonSchema = z
  .strictObject({ type: z.literal('Polygon'), coordinates: polygonCoordinates })
  .superRefine(vertexCap);
export const multiPolygonSchema = z
  .strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(polygonCoordinates).min(1) })
  .superRefine(vertexCap);
export const areaGeometrySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);

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
