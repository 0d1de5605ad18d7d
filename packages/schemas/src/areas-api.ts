import * as z from 'zod';
import { categoryList, categorySelectionSchema, type CategorySelection } from './crime-categories';
import { datasetParam } from './fields';
import { areaGeometrySchema } from './geometry';
import { monthSchema, type Month } from './months';
import type { DatasetSummary } from './reference';
import type { StrategicTable } from './strategic-api';

/*
 * An analyst's area statistics: `GET /api/areas/:id/stats` for a saved area, `POST /api/areas/analyse` for one being
 * drawn; both answer AreaStats.
 */

export const areaStatsQuerySchema = z.strictObject({
  dataset: datasetParam,
  categories: categoryList.optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
});

export const areaAnalyseSchema = z.strictObject({
  geometry: areaGeometrySchema,
  dataset: datasetParam,
  categories: z.array(categorySelectionSchema).max(16).optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
});

export interface AreaStats {
  dataset: Pick<DatasetSummary, 'id' | 'name' | 'synthetic'>;
  /** Planar area on the British National Grid (EPSG:27700), km² to two decimals. */
  areaKm2: number;
  period: { from: Month; to: Month; months: number };
  categories: { key: CategorySelection; label: string }[];
  /** Crimes of the chosen categories and period inside the area. */
  total: number;
  byCategory: { key: string; label: string; count: number }[];
  /** Every month of the dataset, chosen categories. */
  trend: { month: Month; count: number }[];
  strategic: StrategicTable;
  lsoas: { code: string; name: string; shareInside: number; population: number | null; populationInside: number | null }[];
  populationInside: number | null;
  cctv: {
    camerasInside: { id: string; name: string; type: string; status: string }[];
    /**
     * Crimes (chosen categories and period) within any live camera's coverage (its radius, and its field of view if set),
     * by the planner's coverage model: the same cameras and the same test in British National Grid metres, so a crime
     * counts here exactly when the planner counts it.
     */
    crimesCovered: number;
    shareCovered: number | null;
    nearestHelpPoint: { id: string; name: string; status: string; distanceM: number } | null;
  };
  pspoZones: { id: string; name: string; prohibitions: string[]; startDate: string; endDate: string }[];
  /** Share of the area's crimes on its single busiest published coordinate (police.uk snap point). */
  busiestPoint: { share: number; count: number; location: string } | null;
  notes: string[];
}
