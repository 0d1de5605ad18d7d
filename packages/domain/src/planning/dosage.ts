import { bboxIntersects, lonLatToBng } from '@safer-places/geo';
import type { DatasetSummary, DosageReport, DosageReportQuery, Month, PatrolVisit, Principal } from '@safer-places/schemas';
import { UNPLACED_PARTITION, type CrimePartition } from '../crime';
import type { CrimeSelectionRequest } from '../crime-selection';
import { CATEGORY_INDEX, OFFICER_ROLE_LABELS, addMonths, monthRange } from '@safer-places/schemas';
import { coveragePolygon, round1, round6, type PlanningContext } from './common';

export type DosageReportRequest = Pick<CrimeSelectionRequest, 'datasetId'> & Pick<DosageReportQuery, 'month' | 'beforeMonths'>;

const ASB = CATEGORY_INDEX['anti-social-behaviour'];
/** At most this many months in the hours-per-month table. */
const HISTORY_MONTHS = 12;

/** The partitions of the LSOAs whose box meets a spot's circle (with a margin), plus the unplaced crimes'. */
async function spotPartitions(ctx: PlanningContext, dataset: DatasetSummary, spots: readonly Pick<PatrolVisit, 'location' | 'radiusM'>[]): Promise<CrimePartition[]> {
  const [lsoas, index] = await Promise.all([ctx.selection.reference.lsoas(dataset), ctx.selection.reference.partitionIndex(dataset)]);
  const out = new Set<CrimePartition>([UNPLACED_PARTITION]);
  for (const s of spots) {
    const [lon, lat] = s.location.coordinates;
    // Degrees per metre, generously (×1.5): the box only chooses what to read; the radius test is exact in BNG.
    const dLat = (1.5 * s.radiusM) / 111_000;
    const dLon = dLat / Math.max(0.1, Math.cos((lat * Math.PI) / 180));
    const box: [number, number, number, number] = [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
    for (const l of lsoas) if (bboxIntersects(l.bbox, box)) out.add(index.partitionOf(l.code));
  }
  return [...out];
}

/** Visits recorded for the same place (name, centre to ~1 m, radius) are one spot. */
export function spotKey(v: Pick<PatrolVisit, 'spotName' | 'location' | 'radiusM'>): string {
  const [lon, lat] = v.location.coordinates;
  return `${v.spotName.trim().toLowerCase()}|${lon.toFixed(5)},${lat.toFixed(5)}|${v.radiusM}`;
}

/**
 * The monthly dosage report: for each patrolled spot, the visits and patrol hours in the month, and the crimes (ASB
 * apart) within the spot's radius in that month against the monthly average over the months before its first patrol.
 * Crime months police.uk has not published yet are shown as not available, never as zero.
 */
export async function dosageReport(ctx: PlanningContext, principal: Principal, request: DosageReportRequest): Promise<DosageReport> {
  const visits = await ctx.assets.list(principal, 'patrol-visits');
  const dataset = await ctx.selection.reference.resolveDataset(request.datasetId);
  const latestVisit = visits.reduce<Month | null>((m, v) => (m === null || v.visitDate.slice(0, 7) > m ? v.visitDate.slice(0, 7) : m), null);
  const month = request.month ?? latestVisit ?? dataset.lastMonth ?? ctx.clock.now().toISOString().slice(0, 7);
  const history = monthRange(addMonths(month, -(HISTORY_MONTHS - 1)), month);

  const groups = new Map<string, PatrolVisit[]>();
  for (const v of visits) {
    if (v.visitDate.slice(0, 7) > month) continue; // later visits do not belong in this month's report
    const k = spotKey(v);
    groups.set(k, [...(groups.get(k) ?? []), v]);
  }

  // Only the districts the spots' circles meet are read (and crimes outside the study area, which count too), over the
  // dataset's months, priced first.
  const points = dataset.firstMonth && dataset.lastMonth && groups.size > 0 ? await ctx.selection.points.points(dataset, { months: monthRange(dataset.firstMonth, dataset.lastMonth), partitions: await spotPartitions(ctx, dataset, [...groups.values()].map((l) => l[0]!)), what: 'the patrolled spots' }) : null;
  const projected = points ? ctx.selection.projected(points) : null;
  const tree = points ? ctx.selection.tree(points) : null;
  const datasetMonths = dataset.firstMonth && dataset.lastMonth ? monthRange(dataset.firstMonth, dataset.lastMonth) : [];
  const published = new Set(datasetMonths);
  const monthIndex = new Map(datasetMonths.map((m, i) => [m, i]));

  const spots = [...groups.values()]
    .map((list) => {
      const v0 = list[0]!;
      const [lon, lat] = v0.location.coordinates;
      const firstVisit = list.reduce((d, v) => (v.visitDate < d ? v.visitDate : d), v0.visitDate);
      const firstMonth = firstVisit.slice(0, 7);
      const inMonth = list.filter((v) => v.visitDate.slice(0, 7) === month);
      // Crimes within the radius, per dataset month, ASB apart.
      const crimes = new Map<Month, { crimes: number; asb: number }>();
      if (points && projected && tree) {
        const [x, y] = lonLatToBng(lon, lat);
        const r = v0.radiusM;
        for (const i of tree.within(x, y, r + 1e-6)) {
          if (i >= points.count || Math.hypot(projected.xy[2 * i]! - x, projected.xy[2 * i + 1]! - y) > r) continue;
          const m = points.months[points.month[i]!]!;
          let t = crimes.get(m);
          if (!t) crimes.set(m, (t = { crimes: 0, asb: 0 }));
          if (points.category[i] === ASB) t.asb++;
          else t.crimes++;
        }
      }
      const figures = (m: Month) => (published.has(m) ? (crimes.get(m) ?? { crimes: 0, asb: 0 }) : null);
      const beforeMonths = monthRange(addMonths(firstMonth, -request.beforeMonths), addMonths(firstMonth, -1)).filter((m) => monthIndex.has(m));
      const beforeTotals = beforeMonths.reduce((t, m) => ({ crimes: t.crimes + figures(m)!.crimes, asb: t.asb + figures(m)!.asb }), { crimes: 0, asb: 0 });
      const during = figures(month);
      const minutes = inMonth.reduce((n, v) => n + v.minutes, 0);
      const byRole = new Map<string, number>();
      for (const v of inMonth) byRole.set(OFFICER_ROLE_LABELS[v.officerRole], (byRole.get(OFFICER_ROLE_LABELS[v.officerRole]) ?? 0) + v.minutes);
      return {
        key: spotKey(v0),
        spotName: v0.spotName,
        lon: round6(lon),
        lat: round6(lat),
        radiusM: v0.radiusM,
        firstVisit,
        month: {
          visits: inMonth.length,
          minutes,
          hours: round1(minutes / 60),
          byRole: [...byRole].map(([role, m]) => ({ role, hours: round1(m / 60) })),
          crimes: during?.crimes ?? null,
          asb: during?.asb ?? null,
        },
        before: {
          months: beforeMonths.length,
          crimesPerMonth: beforeMonths.length > 0 ? round1(beforeTotals.crimes / beforeMonths.length) : null,
          asbPerMonth: beforeMonths.length > 0 ? round1(beforeTotals.asb / beforeMonths.length) : null,
        },
        hoursByMonth: history.map((m) => round1(list.filter((v) => v.visitDate.slice(0, 7) === m).reduce((n, v) => n + v.minutes, 0) / 60)),
        visits: [...list].sort((a, b) => b.visitDate.localeCompare(a.visitDate) || b.createdAt.localeCompare(a.createdAt)).slice(0, 50).map((v) => ({
          id: v.id,
          version: v.version,
          visitDate: v.visitDate,
          minutes: v.minutes,
          officerRole: v.officerRole,
          officerRoleLabel: OFFICER_ROLE_LABELS[v.officerRole],
          notes: v.notes ?? null,
        })),
        coverage: coveragePolygon([round6(lon), round6(lat)], v0.radiusM),
      };
    })
    .sort((a, b) => b.month.minutes - a.month.minutes || a.spotName.localeCompare(b.spotName, 'en-GB'));

  const monthPublished = published.has(month);
  const totalMinutes = spots.reduce((n, r) => n + r.month.minutes, 0);
  return {
    dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
    month,
    beforeMonths: request.beforeMonths,
    crimeMonthPublished: monthPublished,
    lastCrimeMonth: dataset.lastMonth,
    history,
    totals: { spots: spots.length, visits: spots.reduce((n, r) => n + r.month.visits, 0), hours: round1(totalMinutes / 60) },
    spots,
    notes: [
      `Crimes and ASB are those police.uk published within each spot's radius (150 m unless recorded otherwise). "Before" is the monthly average over the ${request.beforeMonths} months before the spot's first recorded patrol, where the data has them.`,
      ...(monthPublished ? [] : [`police.uk has not published ${month} in this dataset yet (latest: ${dataset.lastMonth ?? 'none'}); crimes for it show as not available. police.uk publishes about two months in arrears.`]),
      'A fall after patrols began is not proof that the patrols caused it: crime moves with season, reporting and chance. Compare with similar places not patrolled before drawing conclusions.',
      ...(dataset.synthetic ? ['Synthetic demo data: generated figures, not real crime.'] : []),
    ],
  };
}
