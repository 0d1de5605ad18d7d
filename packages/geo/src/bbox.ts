import type { BBox, Geometry } from '@safer-places/schemas';

/** Bounding box of any app geometry; a point gives a zero-area box. */
export function geometryBBox(g: Geometry): BBox {
  if (g.type === 'Point') {
    const [x, y] = g.coordinates;
    return [x, y, x, y];
  }
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const polygon of polygons) {
    // Holes lie inside the shell, but walking them too keeps the function correct for sloppy input.
    for (const ring of polygon) {
      // Indexed loop: destructuring in for-of costs ~2x on large layers.
      for (let i = 0; i < ring.length; i++) {
        const p = ring[i]!;
        const x = p[0];
        const y = p[1];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (minX === Infinity) throw new RangeError('geometryBBox: geometry has no positions');
  return [minX, minY, maxX, maxY];
}

/** True when the boxes overlap or touch (touching counts, so a point on a box edge is found). */
export function bboxIntersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
