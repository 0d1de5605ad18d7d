import { describe, expect, it } from 'vitest';
import { LINK_LAYERS, URL_STATE_VERSION, centreDigits, decodeViewState, encodeViewState, hrefWithView, type ViewState } from '../src/app/urlState';

const full: ViewState = {
  dataset: 'open-data',
  map: { zoom: 11.2, lat: 53.1412, lon: -1.1935 },
  layers: ['lsoas', 'cameras', 'coverage'],
  measure: 'rate',
  category: 'burglary',
  period: { choice: 'last-12' },
  open: { kind: 'lsoa', code: 'E01028000' },
};

describe('the view in the address (version 1)', () => {
  it('writes a short, readable hash: version first, codes unescaped', () => {
    expect(encodeViewState(full)).toBe(
      'v=1&ds=open-data&map=11.20/53.14120/-1.19350&layers=lsoas,cameras,coverage&measure=rate&cat=burglary&period=12m&open=lsoa:E01028000',
    );
    expect(URL_STATE_VERSION).toBe(1);
    expect(encodeViewState({})).toBe('v=1');
  });

  it('reads back what it writes, for every kind of open item and period', () => {
    const cases: ViewState[] = [
      full,
      { ...full, period: { choice: 'custom', from: '2024-01', to: '2024-12' }, open: { kind: 'panel', tool: 'hotspots' } },
      { ...full, period: { choice: 'last-1' }, open: { kind: 'item', layer: 'cameras', id: '3f2a9c1e-7b1d-4c55-9a0e-2f1b6c7d8e90' } },
      { ...full, period: { choice: 'last-3' }, open: { kind: 'item', layer: 'help-points', id: 'hp-1' } },
      { ...full, open: { kind: 'item', layer: 'pspo-zones', id: 'p_1' } },
      { ...full, open: { kind: 'item', layer: 'safer-streets-areas', id: 'ss.2' } },
      { ...full, open: { kind: 'item', layer: 'areas', id: 'area-9' } },
      { ...full, open: { kind: 'panel', tool: 'bid' }, category: 'neighbourhood-crime', measure: 'imd-decile' },
      { ...full, open: { kind: 'panel', tool: 'planner' }, category: 'all-crime', measure: 'count' },
      { open: { kind: 'lsoa', code: 'DEMO00268' } },
      { open: { kind: 'lsoa', code: 'W01000001' } },
      { layers: [] },
      { layers: [...LINK_LAYERS] },
    ];
    for (const state of cases) {
      const back = decodeViewState(`#${encodeViewState(state)}`);
      expect(back.problems).toEqual([]);
      expect(back.isLink).toBe(true);
      expect(back.state).toEqual(state);
    }
  });

  it('keeps the centre to about a tenth of a pixel: more digits the closer the zoom', () => {
    expect(centreDigits(3)).toBe(2);
    expect(centreDigits(9)).toBe(4);
    expect(centreDigits(11.2)).toBe(5);
    expect(centreDigits(16)).toBe(6);
    expect(centreDigits(22)).toBe(6);
    const back = decodeViewState(encodeViewState({ map: { zoom: 15.55, lat: 53.123456789, lon: -1.987654321 } })).state.map!;
    expect(back.zoom).toBe(15.55);
    expect(Math.abs(back.lat - 53.123456789)).toBeLessThan(1e-6);
    expect(Math.abs(back.lon + 1.987654321)).toBeLessThan(1e-6);
  });

  it('writes the layers in one fixed order, whatever order they were given in', () => {
    expect(encodeViewState({ layers: ['areas', 'cameras', 'lsoas'] })).toBe('v=1&layers=lsoas,cameras,areas');
  });

  it('replaces only the hash of an address, keeping its path and query (the place)', () => {
    expect(hrefWithView('https://x.example/app?scope=district:E07000174#controls', { measure: 'count' })).toBe(
      'https://x.example/app?scope=district:E07000174#v=1&measure=count',
    );
    expect(hrefWithView('/?scope=study-area', {})).toBe('/?scope=study-area#v=1');
  });
});

