import {
  HOTSPOT_CATEGORIES,
  HOTSPOT_CLASSIFY_DEFAULTS,
  assignCells,
  cellArea,
  cellsToGeoJSON,
  classifyHotspots,
  countCells,
  dualKde,
  giStar,
  kde,
  maskSize,
  monthPeriods,
  significantCells,
  snapPointCheck,
  topHotspots,
  uniqueCoordinates,
} from '@safer-places/geo';
import type { DensityQuery, DensityResult, HotspotChangeQuery, HotspotChangeResult, HotspotQuery, HotspotResult, Lsoa } from '@safer-places/schemas';
import { monthOrdinal, ordinalMonth, selectionLabel } from '@safer-places/schemas';
import { UNPLACED_LSOA } from './crime';
import type { CrimePoints, CrimePointsCache } from './crime-points';
import { CrimeSelection, categoryMask, type CrimeSelectionRequest } from './crime-selection';
import { ValidationError } from './errors';
import type { ReferenceService } from './reference';
import type { ScopeResolver } from './scope';

/** What every hot spot analysis takes: the crimes (dataset, scope, types, months) and the grid. */
export type HotspotGridRequest = CrimeSelectionRequest & Pick<HotspotQuery, 'cellSize' | 'shape'>;
export type HotspotRequest = HotspotGridRequest & Pick<HotspotQuery, 'correction' | 'top'>;
export type HotspotChangeRequest = HotspotGridRequest &
  Pick<HotspotChangeQuery, 'correction' | 'periods' | 'hotspotProp' | 'persistentProp' | 'recentProp' | 'criticalP'>;
export type DensityRequest = HotspotGridRequest & Pick<DensityQuery, 'bandwidth' | 'perResidents'>;

/** At most this many cells are returned as polygons; the rest are counted. */
export const MAX_HOTSPOT_CELLS = 5000;
export { MAX_TOP_CATEGORIES } from './crime-selection';
/** A hot cell is checked for snapping only with at least this many crimes: 2 of 3 on one point says little. */
export const SNAP_CHECK_MIN_CRIMES = 5;
/** Cell outlines are sent with 6 decimals of a degree (~0.1 m): exact enough for 50 m cells, a third of the bytes. */
export const CELL_COORDINATE_DECIMALS = 6;
/** Density classes: the share of study-area cells with any density that each class's lower bound leaves above it. */
export const DENSITY_CLASS_TOP_SHARES = [0.5, 0.25, 0.1, 0.05, 0.01] as const;

const GI_NOTE =
  "Gi* z-scores inside the chosen scope (its LSOAs, or the drawn area or map view): the grid, the neighbourhood, the FDR family and every rank stop at its edge; neighbours within cell size × √2 including the cell itself; classes ±3/±2/±1 are 99/95/90 % confidence after the correction.";
const SNAP_NOTE =
  'Police.uk publishes each crime at one of a fixed set of map points near where it happened; where most of a cell\'s or spot\'s crimes sit on one point, that may be one address (a shop, a station) rather than a street problem.';

/**
 * Hot spot analysis on a metric grid (British National Grid) over the dataset's LSOAs: Getis-Ord Gi* hot and cold
 * spots with a multiple-testing correction, the top-N patrol-sized hot spots (≤ 150 m radius, ≥ 500 m apart) per crime
 * type, hot-spot change over sub-periods, and kernel density (optionally per 1,000 residents).
 */
export class HotspotService {
  /** Crime selection, projection and study grids, shared with the planner's services (and their caches). */
  readonly selection: CrimeSelection;

  constructor(reference: ReferenceService, points: CrimePointsCache, scopes: ScopeResolver) {
    this.selection = new CrimeSelection(reference, points, scopes);
  }

