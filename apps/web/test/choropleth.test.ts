import { describe, expect, it } from 'vitest';
import { buildChoropleth, decileLabel, measureValue, shownMeasure } from '../src/features/map/choropleth';
import { IMD_DECILE_10, NO_DATA_COLOUR, SEQUENTIAL_5, spreadColours } from '../src/map/palette';

const rows = Array.from({ length: 10 }, (_, i) => ({ code: `E0100000${i}`, count: i * 10, ratePer1000: i === 9 ? null : i * 1.5, imdDecile: i + 1 }));

describe('shownMeasure', () => {
  it('shows the measure chosen when any LSOA has it, and before any answer', () => {
    expect(shownMeasure('rate', rows)).toEqual({ measure: 'rate' });
    expect(shownMeasure('imd-decile', rows)).toEqual({ measure: 'imd-decile' });
    expect(shownMeasure('rate', [])).toEqual({ measure: 'rate' });
    expect(shownMeasure('count', rows.map((r) => ({ ...r, ratePer1000: null })))).toEqual({ measure: 'count' });
  });

  it('shows the number of crimes, saying why, when no LSOA has a rate (no population) or a decile', () => {
    const noPopulation = rows.map((r) => ({ ...r, ratePer1000: null }));
    expect(shownMeasure('rate', noPopulation)).toEqual({ measure: 'count', substitute: 'No LSOA of this place has population figures, so no rate per 1,000 residents: the map shows the number of crimes instead.' });
    const noDeprivation = rows.map((r) => ({ ...r, imdDecile: null }));
    expect(shownMeasure('imd-decile', noDeprivation)).toEqual({ measure: 'count', substitute: 'No LSOA of this place has a deprivation decile: the map shows the number of crimes instead.' });
  });
});

describe('buildChoropleth', () => {
  it('classes counts into five YlOrRd classes with labelled ranges and units: 0, then four quantile classes', () => {
    const c = buildChoropleth('count', rows);
    expect(c.colours).toEqual([...SEQUENTIAL_5]);
    expect(c.legend.map((l) => l.label)).toEqual(['0 crimes', '10–30 crimes', '40–50 crimes', '60–70 crimes', '80–90 crimes']);
    expect(c.legend.map((l) => l.lsoas)).toEqual([1, 3, 2, 2, 2]);
    expect(c.classByCode.get('E01000000')).toBe(0);
    expect(c.classByCode.get('E01000009')).toBe(4);
    expect(c.noDataLsoas).toBe(0);
  });

  it('labels rates per 1,000 with one decimal and counts a missing rate as no data', () => {
    const c = buildChoropleth('rate', rows);
    expect(c.legend[0]!.label).toBe('0 per 1,000');
    expect(c.legend[1]!.label).toBe('1.5–3.0 per 1,000');
    expect(c.classByCode.has('E01000009')).toBe(false);
    expect(c.noDataLsoas).toBe(1);
  });

  it('counts LSOAs on the map without a statistics row as no data', () => {
    const c = buildChoropleth('count', rows.slice(0, 4), ['E01000000', 'E01000001', 'E01000002', 'E01000003', 'E01999999']);
    expect(c.noDataLsoas).toBe(1);
    expect(c.classByCode.has('E01999999')).toBe(false);
  });

  it('spreads colours over the ramp when ties leave fewer classes', () => {
    const c = buildChoropleth('count', [{ code: 'a', count: 0 }, { code: 'b', count: 0 }, { code: 'c', count: 5 }]);
    expect(c.legend.map((l) => l.label)).toEqual(['0 crimes', '5 crimes']);
    expect(c.colours).toEqual([SEQUENTIAL_5[0], SEQUENTIAL_5[4]]);
  });

  it('gives a sparse category (most LSOAs with no crime) a "0 crimes" class and still splits the rest', () => {
    // 60 % zeros, as for a rare category over a few months: quantiles over all values made this "0" and "1–12" only.
    const counts = [...Array(60).fill(0), ...Array(20).fill(1), ...Array(8).fill(2), ...Array(6).fill(3), 4, 5, 6, 8, 10, 12];
    const c = buildChoropleth('count', counts.map((count, i) => ({ code: `L${i}`, count })));
    expect(c.legend[0]).toMatchObject({ label: '0 crimes', lsoas: 60, colour: SEQUENTIAL_5[0] });
    expect(c.legend.length).toBeGreaterThanOrEqual(3);
    expect(c.legend.slice(1).every((l) => !l.label.startsWith('0'))).toBe(true);
    expect(c.legend.reduce((s, l) => s + l.lsoas, 0)).toBe(100);
  });

  it('says "1 crime" for a class of exactly one', () => {
    expect(buildChoropleth('count', [{ code: 'a', count: 1 }]).legend[0]!.label).toBe('1 crime');
  });

  it('uses ten fixed IMD deciles, decile 1 (most deprived) in the darkest red', () => {
    const c = buildChoropleth('imd-decile', [...rows, { code: 'x', imdDecile: null }, { code: 'y', imdDecile: 11 }]);
    expect(c.colours).toEqual([...IMD_DECILE_10]);
    expect(c.legend).toHaveLength(10);
    expect(c.legend[0]).toEqual({ label: '1 – most deprived 10 %', colour: '#a50026', lsoas: 1 });
    expect(c.legend[9]!.label).toBe('10 – least deprived 10 %');
    expect(c.classByCode.get('E01000000')).toBe(0);
    expect(c.classByCode.get('E01000009')).toBe(9);
    expect(c.noDataLsoas).toBe(2);
    expect(c.noDataColour).toBe(NO_DATA_COLOUR);
  });

  it('gives an empty classification when nothing has data', () => {
    const c = buildChoropleth('count', [], ['a', 'b']);
    expect(c.legend).toEqual([]);
    expect(c.noDataLsoas).toBe(2);
  });
});

describe('helpers', () => {
  it('reads the chosen measure from a row', () => {
    expect(measureValue('count', { code: 'a', count: 3, ratePer1000: 1.2, imdDecile: 4 })).toBe(3);
    expect(measureValue('rate', { code: 'a', count: 3, ratePer1000: 1.2, imdDecile: 4 })).toBe(1.2);
    expect(measureValue('imd-decile', { code: 'a', count: 3, ratePer1000: 1.2, imdDecile: 4 })).toBe(4);
    expect(measureValue('rate', { code: 'a', count: 3, ratePer1000: null })).toBeNull();
  });
  it('labels the ends of the deprivation scale', () => {
    expect(decileLabel(1)).toMatch(/most deprived/);
    expect(decileLabel(5)).toBe('5');
    expect(decileLabel(10)).toMatch(/least deprived/);
  });
  it('spreads n colours from light to dark', () => {
    expect(spreadColours(SEQUENTIAL_5, 1)).toEqual(['#ffffb2']);
    expect(spreadColours(SEQUENTIAL_5, 3)).toEqual(['#ffffb2', '#fd8d3c', '#bd0026']);
    expect(spreadColours(SEQUENTIAL_5, 0)).toEqual([]);
  });
});
