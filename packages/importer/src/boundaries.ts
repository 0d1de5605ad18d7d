import { readFile } from 'node:fs/promises';
import type { AreaGeometry, Position } from '@safer-places/schemas';
import type { DetectedFile } from './detect';

/** One LSOA 2021 boundary as read from a file, before the study area decides whether it is kept. */
export interface BoundaryCandidate {
  code: string;
  name: string | null;
  districtCode: string | null;
  districtName: string | null;
  wardName: string | null;
  /** Rounded to 6 decimal places, as stored. */
  geometry: AreaGeometry;
  file: string;
}

export interface BoundarySet {
  byCode: Map<string, BoundaryCandidate>;
  files: number;
  /** Features read with a code and a polygon (an LSOA given in two files counts twice). */
  features: number;
  invalid: string[];
  /** LSOAs given more than once (e.g. in a county file and in an England-wide file), and which file's boundary was kept. */
  givenTwice: { lsoas: number; keptFrom: Record<string, number> };
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
export function roundGeometry(g: AreaGeometry): AreaGeometry {
  const ring = (r: Position[]) => r.map(([x, y]) => [round6(x), round6(y)] as Position);
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
}

const ringsOf = (g: AreaGeometry): Position[][] => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());

export function vertexCount(g: AreaGeometry): number {
  let n = 0;
  for (const r of ringsOf(g)) n += r.length;
  return n;
}

/** The most decimal places any coordinate needs (a boundary published at 5 d.p. gives 5; 6 d.p. gives 6). */
export function decimalPlaces(g: AreaGeometry): number {
  let most = 0;
  for (const r of ringsOf(g)) {
    for (const p of r) {
      for (const v of p) {
        while (most < 15 && Math.round(v * 10 ** most) / 10 ** most !== v) most++;
      }
    }
  }
  return most;
}

/**
 * Which of two boundaries of one LSOA is more detailed: more vertices, then more decimal places. Positive when `a` is,
 * negative when `b` is, 0 when neither (then the later one given is kept, so a file imported again replaces itself).
 */
export function compareDetail(a: AreaGeometry, b: AreaGeometry): number {
  return vertexCount(a) - vertexCount(b) || decimalPlaces(a) - decimalPlaces(b);
}

function prop(props: Record<string, unknown>, pattern: RegExp): string | null {
  const key = Object.keys(props).find((k) => pattern.test(k));
  const v = key ? props[key] : null;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/**
 * Reads LSOA 2021 boundary files (in the order given, which detection sorts). An LSOA given more than once keeps its
 * more detailed boundary ({@link compareDetail}), whatever the order of the files, so importing a county's files
 * together with an England-wide simplified file gives the county's boundaries; properties missing from the kept one
 * (the England file has no district) are taken from the other.
 */
export async function readBoundaries(files: DetectedFile[]): Promise<BoundarySet> {
  const set: BoundarySet = { byCode: new Map(), files: 0, features: 0, invalid: [], givenTwice: { lsoas: 0, keptFrom: {} } };
  const twice = new Set<string>();
  for (const f of files) {
    set.files++;
    const fc = JSON.parse(await readFile(f.path, 'utf8')) as { features: { properties: Record<string, unknown> | null; geometry: AreaGeometry | null }[] };
    for (const feature of fc.features) {
      const props = feature.properties ?? {};
      const code = prop(props, /^lsoa21cd$/i);
      const geometry = feature.geometry;
      if (!code) continue;
      if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
        set.invalid.push(`${code}: geometry is ${(geometry as { type?: string } | null)?.type ?? 'missing'}, not a polygon`);
        continue;
      }
      set.features++;
      const candidate: BoundaryCandidate = {
        code,
        name: prop(props, /^lsoa21nm$/i),
        districtCode: prop(props, /^lad\d\dcd$/i),
        districtName: prop(props, /^lad\d\dnm$/i),
        wardName: prop(props, /^wd\d\dnm$/i),
        geometry: roundGeometry(geometry),
        file: f.path,
      };
      const before = set.byCode.get(code);
      if (!before) {
        set.byCode.set(code, candidate);
        continue;
      }
      twice.add(code);
      const [kept, other] = compareDetail(candidate.geometry, before.geometry) >= 0 ? [candidate, before] : [before, candidate];
      set.byCode.set(code, {
        ...kept,
        name: kept.name ?? other.name,
        districtCode: kept.districtCode ?? other.districtCode,
        districtName: kept.districtName ?? other.districtName,
        wardName: kept.wardName ?? other.wardName,
      });
    }
  }
  set.givenTwice.lsoas = twice.size;
  for (const code of twice) {
    const file = set.byCode.get(code)!.file;
    set.givenTwice.keptFrom[file] = (set.givenTwice.keptFrom[file] ?? 0) + 1;
  }
  return set;
}
