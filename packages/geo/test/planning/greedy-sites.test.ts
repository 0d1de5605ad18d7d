import { describe, expect, it } from 'vitest';
import { bngToLonLat, cellCentre, coveredPoints, createGrid, gridCounts, greedySites, pointsExtent, seededRandom, toBng, type CameraView } from '../../src/index';
import { expectGolden, readInput } from '../golden';
import { loadCrimes } from '../hotspots-fixtures';

/** The greedy rule written plainly: every round, every candidate, every point; ties to the lower candidate index. */
function plainGreedy(xy: Float64Array, candidates: Float64Array, radius: number, k: number, covered?: Uint8Array) {
  const n = xy.length / 2;
  const done = Uint8Array.from({ length: n }, (_, i) => (covered?.[i] ? 1 : 0));
  const picks: { candidate: number; gain: number }[] = [];
  for (let round = 0; round < k; round++) {
    let best = -1, bestGain = 0;
    for (let c = 0; c < candidates.length / 2; c++) {
      let g = 0;
      for (let i = 0; i < n; i++) if (!done[i] && Math.hypot(xy[2 * i]! - candidates[2 * c]!, xy[2 * i + 1]! - candidates[2 * c + 1]!) <= radius) g++;
      if (g > bestGain) [best, bestGain] = [c, g];
    }
    if (best < 0) break;
    for (let i = 0; i < n; i++) if (Math.hypot(xy[2 * i]! - candidates[2 * best]!, xy[2 * i + 1]! - candidates[2 * best + 1]!) <= radius) done[i] = 1;
    picks.push({ candidate: best, gain: bestGain });
  }
  return picks;
}

/** The best possible total for k sites, by trying every k-subset of the candidates. */
function exhaustiveBest(xy: Float64Array, candidates: Float64Array, radius: number, k: number, covered?: Uint8Array): number {
  const n = xy.length / 2, C = candidates.length / 2;
  const sets = Array.from({ length: C }, (_, c) =>
    [...Array(n).keys()].filter((i) => !covered?.[i] && Math.hypot(xy[2 * i]! - candidates[2 * c]!, xy[2 * i + 1]! - candidates[2 * c + 1]!) <= radius),
  );
  let best = 0;
  const choose = (from: number, chosen: number[]) => {
    if (chosen.length === k || from === C) {
      best = Math.max(best, new Set(chosen.flatMap((c) => sets[c]!)).size);
      return;
    }
    for (let c = from; c < C; c++) choose(c + 1, [...chosen, c]);
  };
  choose(0, []);
  return best;
}

function clustered(rng: ReturnType<typeof seededRandom>, n: number, spread = 600) {
  const xy = new Float64Array(2 * n);
  const centres = Array.from({ length: 5 }, () => [rng.next() * spread, rng.next() * spread] as const);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.int(0, 4)]!;
    // A 10 m lattice, so crimes share coordinates as police.uk snap points do.
    xy[2 * i] = Math.round((c[0] + rng.normal() * 60) / 10) * 10;
    xy[2 * i + 1] = Math.round((c[1] + rng.normal() * 60) / 10) * 10;
  }
  return xy;
}

