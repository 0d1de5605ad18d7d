import { beforeAll, describe, expect, it } from 'vitest';
import { coverageCircle, distanceMetres, lonLatToBng, orderRoute } from '@safer-places/geo';
import type { PatrolPlan, Principal } from '@safer-places/schemas';
import { CATEGORY_INDEX } from '@safer-places/schemas';
import {
  AssetService,
  CrimePointsCache,
  HotspotService,
  PlanningService,
  ReferenceService,
  ScopeResolver,
  ValidationError,
  dosageCsv,
  generateDemoDataset,
  patrolGeoJson,
  patrolGpx,
  seedDemoIfEmpty,
  xmlEscape,
} from '../src/index';
import { MemoryAssets, MemoryReference } from './in-memory-ports';

const demo = generateDemoDataset();
const planner: Principal = { userId: 'u-planner', orgId: 'demo-csp', role: 'planner' };
const other: Principal = { userId: 'u-other', orgId: 'other-csp', role: 'planner' };
const now = new Date('2025-03-01T09:00:00Z');

let assets: MemoryAssets;
let assetService: AssetService;
let hotspots: HotspotService;
let planning: PlanningService;
/** Published points of the demo crimes in the last 12 months, for brute-force checks. */
const lastYear = demo.crimeBlocks.filter((b) => b.month >= '2024-01').flatMap((b) => b.crimes).filter((c) => c.lon !== null);
const metres = (a: [number, number], b: [number, number]) => {
  const [ax, ay] = lonLatToBng(a[0], a[1]);
  const [bx, by] = lonLatToBng(b[0], b[1]);
  return Math.hypot(ax - bx, ay - by);
};

beforeAll(async () => {
  const reference = new MemoryReference();
  assets = new MemoryAssets();
  let n = 0;
  assetService = new AssetService({ assets, clock: { now: () => now }, ids: { newId: () => `id-${++n}` } });
  await seedDemoIfEmpty({ reference, assets, assetService }, () => demo);
  const referenceService = new ReferenceService(reference);
  hotspots = new HotspotService(referenceService, new CrimePointsCache(reference), new ScopeResolver(referenceService, assetService, assets));
  planning = new PlanningService(hotspots.selection, assetService, { now: () => now });
}, 60_000);

