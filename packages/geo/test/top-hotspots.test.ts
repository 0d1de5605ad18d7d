import { describe, expect, it } from 'vitest';
import { bngToLonLat, seededRandom, topHotspots, topHotspotsByCategory } from '../src/index';
import { expectGolden } from './golden';
import { loadCrimes } from './hotspots-fixtures';

const crimes = loadCrimes();

/** The greedy rule written out plainly, O(n²): centres are crime locations, ties to the earliest crime. */
function bruteForce(xy: Float64Array, selection: number[], n: number, radius: number, separation: number, minCount: number) {
  const at = (i: number) => [xy[2 * i]!, xy[2 * i + 1]!] as const;
  const candidates = selection.filter((i, k) => selection.findIndex((j) => xy[2 * j] === xy[2 * i] && xy[2 * j + 1] === xy[2 * i + 1]) === k);
  const score = new Map(candidates.map((c) => [c, selection.filter((j) => Math.hypot(at(j)[0] - at(c)[0], at(j)[1] - at(c)[1]) <= radius).length]));
  const chosen: { centre: number; count: number }[] = [];
  while (chosen.length < n) {
    let best = -1;
    for (const c of candidates) {
      if (chosen.some((s) => s.centre === c || Math.hypot(at(s.centre)[0] - at(c)[0], at(s.centre)[1] - at(c)[1]) < separation)) continue;
      if (best < 0 || score.get(c)! > score.get(best)! || (score.get(c) === score.get(best) && selection.indexOf(c) < selection.indexOf(best))) best = c;
    }
    if (best < 0 || score.get(best)! < minCount) break;
    chosen.push({ centre: best, count: score.get(best)! });
  }
  return chosen;
}

describe('topHotspots', () => {
  const spots = topHotspots(crimes.xy, { n: 6, locations: crimes.location, lonLat: crimes.lonLat });

  it('ranks the synthetic clusters by count, and flags the supermarket snap point', () => {
    expect(spots.map((s) => s.location?.text)).toEqual([
      'On or near Market Square',
      'On or near Meadow Lane',
      'On or near Goose Gate',
      'On or near Supermarket',
      expect.any(String),
      expect.any(String),
    ]);
    const market = spots[0]!;
    expect(market.count).toBe(144);
    expect(market.snapPointWarning).toBe(false);
    const shop = spots[3]!;
    expect(shop.snapPointWarning).toBe(true);
    expect(shop.topCoordinate).toMatchObject({ lon: -1.17, lat: 52.94, count: 50 });
    expect(shop.topCoordinate.share).toBeCloseTo(50 / shop.count, 12);
    expect(shop.location).toEqual({ text: 'On or near Supermarket', count: 50, share: 50 / shop.count });
  });

  it('keeps radius ≤ 150 m, centres ≥ 500 m apart, counts non-increasing and exactly the crimes in the disc', () => {
    for (let k = 0; k < spots.length; k++) {
      const s = spots[k]!;
      expect(s.rank).toBe(k + 1);
      expect(s.radius).toBeLessThanOrEqual(150);
      if (k > 0) expect(s.count).toBeLessThanOrEqual(spots[k - 1]!.count);
      for (let j = 0; j < k; j++) expect(Math.hypot(s.x - spots[j]!.x, s.y - spots[j]!.y)).toBeGreaterThanOrEqual(500);
      const inside = [];
      for (let i = 0; i < crimes.month.length; i++) if (Math.hypot(crimes.xy[2 * i]! - s.x, crimes.xy[2 * i + 1]! - s.y) <= 150) inside.push(i);
      expect([...s.members]).toEqual(inside);
      expect(s.count).toBe(inside.length);
      // The centre is a published location; its lon/lat is the published one.
      const centre = inside.find((i) => crimes.xy[2 * i] === s.x && crimes.xy[2 * i + 1] === s.y)!;
      expect([s.lon, s.lat]).toEqual([crimes.lonLat[2 * centre], crimes.lonLat[2 * centre + 1]]);
    }
  });

  it('agrees with a brute-force greedy search on random clustered data and options', () => {
    const rng = seededRandom(21);
    for (let trial = 0; trial < 6; trial++) {
      const m = 300;
      const xy = new Float64Array(m * 2);
      for (let i = 0; i < m; i++) {
        // Clusters plus exact repeats, on a 20 m lattice so distances tie exactly now and then.
        const cx = rng.int(0, 4) * 400, cy = rng.int(0, 2) * 400;
        xy[2 * i] = cx + Math.round(rng.normal() * 5) * 20;
        xy[2 * i + 1] = cy + Math.round(rng.normal() * 5) * 20;
      }
      const selection = [...Array(m).keys()].filter(() => rng.next() < 0.8);
      const options = { n: 1 + rng.int(0, 8), radius: rng.pick([60, 100, 150]), minSeparation: rng.pick([0, 200, 500]), minCount: rng.int(1, 6) };
      const got = topHotspots(xy, { ...options, indices: selection });
      const want = bruteForce(xy, selection, options.n, options.radius, options.minSeparation, options.minCount);
      expect(got.map((s) => [s.x, s.y, s.count])).toEqual(want.map((w) => [xy[2 * w.centre], xy[2 * w.centre + 1], w.count]));
    }
  });

  it('allows centres exactly minSeparation apart but not closer', () => {
    // Three piles on a line: 5 crimes at 0 m, 4 at 500 m, 3 at 1,100 m.
    const pile = (x: number, k: number) => Array.from({ length: k }, () => [x, 0]).flat();
    const xy = Float64Array.from([...pile(0, 5), ...pile(500, 4), ...pile(1_100, 3)]);
    expect(topHotspots(xy, { n: 3 }).map((s) => [s.x, s.count])).toEqual([[0, 5], [500, 4], [1_100, 3]]);
    expect(topHotspots(xy, { n: 3, minSeparation: 500.01 }).map((s) => [s.x, s.count])).toEqual([[0, 5], [1_100, 3]]);
  });

  it('honours n, minCount and empty input, and projects centres when no lon/lat is given', () => {
    expect(topHotspots(crimes.xy, { n: 2 })).toHaveLength(2);
    expect(topHotspots(crimes.xy, { n: 50, minCount: 50 }).map((s) => s.count)).toEqual([144, 69, 58, 58]);
    expect(topHotspots(new Float64Array(0))).toEqual([]);
    expect(topHotspots(crimes.xy, { n: 0 })).toEqual([]);
    const s = topHotspots(crimes.xy, { n: 1 })[0]!;
    expect(s.location).toBeNull();
    const [lon, lat] = bngToLonLat(s.x, s.y);
    expect(s.lon).toBe(lon);
    expect(s.lat).toBe(lat);
    expect(() => topHotspots(crimes.xy, { radius: 0 })).toThrow(RangeError);
  });
});

