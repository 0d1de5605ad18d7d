import type { DatasetSummary, Lsoa, LsoaStats, LsoaStatsQuery, Month, ScopeSummary, StrategicAssessment, StrategicGroupBy } from '@safer-places/schemas';
import { CATEGORY_INDEX, CRIME_GROUPS, addMonths, categoriesOf, monthRange, selectionLabel } from '@safer-places/schemas';
import { NotFoundError, ValidationError } from './errors';
import type { ReferenceRepository } from './ports';
import type { MonthlyCounts } from './crime';
import { strategicTable } from './strategic';

/** The place LSOA-level figures cover: a resolved scope (ResolvedScope in scope.ts) as far as they need it. */
export interface ScopeLsoas {
  dataset: DatasetSummary;
  summary: ScopeSummary;
  lsoas: Lsoa[];
}

/**
 * Read side of the shared reference data. LSOA boundaries are cached per dataset version: they change only on import,
 * and every map load needs all of them.
 */
export class ReferenceService {
  private readonly lsoaCache = new Map<string, { version: string; lsoas: Lsoa[] }>();
  private readonly countsCache = new Map<string, { version: string; months: Map<Month, MonthlyCounts | null> }>();

  constructor(private readonly repo: ReferenceRepository) {}

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
    if (hit && hit.version === dataset.version) return hit.lsoas;
    const lsoas = await this.repo.listLsoas(dataset.id);
    this.lsoaCache.set(dataset.id, { version: dataset.version, lsoas });
    return lsoas;
  }

  /** Monthly counts, fetched once per dataset version: they change only when an import bumps the version. Months
   * without data are left out. */
  async monthlyCounts(dataset: DatasetSummary, months: Month[]): Promise<MonthlyCounts[]> {
    let entry = this.countsCache.get(dataset.id);
    if (!entry || entry.version !== dataset.version) {
      entry = { version: dataset.version, months: new Map() };
      this.countsCache.set(dataset.id, entry);
    }
    const missing = months.filter((m) => !entry.months.has(m));
    if (missing.length > 0) {
      const fetched = await this.repo.getMonthlyCounts(dataset.id, missing[0]!, missing[missing.length - 1]!);
      for (const m of missing) entry.months.set(m, null);
      for (const mc of fetched) entry.months.set(mc.month, mc);
    }
    return months.map((m) => entry.months.get(m)).filter((m): m is MonthlyCounts => m !== null && m !== undefined);
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
    const [monthly, lsoas] = await Promise.all([this.monthlyCounts(dataset, months), scope ? scope.lsoas : this.lsoas(dataset)]);
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
    const [monthly, lsoas] = await Promise.all([this.monthlyCounts(dataset, months), scope ? scope.lsoas : this.lsoas(dataset)]);
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
