import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  emptyCategoryCounts,
  partitionOf,
  type CrimeBlock,
  type CrimeBlockFilter,
  type CrimePartition,
  type MonthlyCounts,
  type AssetRepository,
  type AuditLog,
  type ReferenceRepository,
} from '@safer-places/domain';
import type { IdempotencyStore } from '../src/ports';
import { createPolygonLocator, geometryBBox, seededRandom } from '@safer-places/geo';
import { CATEGORY_INDEX, categoryFromLabel, type AreaGeometry, type DatasetSummary, type Lsoa, type Month } from '@safer-places/schemas';

/**
 * Real data for the bid benchmarks, read from the shared folder at run time (never copied into the repository):
 * the 684 Nottinghamshire LSOA21 boundaries with IoD 2025 deciles, Census 2021 population and CSPs, and the 24 months
 * of police.uk crime placed in LSOAs by point in polygon; and the 33,755 England LSOA21 boundaries with seeded
 * synthetic counts. Under CI=true a missing folder is an error.
 */
export const DATA = process.env.SHARED_DATA_DIR ?? join(import.meta.dirname, '../../../../shared/data');

export function realDataAvailable(): boolean {
  const ok = existsSync(join(DATA, 'police-uk')) && existsSync(join(DATA, 'england'));
  if (!ok && process.env.CI === 'true') throw new Error(`shared data missing at ${DATA} (needed under CI=true)`);
  if (!ok) console.warn(`bid benchmarks on real data need ${DATA}; not run`);
  return ok;
}

function csv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(splitCsvLine(l).map((v, i) => [cols[i]!, v])));
}

