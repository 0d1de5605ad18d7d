import * as z from 'zod';
import { categoryList, categorySelectionSchema } from './crime-categories';
import { cameraTypeSchema } from './entities';
import { bboxSchema, pointSchema } from './geometry';
import { bearingDegSchema, fieldOfViewDegSchema, fieldOfViewTogether } from './planning';
import { coverageRadiusM, datasetParam } from './fields';
import { monthSchema } from './months';
import { scopeSchema } from './scope';
import { visibleText } from './text';

/*
 * Requests of the planner's workflow: patrol plans, CCTV coverage gaps, candidate camera sites, re-deployable camera
 * rotation, help point suggestions and the monthly dosage report. Query strings for reads, JSON bodies where the
 * request carries cameras or sites.
 */

const boolParam = (byDefault: 'true' | 'false') =>
  z
    .enum(['true', 'false'], { error: 'use true or false' })
    .default(byDefault)
    .transform((v) => v === 'true');
const correction = z.enum(['fdr', 'holm', 'none']).default('fdr');
/** Camera-sized cells: coverage questions need a finer grid than the county-wide default. */
export const PLANNING_CELL_SIZE_M = 100;
const cellSizeParam = z.coerce.number().int().min(50, 'cellSize is at least 50 m').max(500, 'cellSize is at most 500 m').optional();
const position = pointSchema.shape.coordinates;

/** `start=-1.1457,52.9507`: a longitude, latitude pair in the UK. */
export const lonLatParam = z.string({ error: 'give the point as lon,lat' }).transform((s, ctx) => {
  const parts = s.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p))) {
    ctx.addIssue({ code: 'custom', message: 'give the point as two numbers: lon,lat' });
    return z.NEVER;
  }
  const parsed = position.safeParse(parts);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  }
  return parsed.data;
});

/** A patrol plan: the top-N hot spots of the chosen crimes and period, visited from `start` in a short order. */
export const patrolPlanQuerySchema = z.strictObject({
  dataset: datasetParam,
  scope: scopeSchema.optional(),
  categories: categoryList.optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
  /** How many of the top hot spots to visit. */
  top: z.coerce.number().int().min(2, 'top is at least 2 spots').max(25, 'top is at most 25 spots').default(10),
  /** Where the patrol leaves from (a police station, a depot), [lon, lat]. */
  start: z.string({ error: 'start is required: the point the patrol leaves from, as lon,lat' }).pipe(lonLatParam),
  /** Only hot spots in this box (e.g. the beat's map view): minLon,minLat,maxLon,maxLat. */
  bbox: bboxSchema.optional(),
  /** Minutes of visible presence at each spot, per visit. */
  minutes: z.coerce.number().int().min(1, 'minutes is at least 1 per spot').max(120, 'minutes is at most 120 per spot').default(15),
  /** Patrols (rounds of every spot) a day. */
  perDay: z.coerce.number().int().min(1, 'perDay is at least 1 patrol a day').max(12, 'perDay is at most 12 patrols a day').default(2),
  /** Travel speed for the straight-line travel time, km/h (5 on foot). */
  speedKmh: z.coerce.number().min(1, 'speedKmh is at least 1').max(80, 'speedKmh is at most 80').default(5),
  roundTrip: boolParam('true'),
});
export type PatrolPlanQuery = z.infer<typeof patrolPlanQuerySchema>;

/** A camera that does not exist yet ("what if"), or a proposed site: all round unless a bearing and view are given. */
export const proposedCameraSchema = z
  .strictObject({
    name: visibleText('name', 120).optional(),
    location: pointSchema,
    type: cameraTypeSchema.default('fixed'),
    coverageRadiusM: coverageRadiusM.optional(),
    bearingDeg: bearingDegSchema.optional(),
    fieldOfViewDeg: fieldOfViewDegSchema.optional(),
  })
  .superRefine(fieldOfViewTogether);
export type ProposedCamera = z.infer<typeof proposedCameraSchema>;

