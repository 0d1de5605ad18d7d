import { areasExtent, autoCellSize, createGrid, gridMask, pointTree, populationGrid, toBng, type Grid } from '@safer-places/geo';
import type { AnalysisHeader, CategorySelection, Month, Principal, Scope } from '@safer-places/schemas';
import { CATEGORY_INDEX, CRIME_CATEGORIES, addMonths, categoriesOf, monthRange, selectionLabel } from '@safer-places/schemas';
import type { CrimePoints, CrimePointsCache } from './crime-points';
import { ValidationError } from './errors';
import type { ReferenceService } from './reference';
import type { ResolvedScope, ScopeResolver } from './scope';

/** What selects crimes for an analysis: dataset, place (scope), crime types and months. */
export interface CrimeSelectionRequest {
  datasetId?: string;
  /** The place: default the dataset's study area. */
  scope?: Scope;
  /** Who asks: needed for scopes of organisation items (partnership areas, drawn areas). */
  principal?: Principal;
  categories: CategorySelection[];
  from?: Month;
  to?: Month;
}

/**
 * The crime selection of a parsed analysis query or body: the API's `dataset` is the use cases' `datasetId`, and no
 * categories means all crime. The one place the two vocabularies meet.
 */
export function crimeSelectionOf(
  q: { dataset?: string | undefined; scope?: Scope | undefined; categories?: CategorySelection[] | undefined; from?: Month | undefined; to?: Month | undefined },
  principal?: Principal,
): CrimeSelectionRequest {
  return {
    ...(principal && { principal }),
    ...(q.dataset && { datasetId: q.dataset }),
    ...(q.scope && { scope: q.scope }),
    categories: q.categories ?? [],
    ...(q.from && { from: q.from }),
    ...(q.to && { to: q.to }),
  };
}

/** A dataset's crime points in British National Grid metres, with their published lon/lat and location texts. */
export interface ProjectedPoints {
  xy: Float64Array;
  lonLat: Float64Array;
  locations: string[];
}

/** At most this many crime types get a top-N table of their own (the seeds' "top 10 hot spots of three crime types"). */
export const MAX_TOP_CATEGORIES = 3;

/**
 * The shared first step of every crime analysis (hot spots, patrol plans, camera coverage): which dataset, which
 * months and which crimes. Only the scope's partitions over the period are read (priced first: LimitExceededError
 * over a limit), from the crime-points cache, which keeps the assembled points of a scope and period with their BNG
 * projection; the KD-tree and the study-area grid are cached too. One instance is shared by the services so they share
 * the caches.
 */
export class CrimeSelection {
  private readonly bng = new WeakMap<CrimePoints, ProjectedPoints>();
  private readonly trees = new WeakMap<CrimePoints, ReturnType<typeof pointTree>>();
  private readonly grids = new Map<string, { grid: Grid; mask: Uint8Array; population?: Float64Array }>();

  constructor(
    readonly reference: ReferenceService,
    readonly points: CrimePointsCache,
    readonly scopes: ScopeResolver,
  ) {}

  /** The dataset, period and selected crimes of a request; `defaultMonths` is the default period length. */
  async select(request: CrimeSelectionRequest, defaultMonths: number | 'all') {
    const dataset = await this.reference.resolveDataset(request.datasetId);
    if (!dataset.lastMonth || !dataset.firstMonth) throw new ValidationError(`dataset "${dataset.id}" has no crime data`);
    const to = request.to ?? dataset.lastMonth;
    const from = request.from ?? (defaultMonths === 'all' ? dataset.firstMonth : maxMonth(dataset.firstMonth, addMonths(to, -(defaultMonths - 1))));
    if (from > to) throw new ValidationError(`invalid period: from (${from}) is after to (${to})`);
    const categories = request.categories.length > 0 ? request.categories : (['all-crime'] as CategorySelection[]);
    const wanted = categoryMask(categories);
    const scope = await this.scopes.resolve(request.principal, dataset, request.scope);
    // Only the scope's partitions over the period are read, priced first (a LimitExceededError over a limit).
    const points = await this.points.points(dataset, { months: monthRange(from, to), partitions: scope.partitions, what: placeName(scope) });
    const inScope = this.scopes.pointMask(points, scope);
    const projected = this.projected(points);
    const inPeriod = Uint8Array.from(points.months, (m) => (m >= from && m <= to ? 1 : 0));
    const selected: number[] = [];
    for (let i = 0; i < points.count; i++) if (inScope[i] && wanted[points.category[i]!] && inPeriod[points.month[i]!]) selected.push(i);
    const [place, contains] = await Promise.all([this.scopes.placeFinder(dataset), this.scopes.containsFn(scope)]);
    const header: AnalysisHeader = {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      scope: scope.summary,
      period: { from, to, months: monthRange(from, to).length },
      categories: categories.map((c) => ({ key: c, label: selectionLabel(c) })),
      crimes: selected.length,
    };
    return {
      dataset,
      scope,
      /** Whether a point (a camera, a site) lies in the scope. */
      contains,
      /** Ward and district of a location, for every place a user reads. */
      place,
      points,
      projected,
      selected,
      from,
      to,
      categories,
      topSelections: categories.slice(0, MAX_TOP_CATEGORIES),
      header,
      notes: dataset.synthetic ? ['Synthetic demo data: generated figures, not real crime.'] : [],
    };
  }

