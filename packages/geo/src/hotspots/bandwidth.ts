/**
 * The automatic kernel density bandwidth: the spread of the crimes, held to a few cell widths.
 *
 * The normal reference rule (`bandwidth.nrd`, sfhotspot's default) answers "how wide is the cloud of points"; for a
 * county of 45 × 80 km it gives 3.5 km for all crimes over a year and 4–7 km for one crime type (fewer points, wider
 * kernel), which smooths Nottingham into one blob. A hot spot map wants detail at the scale of the grid the analyst
 * chose, so the rule's answer is kept between
 *
 *   lower = max(2 × cell size, 200 m)   and   upper = max(6 × cell size, lower)
 *
 * - 6 cells: a quartic kernel of radius h has a standard deviation of h / √7, so at 6 cells the smoothing is about
 *   2.3 cells: a finer grid is a request for finer detail, and the surface keeps it.
 * - 2 cells: narrower, the surface is the cell counts again, with a kernel that covers only the nine nearest cells.
 * - 200 m: police.uk publishes crimes on fixed map points whose median distance to the next one is 68–78 m in
 *   Nottingham, Mansfield and the county (2024); a narrower kernel draws single points, not the density of a place.
 *
 * Inside those bounds the data decide: a small scope or a tight cluster (Mansfield's shoplifting: 484 m) keeps its own
 * figure. Figures for the real data are in docs/user-guide/hotspots.md.
 */

/** Bounds of the automatic bandwidth in cell widths, and its floor in metres. */
export const AUTO_BANDWIDTH = { minCells: 2, maxCells: 6, minMetres: 200 } as const;

export interface AutomaticBandwidth {
  /** Kernel radius chosen, metres. */
  bandwidth: number;
  /** What the normal reference rule gave for the points (NaN when it gives nothing, e.g. fewer than two points). */
  nrd: number;
  /** Which bound decided: none (the rule's own figure), the lower or the upper one. */
  limit: 'none' | 'lower' | 'upper';
  lower: number;
  upper: number;
  cellSize: number;
  /** One sentence saying why, for the answer's notes and the panel. */
  reason: string;
}

/** The bounds for a cell size (metres). */
export function bandwidthBounds(cellSize: number): { lower: number; upper: number } {
  if (!(cellSize > 0) || !Number.isFinite(cellSize)) throw new RangeError(`bandwidthBounds: cell size must be a positive number of metres, got ${cellSize}`);
  const lower = Math.max(AUTO_BANDWIDTH.minCells * cellSize, AUTO_BANDWIDTH.minMetres);
  return { lower, upper: Math.max(AUTO_BANDWIDTH.maxCells * cellSize, lower) };
}

/**
 * The automatic bandwidth from the normal reference rule's figure (`nrd`, metres) and the grid's cell size: `nrd`
 * clamped to {@link bandwidthBounds}. A rule that gives nothing usable (NaN, 0: every point on one spot) takes the
 * lower bound.
 */
export function automaticBandwidth(nrd: number, cellSize: number): AutomaticBandwidth {
  const { lower, upper } = bandwidthBounds(cellSize);
  const usable = nrd > 0 && Number.isFinite(nrd);
  const limit = !usable || nrd < lower ? 'lower' : nrd > upper ? 'upper' : 'none';
  const bandwidth = limit === 'lower' ? lower : limit === 'upper' ? upper : nrd;
  const choice = { bandwidth, nrd: usable ? nrd : NaN, limit, lower, upper, cellSize } as const;
  return { ...choice, reason: describeAutomaticBandwidth(choice) };
}

const m = (v: number) => `${Math.round(v).toLocaleString('en-GB')} m`;

/** One sentence saying why the automatic bandwidth is what it is. */
export function describeAutomaticBandwidth(a: Omit<AutomaticBandwidth, 'reason'>): string {
  const cells = (v: number) => `${Math.round((v / a.cellSize) * 10) / 10} cells of ${m(a.cellSize)}`;
  const rule = Number.isNaN(a.nrd) ? 'the spread of the crimes could not be measured (too few distinct points)' : `the spread of the crimes (normal reference rule) gives ${m(a.nrd)}`;
  if (a.limit === 'upper') return `Bandwidth ${m(a.bandwidth)}, automatic: ${rule}, held to at most ${cells(a.upper)} so the map keeps the detail of its grid.`;
  if (a.limit === 'lower') {
    const why = a.lower === AUTO_BANDWIDTH.minMetres ? 'at least 200 m, wider than the spacing of police.uk map points' : `at least ${cells(a.lower)}`;
    return `Bandwidth ${m(a.bandwidth)}, automatic: ${rule}, raised to ${why}.`;
  }
  return `Bandwidth ${m(a.bandwidth)}, automatic: the spread of the crimes (normal reference rule), within ${m(a.lower)}–${m(a.upper)} (2–6 cells of ${m(a.cellSize)}, at least 200 m).`;
}