describe('reading a link that is not quite right', () => {
  it('is no link at all without a version: an empty hash or the skip link target', () => {
    for (const hash of ['', '#', '#controls', 'controls', '#measure=rate']) {
      expect(decodeViewState(hash)).toEqual({ isLink: false, state: {}, problems: [] });
    }
  });

  it('reads nothing of a link from another version, and says so', () => {
    const r = decodeViewState('#v=2&measure=rate&map=10/53/-1');
    expect(r.isLink).toBe(true);
    expect(r.state).toEqual({});
    expect(r.problems).toEqual([expect.stringMatching(/another version.*version 2/)]);
  });

  it('leaves out each bad value, says which, and keeps the rest', () => {
    const bad: [string, string, RegExp][] = [
      ['ds', 'no spaces allowed', /dataset/],
      ['map', '11/53.1', /map position.*zoom\/latitude\/longitude/],
      ['map', 'x/53/-1', /map position/],
      ['map', '30/53/-1', /zoom is out of range/],
      ['map', '10/91/-1', /not on the map/],
      ['map', '10/53/200', /not on the map/],
      ['map', 'Infinity/53/-1', /map position/],
      ['map', '1e3/53/-1', /map position/],
      ['measure', 'per-head', /measure/],
      ['cat', 'shoplifting-and-more', /crime type/],
      ['period', '24m', /period/],
      ['period', '2024-13..2024-12', /period/],
      ['period', '2024-06..2024-01', /ends before it starts/],
      ['open', 'lsoa:e01028000', /LSOA code/],
      ['open', 'lsoa:E01 028000', /LSOA code/],
      ['open', `lsoa:E${'0'.repeat(20)}`, /LSOA code/],
      ['open', 'panel:users', /panel/],
      ['open', 'camera:<script>', /id/],
      ['open', 'camera:', /id/],
      ['open', 'user:someone', /kind/],
      ['open', 'lsoa', /LSOA code/],
    ];
    const good: Record<string, string> = { ds: 'open-data', map: '10/53/-1', measure: 'count', cat: 'robbery', period: '3m', open: 'panel:bid' };
    const field: Record<string, keyof ViewState> = { ds: 'dataset', map: 'map', measure: 'measure', cat: 'category', period: 'period', open: 'open' };
    const expected = decodeViewState(`#v=1&${Object.entries(good).map(([k, v]) => `${k}=${v}`).join('&')}`).state;
    expect(Object.keys(expected)).toHaveLength(6);
    for (const [key, value, why] of bad) {
      const entries = Object.entries({ ...good, [key]: encodeURIComponent(value) });
      const r = decodeViewState(`#v=1&${entries.map(([k, v]) => `${k}=${v}`).join('&')}`);
      expect(r.problems, `${key}=${value}`).toEqual([expect.stringMatching(why)]);
      const { [field[key]!]: _left, ...rest } = expected;
      expect(r.state, `${key}=${value}`).toEqual(rest);
    }
  });

  it('uses the known layers of a list and names the unknown ones', () => {
    const r = decodeViewState('#v=1&layers=cameras,streetlights,lsoas');
    expect(r.state.layers).toEqual(['lsoas', 'cameras']);
    expect(r.problems).toEqual([expect.stringContaining('streetlights')]);
    expect(decodeViewState('#v=1&layers=').state.layers).toEqual([]);
  });

  it('ignores keys it does not keep (a token pasted in is never used), and escapes it cannot read', () => {
    const r = decodeViewState('#v=1&token=abc.def.ghi&measure=rate&x=%E0%A4%A&cat=%ZZ');
    expect(r.state).toEqual({ measure: 'rate' });
    expect(r.problems).toHaveLength(3);
    expect(r.problems.join(' ')).not.toContain('abc.def.ghi');
  });

  it('takes the first of a repeated key', () => {
    expect(decodeViewState('#v=1&measure=count&measure=rate').state.measure).toBe('count');
  });

  it('never throws, whatever the hash', () => {
    const junk = ['#v=1&&&', '#v=1&=&=', '#%', '#v=%', '#v=1&map=//', '#v=1&open=:', '#v=1&period=..', `#v=1&ds=${'a'.repeat(5000)}`, '#v=1&open=constructor:x', '#v=1&open=__proto__:x'];
    for (const hash of junk) expect(() => decodeViewState(hash)).not.toThrow();
    expect(decodeViewState('#v=1&open=constructor:x').state.open).toBeUndefined();
    expect(decodeViewState('#v=1&open=toString:x').state.open).toBeUndefined();
  });
});
