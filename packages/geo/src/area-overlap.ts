import * as turf from '@turf/turf';
import type { AreaGeometry, BBox, Position } from '@safer-places/schemas';
import { bboxIntersects, geometryBBox } from './bbox';

export interface OverlapShare {
  code: string;
  /** Share of the polygon's own area that lies inside the drawn area, 0–1. */
  shareInside: number;
  /** Overlap in square metres. */
  overlapM2: number;
}

/**
 * How much of each polygon (e.g. each LSOA) lies inside an area: the basis for area-weighted population. Only
 * polygons whose bbox meets the area's are intersected, and polygons with no overlap are left out.
 */
export function overlapShares(area: AreaGeometry, polygons: { code: string; geometry: AreaGeometry; bbox?: BBox }[]): OverlapShare[] {
  const box = geometryBBox(area);
  const areaFeature = turf.feature(area);
  const out: OverlapShare[] = [];
  for (const p of polygons) {
    if (!bboxIntersects(p.bbox ?? geometryBBox(p.geometry), box)) continue;
    const polygon = turf.feature(p.geometry);
    const overlap = turf.intersect(turf.featureCollection([areaFeature, polygon]));
    if (!overlap) continue;
    const overlapM2 = turf.area(overlap);
    if (overlapM2 <= 0) continue;
    out.push({ code: p.code, shareInside: Math.min(1, overlapM2 / turf.area(polygon)), overlapM2 });
  }
  return out;
}

/** Whether two areas share any point (touching counts). */
export function areasIntersect(a: AreaGeometry, b: AreaGeometry): boolean {
  if (!bboxIntersects(geometryBBox(a), geometryBBox(b))) return false;
  return turf.booleanIntersects(turf.feature(a), turf.feature(b));
}

export function areaSquareMetres(g: AreaGeometry): number {
  return turf.area(turf.feature(g));
}

/** Great-circle distance in metres. */
export function distanceMetres(a: Position, b: Position): number {
  return turf.distance(a, b, { units: 'meters' });
}

/** Distance in metres from a point to an area: 0 inside, else to its nearest edge. */
export function distanceToAreaMetres(point: Position, area: AreaGeometry): number {
  const pt = turf.point(point);
  const feature = turf.feature(area);
  if (turf.booleanPointInPolygon(pt, feature)) return 0;
  const rings = area.type === 'Polygon' ? area.coordinates : area.coordinates.flat();
  let best = Infinity;
  for (const ring of rings) best = Math.min(best, turf.pointToLineDistance(pt, turf.lineString(ring), { units: 'meters' }));
  return best;
}