  async hotspots(request: HotspotRequest): Promise<HotspotResult> {
    const s = await this.selection.select(request, 12);
    const { grid, mask } = await this.selection.studyGrid(s.scope, request.cellSize, request.shape);
    const cellOfPoint = assignCells(grid, s.projected.xy);
    const counts = countCells(grid, cellOfPoint, s.selected);
    const gi = giStar(grid, counts, { mask, correction: request.correction });
    const cells = significantCells(gi, 1);
    const hotCells = Array.from(cells).filter((c) => gi.classes[c]! > 0 && counts[c]! >= SNAP_CHECK_MIN_CRIMES);
    const coords = uniqueCoordinates(s.projected.xy, s.selected);
    const snap = new Map(snapPointCheck(s.projected.xy, cellOfPoint, hotCells, { indices: s.selected, coords }).map((c) => [c.cell, c]));
    const shown = cells.length > MAX_HOTSPOT_CELLS ? [...cells].sort((a, b) => Math.abs(gi.z[b]!) - Math.abs(gi.z[a]!)).slice(0, MAX_HOTSPOT_CELLS) : cells;
    const features = cellsToGeoJSON(
      grid,
      shown,
      (cell) => {
        const check = snap.get(cell);
        // The snap-point fields only where the cell was checked, the warning only when raised: most cells carry neither.
        return {
          cell,
          count: counts[cell]!,
          z: Math.round(gi.z[cell]! * 1000) / 1000,
          pAdjusted: significant4(gi.pAdjusted[cell]!),
          class: gi.classes[cell]!,
          ...(check && { busiestPointShare: round3(check.share) }),
          ...(check?.flagged && { snapPointWarning: true }),
        };
      },
      { decimals: CELL_COORDINATE_DECIMALS },
    ).features;

    const lsoas = await this.selection.reference.lsoas(s.dataset);
    const top = s.topSelections.map((key) => {
      const wanted = categoryMask([key]);
      const indices = s.selected.filter((i) => wanted[s.points.category[i]!]);
      const spots = topHotspots(s.projected.xy, { n: request.top, indices, locations: s.projected.locations, lonLat: s.projected.lonLat });
      return {
        key,
        label: selectionLabel(key),
        crimes: indices.length,
        spots: spots.map((spot) => ({
          rank: spot.rank,
          lon: spot.lon,
          lat: spot.lat,
          count: spot.count,
          radiusM: Math.round(spot.radius),
          location: spot.location?.text ?? null,
          ...s.place(spot.lon, spot.lat),
          ...spotLsoa(s.points, s.projected.lonLat, spot, lsoas),
          busiestPointShare: round3(spot.topCoordinate.share),
          snapPointWarning: spot.snapPointWarning,
        })),
      };
    });
    const flaggedCells = features.filter((f) => f.properties.snapPointWarning).length;
    const flaggedSpots = top.some((t) => t.spots.some((spot) => spot.snapPointWarning));
    return {
      ...s.header,
      grid: { shape: grid.shape, cellSizeM: grid.cellSize, studyAreaCells: gi.n, correction: gi.correction },
      hot: cells.filter((c) => gi.classes[c]! > 0).length,
      cold: cells.filter((c) => gi.classes[c]! < 0).length,
      snapPointCells: flaggedCells,
      truncated: cells.length > shown.length,
      cells: { type: 'FeatureCollection' as const, features },
      top,
      notes: [GI_NOTE, ...(flaggedCells > 0 || flaggedSpots ? [SNAP_NOTE] : []), ...s.notes],
    };
  }

