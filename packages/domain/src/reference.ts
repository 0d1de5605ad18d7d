import { createBoxIndex, type BoxIndex } from '@safer-places/geo';
import type { BBox, DatasetSummary, Lsoa, LsoaStats, LsoaStatsQuery, Month, ScopeSummary, StrategicAssessment, StrategicGroupBy } from '@safer-places/schemas';
import { CATEGORY_INDEX, CRIME_GROUPS, addMonths, categoriesOf, lsoaVersionOf, monthRange, selectionLabel } from '@safer-places/schemas';
import { NotFoundError, ValidationError } from './errors';
import type { ReferenceRepository } from './ports';
import { ByteLru, MB, stringBytes } from './byte-lru';
import { NO_DISTRICT_PARTITION, UNPLACED_LSOA, UNPLACED_PARTITION, partitionOf, type CrimePartition, type MonthlyCounts } from './crime';
import { strategicTable } from './strategic';

/** Which partition each LSOA of a dataset's LSOA version is stored in, and the LSOAs of each partition. */
export interface PartitionIndex {
  /** The dataset's LSOA version (`lsoaVersionOf`). */
  version: string;
  /** The partition of a crime placed in an LSOA (UNPLACED_PARTITION for UNPLACED_LSOA). */
  partitionOf(lsoaCode: string): CrimePartition;
  /** The LSOA codes stored in a partition (UNPLACED_LSOA for UNPLACED_PARTITION). */
  lsoasOf(partition: CrimePartition): readonly string[];
  /** Every partition of the dataset's LSOAs, sorted (UNPLACED_PARTITION not included). */
  partitions: CrimePartition[];
}

/**
 * A dataset version's LSOAs looked up by district, CSP and box, built once per version, so resolving "Mansfield" or a
 * drawn area reads the LSOAs it names, not every LSOA of the data set. Every answer keeps the order of `lsoas`.
 */
export interface LsoaLookup {
  /** The dataset's LSOA version (`lsoaVersionOf`). */
  version: string;
  lsoas: Lsoa[];
  /** District code → its name and LSOAs. */
  districts: ReadonlyMap<string, { name: string; lsoas: Lsoa[] }>;
  /** CSP code → its LSOAs. */
  csps: ReadonlyMap<string, Lsoa[]>;
  /** The LSOAs of any of these districts. */
  inDistricts(codes: Iterable<string>): Lsoa[];
  /** The LSOAs whose box meets `box`. */
  near(box: BBox): Lsoa[];
}

function buildLookup(version: string, lsoas: Lsoa[]): LsoaLookup {
  const position = new Map<Lsoa, number>(lsoas.map((l, i) => [l, i]));
  const districts = new Map<string, { name: string; lsoas: Lsoa[] }>();
  const csps = new Map<string, Lsoa[]>();
  for (const l of lsoas) {
    if (l.districtCode) {
      const d = districts.get(l.districtCode);
      // The name of the district's last LSOA that has one (as the scope options have always read it).
      if (!d) districts.set(l.districtCode, { name: l.districtName || l.districtCode, lsoas: [l] });
      else {
        d.lsoas.push(l);
        d.name = l.districtName || l.districtCode;
      }
    }
    if (l.cspCode) {
      const c = csps.get(l.cspCode);
      if (!c) csps.set(l.cspCode, [l]);
      else c.push(l);
    }
  }
  let boxes: BoxIndex | undefined;
  return {
    version,
    lsoas,
    districts,
    csps,
    inDistricts(codes) {
      const lists = [...new Set(codes)].map((c) => districts.get(c)?.lsoas ?? []);
      if (lists.length === 1) return [...lists[0]!];
      return lists.flat().sort((a, b) => position.get(a)! - position.get(b)!);
    },
    near(box) {
      boxes ??= createBoxIndex(lsoas.map((l) => l.bbox));
      return boxes.search(box).map((i) => lsoas[i]!);
    },
  };
}

export interface ReferenceServiceOptions {
  /** The most bytes of monthly counts kept (default 64 MB). */
  countsCacheBytes?: number;
}

/** Monthly counts of one month × partition; null for a month without data. */
type CountsUnit = Map<string, number[]> | null;

/** A counts row in memory: the code, an array of 14 numbers and the map entry (an estimate). */
const countsBytes = (unit: CountsUnit) => {
  if (!unit) return 64;
  let bytes = 64;
  for (const [code, row] of unit) bytes += stringBytes(code) + 16 + 8 * row.length + 48;
  return bytes;
};