describe('patrol plan', () => {
  let plan: PatrolPlan;
  const start: [number, number] = [demo.assets.cameras[0]!.input.location.coordinates[0] + 0.01, demo.assets.cameras[0]!.input.location.coordinates[1] - 0.005];
  beforeAll(async () => {
    plan = await planning.patrolPlan({ categories: ['violent-crime', 'public-order'], top: 8, start, minutes: 15, perDay: 2, speedKmh: 5, roundTrip: true });
  });

  it('visits the top hot spots of the chosen crime types taken together, each once, round trip or not', async () => {
    const h = await hotspots.hotspots({ categories: ['violent-crime', 'public-order'], shape: 'square', correction: 'fdr', top: 8 });
    const combined = await planning.patrolPlan({ categories: ['violent-crime', 'public-order'], top: 8, start, minutes: 15, perDay: 2, speedKmh: 5, roundTrip: false });
    expect(plan.stops.map((s) => s.rank).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(combined.stops.map((s) => s.rank).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(plan.crimes).toBe(h.crimes);
    expect(plan.stops.every((s) => s.radiusM <= 150 && s.count > 0)).toBe(true);
    expect(plan.stops.map((s) => s.visit)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives straight-line legs that add up, no longer than nearest neighbour, and the same order the route function gives', () => {
    const legs = plan.stops.map((s) => s.legM);
    const firstLeg = metres(start, [plan.stops[0]!.lon, plan.stops[0]!.lat]);
    expect(Math.abs(legs[0]! - firstLeg)).toBeLessThanOrEqual(1);
    expect(plan.distance.totalM).toBeLessThanOrEqual(plan.distance.nearestNeighbourM);
    expect(Math.abs(plan.stops[plan.stops.length - 1]!.cumulativeM + plan.distance.returnLegM! - plan.distance.totalM)).toBeLessThanOrEqual(1);
    const xy = Float64Array.from([...plan.stops].sort((a, b) => a.rank - b.rank).flatMap((s) => lonLatToBng(s.lon, s.lat)));
    expect(Math.round(orderRoute(lonLatToBng(...start), xy).length)).toBe(plan.distance.totalM);
  });

  it('works out the dosage: 15 minutes a spot, twice a day, plus straight-line travel on foot', () => {
    const d = plan.dosage;
    expect(d.minutesOnSpotsPerPatrol).toBe(8 * 15);
    expect(d.travelMinutesPerPatrol).toBe(Math.round((plan.distance.totalM / 1000 / 5) * 60));
    expect(d.minutesPerPatrol).toBe(d.minutesOnSpotsPerPatrol + d.travelMinutesPerPatrol);
    expect(d.hoursPerDay).toBeCloseTo((d.minutesPerPatrol * 2) / 60, 1);
    expect(d.minutesPerSpotPerDay).toBe(30);
    expect(plan.notes.join(' ')).toMatch(/2-opt/);
    expect(plan.notes.join(' ')).toMatch(/straight lines/);
  });

  it('names the main crime types of each spot from its own crimes', () => {
    for (const s of plan.stops) {
      expect(s.mainTypes.length).toBeGreaterThan(0);
      expect(s.mainTypes.every((t) => t.key === 'violent-crime' || t.key === 'public-order')).toBe(true);
      expect(s.mainTypes.reduce((n, t) => n + t.count, 0)).toBe(s.count);
    }
  });

  it('exports GPX 1.1 with every stop in order and names escaped, and GeoJSON with the route', () => {
    const tricky = { ...plan, stops: plan.stops.map((s, i) => (i === 0 ? { ...s, location: 'On or near "Fish & Chips" <Bar> \'n\' Grill\u0001' } : s)) };
    const gpx = patrolGpx(tricky, now);
    expect(gpx.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Safer Places" xmlns="http://www.topografix.com/GPX/1/1"')).toBe(true);
    expect(gpx).toContain('<name>1. On or near &quot;Fish &amp; Chips&quot; &lt;Bar&gt; &apos;n&apos; Grill</name>');
    // eslint-disable-next-line no-control-regex -- the control character of the input must not reach the file
    expect(gpx).not.toMatch(/<Bar>|\u0001/);
    expect(gpx.match(/<wpt /g)).toHaveLength(8);
    expect(gpx.match(/<rtept /g)).toHaveLength(10); // start, 8 stops, back to start
    expect(gpx.indexOf('<metadata>')).toBeLessThan(gpx.indexOf('<wpt'));
    expect(gpx.lastIndexOf('</wpt>')).toBeLessThan(gpx.indexOf('<rte>'));
    expect(gpx).toContain(`<time>${now.toISOString()}</time>`);
    const firstStop = plan.stops[0]!;
    expect(gpx).toContain(`<wpt lat="${firstStop.lat.toFixed(6)}" lon="${firstStop.lon.toFixed(6)}">`);
    expect(xmlEscape('a&b<c>"d\'')).toBe('a&amp;b&lt;c&gt;&quot;d&apos;');

    const fc = patrolGeoJson(plan);
    const line = fc.features[0]!.geometry as { type: string; coordinates: [number, number][] };
    expect(line.type).toBe('LineString');
    expect(line.coordinates).toHaveLength(10);
    expect(line.coordinates[0]).toEqual(line.coordinates[9]);
    expect(fc.features.filter((f) => f.properties.role === 'stop').map((f) => (f.properties as { visit: number }).visit)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses a period with no crimes of the chosen types', async () => {
    await expect(planning.patrolPlan({ categories: ['bicycle-theft'], from: '2021-01', to: '2021-02', top: 5, start, minutes: 15, perDay: 2, speedKmh: 5, roundTrip: true })).rejects.toThrow(
      /no crimes|no hot spots/,
    );
  });
});

describe('coverage gaps and what if', () => {
  it('counts a crime as covered exactly when a live camera sees it (brute force over the demo cameras)', async () => {
    const r = await planning.coverageGaps(planner, { categories: [], correction: 'fdr', top: 10, proposed: [] });
    const live = demo.assets.cameras.filter((c) => c.input.status === 'live');
    const radius = { fixed: 100, ptz: 150, redeployable: 75, anpr: 30 } as const;
    let covered = 0;
    for (const c of lastYear) {
      if (live.some((cam) => metres([c.lon!, c.lat!], cam.input.location.coordinates) <= (cam.input.coverageRadiusM ?? radius[cam.input.type]))) covered++;
    }
    expect(r.crimes).toBe(lastYear.length);
    expect(r.before.crimesCovered).toBe(covered);
    expect(r.after).toBeNull();
    expect(r.cameras.live).toBe(live.length);
    expect(r.grid.cellSizeM).toBe(100);
    expect(r.before.gapCells).toBe(r.gapCells.features.length);
    expect(r.before.hotCells).toBeGreaterThan(r.before.gapCells);
    // A gap cell holds no covered crime: none of its crimes is within reach of a live camera.
    for (const g of r.gapList.slice(0, 5)) {
      const ring = (r.gapCells.features.find((f) => f.properties.cell === g.cell)!.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
      const centre = [ring.slice(0, 4).reduce((s, p) => s + p[0], 0) / 4, ring.slice(0, 4).reduce((s, p) => s + p[1], 0) / 4] as [number, number];
      expect(Math.abs(centre[0] - g.lon)).toBeLessThan(1e-5);
      expect(live.every((cam) => metres(centre, cam.input.location.coordinates) > (cam.input.coverageRadiusM ?? radius[cam.input.type]) - 71)).toBe(true);
    }
    expect(r.spots).toHaveLength(10);
    for (const s of r.spots) expect(s.gap).toBe(s.covered === 0);
  });

  it('shows the figures change when a camera is dropped on the biggest gap, and what that camera adds on its own', async () => {
    const base = await planning.coverageGaps(planner, { categories: [], correction: 'fdr', top: 10, proposed: [] });
    const target = base.gapList[0]!;
    const r = await planning.coverageGaps(planner, {
      categories: [],
      correction: 'fdr',
      top: 10,
      proposed: [{ location: { type: 'Point', coordinates: [target.lon, target.lat] }, type: 'ptz' }],
    });
    expect(r.after).not.toBeNull();
    expect(r.before).toEqual(base.before);
    expect(r.after!.crimesCovered).toBeGreaterThan(r.before.crimesCovered);
    expect(r.after!.gapCells).toBeLessThan(r.before.gapCells);
    expect(r.cameras.proposed[0]).toMatchObject({ type: 'ptz', radiusM: 150 });
    expect(r.after!.crimesCovered - r.before.crimesCovered).toBe(r.cameras.proposed[0]!.newlyCovered);
    expect(r.gapCells.features.some((f) => f.properties.cell === target.cell)).toBe(false);
  });

  it('honours a field of view: a camera facing away from a spot does not cover it', async () => {
    const base = await planning.coverageGaps(planner, { categories: [], correction: 'fdr', top: 10, proposed: [] });
    const spot = base.spots.find((s) => s.gap)!;
    // 60 m south of the spot, facing south (away) and then north (towards it).
    const south: [number, number] = [spot.lon, spot.lat - 60 / 111_195];
    const run = (bearingDeg: number) =>
      planning.coverageGaps(planner, { categories: [], correction: 'fdr', top: 10, proposed: [{ location: { type: 'Point', coordinates: south }, type: 'fixed', bearingDeg, fieldOfViewDeg: 60 }] });
    const away = await run(180);
    const towards = await run(0);
    expect(away.spots.find((s) => s.rank === spot.rank)!.covered).toBeLessThan(towards.spots.find((s) => s.rank === spot.rank)!.covered);
  });

  it('never counts another organisation’s cameras', async () => {
    await assetService.create(other, 'cameras', { name: 'Other org camera', type: 'ptz', location: demo.assets.cameras[4]!.input.location, coverageRadiusM: 1000 });
    const mine = await planning.coverageGaps(planner, { categories: [], correction: 'fdr', top: 5, proposed: [] });
    const theirs = await planning.coverageGaps(other, { categories: [], correction: 'fdr', top: 5, proposed: [] });
    expect(theirs.cameras.live).toBe(1);
    expect(mine.cameras.live).toBe(demo.assets.cameras.filter((c) => c.input.status === 'live').length);
  });
});

describe('candidate sites (greedy)', () => {
  it('picks sites with non-increasing gains that add up to the coverage after', async () => {
    const r = await planning.candidateSites(planner, { categories: [], correction: 'fdr', proposed: [], k: 5, cameraType: 'fixed' });
    expect(r.picks).toHaveLength(5);
    expect(r.camera.radiusM).toBe(100);
    expect(r.candidates.source).toBe('hot-cells');
    for (let i = 1; i < r.picks.length; i++) {
      expect(r.picks[i]!.gain).toBeLessThanOrEqual(r.picks[i - 1]!.gain);
      expect(r.picks[i]!.coveredBefore).toBe(r.picks[i - 1]!.coveredAfter);
    }
    expect(r.coveredAfter - r.coveredBefore).toBe(r.picks.reduce((s, p) => s + p.gain, 0));
    const gaps = await planning.coverageGaps(planner, { categories: [], correction: 'fdr', top: 10, proposed: [] });
    expect(r.coveredBefore).toBe(gaps.before.crimesCovered);
    expect(r.total).toBe(gaps.crimes);
    // The first pick's gain is a brute-force count: crimes within 100 m of the site no live camera covers.
    const p = r.picks[0]!;
    const live = demo.assets.cameras.filter((c) => c.input.status === 'live');
    const radius = { fixed: 100, ptz: 150, redeployable: 75, anpr: 30 } as const;
    const gain = lastYear.filter(
      (c) =>
        metres([c.lon!, c.lat!], [p.lon, p.lat]) <= 100.001 &&
        !live.some((cam) => metres([c.lon!, c.lat!], cam.input.location.coordinates) <= (cam.input.coverageRadiusM ?? radius[cam.input.type])),
    ).length;
    expect(Math.abs(p.gain - gain)).toBeLessThanOrEqual(1); // the site is rounded to 6 decimals for display
  });

  it('chooses among uploaded sites only, and reports each as given', async () => {
    const hub = demo.assets.cameras[0]!.input.location.coordinates;
    const far: [number, number] = [hub[0] + 0.2, hub[1] + 0.1];
    const r = await planning.candidateSites(planner, { categories: [], correction: 'fdr', proposed: [], k: 3, cameraType: 'ptz', candidates: [far, [hub[0] + 0.004, hub[1]]] });
    // The far site lies outside the demo study area: sites never leave the scope, so it is set aside and said so.
    expect(r.candidates).toMatchObject({ source: 'uploaded', count: 1 });
    expect(r.notes.some((n) => /1 outside it set aside/.test(n))).toBe(true);
    expect(r.picks.every((p) => p.cell === null)).toBe(true);
    expect(r.picks.map((p) => [p.lon, p.lat])).toContainEqual([hub[0] + 0.004, hub[1]].map((x) => Math.round(x * 1e6) / 1e6));
  });
});

describe('re-deployable camera rotation', () => {
  it('suggests distinct emerging or persistent sites not otherwise covered, the camera due first choosing first', async () => {
    const cameras = await assetService.list(planner, 'cameras');
    const eastfield = cameras.find((c) => c.name.startsWith('Eastfield'))!;
    const meadowside = cameras.find((c) => c.name.startsWith('Meadowside'))!;
    // Eastfield's deployment ends next week: it is due and chooses first.
    await assetService.create(planner, 'camera-deployments', { cameraId: eastfield.id, siteName: 'Eastfield estate', location: eastfield.location, startDate: '2024-12-08' });
    const r = await planning.rotation(planner, { categories: ['anti-social-behaviour'], correction: 'fdr', suggestions: 2 });
    expect(r.cameras.map((c) => c.name)).toEqual([meadowside.name, eastfield.name]); // no deployment sorts first
    const east = r.cameras[1]!;
    expect(east.current).toMatchObject({ siteName: 'Eastfield estate', endDate: '2025-03-08', due: true, overdue: false });
    const all = r.cameras.flatMap((c) => c.suggestions);
    expect(new Set(all.map((s) => s.cell)).size).toBe(all.length);
    expect(all.every((s) => s.pattern === 'emerging' || s.pattern === 'persistent')).toBe(true);
    for (const c of r.cameras) for (let i = 1; i < c.suggestions.length; i++) expect(c.suggestions[i]!.choice).toBe(i + 1);
    const cells = new Map(r.eligibleCells.features.map((f) => [f.properties.cell, f.properties.pattern]));
    for (const s of all) expect(cells.get(s.cell)).toBe(s.pattern);
    expect(r.notes.join(' ')).toMatch(/emerging or persistent/);
  });

  it('only logs deployments of your own re-deployable cameras', async () => {
    const cameras = await assetService.list(planner, 'cameras');
    const fixed = cameras.find((c) => c.type === 'fixed')!;
    const at = fixed.location;
    await expect(assetService.create(planner, 'camera-deployments', { cameraId: fixed.id, siteName: 'x', location: at, startDate: '2025-01-01' })).rejects.toThrow(/only re-deployable/);
    await expect(assetService.create(other, 'camera-deployments', { cameraId: cameras.find((c) => c.type === 'redeployable')!.id, siteName: 'x', location: at, startDate: '2025-01-01' })).rejects.toThrow(
      /no camera with id/,
    );
    await expect(assetService.create({ ...planner, role: 'viewer' }, 'camera-deployments', { cameraId: fixed.id, siteName: 'x', location: at, startDate: '2025-01-01' })).rejects.toThrow(/cannot change/);
  });
});

describe('help point suggestions', () => {
  it('suggests VAWG-related hot spots more than 300 m from every help point, with the distances measured', async () => {
    const r = await planning.helpPoints(planner, { top: 10, distanceM: 300 });
    expect(r.categories.map((c) => c.key)).toEqual(['violent-crime', 'public-order']);
    expect(r.helpPoints.total).toBe(demo.assets.helpPoints.length);
    for (const s of r.spots) {
      const want = Math.min(...demo.assets.helpPoints.map((h) => distanceMetres([s.lon, s.lat], h.input.location.coordinates)));
      expect(Math.abs(s.nearestHelpPoint!.distanceM - want)).toBeLessThanOrEqual(1);
      expect(s.suggest).toBe(s.nearestHelpPoint!.distanceM > 300);
    }
    expect(r.spots.some((s) => s.suggest)).toBe(true);
    expect(r.spots.some((s) => !s.suggest)).toBe(true); // the market place has its help point
  });

  it('includes VAWG-themed areas: the Safer Streets night-time economy area and drawn serious-violence areas', async () => {
    const far: [number, number] = [demo.assets.cameras[0]!.input.location.coordinates[0] + 0.03, demo.assets.cameras[0]!.input.location.coordinates[1] + 0.02];
    await assetService.create({ ...planner, role: 'analyst' }, 'areas', { name: 'Night-time walk route', theme: 'serious-violence', geometry: coverageCircle(far, 200, 16) });
    const r = await planning.helpPoints(planner, { top: 5, distanceM: 300 });
    expect(r.areas.map((a) => a.kind).sort()).toEqual(['area', 'safer-streets-area']);
    const drawn = r.areas.find((a) => a.kind === 'area')!;
    expect(drawn).toMatchObject({ name: 'Night-time walk route', suggest: true });
    expect(drawn.nearestHelpPoint!.distanceM).toBeGreaterThan(300);
  });
});

describe('dosage log and monthly report', () => {
  it('adds up patrol hours per spot in the month, and crimes there before and during patrols', async () => {
    const plan = await planning.patrolPlan({ categories: [], top: 3, start: [demo.assets.cameras[0]!.input.location.coordinates[0], demo.assets.cameras[0]!.input.location.coordinates[1]], minutes: 15, perDay: 2, speedKmh: 5, roundTrip: true });
    const spot = plan.stops[0]!;
    const visit = (visitDate: string, minutes: number) =>
      assetService.create(planner, 'patrol-visits', { spotName: spot.location!, location: { type: 'Point', coordinates: [spot.lon, spot.lat] }, visitDate, minutes, officerRole: 'pcso' });
    await visit('2024-10-02', 15);
    await visit('2024-11-03', 20);
    await visit('2024-11-03', 15);
    await visit('2024-11-20', 25);
    await visit('2025-01-05', 15); // after the report month: not in it
    const r = await planning.dosageReport(planner, { month: '2024-11', beforeMonths: 3 });
    expect(r.spots).toHaveLength(1);
    const row = r.spots[0]!;
    expect(row.month).toMatchObject({ visits: 3, minutes: 60, hours: 1 });
    expect(row.firstVisit).toBe('2024-10-02');
    expect(row.hoursByMonth.slice(-2)).toEqual([0.3, 1]);
    const within = (c: { lon: number | null; lat: number | null }) => metres([c.lon!, c.lat!], [spot.lon, spot.lat]) <= 150;
    const crimesIn = (month: string, asb: boolean) =>
      demo.crimeBlocks.filter((b) => b.month === month).flatMap((b) => b.crimes).filter((c) => c.lon !== null && within(c) && (c.category === 'anti-social-behaviour') === asb).length;
    expect(row.month.crimes).toBe(crimesIn('2024-11', false));
    expect(row.month.asb).toBe(crimesIn('2024-11', true));
    const before = ['2024-07', '2024-08', '2024-09'];
    expect(row.before.months).toBe(3);
    expect(row.before.crimesPerMonth).toBeCloseTo(before.reduce((n, m) => n + crimesIn(m, false), 0) / 3, 1);
    expect(row.before.asbPerMonth).toBeCloseTo(before.reduce((n, m) => n + crimesIn(m, true), 0) / 3, 1);
    expect(CATEGORY_INDEX['anti-social-behaviour']).toBe(0);
    const csv = dosageCsv(r);
    expect(csv).toContain('Patrol hours in 2024-11');
    expect(csv.split('\r\n').some((l) => l.includes(spot.location!) && l.includes(',1,'))).toBe(true);

    // A month police.uk has not published: hours count, crimes are "not available", never 0.
    const later = await planning.dosageReport(planner, { month: '2025-01', beforeMonths: 3 });
    expect(later.crimeMonthPublished).toBe(false);
    expect(later.spots[0]!.month).toMatchObject({ visits: 1, minutes: 15, crimes: null, asb: null });
    expect(later.notes.join(' ')).toMatch(/not published 2025-01/);
    // Another organisation sees none of these visits.
    expect((await planning.dosageReport(other, { month: '2024-11', beforeMonths: 3 })).spots).toEqual([]);
  });

  it('rejects a bad visit with a reason', async () => {
    await expect(
      assetService.create(planner, 'patrol-visits', { spotName: 'x', location: { type: 'Point', coordinates: [-1.1, 52.9] }, visitDate: '2024-11-01', minutes: 0, officerRole: 'pcso' }),
    ).rejects.toThrow(ValidationError);
  });
});
