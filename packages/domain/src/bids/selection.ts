import { areasIntersect, bufferRing, connectedComponents, createPolygonLocator, dissolvePolygons } from '@safer-places/geo';
import type { AreaGeometry, BidCategoryRow, BidCategorySelection, ComparisonLsoa, Month, Principal, SelectionResult } from '@safer-places/schemas';
import { BID_CRIME_GROUPS, CATEGORY_INDEX, DEFAULT_BUFFER_M, bidSelectionLabel, percentChange, roundHalfAway } from '@safer-places/schemas';
import type { AssetService } from '../assets';
import { ValidationError } from '../errors';
import { addMonths, monthRange } from '@safer-places/schemas';
import { DEFAULT_REDUCE_THRESHOLD, strategicTable } from '../strategic';
import { categoryMask, categoryNotes, sumWanted } from './categories';
import { COMPARISON_METHOD } from './comparison';
import { comparisonRow, scoresOf, suggestComparisonFor } from './comparison-area';
import { periodEnding, type BidTopology } from './topology';

export interface SelectionInput {
  codes: string[];
  dataset?: string | undefined;
  to?: Month | undefined;
  bufferM?: number | undefined;
  categories?: BidCategorySelection[] | undefined;
  comparison?: string[] | undefined;
}

export interface SelectionUseCaseDeps {
  data: BidTopology;
  assets: AssetService;
}

/**
 * The target area made of the chosen LSOAs: contiguous groups, the dissolved outline, the displacement buffer, a
 * matched comparison area (chosen, or suggested), and the baseline figures (totals, the strategic table by crime type,
 * the monthly trend, and the cameras, help points and PSPO zones inside).
 */
export class SelectionUseCase {
  constructor(private readonly deps: SelectionUseCaseDeps) {}

  async selection(principal: Principal, input: SelectionInput): Promise<SelectionResult> {
    const dataset = await this.deps.data.datasetWithCrime(input.dataset);
    const to = periodEnding(dataset, input.to);
    const topo = await this.deps.data.topology(dataset);
    const members = this.deps.data.resolveCodes(topo, input.codes, 'codes');
    if (members.length === 0) throw new ValidationError('invalid codes: choose at least one LSOA');
    const chosenComparison = input.comparison ? this.deps.data.resolveCodes(topo, input.comparison, 'comparison') : null;
    if (chosenComparison) {
      const overlap = chosenComparison.filter((i) => members.includes(i)).map((i) => topo.lsoas[i]!.code);
      if (overlap.length > 0) throw new ValidationError(`invalid comparison: LSOA(s) also in the selection: ${overlap.slice(0, 10).join(', ')}`);
    }
    const bufferM = input.bufferM ?? DEFAULT_BUFFER_M;
    const categories = input.categories && input.categories.length > 0 ? input.categories : (['all-crime'] as BidCategorySelection[]);
    const wanted = categoryMask(categories);
    const current = monthRange(addMonths(to, -11), to);
    const previous = monthRange(addMonths(to, -23), addMonths(to, -12));
    const [cur, prev] = await Promise.all([this.deps.data.sums(dataset, topo, current, wanted), this.deps.data.sums(dataset, topo, previous, wanted)]);

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
      scores = scoresOf(suggested);
    }
    const comparisonLsoas: ComparisonLsoa[] = comparisonIdx.map((i) => comparisonRow(topo.lsoas[i]!, cur.sums[i]!, prev.sums[i]!, scores.get(i) ?? null));
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
    const [sel, cmp] = await Promise.all([this.deps.data.categoryMonths(dataset, topo, months24, members), this.deps.data.categoryMonths(dataset, topo, months24, comparisonIdx)]);
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
        areaKm2: roundHalfAway(areaM2 / 1e6, 2),
        residents,
        populationUnknown,
        crimes,
        previousCrimes,
        change: crimes - previousCrimes,
        changePercent: percentChange(crimes, previousCrimes),
        rate: residents > 0 ? roundHalfAway((crimes / residents) * 1000, 2) : null,
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
          rate: l.population ? roundHalfAway((cur.sums[i]! / l.population) * 1000, 2) : null,
          areaKm2: roundHalfAway(topo.areaM2[i]! / 1e6, 3),
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
