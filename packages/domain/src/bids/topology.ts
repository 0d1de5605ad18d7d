import {
  HOTSPOT_CATEGORIES,
  areaSquareMetres,
  areasExtent,
  assignCells,
  autoCellSize,
  classifyHotspots,
  createGrid,
  createPolygonLocator,
  gridMask,
  monthPeriods,
  polygonAdjacency,
  toBng,
  type Adjacency,
  type Grid,
} from '@safer-places/geo';
import type { DatasetSummary, Lsoa, Month } from '@safer-places/schemas';
import { CRIME_CATEGORIES, MAX_GRID_CELLS_PER_ANALYSIS, addMonths, monthOrdinal, monthRange } from '@safer-places/schemas';
import { ByteLru } from '../byte-lru';
import { UNPLACED_PARTITION } from '../crime';
import type { CrimePointsCache } from '../crime-points';
import { LimitExceededError, ValidationError } from '../errors';
import type { ReferenceService } from '../reference';

/** LSOAs of one dataset version with their adjacency: computed once per version and kept. */
export interface Topology {
  datasetId: string;
  version: string;
  lsoas: Lsoa[];
  index: Map<string, number>;
  adjacency: Adjacency;
  areaM2: Float64Array;
  /** Per month: counts as one row of 14 categories per LSOA (topology order); null for a month without data. */
  months: Map<Month, Int32Array | null>;
}

/** A dataset that has crime data, with its first and last month known. */
export type DatasetWithCrime = DatasetSummary & { firstMonth: Month; lastMonth: Month };

export interface BidTopologyDeps {
  reference: ReferenceService;
  points: CrimePointsCache;
}

const PERSISTENT = HOTSPOT_CATEGORIES.indexOf('persistent hotspot');

/**
 * What every step of the bid workflow reads, computed once per dataset version and kept: the LSOA topology (adjacency,
 * areas, monthly counts per LSOA), and per scope the persistent hot-spot grid and shares (bounded by bytes). Also the
 * checks every step makes of a dataset and a list of LSOA codes. One instance is shared by the use cases, so each
 * cache is filled once whichever step asks first.
 */
export class BidTopology {
  private readonly topologies = new Map<string, Topology>();
  /** Persistent hot-spot grids, crimes' cells and shares per dataset version × scope × period (× crime types). */
  private readonly cache = new ByteLru<Cached>(PERSISTENT_CACHE_BYTES, cachedBytes);

  constructor(private readonly deps: BidTopologyDeps) {}

  /** The shared reference service (LSOAs, counts, partitions). */
  get reference(): ReferenceService {
    return this.deps.reference;
  }

  async topology(dataset: DatasetSummary): Promise<Topology> {
    const hit = this.topologies.get(dataset.id);
    if (hit && hit.version === dataset.version) return hit;
    const lsoas = await this.deps.reference.lsoas(dataset);
    const geometries = lsoas.map((l) => l.geometry);
    const topo: Topology = {
      datasetId: dataset.id,
      version: dataset.version,
      lsoas,
      index: new Map(lsoas.map((l, i) => [l.code, i])),
      adjacency: polygonAdjacency(geometries),
      areaM2: Float64Array.from(geometries, (g) => areaSquareMetres(g)),
      months: new Map(),
    };
    this.topologies.set(dataset.id, topo);
    return topo;
  }

  /** The dataset (the default one without an id); a ValidationError if it has no crime data. */
  async datasetWithCrime(id: string | undefined): Promise<DatasetWithCrime> {
    const dataset = await this.deps.reference.resolveDataset(id);
    if (!dataset.firstMonth || !dataset.lastMonth) throw new ValidationError(`dataset "${dataset.id}" has no crime data`);
    return dataset as DatasetWithCrime;
  }