  /**
   * BNG metres for every point, once per loaded set of points (the cache projects each unit as it reads it, so this is
   * usually a copy-free view; the KD-tree's interleaved lon/lat is reused).
   */
  projected(points: CrimePoints): ProjectedPoints {
    let hit = this.bng.get(points);
    if (!hit) {
      let lonLat = points.index.xy;
      if (lonLat.length !== points.count * 2) {
        lonLat = new Float64Array(points.count * 2);
        for (let i = 0; i < points.count; i++) {
          lonLat[2 * i] = points.lon[i]!;
          lonLat[2 * i + 1] = points.lat[i]!;
        }
      }
      const locations = Array.from(points.location, (l) => points.locations[l]!);
      hit = { xy: points.bng && points.bng.length === points.count * 2 ? points.bng : toBng(lonLat), lonLat, locations };
      this.bng.set(points, hit);
    }
    return hit;
  }

  /** A KD-tree over the BNG points, built once per set of points (camera coverage, crimes near a spot). */
  tree(points: CrimePoints): ReturnType<typeof pointTree> {
    let hit = this.trees.get(points);
    if (!hit) {
      hit = pointTree(this.projected(points).xy);
      this.trees.set(points, hit);
    }
    return hit;
  }

  /**
   * The grid over the scope (its LSOAs, or the drawn area / map view) and the scope's mask (and, when asked, residents
   * per cell), cached. The Gi* neighbourhood, the FDR family and every rank are computed inside this mask. A grid over
   * the size limit is refused before it is built.
   */
  async studyGrid(scope: ResolvedScope, cellSize: number | undefined, shape: 'square' | 'hex', withPopulation = false) {
    const { dataset } = scope;
    const key = `${dataset.id}@${dataset.version}|${scope.summary.key}|${cellSize ?? 'auto'}|${shape}`;
    let hit = scope.scope.kind === 'area' || scope.scope.kind === 'partnership' ? undefined : this.grids.get(key);
    if (!hit || (withPopulation && !hit.population)) {
      const areas = scope.areas;
      const extent = areasExtent(areas);
      const size = cellSize ?? autoCellSize(extent);
      this.scopes.checkGridSize(scope, size, shape === 'hex' ? Math.sqrt(3) / 2 : 1);
      const grid = hit?.grid ?? createGrid(extent, { shape, cellSize: size });
      const next: { grid: Grid; mask: Uint8Array; population?: Float64Array } = { grid, mask: hit?.mask ?? gridMask(grid, areas) };
      if (withPopulation) {
        const withPop = scope.lsoas.filter((l) => l.population !== null && l.population > 0);
        if (withPop.length > 0) next.population = populationGrid(grid, withPop.map((l) => ({ geometry: l.geometry, population: l.population! }))).population;
      }
      hit = next;
      if (this.grids.size > 20) this.grids.clear();
      this.grids.set(key, hit);
    }
    return hit;
  }
}

/** How a limit message names a scope's place: "the study area", "Mansfield", "the drawn area …". */
export function placeName(scope: ResolvedScope): string {
  switch (scope.scope.kind) {
    case 'study-area':
      return 'the study area';
    case 'view':
      return 'the map view';
    case 'area':
      return scope.summary.label.replace(/^Drawn area: (.*)$/, 'the drawn area "$1"');
    default:
      return scope.summary.label;
  }
}

/** Kept for the bid code's imports; month arithmetic lives in @safer-places/schemas (months.ts). */

export function categoryMask(categories: readonly CategorySelection[]): Uint8Array {
  const wanted = new Uint8Array(CRIME_CATEGORIES.length);
  for (const c of categories) for (const slug of categoriesOf(c)) wanted[CATEGORY_INDEX[slug]] = 1;
  return wanted;
}

function maxMonth(a: Month, b: Month): Month {
  return a > b ? a : b;
}
