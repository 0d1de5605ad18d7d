import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { BID_CATEGORY_OPTIONS, CRIME_CATEGORIES, type FeatureCollection, type ScopeOptions } from '@safer-places/schemas';
import { bidLayers, buildOverlay, composeStyle, LAYER_IDS, type OverlayState } from '../src/map/layers';
import { offlineStyle } from '../src/map/style';
import { buildQuery } from '../src/api/client';
import { bidsApi } from '../src/features/bids/api';
import {
  bufferFromInput,
  categoriesText,
  defaultRule,
  DEFAULT_BID_CRITERIA,
  draftInput,
  formatMargin,
  parseLsoaList,
  placeNames,
  ruleField,
  scopeOfKind,
  withCategory,
  withoutList,
  withRuleValue,
} from '../src/features/bids/criteria';
import { wait } from '../src/features/bids/useBidDraft';
import { geometryCollection, insideRing, lassoCodes, lsoaSubset, ringCentroid, toggleCodes } from '../src/features/bids/selection';

const square = (x: number, y: number, s = 1): [number, number][] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const lsoas: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(0, 0)] }, properties: { code: 'E01000001' } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(1, 0)] }, properties: { code: 'E01000002' } },
    { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [[square(5, 5, 0.1)], [square(3, 0)]] }, properties: { code: 'E01000003' } },
  ],
};

describe('OPCC list parsing', () => {
  it('takes every LSOA code once from pasted text or a CSV, whatever the separators', () => {
    const csv = 'LSOA21CD,LSOA21NM\r\nE01028001,Mansfield 001A\r\ne01028002,"Mansfield, 001B"\r\nE01028001,again\r\nW01000123;12345;E0102800';
    // A name with digits is not a code; "E0102800" is one digit short and is reported as skipped.
    expect(parseLsoaList(csv)).toEqual({ codes: ['E01028001', 'E01028002', 'W01000123'], ignored: 1 });
    expect(parseLsoaList('nothing here').codes).toEqual([]);
  });
});

describe('selection', () => {
  it('adds missing codes, and removes a group only when all of it is already chosen', () => {
    expect(toggleCodes(['E01000002'], ['E01000001'])).toEqual(['E01000001', 'E01000002']);
    expect(toggleCodes(['E01000001', 'E01000002'], ['E01000001', 'E01000002'])).toEqual([]);
    expect(toggleCodes(['E01000001'], ['E01000001', 'E01000002'])).toEqual(['E01000001', 'E01000002']);
  });

  it('lassoes the LSOAs whose centre is inside, using the largest part of a multipolygon', () => {
    expect(ringCentroid(square(0, 0, 2))).toEqual([1, 1]);
    expect(insideRing([0.5, 0.5], square(0, 0))).toBe(true);
    expect(insideRing([1.5, 0.5], square(0, 0))).toBe(false);
    // Covers the first two squares' centres only.
    expect(lassoCodes(lsoas, [[0.2, -0.5], [1.8, -0.5], [1.8, 1.5], [0.2, 1.5], [0.2, -0.5]])).toEqual(['E01000001', 'E01000002']);
    // The third LSOA's large part is at x 3..4, its tiny part at 5..5.1: only a lasso round the large part takes it.
    expect(lassoCodes(lsoas, [[4.9, 4.9], [5.2, 4.9], [5.2, 5.2], [4.9, 5.2], [4.9, 4.9]])).toEqual([]);
    expect(lassoCodes(lsoas, [[2.9, -0.1], [4.1, -0.1], [4.1, 1.1], [2.9, 1.1], [2.9, -0.1]])).toEqual(['E01000003']);
  });

  it('makes map collections from codes and geometries', () => {
    expect(lsoaSubset(lsoas, new Set(['E01000002'])).features.map((f) => f.properties.code)).toEqual(['E01000002']);
    expect(geometryCollection(null).features).toEqual([]);
    expect(geometryCollection({ type: 'Polygon', coordinates: [square(0, 0)] as never }).features).toHaveLength(1);
  });
});

describe('rules', () => {
  it('edit the one number each rule has, the share rule in per cent', () => {
    const share = defaultRule('persistent-hotspot-share');
    expect(ruleField(share)).toMatchObject({ value: 25, unit: '% of crimes', max: 100 });
    expect(withRuleValue(share, 40)).toEqual({ kind: 'persistent-hotspot-share', minShare: 0.4 });
    expect(withRuleValue(defaultRule('max-decile'), 2.6)).toEqual({ kind: 'max-decile', decile: 3 });
    expect(withRuleValue(defaultRule('rate-above-average'), 35)).toEqual({ kind: 'rate-above-average', minPercent: 35 });
  });

  it('say by how much an LSOA passes or fails, signed', () => {
    expect(formatMargin('rate-above-average', 12.34)).toBe('+12.3');
    expect(formatMargin('min-count', -4)).toBe('−4');
    expect(formatMargin('persistent-hotspot-share', 0.05)).toBe('+5 %');
    expect(formatMargin('max-decile', null)).toBe('unknown');
  });
});

