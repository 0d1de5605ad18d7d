import { describe, expect, it, vi } from 'vitest';
import { expression, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { SearchAnswer, SearchResult } from '@safer-places/schemas';
import { CLOSED, comboKey, optionLabel, resultsAnnouncement, type ComboState } from '../src/features/search/combobox';
import { highlightLayers, outlineFilter, SEARCH_LAYERS } from '../src/features/search/highlight';
import { lsoaPanelProperties, pickPlan } from '../src/features/search/pick';
import { isTypingTarget } from '../src/features/search/shortcut';
import { searchApi } from '../src/features/search/api';
import { buildOverlay, composeStyle, type OverlayState } from '../src/map/layers';
import { offlineStyle } from '../src/map/style';

const lsoa = { code: 'E01028345', name: 'Nottingham 001A', districtCode: 'E06000018', districtName: 'Nottingham', wardName: 'Bulwell', population: 1500, imdDecile: 2, deprivationSource: 'IoD 2025' };
const R = {
  lsoa: { kind: 'lsoa', id: 'E01028345', label: 'Nottingham 001A', detail: 'LSOA E01028345 in Bulwell ward, Nottingham', bbox: [-1.2, 53.0, -1.19, 53.01], point: [-1.195, 53.005], lsoaCode: 'E01028345', lsoa },
  ward: { kind: 'ward', id: 'E06000018:Bulwell', label: 'Bulwell', detail: 'Ward in Nottingham · 8 LSOAs', bbox: [-1.22, 52.99, -1.18, 53.02], point: [-1.2, 53.005] },
  town: { kind: 'place', id: 'E07000170:town:Hucknall', label: 'Hucknall', detail: 'Town in Ashfield · wards Hucknall North, Hucknall South', bbox: [-1.22, 53.02, -1.18, 53.05], point: [-1.2, 53.035], wards: ['Hucknall North', 'Hucknall South'] },
  district: { kind: 'district', id: 'E07000170', label: 'Ashfield', detail: 'District · 77 LSOAs', bbox: [-1.35, 52.98, -1.15, 53.18], point: [-1.25, 53.08] },
  location: { kind: 'location', id: '-1.195000,53.005000|On or near Supermarket', label: 'On or near Supermarket', detail: '3 crimes at this point, 2024-06 · Bulwell ward, Nottingham', bbox: [-1.198, 53.003, -1.192, 53.007], point: [-1.195, 53.005], lsoaCode: 'E01028345', lsoa, crimes: 3 },
  postcode: { kind: 'postcode', id: 'NG6 8AA', label: 'NG6 8AA', detail: 'Postcode in Bulwell ward, Nottingham · LSOA Nottingham 001A', bbox: [-1.199, 53.002, -1.193, 53.006], point: [-1.196, 53.004], lsoaCode: 'E01028345', lsoa },
  postcodeDistrict: { kind: 'postcode', id: 'NG6', label: 'NG6', detail: 'Postcode district · 3 live postcodes', bbox: [-1.2, 53.0, -1.18, 53.01], point: [-1.19, 53.005] },
} satisfies Record<string, SearchResult>;

describe('the combobox keys', () => {
  const opts = (count: number, current = true, hasText = true) => ({ count, current, hasText });
  const press = (state: ComboState, ...keys: [string, ReturnType<typeof opts>][]) => keys.reduce((s, [k, o]) => comboKey(s, k, o).state, state);

  it('moves the active option down and up, wrapping, and opens the list', () => {
    expect(comboKey(CLOSED, 'ArrowDown', opts(3)).state).toEqual({ open: true, active: 0 });
    expect(press(CLOSED, ['ArrowDown', opts(3)], ['ArrowDown', opts(3)], ['ArrowDown', opts(3)], ['ArrowDown', opts(3)])).toEqual({ open: true, active: 0 });
    expect(comboKey(CLOSED, 'ArrowUp', opts(3)).state).toEqual({ open: true, active: 2 });
    expect(comboKey({ open: true, active: 0 }, 'ArrowUp', opts(3)).state).toEqual({ open: true, active: 2 });
    expect(comboKey(CLOSED, 'ArrowDown', opts(0))).toMatchObject({ state: CLOSED, handled: true });
  });

  it('picks the active option with Enter, or the first when none is active', () => {
    expect(comboKey({ open: true, active: 2 }, 'Enter', opts(3))).toEqual({ state: CLOSED, action: { kind: 'pick', index: 2 }, handled: true });
    expect(comboKey(CLOSED, 'Enter', opts(3)).action).toEqual({ kind: 'pick', index: 0 });
    // Results of an older text: wait for the ones of the text in the box.
    expect(comboKey(CLOSED, 'Enter', opts(3, false)).action).toEqual({ kind: 'pick-when-ready' });
    expect(comboKey(CLOSED, 'Enter', opts(0)).action).toBeNull();
    // An empty box lets Enter be (nothing to search).
    expect(comboKey(CLOSED, 'Enter', opts(0, false, false)).handled).toBe(false);
  });

  it('closes the list with Escape, then clears the box, then lets Escape through to the page', () => {
    expect(comboKey({ open: true, active: 1 }, 'Escape', opts(3))).toEqual({ state: CLOSED, action: null, handled: true });
    expect(comboKey(CLOSED, 'Escape', opts(3))).toEqual({ state: CLOSED, action: { kind: 'clear' }, handled: true });
    expect(comboKey(CLOSED, 'Escape', opts(0, false, false)).handled).toBe(false);
  });

  it('leaves other keys to the text box', () => {
    for (const k of ['a', 'Home', 'End', 'ArrowLeft', 'Tab']) expect(comboKey({ open: true, active: 1 }, k, opts(3)).handled).toBe(false);
  });
});

describe('what is announced', () => {
  const answer = (results: SearchResult[], extra: Partial<SearchAnswer> = {}): SearchAnswer => ({ dataset: { id: 'd', name: 'D', synthetic: false }, q: 'bul', results, notes: [], truncated: false, ...extra });
  it('says how many places were found and how to choose', () => {
    expect(resultsAnnouncement('bul', answer([R.ward, R.lsoa]), 'done')).toBe('2 results for “bul”. Up and down arrows to choose, Enter to show.');
    expect(resultsAnnouncement('bul', answer([R.ward], { truncated: true }), 'done')).toMatch(/^1 result for “bul” \(more match: type more to narrow\)/);
    expect(resultsAnnouncement('zzz', answer([], { notes: ['No postcodes were imported with this dataset.'] }), 'done')).toBe('No places found for “zzz”. No postcodes were imported with this dataset.');
    expect(resultsAnnouncement('bul', undefined, 'loading')).toBe('Searching…');
    expect(resultsAnnouncement('b', undefined, 'idle')).toBe('');
    expect(resultsAnnouncement('bul', undefined, 'error', 'server down')).toBe('Search failed: server down');
  });
  it('reads each option as kind, name and where', () => {
    expect(optionLabel(R.location)).toBe('police.uk location: On or near Supermarket. 3 crimes at this point, 2024-06 · Bulwell ward, Nottingham');
  });
});

describe('picking a result', () => {
  it('fits an LSOA, outlines it and opens its details', () => {
    const plan = pickPlan(R.lsoa);
    expect(plan).toMatchObject({ bbox: R.lsoa.bbox, outline: true, marker: null });
    expect(plan.lsoa?.code).toBe('E01028345');
    expect(lsoaPanelProperties(plan.lsoa!)).toMatchObject({ code: 'E01028345', name: 'Nottingham 001A', wardName: 'Bulwell', districtName: 'Nottingham', population: 1500 });
  });
  it('fits and outlines a ward, town or district without opening an LSOA', () => {
    expect(pickPlan(R.ward)).toMatchObject({ bbox: R.ward.bbox, lsoa: null, outline: true, marker: null, message: 'Showing ward Bulwell (outlined): Ward in Nottingham · 8 LSOAs.' });
    expect(pickPlan(R.town)).toMatchObject({ bbox: R.town.bbox, outline: true, lsoa: null });
    expect(pickPlan(R.district)).toMatchObject({ bbox: R.district.bbox, outline: true });
  });
  it('marks a location or postcode and opens the LSOA it lies in', () => {
    expect(pickPlan(R.location)).toMatchObject({ marker: [-1.195, 53.005], bbox: R.location.bbox, outline: false, message: 'Marked police.uk location On or near Supermarket; LSOA Nottingham 001A is in the side panel.' });
    expect(pickPlan(R.postcode).lsoa?.code).toBe('E01028345');
    expect(pickPlan(R.postcodeDistrict)).toMatchObject({ marker: null, lsoa: null, bbox: R.postcodeDistrict.bbox });
  });
});

describe('the highlight on the map', () => {
  const TILES = 'http://localhost/api/tiles/lsoas/{z}/{x}/{y}.mvt?dataset=d';
  const overlay: OverlayState = { visible: { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true }, coverage: false, choropleth: { classByCode: new Map([['E01028345', 1]]), colours: ['#ffffff', '#cccccc'] }, lsoaTileUrl: TILES, lsoaScope: null, selected: null, draft: null };

  it('filters the LSOA tiles to the place picked', () => {
    expect(outlineFilter(R.lsoa)).toEqual(['==', ['get', 'code'], 'E01028345']);
    expect(outlineFilter(R.ward)).toEqual(['all', ['==', ['get', 'districtCode'], 'E06000018'], ['==', ['get', 'wardName'], 'Bulwell']]);
    expect(outlineFilter(R.town)).toEqual(['all', ['==', ['get', 'districtCode'], 'E07000170'], ['in', ['get', 'wardName'], ['literal', ['Hucknall North', 'Hucknall South']]]]);
    expect(outlineFilter(R.district)).toEqual(['==', ['get', 'districtCode'], 'E07000170']);
    expect(outlineFilter(R.location)).toBeNull();
    // The filters evaluate as meant on a tile feature's properties.
    const f = expression.createExpression(outlineFilter(R.town) as never, { type: 'boolean', 'property-type': 'data-driven', expression: { interpolated: false, parameters: ['zoom', 'feature'] } } as never);
    if (f.result !== 'success') throw new Error('not an expression');
    const run = (properties: Record<string, unknown>) => f.value.evaluate({ zoom: 12 }, { type: 'Polygon', properties } as never);
    expect(run({ districtCode: 'E07000170', wardName: 'Hucknall South' })).toBe(true);
    expect(run({ districtCode: 'E07000170', wardName: 'Selston' })).toBe(false);
  });

  it('passes the MapLibre style validator above the whole overlay', () => {
    const bundle = highlightLayers({ outline: outlineFilter(R.ward), marker: [-1.195, 53.005] });
    expect(bundle.layers.map((l) => l.id)).toEqual([...SEARCH_LAYERS]);
    const style = composeStyle(composeStyle(offlineStyle(), buildOverlay(overlay)), bundle);
    expect(validateStyleMin(style as never)).toEqual([]);
    // Dashed and cased: a line style as well as a colour.
    const outline = bundle.layers.find((l) => l.id === 'sp-search-outline') as { paint: Record<string, unknown> };
    expect(outline.paint['line-dasharray']).toEqual([2, 1]);
  });

  it('draws nothing for nothing', () => {
    expect(highlightLayers({ outline: null, marker: null })).toEqual({ sources: [], layers: [] });
  });
});

describe('the "/" shortcut', () => {
  it('is text inside text fields, a shortcut elsewhere', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' } as never)).toBe(true);
    expect(isTypingTarget({ tagName: 'input', type: 'search' } as never)).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' } as never)).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true } as never)).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' } as never)).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' } as never)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('the search call', () => {
  it('asks GET /api/search with the text, dataset and view', async () => {
    const request = vi.fn(async () => ({ results: [] }) as never);
    const api = searchApi(request as never, (p) => `?${new URLSearchParams(p as Record<string, string>).toString()}`);
    await api.search({ q: 'NG6 8AA', dataset: 'open-data', bbox: '-1.2,53,-1.1,53.1' });
    expect(request).toHaveBeenCalledWith('GET', '/api/search?q=NG6+8AA&dataset=open-data&bbox=-1.2%2C53%2C-1.1%2C53.1', {});
  });
});
