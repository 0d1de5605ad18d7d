import { featureCollection, point, voronoi } from '@turf/turf';
import type { BBox, PolygonGeometry, Position } from '@safer-places/schemas';

/**
 * Voronoi cells of the seeds clipped to the box, one per seed in seed order. Cells come from d3-voronoi's shared
 * edges, so neighbouring cells have bit-identical shared vertices (no slivers or gaps after rounding both alike).
 * Rings are closed and counter-clockwise (RFC 7946).
 */
export function tessellate(seeds: Position[], bbox: BBox): PolygonGeometry[] {
  const [minX, minY, maxX, maxY] = bbox;
  if (!(minX < maxX && minY < maxY)) throw new RangeError('tessellate: bbox must have positive width and height');
  const seen = new Set<string>();
  seeds.forEach(([x, y], i) => {
    if (x < minX || x > maxX || y < minY || y > maxY) throw new RangeError(`tessellate: seed ${i} [${x}, ${y}] is outside the bbox`);
    const key = `${x},${y}`;
    // d3-voronoi returns no cell for a repeated site, which would break "one cell per seed".
    if (seen.has(key)) throw new RangeError(`tessellate: seed ${i} [${x}, ${y}] repeats an earlier seed`);
    seen.add(key);
  });
  if (seeds.length === 0) return [];

  const cells = voronoi(featureCollection(seeds.map((s) => point(s))), { bbox });
  return seeds.map((_, i) => {
    const feature = cells.features[i];
    if (!feature) throw new Error(`tessellate: no cell was produced for seed ${i}`);
    // d3 clips to the extent with float error (x = 1e-17 instead of 0); snap so cells cover the box exactly.
    const tol = 1e-9 * Math.max(maxX - minX, maxY - minY);
    const snap = (v: number, lo: number, hi: number) => (Math.abs(v - lo) <= tol ? lo : Math.abs(v - hi) <= tol ? hi : v);
    const ring = (feature.geometry.coordinates[0]! as Position[]).map(([x, y]) => [snap(x, minX, maxX), snap(y, minY, maxY)] as Position);
    return { type: 'Polygon', coordinates: [normaliseRing(ring)] };
  });
}

function normaliseRing(raw: Position[]): Position[] {
  const ring: Position[] = [];
  for (const p of raw) {
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push([p[0], p[1]]);
  }
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
  let area2 = 0;
  for (let i = 0; i < ring.length - 1; i++) area2 += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return area2 < 0 ? ring.reverse() : ring;
}
