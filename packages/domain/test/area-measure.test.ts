import { beforeAll, describe, expect, it } from 'vitest';
import { coveredPoints, lonLatToBng, seededRandom, toBng, unprojectPosition } from '@safer-places/geo';
import type { AreaGeometry, AreaStats, Camera, DatasetSummary, Lsoa, Month, Position, Principal } from '@safer-places/schemas';
import { CATEGORY_INDEX, percentChange, percentOf, roundHalfAway, shareOf, shareToPercent } from '@safer-places/schemas';
import { AreaAnalysisService, AssetService, CrimePointsCache, ReferenceService, strategicTable, type CrimeBlock, type CrimeRecord } from '../src/index';
import { liveCameraViews } from '../src/planning/common';
import { MemoryAssets, MemoryReference, byDistrict } from './in-memory-ports';

/*
 * The drawn-area panel measures in British National Grid metres, as the planner does: its "crimes covered" is the
 * planner's coverage model (liveCameraViews + coveredPoints) for the same cameras and crimes, its km² are planar BNG
 * km², and its help point distances BNG metres. Every position here is laid out on the grid and turned into lon/lat.
 */

const planner: Principal = { userId: 'u-planner', orgId: 'org', role: 'planner' };
const analyst: Principal = { userId: 'u-analyst', orgId: 'org', role: 'analyst' };
const at = (x: number, y: number): Position => unprojectPosition(x, y);
/** A rectangle on the grid as a lon/lat polygon. */
const rect = (x0: number, y0: number, x1: number, y1: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]],
});

// A 100 m fixed camera at E 456500 N 340200 (Nottingham), and the crimes of the case either side of its edge.
const CAM = { x: 456_500, y: 340_200 };
const MONTH: Month = '2024-06';
const LSOA_BOX = [455_000, 339_000, 459_000, 342_000] as const;

let analysis: AreaAnalysisService;
let cameras: Camera[];
const crimes: CrimeRecord[] = [];

function crime(id: string, p: Position, category: CrimeRecord['category'] = 'anti-social-behaviour'): CrimeRecord {
  return { id, month: MONTH, category, lon: p[0], lat: p[1], location: `On or near ${id}`, lsoaCode: 'E01000001', publishedLsoaCode: 'E01000001', outcome: null };
}

beforeAll(async () => {
  const reference = new MemoryReference();
  const lsoa: Lsoa = {
    code: 'E01000001',
    name: 'Test 001A',
    districtCode: 'E06000018',
    districtName: 'Nottingham',
    wardName: null,
    cspCode: null,
    cspName: null,
    population: 1500,
    imdDecile: 3,
    deprivationSource: null,
    geometry: rect(...LSOA_BOX),
    bbox: [-1.3, 52.9, -1.0, 53.1],
  };
  crimes.push(
    crime('east-100.27', at(CAM.x + 100.27, CAM.y)),
    crime('east-99.73', at(CAM.x + 99.73, CAM.y)),
    crime('north-100.27', at(CAM.x, CAM.y + 100.27)),
    crime('north-99.73', at(CAM.x, CAM.y + 99.73)),
  );
  const rng = seededRandom(99);
  for (let i = 0; i < 3000; i++) {
    const r = rng.next() * 400, b = rng.next() * 2 * Math.PI;
    crimes.push(crime(`r${i}`, at(CAM.x + 150 + r * Math.sin(b), CAM.y + r * Math.cos(b)), i % 3 === 0 ? 'violent-crime' : 'anti-social-behaviour'));
  }
  const dataset: DatasetSummary = {
    id: 'ds',
    name: 'Grid test',
    synthetic: false,
    version: 'v1',
    firstMonth: MONTH,
    lastMonth: MONTH,
    lsoaCount: 1,
    crimeCount: crimes.length,
    bbox: lsoa.bbox,
    sources: [],
    importedAt: '2026-01-01T00:00:00Z',
    notes: [],
  };
  await reference.putDataset(dataset);
  await reference.putLsoas('ds', [lsoa]);
  const block: CrimeBlock = { month: MONTH, lsoaCode: 'E01000001', crimes };
  await reference.replaceCrimeMonth('ds', MONTH, [block], byDistrict([lsoa]));

  let n = 0;
  const assetService = new AssetService({ assets: new MemoryAssets(), clock: { now: () => new Date('2026-01-01T00:00:00Z') }, ids: { newId: () => `id-${++n}` } });
  const point = (x: number, y: number) => ({ type: 'Point', coordinates: at(x, y) });
  await assetService.create(planner, 'cameras', { name: 'Fixed 100 m', type: 'fixed', location: point(CAM.x, CAM.y) });
  await assetService.create(planner, 'cameras', { name: 'PTZ facing east', type: 'ptz', location: point(CAM.x + 250, CAM.y), bearingDeg: 90, fieldOfViewDeg: 60 });
  await assetService.create(planner, 'cameras', { name: 'Re-deployable 60 m', type: 'redeployable', location: point(CAM.x + 150, CAM.y - 250), coverageRadiusM: 60 });
  await assetService.create(planner, 'cameras', { name: 'Planned', type: 'fixed', location: point(CAM.x + 150, CAM.y + 150), status: 'planned' });
  await assetService.create(planner, 'help-points', { name: 'Refuge', status: 'live', location: point(458_250, 340_500) });
  cameras = await assetService.list(analyst, 'cameras');
  analysis = new AreaAnalysisService(new ReferenceService(reference), new CrimePointsCache(reference), assetService);
});