describe('greedySites (maximum coverage, lazy greedy)', () => {
  it('picks exactly what the plain greedy rule picks, with non-increasing marginal gains', () => {
    const rng = seededRandom(31);
    for (let t = 0; t < 25; t++) {
      const xy = clustered(rng, 150 + rng.int(0, 150));
      const C = 10 + rng.int(0, 30);
      const candidates = new Float64Array(2 * C);
      for (let i = 0; i < 2 * C; i++) candidates[i] = Math.round(rng.next() * 600);
      const radius = rng.pick([40, 75, 100, 150]);
      const covered = t % 3 === 0 ? coveredPoints(xy, [{ x: 300, y: 300, radius: 120 }]) : undefined;
      const k = 1 + rng.int(0, 7);
      const got = greedySites(xy, { candidates, radius, k, ...(covered && { covered }) });
      expect(got.picks.map((p) => [p.candidate, p.gain])).toEqual(plainGreedy(xy, candidates, radius, k, covered).map((p) => [p.candidate, p.gain]));
      for (let i = 1; i < got.picks.length; i++) expect(got.picks[i]!.gain).toBeLessThanOrEqual(got.picks[i - 1]!.gain);
      for (const p of got.picks) {
        expect(p.coveredAfter - p.coveredBefore).toBe(p.gain);
        expect(p.members.length).toBe(p.gain);
      }
      expect(got.picks[0]?.coveredBefore ?? got.coveredInitially).toBe(got.coveredInitially);
      expect(got.evaluations).toBeLessThanOrEqual(C * Math.max(1, got.picks.length) + C);
    }
  });

  it('equals the exhaustive optimum for k = 1, and for any k when candidate circles do not overlap (greedy is optimal there)', () => {
    const rng = seededRandom(12);
    for (let t = 0; t < 12; t++) {
      const xy = clustered(rng, 120, 900);
      // A 4 × 4 lattice 250 m apart with 100 m circles: no crime is within reach of two candidates.
      const candidates = Float64Array.from(Array.from({ length: 16 }, (_, c) => [(c % 4) * 250 + 60, Math.floor(c / 4) * 250 + 60]).flat());
      for (const k of [1, 2, 3]) {
        const got = greedySites(xy, { candidates, radius: 100, k });
        const total = got.picks.reduce((s, p) => s + p.gain, 0);
        expect(total).toBe(exhaustiveBest(xy, candidates, 100, k));
      }
      // k = 1 is optimal whatever the overlap.
      const overlapping = Float64Array.from(Array.from({ length: 12 }, () => [rng.next() * 900, rng.next() * 900]).flat());
      expect(greedySites(xy, { candidates: overlapping, radius: 150, k: 1 }).picks[0]?.gain ?? 0).toBe(exhaustiveBest(xy, overlapping, 150, 1));
    }
  });

  it('is greedy, not optimal, on the textbook counter-example, and within (1 − 1/e) of the optimum on random cases', () => {
    // Two crimes 60 m either side of a middle site M, one more crime 200 m out on each side; sites L and R each
    // cover one pair and one outer crime. Greedy takes M (4), then L or R (+1) = 5; the best pair is L + R = 6.
    const xy = Float64Array.from([-60, 0, -60, 0, 60, 0, 60, 0, -200, 0, 200, 0]);
    const candidates = Float64Array.from([0, 0, -130, 0, 130, 0]);
    const got = greedySites(xy, { candidates, radius: 100, k: 2 });
    expect(got.picks.map((p) => [p.candidate, p.gain])).toEqual([[0, 4], [1, 1]]);
    expect(exhaustiveBest(xy, candidates, 100, 2)).toBe(6);

    const rng = seededRandom(5);
    for (let t = 0; t < 15; t++) {
      const pts = clustered(rng, 80);
      const cands = Float64Array.from(Array.from({ length: 10 }, () => [rng.next() * 600, rng.next() * 600]).flat());
      const k = 1 + rng.int(0, 2);
      const total = greedySites(pts, { candidates: cands, radius: 120, k }).picks.reduce((s, p) => s + p.gain, 0);
      expect(total).toBeGreaterThanOrEqual((1 - 1 / Math.E) * exhaustiveBest(pts, cands, 120, k));
    }
  });

  it('matches the golden picks on the fixture crimes, around the fixture cameras, from 100 m cell centroids', () => {
    const crimes = loadCrimes();
    const cams = readInput('planning', 'cameras') as { features: { properties: { radiusM: number; bearingDeg?: number; fieldOfViewDeg?: number }; geometry: { coordinates: [number, number] } }[] };
    const camXy = toBng(Float64Array.from(cams.features.flatMap((f) => f.geometry.coordinates)));
    const views: CameraView[] = cams.features.map((f, i) => ({
      x: camXy[2 * i]!,
      y: camXy[2 * i + 1]!,
      radius: f.properties.radiusM,
      ...(f.properties.bearingDeg !== undefined && { bearing: f.properties.bearingDeg, fieldOfView: f.properties.fieldOfViewDeg! }),
    }));
    const covered = coveredPoints(crimes.xy, views);
    const grid = createGrid(pointsExtent(crimes.xy), { cellSize: 100 });
    const counts = gridCounts(grid, crimes.xy);
    const cells = [...counts.keys()].filter((c) => counts[c]! >= 4);
    const candidates = Float64Array.from(cells.flatMap((c) => cellCentre(grid, c)));
    const result = greedySites(crimes.xy, { candidates, radius: 100, k: 5, covered });
    expect(result.total).toBe(crimes.xy.length / 2);
    expectGolden('planning', 'greedy-sites', {
      type: 'FeatureCollection',
      properties: { total: result.total, coveredInitially: result.coveredInitially },
      features: result.picks.map((p) => ({
        type: 'Feature',
        properties: { rank: p.rank, cell: cells[p.candidate], gain: p.gain, coveredBefore: p.coveredBefore, coveredAfter: p.coveredAfter, firstMembers: [...p.members.subarray(0, 5)] },
        geometry: { type: 'Point', coordinates: bngToLonLat(p.x, p.y) },
      })),
    });
  });

  it('stops when nothing is left to cover, and checks its arguments', () => {
    const xy = Float64Array.from([0, 0, 10, 0, 1000, 0]);
    const r = greedySites(xy, { candidates: Float64Array.from([0, 0, 5, 0, 2000, 0]), radius: 20, k: 5 });
    expect(r.picks.map((p) => p.gain)).toEqual([2]);
    expect(r).toMatchObject({ total: 3, coveredInitially: 0 });
    expect(greedySites(xy, { candidates: new Float64Array(0), radius: 20, k: 3 }).picks).toEqual([]);
    expect(greedySites(xy, { candidates: Float64Array.from([0, 0]), radius: 20, k: 3, covered: Uint8Array.from([1, 1, 0]) })).toMatchObject({ picks: [], coveredInitially: 2 });
    expect(() => greedySites(xy, { candidates: Float64Array.from([0, 0]), radius: 0, k: 1 })).toThrow(RangeError);
    expect(() => greedySites(xy, { candidates: Float64Array.from([0, 0]), radius: 10, k: 1.5 })).toThrow(RangeError);
  });
});
