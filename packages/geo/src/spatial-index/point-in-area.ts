import type { AreaGeometry } from '@safer-places/schemas';

/**
 * Whether a point lies inside a polygon or multipolygon: a crossing test over each polygon's rings (so a point in a
 * hole is outside), the same rule the polygon locator applies. A point exactly on an edge may fall either side.
 */
export function pointInArea(area: AreaGeometry, x: number, y: number): boolean {
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  for (const rings of polygons) {
    let inside = false;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}
