import {
  HOTSPOT_CATEGORIES,
  areaSquareMetres,
  areasExtent,
  areasIntersect,
  assignCells,
  bboxIntersects,
  bufferArea,
  bufferRing,
  classifyHotspots,
  connectedComponents,
  createGrid,
  createPolygonLocator,
  dissolvePolygons,
  geometryBBox,
  gridMask,
  monthPeriods,
  overlapShares,
  pointsInPolygon,
  polygonAdjacency,
  ringOfNeighbours,
  toBng,
  type Adjacency,
  type Grid,
} from '@safer-places/geo';
import type {
  AreaGeometry,
  Bid,
  BidCategoryRow,
  BidCategorySelection,
  BidPresetList,
  ComparisonLsoa,
  DatasetSummary,
  EligibilityCriteria,
  EligibilityResult,
  EvaluationQuery,
  EvaluationResult,
  Lsoa,
  Month,
  OwnBidPreset,
  Principal,
  SaferStreetsArea,
  SelectionResult,
} from '@safer-places/schemas';
import {
  AREA_SCOPE_MIN_SHARE,
  BID_CRIME_GROUPS,
  BID_PRESET_NOTE,
  CATEGORY_INDEX,
  CRIME_CATEGORIES,
  CRIME_GROUPS,
  DEFAULT_BUFFER_M,
  bidCategoriesOf,
  bidSelectionLabel,
  percentChange,
} from '@safer-places/schemas';
import { exportingAs, type AssetService } from '../assets';
import type { CrimePoints, CrimePointsCache } from '../crime-points';
import { DomainError, ValidationError } from '../errors';
import { addMonths, monthRange, periodLabel } from '../months';
import type { Clock } from '../ports';
import type { ReferenceService } from '../reference';
import type { ResolvedScope, ScopeResolver } from '../scope';
import { DEFAULT_REDUCE_THRESHOLD, strategicTable } from '../strategic';
import { COMPARISON_METHOD, profileOf, suggestComparison, type ComparisonCandidate } from './comparison';
import { DID_CAVEATS, counts, differenceInDifferences } from './did';
import { evaluateCriteria } from './eligibility';
import { BUILT_IN_BID_PRESETS } from './presets';
import { buildBidPack, type BidPack } from './pack';
import { renderBidReport, type BidReportInput } from './report';

export interface BidServiceDeps {
  reference: ReferenceService;
  points: CrimePointsCache;
  assets: AssetService;
  clock: Clock;
  /** The one scope resolver: the criteria's scope means what every other analysis's scope means. */
  scopes: ScopeResolver;
}

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

interface Spatial {
  version: string;
  grid: Grid;
  mask: Uint8Array;
  cellOfPoint: Int32Array;
  /** Index into the topology's LSOAs, -1 outside every LSOA. */
  lsoaOfPoint: Int32Array;
}

export interface SelectionInput {
  codes: string[];
  dataset?: string | undefined;
  to?: Month | undefined;
  bufferM?: number | undefined;
  categories?: BidCategorySelection[] | undefined;
  comparison?: string[] | undefined;
}

const PERSISTENT = HOTSPOT_CATEGORIES.indexOf('persistent hotspot');
const THEME_CATEGORIES: Record<SaferStreetsArea['theme'], BidCategorySelection[]> = {
  acquisitive: ['acquisitive-crime'],
  vawg: ['vawg-related'],
  asb: ['anti-social-behaviour'],
  neighbourhood: ['neighbourhood-crime'],
};

/**
 * The bid writer's workflow: which LSOAs meet a round's criteria, the target area made of the chosen ones (contiguous
 * groups, dissolved outline, displacement buffer, a matched comparison area and the baseline figures), and after
 * funding a before/after evaluation of a Safer Streets area.
 */
export class BidService {
  private readonly topologies = new Map<string, Topology>();
  private readonly spatial = new Map<string, Spatial>();
  private readonly persistent = new Map<string, Float64Array>();

  constructor(private readonly deps: BidServiceDeps) {}

  // ------------------------------------------------------------------------------------------------------------------
  // Shared helpers
  // ------------------------------------------------------------------------------------------------------------------

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