  /**
   * Per-LSOA sums over `months` for the wanted categories, aligned with the topology's LSOAs, plus the months that
   * have data. Crimes in no known LSOA (UNPLACED) are left out.
   */
  async sums(dataset: DatasetSummary, topo: Topology, months: Month[], wanted: Uint8Array) {
    const missing = months.filter((m) => !topo.months.has(m));
    if (missing.length > 0) {
      const monthly = await this.deps.reference.monthlyCounts(dataset, missing);
      for (const m of missing) topo.months.set(m, null);
      const K = CRIME_CATEGORIES.length;
      for (const { month, counts: perLsoa } of monthly) {
        const matrix = new Int32Array(topo.lsoas.length * K);
        for (const [code, row] of perLsoa) {
          const i = topo.index.get(code);
          if (i === undefined) continue;
          for (let c = 0; c < K && c < row.length; c++) matrix[i * K + c] = row[c]!;
        }
        topo.months.set(month, matrix);
      }
    }
    const K = CRIME_CATEGORIES.length;
    const cats: number[] = [];
    for (let c = 0; c < K; c++) if (wanted[c]) cats.push(c);
    const out = new Float64Array(topo.lsoas.length);
    const available: Month[] = [];
    for (const m of months) {
      const matrix = topo.months.get(m);
      if (!matrix) continue;
      available.push(m);
      const nc = cats.length;
      for (let i = 0, base = 0; i < out.length; i++, base += K) {
        let n = 0;
        for (let k = 0; k < nc; k++) n += matrix[base + cats[k]!]!;
        out[i]! += n;
      }
    }
    return { sums: out, available };
  }

  /** Category × month counts summed over a set of LSOAs. */
  async categoryMonths(dataset: DatasetSummary, topo: Topology, months: Month[], members: readonly number[]) {
    const monthly = await this.deps.reference.monthlyCounts(dataset, months);
    const codes = members.map((i) => topo.lsoas[i]!.code);
    const table = new Map<Month, number[]>();
    for (const { month, counts: perLsoa } of monthly) {
      const sum = new Array<number>(CRIME_CATEGORIES.length).fill(0);
      for (const code of codes) {
        const row = perLsoa.get(code);
        if (row) for (let c = 0; c < row.length; c++) sum[c]! += row[c]!;
      }
      table.set(month, sum);
    }
    return { table, available: new Set(monthly.map((m) => m.month)) };
  }

