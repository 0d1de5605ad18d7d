import * as z from 'zod';
import { isoDate, notes, type Audited } from './fields';
import { pointSchema } from './geometry';
import { addMonthsToDate } from './months';
import { visibleText } from './text';

/*
 * The planner's own records, kept per organisation and versioned like every other item: patrol visits (the dosage
 * log) and deployments of re-deployable cameras, and the camera view fields the camera schemas share. This file must
 * not import entities.ts (entities.ts imports it); the planner's request schemas are in planning-api.ts.
 */

/** Direction a camera faces, degrees clockwise from north. */
export const bearingDegSchema = z.number().min(0, 'bearingDeg is 0 to 359 degrees clockwise from north').lt(360, 'bearingDeg is 0 to 359 degrees clockwise from north');
/** Width of a camera's view in degrees; 360 is all round. */
export const fieldOfViewDegSchema = z.number().int('fieldOfViewDeg is a whole number of degrees').min(10, 'fieldOfViewDeg is at least 10 degrees').max(360, 'fieldOfViewDeg is at most 360 degrees');

/** A camera faces one way only with both a bearing and a field of view; with neither it covers a full circle. */
export function fieldOfViewTogether(v: { bearingDeg?: number | undefined; fieldOfViewDeg?: number | undefined }, ctx: z.RefinementCtx): void {
  if ((v.bearingDeg === undefined) !== (v.fieldOfViewDeg === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [v.bearingDeg === undefined ? 'bearingDeg' : 'fieldOfViewDeg'],
      message: 'give both bearingDeg and fieldOfViewDeg for a camera that faces one way, or neither for all-round coverage',
    });
  }
}

/** Who made a patrol visit, by role (never by name: the log is read across the partnership). */
export const OFFICER_ROLES = ['police-officer', 'pcso', 'special-constable', 'community-protection-officer', 'warden', 'other'] as const;
export const OFFICER_ROLE_LABELS: Record<(typeof OFFICER_ROLES)[number], string> = {
  'police-officer': 'Police officer',
  pcso: 'PCSO',
  'special-constable': 'Special constable',
  'community-protection-officer': 'Community protection officer',
  warden: 'Neighbourhood or street warden',
  other: 'Other',
};
export type OfficerRole = (typeof OFFICER_ROLES)[number];

/** Published practice: ~15 minutes of visible presence per hot spot, at least twice a day. */
export const DEFAULT_PATROL_MINUTES = 15;
export const DEFAULT_PATROLS_PER_DAY = 2;
/** Patrol hot spots are at most 150 m across (radius); the dosage report counts crimes within this of a spot. */
export const DEFAULT_SPOT_RADIUS_M = 150;
/** Re-deployable cameras usually stay about three months. */
export const DEFAULT_DEPLOYMENT_MONTHS = 3;

/** One visit to a patrol hot spot: where (the spot's centre and name), when, how long and by whom (role). */
export const patrolVisitInputSchema = z.strictObject({
  spotName: visibleText('spotName', 200),
  location: pointSchema,
  radiusM: z.number().int().min(25, 'radiusM is at least 25 m').max(500, 'radiusM is at most 500 m').default(DEFAULT_SPOT_RADIUS_M),
  visitDate: isoDate.refine((d) => d >= '2000-01-01', 'visitDate must be in 2000 or later'),
  minutes: z.number().int('minutes must be a whole number').min(1, 'minutes is at least 1').max(720, 'minutes is at most 720 (12 hours)'),
  officerRole: z.enum(OFFICER_ROLES),
  notes,
});
export type PatrolVisitInput = z.infer<typeof patrolVisitInputSchema>;
export type PatrolVisit = PatrolVisitInput & Audited;

/**
 * One deployment of a re-deployable camera: the site, from when, until when (three months after the start when not
 * given). The camera must be one of the organisation's re-deployable cameras.
 */
export const cameraDeploymentInputSchema = z
  .strictObject({
    cameraId: z.string().min(1, 'cameraId is required').max(64),
    siteName: visibleText('siteName', 200),
    location: pointSchema,
    startDate: isoDate,
    endDate: isoDate.optional(),
    notes,
  })
  .superRefine((v, ctx) => {
    if (v.endDate && v.endDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must not be before startDate' });
  })
  .transform((v) => ({ ...v, endDate: v.endDate ?? addMonthsToDate(v.startDate, DEFAULT_DEPLOYMENT_MONTHS) }));
export type CameraDeploymentInput = z.infer<typeof cameraDeploymentInputSchema>;
export type CameraDeployment = CameraDeploymentInput & Audited;
