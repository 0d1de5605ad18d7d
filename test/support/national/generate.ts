import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { AliasTable, Random } from './random';
import { BoxGrid, boxOf, contains, edgeDistanceM, polygonsOf, type Box, type Polygons } from './geometry';

/**
 * A seeded national crime data set in police.uk's street-level CSV format, for benchmarks and scale tests.
 *
 * Everything is SYNTHETIC: the places are England's real 33,755 LSOAs (ONS boundaries) and districts (from the IoD 2025
 * file), but every crime, snap point, street name and police force is made up. Crime is concentrated the way real
 * crime is: each LSOA's weight is a heavy-tailed random draw (log-normal, with a few town-centre spikes) times its IoD
 * 2025 crime and deprivation scores, and within an LSOA most crimes fall on a few of its "snap points" (police.uk
 * publishes anonymised points, not addresses). About 5 % of rows have no location and about 1 in 2,000 located rows
 * lies outside every England LSOA (offshore, in Wales or Scotland), as in the real files.
 *
 * England's police force areas are not in the shared data, so districts are grouped into synthetic forces by
 * proximity (k-means on district centres): each has an ONS-shaped but unreal code (E2390xxxx), a name starting
 * "Synthetic Force", and the files a per-force import would read (`YYYY-MM/YYYY-MM-<force id>-street.csv`). A
 * district → CSP → force lookup in `reference/` lets the importer choose a force's districts as its study area.
 *
 * Deterministic: the same seed and options give byte-identical files, and a subset of forces (`forces`) gives the
 * same files as the full run for those forces (each month × force draws from its own seeded stream). Rows are
 * streamed to disk; no file is ever held in memory whole.
 */
