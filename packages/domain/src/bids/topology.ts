import {
  HOTSPOT_CATEGORIES,
  areaSquareMetres,
  areasExtent,
  assignCells,
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
import { CRIME_CATEGORIES } from '@safer-places/schemas';
import type { CrimePoints, CrimePointsCache } from '../crime-points';
import { monthOrdinal } from '@safer-places/schemas';
import { ValidationError } from '../errors';
import { addMonths } from '@safer-places/schemas';
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

interface Spatial {
  version: string;
  grid: Grid;
  mask: Uint8Array;
  cellOfPoint: Int32Array;
  /** Index into the topology's LSOAs, -1 outside every LSOA. */
  lsoaOfPoint: Int32Array;
}

export interface BidTopologyDeps {
  reference: ReferenceService;
  points: CrimePointsCache;
}

const PERSISTENT = HOTSPOT_CATEGORIES.indexOf('persistent hotspot');

/**
 * What every step of the bid workflow reads, computed once per dataset version and kept: the LSOA topology (adjacency,
 * areas, monthly counts per LSOA), the spatial index of the crime points, and the persistent hot-spot shares. Also the
 * checks every step makes of a dataset and a list of LSOA codes. One instance is shared by the use cases, so each
 * cache is filled once whichever step asks first.
 */
export class BidTopology {
  private readonly topologies = new Map<string, Topology>();
  private readonly spatial = new Map<string, Spatial>();
  private readonly persistent = new Map<string, Float64Array>();

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

  private async spatialIndex(dataset: DatasetSummary, topo: Topology, points: CrimePoints): Promise<Spatial> {
    const hit = this.spatial.get(dataset.id);
    if (hit && hit.version === dataset.version) return hit;
    const areas = topo.lsoas.map((l) => l.geometry);
    const grid = createGrid(areasExtent(areas), { shape: 'square' });
    const lonLat = new Float64Array(points.count * 2);
    for (let i = 0; i < points.count; i++) {
      lonLat[2 * i] = points.lon[i]!;
      lonLat[2 * i + 1] = points.lat[i]!;
    }
    const locator = createPolygonLocator(topo.lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
    const lsoaOfPoint = new Int32Array(points.count);
    for (let i = 0; i < points.count; i++) {
      const code = locator.locate(points.lon[i]!, points.lat[i]!);
      lsoaOfPoint[i] = code === null ? -1 : topo.index.get(code)!;
    }
    const entry: Spatial = { version: dataset.version, grid, mask: gridMask(grid, areas), cellOfPoint: assignCells(grid, toBng(lonLat)), lsoaOfPoint };
    this.spatial.set(dataset.id, entry);
    return entry;
  }

  /**
   * Share of each LSOA's crimes (wanted categories, the 24 months ending `to`) in cells classified "persistent
   * hotspot" by hot-spot change over those months (10 sub-periods, Gi* with FDR per sub-period, p < 0.05, hot in ≥ 80 %
   * of them), on the hot-spot API's default square grid over the dataset's LSOAs.
   */
  async persistentShares(dataset: DatasetSummary & { firstMonth: Month }, topo: Topology, wanted: Uint8Array, to: Month): Promise<Float64Array> {
    const key = `${dataset.id}@${dataset.version}|${Array.from(wanted).join('')}|${to}`;
    const hit = this.persistent.get(key);
    if (hit) return hit;
    const points = await this.deps.points.get(dataset);
    const s = await this.spatialIndex(dataset, topo, points);
    const from = addMonths(to, -23) < dataset.firstMonth ? dataset.firstMonth : addMonths(to, -23);
    const ordinal = points.months.map(monthOrdinal);
    const monthOfPoint = Int32Array.from(points.month, (m) => ordinal[m]!);
    const selected: number[] = [];
    const first = monthOrdinal(from), last = monthOrdinal(to);
    for (let i = 0; i < points.count; i++) {
      const m = monthOfPoint[i]!;
      if (wanted[points.category[i]!] && m >= first && m <= last) selected.push(i);
    }
    const shares = new Float64Array(topo.lsoas.length);
    if (last - first + 1 >= 2 && selected.length > 0) {
      const split = monthPeriods(monthOfPoint, first, last, 10);
      const result = classifyHotspots(s.grid, s.cellOfPoint, split.periodOfPoint, split.periodCount, { mask: s.mask, correction: 'fdr', indices: selected });
      const total = new Float64Array(topo.lsoas.length);
      const hot = new Float64Array(topo.lsoas.length);
      for (const i of selected) {
        const l = s.lsoaOfPoint[i]!;
        if (l < 0) continue;
        total[l]!++;
        const c = s.cellOfPoint[i]!;
        if (c >= 0 && result.category[c] === PERSISTENT) hot[l]!++;
      }
      for (let l = 0; l < shares.length; l++) shares[l] = total[l]! > 0 ? hot[l]! / total[l]! : 0;
    }
    if (this.persistent.size > 50) this.persistent.clear();
    this.persistent.set(key, shares);
    return shares;
  }
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
