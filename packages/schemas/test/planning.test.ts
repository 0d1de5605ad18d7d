import { describe, expect, it } from 'vitest';
import {
  ASSET_KINDS,
  addMonthsToDate,
  cameraDeploymentInputSchema,
  cameraInputSchema,
  coverageRequestSchema,
  dosageReportQuerySchema,
  patrolPlanQuerySchema,
  patrolVisitInputSchema,
  sitesRequestSchema,
} from '../src/index';

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message) ?? [];
const at = { type: 'Point', coordinates: [-1.148, 52.9535] };

describe('camera field of view', () => {
  const base = { name: 'Cam', type: 'fixed', location: at };
  it('keeps old cameras without a view valid, and takes a bearing with a field of view', () => {
    expect(cameraInputSchema.safeParse(base).success).toBe(true);
    expect(cameraInputSchema.parse({ ...base, bearingDeg: 45, fieldOfViewDeg: 90 })).toMatchObject({ bearingDeg: 45, fieldOfViewDeg: 90 });
  });
  it('wants both or neither, and checks their ranges', () => {
    expect(messages(cameraInputSchema.safeParse({ ...base, bearingDeg: 45 }))[0]).toMatch(/both bearingDeg and fieldOfViewDeg/);
    expect(messages(cameraInputSchema.safeParse({ ...base, fieldOfViewDeg: 90 }))[0]).toMatch(/both bearingDeg and fieldOfViewDeg/);
    expect(messages(cameraInputSchema.safeParse({ ...base, bearingDeg: 360, fieldOfViewDeg: 90 }))[0]).toMatch(/0 to 359/);
    expect(messages(cameraInputSchema.safeParse({ ...base, bearingDeg: 10, fieldOfViewDeg: 5 }))[0]).toMatch(/at least 10/);
  });
});

describe('patrol visits and camera deployments', () => {
  it('takes a visit with a default 150 m spot radius and refuses bad minutes, dates and roles', () => {
    const visit = { spotName: 'On or near Market Square', location: at, visitDate: '2024-11-05', minutes: 15, officerRole: 'pcso' };
    expect(patrolVisitInputSchema.parse(visit).radiusM).toBe(150);
    expect(messages(patrolVisitInputSchema.safeParse({ ...visit, minutes: 0 }))[0]).toMatch(/at least 1/);
    expect(messages(patrolVisitInputSchema.safeParse({ ...visit, minutes: 12.5 }))[0]).toMatch(/whole number/);
    expect(messages(patrolVisitInputSchema.safeParse({ ...visit, visitDate: '05/11/2024' }))[0]).toMatch(/YYYY-MM-DD/);
    expect(patrolVisitInputSchema.safeParse({ ...visit, officerRole: 'sergeant' }).success).toBe(false);
    expect(patrolVisitInputSchema.safeParse({ ...visit, orgId: 'x' }).success).toBe(false);
  });
  it('ends a deployment three months after its start unless told otherwise', () => {
    const d = { cameraId: 'cam-1', siteName: 'Eastfield', location: at, startDate: '2024-11-30' };
    expect(cameraDeploymentInputSchema.parse(d).endDate).toBe('2025-02-28');
    expect(cameraDeploymentInputSchema.parse({ ...d, endDate: '2024-12-31' }).endDate).toBe('2024-12-31');
    expect(messages(cameraDeploymentInputSchema.safeParse({ ...d, endDate: '2024-11-01' }))[0]).toMatch(/not be before/);
    expect(addMonthsToDate('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsToDate('2024-10-15', 3)).toBe('2025-01-15');
  });
  it('are asset kinds of their own', () => {
    expect(ASSET_KINDS['patrol-visits'].singular).toBe('patrol visit');
    expect(ASSET_KINDS['camera-deployments'].geometryField).toBe('location');
  });
});

describe('planner requests', () => {
  it('reads a patrol plan query with its defaults: top 10, 15 minutes, twice a day, a round trip on foot', () => {
    expect(patrolPlanQuerySchema.parse({ start: '-1.1457, 52.9507', categories: 'violent-crime,robbery' })).toEqual({
      start: [-1.1457, 52.9507],
      categories: ['violent-crime', 'robbery'],
      top: 10,
      minutes: 15,
      perDay: 2,
      speedKmh: 5,
      roundTrip: true,
    });
    expect(patrolPlanQuerySchema.parse({ start: '-1.1,52.9', roundTrip: 'false' }).roundTrip).toBe(false);
  });
  it('says what is wrong with a start point', () => {
    expect(messages(patrolPlanQuerySchema.safeParse({}))[0]).toMatch(/start is required/);
    expect(messages(patrolPlanQuerySchema.safeParse({ start: 'x' }))[0]).toMatch(/lon,lat/);
    expect(messages(patrolPlanQuerySchema.safeParse({ start: '52.95,-1.14' }))[0]).toMatch(/look swapped/);
    expect(messages(patrolPlanQuerySchema.safeParse({ start: '-1.1,52.9', top: '40' }))[0]).toMatch(/at most 25/);
  });
  it('takes proposed cameras and candidate sites in the UK only', () => {
    expect(coverageRequestSchema.parse({ proposed: [{ location: at }] }).proposed[0]).toMatchObject({ type: 'fixed' });
    expect(sitesRequestSchema.parse({}).k).toBe(5);
    expect(sitesRequestSchema.safeParse({ candidates: [[-74, 40.7]] }).success).toBe(false);
    expect(sitesRequestSchema.safeParse({ candidates: [] }).success).toBe(false);
    expect(sitesRequestSchema.safeParse({ k: 30 }).success).toBe(false);
    expect(dosageReportQuerySchema.parse({ month: '2024-11' })).toMatchObject({ beforeMonths: 3, format: 'json' });
  });
});
