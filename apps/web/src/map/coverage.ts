import { cameraViewPolygon } from '@safer-places/geo';
import type { FeatureCollection, Feature, PolygonGeometry, Position } from '@safer-places/schemas';

/**
 * Coverage circles for the cameras layer: one geodesic polygon per camera with a positive effective radius
 * (`coverageRadiusM` from the layer endpoint is already defaulted by type), or the sector of its field of view when it
 * has a bearing and a view width. Decommissioned cameras cover nothing.
 */
export function coverageCollection(cameras: FeatureCollection | null | undefined, steps = 48): FeatureCollection<PolygonGeometry> {
  const features: Feature<PolygonGeometry>[] = [];
  for (const f of cameras?.features ?? []) {
    if (f.geometry.type !== 'Point') continue;
    const p = f.properties as Record<string, unknown>;
    const radius = Number(p.coverageRadiusM);
    if (!(radius > 0) || p.status === 'decommissioned') continue;
    const bearing = Number(p.bearingDeg);
    const fov = Number(p.fieldOfViewDeg);
    const view = p.bearingDeg != null && p.fieldOfViewDeg != null && Number.isFinite(bearing) && Number.isFinite(fov) ? { bearing, fieldOfView: fov } : {};
    features.push({
      type: 'Feature',
      geometry: cameraViewPolygon(f.geometry.coordinates as Position, radius, view, steps),
      properties: { id: p.id ?? f.id ?? null, type: p.type ?? null, radiusM: radius },
    });
  }
  return { type: 'FeatureCollection', features };
}
