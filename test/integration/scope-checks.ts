import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import * as turf from '@turf/turf';

/*
 * An independent oracle for the scope tests: which district, LSOA and ward a point lies in, read straight from the
 * shared ONS files with plain Turf (never the product's own geometry code), plus rough grid-size arithmetic.
 */

interface LadProps {
  LAD24CD: string;
  LAD24NM: string;
}
interface LsoaProps {
  LSOA21CD: string;
  WD24NM: string;
  LAD24CD: string;
  LAD24NM: string;
}

export interface PlaceFound {
  lsoa: string;
  ward: string;
  districtCode: string;
  districtName: string;
}

export function loadOracle(sharedData: string) {
  const lads = (JSON.parse(readFileSync(join(sharedData, 'lad-boundaries/nottinghamshire-lad-from-lsoa21.geojson'), 'utf8')) as FeatureCollection<Polygon, LadProps>).features;
  const district = new Map(lads.map((f) => [f.properties.LAD24CD, f]));
  const lsoaFeatures = readdirSync(join(sharedData, 'lsoa21-boundaries')).flatMap(
    (f) => (JSON.parse(readFileSync(join(sharedData, 'lsoa21-boundaries', f), 'utf8')) as FeatureCollection<Polygon, LsoaProps>).features,
  );
  const lsoas = lsoaFeatures.map((f) => ({ feature: f, box: turf.bbox(f) }));

  const districtFeature = (code: string): Feature<Polygon, LadProps> => {
    const f = district.get(code);
    if (!f) throw new Error(`no district ${code} in the LAD file`);
    return f;
  };
  /** Whether [lon, lat] lies inside the district's polygon (boundary counts as inside). */
  const inDistrict = (code: string, lon: number, lat: number) => turf.booleanPointInPolygon([lon, lat], districtFeature(code));
  /** The district code holding the point, or null. */
  const districtAt = (lon: number, lat: number) => lads.find((f) => turf.booleanPointInPolygon([lon, lat], f))?.properties.LAD24CD ?? null;
  /** Metres from the point to the district's polygon (0 inside). */
  const metresOutside = (code: string, lon: number, lat: number) =>
    inDistrict(code, lon, lat) ? 0 : Math.round(turf.pointToPolygonDistance([lon, lat], districtFeature(code), { units: 'meters' }));
  /** The LSOA (and its ward and district, from the ONS best-fit lookup in the file) holding the point. */
  const placeAt = (lon: number, lat: number): PlaceFound | null => {
    const hit = lsoas.find((l) => lon >= l.box[0] && lon <= l.box[2] && lat >= l.box[1] && lat <= l.box[3] && turf.booleanPointInPolygon([lon, lat], l.feature));
    if (!hit) return null;
    const p = hit.feature.properties;
    return { lsoa: p.LSOA21CD, ward: p.WD24NM, districtCode: p.LAD24CD, districtName: p.LAD24NM };
  };
  const lsoasOf = (code: string) => new Set(lsoaFeatures.filter((f) => f.properties.LAD24CD === code).map((f) => f.properties.LSOA21CD));
  const wardsOf = (code: string) => new Set(lsoaFeatures.filter((f) => f.properties.LAD24CD === code).map((f) => f.properties.WD24NM));
  const studyBBox = turf.bbox({ type: 'FeatureCollection', features: lads }) as [number, number, number, number];
  return { districtFeature, inDistrict, districtAt, metresOutside, placeAt, lsoasOf, wardsOf, studyBBox, districtName: (code: string) => districtFeature(code).properties.LAD24NM };
}
export type Oracle = ReturnType<typeof loadOracle>;

/**
 * About how many square cells of `cellSize` metres a grid over the box needs, counted as the server's contract
 * describes (cells of the box around the scope), with a cell of slack on each axis. Metres from great-circle distances
 * along the box's widest parallel and its meridian: close to the British National Grid extent, not equal to it.
 */
export function approxGridCells([w, s, e, n]: [number, number, number, number], cellSize: number) {
  const widest = Math.abs(s) < Math.abs(n) ? s : n;
  const width = turf.distance([w, widest], [e, widest], { units: 'meters' });
  const height = turf.distance([w, s], [w, n], { units: 'meters' });
  return { width, height, cells: (Math.floor(width / cellSize) + 2) * (Math.floor(height / cellSize) + 2) };
}

/** The centre of a GeoJSON cell polygon's outer ring (its vertex mean without the closing vertex). */
export function ringCentre(geometry: Polygon): [number, number] {
  const ring = geometry.coordinates[0]!.slice(0, -1);
  const lon = ring.reduce((t, p) => t + p[0]!, 0) / ring.length;
  const lat = ring.reduce((t, p) => t + p[1]!, 0) / ring.length;
  return [lon, lat];
}