export interface NationalOptions {
  /** Output folder (created); keep it outside the repository or in a git-ignored folder such as `.data/`. */
  out: string;
  /** The shared open data folder (England LSOA boundaries and IoD 2025). */
  dataDir: string;
  seed?: number | string;
  /** Number of months, from `startMonth`. */
  months?: number;
  startMonth?: string;
  /** Crimes in a year over all of England (before `fraction`). */
  crimesPerYear?: number;
  /** Share of the crimes to write (0 < fraction ≤ 1): the same places and snap points, fewer crimes. */
  fraction?: number;
  /** Force ids (`synthetic-force-07`) or numbers (`7`) to write; all when absent. */
  forces?: string[];
  /** How many synthetic forces to group the districts into. */
  forceCount?: number;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface SyntheticForce {
  id: string;
  /** ONS-shaped but unreal code: E2390 followed by the force's number. */
  code: string;
  /** As written in "Reported by" and "Falls within". */
  name: string;
  districts: { code: string; name: string; lsoas: number }[];
  lsoas: number;
}

export interface NationalLsoa {
  code: string;
  name: string;
  districtCode: string;
  districtName: string;
  force: number;
  polygons: Polygons;
  box: Box;
  imdDecile: number;
  crimeScore: number;
  weight: number;
}

export interface GeneratedFile {
  path: string;
  month: string;
  force: string;
  rows: number;
  sha256: string;
}

export interface NationalResult {
  out: string;
  seed: string;
  months: string[];
  forces: SyntheticForce[];
  /** The forces written (all, or those asked for). */
  written: string[];
  lsoas: NationalLsoa[];
  /** Per month: crimes written per LSOA (index into `lsoas`), rows with a point inside that LSOA. */
  counts: Map<string, Int32Array>;
  rows: number;
  noLocation: number;
  outsideEngland: number;
  files: GeneratedFile[];
  /** Folder of the lookups the importer reads with the crimes. */
  referenceDir: string;
  manifestPath: string;
  /** Share of the expected crime in the top 1 %, 5 % and 10 % of LSOAs, and on the top 5 % of snap points. */
  concentration: { top1PctLsoas: number; top5PctLsoas: number; top10PctLsoas: number; top5PctSnapPoints: number; snapPoints: number };
}

/**
 * The crime mix: shares of police.uk's 14 crime types, rounded from the Nottinghamshire files of 2023–2024 (see the
 * shared data's README for the counts).
 */
export const CATEGORY_MIX: readonly [string, number][] = [
  ['Violence and sexual offences', 29.5],
  ['Anti-social behaviour', 21.3],
  ['Shoplifting', 11.8],
  ['Criminal damage and arson', 8.1],
  ['Other theft', 6.5],
  ['Public order', 6.2],
  ['Vehicle crime', 4.1],
  ['Burglary', 3.3],
  ['Drugs', 3.1],
  ['Other crime', 2.3],
  ['Possession of weapons', 1.2],
  ['Bicycle theft', 0.9],
  ['Robbery', 0.8],
  ['Theft from the person', 0.7],
];
const OUTCOMES: readonly [string, number][] = [
  ['Investigation complete; no suspect identified', 30],
  ['Unable to prosecute suspect', 28],
  ['Court result unavailable', 8],
  ['Local resolution', 2],
  ['Status update unavailable', 1],
  ['Action to be taken by another organisation', 1],
  ['Offender given a caution', 1],
  ['Formal action is not in the public interest', 0.8],
  ['Further action is not in the public interest', 0.7],
  ['Awaiting court outcome', 0.6],
  ['Further investigation is not in the public interest', 0.5],
  ['Offender given penalty notice', 0.1],
];
const PLACES: readonly [string, number][] = [
  ['Supermarket', 6],
  ['Parking Area', 4],
  ['Petrol Station', 3],
  ['Shopping Area', 3],
  ['Sports/Recreation Area', 1],
  ['Nightclub', 0.6],
  ['Hospital', 0.5],
  ['Bus/Coach Station', 0.5],
  ['Theatre/Concert Hall', 0.4],
  ['Further/Higher Educational Building', 0.3],
];
const STREET_STEMS = 'Church Mill Station Park Victoria Albert Queen King Chapel Oak Elm Ash Beech Willow Meadow Grange Manor Hall Bridge Water Castle Market New Green Windsor York Cross Spring Forest Moor Hill Valley Orchard Cedar Rose Birch Holly Maple Lime Priory'.split(' ');
const STREET_KINDS = 'Street Road Lane Avenue Close Drive Way Crescent Gardens Place Terrace Grove'.split(' ');

export const DEFAULTS = { seed: 2026, months: 12, startMonth: '2024-01', crimesPerYear: 6_000_000, fraction: 1, forceCount: 43 } as const;
/** The yearly total the snap points are sized for, whatever is written: the places stay the same for any fraction. */
const NOMINAL_CRIMES_PER_YEAR = 6_000_000;
const NO_LOCATION_SHARE = 0.05;
const OUTSIDE_SHARE = 1 / 2000;
/** A snap point keeps this far (metres) from its LSOA's edges, so placement by point-in-polygon is never a coin toss. */
const EDGE_MARGIN_M = 2;

const cumulative = (xs: readonly [string, number][]) => {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  return xs.map(([label, w]) => {
    acc += w / total;
    return { label, upTo: acc };
  });
};
const pick = <T extends { upTo: number }>(table: readonly T[], u: number): T => table.find((t) => u < t.upTo) ?? table[table.length - 1]!;
const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const inBox = (b: Box, x: number, y: number) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
const pad2 = (n: number) => String(n).padStart(2, '0');

export function monthsFrom(start: string, count: number): string[] {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(start);
  if (!m) throw new Error(`start month "${start}" is not YYYY-MM`);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = Number(m[1]) * 12 + Number(m[2]) - 1 + i;
    out.push(`${Math.floor(k / 12)}-${pad2((k % 12) + 1)}`);
  }
  return out;
}

type EnglandLsoa = Omit<NationalLsoa, 'force' | 'weight'>;
const englandRead = new Map<string, Promise<EnglandLsoa[]>>();

