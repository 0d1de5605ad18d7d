import type { AreaGeometry, AreaStats, CategorySelection, DatasetSummary, Lsoa, Month, Principal } from '@safer-places/schemas';
import { CATEGORY_INDEX, CRIME_CATEGORIES, addMonths, categoriesOf, monthRange, percentOf, roundHalfAway, selectionLabel, shareOf } from '@safer-places/schemas';
import { areaSquareMetres, areasIntersect, coveredAmong, createPolygonLocator, distanceToArea, geometryBBox, overlapShares, pointsInPolygon } from '@safer-places/geo';
import type { AssetService } from './assets';
import { checkAreaLsoas, checkAreaSize } from './cost';
import { UNPLACED_PARTITION } from './crime';
import { ValidationError } from './errors';
import type { CrimePoints, CrimePointsCache } from './crime-points';
import type { CrimeSelectionRequest } from './crime-selection';
import { liveCameraViews } from './planning/common';
import type { ReferenceService } from './reference';
import { strategicTable } from './strategic';

/** Which crimes an area's statistics count: dataset, types and months (no scope: the area is the place). */
export type AreaQuery = Pick<CrimeSelectionRequest, 'datasetId' | 'categories' | 'from' | 'to'>;

/** Crimes inside an area: a KD-tree range query on its bbox, then an exact point-in-polygon test. */
/** Whether the dataset was imported force by force (its unplaced crimes include ones inside other forces' LSOAs). */
const importedByForce = (dataset: DatasetSummary) => dataset.studyArea?.byForce === true;

export function pointsInside(points: Pick<CrimePoints, 'index'>, geometry: AreaGeometry): Uint32Array {
  return pointsInPolygon(points.index, geometry);
}

const SNAP_WARNING_SHARE = 0.5;

/** Everything the analyst's area panel shows, for a saved or an unsaved area. */
export class AreaAnalysisService {
  /** LSOA overlap shares by dataset version and geometry: polygon clipping is the slow part, and a panel asks again
   * for the same area whenever the categories or period change. */
  private readonly overlapCache = new Map<string, ReturnType<typeof overlapShares>>();

  constructor(
    private readonly reference: ReferenceService,
    private readonly points: CrimePointsCache,
    private readonly assets: AssetService,
    private readonly inside: typeof pointsInside = pointsInside,
  ) {}

