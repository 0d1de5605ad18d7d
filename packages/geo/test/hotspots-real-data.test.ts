import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureCollection, point, pointsWithinPolygon } from '@turf/turf';
import { createGrid, createPointIndex, giStar, gridCounts, gridMask, pointsInPolygon, significantCells, topHotspots } from '../src/index';
import { referenceGiStar } from './gistar-reference';
import { CITY_CENTRE_POLYGON, countyExtent, DATA, loadCounty, loadRealCrimes } from './hotspots-real-data';

// Integration checks on the real Nottinghamshire data, kept apart from the fixture tests. Outside CI they are left
// out when ../shared/data is not there; under CI=true a missing folder fails loudly.
const available = existsSync(join(DATA, 'police-uk'));

it('has the real Nottinghamshire data when CI=true', () => {
  if (process.env.CI === 'true') expect(available, `shared data missing at ${DATA}`).toBe(true);
});

describe.skipIf(!available)('hotspot engine on the real 2023–24 Nottinghamshire crimes', () => {
  it('Gi* over the county at 100 m equals the straightforward reference', { timeout: 120_000 }, () => {
    const crimes = loadRealCrimes();
    expect(crimes.n).toBeGreaterThan(250_000);
    const county = loadCounty();
    const grid = createGrid(countyExtent(county), { cellSize: 100 });
    const mask = gridMask(grid, county);
    const counts = gridCounts(grid, crimes.xy);
    const got = giStar(grid, counts, { mask });
    const ref = referenceGiStar(grid, counts, mask, 'fdr');
    let zDiff = 0, classDiff = 0;
    for (let c = 0; c < counts.length; c++) {
      if (!mask[c]) continue;
      zDiff = Math.max(zDiff, Math.abs(got.z[c]! - ref.z[c]!));
      if (got.classes[c] !== ref.classes[c]) classDiff++;
    }
    expect(zDiff).toBeLessThan(1e-9);
    expect(classDiff).toBe(0);
    expect(significantCells(got, 3).length).toBeGreaterThan(1_000);
  });

  it('pointsInPolygon over the real crimes equals turf.pointsWithinPolygon for a city-centre polygon', { timeout: 120_000 }, () => {
    const crimes = loadRealCrimes();
    const got = pointsInPolygon(createPointIndex(crimes.lonLat), CITY_CENTRE_POLYGON);
    const fc = featureCollection(Array.from({ length: crimes.n }, (_, i) => point([crimes.lonLat[2 * i]!, crimes.lonLat[2 * i + 1]!], { i })));
    const want = pointsWithinPolygon(fc, CITY_CENTRE_POLYGON as any).features.map((f) => (f.properties as { i: number }).i).sort((a, b) => a - b);
    expect(want.length).toBeGreaterThan(10_000);
    expect([...got]).toEqual(want);
  });

  it('top hot spots respect the radius and separation rules and report their most common location', { timeout: 60_000 }, () => {
    const crimes = loadRealCrimes();
    const spots = topHotspots(crimes.xy, { n: 10, locations: crimes.location, lonLat: crimes.lonLat });
    expect(spots).toHaveLength(10);
    for (const [k, s] of spots.entries()) {
      expect(s.radius).toBeLessThanOrEqual(150);
      expect(s.location?.text).toMatch(/^On or near /);
      for (const t of spots.slice(0, k)) expect(Math.hypot(s.x - t.x, s.y - t.y)).toBeGreaterThanOrEqual(500);
    }
  });
});
