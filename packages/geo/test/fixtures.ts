import type { AreaGeometry, BBox, Position } from '@safer-places/schemas';
import { seededRandom, tessellate } from '../src/index';

/** LSOA-like test layer: a Voronoi tiling with about as many cells as Nottinghamshire has LSOAs (684). */
export function lsoaLikeLayer(count = 684, seed = 1): { bbox: BBox; polygons: { code: string; geometry: AreaGeometry }[] } {
  const rng = seededRandom(seed);
  const bbox: BBox = [-1.35, 52.79, -0.67, 53.5];
  const seeds: Position[] = [];
  for (let i = 0; i < count; i++) {
    // Two thirds clustered around a "city" so cells vary in size as real LSOAs do.
    const urban = i % 3 !== 0;
    const x = urban ? -1.15 + rng.normal() * 0.06 : bbox[0] + rng.next() * (bbox[2] - bbox[0]);
    const y = urban ? 52.95 + rng.normal() * 0.05 : bbox[1] + rng.next() * (bbox[3] - bbox[1]);
    seeds.push([Math.min(bbox[2], Math.max(bbox[0], x)), Math.min(bbox[3], Math.max(bbox[1], y))]);
  }
  const polygons = tessellate(seeds, bbox).map((g, i) => ({ code: `E0${String(i).padStart(7, '0')}`, geometry: densify(g) }));
  return { bbox, polygons };
}

/** Adds a midpoint to every edge so cells have ~12 vertices, like ONS super-generalised LSOAs (~11). */
function densify(g: AreaGeometry): AreaGeometry {
  if (g.type !== 'Polygon') return g;
  const ring = g.coordinates[0]!;
  const out: Position[] = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    out.push([x1, y1], [(x1 + x2) / 2, (y1 + y2) / 2]);
  }
  out.push(out[0]!);
  return { type: 'Polygon', coordinates: [out] };
}

export function randomPoints(bbox: BBox, n: number, seed = 2): Float64Array {
  const rng = seededRandom(seed);
  const xy = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = bbox[0] + rng.next() * (bbox[2] - bbox[0]);
    xy[2 * i + 1] = bbox[1] + rng.next() * (bbox[3] - bbox[1]);
  }
  return xy;
}
