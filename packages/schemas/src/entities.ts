import * as z from 'zod';
import { coverageRadiusM, datesInOrder, isoDate, name, notes, type Audited } from './fields';
import { areaGeometrySchema, pointSchema } from './geometry';
import { bearingDegSchema, fieldOfViewDegSchema, fieldOfViewTogether } from './planning';
import { visibleText } from './text';

/*
 * The organisation's map items: cameras, help points, PSPO zones, Safer Streets areas and drawn areas. Every kind of
 * item the API stores, with its path segment, is listed in asset-kinds.ts.
 */

export const CAMERA_TYPES = ['fixed', 'ptz', 'redeployable', 'anpr'] as const;
export const cameraTypeSchema = z.enum(CAMERA_TYPES);
export type CameraType = z.infer<typeof cameraTypeSchema>;
export const CAMERA_TYPE_LABELS: Record<CameraType, string> = {
  fixed: 'Fixed',
  ptz: 'PTZ (pan-tilt-zoom)',
  redeployable: 'Re-deployable',
  anpr: 'ANPR',
};
/** Default coverage radius in metres when a camera has none of its own. */
export const DEFAULT_COVERAGE_RADIUS_M: Record<CameraType, number> = { fixed: 100, ptz: 150, redeployable: 75, anpr: 30 };

/** Optional field of view (both or neither): `bearingDeg` clockwise from north and `fieldOfViewDeg` wide; without them, all round. */
export const cameraInputSchema = z
  .strictObject({
    name,
    type: cameraTypeSchema,
    location: pointSchema,
    coverageRadiusM: coverageRadiusM.optional(),
    bearingDeg: bearingDegSchema.optional(),
    fieldOfViewDeg: fieldOfViewDegSchema.optional(),
    status: z.enum(['live', 'planned', 'decommissioned']).default('live'),
    /** Covert or sensitive: shown only to users with the sensitive-cameras permission, never exported, reads audited. */
    sensitive: z.boolean().optional(),
    notes,
  })
  .superRefine(fieldOfViewTogether);

export const helpPointInputSchema = z.strictObject({
  name,
  status: z.enum(['live', 'planned']),
  cameraId: z.string().min(1).max(64).optional(),
  location: pointSchema,
  notes,
});

export const pspoZoneInputSchema = z
  .strictObject({
    name,
    prohibitions: z.array(visibleText('prohibition', 200)).min(1, 'list at least one prohibition').max(30),
    startDate: isoDate,
    endDate: isoDate,
    district: visibleText('district', 80),
    geometry: areaGeometrySchema,
    notes,
  })
  .superRefine(datesInOrder);

export const SAFER_STREETS_ROUNDS = ['R1', 'R2', 'R3', 'R4', 'R5', 'other'] as const;
export const SAFER_STREETS_THEMES = ['acquisitive', 'vawg', 'asb', 'neighbourhood'] as const;
export const SAFER_STREETS_THEME_LABELS: Record<(typeof SAFER_STREETS_THEMES)[number], string> = {
  acquisitive: 'Acquisitive crime',
  vawg: 'VAWG in public spaces',
  asb: 'Anti-social behaviour',
  neighbourhood: 'Neighbourhood crime',
};

export const saferStreetsAreaInputSchema = z
  .strictObject({
    name,
    round: z.enum(SAFER_STREETS_ROUNDS),
    theme: z.enum(SAFER_STREETS_THEMES),
    amountGbp: z.number().min(0).max(10_000_000),
    startDate: isoDate,
    endDate: isoDate,
    geometry: areaGeometrySchema,
    notes,
  })
  .superRefine(datesInOrder);

/** Analysts' own areas, drawn on the map; themes follow the partnerships' priorities. */
export const AREA_THEMES = ['serious-violence', 'asb', 'vulnerability', 'cohesion-hate', 'neighbourhood-crime'] as const;
export const AREA_THEME_LABELS: Record<(typeof AREA_THEMES)[number], string> = {
  'serious-violence': 'Serious violence, VAWG and domestic abuse',
  asb: 'Anti-social behaviour',
  vulnerability: 'Vulnerability and exploitation',
  'cohesion-hate': 'Community cohesion and hate crime',
  'neighbourhood-crime': 'Neighbourhood crime',
};
export const AREA_SHAPES = ['polygon', 'rectangle', 'circle', 'freehand'] as const;

export const drawnAreaInputSchema = z.strictObject({
  name,
  theme: z.enum(AREA_THEMES),
  shape: z.enum(AREA_SHAPES).default('polygon'),
  geometry: areaGeometrySchema,
  notes,
});

export type CameraInput = z.infer<typeof cameraInputSchema>;
export type DrawnAreaInput = z.infer<typeof drawnAreaInputSchema>;
export type HelpPointInput = z.infer<typeof helpPointInputSchema>;
export type PspoZoneInput = z.infer<typeof pspoZoneInputSchema>;
export type SaferStreetsAreaInput = z.infer<typeof saferStreetsAreaInputSchema>;

export type Camera = CameraInput & Audited;
export type HelpPoint = HelpPointInput & Audited;
export type PspoZone = PspoZoneInput & Audited;
export type SaferStreetsArea = SaferStreetsAreaInput & Audited;
export type DrawnArea = DrawnAreaInput & Audited;