describe('bid layers', () => {
  it('draw eligible, chosen, target, buffer and comparison with their own colours and line styles, in a valid style', () => {
    const b = bidLayers({});
    expect(b.sources.map((s) => s.id)).toEqual(['sp-bid-eligible', 'sp-bid-selection', 'sp-bid-target', 'sp-bid-buffer', 'sp-bid-comparison']);
    const paint = (id: string) => (b.layers.find((l) => l.id === id) as { paint: Record<string, unknown> }).paint;
    expect(paint(LAYER_IDS.bidComparisonOutline)['line-dasharray']).toBeDefined();
    expect(paint(LAYER_IDS.bidBufferOutline)['line-dasharray']).toBeDefined();
    expect(paint(LAYER_IDS.bidSelectionOutline)['line-dasharray']).toBeUndefined();
    const state: OverlayState = {
      visible: { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true },
      coverage: false,
      choropleth: { classByCode: new Map(), colours: [] },
      selected: null,
      draft: null,
      bid: {},
    };
    const ids = buildOverlay(state).layers.map((l) => l.id);
    // Over the LSOA outline, under the Safer Streets fill; the target edge last of the bid layers.
    expect(ids.indexOf(LAYER_IDS.bidEligibleFill)).toBeGreaterThan(ids.indexOf(LAYER_IDS.lsoaOutline));
    expect(ids.indexOf(LAYER_IDS.bidTargetOutline)).toBeLessThan(ids.indexOf(LAYER_IDS.saferStreetsFill));
    expect(ids.indexOf(LAYER_IDS.bidTargetOutline)).toBeGreaterThan(ids.indexOf(LAYER_IDS.bidSelectionOutline));
    expect(validateStyleMin(composeStyle(offlineStyle(), buildOverlay(state)) as never)).toEqual([]);
  });
});

describe('evaluation start month', () => {
  it('keeps the area’s own start when the data has months before and after it, else takes the middle of the data', async () => {
    const { defaultStart } = await import('../src/features/bids/EvaluationSection');
    expect(defaultStart('2024-01', '2023-01', '2024-12')).toEqual({ start: '2024-01', moved: false });
    expect(defaultStart('2022-10', '2023-01', '2024-12')).toEqual({ start: '2024-01', moved: true });
    expect(defaultStart('2023-01', '2023-01', '2024-12')).toEqual({ start: '2024-01', moved: true });
    expect(defaultStart(null, '2023-01', '2024-12')).toEqual({ start: '2024-01', moved: false });
  });
});

