import Flatbush from 'flatbush';
import type { AreaGeometry } from '@safer-places/schemas';

export interface PolygonLocator {
  /** Code of the polygon containing the point, or null. */
  locate(lon: number, lat: number): string | null;
}

/**
 * Point-in-polygon index: flatbush over polygon boxes, then an even-odd crossing test over pre-flattened edges.
 *
 * Boundaries: edges are stored lower-y end first and counted half-open in y, so two polygons sharing an edge
 * compute the same crossing and a point exactly on it belongs to exactly one of them (the one to its right, or
 * above for a horizontal edge). Where polygons overlap, the earliest in input order wins.
 */
export function createPolygonLocator(polygons: { code: string; geometry: AreaGeometry }[]): PolygonLocator {
  const n = polygons.length;
  const codes = polygons.map((p) => p.code);
  if (n === 0) return { locate: () => null };

  let edgeCount = 0;
  for (const { geometry } of polygons) {
    for (const rings of geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) {
      for (const ring of rings) edgeCount += Math.max(0, ring.length - 1);
    }
  }

  // Per edge: [yLow, yHigh, xAtYLow, dx/dy]; horizontal edges are dropped because half-open counting never uses them.
  const edges = new Float64Array(edgeCount * 4);
  const edgeStart = new Int32Array(n + 1);
  const index = new Flatbush(n);
  let e = 0;
  polygons.forEach(({ geometry }, i) => {
    edgeStart[i] = e;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const rings of geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) {
      for (const ring of rings) {
        // Treat every ring as closed even if the input forgot the closing vertex.
        const m = ring.length;
        for (let k = 0; k < m; k++) {
          const [x1, y1] = ring[k]!;
          const [x2, y2] = ring[(k + 1) % m]!;
          if (x1 < minX) minX = x1;
          if (x1 > maxX) maxX = x1;
          if (y1 < minY) minY = y1;
          if (y1 > maxY) maxY = y1;
          if (y1 === y2) continue;
          const low = y1 < y2;
          const ya = low ? y1 : y2, xa = low ? x1 : x2, yb = low ? y2 : y1, xb = low ? x2 : x1;
          edges[e * 4] = ya;
          edges[e * 4 + 1] = yb;
          edges[e * 4 + 2] = xa;
          edges[e * 4 + 3] = (xb - xa) / (yb - ya);
          e++;
        }
      }
    }
    index.add(minX, minY, maxX, maxY);
  });
  edgeStart[n] = e;
  index.finish();

  const contains = (i: number, x: number, y: number): boolean => {
    let inside = false;
    const end = edgeStart[i + 1]! * 4;
    for (let k = edgeStart[i]! * 4; k < end; k += 4) {
      if (y >= edges[k]! && y < edges[k + 1]!) {
        if (x < edges[k + 2]! + (y - edges[k]!) * edges[k + 3]!) inside = !inside;
      }
    }
    return inside;
  };

  return {
    locate(lon, lat) {
      if (!(Number.isFinite(lon) && Number.isFinite(lat))) return null;
      let best = -1;
      index.search(lon, lat, lon, lat, (i) => {
        if ((best === -1 || i < best) && contains(i, lon, lat)) best = i;
        return false; // collect nothing: the result array stays empty
      });
      return best === -1 ? null : codes[best]!;
    },
  };
}