  /**
   * Hot-spot change: the period (default the whole dataset) is split into sub-periods, Gi* is run in each, and every
   * cell is classified emerging / persistent / intermittent / former (hot or cold) from the sub-periods it was
   * significant in. The thresholds are echoed back so the legend can state them.
   */
  async change(request: HotspotChangeRequest): Promise<HotspotChangeResult> {
    const s = await this.selection.select(request, 'all');
    const { grid, mask } = await this.selection.studyGrid(s.scope, request.cellSize, request.shape);
    const cellOfPoint = assignCells(grid, s.projected.xy);
    const ordinal = s.points.months.map(monthOrdinal);
    const monthOfPoint = Int32Array.from(s.points.month, (m) => ordinal[m]!);
    const first = monthOrdinal(s.from);
    const last = monthOrdinal(s.to);
    const periods = request.periods ?? HOTSPOT_CLASSIFY_DEFAULTS.periods;
    if (last - first + 1 < 2) throw new ValidationError('hot-spot change needs a period of at least 2 months');
    const split = monthPeriods(monthOfPoint, first, last, periods);
    const rules = {
      hotspotProp: request.hotspotProp ?? HOTSPOT_CLASSIFY_DEFAULTS.hotspotProp,
      persistentProp: request.persistentProp ?? HOTSPOT_CLASSIFY_DEFAULTS.persistentProp,
      recentProp: request.recentProp ?? HOTSPOT_CLASSIFY_DEFAULTS.recentProp,
      criticalP: request.criticalP ?? HOTSPOT_CLASSIFY_DEFAULTS.criticalP,
    };
    let result;
    try {
      result = classifyHotspots(grid, cellOfPoint, split.periodOfPoint, split.periodCount, { mask, correction: request.correction, indices: s.selected, ...rules });
    } catch (err) {
      if (err instanceof RangeError) throw new ValidationError(err.message.replace(/^classifyHotspots: /, ''));
      throw err;
    }
    const counts = countCells(grid, cellOfPoint, s.selected);
    const patterned: number[] = [];
    for (let c = 0; c < result.category.length; c++) if (result.category[c]! > 0) patterned.push(c);
    const shown = patterned.length > MAX_HOTSPOT_CELLS ? [...patterned].sort((a, b) => counts[b]! - counts[a]!).slice(0, MAX_HOTSPOT_CELLS) : patterned;
    const bits = (b: number) => Array.from({ length: result.periodCount }, (_, p) => ((b >>> p) & 1) === 1);
    const features = cellsToGeoJSON(grid, shown, (cell) => ({
      cell,
      count: counts[cell]!,
      category: HOTSPOT_CATEGORIES[result.category[cell]!]!,
      hotPeriods: bits(result.hotBits[cell]!).filter(Boolean).length,
      coldPeriods: bits(result.coldBits[cell]!).filter(Boolean).length,
      // One character per sub-period, oldest first: H hot, C cold, · neither.
      pattern: bits(result.hotBits[cell]!).map((hot, p) => (hot ? 'H' : ((result.coldBits[cell]! >>> p) & 1) === 1 ? 'C' : '·')).join(''),
    }), { decimals: CELL_COORDINATE_DECIMALS }).features;
    const summary = Object.fromEntries(HOTSPOT_CATEGORIES.slice(1).map((c) => [c, 0])) as Record<string, number>;
    for (const c of patterned) summary[HOTSPOT_CATEGORIES[result.category[c]!]!]!++;
    const subPeriods = split.firstMonthOfPeriod.map((m, p) => {
      const end = p + 1 < split.firstMonthOfPeriod.length ? split.firstMonthOfPeriod[p + 1]! - 1 : last;
      return { from: ordinalMonth(m), to: ordinalMonth(end), crimes: result.crimesPerPeriod[p]! };
    });
    return {
      ...s.header,
      grid: { shape: grid.shape, cellSizeM: grid.cellSize, studyAreaCells: maskSize(mask), correction: request.correction },
      rules: { ...rules, periods: result.periodCount, recentPeriods: result.recentPeriods },
      subPeriods,
      summary,
      truncated: patterned.length > shown.length,
      cells: { type: 'FeatureCollection' as const, features },
      notes: [
        `The period is split into ${result.periodCount} sub-periods; Gi* runs in each (${request.correction === 'none' ? 'no correction' : request.correction === 'fdr' ? 'Benjamini–Hochberg FDR' : 'Holm'}, p < ${rules.criticalP}). The last ${result.recentPeriods} are "recent".`,
        `Persistent: significant in at least ${pct(rules.persistentProp)} of sub-periods. Emerging: in the recent sub-periods only. Former: before but not recently. Intermittent: in at least ${pct(rules.hotspotProp)} otherwise.`,
        ...s.notes,
      ],
    };
  }