/** `POST /api/planning/camera-views`: the shapes of cameras being placed, before any analysis runs. */
export const cameraViewsRequestSchema = z.strictObject({
  cameras: z.array(proposedCameraSchema).min(1, 'give at least one camera').max(20, 'at most 20 cameras'),
});
export type CameraViewsRequest = z.infer<typeof cameraViewsRequestSchema>;

const analysisFields = {
  dataset: datasetParam,
  scope: scopeSchema.optional(),
  categories: z.array(categorySelectionSchema).max(16, 'at most 16 categories').optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
  cellSize: z.number().int().min(50, 'cellSize is at least 50 m').max(500, 'cellSize is at most 500 m').optional(),
  correction,
  /** Cameras to add to the organisation's live ones for this answer only. */
  proposed: z.array(proposedCameraSchema).max(20, 'at most 20 proposed cameras').default([]),
};

/** Monitoring gaps: significant hot cells and top-N hot spots no camera covers. */
export const coverageRequestSchema = z.strictObject({
  ...analysisFields,
  top: z.number().int().min(1).max(50).default(10),
});
export type CoverageRequest = z.infer<typeof coverageRequestSchema>;

export const MAX_CANDIDATE_SITES = 5000;

/** Where k new cameras would cover the most crimes not yet covered. */
export const sitesRequestSchema = z.strictObject({
  ...analysisFields,
  k: z.number().int().min(1, 'k is at least 1 camera').max(25, 'k is at most 25 cameras').default(5),
  cameraType: cameraTypeSchema.default('fixed'),
  coverageRadiusM: coverageRadiusM.optional(),
  /** Feasible sites as [lon, lat]; default the centroids of the significant hot cells. */
  candidates: z.array(position).min(1, 'give at least one candidate site').max(MAX_CANDIDATE_SITES, `at most ${MAX_CANDIDATE_SITES} candidate sites`).optional(),
});
export type SitesRequest = z.infer<typeof sitesRequestSchema>;

/** Next sites for each re-deployable camera, from emerging and persistent hot spots no other camera covers. */
export const rotationQuerySchema = z.strictObject({
  dataset: datasetParam,
  scope: scopeSchema.optional(),
  categories: categoryList.optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
  cellSize: cellSizeParam,
  correction,
  periods: z.coerce.number().int().min(2, 'periods is at least 2').max(24, 'periods is at most 24').optional(),
  /** Sites suggested per camera. */
  suggestions: z.coerce.number().int().min(1).max(5).default(3),
});
export type RotationQuery = z.infer<typeof rotationQuerySchema>;

/** Violence and sexual offences and public order: the police.uk categories closest to VAWG in public space. */
export const VAWG_CATEGORIES = ['violent-crime', 'public-order'] as const;
export const DEFAULT_HELP_POINT_DISTANCE_M = 300;

/** VAWG-related hot spots (and VAWG-themed areas) further than `distanceM` from any refuge help point. */
export const helpPointQuerySchema = z.strictObject({
  dataset: datasetParam,
  scope: scopeSchema.optional(),
  from: monthSchema.optional(),
  to: monthSchema.optional(),
  top: z.coerce.number().int().min(1).max(50).default(10),
  /** Spots and areas further than this from every refuge help point are suggested. */
  distanceM: z.coerce.number().int().min(50, 'distanceM is at least 50 m').max(2000, 'distanceM is at most 2,000 m').default(DEFAULT_HELP_POINT_DISTANCE_M),
});
export type HelpPointQuery = z.infer<typeof helpPointQuerySchema>;

/** The dosage report for a month: patrol hours per spot and crimes there before and during patrols. */
export const dosageReportQuerySchema = z.strictObject({
  dataset: datasetParam,
  scope: scopeSchema.optional(),
  /** The month reported on; default the latest month with a recorded visit. */
  month: monthSchema.optional(),
  /** Months before a spot's first patrol to average over. */
  beforeMonths: z.coerce.number().int().min(1).max(12).default(3),
  format: z.enum(['json', 'csv']).default('json'),
});
export type DosageReportQuery = z.infer<typeof dosageReportQuerySchema>;