  /** Topology indices of the codes (trimmed, upper-cased, without repeats); a ValidationError naming unknown ones. */
  resolveCodes(topo: Topology, codes: readonly string[], field: string): number[] {
    const unique = [...new Set(codes.map((c) => c.trim().toUpperCase()))];
    const unknown = unique.filter((c) => !topo.index.has(c));
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 10).join(', ');
      throw new ValidationError(
        `invalid ${field}: ${unknown.length} unknown LSOA code${unknown.length === 1 ? '' : 's'} for dataset "${topo.datasetId}": ${shown}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}`,
        unknown.map((c) => ({ path: field, message: `unknown LSOA code ${c}` })),
      );
    }
    return unique.map((c) => topo.index.get(c)!);
  }

  /**
   * Share of each LSOA's crimes (wanted categories, the 24 months ending `to`) in cells classified "persistent hotspot"
   * by hot-spot change over those months (10 sub-periods, Gi* with FDR per sub-period, p < 0.05, hot in ≥ 80 % of
   * them), on the hot-spot API's default square grid over the scope's LSOAs: the grid, its mask, the Gi* neighbourhood
   * and the FDR family stop at the scope's edge, as the hot-spot API's with the same scope. Aligned with the topology's
   * LSOAs; 0 outside the scope.
   *
   * Only the scope's partitions (the districts of its LSOAs, and the crimes placed in no LSOA, which the study-area
   * computation has always counted where they fall in its grid) over those 24 months are read, priced first through
   * the crime-points cache: a scope over MAX_CRIMES_PER_ANALYSIS or MAX_PARTITION_READS_PER_ANALYSIS, or whose grid
   * would exceed MAX_GRID_CELLS_PER_ANALYSIS, fails with a LimitExceededError before any crime is read. Crimes placed
   * in an LSOA outside the scope are left out. For the study area this is the whole-dataset computation.
   *
   * Kept in a cache bounded by bytes, keyed by dataset version, scope (its LSOAs), period and crime types; the grid and
   * the points' cells are kept per dataset version, scope and period, so another choice of crime types reuses them.
   */
  async persistentShares(dataset: DatasetSummary & { firstMonth: Month }, topo: Topology, scope: PersistentScope, wanted: Uint8Array, to: Month): Promise<Float64Array> {
    const members: number[] = [];
    for (let i = 0; i < topo.lsoas.length; i++) if (scope.mask[i]) members.push(i);
    const from = addMonths(to, -23) < dataset.firstMonth ? dataset.firstMonth : addMonths(to, -23);
    const place = `${dataset.id}@${dataset.version}|${members.length}:${memberHash(members)}|${from}|${to}`;
    const key = `${place}|shares|${Array.from(wanted).join('')}`;
    const load = async (): Promise<PersistentEntry> => {
      this.cache.deleteWhere((k) => k.startsWith(`${dataset.id}@`) && !k.startsWith(`${dataset.id}@${dataset.version}|`));
      const spatial = await this.scopeSpatial(dataset, topo, members, scope.what, from, to, `${place}|spatial`);
      return { kind: 'shares', members, shares: sharesOf(spatial, topo.lsoas.length, wanted, monthOrdinal(from), monthOrdinal(to)) };
    };
    if (members.length === 0) return new Float64Array(topo.lsoas.length);
    const hit = (await this.cache.getOrLoad(key, load)) as PersistentEntry;
    // The key holds a hash of the scope's LSOAs: a different scope with the same hash is computed, never answered from the cache.
    if (sameMembers(hit.members, members)) return hit.shares;
    return (await load()).shares;
  }

  /**
   * The scope's grid (auto cell size over its LSOAs' extent, square cells, masked to its LSOAs) and, for each crime of
   * its partitions over from..to that is in the scope or placed in no LSOA, its cell, LSOA (topology index, -1 outside
   * the scope's LSOAs), month and category. Priced before anything is read or built.
   */
  private async scopeSpatial(dataset: DatasetSummary, topo: Topology, members: readonly number[], what: string, from: Month, to: Month, key: string): Promise<ScopeSpatial> {
    const build = async (): Promise<ScopeSpatial> => {
      const index = await this.deps.reference.partitionIndex(dataset);
      const codes = members.map((i) => topo.lsoas[i]!.code);
      const request = { months: monthRange(from, to), partitions: [...new Set(codes.map((c) => index.partitionOf(c))), UNPLACED_PARTITION].sort(), what };
      // The crimes first (413 naming the limit, nothing read), then the grid, then the read.
      await this.deps.points.price(dataset, request);
      const areas = members.map((i) => topo.lsoas[i]!.geometry);
      const extent = areasExtent(areas);
      checkGridCells(extent, autoCellSize(extent), what);
      const grid = createGrid(extent, { shape: 'square' });
      const points = await this.deps.points.points(dataset, request);
      // In the scope: placed in one of its LSOAs, or in no LSOA of the dataset (outside the study area).
      const memberCodes = new Set(codes);
      const keep = Uint8Array.from(points.lsoaCodes, (c) => (memberCodes.has(c) || !topo.index.has(c) ? 1 : 0));
      let n = 0;
      for (let i = 0; i < points.count; i++) n += keep[points.lsoa[i]!]!;
      // BNG metres: the cache projects every crime as it reads it (the same projection as toBng).
      const xy = new Float64Array(2 * n);
      const bng = points.bng && points.bng.length === 2 * points.count ? points.bng : toBng(Float64Array.from({ length: 2 * points.count }, (_, j) => (j & 1 ? points.lat[j >> 1]! : points.lon[j >> 1]!)));
      const lsoa = new Int32Array(n);
      const month = new Uint16Array(n);
      const category = new Uint8Array(n);
      const locator = createPolygonLocator(members.map((i) => ({ code: topo.lsoas[i]!.code, geometry: topo.lsoas[i]!.geometry })));
      for (let i = 0, k = 0; i < points.count; i++) {
        if (!keep[points.lsoa[i]!]) continue;
        xy[2 * k] = bng[2 * i]!;
        xy[2 * k + 1] = bng[2 * i + 1]!;
        const code = locator.locate(points.lon[i]!, points.lat[i]!);
        lsoa[k] = code === null ? -1 : topo.index.get(code)!;
        month[k] = points.month[i]!;
        category[k] = points.category[i]!;
        k++;
      }
      const ordinal = Int32Array.from(points.months, monthOrdinal);
      const entry: ScopeSpatial = { kind: 'spatial', members: [...members], grid, mask: gridMask(grid, areas), cellOfPoint: assignCells(grid, xy), lsoaOfPoint: lsoa, monthOfPoint: Int32Array.from(month, (m) => ordinal[m]!), category };
      return entry;
    };
    const hit = (await this.cache.getOrLoad(key, build)) as ScopeSpatial;
    // Another scope with the same hash: computed for this request, not kept.
    return sameMembers(hit.members, members) ? hit : build();
  }
}

/** The place of a persistent hot-spot computation: the eligibility request's scope, resolved by the one ScopeResolver. */
export interface PersistentScope {
  /** 1 for the topology's LSOAs in the scope. */
  mask: Uint8Array;
  /** How a limit message names the place ("the study area", "Mansfield", "the partnership area …"). */
  what: string;
}