describe('criteria', () => {
  const option = (key: string, label: string) => ({ key, label, kind: 'districts', lsoaCount: 1 }) as ScopeOptions['districts'][number];
  const places = {
    districts: [option('district:E07000175', 'Newark and Sherwood'), option('district:E07000174', 'Mansfield')],
    csps: [option('csp:C1', 'North Notts')],
    partnerships: [option('partnership:p2', 'Zeta'), option('partnership:p1', 'Alpha')],
  } as ScopeOptions;

  it('name the places by the picker’s options, sorted, or by the LSOA layer while those are not loaded', () => {
    expect(placeNames(places, undefined)).toEqual({
      districts: [['E07000174', 'Mansfield'], ['E07000175', 'Newark and Sherwood']],
      csps: [['C1', 'North Notts']],
      partnerships: [['p1', 'Alpha'], ['p2', 'Zeta']],
    });
    const layer: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(0, 0)] }, properties: { code: 'E01000001', districtCode: 'D2', districtName: 'Bassetlaw', cspCode: 'C9' } },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(1, 0)] }, properties: { code: 'E01000002', districtCode: 'D1', districtName: 'Ashfield' } },
      ],
    };
    expect(placeNames(null, layer)).toEqual({ districts: [['D1', 'Ashfield'], ['D2', 'Bassetlaw']], csps: [['C9', 'C9']], partnerships: [] });
    // The picker's options win: the layer's names are not mixed in.
    expect(placeNames(places, layer).districts).toHaveLength(2);
  });

  it('start a "Where" choice at its first place, and refuse a kind with no place to choose', () => {
    const names = placeNames(places, undefined);
    expect(scopeOfKind('all', names, [])).toEqual({ kind: 'all' });
    expect(scopeOfKind('districts', names, [])).toEqual({ kind: 'districts', codes: ['E07000174'] });
    expect(scopeOfKind('csps', names, [])).toEqual({ kind: 'csps', codes: ['C1'] });
    expect(scopeOfKind('partnership', names, [])).toEqual({ kind: 'partnership', id: 'p1' });
    expect(scopeOfKind('area', names, [])).toBeNull();
    expect(scopeOfKind('area', names, [{ id: 'a1' }, { id: 'a2' }])).toEqual({ kind: 'area', areaId: 'a1' });
    expect(scopeOfKind('districts', placeNames(null, undefined), [])).toBeNull();
  });

  it('count at least one group of crimes, and name them', () => {
    const base = { ...DEFAULT_BID_CRITERIA, categories: ['neighbourhood-crime' as const] };
    expect(withCategory(base, 'burglary', true).categories).toEqual(['neighbourhood-crime', 'burglary']);
    expect(withCategory(base, 'neighbourhood-crime', false).categories).toEqual(['all-crime']);
    const burglary = CRIME_CATEGORIES.find((c) => c.slug === 'burglary')!.label;
    expect(categoriesText(['neighbourhood-crime', 'burglary', 'no-such-thing' as never])).toBe(`${BID_CATEGORY_OPTIONS[0]!.label}, ${burglary}, no-such-thing`);
  });

  it('drop the OPCC list, and save a trimmed draft without empty fields', () => {
    expect(withoutList({ ...DEFAULT_BID_CRITERIA, lsoaList: ['E01000001'] })).toEqual(DEFAULT_BID_CRITERIA);
    expect(draftInput({ name: '  Town centre ', round: '', notes: '  ', criteria: DEFAULT_BID_CRITERIA, selection: ['E01000001'], bufferM: 200 })).toEqual({
      name: 'Town centre',
      criteria: DEFAULT_BID_CRITERIA,
      selection: ['E01000001'],
      bufferM: 200,
    });
    expect(draftInput({ name: 'A', round: 'R2', notes: ' why ', criteria: DEFAULT_BID_CRITERIA, selection: [], bufferM: 0 })).toMatchObject({ round: 'R2', notes: 'why' });
  });

  it('keep the displacement buffer in whole metres from 0 to 5,000', () => {
    expect(bufferFromInput(249.6)).toBe(250);
    expect(bufferFromInput(-10)).toBe(0);
    expect(bufferFromInput(9000)).toBe(5000);
    expect(bufferFromInput(Number.NaN)).toBeNull();
  });
});

describe('the debounce before a bid request', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits its time, and gives up with an AbortError as soon as the request is superseded', async () => {
    vi.useFakeTimers();
    let done = false;
    const waited = wait(300, new AbortController().signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(299);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waited;
    expect(done).toBe(true);

    const controller = new AbortController();
    const aborted = wait(300, controller.signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const already = new AbortController();
    already.abort();
    await expect(wait(300, already.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('bid API calls', () => {
  it('ask the bid routes with the same methods, bodies and queries as before', async () => {
    const calls: unknown[][] = [];
    const request = (async (...args: unknown[]) => {
      calls.push(args);
      return {};
    }) as never;
    const download = async (path: string) => {
      calls.push(['download', path]);
      return { blob: new Blob([]), disposition: null };
    };
    const api = bidsApi(request, download, buildQuery);
    const signal = new AbortController().signal;
    await api.bidPresets();
    await api.eligibility({ criteria: DEFAULT_BID_CRITERIA, dataset: 'd1' }, signal);
    await api.bidSelection({ codes: ['E01000001'], dataset: 'd1', bufferM: 200 }, signal);
    await api.evaluation('ss/1', { start: '2024-01', months: 6, dataset: 'd1' });
    await api.downloadBidPack('b 1', 'd1');
    await api.downloadBidReport('b1');
    expect(calls).toEqual([
      ['GET', '/api/bid-presets'],
      ['POST', '/api/bids/eligibility', { body: { criteria: DEFAULT_BID_CRITERIA, dataset: 'd1' }, signal }],
      ['POST', '/api/bids/selection', { body: { codes: ['E01000001'], dataset: 'd1', bufferM: 200 }, signal }],
      ['GET', `/api/safer-streets-areas/ss%2F1/evaluation${buildQuery({ start: '2024-01', months: 6, dataset: 'd1' })}`],
      ['download', `/api/bids/b%201/pack${buildQuery({ dataset: 'd1' })}`],
      ['download', '/api/bids/b1/report.html'],
    ]);
  });
});
