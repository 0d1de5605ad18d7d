import * as turf from '@turf/turf';
import type { AreaGeometry, BBox } from '@safer-places/schemas';
import { bboxIntersects, geometryBBox } from './bbox';
import { areaSquareMetres } from './measure';

export interface OverlapShare {
  code: string;
  /** Share of the polygon's own area that lies inside the drawn area, 0–1. */
  shareInside: number;
  /** Overlap in square metres on the British National Grid (measure.ts). */
  overlapM2: number;
}

/**
 * How much of each polygon (e.g. each LSOA) lies inside an area: the basis for area-weighted population. Only
 * polygons whose bbox meets the area's are intersected, and polygons with no overlap are left out. The intersection is
 * Turf's (polygon clipping on lon/lat); its area and the polygon's are both measured on the British National Grid by
 * areaSquareMetres, so the m² agree with every other area the product reports.
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
    const g = overlap.geometry;
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') continue;
    const overlapM2 = areaSquareMetres(g as AreaGeometry);
    if (overlapM2 <= 0) continue;
    const polygonM2 = areaSquareMetres(p.geometry);
    out.push({ code: p.code, shareInside: polygonM2 > 0 ? Math.min(1, overlapM2 / polygonM2) : 1, overlapM2 });
  }
  return out;
}

/** Whether two areas share any point (touching counts). */
export function areasIntersect(a: AreaGeometry, b: AreaGeometry): boolean {
  if (!bboxIntersects(geometryBBox(a), geometryBBox(b))) return false;
  return turf.booleanIntersects(turf.feature(a), turf.feature(b));
}