/** The place LSOA-level figures cover: a resolved scope (ResolvedScope in scope.ts) as far as they need it. */
export interface ScopeLsoas {
  dataset: DatasetSummary;
  summary: ScopeSummary;
  lsoas: Lsoa[];
}

/**
 * Read side of the shared reference data. LSOA boundaries are cached per LSOA version (`lsoaVersionOf`): they change only on an import that changes them,
 * and every map load needs all of them. Monthly counts are read per month × partition (district) the request touches
 * and kept in a cache bounded by bytes, so a district's choropleth never reads England's counts.
 */
export class ReferenceService {
  private readonly lsoaCache = new Map<string, { version: string; lsoas: Lsoa[] }>();
  private readonly partitionCache = new Map<string, PartitionIndex>();
  private readonly lookupCache = new Map<string, LsoaLookup>();
  /** `${dataset}@${version}|${month}|${partition}` → counts of that partition's LSOAs in that month. */
  private readonly counts: ByteLru<CountsUnit>;

  constructor(
    private readonly repo: ReferenceRepository,
    options: ReferenceServiceOptions = {},
  ) {
    this.counts = new ByteLru<CountsUnit>(options.countsCacheBytes ?? 64 * MB, countsBytes);
  }

  /** The counts cache's entries and bytes (for diagnostics and tests). */
  countsCacheStats() {
    return this.counts.stats();
  }

  listDatasets(): Promise<DatasetSummary[]> {
    return this.repo.listDatasets();
  }

  /** Real data wins over the synthetic demo set; among real sets, the latest import. */
  async defaultDataset(): Promise<DatasetSummary | null> {
    const all = await this.repo.listDatasets();
    const real = all.filter((d) => !d.synthetic).sort((a, b) => b.importedAt.localeCompare(a.importedAt));
    return real[0] ?? all[0] ?? null;
  }

  async resolveDataset(id?: string): Promise<DatasetSummary> {
    const dataset = id ? await this.repo.getDataset(id) : await this.defaultDataset();
    if (!dataset) throw new NotFoundError(id ? `no dataset "${id}"` : 'no dataset has been loaded yet');
    return dataset;
  }

  /**
   * The reports the importer kept for a dataset, newest first: files, rows read, imported and rejected, and the first
   * row problems. Crime data is shared by every organisation, so only administrators read how it got there.
   */
  async importReports(datasetId: string): Promise<{ name: string; report: unknown }[]> {
    const dataset = await this.resolveDataset(datasetId);
    const docs = await this.repo.listDocuments<unknown>(dataset.id, 'import-report#');
    return docs.map((d) => ({ name: d.name, report: d.document })).sort((a, b) => b.name.localeCompare(a.name));
  }

  async lsoas(dataset: DatasetSummary): Promise<Lsoa[]> {
    const hit = this.lsoaCache.get(dataset.id);
    const version = lsoaVersionOf(dataset);
    if (hit && hit.version === version) return hit.lsoas;
    // The packed copy of this LSOA version when the store has it whole (a few items: a new instance's first request).
    const lsoas = await this.repo.listLsoas(dataset.id, { pack: { version, count: dataset.lsoaCount } });
    this.lsoaCache.set(dataset.id, { version, lsoas });
    return lsoas;
  }

  /** The dataset version's LSOAs by district, CSP and box ({@link LsoaLookup}), built once per version. */
  async lsoaLookup(dataset: DatasetSummary): Promise<LsoaLookup> {
    const hit = this.lookupCache.get(dataset.id);
    if (hit && hit.version === lsoaVersionOf(dataset)) return hit;
    const lookup = buildLookup(lsoaVersionOf(dataset), await this.lsoas(dataset));
    this.lookupCache.set(dataset.id, lookup);
    return lookup;
  }

  /** Which partition each LSOA is stored in, per dataset version (from the LSOAs' district codes, crime.ts). */
  async partitionIndex(dataset: DatasetSummary): Promise<PartitionIndex> {
    const hit = this.partitionCache.get(dataset.id);
    if (hit && hit.version === lsoaVersionOf(dataset)) return hit;
    const lsoas = await this.lsoas(dataset);
    const byCode = new Map<string, CrimePartition>();
    const members = new Map<CrimePartition, string[]>();
    for (const l of lsoas) {
      const p = l.districtCode || NO_DISTRICT_PARTITION;
      byCode.set(l.code, p);
      let list = members.get(p);
      if (!list) members.set(p, (list = []));
      list.push(l.code);
    }
    const index: PartitionIndex = {
      version: lsoaVersionOf(dataset),
      partitionOf: (code) => partitionOf(code, (c) => byCode.get(c)),
      lsoasOf: (p) => (p === UNPLACED_PARTITION ? [UNPLACED_LSOA] : (members.get(p) ?? [])),
      partitions: [...members.keys()].sort(),
    };
    this.partitionCache.set(dataset.id, index);
    return index;
  }