describe('topHotspotsByCategory', () => {
  it('equals topHotspots on each category’s crimes, within the selection', () => {
    const firstYear = Uint32Array.from({ length: crimes.month.length }, (_, i) => i).filter((i) => crimes.month[i]! < 12);
    const byCategory = topHotspotsByCategory(crimes.xy, crimes.category, { n: 3, indices: firstYear });
    expect(byCategory).toHaveLength(14);
    for (let c = 0; c < 14; c++) {
      const own = firstYear.filter((i) => crimes.category[i] === c);
      expect(byCategory[c]).toEqual(topHotspots(crimes.xy, { n: 3, indices: own }));
    }
    expect(byCategory[9]![0]!.topCoordinate.lon).toBeCloseTo(-1.17, 6); // shoplifting: the supermarket
  });

  it('matches the golden top spots per category', () => {
    const byCategory = topHotspotsByCategory(crimes.xy, crimes.category, { n: 2, locations: crimes.location, lonLat: crimes.lonLat });
    expectGolden('top-hotspots', 'by-category', {
      type: 'FeatureCollection',
      features: byCategory.flatMap((spots, category) =>
        spots.map(({ members, lon, lat, ...s }) => ({
          type: 'Feature',
          properties: { category, ...s, firstMembers: [...members.subarray(0, 5)] },
          geometry: { type: 'Point', coordinates: [lon, lat] },
        })),
      ),
    });
  });
});

describe('topHotspots (lazy scoring) against scoring every candidate', () => {
  it('picks the same spots, ties included, on clustered integer coordinates', () => {
    const rng = seededRandom(404);
    const n = 6_000;
    const xy = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      // Snap to a 25 m lattice in a few clusters: many shared coordinates and many equal scores.
      const cluster = Math.floor(rng.next() * 8);
      xy[2 * i] = Math.round((cluster * 700 + rng.normal() * 250) / 25) * 25;
      xy[2 * i + 1] = Math.round(((cluster % 3) * 900 + rng.normal() * 250) / 25) * 25;
    }
    const indices = Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 0);
    for (const [radius, separation] of [[150, 500], [100, 200], [60, 60]] as const) {
      const got = topHotspots(xy, { n: 25, radius, minSeparation: separation, indices }).map((s) => [s.x, s.y, s.count]);
      expect(got).toEqual(referenceTop(xy, indices, 25, radius, separation));
    }
  });
});

/** The greedy search written plainly: every distinct coordinate scored, best first (ties: first crime first). */
function referenceTop(xy: Float64Array, indices: number[], n: number, radius: number, separation: number): number[][] {
  const firstAt = new Map<string, number>();
  for (const i of indices) {
    const key = `${xy[2 * i]},${xy[2 * i + 1]}`;
    if (!firstAt.has(key)) firstAt.set(key, i);
  }
  const candidates = [...firstAt.values()].map((i) => {
    const x = xy[2 * i]!, y = xy[2 * i + 1]!;
    const count = indices.filter((j) => Math.hypot(xy[2 * j]! - x, xy[2 * j + 1]! - y) <= radius).length;
    return { i, x, y, count };
  });
  candidates.sort((a, b) => b.count - a.count || a.i - b.i);
  const out: number[][] = [];
  for (const c of candidates) {
    if (out.length >= n) break;
    if (out.some(([x, y]) => Math.hypot(x! - c.x, y! - c.y) < separation)) continue;
    out.push([c.x, c.y, c.count]);
  }
  return out;
}
