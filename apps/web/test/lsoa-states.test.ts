import { describe, expect, it } from 'vitest';
import type { LsoaStatsRow, ScopeSummary } from '@safer-places/schemas';
import { buildChoropleth } from '../src/features/map/choropleth';
import { EMPTY_LSOA_VIEW, featureStateChanges, lsoaFeatureStates, lsoaViewOf } from '../src/features/map/lsoaStates';

const row = (code: string, count: number, extra: Partial<LsoaStatsRow> = {}): LsoaStatsRow => ({ code, count, ratePer1000: count * 2, population: 500, imdDecile: 3, ...extra });
const rows = [row('A', 1), row('B', 2), row('C', 3), row('D', 4), row('E', 50), row('F', 0, { ratePer1000: null, population: null, imdDecile: null })];
const mansfield: ScopeSummary = { key: 'district:E07000174', kind: 'districts', label: 'Mansfield', lsoaCount: 6, bbox: [-1.3, 53.1, -1.1, 53.2] };

describe('joining the LSOA figures onto the tiles as feature states', () => {
  it('gives each LSOA of the answer its value and choropleth class, in scope', () => {
    const c = buildChoropleth('count', rows);
    const states = lsoaFeatureStates('count', rows, c);
    expect(states.size).toBe(6);
    expect(states.get('E')).toEqual({ value: 50, class: c.classByCode.get('E'), inScope: true });
    expect(states.get('E')!.class).toBe(c.colours.length - 1); // the most crimes: the darkest class
    expect(states.get('F')).toEqual({ value: 0, class: c.classByCode.get('F'), inScope: true });
  });

  it('marks an LSOA without a value for the measure as no data (class -1, value null)', () => {
    const rate = lsoaFeatureStates('rate', rows, buildChoropleth('rate', rows));
    expect(rate.get('F')).toEqual({ value: null, class: -1, inScope: true });
    const imd = lsoaFeatureStates('imd-decile', rows, buildChoropleth('imd-decile', rows));
    expect(imd.get('A')).toEqual({ value: 3, class: 2, inScope: true }); // decile 3 is the third colour
    expect(imd.get('F')).toEqual({ value: null, class: -1, inScope: true });
  });

  it("limits the drawn LSOAs to the scope's rows, and draws every one for the whole dataset", () => {
    const c = buildChoropleth('count', rows);
    const view = lsoaViewOf({ lsoas: rows, scope: mansfield }, 'count', c);
    expect(view.scopeCodes).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    const whole = lsoaViewOf({ lsoas: rows, scope: { ...mansfield, key: 'study-area', kind: 'study-area' } }, 'count', c);
    expect(whole.scopeCodes).toBeNull();
    expect(whole.states.size).toBe(6);
    expect(lsoaViewOf(null, 'count', c)).toBe(EMPTY_LSOA_VIEW);
    expect(EMPTY_LSOA_VIEW.scopeCodes).toEqual([]); // nothing drawn before the figures say which LSOAs the place holds
  });

  it('sets only what changed when the period or category changes', () => {
    const before = lsoaFeatureStates('count', rows, buildChoropleth('count', rows));
    const later = rows.map((r) => (r.code === 'A' ? { ...r, count: 60 } : r));
    const after = lsoaFeatureStates('count', later, buildChoropleth('count', later));
    const { set, remove } = featureStateChanges(before, after);
    expect(remove).toEqual([]);
    expect(set.map(([code]) => code)).toContain('A');
    expect(set.find(([code]) => code === 'A')![1].value).toBe(60);
    for (const [code, state] of set) expect(state).not.toEqual(before.get(code));
    expect(featureStateChanges(after, after)).toEqual({ set: [], remove: [] });
  });

  it('clears the states of LSOAs the new answer no longer holds (another place)', () => {
    const before = lsoaFeatureStates('count', rows, buildChoropleth('count', rows));
    const other = [row('E', 50), row('X', 7)];
    const after = lsoaFeatureStates('count', other, buildChoropleth('count', other));
    const { set, remove } = featureStateChanges(before, after);
    expect(remove.sort()).toEqual(['A', 'B', 'C', 'D', 'F']);
    expect(set.map(([code]) => code).sort()).toEqual(['E', 'X'].filter((c) => JSON.stringify(after.get(c)) !== JSON.stringify(before.get(c))).sort());
    expect(set.map(([code]) => code)).toContain('X');
    expect(featureStateChanges(before, new Map())).toEqual({ set: [], remove: ['A', 'B', 'C', 'D', 'E', 'F'] });
  });
});
