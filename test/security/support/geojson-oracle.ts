import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import IsValidOp from 'jsts/org/locationtech/jts/operation/valid/IsValidOp.js';

/**
 * jsts (a port of JTS, the validity rules PostGIS and GEOS also follow) as an independent oracle for polygon validity.
 * It is a dev dependency of this workspace only: the API's Lambda bundle must not carry it.
 */
export interface OracleVerdict {
  valid: boolean;
  /** JTS's reason, e.g. "Self-intersection", "Hole lies outside shell"; null when valid. */
  reason: string | null;
}

const reader = new GeoJSONReader(new GeometryFactory());

const isPosition = (p: unknown) => Array.isArray(p) && (p.length === 2 || p.length === 3) && p.every((v) => typeof v === 'number');
const samePoint = (a: unknown[], b: unknown[]) => a[0] === b[0] && a[1] === b[1];
const isRing = (r: unknown) => Array.isArray(r) && r.length >= 4 && r.every(isPosition) && samePoint(r[0], r[r.length - 1]);
const isPolygon = (rings: unknown) => Array.isArray(rings) && rings.length > 0 && rings.every(isRing);

/**
 * Whether jsts can build the geometry at all: a Polygon or MultiPolygon, nested to the right depth, with numbers for
 * coordinates and closed rings of at least 4 positions, and not empty (jsts reads an empty geometry as the valid
 * EMPTY one; an area must have a shape). Those refusals are structural, so they are not compared.
 */
export function structurallyParseable(g: unknown): boolean {
  if (!g || typeof g !== 'object') return false;
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (type === 'Polygon') return isPolygon(coordinates);
  if (type === 'MultiPolygon') return Array.isArray(coordinates) && coordinates.length > 0 && coordinates.every(isPolygon);
  return false;
}

/** jsts IsValidOp's verdict, or null when the geometry is not structurally parseable (see above). */
export function jstsVerdict(g: unknown): OracleVerdict | null {
  if (!structurallyParseable(g)) return null;
  const { type, coordinates } = g as { type: string; coordinates: unknown };
  let geometry;
  try {
    geometry = reader.read({ type, coordinates });
  } catch {
    return null;
  }
  const error = new IsValidOp(geometry).getValidationError();
  return error ? { valid: false, reason: error.getMessage() } : { valid: true, reason: null };
}
