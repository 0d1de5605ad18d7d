import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AreaGeometry } from '@safer-places/schemas';
import { CRIME_CATEGORIES } from '@safer-places/schemas';
import { toBng } from '../src/projection/bng';
import { areasExtent } from '../src/hotspots/grid-mask';

/**
 * The real Nottinghamshire police.uk data (../shared/data, or SHARED_DATA_DIR) for the hotspot benchmarks. Never copied
 * into the repo. Under CI=true a missing folder is an error; otherwise benches print a notice and skip.
 *
 * The CSV reader is a few lines here rather than the importer's readCsvRows because the importer depends on this
 * package; police.uk files have no multi-line records, and quoted fields ("On or near The Drive, Park Lane") are handled.
 */
export const DATA = process.env.SHARED_DATA_DIR ?? join(import.meta.dirname, '../../../../shared/data');

export function realDataAvailable(): boolean {
  const ok = existsSync(join(DATA, 'police-uk'));
  if (!ok && process.env.CI === 'true') throw new Error(`shared data missing at ${DATA}`);
  if (!ok) console.warn(`hotspot benchmarks on real data need ${DATA}; not run`);
  return ok;
}

export interface RealCrimes {
  n: number;
  lonLat: Float64Array;
  xy: Float64Array;
  /** Months since 2000-01. */
  month: Uint16Array;
  /** Index into CRIME_CATEGORIES. */
  category: Uint8Array;
  location: string[];
  /** Rows without coordinates, skipped. */
  unlocated: number;
  projectMs: number;
}

export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

let cached: RealCrimes | null = null;

export function loadRealCrimes(): RealCrimes {
  if (cached) return cached;
  const dir = join(DATA, 'police-uk');
  const labels = new Map(CRIME_CATEGORIES.map((c, i) => [c.label.toLowerCase(), i]));
  const lon: number[] = [], lat: number[] = [], month: number[] = [], category: number[] = [];
  const location: string[] = [];
  let unlocated = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    const lines = readFileSync(join(dir, f), 'utf8').split(/\r?\n/);
    const header = splitCsvLine(lines[0]!.replace(/^\uFEFF/, ''));
    const col = (name: string) => header.indexOf(name);
    const [cMonth, cLon, cLat, cLoc, cType] = [col('Month'), col('Longitude'), col('Latitude'), col('Location'), col('Crime type')];
    for (let i = 1; i < lines.length; i++) {
      if (!lines[i]) continue;
      const v = splitCsvLine(lines[i]!);
      const x = Number(v[cLon]), y = Number(v[cLat]);
      if (!v[cLon] || !v[cLat] || !Number.isFinite(x) || !Number.isFinite(y)) {
        unlocated++;
        continue;
      }
      const [yy, mm] = v[cMonth]!.split('-').map(Number);
      lon.push(x);
      lat.push(y);
      month.push((yy! - 2000) * 12 + (mm! - 1));
      category.push(labels.get(v[cType]!.trim().toLowerCase()) ?? 13);
      location.push(v[cLoc]!);
    }
  }
  const n = lon.length;
  const lonLat = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    lonLat[2 * i] = lon[i]!;
    lonLat[2 * i + 1] = lat[i]!;
  }
  const t = performance.now();
  const xy = toBng(lonLat);
  const projectMs = performance.now() - t;
  cached = { n, lonLat, xy, month: Uint16Array.from(month), category: Uint8Array.from(category), location, unlocated, projectMs };
  return cached;
}

function readFeatures(path: string): { properties: Record<string, any>; geometry: AreaGeometry }[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { features: { properties: Record<string, any>; geometry: AreaGeometry }[] }).features;
}

/** The eight districts (dissolved from LSOA21), i.e. the county study area. */
export function loadCounty(): AreaGeometry[] {
  return readFeatures(join(DATA, 'lad-boundaries', 'nottinghamshire-lad-from-lsoa21.geojson')).map((f) => f.geometry);
}

/** LSOA21 polygons with Census 2021 usual residents. */
export function loadLsoaPopulation(): { code: string; geometry: AreaGeometry; population: number }[] {
  const pop = new Map<string, number>();
  const lines = readFileSync(join(DATA, 'population', 'lsoa21-census2021-usual-residents-nottinghamshire.csv'), 'utf8').split(/\r?\n/);
  const header = splitCsvLine(lines[0]!);
  const cCode = header.indexOf('lsoa21cd'), cPop = header.indexOf('usual_residents_census2021');
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const v = splitCsvLine(line);
    pop.set(v[cCode]!, Number(v[cPop]));
  }
  const out: { code: string; geometry: AreaGeometry; population: number }[] = [];
  for (const f of readdirSync(join(DATA, 'lsoa21-boundaries')).filter((f) => f.endsWith('.geojson'))) {
    for (const feat of readFeatures(join(DATA, 'lsoa21-boundaries', f))) {
      const code = feat.properties.LSOA21CD as string;
      out.push({ code, geometry: feat.geometry, population: pop.get(code) ?? 0 });
    }
  }
  return out;
}

/**
 * The real crimes plus seeded synthetic points scattered around randomly chosen real ones (~50 m), up to `total`
 * points, in lon/lat: the 1 M-point workload of the points-in-polygon benchmark.
 */
export function realPlusSynthetic(real: RealCrimes, total: number, seed = 7): Float64Array {
  const out = new Float64Array(total * 2);
  out.set(real.lonLat.subarray(0, Math.min(real.n, total) * 2));
  let s = seed >>> 0;
  const next = () => {
    // mulberry32: plenty for jitter, and deterministic.
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = real.n; i < total; i++) {
    const j = Math.floor(next() * real.n);
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const a = 2 * Math.PI * next();
    out[2 * i] = real.lonLat[2 * j]! + r * Math.cos(a) * 0.00075;
    out[2 * i + 1] = real.lonLat[2 * j + 1]! + r * Math.sin(a) * 0.00045;
  }
  return out;
}

/** A hand-drawn-style polygon of about 1 km² around Nottingham's Old Market Square (the densest area). */
export const CITY_CENTRE_POLYGON: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [-1.1548, 52.9499],
      [-1.148, 52.9483],
      [-1.1412, 52.9494],
      [-1.1393, 52.9531],
      [-1.1405, 52.9569],
      [-1.1453, 52.9583],
      [-1.1517, 52.9581],
      [-1.1553, 52.9558],
      [-1.1564, 52.9526],
      [-1.1548, 52.9499],
    ],
  ],
};

/** The county extent in BNG metres (bounding box of the districts). */
export function countyExtent(county: AreaGeometry[]): [number, number, number, number] {
  return areasExtent(county);
}
