import { describe, expect, it } from 'vitest';
import {
  bandwidthNrd,
  cellArea,
  cellCentre,
  cellCount,
  cellsToGeoJSON,
  createGrid,
  defaultBandwidth,
  densityToCellCount,
  dualKde,
  gridMask,
  kde,
  kdeOfGrid,
  pointsExtent,
  seededRandom,
  type Grid,
} from '../src/index';
import { expectGolden } from './golden';
import { loadCrimes, STUDY_AREA } from './hotspots-fixtures';

const crimes = loadCrimes();
const extent = pointsExtent(crimes.xy);

/** Σ over points of 3/(πh²)(1 − d²/h²)² at every cell centre, in per km²: the definition, O(points × cells). */
function referenceDensity(grid: Grid, xy: Float64Array, weights: ArrayLike<number> | null, h: number): Float64Array {
  const out = new Float64Array(cellCount(grid));
  for (let c = 0; c < out.length; c++) {
    const [cx, cy] = cellCentre(grid, c);
    let s = 0;
    for (let i = 0; i < xy.length / 2; i++) {
      const d2 = (xy[2 * i]! - cx) ** 2 + (xy[2 * i + 1]! - cy) ** 2;
      if (d2 < h * h) s += (weights ? weights[i]! : 1) * (1 - d2 / (h * h)) ** 2;
    }
    out[c] = (s * 3 * 1e6) / (Math.PI * h * h);
  }
  return out;
}

function maxRelativeError(got: Float64Array, want: Float64Array): number {
  let peak = 0, worst = 0;
  for (const v of want) peak = Math.max(peak, Math.abs(v));
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  return worst / peak;
}