  /** Kernel density (quartic kernel) on the grid, as crimes per km² or, with population, per 1,000 residents. */
  async density(request: DensityRequest): Promise<DensityResult> {
    const s = await this.selection.select(request, 12);
    const grid0 = await this.selection.studyGrid(s.scope, request.cellSize, request.shape, request.perResidents);
    const { grid, mask } = grid0;
    if (request.perResidents && !grid0.population) throw new ValidationError(`dataset "${s.dataset.id}" has no population figures for a rate per 1,000 residents`);
    if (s.selected.length === 0) throw new ValidationError('no crimes of the chosen types in the chosen period');
    const options = { indices: s.selected, mask, ...(request.bandwidth !== undefined && { bandwidth: request.bandwidth }) };
    const dual = request.perResidents ? dualKde(grid, s.projected.xy, grid0.population!, options) : null;
    const res = dual ?? kde(grid, s.projected.xy, options);
    const value: Float64Array = dual ? dual.rate : res.density;
    const inStudy: number[] = [];
    for (let c = 0; c < value.length; c++) if (value[c]! > 0) inStudy.push(c);
    inStudy.sort((a, b) => value[b]! - value[a]!);
    const breaks = DENSITY_CLASS_TOP_SHARES.map((share) => value[inStudy[Math.max(0, Math.ceil(share * inStudy.length) - 1)]!] ?? 0);
    const above = inStudy.slice(0, Math.ceil(DENSITY_CLASS_TOP_SHARES[0] * inStudy.length));
    const shown = above.slice(0, MAX_HOTSPOT_CELLS);
    const features = cellsToGeoJSON(grid, shown, (cell) => {
      const v = value[cell]!;
      let cls = 0;
      for (let k = 0; k < breaks.length; k++) if (v >= breaks[k]!) cls = k + 1;
      return { cell, value: round3(v), class: cls };
    }, { decimals: CELL_COORDINATE_DECIMALS }).features;
    const bandwidthReason = res.automatic ? res.automatic.reason : `Bandwidth ${Math.round(res.bandwidth).toLocaleString('en-GB')} m, as chosen.`;
    return {
      ...s.header,
      grid: { shape: grid.shape, cellSizeM: grid.cellSize, cellAreaM2: Math.round(cellArea(grid)), studyAreaCells: maskSize(mask) },
      measure: request.perResidents ? ('per-1000-residents' as const) : ('per-km2' as const),
      unit: request.perResidents ? 'crimes per 1,000 residents' : 'crimes per km²',
      bandwidthM: Math.round(res.bandwidth),
      bandwidthDefault: request.bandwidth === undefined,
      bandwidthReason,
      classes: DENSITY_CLASS_TOP_SHARES.map((share, k) => ({ topShare: share, from: round3(breaks[k]!) })),
      truncated: above.length > shown.length,
      cells: { type: 'FeatureCollection' as const, features },
      notes: [
        bandwidthReason,
        'Quartic kernel density; cells show the densest half of the study area.',
        ...(request.perResidents ? ['Per 1,000 residents: crime density over Census 2021 resident density with the same kernel; cells with fewer than 100 residents within the bandwidth are left out.'] : []),
        ...s.notes,
      ],
    };
  }
}

/** The LSOA of a located spot: its code and name (null when it lies in none of the study area's LSOAs). */
export interface SpotLsoa {
  lsoaCode: string | null;
  lsoaName: string | null;
}

/** LSOA code → name per LSOA list (the reference service keeps one list per dataset version). */
const lsoaNameMaps = new WeakMap<readonly Lsoa[], Map<string, string>>();

function lsoaNames(lsoas: readonly Lsoa[]): Map<string, string> {
  let names = lsoaNameMaps.get(lsoas);
  if (!names) {
    names = new Map(lsoas.map((l) => [l.code, l.name]));
    lsoaNameMaps.set(lsoas, names);
  }
  return names;
}

/**
 * The LSOA a spot's centre lies in, so a location reads "On or near Supermarket, Bulwell 003B" rather than the same text
 * repeated across a county: the LSOA the spot's crime nearest its centre was placed in. The centre is a published
 * police.uk point and its crimes are among the members, so this is the LSOA whose boundary holds the centre (the
 * importer places every point by the same boundaries the ward and district come from); no index is searched.
 * `lonLat` is the points' interleaved longitude and latitude, `members` indices into it and into `points.lsoa`.
 */
export function spotLsoa(points: Pick<CrimePoints, 'lsoa' | 'lsoaCodes'>, lonLat: Float64Array, spot: { lon: number; lat: number; members: ArrayLike<number> }, lsoas: readonly Lsoa[]): SpotLsoa {
  let nearest = -1;
  let best = Infinity;
  for (let k = 0; k < spot.members.length; k++) {
    const i = spot.members[k]!;
    const d = (lonLat[2 * i]! - spot.lon) ** 2 + (lonLat[2 * i + 1]! - spot.lat) ** 2;
    if (d < best) {
      best = d;
      nearest = i;
    }
  }
  const code = nearest >= 0 ? points.lsoaCodes[points.lsoa[nearest]!] : undefined;
  if (!code || code === UNPLACED_LSOA) return { lsoaCode: null, lsoaName: null };
  return { lsoaCode: code, lsoaName: lsoaNames(lsoas).get(code) ?? null };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
/** Four significant digits (p-values span many orders of magnitude; the panel shows three decimals or "< 0.001"). */
const significant4 = (x: number) => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(4)));
const pct = (x: number) => `${Math.round(x * 100)} %`;