function splitCsvLine(line: string): string[] {
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

/** A plain in-memory ReferenceRepository (only what the bid routes read). */
export class MemoryReference implements ReferenceRepository {
  readonly datasets = new Map<string, DatasetSummary>();
  readonly lsoaSets = new Map<string, Lsoa[]>();
  readonly blocks = new Map<string, (CrimeBlock & { partition: CrimePartition })[]>();
  readonly counts = new Map<string, MonthlyCounts>();
  async listDatasets() {
    return [...this.datasets.values()];
  }
  async getDataset(id: string) {
    return this.datasets.get(id) ?? null;
  }
  async putDataset(s: DatasetSummary) {
    this.datasets.set(s.id, s);
  }
  async listLsoas(id: string) {
    return this.lsoaSets.get(id) ?? [];
  }
  async putLsoas(id: string, lsoas: Lsoa[]) {
    this.lsoaSets.set(id, lsoas);
  }
  async deleteLsoas(id: string, codes: string[]) {
    const gone = new Set(codes);
    this.lsoaSets.set(id, (this.lsoaSets.get(id) ?? []).filter((l) => !gone.has(l.code)));
  }
  async replaceCrimeMonth(id: string, month: Month, blocks: CrimeBlock[], partition: (lsoaCode: string) => CrimePartition) {
    this.blocks.set(`${id}|${month}`, blocks.map((b) => ({ ...b, partition: partition(b.lsoaCode) })));
    const counts = new Map<string, number[]>();
    for (const b of blocks) {
      const row = counts.get(b.lsoaCode) ?? emptyCategoryCounts();
      for (const c of b.crimes) row[CATEGORY_INDEX[c.category]]!++;
      counts.set(b.lsoaCode, row);
    }
    this.counts.set(`${id}|${month}`, { month, counts });
  }
  /** Synthetic counts without crime records (the England benchmark). */
  putCounts(id: string, mc: MonthlyCounts) {
    this.counts.set(`${id}|${mc.month}`, mc);
  }
  async getMonthlyCounts(id: string, from: Month, to: Month) {
    return [...this.counts.entries()].filter(([k, v]) => k.startsWith(`${id}|`) && v.month >= from && v.month <= to).map(([, v]) => v);
  }
  async getCrimeBlocks(id: string, months: Month[], where?: CrimeBlockFilter): Promise<CrimeBlock[]> {
    const partitions = where ? new Set(where.partitions) : null;
    const codes = where?.lsoaCodes ? new Set(where.lsoaCodes) : null;
    return months.flatMap((m) =>
      (this.blocks.get(`${id}|${m}`) ?? [])
        .filter((b) => (!partitions || partitions.has(b.partition)) && (!codes || codes.has(b.lsoaCode)))
        .map(({ partition: _p, ...block }) => block),
    );
  }
  async crimePartitionSizes(id: string, from: Month, to: Month) {
    const sizes = new Map<Month, Map<CrimePartition, number>>();
    for (const [key, blocks] of this.blocks) {
      const month = key.slice(id.length + 1);
      if (!key.startsWith(`${id}|`) || month < from || month > to) continue;
      const row = new Map<CrimePartition, number>();
      for (const b of blocks) row.set(b.partition, (row.get(b.partition) ?? 0) + b.crimes.length);
      sizes.set(month, row);
    }
    return sizes;
  }
  async putDocument() {}
  async getDocument<T>() {
    return null as T | null;
  }
  async listDocuments<T>() {
    return [] as { name: string; document: T }[];
  }
}

const SOURCES = [
  { name: 'LSOA (December 2021) boundaries', publisher: 'Office for National Statistics', licence: 'Open Government Licence v3.0' },
  { name: 'English Indices of Deprivation 2025', publisher: 'MHCLG', licence: 'Open Government Licence v3.0' },
  { name: 'Census 2021 usual residents', publisher: 'Office for National Statistics', licence: 'Open Government Licence v3.0' },
  { name: 'police.uk street-level crime', publisher: 'Home Office', licence: 'Open Government Licence v3.0', coverage: '2023-01 to 2024-12' },
];

/** Loads Nottinghamshire into a MemoryReference as dataset "notts". */
export function loadNottinghamshire(reference: MemoryReference): { crimes: number } {
  const iod = new Map(csv(join(DATA, 'iod2025-nottinghamshire.csv')).map((r) => [r.lsoa21cd!, Number(r.imd_decile)]));
  const pop = new Map(csv(join(DATA, 'population', 'lsoa21-census2021-usual-residents-nottinghamshire.csv')).map((r) => [r.lsoa21cd!, Number(r.usual_residents_census2021)]));
  const csp = new Map(csv(join(DATA, 'lookups', 'lad24-to-csp24-pfa24-nottinghamshire.csv')).map((r) => [r.lad24cd!, { code: r.csp24cd!, name: r.csp24nm! }]));
  const dir = join(DATA, 'lsoa21-boundaries');
  const lsoas: Lsoa[] = readdirSync(dir)
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).features)
    .map((f: { properties: Record<string, string>; geometry: AreaGeometry }) => {
      const p = f.properties;
      const c = csp.get(p.LAD24CD!);
      return {
        code: p.LSOA21CD!,
        name: p.LSOA21NM!,
        districtCode: p.LAD24CD!,
        districtName: p.LAD24NM!,
        wardName: p.WD24NM ?? null,
        cspCode: c?.code ?? null,
        cspName: c?.name ?? null,
        population: pop.get(p.LSOA21CD!) ?? null,
        imdDecile: iod.get(p.LSOA21CD!) ?? null,
        deprivationSource: 'IMD 2025 (English Indices of Deprivation 2025, MHCLG)',
        geometry: f.geometry,
        bbox: geometryBBox(f.geometry),
      };
    });
  const locator = createPolygonLocator(lsoas);
  const districts = new Map(lsoas.map((l) => [l.code, l.districtCode]));
  let crimes = 0;
  const months: Month[] = [];
  for (const file of readdirSync(join(DATA, 'police-uk')).sort()) {
    const rows = readFileSync(join(DATA, 'police-uk', file), 'utf8').trim().split('\n').slice(1);
    const byLsoa = new Map<string, CrimeBlock>();
    let month = '';
    rows.forEach((line, k) => {
      const [id, m, , , lonText, latText, location, , , type] = splitCsvLine(line);
      const category = categoryFromLabel(type ?? '');
      if (!category || !lonText || !latText) return;
      month = m!;
      const lon = Number(lonText), lat = Number(latText);
      const code = locator.locate(lon, lat);
      if (!code) return;
      let b = byLsoa.get(code);
      if (!b) byLsoa.set(code, (b = { month: m!, lsoaCode: code, crimes: [] }));
      b.crimes.push({ id: id || `${m}-${k}`, month: m!, category, lon, lat, location: location ?? '', lsoaCode: code, publishedLsoaCode: null, outcome: null });
      crimes++;
    });
    months.push(month);
    void reference.replaceCrimeMonth('notts', month, [...byLsoa.values()], (code) => partitionOf(code, (c) => districts.get(c)));
  }
  void reference.putLsoas('notts', lsoas);
  void reference.putDataset({
    id: 'notts',
    name: 'Nottinghamshire (police.uk, ONS, MHCLG)',
    synthetic: false,
    version: 'bench-1',
    firstMonth: months[0]!,
    lastMonth: months[months.length - 1]!,
    lsoaCount: lsoas.length,
    crimeCount: crimes,
    bbox: null,
    sources: SOURCES,
    importedAt: '2026-01-01T00:00:00.000Z',
    notes: [],
  });
  return { crimes };
}

