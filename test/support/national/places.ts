import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import type { Polygon } from 'geojson';
import { contains, type Box } from './geometry';
import type { NationalResult } from './generate';

/** A district of a generated data set to query, with a drawn area well inside it. */
export interface DistrictChoice {
  code: string;
  name: string;
  /** The synthetic force it belongs to. */
  force: string;
  lsoas: string[];
  /** A box around the busiest LSOA that no LSOA of another district reaches (by bounding box, so by shape too). */
  box: Box;
}

const overlaps = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** A box of about 0.8 km² (or a quarter of that) centred in one of the district's busiest LSOAs, touching no other district. */
function boxInside(result: NationalResult, code: string, month: string): Box | null {
  const counts = result.counts.get(month)!;
  const mine = result.lsoas.map((l, i) => ({ l, n: counts[i]! })).filter((x) => x.l.districtCode === code);
  const others = result.lsoas.filter((l) => l.districtCode !== code);
  for (const { l } of mine.sort((a, b) => b.n - a.n || (a.l.code < b.l.code ? -1 : 1)).slice(0, 30)) {
    const cx = Math.round(((l.box[0] + l.box[2]) / 2) * 1e6) / 1e6 + 3.3e-7;
    const cy = Math.round(((l.box[1] + l.box[3]) / 2) * 1e6) / 1e6 + 3.3e-7;
    if (!contains(l.polygons, cx, cy)) continue;
    for (const [dy, dx] of [
      [0.004, 0.0065],
      [0.002, 0.0033],
    ] as const) {
      const box: Box = [cx - dx, cy - dy, cx + dx, cy + dy];
      if (!others.some((o) => overlaps(o.box, box))) return box;
    }
  }
  return null;
}

/**
 * A district of the forces written with about 100 LSOAs (the closest to that, lowest code first) that has a drawn
 * area inside it touching no other district.
 */
export function chooseDistrict(result: NationalResult, month: string): DistrictChoice {
  const written = new Set(result.written);
  const candidates = result.forces
    .filter((f) => written.has(f.id))
    .flatMap((f) => f.districts.map((d) => ({ ...d, force: f.id })))
    .sort((a, b) => Math.abs(a.lsoas - 100) - Math.abs(b.lsoas - 100) || (a.code < b.code ? -1 : 1));
  for (const d of candidates) {
    const box = boxInside(result, d.code, month);
    if (box) return { code: d.code, name: d.name, force: d.force, lsoas: result.lsoas.filter((l) => l.districtCode === d.code).map((l) => l.code), box };
  }
  throw new Error('no district of the forces written has room for a drawn area inside it');
}

/**
 * The district's drawn area as a GeoJSON polygon, with the number of generated points strictly inside it. No point lies
 * within about a metre of its edges (it shrinks a little until none does), so the count cannot depend on how an edge
 * is projected.
 */
export function squareInside(_result: NationalResult, district: DistrictChoice, rows: readonly { lon: number | null; lat: number | null }[]): { geometry: Polygon; inside: number } {
  let [w, s, e, n] = district.box;
  for (let attempt = 0; attempt < 50; attempt++) {
    const margin = 1.5e-5;
    const nearEdge = rows.some(
      (r) =>
        r.lon !== null &&
        r.lat !== null &&
        r.lon > w - margin &&
        r.lon < e + margin &&
        r.lat > s - margin &&
        r.lat < n + margin &&
        (Math.abs(r.lon - w) < margin || Math.abs(r.lon - e) < margin || Math.abs(r.lat - s) < margin || Math.abs(r.lat - n) < margin),
    );
    if (!nearEdge) {
      const inside = rows.filter((r) => r.lon !== null && r.lat !== null && r.lon > w && r.lon < e && r.lat > s && r.lat < n).length;
      const geometry: Polygon = { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
      return { geometry, inside };
    }
    [w, s, e, n] = [w + 3.7e-5, s + 3.7e-5, e - 3.7e-5, n - 3.7e-5];
  }
  throw new Error(`could not draw an area in ${district.code} with no point on its edges`);
}

/**
 * {@link squareInside} for the district, from the generated files: only the district's own force's points can lie near
 * an area inside it, so only those files are read.
 */
export async function drawnSquareIn(result: NationalResult, district: DistrictChoice): Promise<{ geometry: Polygon; inside: number }> {
  const rows: { lon: number | null; lat: number | null }[] = [];
  for (const f of result.files.filter((x) => x.force === district.force))
    for await (const r of createReadStream(join(result.out, f.path)).pipe(parse({ from_line: 2 })) as AsyncIterable<string[]>) rows.push({ lon: r[4] ? Number(r[4]) : null, lat: r[5] ? Number(r[5]) : null });
  return squareInside(result, district, rows);
}
