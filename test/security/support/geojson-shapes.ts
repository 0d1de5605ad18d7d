/**
 * Raw JSON text for the GeoJSON bad-input corpus. Shapes sit in the synthetic demo county (off the Yorkshire coast),
 * on a 0.001° grid from [1.1, 54.2], rounded to 6 decimals so edges along the grid are exactly straight.
 */
export type Pos = [number, number];

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
export const at = (x: number, y: number): Pos => [r6(1.1 + x / 1000), r6(54.2 + y / 1000)];
/** A ring through the given grid points, closed. */
export const ring = (...pts: [number, number][]): Pos[] => [...pts, pts[0]!].map(([x, y]) => at(x, y));
/** Anticlockwise square (an outer ring in RFC 7946 order); reverse it for a hole. */
export const square = (x: number, y: number, w: number): Pos[] => ring([x, y], [x + w, y], [x + w, y + w], [x, y + w]);
export const hole = (x: number, y: number, w: number): Pos[] => square(x, y, w).reverse();

export const polygon = (...rings: unknown[]) => JSON.stringify({ type: 'Polygon', coordinates: rings });
export const multiPolygon = (...parts: unknown[][]) => JSON.stringify({ type: 'MultiPolygon', coordinates: parts });

export const SQUARE = polygon(square(0, 0, 10));

export interface BodyOptions {
  /** Raw JSON for the name (default a plain one). */
  name?: string;
  /** Raw members appended after the geometry, e.g. `, "orgId": "x"` (duplicates of earlier keys included). */
  extra?: string;
}

/** POST /api/areas: a drawn area (drawnAreaInputSchema) around the raw geometry text. */
export const areaBody = (geometry: string, o: BodyOptions = {}) =>
  `{"name": ${o.name ?? '"GeoJSON corpus area"'}, "theme": "asb", "shape": "polygon", "geometry": ${geometry}${o.extra ?? ''}}`;

/** POST /api/pspo-zones/import: one PSPO zone around the raw geometry text. */
export const importBody = (geometry: string, o: BodyOptions = {}) =>
  `{"items": [{"name": ${o.name ?? '"GeoJSON corpus zone"'}, "prohibitions": ["Drinking alcohol in public"], "startDate": "2025-01-01", "endDate": "2027-12-31", "district": "Northvale", "geometry": ${geometry}${o.extra ?? ''}}]}`;

/** POST /api/areas/analyse: an unsaved area's statistics. */
export const analyseBody = (geometry: string, o: BodyOptions = {}) => `{"geometry": ${geometry}${o.extra ?? ''}}`;

/** 50,000 positions in one closed ring: compact (well under 1 MB) or with 7 decimals (over 1 MB). */
export function fiftyThousand(compact: boolean): string {
  const n = 50_000;
  if (compact) {
    // Three corners, then the same inner point again and again, then back to the start: a valid notched square.
    const corners = [at(0, 0), at(10, 0), at(10, 10), at(0, 10)];
    const inner = at(5, 5);
    return polygon([...corners, ...Array.from({ length: n - corners.length - 1 }, () => inner), corners[0]]);
  }
  const ringPts: Pos[] = [];
  for (let i = 0; i < n - 1; i++) {
    const a = (i / (n - 1)) * 2 * Math.PI;
    ringPts.push([Number((1.11 + 0.01 * Math.cos(a)).toFixed(7)), Number((54.21 + 0.006 * Math.sin(a)).toFixed(7))]);
  }
  ringPts.push(ringPts[0]!);
  return polygon(ringPts);
}

/** A Polygon whose coordinates are `levels` nested empty arrays. */
export const nested = (levels: number) => `{"type": "Polygon", "coordinates": ${'['.repeat(levels)}${']'.repeat(levels)}}`;
