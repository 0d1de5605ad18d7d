import { beforeAll, describe, expect, it } from 'vitest';
import type { HotspotResult, Lsoa, PatrolPlan } from '@safer-places/schemas';
import {
  AssetService,
  CrimePointsCache,
  HotspotService,
  PlanningService,
  ReferenceService,
  ScopeResolver,
  UNPLACED_LSOA,
  generateDemoDataset,
  patrolGeoJson,
  patrolGpx,
  seedDemoIfEmpty,
} from '../src/index';
import { spotLsoa } from '../src/hotspots';
import { stopPlace } from '../src/planning/exports';
import { MemoryAssets, MemoryReference } from './in-memory-ports';

/*
 * Every located spot a user reads (top hot spots, patrol stops) names the LSOA it lies in with its ward and district,
 * so "On or near Supermarket" repeated across a county reads with its neighbourhood.
 */

const demo = generateDemoDataset();
const now = new Date('2025-03-01T09:00:00Z');
const lsoaByCode = new Map(demo.lsoas.map((l) => [l.code, l]));
/** The LSOAs the demo set placed its crimes in, per published point "lon,lat" (checked independently of the domain). */
const placedAt = new Map<string, Set<string>>();
for (const b of demo.crimeBlocks) {
  for (const c of b.crimes) {
    if (c.lon === null || c.lat === null) continue;
    const key = `${c.lon},${c.lat}`;
    if (!placedAt.has(key)) placedAt.set(key, new Set());
    placedAt.get(key)!.add(c.lsoaCode);
  }
}

/** Ray casting on the outer rings (the test's own point-in-polygon, independent of the geo package's locator). */
function inside(lsoa: Lsoa, lon: number, lat: number): boolean {
  const polygons = lsoa.geometry.type === 'Polygon' ? [lsoa.geometry.coordinates] : lsoa.geometry.coordinates;
  return polygons.some((rings) => {
    const ring = rings[0]!;
    let odd = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi! > lat !== yj! > lat && lon < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) odd = !odd;
    }
    return odd;
  });
}

let hotspots: HotspotService;
let planning: PlanningService;

beforeAll(async () => {
  const reference = new MemoryReference();
  const assets = new MemoryAssets();
  let n = 0;
  const assetService = new AssetService({ assets, clock: { now: () => now }, ids: { newId: () => `id-${++n}` } });
  await seedDemoIfEmpty({ reference, assets, assetService }, () => demo);
  const referenceService = new ReferenceService(reference);
  hotspots = new HotspotService(referenceService, new CrimePointsCache(reference), new ScopeResolver(referenceService, assetService, assets));
  planning = new PlanningService(hotspots.selection, assetService, { now: () => now });
}, 60_000);

/** The spot's LSOA is the one holding its point, its name that LSOA's, and the ward and district agree with it. */
function expectPlaced(s: { lon: number; lat: number; lsoaCode?: string | null; lsoaName?: string | null; ward: string | null; district: string | null }) {
  expect(s.lsoaCode, `spot at ${s.lon},${s.lat}`).toBeTruthy();
  const lsoa = lsoaByCode.get(s.lsoaCode!)!;
  expect(lsoa).toBeDefined();
  expect(s.lsoaName).toBe(lsoa.name);
  expect(placedAt.get(`${s.lon},${s.lat}`)?.has(lsoa.code)).toBe(true);
  expect(inside(lsoa, s.lon, s.lat)).toBe(true);
  expect(s.ward).toBe(lsoa.wardName);
  expect(s.district).toBe(lsoa.districtName);
}

describe('places of located spots', () => {
  let result: HotspotResult;
  let plan: PatrolPlan;
  beforeAll(async () => {
    result = await hotspots.hotspots({ categories: ['all-crime', 'burglary'], shape: 'square', correction: 'fdr', top: 10 });
    plan = await planning.patrolPlan({ categories: ['violent-crime'], top: 6, start: [result.top[0]!.spots[0]!.lon, result.top[0]!.spots[0]!.lat], minutes: 15, perDay: 2, speedKmh: 5, roundTrip: true });
  });

  it('top hot spots carry the LSOA (code and name), ward and district of their point', () => {
    const spots = result.top.flatMap((t) => t.spots);
    expect(spots.length).toBeGreaterThanOrEqual(15);
    for (const s of spots) expectPlaced(s);
    // A county's repeated texts are told apart: the spots lie in more than one LSOA.
    expect(new Set(spots.map((s) => s.lsoaCode)).size).toBeGreaterThan(5);
  });

  it('patrol stops carry them too, and the GPX and GeoJSON say where each stop is', () => {
    expect(plan.stops).toHaveLength(6);
    for (const s of plan.stops) expectPlaced(s);
    const gpx = patrolGpx(plan, now);
    for (const s of plan.stops) expect(gpx).toContain(`In LSOA ${s.lsoaName} (${s.lsoaCode})`);
    const stops = patrolGeoJson(plan).features.filter((f) => f.properties.role === 'stop');
    expect(stops.map((f) => (f.properties as { lsoaCode?: string }).lsoaCode)).toEqual(plan.stops.map((s) => s.lsoaCode));
  });
});

describe('spotLsoa', () => {
  const lsoas = [{ code: 'E01000001', name: 'Alpha 001A' }, { code: 'E01000002', name: 'Beta 002B' }] as Lsoa[];
  const points = { lsoaCodes: ['E01000001', 'E01000002', UNPLACED_LSOA, 'E01999999'], lsoa: Uint32Array.from([0, 1, 2, 3]) };
  const lonLat = Float64Array.from([-1.2, 53.0, -1.1, 53.1, -1.0, 53.2, -0.9, 53.3]);

  it('takes the LSOA of the member nearest the centre', () => {
    expect(spotLsoa(points, lonLat, { lon: -1.1, lat: 53.1, members: [0, 1] }, lsoas)).toEqual({ lsoaCode: 'E01000002', lsoaName: 'Beta 002B' });
    expect(spotLsoa(points, lonLat, { lon: -1.19, lat: 53.0, members: [0, 1] }, lsoas)).toEqual({ lsoaCode: 'E01000001', lsoaName: 'Alpha 001A' });
  });

  it('says null outside the study area, and keeps a code it has no name for', () => {
    expect(spotLsoa(points, lonLat, { lon: -1.0, lat: 53.2, members: [2] }, lsoas)).toEqual({ lsoaCode: null, lsoaName: null });
    expect(spotLsoa(points, lonLat, { lon: -1.0, lat: 53.2, members: [] }, lsoas)).toEqual({ lsoaCode: null, lsoaName: null });
    expect(spotLsoa(points, lonLat, { lon: -0.9, lat: 53.3, members: [3] }, lsoas)).toEqual({ lsoaCode: 'E01999999', lsoaName: null });
  });

  it('words a stop place for the patrol files', () => {
    expect(stopPlace({ lsoaCode: 'E01000001', lsoaName: 'Alpha 001A', ward: 'Bulwell', district: 'Nottingham' })).toBe('LSOA Alpha 001A (E01000001), Bulwell ward, Nottingham');
    expect(stopPlace({ lsoaCode: null, lsoaName: null, ward: 'Abbey Ward', district: null })).toBe('Abbey Ward');
    expect(stopPlace({ ward: null, district: null })).toBe('');
  });
});
