import type { AreaGeometry, Position } from '@safer-places/schemas';

/**
 * Vertex identity for boundary topology (adjacency, dissolve). Coordinates are quantised to `precision` degrees
 * (default 1e-6°, about 0.1 m) relative to the layer's south-west corner and packed into one safe integer, so two
 * polygons that share a boundary — whose vertices ONS publishes identically on both sides — get the same ids.
 */
export const DEFAULT_VERTEX_PRECISION = 1e-6;

export interface VertexKeyer {
  /** Id of the vertex at (lon, lat); the same quantised position always gets the same id. */
  id(lon: number, lat: number): number;
  /** First exact coordinate seen for each id. */
  readonly coords: Position[];
}

/** Polygons of an area as lists of rings (the first ring of each is the outer one). */
export function polygonsOf(g: AreaGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

export function createVertexKeyer(geometries: readonly AreaGeometry[], precision = DEFAULT_VERTEX_PRECISION): VertexKeyer {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const g of geometries) {
    for (const rings of polygonsOf(g)) {
      for (const ring of rings) {
        for (const [x, y] of ring) {
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
    }
  }
  const inv = 1 / precision;
  const span = Math.max(maxX - minX, maxY - minY) * inv + 2;
  const coords: Position[] = [];
  // One safe integer per vertex while the layer spans < 2^26 quanta (67° at 1e-6°); otherwise string keys.
  if (span < 2 ** 26) {
    const ids = new Map<number, number>();
    return {
      coords,
      id(lon, lat) {
        const key = Math.round((lon - minX) * inv) * 67108864 + Math.round((lat - minY) * inv);
        let v = ids.get(key);
        if (v === undefined) {
          v = coords.length;
          coords.push([lon, lat]);
          ids.set(key, v);
        }
        return v;
      },
    };
  }
  const ids = new Map<string, number>();
  return {
    coords,
    id(lon, lat) {
      const key = `${Math.round(lon * inv)},${Math.round(lat * inv)}`;
      let v = ids.get(key);
      if (v === undefined) {
        v = coords.length;
        coords.push([lon, lat]);
        ids.set(key, v);
      }
      return v;
    },
  };
}

/** Key of an undirected edge between vertex ids a and b (ids < 2^26). */
export function undirectedEdgeKey(a: number, b: number): number {
  return a < b ? a * 67108864 + b : b * 67108864 + a;
}

/** Key of the directed edge a → b (ids < 2^26). */
export function directedEdgeKey(a: number, b: number): number {
  return a * 67108864 + b;
}