interface ScopeSpatial {
  kind: 'spatial';
  members: number[];
  grid: Grid;
  mask: Uint8Array;
  /** Per kept crime: its cell (-1 outside the grid), LSOA (topology index, -1 outside the scope's LSOAs), month ordinal and category. */
  cellOfPoint: Int32Array;
  lsoaOfPoint: Int32Array;
  monthOfPoint: Int32Array;
  category: Uint8Array;
}

interface PersistentEntry {
  kind: 'shares';
  members: number[];
  shares: Float64Array;
}

type Cached = ScopeSpatial | PersistentEntry;

/** Bytes the bid topology's persistent hot-spot caches may keep (grids, crimes' cells, shares). */
export const PERSISTENT_CACHE_BYTES = 64 * 1024 * 1024;

function cachedBytes(c: Cached): number {
  const members = c.members.length * 8 + 256;
  if (c.kind === 'shares') return members + c.shares.byteLength;
  return members + c.mask.byteLength + c.cellOfPoint.byteLength + c.lsoaOfPoint.byteLength + c.monthOfPoint.byteLength + c.category.byteLength;
}

/** The persistent hot-spot share per LSOA from a scope's kept crimes (see BidTopology.persistentShares). */
function sharesOf(s: ScopeSpatial, lsoas: number, wanted: Uint8Array, first: number, last: number): Float64Array {
  const shares = new Float64Array(lsoas);
  const selected: number[] = [];
  for (let i = 0; i < s.category.length; i++) {
    const m = s.monthOfPoint[i]!;
    if (wanted[s.category[i]!] && m >= first && m <= last) selected.push(i);
  }
  if (last - first + 1 < 2 || selected.length === 0) return shares;
  const split = monthPeriods(s.monthOfPoint, first, last, 10);
  const result = classifyHotspots(s.grid, s.cellOfPoint, split.periodOfPoint, split.periodCount, { mask: s.mask, correction: 'fdr', indices: selected });
  const total = new Float64Array(lsoas);
  const hot = new Float64Array(lsoas);
  for (const i of selected) {
    const l = s.lsoaOfPoint[i]!;
    if (l < 0) continue;
    total[l]!++;
    const c = s.cellOfPoint[i]!;
    if (c >= 0 && result.category[c] === PERSISTENT) hot[l]!++;
  }
  for (let l = 0; l < lsoas; l++) shares[l] = total[l]! > 0 ? hot[l]! / total[l]! : 0;
  return shares;
}

/**
 * Refuses a grid over MAX_GRID_CELLS_PER_ANALYSIS (cells of the box around the scope at its cell size) with a
 * LimitExceededError naming the limit, before the grid is built.
 */
function checkGridCells([minX, minY, maxX, maxY]: readonly number[], cellSize: number, what: string): void {
  const cells = (Math.floor((maxX! - minX!) / cellSize) + 2) * (Math.floor((maxY! - minY!) / cellSize) + 2);
  if (cells <= MAX_GRID_CELLS_PER_ANALYSIS) return;
  throw new LimitExceededError(
    'MAX_GRID_CELLS_PER_ANALYSIS',
    cells,
    MAX_GRID_CELLS_PER_ANALYSIS,
    `the persistent hot-spot grid for ${what} at ${cellSize} m would have about ${cells.toLocaleString('en-GB')} cells; the limit is ${MAX_GRID_CELLS_PER_ANALYSIS.toLocaleString('en-GB')} cells per analysis (MAX_GRID_CELLS_PER_ANALYSIS): choose a district or CSP`,
  );
}

/** A 53-bit hash of a sorted list of LSOA indices (two 32-bit FNV-1a variants), for cache keys. */
function memberHash(members: readonly number[]): string {
  let a = 0x811c9dc5, b = 0x01000193 ^ members.length;
  for (const m of members) {
    a = Math.imul(a ^ m, 0x01000193);
    b = Math.imul(b ^ (m * 2654435761), 0x5bd1e995) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(36)}.${((b >>> 0) & 0x1fffff).toString(36)}`;
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The last month of a 12-month period: `to`, or the dataset's last month without it; a ValidationError (naming `field`)
 * when it lies outside the dataset's months.
 */
export function periodEnding(dataset: { firstMonth: Month; lastMonth: Month }, to: Month | undefined, field = 'to'): Month {
  const end = to ?? dataset.lastMonth;
  if (end > dataset.lastMonth) throw new ValidationError(`${field} (${end}) is after the dataset's last month (${dataset.lastMonth})`);
  if (end < dataset.firstMonth) throw new ValidationError(`${field} (${end}) is before the dataset's first month (${dataset.firstMonth})`);
  return end;
}
