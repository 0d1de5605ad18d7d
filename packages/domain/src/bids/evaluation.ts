import { bboxIntersects, bufferRing, dissolvePolygons, geometryBBox, overlapShares, pointsInPolygon } from '@safer-places/geo';
import type { AreaGeometry, EvaluationQuery, EvaluationResult, Month, Principal } from '@safer-places/schemas';
import { bidSelectionLabel } from '@safer-places/schemas';
import type { AssetService } from '../assets';
import type { CrimePointsCache } from '../crime-points';
import { UNPLACED_PARTITION } from '../crime';
import { ValidationError } from '../errors';
import { addMonths, monthRange } from '@safer-places/schemas';
import { THEME_CATEGORIES, categoryMask, categoryNotes, sumWanted } from './categories';
import { COMPARISON_METHOD } from './comparison';
import { comparisonRow, scoresOf, suggestComparisonFor } from './comparison-area';
import { DID_CAVEATS, counts, differenceInDifferences } from './did';
import type { BidTopology } from './topology';

export interface EvaluationUseCaseDeps {
  data: BidTopology;
  points: CrimePointsCache;
  assets: AssetService;
}

/**
 * After funding, the before/after evaluation of a Safer Streets area: crimes in the area and in its displacement
 * buffer (by point in polygon) and in a comparison area (given, or suggested as for a bid), over equal windows before
 * and after the start, with the difference in differences.
 */
export class EvaluationUseCase {
  constructor(private readonly deps: EvaluationUseCaseDeps) {}

  async evaluation(principal: Principal, areaId: string, query: EvaluationQuery): Promise<EvaluationResult> {
    const area = await this.deps.assets.get(principal, 'safer-streets-areas', areaId);
    const dataset = await this.deps.data.datasetWithCrime(query.dataset);
    const topo = await this.deps.data.topology(dataset);
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

    // Target and buffer: crimes by point in polygon, read from the districts the buffered area's box meets (and the
    // crimes outside the study area) over the two windows, priced first.
    const ring = bufferRing(area.geometry, bufferM);
    const box = [area.geometry, ...(ring ? [ring] : [])].map(geometryBBox).reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
    const partitionIndex = await this.deps.data.reference.partitionIndex(dataset);
    const partitions = [...new Set(topo.lsoas.filter((l) => bboxIntersects(l.bbox, box)).map((l) => partitionIndex.partitionOf(l.code))), UNPLACED_PARTITION];
    const windowMonths = [...beforeMonths, ...afterMonths].filter(inData);
    const points = await this.deps.points.points(dataset, { months: windowMonths, partitions, what: `the area "${area.name}" and its buffer` });
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
    const buffer = series(ring);

    // Comparison: given LSOAs, or suggested as for a bid from the LSOAs overlapping the target, on the 12 months
    // before the start.
    const overlapping = overlapShares(area.geometry, topo.lsoas).filter((s) => s.shareInside > 0.01).map((s) => topo.index.get(s.code)!);
    let comparisonIdx: number[];
    let scores = new Map<number, number>();
    const profileTo = addMonths(query.start, -1) > dataset.lastMonth ? dataset.lastMonth : addMonths(query.start, -1);
    const [pc, pp] = await Promise.all([
      this.deps.data.sums(dataset, topo, monthRange(addMonths(profileTo, -11), profileTo), wanted),
      this.deps.data.sums(dataset, topo, monthRange(addMonths(profileTo, -23), addMonths(profileTo, -12)), wanted),
    ]);
    if (query.comparison) comparisonIdx = this.deps.data.resolveCodes(topo, query.comparison, 'comparison');
    else {
      const suggested = suggestComparisonFor(topo, overlapping, area.geometry, bufferM, pc.sums, pp.sums, Math.max(1, overlapping.length));
      comparisonIdx = suggested.map((s) => s.index);
      scores = scoresOf(suggested);
    }
    const comparisonGeometry = comparisonIdx.length > 0 ? dissolvePolygons(comparisonIdx.map((i) => topo.lsoas[i]!.geometry)).geometry : null;
    const cmpMonthly = await this.deps.data.categoryMonths(dataset, topo, [...beforeMonths, ...afterMonths], comparisonIdx);
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
        lsoas: comparisonIdx.map((i) => comparisonRow(topo.lsoas[i]!, pc.sums[i]!, pp.sums[i]!, scores.get(i) ?? null)),
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
