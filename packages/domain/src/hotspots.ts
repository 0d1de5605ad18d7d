import {
  areasExtent,
  cellsToGeoJSON,
  createGrid,
  giStar,
  gridCounts,
  gridMask,
  significantCells,
  toBng,
  topHotspots,
  type Grid,
} from '@safer-places/geo';
import type { CategorySelection, DatasetSummary, Month } from '@safer-places/schemas';
import { CATEGORY_INDEX, CRIME_CATEGORIES, categoriesOf, selectionLabel } from '@safer-places/schemas';
import type { CrimePoints, CrimePointsCache } from './crime-points';
import { ValidationError } from './errors';
import { addMonths, monthRange } from './months';
import type { ReferenceService } from './reference';

export interface HotspotRequest {
  datasetId?: string;
  categories: CategorySelection[];
  from?: Month;
  to?: Month;
  cellSize?: number;
  shape: 'square' | 'hex';
  correction: 'fdr' | 'holm' | 'none';
  top: number;
}

/** At most this many significant cells are returned as polygons; the rest are counted. */
export const MAX_HOTSPOT_CELLS = 5000;

/**
 * Getis-Ord Gi* hot and cold spots on a metric grid (British National Grid) over the dataset's LSOAs, with the
 * chosen multiple-testing correction, plus the top-N patrol-sized hot spots (≤ 150 m radius, ≥ 500 m apart).
 */
export class HotspotService {
  private readonly bng = new WeakMap<CrimePoints, { xy: Float64Array; lonLat: Float64Array; locations: string[] }>();
  private readonly grids = new Map<string, { grid: Grid; mask: Uint8Array }>();

  constructor(
    private readonly reference: ReferenceService,
    private readonly points: CrimePointsCache,
  ) {}

  async hotspots(request: HotspotRequest) {
    const dataset = await this.reference.resolveDataset(request.datasetId);
    if (!dataset.lastMonth) throw new ValidationError(`dataset "${dataset.id}" has no crime data`);
    const to = request.to ?? dataset.lastMonth;
    const from = request.from ?? addMonths(to, -11);
    if (from > to) throw new ValidationError(`invalid period: from (${from}) is after to (${to})`);
    const categories = request.categories.length > 0 ? request.categories : (['all-crime'] as CategorySelection[]);
    const wanted = new Uint8Array(CRIME_CATEGORIES.length);
    for (const c of categories) for (const slug of categoriesOf(c)) wanted[CATEGORY_INDEX[slug]] = 1;

    const points = await this.points.get(dataset);
    const projected = this.projected(points);
    const inPeriod = Uint8Array.from(points.months, (m) => (m >= from && m <= to ? 1 : 0));
    const selected: number[] = [];
    for (let i = 0; i < points.count; i++) if (wanted[points.category[i]!] && inPeriod[points.month[i]!]) selected.push(i);

    const { grid, mask } = await this.studyGrid(dataset, request.cellSize, request.shape);
    const counts = gridCounts(grid, projected.xy, selected);
    const gi = giStar(grid, counts, { mask, correction: request.correction });
    const cells = significantCells(gi, 1);
    const shown = cells.length > MAX_HOTSPOT_CELLS ? [...cells].sort((a, b) => Math.abs(gi.z[b]!) - Math.abs(gi.z[a]!)).slice(0, MAX_HOTSPOT_CELLS) : cells;
    const features = cellsToGeoJSON(grid, shown, (cell) => ({
      cell,
      count: counts[cell]!,
      z: Math.round(gi.z[cell]! * 1000) / 1000,
      pAdjusted: gi.pAdjusted[cell]!,
      class: gi.classes[cell]!,
    })).features;
    const top = topHotspots(projected.xy, { n: request.top, indices: selected, locations: projected.locations, lonLat: projected.lonLat }).map((s) => ({
      rank: s.rank,
      lon: s.lon,
      lat: s.lat,
      count: s.count,
      radiusM: Math.round(s.radius),
      location: s.location?.text ?? null,
      busiestPointShare: Math.round(s.topCoordinate.share * 1000) / 1000,
      snapPointWarning: s.snapPointWarning,
    }));
    return {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      period: { from, to, months: monthRange(from, to).length },
      categories: categories.map((c) => ({ key: c, label: selectionLabel(c) })),
      crimes: selected.length,
      grid: { shape: grid.shape, cellSizeM: grid.cellSize, studyAreaCells: gi.n, correction: gi.correction },
      hot: cells.filter((c) => gi.classes[c]! > 0).length,
      cold: cells.filter((c) => gi.classes[c]! < 0).length,
      truncated: cells.length > shown.length,
      cells: { type: 'FeatureCollection' as const, features },
      top,
      notes: [
        'Gi* z-scores over the study area (the dataset\'s LSOAs), neighbours within cell size × √2 including the cell itself; classes ±3/±2/±1 are 99/95/90 % confidence after the correction.',
        ...(dataset.synthetic ? ['Synthetic demo data: generated figures, not real crime.'] : []),
        ...(top.some((s) => s.snapPointWarning) ? ['Some hot spots have most of their crimes on one published point: police.uk snaps crimes to map points, so these may be one address.'] : []),
      ],
    };
  }

  /** BNG metres for every point, computed once per loaded dataset. */
  private projected(points: CrimePoints) {
    let hit = this.bng.get(points);
    if (!hit) {
      const lonLat = new Float64Array(points.count * 2);
      for (let i = 0; i < points.count; i++) {
        lonLat[2 * i] = points.lon[i]!;
        lonLat[2 * i + 1] = points.lat[i]!;
      }
      const locations = Array.from(points.location, (l) => points.locations[l]!);
      hit = { xy: toBng(lonLat), lonLat, locations };
      this.bng.set(points, hit);
    }
    return hit;
  }

  private async studyGrid(dataset: DatasetSummary, cellSize: number | undefined, shape: 'square' | 'hex') {
    const key = `${dataset.id}@${dataset.version}|${cellSize ?? 'auto'}|${shape}`;
    let hit = this.grids.get(key);
    if (!hit) {
      const areas = (await this.reference.lsoas(dataset)).map((l) => l.geometry);
      const grid = createGrid(areasExtent(areas), { shape, ...(cellSize && { cellSize }) });
      hit = { grid, mask: gridMask(grid, areas) };
      if (this.grids.size > 20) this.grids.clear();
      this.grids.set(key, hit);
    }
    return hit;
  }
}