  async analyse(principal: Principal, geometry: AreaGeometry, query: AreaQuery): Promise<AreaStats> {
    const dataset = await this.reference.resolveDataset(query.datasetId);
    if (!dataset.lastMonth) throw new ValidationError(`dataset "${dataset.id}" has no crime data`);
    const to = query.to ?? dataset.lastMonth;
    const from = query.from ?? addMonths(to, -11);
    if (from > to) throw new ValidationError(`invalid period: from (${from}) is after to (${to})`);
    const categories = query.categories.length > 0 ? query.categories : (['all-crime'] as CategorySelection[]);
    const wanted = new Uint8Array(CRIME_CATEGORIES.length);
    for (const c of categories) for (const slug of categoriesOf(c)) wanted[CATEGORY_INDEX[slug]] = 1;

    // Priced before any work: the area's size, then the crimes of the districts its box meets over the dataset's months.
    checkAreaSize(geometry, 'the area');
    const box = geometryBBox(geometry);
    const [lookup, index] = await Promise.all([this.reference.lsoaLookup(dataset), this.reference.partitionIndex(dataset)]);
    const lsoas = lookup.near(box);
    checkAreaLsoas(lsoas.length, 'the area');
    const districts = [...new Set(lsoas.map((l) => index.partitionOf(l.code)))];
    const months = dataset.firstMonth ? monthRange(dataset.firstMonth, dataset.lastMonth) : [];
    // The read is priced (with the unplaced crimes) before the clipping.
    await this.points.price(dataset, { months, partitions: [...districts, UNPLACED_PARTITION], what: 'the area' });
    // Crimes outside the study area (UNPLACED) that lie inside the area count too, as they always have; but an area
    // the study area's LSOAs cover whole cannot hold any in a dataset imported whole (they are by definition outside
    // every LSOA), so their partitions (holding the crimes without a location too) are then read only for an area that
    // reaches beyond the LSOAs. A dataset imported force by force keeps a force's crimes located in another force's
    // LSOAs unplaced: there they are always read.
    const shares = this.shares(dataset, geometry, lsoas);
    const skipUnplaced = !importedByForce(dataset) && this.coveredByLsoas(geometry, lsoas, shares);
    const partitions = skipUnplaced ? districts : [...districts, UNPLACED_PARTITION];
    const [points, cameras, helpPoints, pspoZones] = await Promise.all([
      this.points.points(dataset, { months, partitions, what: 'the area' }),
      this.assets.list(principal, 'cameras'),
      this.assets.list(principal, 'help-points'),
      this.assets.list(principal, 'pspo-zones'),
    ]);
    const inside = this.inside(points, geometry);
    const monthOf = (m: Month) => points.months.indexOf(m);
    const inPeriod = Uint8Array.from(points.months, (m) => (m >= from && m <= to ? 1 : 0));

    // One pass over the area's crimes: category × month counts, the selection, and the busiest snap point.
    const grid = new Uint32Array(CRIME_CATEGORIES.length * Math.max(1, points.months.length));
    const selected: number[] = [];
    for (const i of inside) {
      const c = points.category[i]!;
      const m = points.month[i]!;
      grid[c * points.months.length + m]! += 1;
      if (wanted[c] && inPeriod[m]) selected.push(i);
    }
    const available = new Set(points.months);
    const count = (c: number, month: Month) => {
      const m = monthOf(month);
      return m < 0 ? 0 : grid[c * points.months.length + m]!;
    };

    const byCategory = CRIME_CATEGORIES.map((c, ci) => ({
      key: c.slug as string,
      label: c.label,
      count: wanted[ci] ? monthRange(from, to).reduce((s, m) => s + count(ci, m), 0) : 0,
    })).filter((r) => wanted[CATEGORY_INDEX[r.key as keyof typeof CATEGORY_INDEX]]);
    const trend = points.months.map((m) => ({ month: m, count: CRIME_CATEGORIES.reduce((s, _, ci) => s + (wanted[ci] ? count(ci, m) : 0), 0) }));

    const byCode = new Map(lsoas.map((l) => [l.code, l]));
    const lsoaRows = shares
      .map((s) => {
        const l = byCode.get(s.code)!;
        return {
          code: s.code,
          name: l.name,
          shareInside: roundHalfAway(s.shareInside, 3),
          population: l.population,
          populationInside: l.population === null ? null : Math.round(l.population * s.shareInside),
        };
      })
      .sort((a, b) => b.shareInside - a.shareInside);
    const populationInside = lsoaRows.some((r) => r.populationInside === null) ? null : lsoaRows.reduce((s, r) => s + r.populationInside!, 0);

    const area = createPolygonLocator([{ code: 'area', geometry }]);
    const camerasInside = cameras
      .filter((c) => area.locate(c.location.coordinates[0], c.location.coordinates[1]))
      .map((c) => ({ id: c.id, name: c.name, type: c.type, status: c.status }));
    // The planner's coverage model, camera for camera and metre for metre (BNG): see AreaStats.cctv.crimesCovered.
    const seen = coveredAmong(points.index, selected, liveCameraViews(cameras));
    let crimesCovered = 0;
    for (const s of seen) crimesCovered += s;
    const toArea = distanceToArea(geometry);
    const nearest = helpPoints
      .map((h) => ({ id: h.id, name: h.name, status: h.status, distanceM: Math.round(toArea(h.location.coordinates)) }))
      .sort((a, b) => a.distanceM - b.distanceM)[0] ?? null;
    const zones = pspoZones
      .filter((z) => areasIntersect(geometry, z.geometry))
      .map((z) => ({ id: z.id, name: z.name, prohibitions: z.prohibitions, startDate: z.startDate, endDate: z.endDate }));

    let busiestPoint: AreaStats['busiestPoint'] = null;
    if (selected.length > 0) {
      // Published coordinates have 6 decimals: micro-degrees packed in one integer key, exact (< 2^53) for every
      // point within the UK bounds (longitude -10°…+3°, latitude 0°…100° gives at most 1.3e15).
      const tally = new Map<number, { n: number; first: number }>();
      let best = { n: 0, first: -1 };
      for (const i of selected) {
        const key = (Math.round(points.lon[i]! * 1e6) + 1e7) * 1e8 + Math.round(points.lat[i]! * 1e6);
        let t = tally.get(key);
        if (!t) tally.set(key, (t = { n: 0, first: i }));
        t.n++;
        if (t.n > best.n) best = t;
      }
      busiestPoint = { share: shareOf(best.n, selected.length)!, count: best.n, location: points.locations[points.location[best.first]!] ?? '' };
    }

    const notes: string[] = [];
    if (dataset.synthetic) notes.push('Synthetic demo data: generated figures, not real crime.');
    if (busiestPoint && busiestPoint.share > SNAP_WARNING_SHARE && selected.length >= 10) {
      notes.push(`${percentOf(busiestPoint.count, selected.length, 0)} % of these crimes sit on one published point (${busiestPoint.location}): police.uk snaps crimes to map points, so this may be one address rather than a street problem.`);
    }
    if (categories.includes('neighbourhood-crime')) notes.push('Neighbourhood crime from police.uk includes business burglary and robbery, so it over-counts the Home Office measure.');
    notes.push('Crime points are police.uk anonymised snap points; population inside is area-weighted from the LSOAs overlapped.');

    return {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      areaKm2: Math.round(areaSquareMetres(geometry) / 1e4) / 100,
      period: { from, to, months: monthRange(from, to).length },
      categories: categories.map((c) => ({ key: c, label: selectionLabel(c) })),
      total: selected.length,
      byCategory,
      trend,
      strategic: strategicTable(count, to, available),
      lsoas: lsoaRows,
      populationInside,
      cctv: {
        camerasInside,
        crimesCovered,
        shareCovered: shareOf(crimesCovered, selected.length),
        nearestHelpPoint: nearest,
      },
      pspoZones: zones,
      busiestPoint,
      notes,
    };
  }