  private async datasetWithCrime(id: string | undefined): Promise<DatasetSummary & { firstMonth: Month; lastMonth: Month }> {
    const dataset = await this.deps.reference.resolveDataset(id);
    if (!dataset.firstMonth || !dataset.lastMonth) throw new ValidationError(`dataset "${dataset.id}" has no crime data`);
    return dataset as DatasetSummary & { firstMonth: Month; lastMonth: Month };
  }

  private periodEnding(dataset: { firstMonth: Month; lastMonth: Month }, to: Month | undefined, field = 'to'): Month {
    const end = to ?? dataset.lastMonth;
    if (end > dataset.lastMonth) throw new ValidationError(`${field} (${end}) is after the dataset's last month (${dataset.lastMonth})`);
    if (end < dataset.firstMonth) throw new ValidationError(`${field} (${end}) is before the dataset's first month (${dataset.firstMonth})`);
    return end;
  }

  /**
   * Per-LSOA sums over `months` for the wanted categories, aligned with the topology's LSOAs, plus the months that
   * have data. Crimes in no known LSOA (UNPLACED) are left out.
   */
  private async sums(dataset: DatasetSummary, topo: Topology, months: Month[], wanted: Uint8Array) {
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
  private async categoryMonths(dataset: DatasetSummary, topo: Topology, months: Month[], members: readonly number[]) {
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

  private resolveCodes(topo: Topology, codes: readonly string[], field: string): number[] {
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

  // ------------------------------------------------------------------------------------------------------------------
  // Eligibility
  // ------------------------------------------------------------------------------------------------------------------

  async eligibility(principal: Principal, criteria: EligibilityCriteria, datasetId?: string): Promise<EligibilityResult> {
    const dataset = await this.datasetWithCrime(datasetId);
    const to = this.periodEnding(dataset, criteria.to, 'criteria.to');
    const topo = await this.topology(dataset);
    const n = topo.lsoas.length;
    const notes: string[] = [];
    if (dataset.synthetic) notes.push('Synthetic demo data: generated figures, not real crime. Do not use them in a bid.');

    const inScope = await this.scopeMask(principal, topo, criteria.scope, notes);
    let inList: Uint8Array | null = null;
    if (criteria.lsoaList) {
      inList = new Uint8Array(n);
      const unknown: string[] = [];
      let outside = 0;
      for (const raw of new Set(criteria.lsoaList.map((c) => c.toUpperCase()))) {
        const i = topo.index.get(raw);
        if (i === undefined) unknown.push(raw);
        else {
          inList[i] = 1;
          if (!inScope[i]) outside++;
        }
      }
      notes.push('An OPCC list of LSOAs was given: eligibility is that list (within the scope); the rules are shown for information.');
      if (unknown.length > 0) notes.push(`${unknown.length} listed code(s) are not LSOAs of this dataset and are ignored: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ' …' : ''}.`);
      if (outside > 0) notes.push(`${outside} listed LSOA(s) are outside the chosen scope and are not shown.`);
    }

    const wanted = categoryMask(criteria.categories);
    const current = monthRange(addMonths(to, -11), to);
    const previous = monthRange(addMonths(to, -23), addMonths(to, -12));
    const [cur, prev] = await Promise.all([this.sums(dataset, topo, current, wanted), this.sums(dataset, topo, previous, wanted)]);
    const usesPersistent = criteria.rules.some((r) => r.kind === 'persistent-hotspot-share');
    const persistentShare = usesPersistent ? await this.persistentShares(dataset, topo, wanted, to) : null;

    const out = evaluateCriteria({
      lsoas: topo.lsoas.map((l) => ({ code: l.code, name: l.name, ward: l.wardName, district: l.districtName, cspName: l.cspName, population: l.population, decile: l.imdDecile })),
      current: cur.sums,
      previous: prev.sums,
      persistentShare,
      inScope,
      inList,
      rules: criteria.rules,
      combine: criteria.combine,
    });

    notes.push(...categoryNotes(criteria.categories));
    notes.push('Rates are crimes per 1,000 usual residents over the 12 months; the force-area average is over every LSOA of the dataset with a population.');
    if (cur.available.length < current.length) notes.push(`Only ${cur.available.length} of the 12 months (${periodLabel(current[0]!, to)}) have crime data.`);
    if (prev.available.length < previous.length) notes.push(`The previous 12 months have data for ${prev.available.length} months only: the previous counts are partial.`);
    const noPopulation = out.lsoas.filter((l) => l.population === null).length;
    if (noPopulation > 0) notes.push(`${noPopulation} LSOA(s) in scope have no population, so no rate: they fail rate rules.`);
    if (usesPersistent) notes.push(PERSISTENT_NOTE);
    if (criteria.rules.length === 0 && !inList) notes.push('No rules: every LSOA in scope is listed as eligible.');
    const decileSource = decileSourceOf(topo.lsoas, inScope);
    if (criteria.rules.some((r) => r.kind === 'max-decile') && decileSource) notes.push(`Deciles: ${decileSource}. Decile 1 = the most deprived 10 % of England.`);

    return {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      period: { from: current[0]!, to },
      previousPeriod: { from: previous[0]!, to: previous[previous.length - 1]! },
      categories: criteria.categories.map((c) => ({ key: c, label: bidSelectionLabel(c) })),
      averageRate: out.averageRate,
      scopeLsoas: out.scopeLsoas,
      eligible: out.eligible,
      decileSource,
      lsoas: out.lsoas,
      notes,
    };
  }

  /** The criteria's scope, resolved by the one scope resolver every analysis uses. */
  private async scopeMask(principal: Principal, topo: Topology, scope: EligibilityCriteria['scope'], notes: string[]): Promise<Uint8Array> {
    const n = topo.lsoas.length;
    const mask = new Uint8Array(n);
    const dataset = await this.deps.reference.resolveDataset(topo.datasetId);
    const mark = (resolved: ResolvedScope) => {
      for (const code of resolved.lsoaCodes) {
        const i = topo.index.get(code);
        if (i !== undefined) mask[i] = 1;
      }
      return resolved;
    };
    if (scope.kind === 'all') {
      mark(await this.deps.scopes.resolve(principal, dataset, { kind: 'study-area' }));
      return mask;
    }
    if (scope.kind === 'area' || scope.kind === 'partnership') {
      const resolved = mark(await this.deps.scopes.resolve(principal, dataset, scope.kind === 'area' ? { kind: 'area', id: scope.areaId } : { kind: 'partnership', id: scope.id }));
      notes.push(
        scope.kind === 'area'
          ? `Scope: the LSOAs with at least ${AREA_SCOPE_MIN_SHARE * 100} % of their area inside the drawn area "${resolved.summary.label.replace(/^Drawn area: /, '')}".`
          : `Scope: the partnership area "${resolved.summary.label}" (${resolved.lsoas.length} LSOAs).`,
      );
      return mask;
    }
    const field = scope.kind === 'districts' ? 'districtCode' : 'cspCode';
    const wanted = [...new Set(scope.codes.map((c) => c.toUpperCase()))];
    const known = new Set(topo.lsoas.map((l) => l[field]).filter((c): c is string => !!c));
    const unknown = wanted.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      const what = scope.kind === 'districts' ? 'district' : 'CSP';
      throw new ValidationError(
        `invalid criteria.scope.codes: no ${what} ${unknown.join(', ')} in dataset "${topo.datasetId}"`,
        unknown.map((c) => ({ path: 'criteria.scope.codes', message: `unknown ${what} code ${c}` })),
      );
    }
    if (scope.kind === 'districts') mark(await this.deps.scopes.resolve(principal, dataset, { kind: 'districts', codes: wanted.sort() }));
    else for (const code of wanted) mark(await this.deps.scopes.resolve(principal, dataset, { kind: 'csp', code }));
    return mask;
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Target area
  // ------------------------------------------------------------------------------------------------------------------

  async selection(principal: Principal, input: SelectionInput): Promise<SelectionResult> {
    const dataset = await this.datasetWithCrime(input.dataset);
    const to = this.periodEnding(dataset, input.to);
    const topo = await this.topology(dataset);
    const members = this.resolveCodes(topo, input.codes, 'codes');
    if (members.length === 0) throw new ValidationError('invalid codes: choose at least one LSOA');
    const chosenComparison = input.comparison ? this.resolveCodes(topo, input.comparison, 'comparison') : null;
    if (chosenComparison) {
      const overlap = chosenComparison.filter((i) => members.includes(i)).map((i) => topo.lsoas[i]!.code);
      if (overlap.length > 0) throw new ValidationError(`invalid comparison: LSOA(s) also in the selection: ${overlap.slice(0, 10).join(', ')}`);
    }
    const bufferM = input.bufferM ?? DEFAULT_BUFFER_M;
    const categories = input.categories && input.categories.length > 0 ? input.categories : (['all-crime'] as BidCategorySelection[]);
    const wanted = categoryMask(categories);
    const current = monthRange(addMonths(to, -11), to);
    const previous = monthRange(addMonths(to, -23), addMonths(to, -12));
    const [cur, prev] = await Promise.all([this.sums(dataset, topo, current, wanted), this.sums(dataset, topo, previous, wanted)]);

    const geometries = members.map((i) => topo.lsoas[i]!.geometry);
    const dissolved = dissolvePolygons(geometries);
    const target = dissolved.geometry!;
    const buffer = bufferRing(target, bufferM);
    const groups = connectedComponents(topo.adjacency, members);
    const groupOf = new Map<number, number>();
    groups.forEach((g, k) => g.forEach((i) => groupOf.set(i, k)));

    // Comparison: chosen, or suggested among LSOAs not in, next to, or within the buffer of the selection.
    let comparisonIdx: number[];
    let scores = new Map<number, number>();
    if (chosenComparison) comparisonIdx = chosenComparison;
    else {
      const suggested = suggestComparisonFor(topo, members, target, bufferM, cur.sums, prev.sums, members.length);
      comparisonIdx = suggested.map((s) => s.index);
      scores = new Map(suggested.map((s) => [s.index, Math.round(s.score * 1000) / 1000]));
    }
    const comparisonLsoas: ComparisonLsoa[] = comparisonIdx.map((i) => {
      const l = topo.lsoas[i]!;
      return {
        code: l.code,
        name: l.name,
        score: scores.get(i) ?? null,
        rate: l.population ? round2((cur.sums[i]! / l.population) * 1000) : null,
        trend: prev.sums[i]! > 0 ? round3((cur.sums[i]! - prev.sums[i]!) / prev.sums[i]!) : null,
        decile: l.imdDecile,
      };
    });
    const comparisonGeometry = comparisonIdx.length > 0 ? dissolvePolygons(comparisonIdx.map((i) => topo.lsoas[i]!.geometry)).geometry : null;

    // Totals, the strategic table and the monthly trend.
    let residents = 0, populationUnknown = 0, crimes = 0, previousCrimes = 0, areaM2 = 0;
    for (const i of members) {
      const l = topo.lsoas[i]!;
      if (l.population === null) populationUnknown++;
      else residents += l.population;
      crimes += cur.sums[i]!;
      previousCrimes += prev.sums[i]!;
      areaM2 += topo.areaM2[i]!;
    }
    const months24 = monthRange(addMonths(to, -23), to);
    const [sel, cmp] = await Promise.all([this.categoryMonths(dataset, topo, months24, members), this.categoryMonths(dataset, topo, months24, comparisonIdx)]);
    const byCategory = categoryRows(sel.table, sel.available, to, categories);
    const monthly = months24.map((m) => ({
      month: m,
      count: sumWanted(sel.table.get(m), wanted),
      comparison: sumWanted(cmp.table.get(m), wanted),
    }));

    const inside = await this.insideCounts(principal, target);
    const notes: string[] = [];
    if (dataset.synthetic) notes.push('Synthetic demo data: generated figures, not real crime. Do not use them in a bid.');
    notes.push(...categoryNotes(categories));
    if (groups.length > 1) notes.push(`The selection is ${groups.length} separate areas (LSOAs sharing a boundary form one area; touching at a corner does not count).`);
    if (dissolved.sliversRemoved > 0) notes.push(`${dissolved.sliversRemoved} sliver(s) (gaps under 500 m² or 2 m wide between LSOA boundaries) were closed in the target outline.`);
    if (populationUnknown > 0) notes.push(`${populationUnknown} selected LSOA(s) have no population; residents and the rate leave them out.`);
    if (!chosenComparison && comparisonIdx.length < members.length) notes.push(`Only ${comparisonIdx.length} comparison LSOA(s) could be suggested for ${members.length} selected.`);
    if (cur.available.length < 12 || prev.available.length < 12) notes.push(`Months with data: ${cur.available.length} of the last 12, ${prev.available.length} of the 12 before.`);

    return {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      period: { from: current[0]!, to },
      previousPeriod: { from: previous[0]!, to: previous[previous.length - 1]! },
      categories: categories.map((c) => ({ key: c, label: bidSelectionLabel(c) })),
      totals: {
        lsoas: members.length,
        areaKm2: Math.round(areaM2 / 1e4) / 100,
        residents,
        populationUnknown,
        crimes,
        previousCrimes,
        change: crimes - previousCrimes,
        changePercent: percentChange(crimes, previousCrimes),
        rate: residents > 0 ? round2((crimes / residents) * 1000) : null,
      },
      groups: groups.map((g) => g.map((i) => topo.lsoas[i]!.code)),
      lsoas: members.map((i) => {
        const l = topo.lsoas[i]!;
        return {
          code: l.code,
          name: l.name,
          ward: l.wardName,
          district: l.districtName,
          cspName: l.cspName,
          population: l.population,
          decile: l.imdDecile,
          count: cur.sums[i]!,
          previousCount: prev.sums[i]!,
          rate: l.population ? round2((cur.sums[i]! / l.population) * 1000) : null,
          areaKm2: Math.round(topo.areaM2[i]! / 1e3) / 1e3,
          group: groupOf.get(i)!,
        };
      }),
      target,
      bufferM,
      buffer,
      comparison: { suggested: !chosenComparison, lsoas: comparisonLsoas, geometry: comparisonGeometry, method: chosenComparison ? 'Chosen by the bid writer.' : COMPARISON_METHOD },
      byCategory,
      monthly,
      inside,
      notes,
    };
  }

  private async insideCounts(principal: Principal, target: AreaGeometry) {
    const [cameras, helpPoints, zones] = await Promise.all([
      this.deps.assets.list(principal, 'cameras'),
      this.deps.assets.list(principal, 'help-points'),
      this.deps.assets.list(principal, 'pspo-zones'),
    ]);
    const area = createPolygonLocator([{ code: 'target', geometry: target }]);
    const isInside = (p: { coordinates: [number, number] }) => area.locate(p.coordinates[0], p.coordinates[1]) !== null;
    return {
      cameras: cameras.filter((c) => c.status !== 'decommissioned' && isInside(c.location)).length,
      helpPoints: helpPoints.filter((h) => isInside(h.location)).length,
      pspoZones: zones.filter((z) => areasIntersect(target, z.geometry)).length,
    };
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Presets and drafts
  // ------------------------------------------------------------------------------------------------------------------

  async presets(principal: Principal): Promise<BidPresetList> {
    const own = await this.deps.assets.list(principal, 'bid-presets');
    const mine: OwnBidPreset[] = own.map((p) => ({ ...p, builtIn: false as const, note: BID_PRESET_NOTE })).sort((a, b) => a.name.localeCompare(b.name));
    return { items: [...BUILT_IN_BID_PRESETS, ...mine], note: BID_PRESET_NOTE };
  }

  async bid(principal: Principal, id: string): Promise<Bid> {
    return this.deps.assets.get(principal, 'bids', id);
  }

  /** Everything the report and the pack of a saved bid need. */
  async evidence(principal: Principal, id: string, datasetId?: string): Promise<{ input: BidReportInput; lsoaGeometry: Map<string, AreaGeometry>; comparisonGeometry: Map<string, AreaGeometry> }> {
    const bid = await this.bid(principal, id);
    if (bid.selection.length === 0) throw new ValidationError(`bid "${bid.name}" has no LSOAs selected: choose its target LSOAs first`);
    const dataset = await this.datasetWithCrime(datasetId);
    const to = bid.criteria.to && bid.criteria.to <= dataset.lastMonth ? bid.criteria.to : undefined;
    // A pack leaves the system: it counts only what every user of the organisation may see.
    const selection = await this.selection(exportingAs(principal), {
      codes: bid.selection,
      dataset: dataset.id,
      to,
      bufferM: bid.bufferM,
      categories: bid.criteria.categories,
      comparison: bid.comparison && bid.comparison.length > 0 ? bid.comparison : undefined,
    });
    let eligibility: EligibilityResult | null = null;
    try {
      eligibility = await this.eligibility(principal, { ...bid.criteria, ...(to ? { to } : { to: undefined }) }, dataset.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      selection.notes.push(`The bid's criteria could not be evaluated on this data set (${err.message}); the "meets criteria" column is left empty.`);
    }
    const topo = await this.topology(dataset);
    const geometryOf = (codes: string[]) => new Map(codes.map((c) => [c, topo.lsoas[topo.index.get(c)!]!.geometry]));
    const lsoaGeometry = geometryOf(selection.lsoas.map((l) => l.code));
    return {
      input: { bid, selection, eligibility, dataset, lsoaGeometries: [...lsoaGeometry.values()], generatedAt: this.deps.clock.now() },
      lsoaGeometry,
      comparisonGeometry: geometryOf(selection.comparison.lsoas.map((l) => l.code)),
    };
  }

  async reportHtml(principal: Principal, id: string, datasetId?: string): Promise<string> {
    return renderBidReport((await this.evidence(principal, id, datasetId)).input);
  }

  async pack(principal: Principal, id: string, datasetId?: string): Promise<BidPack> {
    const e = await this.evidence(principal, id, datasetId);
    return buildBidPack(e.input, e.lsoaGeometry, e.comparisonGeometry);
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Evaluation of a funded area
  // ------------------------------------------------------------------------------------------------------------------

  async evaluation(principal: Principal, areaId: string, query: EvaluationQuery): Promise<EvaluationResult> {
    const area = await this.deps.assets.get(principal, 'safer-streets-areas', areaId);
    const dataset = await this.datasetWithCrime(query.dataset);
    const topo = await this.topology(dataset);
    const months = query.months;
    const beforeMonths = monthRange(addMonths(query.start, -months), addMonths(query.start, -1));
    const afterMonths = monthRange(query.start, addMonths(query.start, months - 1));
    const inData = (m: Month) => m >= dataset.firstMonth && m <= dataset.lastMonth;
    const available = { before: beforeMonths.filter(inData).length, after: afterMonths.filter(inData).length };
    if (available.after === 0) throw new ValidationError(`invalid start: the dataset has no crime data from ${query.start} (its last month is ${dataset.lastMonth})`);
    if (available.before === 0) throw new ValidationError(`invalid start: the dataset has no crime data in the ${months} months before ${query.start} (its first month is ${dataset.firstMonth})`);
    const categories = query.categories ?? THEME_CATEGORIES[area.theme];
    const wanted = categoryMask(categories);
    const bufferM = query.bufferM;

    // Target and buffer: crimes by point in polygon.
    const points = await this.deps.points.get(dataset);
    const windowOf = Int8Array.from(points.months, (m) => (m >= beforeMonths[0]! && m <= beforeMonths[beforeMonths.length - 1]! ? 0 : m >= afterMonths[0]! && m <= afterMonths[afterMonths.length - 1]! ? 1 : -1));
    const monthPos = new Map([...beforeMonths, ...afterMonths].map((m, k) => [m, k]));
    const series = (geometry: AreaGeometry | null) => {
      const perMonth = new Array<number>(beforeMonths.length + afterMonths.length).fill(0);
      const totals = [0, 0];
      if (!geometry) return { perMonth, totals };
      for (const i of pointsInPolygon(points.index, geometry)) {
        const w = windowOf[points.month[i]!]!;
        if (w < 0 || !wanted[points.category[i]!]) continue;
        totals[w]!++;
        perMonth[monthPos.get(points.months[points.month[i]!]!)!]!++;
      }
      return { perMonth, totals };
    };
    const target = series(area.geometry);
    const ring = bufferRing(area.geometry, bufferM);
    const buffer = series(ring);

    // Comparison: given LSOAs, or suggested as for a bid from the LSOAs overlapping the target, on the 12 months
    // before the start.
    const overlapping = overlapShares(area.geometry, topo.lsoas).filter((s) => s.shareInside > 0.01).map((s) => topo.index.get(s.code)!);
    let comparisonIdx: number[];
    let scores = new Map<number, number>();
    const profileTo = addMonths(query.start, -1) > dataset.lastMonth ? dataset.lastMonth : addMonths(query.start, -1);
    const [pc, pp] = await Promise.all([
      this.sums(dataset, topo, monthRange(addMonths(profileTo, -11), profileTo), wanted),
      this.sums(dataset, topo, monthRange(addMonths(profileTo, -23), addMonths(profileTo, -12)), wanted),
    ]);
    if (query.comparison) comparisonIdx = this.resolveCodes(topo, query.comparison, 'comparison');
    else {
      const suggested = suggestComparisonFor(topo, overlapping, area.geometry, bufferM, pc.sums, pp.sums, Math.max(1, overlapping.length));
      comparisonIdx = suggested.map((s) => s.index);
      scores = new Map(suggested.map((s) => [s.index, Math.round(s.score * 1000) / 1000]));
    }
    const comparisonGeometry = comparisonIdx.length > 0 ? dissolvePolygons(comparisonIdx.map((i) => topo.lsoas[i]!.geometry)).geometry : null;
    const cmpMonthly = await this.categoryMonths(dataset, topo, [...beforeMonths, ...afterMonths], comparisonIdx);
    const cmpPerMonth = [...beforeMonths, ...afterMonths].map((m) => sumWanted(cmpMonthly.table.get(m), wanted));
    const cmpBefore = cmpPerMonth.slice(0, beforeMonths.length).reduce((s, x) => s + x, 0);
    const cmpAfter = cmpPerMonth.slice(beforeMonths.length).reduce((s, x) => s + x, 0);

    const targetCounts = counts(target.totals[0]!, target.totals[1]!);
    const comparisonCounts = counts(cmpBefore, cmpAfter);
    const complete = available.before === months && available.after === months;
    const notes: string[] = [];
    if (dataset.synthetic) notes.push('Synthetic demo data: generated figures, not real crime.');
    notes.push(...categoryNotes(categories));
    if (!query.categories) notes.push(`Crime types from the area's theme (${area.theme}).`);
    if (!complete) notes.push(`Incomplete windows: ${available.before} of ${months} months before and ${available.after} of ${months} after have data, so the comparison of counts is uneven. Wait for more data or choose fewer months.`);
    notes.push('Target and buffer counts are crimes whose published point lies inside the saved area or ring; comparison counts are crimes in the comparison LSOAs.');
    if (!query.comparison) notes.push(`Comparison LSOAs suggested from the ${overlapping.length} LSOA(s) overlapping the area, on the 12 months before the start. ${COMPARISON_METHOD}`);

    return {
      area: { id: area.id, name: area.name, round: area.round, theme: area.theme, startDate: area.startDate, endDate: area.endDate },
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      categories: categories.map((c) => ({ key: c, label: bidSelectionLabel(c) })),
      months,
      before: { from: beforeMonths[0]!, to: beforeMonths[beforeMonths.length - 1]! },
      after: { from: afterMonths[0]!, to: afterMonths[afterMonths.length - 1]! },
      complete,
      monthsAvailable: available,
      target: targetCounts,
      comparison: {
        ...comparisonCounts,
        suggested: !query.comparison,
        lsoas: comparisonIdx.map((i) => {
          const l = topo.lsoas[i]!;
          return {
            code: l.code,
            name: l.name,
            score: scores.get(i) ?? null,
            rate: l.population ? round2((pc.sums[i]! / l.population) * 1000) : null,
            trend: pp.sums[i]! > 0 ? round3((pc.sums[i]! - pp.sums[i]!) / pp.sums[i]!) : null,
            decile: l.imdDecile,
          };
        }),
        geometry: comparisonGeometry,
      },
      buffer: { ...counts(buffer.totals[0]!, buffer.totals[1]!), bufferM, geometry: ring },
      did: differenceInDifferences(targetCounts, comparisonCounts),
      monthly: [...beforeMonths, ...afterMonths].map((m, k) => ({ month: m, target: target.perMonth[k]!, comparison: cmpPerMonth[k]!, buffer: buffer.perMonth[k]! })),
      caveats: DID_CAVEATS,
      notes,
    };
  }
}

const PERSISTENT_NOTE =
  'Persistent hot-spot share: the share of each LSOA’s crimes (chosen types, the 24 months ending with the period) that lie in grid cells classified "persistent hotspot" — significant Gi* hot spots (FDR-corrected, p < 0.05) in at least 8 of 10 sub-periods — on the hot-spot map’s default grid.';

export function categoryMask(categories: readonly BidCategorySelection[]): Uint8Array {
  const wanted = new Uint8Array(CRIME_CATEGORIES.length);
  for (const c of categories) for (const slug of bidCategoriesOf(c)) wanted[CATEGORY_INDEX[slug]] = 1;
  return wanted;
}

function sumWanted(row: number[] | undefined, wanted: Uint8Array): number {
  if (!row) return 0;
  let n = 0;
  for (let c = 0; c < row.length; c++) if (wanted[c]) n += row[c]!;
  return n;
}

export function categoryNotes(categories: readonly BidCategorySelection[]): string[] {
  const notes: string[] = [];
  if (categories.includes('neighbourhood-crime')) notes.push(CRIME_GROUPS['neighbourhood-crime'].note);
  if (categories.includes('acquisitive-crime')) notes.push(BID_CRIME_GROUPS['acquisitive-crime'].note);
  if (categories.includes('vawg-related')) notes.push(BID_CRIME_GROUPS['vawg-related'].note);
  return notes;
}

/** The strategic table's rows (all crime, neighbourhood crime, 14 categories) plus a row per chosen bid group. */
function categoryRows(table: Map<Month, number[]>, available: Set<Month>, to: Month, categories: readonly BidCategorySelection[]): BidCategoryRow[] {
  const count = (ci: number, m: Month) => table.get(m)?.[ci] ?? 0;
  const base = strategicTable(count, to, available).rows;
  const extra = categories
    .filter((c): c is keyof typeof BID_CRIME_GROUPS => Object.hasOwn(BID_CRIME_GROUPS, c))
    .map((key) => {
      const idx = BID_CRIME_GROUPS[key].categories.map((c) => CATEGORY_INDEX[c]);
      const sum = (months: Month[]) => months.reduce((s, m) => s + idx.reduce((t, i) => t + count(i, m), 0), 0);
      const current = sum(monthRange(addMonths(to, -11), to));
      const previous = sum(monthRange(addMonths(to, -23), addMonths(to, -12)));
      const rising = previous > 0 ? (current - previous) / previous >= DEFAULT_REDUCE_THRESHOLD : current > 0;
      return {
        key,
        label: BID_CRIME_GROUPS[key].label,
        current,
        previous,
        change: current - previous,
        changePct: percentChange(current, previous),
        target: rising ? ('Reduce' as const) : ('Monitor' as const),
      };
    });
  return [...base.slice(0, 2), ...extra, ...base.slice(2)];
}

function decileSourceOf(lsoas: readonly Lsoa[], mask: Uint8Array): string | null {
  const tally = new Map<string, number>();
  lsoas.forEach((l, i) => {
    if (!mask[i]) return;
    const s = l.imdDecile === null ? 'no decile' : (l.deprivationSource ?? 'source not recorded');
    tally.set(s, (tally.get(s) ?? 0) + 1);
  });
  if (tally.size === 0) return null;
  return [...tally].sort((a, b) => b[1] - a[1]).map(([s, n]) => (tally.size === 1 ? s : `${s} (${n} LSOAs)`)).join('; ');
}

function monthOrdinal(month: Month): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The suggested comparison LSOAs for a target: candidates are neither in it, next to it, nor touching its buffer; the
 * most similar `count` of them on rate, trend and deprivation (see suggestComparison).
 */
function suggestComparisonFor(
  topo: { lsoas: readonly Lsoa[]; adjacency: Parameters<typeof ringOfNeighbours>[0] },
  members: readonly number[],
  target: AreaGeometry,
  bufferM: number,
  current: ArrayLike<number>,
  previous: ArrayLike<number>,
  count: number,
): ReturnType<typeof suggestComparison> {
  const excluded = new Uint8Array(topo.lsoas.length);
  for (const i of members) excluded[i] = 1;
  for (const i of ringOfNeighbours(topo.adjacency, members)) excluded[i] = 1;
  const grown = bufferM > 0 ? bufferArea(target, bufferM) : null;
  if (grown) {
    const box = geometryBBox(grown);
    topo.lsoas.forEach((l, i) => {
      if (!excluded[i] && bboxIntersects(l.bbox, box) && areasIntersect(l.geometry, grown)) excluded[i] = 1;
    });
  }
  const candidate = (i: number): ComparisonCandidate => ({ index: i, current: current[i]!, previous: previous[i]!, population: topo.lsoas[i]!.population, decile: topo.lsoas[i]!.imdDecile });
  const candidates: ComparisonCandidate[] = [];
  for (let i = 0; i < topo.lsoas.length; i++) if (!excluded[i]) candidates.push(candidate(i));
  return suggestComparison(profileOf(members.map(candidate)), candidates, count);
}