const analyse = (geometry: AreaGeometry): Promise<AreaStats> => analysis.analyse(analyst, geometry, { categories: [] });

/** The planner's model on the same crimes: liveCameraViews and coveredPoints on their BNG positions. */
function plannerCovered(selected: readonly CrimeRecord[]): number {
  const xy = toBng(Float64Array.from(selected.flatMap((c) => [c.lon!, c.lat!])));
  return coveredPoints(xy, liveCameraViews(cameras)).reduce((s, v) => s + v, 0);
}

describe('area panel: crimes covered by cameras, by the planner\'s model', () => {
  it('counts exactly the crimes the planner counts, with a field-of-view camera and a planned one among them', async () => {
    const s = await analyse(rect(...LSOA_BOX));
    expect(s.total).toBe(crimes.length);
    const want = plannerCovered(crimes);
    expect(want).toBeGreaterThan(300);
    expect(s.cctv.crimesCovered).toBe(want);
    expect(s.cctv.shareCovered).toBe(Math.round((want / crimes.length) * 1000) / 1000);
  });

  it('does not cover a crime 100.27 m from a 100 m camera, and covers one 99.73 m away (east and north)', async () => {
    for (const [name, covered] of [['east-100.27', 0], ['east-99.73', 1], ['north-100.27', 0], ['north-99.73', 1]] as const) {
      const c = crimes.find((k) => k.id === name)!;
      const [x, y] = lonLatToBng(c.lon!, c.lat!);
      // A 20 cm box round the crime holds it alone.
      const s = await analyse(rect(x - 0.1, y - 0.1, x + 0.1, y + 0.1));
      expect(s.total, name).toBe(1);
      expect(s.cctv.crimesCovered, name).toBe(covered);
      expect(plannerCovered([c]), name).toBe(covered);
    }
  });

  it('agrees on every sub-area and category selection too', async () => {
    for (const box of [
      [CAM.x - 120, CAM.y - 120, CAM.x + 120, CAM.y + 120],
      [CAM.x + 150, CAM.y - 100, CAM.x + 500, CAM.y + 300],
      [CAM.x, CAM.y - 400, CAM.x + 600, CAM.y],
    ] as const) {
      const s = await analysis.analyse(analyst, rect(...box), { categories: ['violent-crime'] });
      const inBox = crimes.filter((c) => {
        const [x, y] = lonLatToBng(c.lon!, c.lat!);
        return c.category === 'violent-crime' && x > box[0] && x < box[2] && y > box[1] && y < box[3];
      });
      expect(s.total).toBe(inBox.length);
      expect(s.cctv.crimesCovered).toBe(plannerCovered(inBox));
    }
  });
});

describe('area panel: km² and distances on the grid', () => {
  it('gives a 1 km grid square as 1.00 km² and the help point 250 m off its east edge as 250 m', async () => {
    const s = await analyse(rect(457_000, 340_000, 458_000, 341_000));
    expect(s.areaKm2).toBe(1);
    expect(s.cctv.nearestHelpPoint).toMatchObject({ name: 'Refuge', distanceM: 250 });
  });

  it('gives the LSOA (4 km × 3 km on the grid) its full share and 12 km²', async () => {
    const s = await analyse(rect(...LSOA_BOX));
    expect(s.areaKm2).toBe(12);
    expect(s.lsoas).toMatchObject([{ code: 'E01000001', shareInside: 1, populationInside: 1500 }]);
  });
});

