import { describe, expect, it } from 'vitest';
import { AUTO_BANDWIDTH, automaticBandwidth, bandwidthBounds, describeAutomaticBandwidth } from '../src/hotspots/bandwidth';

describe('automaticBandwidth: the nrd rule held to 2–6 cells, at least 200 m', () => {
  // [nrd, cell size, bandwidth, which bound decided]
  const cases: [number, number, number, 'none' | 'lower' | 'upper'][] = [
    // The county, all crimes in 2024 (nrd 3,513 m): always held to 6 cells.
    [3513, 100, 600, 'upper'],
    [3513, 250, 1500, 'upper'],
    [3513, 500, 3000, 'upper'],
    // Nottingham (943 m) and Mansfield (860 m): their own figure at 250 m cells, 6 cells at 100 m.
    [943, 100, 600, 'upper'],
    [943, 250, 943, 'none'],
    [860, 250, 860, 'none'],
    // Mansfield's shoplifting is tight (484 m): kept at 250 m cells' lower bound of 2 cells.
    [484, 250, 500, 'lower'],
    [484, 100, 484, 'none'],
    // Small cells: never under 200 m (police.uk map points are ~70 m apart).
    [120, 50, 200, 'lower'],
    [250, 50, 250, 'none'],
    [900, 50, 300, 'upper'],
    // Nothing usable from the rule (one point, or all on one spot): the lower bound.
    [Number.NaN, 100, 200, 'lower'],
    [0, 250, 500, 'lower'],
    [Number.POSITIVE_INFINITY, 100, 200, 'lower'],
  ];
  it.each(cases)('nrd %s m, %s m cells → %s m (%s)', (nrd, cell, want, limit) => {
    const a = automaticBandwidth(nrd, cell);
    expect(a.bandwidth).toBeCloseTo(want, 9);
    expect(a.limit).toBe(limit);
    expect(a.bandwidth).toBeGreaterThanOrEqual(a.lower);
    expect(a.bandwidth).toBeLessThanOrEqual(a.upper);
  });

  it('has bounds of 2 and 6 cells with a 200 m floor, and refuses a meaningless cell size', () => {
    expect(AUTO_BANDWIDTH).toEqual({ minCells: 2, maxCells: 6, minMetres: 200 });
    expect(bandwidthBounds(100)).toEqual({ lower: 200, upper: 600 });
    expect(bandwidthBounds(30)).toEqual({ lower: 200, upper: 200 });
    expect(bandwidthBounds(500)).toEqual({ lower: 1000, upper: 3000 });
    for (const bad of [0, -100, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => bandwidthBounds(bad)).toThrow(RangeError);
  });

  it('says why, in words an analyst can check', () => {
    expect(automaticBandwidth(3513, 250).reason).toBe(
      'Bandwidth 1,500 m, automatic: the spread of the crimes (normal reference rule) gives 3,513 m, held to at most 6 cells of 250 m so the map keeps the detail of its grid.',
    );
    expect(automaticBandwidth(943, 250).reason).toBe(
      'Bandwidth 943 m, automatic: the spread of the crimes (normal reference rule), within 500 m–1,500 m (2–6 cells of 250 m, at least 200 m).',
    );
    expect(automaticBandwidth(484, 250).reason).toBe('Bandwidth 500 m, automatic: the spread of the crimes (normal reference rule) gives 484 m, raised to at least 2 cells of 250 m.');
    expect(automaticBandwidth(120, 50).reason).toMatch(/gives 120 m, raised to at least 200 m, wider than the spacing of police\.uk map points\.$/);
    expect(automaticBandwidth(Number.NaN, 100).reason).toMatch(/could not be measured \(too few distinct points\), raised to at least 200 m/);
    const { reason: _r, ...choice } = automaticBandwidth(860, 250);
    expect(describeAutomaticBandwidth(choice)).toBe(_r);
  });
});
