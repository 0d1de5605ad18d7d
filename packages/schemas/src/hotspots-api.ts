import * as z from 'zod';
import type { AnalysisHeader, CellCollection, Correction } from './analysis';
import { categoryList, type CategorySelection } from './crime-categories';
import { datasetParam } from './fields';
import type { Place } from './scope';
import { monthSchema, type Month } from './months';
import { scopeSchema } from './scope';

/*
 * Hot spot analysis (`GET /api/hotspots`, `/api/hotspots/change`, `/api/hotspots/density`): Getis-Ord Gi* hot and
 * cold spots with the top-N patrol-sized spots, hot-spot change over sub-periods, and kernel density.
 */

/** What every hot spot analysis is asked for: crimes, months and the grid. */
const hotspotGridFields = {
  dataset: datasetParam,
  scope: scopeSchema.optional(),
  categories: categoryList.optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
  cellSize: z.coerce.number().int().min(50, 'cellSize is at least 50 m').max(500, 'cellSize is at most 500 m').optional(),
  shape: z.enum(['square', 'hex']).default('square'),
};
const correction = z.enum(['fdr', 'holm', 'none']).default('fdr');

export const hotspotQuerySchema = z.strictObject({
  ...hotspotGridFields,
  correction,
  top: z.coerce.number().int().min(1).max(50).default(10),
});
export type HotspotQuery = z.infer<typeof hotspotQuerySchema>;

const share = (name: string) => z.coerce.number().gt(0, `${name} must be between 0 and 1`).lt(1, `${name} must be between 0 and 1`).optional();

/** Hot-spot change: Gi* per sub-period and a classification per cell; thresholds as in sfhotspot's hotspot_classify. */
export const hotspotChangeQuerySchema = z.strictObject({
  ...hotspotGridFields,
  correction,
  periods: z.coerce.number().int().min(2, 'periods is at least 2').max(24, 'periods is at most 24').optional(),
  hotspotProp: share('hotspotProp'),
  persistentProp: share('persistentProp'),
  recentProp: share('recentProp'),
  criticalP: share('criticalP'),
});
export type HotspotChangeQuery = z.infer<typeof hotspotChangeQuerySchema>;

/** Kernel density on the grid, per km² or per 1,000 residents (dual KDE). */
export const densityQuerySchema = z.strictObject({
  ...hotspotGridFields,
  /** Kernel radius in metres; default the mean of the nrd rule on x and y. */
  bandwidth: z.coerce.number().int().min(50, 'bandwidth is at least 50 m').max(5000, 'bandwidth is at most 5000 m').optional(),
  /** Crimes per 1,000 residents (dual KDE with Census population) instead of crimes per km². */
  perResidents: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type DensityQuery = z.infer<typeof densityQuerySchema>;

export type GridShape = 'square' | 'hex';

export type HotspotCellProperties = {
  cell: number;
  count: number;
  /** Gi* z-score to three decimals. */
  z: number;
  /** Adjusted p-value to four significant digits. */
  pAdjusted: number;
  /** −3…3: ±3/±2/±1 are 99/95/90 % confidence after the correction. */
  class: number;
  /**
   * Share of the cell's crimes on its busiest published point; only on cells that were checked (hot, ≥ 5 crimes).
   * (Older answers sent null for unchecked cells; absent and null mean the same.)
   */
  busiestPointShare?: number | null;
  /** Present (true) only when most of a checked cell's crimes sit on one published point. */
  snapPointWarning?: boolean;
};

/**
 * A patrol-sized spot as every analysis reports it: the published crime location whose circle (≤ 150 m) holds the most
 * crimes, with its rank, crimes within the radius, and the location's police.uk description.
 */
export interface SpotFields extends Place {
  /** 1 = most crimes. */
  rank: number;
  lon: number;
  lat: number;
  /** Crimes of the chosen types and period within the spot's radius. */
  count: number;
  radiusM: number;
  location: string | null;
  /**
   * The LSOA (2021 edition) the spot's centre lies in, so a location text that repeats across a county ("On or near
   * Supermarket") reads with its neighbourhood. Null outside the study area's LSOAs; absent in answers from before.
   */
  lsoaCode?: string | null;
  lsoaName?: string | null;
}

/** A patrol-sized hot spot: the published crime location whose circle (≤ 150 m) holds the most crimes. */
export interface HotspotSpot extends SpotFields {
  busiestPointShare: number;
  snapPointWarning: boolean;
}

/** `GET /api/hotspots` */
export interface HotspotResult extends AnalysisHeader {
  grid: { shape: GridShape; cellSizeM: number; studyAreaCells: number; correction: Correction };
  hot: number;
  cold: number;
  snapPointCells: number;
  /** More significant cells than are drawn: the strongest are drawn. */
  truncated: boolean;
  cells: CellCollection<HotspotCellProperties>;
  /** The top-N spots of each of the first crime types chosen. */
  top: { key: CategorySelection; label: string; crimes: number; spots: HotspotSpot[] }[];
  notes: string[];
}

/** How a cell's significance changed over the sub-periods (the classification of sfhotspot's hotspot_classify). */
export type HotspotChangeCategory =
  | 'no pattern'
  | 'emerging hotspot'
  | 'persistent hotspot'
  | 'former hotspot'
  | 'intermittent hotspot'
  | 'emerging coldspot'
  | 'persistent coldspot'
  | 'former coldspot'
  | 'intermittent coldspot'
  | 'mixed hot/coldspot';

export type HotspotChangeCellProperties = {
  cell: number;
  count: number;
  /** Never 'no pattern': cells without a pattern are not drawn. */
  category: HotspotChangeCategory;
  hotPeriods: number;
  coldPeriods: number;
  /** One character per sub-period, oldest first: H hot, C cold, · neither. */
  pattern: string;
};

/** `GET /api/hotspots/change` */
export interface HotspotChangeResult extends AnalysisHeader {
  grid: { shape: GridShape; cellSizeM: number; studyAreaCells: number; correction: Correction };
  rules: { hotspotProp: number; persistentProp: number; recentProp: number; criticalP: number; periods: number; recentPeriods: number };
  subPeriods: { from: Month; to: Month; crimes: number }[];
  /** Cells per category. */
  summary: Record<string, number>;
  truncated: boolean;
  cells: CellCollection<HotspotChangeCellProperties>;
  notes: string[];
}

export type DensityCellProperties = {
  cell: number;
  value: number;
  /** 1…5: the density classes, from the densest half (1) to the densest 1 % (5). */
  class: number;
};

/** `GET /api/hotspots/density` */
export interface DensityResult extends AnalysisHeader {
  grid: { shape: GridShape; cellSizeM: number; cellAreaM2: number; studyAreaCells: number };
  measure: 'per-1000-residents' | 'per-km2';
  unit: string;
  bandwidthM: number;
  bandwidthDefault: boolean;
  /** Why the bandwidth is what it is, in words (the automatic rule's figures, or "as chosen"). */
  bandwidthReason: string;
  classes: { topShare: number; from: number }[];
  truncated: boolean;
  cells: CellCollection<DensityCellProperties>;
  notes: string[];
}