  /**
   * Whether the LSOAs cover the whole area: the areas of their parts inside it add up to the area's own (to one part
   * in a million, so float rounding never reads as a gap). LSOAs tile their districts without gaps or overlaps.
   */
  private coveredByLsoas(geometry: AreaGeometry, lsoas: Lsoa[], shares: { code: string; shareInside: number }[]): boolean {
    const byCode = new Map(lsoas.map((l) => [l.code, l]));
    let covered = 0;
    for (const s of shares) {
      const l = byCode.get(s.code);
      if (l && s.shareInside > 0) covered += s.shareInside * this.lsoaArea(l);
    }
    return covered >= areaSquareMetres(geometry) * (1 - 1e-6);
  }

  private readonly lsoaAreas = new WeakMap<Lsoa, number>();
  private lsoaArea(l: Lsoa): number {
    let a = this.lsoaAreas.get(l);
    if (a === undefined) this.lsoaAreas.set(l, (a = areaSquareMetres(l.geometry)));
    return a;
  }

  private shares(dataset: DatasetSummary, geometry: AreaGeometry, lsoas: Lsoa[]) {
    const key = `${dataset.id}@${dataset.version}|${JSON.stringify(geometry.coordinates)}`;
    let hit = this.overlapCache.get(key);
    if (hit) {
      this.overlapCache.delete(key);
    } else {
      hit = overlapShares(geometry, lsoas.map((l) => ({ code: l.code, geometry: l.geometry, bbox: l.bbox })));
      if (this.overlapCache.size >= 200) this.overlapCache.delete(this.overlapCache.keys().next().value!);
    }
    this.overlapCache.set(key, hit); // most recently used last
    return hit;
  }
}