  /**
   * Monthly counts of the partitions named (default every partition of the dataset's LSOAs), read once per dataset
   * version and month × partition and kept in a cache bounded by bytes. Months without data are left out.
   */
  async monthlyCounts(dataset: DatasetSummary, months: Month[], partitions?: readonly CrimePartition[]): Promise<MonthlyCounts[]> {
    const index = await this.partitionIndex(dataset);
    const parts = partitions ? [...new Set(partitions)] : index.partitions;
    const prefix = `${dataset.id}@${dataset.version}|`;
    const keyOf = (m: Month, p: CrimePartition) => `${prefix}${m}|${p}`;
    // Read what is neither cached nor being read, in one query over its months and partitions.
    const missingMonths = new Set<Month>();
    const missingParts = new Set<CrimePartition>();
    for (const m of months) {
      for (const p of parts) {
        if (this.counts.has(keyOf(m, p))) continue;
        missingMonths.add(m);
        missingParts.add(p);
      }
    }
    let batch: Promise<Map<string, CountsUnit>> | null = null;
    if (missingMonths.size > 0) {
      this.counts.deleteWhere((k) => k.startsWith(`${dataset.id}@`) && !k.startsWith(prefix));
      const sorted = [...missingMonths].sort();
      const wanted = [...missingParts].sort();
      batch = this.repo.getMonthlyCounts(dataset.id, sorted[0]!, sorted[sorted.length - 1]!, wanted).then((fetched) => {
        const units = new Map<string, CountsUnit>();
        for (const m of sorted) for (const p of wanted) units.set(keyOf(m, p), null);
        for (const { month, counts } of fetched) {
          if (!missingMonths.has(month)) continue;
          for (const p of wanted) units.set(keyOf(month, p), new Map());
          for (const [code, row] of counts) {
            const unit = units.get(keyOf(month, index.partitionOf(code)));
            if (unit) unit.set(code, row);
          }
        }
        return units;
      });
    }
    const loaded = await Promise.all(
      months.map(async (m) => {
        const units = await Promise.all(
          parts.map((p) => this.counts.getOrLoad(keyOf(m, p), async () => {
            const unit = batch ? (await batch).get(keyOf(m, p)) : undefined;
            if (unit !== undefined) return unit;
            // Cached when this request looked, evicted since: read this one unit again.
            const [one] = await this.repo.getMonthlyCounts(dataset.id, m, m, [p]);
            return one ? one.counts : null;
          })),
        );
        return { month: m, units };
      }),
    );
    const out: MonthlyCounts[] = [];
    for (const { month, units } of loaded) {
      if (units.every((u) => u === null)) continue;
      const counts = new Map<string, number[]>();
      for (const u of units) if (u) for (const [code, row] of u) counts.set(code, row);
      out.push({ month, counts });
    }
    return out;
  }

  /** The partitions some LSOAs of the dataset are stored in, sorted. */
  async partitionsOfLsoas(dataset: DatasetSummary, lsoas: readonly Pick<Lsoa, 'code'>[]): Promise<CrimePartition[]> {
    const index = await this.partitionIndex(dataset);
    return [...new Set(lsoas.map((l) => index.partitionOf(l.code)))].sort();
  }