/** England's LSOAs with their districts and IoD 2025 scores, joined on the LSOA code, in code order (read once per folder; never changed). */
export function readEngland(dataDir: string): Promise<EnglandLsoa[]> {
  let read = englandRead.get(dataDir);
  if (!read) {
    read = readEnglandFiles(dataDir);
    englandRead.set(dataDir, read);
    read.catch(() => englandRead.delete(dataDir));
  }
  return read;
}

async function readEnglandFiles(dataDir: string): Promise<EnglandLsoa[]> {
  const iodRows = parse(await readFile(join(dataDir, 'iod2025-england-lsoa21.csv')), { columns: true }) as Record<string, string>[];
  const iod = new Map(iodRows.map((r) => [r.lsoa21cd!, r]));
  const fc = JSON.parse(await readFile(join(dataDir, 'england/lsoa21-boundaries-england-simplified.geojson'), 'utf8')) as {
    features: { properties: { LSOA21CD: string; LSOA21NM: string }; geometry: { type: string; coordinates: unknown } }[];
  };
  const out = fc.features.map((f) => {
    const r = iod.get(f.properties.LSOA21CD);
    if (!r) throw new Error(`LSOA ${f.properties.LSOA21CD} has no row in the IoD 2025 file`);
    const polygons = polygonsOf(f.geometry);
    return {
      code: f.properties.LSOA21CD,
      name: f.properties.LSOA21NM,
      districtCode: r.lad24cd!,
      districtName: r.lad24nm!,
      polygons,
      box: boxOf(polygons),
      imdDecile: Number(r.imd_decile),
      crimeScore: Number(r.crime_score),
    };
  });
  return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * Groups districts into `count` synthetic forces by proximity: k-means on district centres (farthest-point start from
 * the lowest district code, 30 rounds), then numbered from north to south. Depends on the geography only, not the seed.
 */
export function groupForces(lsoas: readonly EnglandLsoa[], count: number): { forces: SyntheticForce[]; forceOfDistrict: Map<string, number> } {
  const byDistrict = new Map<string, { code: string; name: string; x: number; y: number; lsoas: number }>();
  for (const l of lsoas) {
    const d = byDistrict.get(l.districtCode) ?? { code: l.districtCode, name: l.districtName, x: 0, y: 0, lsoas: 0 };
    d.x += ((l.box[0] + l.box[2]) / 2) * Math.cos((53 * Math.PI) / 180);
    d.y += (l.box[1] + l.box[3]) / 2;
    d.lsoas++;
    byDistrict.set(l.districtCode, d);
  }
  const districts = [...byDistrict.values()].sort((a, b) => (a.code < b.code ? -1 : 1)).map((d) => ({ ...d, x: d.x / d.lsoas, y: d.y / d.lsoas }));
  const k = Math.min(count, districts.length);
  const dist2 = (a: { x: number; y: number }, b: { x: number; y: number }) => (a.x - b.x) ** 2 + (a.y - b.y) ** 2;
  const centres = [{ x: districts[0]!.x, y: districts[0]!.y }];
  while (centres.length < k) {
    let best = 0;
    let bestD = -1;
    districts.forEach((d, i) => {
      // Far from every centre so far, and large: a lone island district never becomes a force of its own.
      const score = Math.min(...centres.map((c) => dist2(c, d))) * d.lsoas;
      if (score > bestD) [best, bestD] = [i, score];
    });
    centres.push({ x: districts[best]!.x, y: districts[best]!.y });
  }
  let assign = new Int32Array(districts.length);
  for (let round = 0; round < 30; round++) {
    assign = new Int32Array(districts.map((d) => centres.reduce((bi, c, i) => (dist2(c, d) < dist2(centres[bi]!, d) ? i : bi), 0)));
    for (let c = 0; c < k; c++) {
      const members = districts.filter((_, i) => assign[i] === c);
      if (members.length === 0) continue;
      const w = members.reduce((s, m) => s + m.lsoas, 0);
      centres[c] = { x: members.reduce((s, m) => s + m.x * m.lsoas, 0) / w, y: members.reduce((s, m) => s + m.y * m.lsoas, 0) / w };
    }
  }
  const groups = centres
    .map((c, i) => ({ c, members: districts.filter((_, j) => assign[j] === i) }))
    .filter((g) => g.members.length > 0)
    .sort((a, b) => b.c.y - a.c.y || a.c.x - b.c.x);
  const forceOfDistrict = new Map<string, number>();
  const forces = groups.map((g, i) => {
    const n = pad2(i + 1);
    const largest = [...g.members].sort((a, b) => b.lsoas - a.lsoas || (a.code < b.code ? -1 : 1))[0]!;
    for (const m of g.members) forceOfDistrict.set(m.code, i);
    return {
      id: `synthetic-force-${n}`,
      code: `E2390${String(i + 1).padStart(4, '0')}`,
      name: `Synthetic Force ${n} (${largest.name})`,
      districts: g.members.map((m) => ({ code: m.code, name: m.name, lsoas: m.lsoas })),
      lsoas: g.members.reduce((s, m) => s + m.lsoas, 0),
    };
  });
  return { forces, forceOfDistrict };
}

interface SnapPoints {
  lon: string[];
  lat: string[];
  location: string[];
  table: AliasTable | null;
  weights: number[];
}

/** Snap points inside one LSOA (and in no other), at least EDGE_MARGIN_M from its edges, with Zipf-like weights. */
function snapPointsOf(l: NationalLsoa, all: readonly NationalLsoa[], grid: BoxGrid, seed: string, count: number, places: ReturnType<typeof cumulative>): SnapPoints {
  const rng = new Random(seed, 'snap', l.code);
  const out: SnapPoints = { lon: [], lat: [], location: [], table: null, weights: [] };
  const [w, s, e, n] = l.box;
  for (let attempt = 0; out.lon.length < count && attempt < count * 400; attempt++) {
    const x = Math.round((w + rng.next() * (e - w)) * 1e6) / 1e6;
    const y = Math.round((s + rng.next() * (n - s)) * 1e6) / 1e6;
    if (!contains(l.polygons, x, y) || edgeDistanceM(l.polygons, x, y) < EDGE_MARGIN_M) continue;
    if (grid.candidates(x, y).some((i) => all[i] !== l && inBox(all[i]!.box, x, y) && contains(all[i]!.polygons, x, y))) continue;
    out.lon.push(x.toFixed(6));
    out.lat.push(y.toFixed(6));
    const label = rng.next() < 0.22 ? pick(places, rng.next()).label : `${STREET_STEMS[Math.floor(rng.next() * STREET_STEMS.length)]} ${STREET_KINDS[Math.floor(rng.next() * STREET_KINDS.length)]}`;
    out.location.push(`On or near ${label}`);
    out.weights.push(1 / (out.lon.length) ** 1.1);
  }
  if (out.lon.length === 0) throw new Error(`LSOA ${l.code}: no point found ${EDGE_MARGIN_M} m inside it and in no other LSOA`);
  out.table = new AliasTable(out.weights);
  return out;
}

/** Points outside every England LSOA (offshore, Wales, Scotland) but in the UK's box, near a force's area. */
function outsidePointsOf(force: number, lsoas: readonly NationalLsoa[], members: readonly number[], grid: BoxGrid, seed: string): { lon: string; lat: string }[] {
  const rng = new Random(seed, 'outside', force);
  const out: { lon: string; lat: string }[] = [];
  for (let attempt = 0; out.length < 12 && attempt < 20_000; attempt++) {
    const base = lsoas[members[Math.floor(rng.next() * members.length)]!]!;
    const spread = attempt < 5_000 ? 0.5 : 3;
    const x = Math.round(((base.box[0] + base.box[2]) / 2 + (rng.next() * 2 - 1) * spread * 1.6) * 1e6) / 1e6;
    const y = Math.round(((base.box[1] + base.box[3]) / 2 + (rng.next() * 2 - 1) * spread) * 1e6) / 1e6;
    if (x < -6.5 || x > 2 || y < 49.8 || y > 56) continue;
    const near = grid.candidates(x, y);
    if (near.some((i) => (inBox(lsoas[i]!.box, x, y) && contains(lsoas[i]!.polygons, x, y)) || edgeDistanceM(lsoas[i]!.polygons, x, y) < 50)) continue;
    out.push({ lon: x.toFixed(6), lat: y.toFixed(6) });
  }
  if (out.length === 0) out.push({ lon: '1.900000', lat: '53.900000' }); // the North Sea
  return out;
}

function forceIndexes(asked: string[] | undefined, forces: SyntheticForce[]): number[] {
  if (!asked || asked.length === 0) return forces.map((_, i) => i);
  return [
    ...new Set(
      asked.map((a) => {
        const t = a.trim().toLowerCase();
        const i = /^\d+$/.test(t) ? Number(t) - 1 : forces.findIndex((f) => f.id === t || f.code.toLowerCase() === t);
        if (!(i >= 0 && i < forces.length)) throw new Error(`unknown force "${a}": give a number 1–${forces.length}, an id (synthetic-force-07) or a code (${forces[0]!.code})`);
        return i;
      }),
    ),
  ].sort((a, b) => a - b);
}

/** A file written in ~256 KB pieces, waiting for the disk when it falls behind, hashed as it goes. */
class StreamedFile {
  private readonly stream;
  private readonly hash = createHash('sha256');
  private parts: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  /** A promise only when the piece went to disk and the disk is behind: await it then. */
  write(line: string): Promise<void> | undefined {
    this.parts.push(line);
    this.size += line.length;
    return this.size >= 256 * 1024 ? this.flush() : undefined;
  }
  private async flush() {
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.hash.update(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<string> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    return this.hash.digest('hex');
  }
}

export async function generateNational(options: NationalOptions): Promise<NationalResult> {
  const seed = String(options.seed ?? DEFAULTS.seed);
  const months = monthsFrom(options.startMonth ?? DEFAULTS.startMonth, options.months ?? DEFAULTS.months);
  const crimesPerYear = options.crimesPerYear ?? DEFAULTS.crimesPerYear;
  const fraction = options.fraction ?? DEFAULTS.fraction;
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`fraction ${fraction} must be above 0 and at most 1`);
  if (!(crimesPerYear >= 0) || !Number.isFinite(crimesPerYear)) throw new Error(`crimes per year ${crimesPerYear} must be a number ≥ 0`);
  if (months.length < 1 || months.length > 120) throw new Error(`months ${months.length} must be 1–120`);

  const england = await readEngland(options.dataDir);
  const { forces, forceOfDistrict } = groupForces(england, options.forceCount ?? DEFAULTS.forceCount);
  const written = forceIndexes(options.forces, forces);

  // ---- Where crime happens: LSOA weights (seeded), then snap points sized for the nominal national year ----
  const wr = new Random(seed, 'weights');
  const lsoas: NationalLsoa[] = england.map((l) => {
    let weight = Math.exp(0.8 * wr.normal()) * Math.exp(0.4 * l.crimeScore) * (1.35 - 0.05 * l.imdDecile);
    if (wr.next() < 0.015) weight *= 3 + 25 * wr.next() ** 3; // town and city centres
    return { ...l, force: forceOfDistrict.get(l.districtCode)!, weight };
  });
  const totalWeight = lsoas.reduce((s, l) => s + l.weight, 0);
  const grid = new BoxGrid(lsoas.map((l) => l.box), 0.01);
  const places = cumulative(PLACES);
  const members = forces.map(() => [] as number[]);
  lsoas.forEach((l, i) => members[l.force]!.push(i));
  const snaps = new Map<number, SnapPoints>();
  for (const f of written)
    for (const i of members[f]!) {
      const l = lsoas[i]!;
      const expectedYear = (NOMINAL_CRIMES_PER_YEAR * l.weight) / totalWeight;
      snaps.set(i, snapPointsOf(l, lsoas, grid, seed, Math.max(3, Math.min(120, Math.round(3 + 1.2 * Math.sqrt(expectedYear)))), places));
    }

  // ---- Files ----
  const referenceDir = join(options.out, 'reference');
  const metaDir = join(options.out, 'meta');
  await mkdir(referenceDir, { recursive: true });
  await mkdir(metaDir, { recursive: true });
  const categories = cumulative(CATEGORY_MIX);
  const outcomes = cumulative(OUTCOMES);
  const nameField = lsoas.map((l) => csvField(l.name));
  const counts = new Map(months.map((m) => [m, new Int32Array(lsoas.length)]));
  const files: GeneratedFile[] = [];
  let rows = 0;
  let noLocation = 0;
  let outsideEngland = 0;
  const total = months.length * written.length;
  for (const [mi, month] of months.entries()) {
    await mkdir(join(options.out, month), { recursive: true });
    const monthNumber = Number(month.slice(5)) - 1;
    const seasonal = 1 + 0.07 * Math.sin((2 * Math.PI * (monthNumber - 3)) / 12);
    const perLsoa = counts.get(month)!;
    for (const f of written) {
      const force = forces[f]!;
      const idx = members[f]!;
      const forceWeight = idx.reduce((s, i) => s + lsoas[i]!.weight, 0);
      const countRng = new Random(seed, 'count', month, force.id);
      const expected = ((crimesPerYear * fraction) / 12) * seasonal * (forceWeight / totalWeight);
      const n = Math.max(0, Math.round(expected * (1 + 0.04 * (countRng.next() * 2 - 1))));
      const rng = new Random(seed, 'crimes', month, force.id);
      const table = new AliasTable(idx.map((i) => lsoas[i]!.weight));
      const outside = outsidePointsOf(f, lsoas, idx, grid, seed);
      const file = join(options.out, month, `${month}-${force.id}-street.csv`);
      const out = new StreamedFile(file);
      await out.write('Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n');
      const forceField = csvField(force.name);
      for (let k = 0; k < n; k++) {
        const type = pick(categories, rng.next()).label;
        const asb = type === 'Anti-social behaviour';
        let id = '';
        for (let w = 0; w < 8; w++) {
          const v = rng.uint32();
          if (!asb) id += HEX[v >>> 24]! + HEX[(v >>> 16) & 255]! + HEX[(v >>> 8) & 255]! + HEX[v & 255]!;
        }
        const outcome = asb ? '' : pick(outcomes, rng.next()).label;
        const where = rng.next();
        let place: string;
        if (where < NO_LOCATION_SHARE) {
          place = ',,No Location,,';
          noLocation++;
        } else if (where < NO_LOCATION_SHARE + OUTSIDE_SHARE) {
          const p = outside[Math.floor(rng.next() * outside.length)]!;
          place = `${p.lon},${p.lat},On or near Parking Area,,`;
          outsideEngland++;
        } else {
          const li = idx[table.sample(rng)]!;
          const s = snaps.get(li)!;
          const j = s.table!.sample(rng);
          place = `${s.lon[j]},${s.lat[j]},${s.location[j]},${lsoas[li]!.code},${nameField[li]}`;
          perLsoa[li]!++;
        }
        const behind = out.write(`${id},${month},${forceField},${forceField},${place},${type},${outcome},\n`);
        if (behind) await behind;
      }
      rows += n;
      files.push({ path: relative(options.out, file), month, force: force.id, rows: n, sha256: await out.close() });
      options.onProgress?.(mi * written.length + written.indexOf(f) + 1, total, file);
    }
  }

  // ---- Lookups for the importer, the manifest, the per-LSOA counts ----
  const lookupLines = ['lad24cd,lad24nm,csp24cd,csp24nm,pfa24cd,pfa24nm'];
  let cspNumber = 0;
  for (const force of forces)
    for (const d of force.districts) lookupLines.push([d.code, csvField(d.name), `E2290${String(++cspNumber).padStart(4, '0')}`, csvField(`${d.name} (synthetic CSP)`), force.code, csvField(force.name)].join(','));
  await writeFile(join(referenceDir, 'lad24-to-csp24-pfa24-synthetic.csv'), `${lookupLines.sort((a, b) => (a.startsWith('lad24cd') ? -1 : b.startsWith('lad24cd') ? 1 : a < b ? -1 : 1)).join('\n')}\n`);
  const wardLines = ['lsoa21cd,lsoa21nm,wd24cd,wd24nm,lad24cd,lad24nm', ...lsoas.map((l, i) => `${l.code},${nameField[i]},,,${l.districtCode},${csvField(l.districtName)}`)];
  await writeFile(join(referenceDir, 'lsoa21-to-lad24-from-iod2025.csv'), `${wardLines.join('\n')}\n`);
  const countLines = [`lsoa21cd,lad24cd,pfa24cd,${months.join(',')}`];
  for (const f of written)
    for (const i of members[f]!) countLines.push(`${lsoas[i]!.code},${lsoas[i]!.districtCode},${forces[f]!.code},${months.map((m) => counts.get(m)![i]).join(',')}`);
  await writeFile(join(metaDir, 'lsoa-counts.csv'), `${countLines.join('\n')}\n`);
  // For the import command's --districts: every district of the forces written (the whole of England by default).
  await writeFile(join(metaDir, 'districts.txt'), `${[...new Set(written.flatMap((f) => forces[f]!.districts.map((d) => d.code)))].sort().join(',')}\n`);

  const concentration = concentrationOf(lsoas, snaps, totalWeight);
  const manifestPath = join(metaDir, 'manifest.json');
  await writeFile(
    manifestPath,
    `${JSON.stringify(
      {
        description: 'SYNTHETIC crimes in police.uk street-level CSV format over England LSOA 2021 (ONS) and districts (IoD 2025); every crime, snap point and police force is made up',
        synthetic: true,
        seed,
        months,
        crimesPerYear,
        fraction,
        rows,
        noLocation,
        outsideEngland,
        concentration,
        forces: forces.map((f, i) => ({ ...f, written: written.includes(i) })),
        files,
      },
      null,
      1,
    )}\n`,
  );
  return { out: options.out, seed, months, forces, written: written.map((i) => forces[i]!.id), lsoas, counts, rows, noLocation, outsideEngland, files, referenceDir, manifestPath, concentration };
}

function concentrationOf(lsoas: readonly NationalLsoa[], snaps: Map<number, SnapPoints>, totalWeight: number): NationalResult['concentration'] {
  const sorted = lsoas.map((l) => l.weight).sort((a, b) => b - a);
  const top = (share: number) => sorted.slice(0, Math.ceil(sorted.length * share)).reduce((s, w) => s + w, 0) / totalWeight;
  const points: number[] = [];
  let weightOfPointed = 0;
  for (const [i, s] of snaps) {
    const sum = s.weights.reduce((a, b) => a + b, 0);
    weightOfPointed += lsoas[i]!.weight;
    for (const w of s.weights) points.push((w / sum) * lsoas[i]!.weight);
  }
  points.sort((a, b) => b - a);
  const topPoints = points.slice(0, Math.ceil(points.length * 0.05)).reduce((a, b) => a + b, 0) / (weightOfPointed || 1);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { top1PctLsoas: r(top(0.01)), top5PctLsoas: r(top(0.05)), top10PctLsoas: r(top(0.1)), top5PctSnapPoints: r(topPoints), snapPoints: points.length };
}
