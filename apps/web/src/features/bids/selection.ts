import type { AreaGeometry, Feature, FeatureCollection } from '@safer-places/schemas';

/*
 * The bid's target area on the map, as data: the chosen LSOA codes, the lasso round them and the map collections.
 */

/** Adds the codes missing from the selection, or removes them all when every one is already in it. */
export function toggleCodes(selection: readonly string[], codes: readonly string[]): string[] {
  const set = new Set(selection);
  const allIn = codes.length > 0 && codes.every((c) => set.has(c));
  for (const c of codes) {
    if (allIn) set.delete(c);
    else set.add(c);
  }
  return [...set].sort();
}

/** The LSOA features whose code is in the set, as their own collection (for a map layer). */
export function lsoaSubset(lsoas: FeatureCollection | undefined, codes: ReadonlySet<string>): FeatureCollection {
  return { type: 'FeatureCollection', features: (lsoas?.features ?? []).filter((f) => codes.has(String(f.properties.code))) };
}

export function geometryCollection(geometry: AreaGeometry | null | undefined, properties: Record<string, unknown> = {}): FeatureCollection {
  return { type: 'FeatureCollection', features: geometry ? [{ type: 'Feature', geometry, properties } as Feature] : [] };
}

/** A point well inside a polygon's outer ring for lasso tests: the area-weighted centroid (vertex mean if degenerate). */
export function ringCentroid(ring: readonly (readonly number[])[]): [number, number] {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i]! as [number, number];
    const [x1, y1] = ring[i + 1]! as [number, number];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (Math.abs(a) < 1e-15) {
    const n = Math.max(1, ring.length - 1);
    return [ring.slice(0, n).reduce((s, p) => s + p[0]!, 0) / n, ring.slice(0, n).reduce((s, p) => s + p[1]!, 0) / n];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

function ringArea(ring: readonly (readonly number[])[]): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return Math.abs(a) / 2;
}

/** Even-odd ray casting: whether a point lies inside a closed ring. */
export function insideRing(point: readonly [number, number], ring: readonly (readonly number[])[]): boolean {
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]! as [number, number];
    const [xj, yj] = ring[j]! as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** LSOAs whose centroid (of their largest outer ring) lies inside the lasso. */
export function lassoCodes(lsoas: FeatureCollection | undefined, lasso: readonly (readonly number[])[]): string[] {
  const out: string[] = [];
  for (const f of lsoas?.features ?? []) {
    const g = f.geometry;
    const rings = g.type === 'Polygon' ? [g.coordinates[0]!] : g.type === 'MultiPolygon' ? g.coordinates.map((p) => p[0]!) : [];
    if (rings.length === 0) continue;
    const largest = rings.reduce((best, r) => (ringArea(r) > ringArea(best) ? r : best), rings[0]!);
    if (insideRing(ringCentroid(largest), lasso)) out.push(String(f.properties.code));
  }
  return out.sort();
}