  /** Per-LSOA figures for the choropleth: only the scope's LSOAs (default every LSOA of the dataset). */
  async lsoaStats(query: LsoaStatsQuery, scope?: ScopeLsoas): Promise<LsoaStats> {
    const dataset = scope?.dataset ?? (await this.resolveDataset(query.dataset));
    if (!dataset.lastMonth || !dataset.firstMonth) throw new NotFoundError(`dataset "${dataset.id}" has no crime data`);
    const to: Month = query.to ?? (query.from ? addMonths(query.from, 11) : dataset.lastMonth);
    const from: Month = query.from ?? addMonths(to, -11);
    if (from > to) throw new ValidationError(`invalid period: from (${from}) is after to (${to})`);
    const months = monthRange(from, to);
    if (months.length > 120) throw new ValidationError('invalid period: at most 120 months at once');

    const indices = categoriesOf(query.category).map((c) => CATEGORY_INDEX[c]);
    const [monthly, lsoas] = await Promise.all([this.monthlyCounts(dataset, months, scope && (await this.partitionsOfLsoas(dataset, scope.lsoas))), scope ? scope.lsoas : this.lsoas(dataset)]);
    const totals = new Map<string, number>();
    for (const { counts } of monthly) {
      for (const [code, perCategory] of counts) {
        let n = 0;
        for (const i of indices) n += perCategory[i] ?? 0;
        totals.set(code, (totals.get(code) ?? 0) + n);
      }
    }

    let total = 0;
    const rows = lsoas.map((l) => {
      const count = totals.get(l.code) ?? 0;
      total += count;
      return {
        code: l.code,
        count,
        ratePer1000: l.population ? Math.round((count / l.population) * 1000 * 100) / 100 : null,
        population: l.population,
        imdDecile: l.imdDecile,
      };
    });

    const notes: string[] = [];
    if (dataset.synthetic) notes.push('Synthetic demo data: generated figures, not real crime.');
    if (query.category === 'neighbourhood-crime') notes.push(CRIME_GROUPS['neighbourhood-crime'].note);
    const covered = new Set(monthly.map((m) => m.month));
    const missing = months.filter((m) => !covered.has(m));
    if (missing.length > 0) notes.push(`No crime data for ${missing.length} of the ${months.length} months in the period (${missing.join(', ')}).`);
    notes.push('Rates are crimes per 1,000 usual residents over the whole period (not annualised).');

    return {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      ...(scope && { scope: scope.summary }),
      category: query.category,
      categoryLabel: selectionLabel(query.category),
      from,
      to,
      months: months.length,
      total,
      lsoas: rows,
      notes,
    };
  }

  /**
   * The strategic-assessment table for every district or every Community Safety Partnership of a dataset (or the
   * whole dataset), from the monthly counts: the 12 months ending `to` against the 12 before.
   */
  async strategicAssessment(query: { dataset?: string; groupBy: StrategicGroupBy; to?: Month }, scope?: ScopeLsoas): Promise<StrategicAssessment> {
    const dataset = scope?.dataset ?? (await this.resolveDataset(query.dataset));
    if (!dataset.lastMonth || !dataset.firstMonth) throw new NotFoundError(`dataset "${dataset.id}" has no crime data`);
    const to = query.to ?? dataset.lastMonth;
    const months = monthRange(addMonths(to, -23), to);
    const [monthly, lsoas] = await Promise.all([this.monthlyCounts(dataset, months, scope && (await this.partitionsOfLsoas(dataset, scope.lsoas))), scope ? scope.lsoas : this.lsoas(dataset)]);
    const groupOf = new Map<string, { code: string; name: string }>();
    const whole = scope ? { code: scope.summary.key, name: scope.summary.label } : { code: dataset.id, name: dataset.name };
    for (const l of lsoas) {
      const g =
        query.groupBy === 'district'
          ? { code: l.districtCode, name: l.districtName }
          : query.groupBy === 'csp'
            ? { code: l.cspCode ?? 'unknown', name: l.cspName ?? 'No CSP recorded' }
            : whole;
      groupOf.set(l.code, g);
    }
    const groups = new Map<string, { name: string; counts: Map<string, number[]> }>();
    for (const g of groupOf.values()) if (!groups.has(g.code)) groups.set(g.code, { name: g.name, counts: new Map() });
    for (const { month, counts } of monthly) {
      for (const [code, row] of counts) {
        const g = groupOf.get(code);
        if (!g) continue;
        const acc = groups.get(g.code)!.counts;
        const sum = acc.get(month) ?? new Array<number>(row.length).fill(0);
        row.forEach((n, i) => (sum[i]! += n));
        acc.set(month, sum);
      }
    }
    const available = new Set(monthly.map((m) => m.month));
    const tables: StrategicAssessment['tables'] = [...groups]
      .map(([code, g]) => ({ code, name: g.name, table: strategicTable((ci, m) => g.counts.get(m)?.[ci] ?? 0, to, available) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      ...(scope && { scope: scope.summary }),
      groupBy: query.groupBy,
      to,
      tables,
    };
  }
}
