import { bboxIntersects, createPolygonLocator, geometryBBox } from '@safer-places/geo';
import type { AreaGeometry, BBox } from '@safer-places/schemas';

/** The districts being downloaded: their LSOA polygons, for "is this crime inside?" and "is this tile worth asking for?". */
export interface StudyArea {
  bbox: BBox;
  /** LSOA code containing the point, or null when the point lies outside every LSOA of the area. */
  locate(lon: number, lat: number): string | null;
  /** True when the box overlaps the bounding box of at least one LSOA (tiles outside the area are never requested). */
  intersects(box: BBox): boolean;
  /** A point inside some LSOA of the district (for a sanity check of the police force), or null. */
  interiorPoint(ladCode: string): [lon: number, lat: number] | null;
}

export interface AreaPolygon {
  code: string;
  lad: string;
  geometry: AreaGeometry;
}

export function buildStudyArea(polygons: AreaPolygon[]): StudyArea {
  if (polygons.length === 0) throw new RangeError('buildStudyArea: no polygons');
  const locator = createPolygonLocator(polygons.map((p) => ({ code: p.code, geometry: p.geometry })));
  const boxes = polygons.map((p) => geometryBBox(p.geometry));
  const bbox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    bbox[0] = Math.min(bbox[0], b[0]);
    bbox[1] = Math.min(bbox[1], b[1]);
    bbox[2] = Math.max(bbox[2], b[2]);
    bbox[3] = Math.max(bbox[3], b[3]);
  }
  return {
    bbox,
    locate: (lon, lat) => locator.locate(lon, lat),
    intersects: (box) => boxes.some((b) => bboxIntersects(b, box)),
    interiorPoint(ladCode) {
      for (let i = 0; i < polygons.length; i++) {
        const p = polygons[i]!;
        if (p.lad !== ladCode) continue;
        const own = createPolygonLocator([{ code: p.code, geometry: p.geometry }]);
        const [x0, y0, x1, y1] = boxes[i]!;
        // Try a few points of a coarse grid over the LSOA's box; LSOAs are compact, the centre usually works.
        for (const [fx, fy] of [[0.5, 0.5], [0.3, 0.5], [0.7, 0.5], [0.5, 0.3], [0.5, 0.7], [0.3, 0.3], [0.7, 0.7]] as const) {
          const x = x0 + (x1 - x0) * fx;
          const y = y0 + (y1 - y0) * fy;
          if (own.locate(x, y) !== null) return [x, y];
        }
      }
      return null;
    },
  };
}

/** The four quarters of a box, each grown by `overlap` degrees past the midlines so a point on a midline is in two. */
export function quarter([x0, y0, x1, y1]: BBox, overlap: number): BBox[] {
  const mx = (x0 + x1) / 2;
  const my = (y0 + y1) / 2;
  return [
    [x0, y0, mx + overlap, my + overlap],
    [mx - overlap, y0, x1, my + overlap],
    [x0, my - overlap, mx + overlap, y1],
    [mx - overlap, my - overlap, x1, y1],
  ];
}

export function expandBox([x0, y0, x1, y1]: BBox, by: number): BBox {
  return [x0 - by, y0 - by, x1 + by, y1 + by];
}

export function formatBox(b: BBox): string {
  return `[${b.map((v) => v.toFixed(4)).join(', ')}]`;
}