/**
 * All 33,755 England LSOA21 boundaries as dataset "england" with IoD 2025 deciles and seeded synthetic population and
 * monthly counts (24 months, 14 categories), so the eligibility benchmark runs at national scale.
 */
export function loadEngland(reference: MemoryReference, seed = 2026): { lsoas: number } {
  const iod = new Map(csv(join(DATA, 'iod2025-england-lsoa21.csv')).map((r) => [r.lsoa21cd!, { decile: Number(r.imd_decile), lad: r.lad24cd!, ladName: r.lad24nm! }]));
  const features = JSON.parse(readFileSync(join(DATA, 'england', 'lsoa21-boundaries-england-simplified.geojson'), 'utf8')).features as { properties: Record<string, string>; geometry: AreaGeometry }[];
  const rng = seededRandom(seed);
  const lsoas: Lsoa[] = features.map((f) => {
    const d = iod.get(f.properties.LSOA21CD!);
    return {
      code: f.properties.LSOA21CD!,
      name: f.properties.LSOA21NM!,
      districtCode: d?.lad ?? 'unknown',
      districtName: d?.ladName ?? 'unknown',
      wardName: null,
      cspCode: d?.lad ?? null,
      cspName: d?.ladName ?? null,
      population: 1000 + Math.floor(rng.next() * 2000),
      imdDecile: d?.decile ?? null,
      deprivationSource: 'IMD 2025 (English Indices of Deprivation 2025, MHCLG)',
      geometry: f.geometry,
      bbox: geometryBBox(f.geometry),
    };
  });
  // Per LSOA a base level (more crime where more deprived) and per month Poisson-ish noise.
  const base = lsoas.map((l) => (11 - (l.imdDecile ?? 5)) * (0.5 + rng.next()));
  const months: Month[] = [];
  for (let k = 0; k < 24; k++) months.push(`${2023 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`);
  for (const month of months) {
    const counts = new Map<string, number[]>();
    lsoas.forEach((l, i) => {
      const row = emptyCategoryCounts();
      for (let c = 0; c < row.length; c++) row[c] = Math.floor(base[i]! * rng.next() * (c === 12 || c === 0 ? 3 : 1));
      counts.set(l.code, row);
    });
    reference.putCounts('england', { month, counts });
  }
  void reference.putLsoas('england', lsoas);
  void reference.putDataset({
    id: 'england',
    name: 'England LSOA21 with synthetic counts',
    synthetic: true,
    version: 'bench-1',
    firstMonth: months[0]!,
    lastMonth: months[months.length - 1]!,
    lsoaCount: lsoas.length,
    crimeCount: 0,
    bbox: null,
    sources: [],
    importedAt: '2026-01-01T00:00:00.000Z',
    notes: [],
  });
  return { lsoas: lsoas.length };
}

/** Organisation ports for the bid tests and benchmark that read reference data only: nothing stored, audited or replayed. */
export const noAssets: AssetRepository = {
  list: async () => [],
  get: async () => null,
  create: async () => {},
  createMany: async () => {},
  update: async () => {},
  remove: async () => {},
  hasMarker: async () => true,
  setMarker: async () => {},
  getSetting: async () => null,
  putSetting: async () => {},
};
export const noAudit: AuditLog = { append: async () => {}, list: async () => ({ events: [], next: null }) };
export const noIdempotency: IdempotencyStore = { reserve: async () => ({ state: 'new', claim: 'test' }), complete: async () => {}, release: async () => {} };