describe('strategic table: % change rounded by the one rule', () => {
  it('rounds exact halves away from zero on both sides', () => {
    const months = (to: Month, n: number): Month[] => {
      const out: Month[] = [];
      let [y, m] = to.split('-').map(Number) as [number, number];
      for (let i = 0; i < n; i++) {
        out.unshift(`${y}-${String(m).padStart(2, '0')}` as Month);
        if (--m === 0) [y, m] = [y - 1, 12];
      }
      return out;
    };
    const all = months('2024-12', 24);
    const current = new Set(all.slice(12));
    // Burglary 400 → 449 (+12.25 %), robbery 400 → 351 (−12.25 %), drugs 8 → 9 (+12.5 %), shoplifting 0 → 3 (new).
    const totals: Record<string, [number, number]> = { burglary: [400, 449], robbery: [400, 351], drugs: [8, 9], shoplifting: [0, 3] };
    const byIndex = new Map(Object.entries(totals).map(([k, v]) => [CATEGORY_INDEX[k as keyof typeof CATEGORY_INDEX] as number, v]));
    // Everything in the last month of each period, so the sums are exact.
    const count = (ci: number, month: Month) => {
      const t = byIndex.get(ci);
      if (!t) return 0;
      if (month === '2023-12') return t[0];
      if (month === '2024-12') return t[1];
      return 0;
    };
    const table = strategicTable(count, '2024-12', new Set(all));
    const row = (k: string) => table.rows.find((r) => r.key === k)!;
    expect(current.size).toBe(12);
    expect(row('burglary').changePct).toBe(12.3);
    expect(row('robbery').changePct).toBe(-12.3);
    expect(row('drugs').changePct).toBe(12.5);
    expect(row('shoplifting').changePct).toBeNull();
    expect(row('all-crime').changePct).toBe(percentChange(812, 808));
    expect(table.rule).toContain('up by 5 % or more');
  });
});

describe('the one rounding rule (@safer-places/schemas numbers.ts)', () => {
  it('rounds halves away from zero, judged on the decimal value rather than its binary double', () => {
    expect([roundHalfAway(12.25), roundHalfAway(-12.25), roundHalfAway(12.24), roundHalfAway(-12.24)]).toEqual([12.3, -12.3, 12.2, -12.2]);
    expect([roundHalfAway(0.05), roundHalfAway(-0.05), roundHalfAway(-0.04)]).toEqual([0.1, -0.1, 0]);
    expect(Object.is(roundHalfAway(-0.04), 0)).toBe(true); // never −0
    expect([roundHalfAway(1.005, 2), roundHalfAway(2.675, 2), roundHalfAway(0.1225 * 100)]).toEqual([1.01, 2.68, 12.3]);
    expect(roundHalfAway(850.5, 0)).toBe(851);
    expect(roundHalfAway(Number.NaN)).toBeNaN();
    expect(() => roundHalfAway(1, 1.5)).toThrow(RangeError);
  });

  it('rounds percentages of counts from the exact ratio (checked against integer arithmetic on every pair up to 300)', () => {
    let checked = 0;
    for (let previous = 1; previous <= 300; previous++) {
      for (let current = 0; current <= 600; current += 1) {
        const num = BigInt(Math.abs(current - previous)) * 1000n;
        let q = num / BigInt(previous);
        if (2n * (num - q * BigInt(previous)) >= BigInt(previous)) q += 1n;
        const want = (current < previous ? -1 : 1) * (Number(q) / 10);
        expect(percentChange(current, previous)).toBe(want === 0 ? 0 : want);
        checked++;
      }
    }
    expect(checked).toBe(300 * 601);
    expect(percentChange(3, 0)).toBeNull();
    expect([percentOf(49, 400), percentOf(1, 8, 0), percentOf(-1, 8, 0), percentOf(1, 0)]).toEqual([12.3, 13, -13, null]);
    expect([shareOf(1, 16), shareOf(1, 8), shareOf(0, 5), shareOf(2, 0)]).toEqual([0.063, 0.125, 0, null]);
    expect([shareToPercent(0.1225), shareToPercent(0.565, 0), shareToPercent(0.05)]).toEqual([12.3, 57, 5]);
  });
});