describe('bandwidthNrd / defaultBandwidth', () => {
  it("matches MASS::bandwidth.nrd (R's type-7 quantiles, n − 1 sd)", () => {
    expect(bandwidthNrd([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeCloseTo(8.099749284328091, 12); // sd branch
    expect(bandwidthNrd([0, 0, 0, 0, 1, 1, 1, 1, 100])).toBeCloseTo(2.038978077241461, 12); // IQR branch
    expect(bandwidthNrd([3.1, -2, 7.5, 7.5, 0.25, 12, 4])).toBeCloseTo(12.48927935758588, 12);
    expect(bandwidthNrd([5])).toBeNaN();
  });

  it('is the mean of the x and y rules, with a fallback when every point is on one spot', () => {
    const xy = crimes.xy;
    const xs = Float64Array.from({ length: xy.length / 2 }, (_, i) => xy[2 * i]!);
    const ys = Float64Array.from({ length: xy.length / 2 }, (_, i) => xy[2 * i + 1]!);
    expect(defaultBandwidth(xy)).toBeCloseTo((bandwidthNrd(xs) + bandwidthNrd(ys)) / 2, 9);
    expect(defaultBandwidth(Float64Array.of(1, 2, 1, 2, 1, 2), undefined, 150)).toBe(300);
    // Non-finite points are left out rather than poisoning the rule.
    expect(defaultBandwidth(Float64Array.of(...xy, Number.NaN, 0))).toBeCloseTo(defaultBandwidth(xy), 9);
  });
});

describe('kde', () => {
  it('equals the quartic-kernel definition at every cell centre (narrow and wide kernels, squares and hexagons)', () => {
    const sub = crimes.xy.subarray(0, 400); // 200 points keep the O(points × cells) reference quick
    for (const shape of ['square', 'hex'] as const) {
      const grid = createGrid(pointsExtent(sub), { shape, cellSize: 100 });
      for (const h of [150, 430, 1199, 1200, 2500]) {
        const { density, bandwidth } = kde(grid, sub, { bandwidth: h });
        expect(bandwidth).toBe(h);
        expect(maxRelativeError(density, referenceDensity(grid, sub, null, h)), `${shape} h=${h}`).toBeLessThan(1e-9);
      }
    }
  });

  it('reports crimes per km²: one point at a cell centre gives 3/(πh²) × 10⁶ there, and the mass adds up to n', () => {
    const grid = createGrid([0, 0, 5_000, 5_000], { cellSize: 50 });
    const [cx, cy] = cellCentre(grid, 50 * grid.nx + 50);
    const one = kde(grid, Float64Array.of(cx, cy), { bandwidth: 400 });
    expect(one.density[50 * grid.nx + 50]).toBeCloseTo((3 / (Math.PI * 400 * 400)) * 1e6, 9);
    const rng = seededRandom(8);
    const pts = Float64Array.from({ length: 400 }, () => 1_500 + rng.next() * 2_000);
    for (const h of [300, 900]) {
      const { density } = kde(grid, pts, { bandwidth: h });
      const total = density.reduce((s, v) => s + v, 0) * (cellArea(grid) / 1e6);
      expect(total).toBeCloseTo(200, 0);
    }
    expect(densityToCellCount(grid, 1e6 / cellArea(grid))).toBeCloseTo(1, 12);
  });

  it('treats points on one coordinate as a weight, honours selections, bandwidthAdjust and the mask', () => {
    const grid = createGrid(extent, { cellSize: 200 });
    const doubled = new Float64Array(crimes.xy.length * 2);
    doubled.set(crimes.xy);
    doubled.set(crimes.xy, crimes.xy.length);
    const a = kde(grid, crimes.xy, { bandwidth: 800 }).density;
    const b = kde(grid, doubled, { bandwidth: 800 }).density;
    expect(maxRelativeError(b, Float64Array.from(a, (v) => 2 * v))).toBeLessThan(1e-12);

    const firstYear = Uint32Array.from({ length: crimes.month.length }, (_, i) => i).filter((i) => crimes.month[i]! < 12);
    const sel = kde(grid, crimes.xy, { bandwidth: 800, indices: firstYear }).density;
    const pts = Float64Array.from([...firstYear].flatMap((i) => [crimes.xy[2 * i]!, crimes.xy[2 * i + 1]!]));
    expect(maxRelativeError(sel, kde(grid, pts, { bandwidth: 800 }).density)).toBeLessThan(1e-12);

    expect(kde(grid, crimes.xy, { bandwidth: 400, bandwidthAdjust: 2 }).bandwidth).toBe(800);
    // Default: the nrd rule held to 2–6 cells (at least 200 m); the fixture's crimes spread wider than 6 cells of 200 m.
    expect(defaultBandwidth(crimes.xy)).toBeGreaterThan(1200);
    const auto = kde(grid, crimes.xy);
    expect(auto.bandwidth).toBe(1200);
    expect(auto.automatic).toMatchObject({ limit: 'upper', lower: 400, upper: 1200, cellSize: 200 });
    expect(auto.automatic!.nrd).toBeCloseTo(defaultBandwidth(crimes.xy), 9);
    // With 500 m cells (1,000–3,000 m) the fixture's own figure (about 1.9 km) stands.
    const wide = kde(createGrid(extent, { cellSize: 500 }), crimes.xy);
    expect(wide.automatic!.limit).toBe('none');
    expect(wide.bandwidth).toBeCloseTo(defaultBandwidth(crimes.xy), 9);
    expect(kde(grid, crimes.xy, { bandwidth: 800 }).automatic).toBeUndefined();
    expect(kde(grid, crimes.xy, { bandwidthAdjust: 0.5 }).bandwidth).toBe(600);

    const mask = gridMask(grid, STUDY_AREA);
    const masked = kde(grid, crimes.xy, { bandwidth: 800, mask }).density;
    for (let c = 0; c < masked.length; c++) {
      if (mask[c]) expect(masked[c]).toBe(a[c]);
      else expect(masked[c]).toBeNaN();
    }
    expect(() => kde(grid, crimes.xy, { bandwidth: -1 })).toThrow(RangeError);
  });

  it('matches the golden density surface', () => {
    const grid = createGrid(extent, { cellSize: 250 });
    const { density, bandwidth } = kde(grid, crimes.xy, { bandwidth: 600 });
    const cells = [...density.keys()].filter((c) => density[c]! >= 40);
    expect(cells.length).toBeGreaterThan(5);
    expectGolden('kde', 'density', {
      ...cellsToGeoJSON(grid, cells, (cell) => ({ cell, crimesPerKm2: density[cell]! })),
      bandwidth,
    });
  });
});

describe('kdeOfGrid / dualKde', () => {
  it('smooths a gridded quantity exactly like points at the cell centres (both algorithms)', () => {
    const rng = seededRandom(6);
    for (const shape of ['square', 'hex'] as const) {
      const grid = createGrid([0, 0, 4_000, 3_000], { shape, cellSize: 100 });
      const amounts = Float64Array.from({ length: cellCount(grid) }, () => (rng.next() < 0.3 ? rng.next() * 50 : 0));
      const centres = new Float64Array(cellCount(grid) * 2);
      for (let c = 0; c < cellCount(grid); c++) centres.set(cellCentre(grid, c), 2 * c);
      for (const h of [350, 1500]) {
        const got = kdeOfGrid(grid, amounts, h);
        expect(maxRelativeError(got, referenceDensity(grid, centres, amounts, h)), `${shape} h=${h}`).toBeLessThan(1e-9);
        // Signed amounts (e.g. a change between periods) go through the same path.
        const signed = Float64Array.from(amounts, (v) => (v === 0 ? 0 : v - 25));
        expect(maxRelativeError(kdeOfGrid(grid, signed, h), referenceDensity(grid, centres, signed, h))).toBeLessThan(1e-9);
        // Far from any amount the density is exactly zero, not rounding noise.
        const lone = new Float64Array(cellCount(grid));
        lone[0] = 10;
        const d = kdeOfGrid(grid, lone, h);
        expect(d[cellCount(grid) - 1]).toBe(0);
      }
    }
  });

  it('gives crimes per 1,000 residents, and no rate where almost nobody lives', () => {
    const grid = createGrid([0, 0, 8_000, 8_000], { cellSize: 100 });
    // 20 residents in every cell of the western half, none in the east.
    const population = Float64Array.from({ length: cellCount(grid) }, (_, c) => (c % grid.nx < 40 ? 20 : 0));
    const rng = seededRandom(3);
    const pts = Float64Array.from({ length: 600 }, () => 500 + rng.next() * 7_000);
    const r = dualKde(grid, pts, population, { bandwidth: 1_500, minResidents: 100 });
    const west = 40 * grid.nx + 20; // 1.5 km from any edge of the populated half
    expect(r.populationDensity[west]! / (20 / (cellArea(grid) / 1e6))).toBeCloseTo(1, 3); // 2,000 residents per km²
    expect(r.rate[west]).toBeCloseTo((1000 * r.density[west]!) / r.populationDensity[west]!, 12);
    expect(r.rate[west]).toBeGreaterThan(0);
    const east = 40 * grid.nx + grid.nx - 2;
    expect(r.populationDensity[east]).toBe(0);
    expect(r.density[east]).toBeGreaterThan(0);
    expect(r.rate[east]).toBeNaN();
    // Just past the populated edge the smoothed population is thin: below minResidents the rate is withheld.
    const edge = 40 * grid.nx + 53;
    expect(r.populationDensity[edge]).toBeGreaterThan(0);
    expect(r.populationDensity[edge]! * Math.PI * 1.5 ** 2).toBeLessThan(100);
    expect(r.rate[edge]).toBeNaN();
    expect(() => kdeOfGrid(grid, new Float64Array(3), 100)).toThrow(RangeError);
  });
});
