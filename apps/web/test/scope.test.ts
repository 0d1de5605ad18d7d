import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../src/api/client';
import type { ScopeOptions } from '@safer-places/schemas';
import {
  MAP_VIEW_CHOICE,
  answerScope,
  bidScopeFor,
  bidScopeWords,
  featuresBBox,
  groupScopeOptions,
  isKnownScope,
  landingScope,
  parseKey,
  scopeForNewOptions,
  scopeFitBox,
  scopeFromSearch,
  scopeLabelOf,
  scopeSentence,
  searchWithScope,
  urlWithScope,
  viewScopeKey,
} from '../src/features/scope/scopeState';
import { placeText } from '../src/features/scope/place';
import { districtChoices, partnershipSummary } from '../src/features/scope/partnerships';
import { accountingLines, studyAreaDistricts, studyAreaLine, studyAreaSummary } from '../src/features/scope/studyArea';
import { DEFAULT_PLANNER_QUERY, plannerRequestKey, plannerSelection } from '../src/features/planner/query';

const options: ScopeOptions = {
  dataset: { id: 'open-data', name: 'Nottinghamshire open data', synthetic: false },
  studyArea: { key: 'study-area', kind: 'study-area', label: 'Nottinghamshire police force area (8 districts)', lsoaCount: 684 },
  districts: [
    { key: 'district:E07000175', kind: 'districts', label: 'Newark and Sherwood', lsoaCount: 75, group: 'Bassetlaw, Newark and Sherwood' },
    { key: 'district:E07000174', kind: 'districts', label: 'Mansfield', lsoaCount: 68, group: 'Mansfield' },
    { key: 'district:E07000171', kind: 'districts', label: 'Bassetlaw', lsoaCount: 69, group: 'Bassetlaw, Newark and Sherwood' },
  ],
  csps: [
    { key: 'csp:E22000300', kind: 'csp', label: 'Mansfield CSP', lsoaCount: 68 },
    { key: 'csp:E22000299', kind: 'csp', label: 'Bassetlaw, Newark and Sherwood CSP', lsoaCount: 144 },
  ],
  partnerships: [{ key: 'partnership:p1', kind: 'partnership', label: 'Hotspot Action Fund county areas', lsoaCount: 30 }],
  areas: [{ key: 'area:a1', kind: 'area', label: 'Drawn area: Market Place', lsoaCount: 3 }],
  home: { key: 'district:E07000174', kind: 'districts', label: 'Mansfield', lsoaCount: 68, bbox: [-1.26, 53.1, -1.1, 53.2] },
  homeKey: 'district:E07000174',
};

describe('scope in the URL', () => {
  it('reads ?scope= into its canonical key, with either escaping', () => {
    expect(scopeFromSearch('?scope=district:E07000174')).toEqual({ key: 'district:E07000174', problem: null });
    expect(scopeFromSearch('?scope=district%3AE07000174')).toEqual({ key: 'district:E07000174', problem: null });
    expect(scopeFromSearch('?x=1&scope=districts:e07000175,E07000171').key).toBe('district:E07000171,E07000175');
    expect(scopeFromSearch('?scope=csp:E22000300').key).toBe('csp:E22000300');
    expect(scopeFromSearch('?scope=partnership:p1').key).toBe('partnership:p1');
    expect(scopeFromSearch('?scope=study-area').key).toBe('study-area');
    expect(scopeFromSearch('?scope=view:-1.3,53.1,-1.1,53.2').key).toBe('view:-1.3,53.1,-1.1,53.2');
  });

  it('names no scope when the URL has none, and reports one it cannot read', () => {
    expect(scopeFromSearch('')).toEqual({ key: null, problem: null });
    expect(scopeFromSearch('?scope=')).toEqual({ key: null, problem: null });
    const bad = scopeFromSearch('?scope=county:notts');
    expect(bad.key).toBeNull();
    expect(bad.problem).toMatch(/could not be read.*unknown scope/);
    expect(scopeFromSearch('?scope=view:1,2,0,3').problem).toMatch(/west < east/);
  });

  it('writes the scope readably and keeps every other parameter', () => {
    expect(searchWithScope('', 'district:E07000174')).toBe('?scope=district:E07000174');
    expect(searchWithScope('?a=1&scope=study-area&b=2', 'district:E07000171,E07000175')).toBe('?a=1&b=2&scope=district:E07000171,E07000175');
    expect(searchWithScope('?scope=csp:E22000300', null)).toBe('');
    expect(searchWithScope('?a=1', 'partnership:a b')).toBe('?a=1&scope=partnership:a%20b');
    expect(urlWithScope('/app?dataset=x#legend', 'csp:E22000300')).toBe('/app?dataset=x&scope=csp:E22000300#legend');
    expect(urlWithScope('http://localhost:3000/', 'study-area')).toBe('http://localhost:3000/?scope=study-area');
  });

  it('round-trips: what is written is read back as the same scope', () => {
    for (const key of ['study-area', 'district:E07000174', 'district:E07000171,E07000175', 'csp:E22000300', 'partnership:p1', 'area:a1', viewScopeKey([-1.2345678, 53.1, -1.1, 53.2])]) {
      expect(scopeFromSearch(searchWithScope('?keep=1', key)).key).toBe(key);
    }
    expect(viewScopeKey([-1.2345678, 53.123456789, -1.1, 53.2])).toBe('view:-1.23457,53.12346,-1.1,53.2');
  });
});

describe('where a user lands', () => {
  it('uses the place the link names when the dataset holds it', () => {
    expect(landingScope('csp:E22000299', options)).toEqual({ key: 'csp:E22000299', source: 'url', problem: null });
    expect(landingScope('district:E07000171,E07000175', options).source).toBe('url');
    expect(landingScope('view:-1.3,53.1,-1.1,53.2', options).source).toBe('url');
  });

  it("otherwise lands on the organisation's home scope, saying why a link's place was not used", () => {
    expect(landingScope(null, options)).toEqual({ key: 'district:E07000174', source: 'home', problem: null });
    const other = landingScope('district:E07000999', options);
    expect(other.key).toBe('district:E07000174');
    expect(other.problem).toMatch(/not in Nottinghamshire open data: showing Mansfield/);
    expect(landingScope('partnership:gone', options).source).toBe('home');
  });

  it('keeps the place across a dataset change only when the new dataset holds it', () => {
    expect(scopeForNewOptions('csp:E22000300', options)).toBe('csp:E22000300');
    expect(scopeForNewOptions('district:E06000018', options)).toBe('district:E07000174');
    expect(scopeForNewOptions(null, options)).toBe('district:E07000174');
    expect(isKnownScope('district:E07000174,E07000999', options)).toBe(false);
    expect(isKnownScope('nonsense', options)).toBe(false);
  });

  it('names a scope key in words', () => {
    expect(scopeLabelOf('district:E07000174', options)).toBe('Mansfield');
    expect(scopeLabelOf('district:E07000175,E07000171', options)).toBe('Bassetlaw, Newark and Sherwood');
    expect(scopeLabelOf('csp:E22000299', options)).toBe('Bassetlaw, Newark and Sherwood CSP');
    expect(scopeLabelOf('view:-1.3,53.1,-1.1,53.2', options)).toBe('Map view');
    expect(scopeLabelOf('study-area', null)).toBe('Study area');
    expect(scopeLabelOf('district:E07000174', null)).toBe('E07000174');
  });
});

describe('the picker groups', () => {
  it('lists study area, CSPs, districts, partnership areas, drawn areas and the map view, in that order, by name', () => {
    const groups = groupScopeOptions(options, { key: 'district:E07000174', label: 'Mansfield' });
    expect(groups.map((g) => g.label)).toEqual(['Study area', 'Community Safety Partnerships', 'Districts', 'Partnership areas', 'Drawn areas', 'Map view']);
    expect(groups[1]!.options.map((o) => o.value)).toEqual(['csp:E22000299', 'csp:E22000300']);
    expect(groups[2]!.options.map((o) => o.label)).toEqual(['Bassetlaw', 'Mansfield', 'Newark and Sherwood']);
    expect(groups[0]!.options[0]!.text).toBe('Nottinghamshire police force area (8 districts) (684 LSOAs)');
    expect(groups[2]!.options[1]!.text).toBe('Mansfield (home, 68 LSOAs)');
    expect(groups[5]!.options).toEqual([{ value: MAP_VIEW_CHOICE, text: 'Map view (what the map shows)', label: 'Map view', kind: 'view' }]);
  });

  it('leaves out empty groups but always offers the map view', () => {
    const bare = { ...options, csps: [], partnerships: [], areas: [] };
    expect(groupScopeOptions(bare).map((g) => g.id)).toEqual(['study-area', 'districts', 'view']);
    expect(groupScopeOptions(null).map((g) => g.id)).toEqual(['view']);
  });

  it('adds a current place the options do not list, so the picker can show it', () => {
    const two = groupScopeOptions(options, { key: 'district:E07000171,E07000175', label: 'Bassetlaw, Newark and Sherwood' });
    expect(two.find((g) => g.id === 'districts')!.options[0]).toMatchObject({ value: 'district:E07000171,E07000175', text: 'Bassetlaw, Newark and Sherwood' });
    const view = groupScopeOptions(options, { key: 'view:-1.3,53.1,-1.1,53.2', label: 'Map view' }).find((g) => g.id === 'view')!;
    expect(view.options.map((o) => o.value)).toEqual(['view:-1.3,53.1,-1.1,53.2', MAP_VIEW_CHOICE]);
    // Without the options (the server could not be reached) the place from the link is still shown.
    expect(groupScopeOptions(null, { key: 'csp:E22000300', label: 'E22000300' }).map((g) => g.id)).toEqual(['csps', 'view']);
  });
});

describe("the bid panel's eligibility scope from the session's place", () => {
  it('maps each kind of place to the eligibility scope of the same LSOAs', () => {
    expect(bidScopeFor(parseKey('study-area'))).toEqual({ kind: 'all' });
    expect(bidScopeFor(parseKey('district:E07000174'))).toEqual({ kind: 'districts', codes: ['E07000174'] });
    expect(bidScopeFor(parseKey('district:E07000175,E07000171'))).toEqual({ kind: 'districts', codes: ['E07000171', 'E07000175'] });
    expect(bidScopeFor(parseKey('csp:E22000300'))).toEqual({ kind: 'csps', codes: ['E22000300'] });
    expect(bidScopeFor(parseKey('partnership:p1'))).toEqual({ kind: 'partnership', id: 'p1' });
    expect(bidScopeFor(parseKey('area:a1'))).toEqual({ kind: 'area', areaId: 'a1' });
  });

  it('uses every LSOA of the dataset for a map view (bids have no view kind) or no place yet', () => {
    expect(bidScopeFor(parseKey('view:-1.3,53.1,-1.1,53.2'))).toEqual({ kind: 'all' });
    expect(bidScopeFor(null)).toEqual({ kind: 'all' });
  });

  it('says the eligibility scope in words', () => {
    const names = { districts: [['E07000174', 'Mansfield']] as const, csps: [['E22000300', 'Mansfield CSP']] as const, partnerships: [['p1', 'HAF areas']] as const };
    expect(bidScopeWords({ kind: 'districts', codes: ['E07000174'] }, names, [])).toBe('Mansfield');
    expect(bidScopeWords({ kind: 'csps', codes: ['E22000300'] }, names, [])).toBe('Mansfield CSP');
    expect(bidScopeWords({ kind: 'partnership', id: 'p1' }, names, [])).toBe('HAF areas');
    expect(bidScopeWords({ kind: 'area', areaId: 'a1' }, names, [{ id: 'a1', name: 'Market Place' }])).toBe('Drawn area: Market Place');
    expect(bidScopeWords({ kind: 'all' }, names, [])).toBe('every LSOA in the dataset');
  });
});

describe('answers and their place', () => {
  it("reads an answer's scope summary, and nothing from an answer without one", () => {
    const summary = { key: 'district:E07000174', kind: 'districts' as const, label: 'Mansfield', lsoaCount: 68, bbox: [-1.26, 53.1, -1.1, 53.2] as [number, number, number, number] };
    expect(answerScope({ crimes: 3, scope: summary })).toBe(summary);
    expect(answerScope({ crimes: 3 })).toBeNull();
    expect(answerScope({ scope: 'district' })).toBeNull();
    expect(answerScope(null)).toBeNull();
    expect(scopeSentence(summary)).toBe('Figures for Mansfield (68 LSOAs)');
    expect(scopeSentence({ kind: 'area', label: 'Drawn area: Market Place', lsoaCount: 1 })).toBe('Figures for Drawn area: Market Place (1 LSOA at least half inside)');
  });

  it('fits the map to the home box at once, else to the LSOAs loaded for that place', () => {
    const poly = { geometry: { type: 'Polygon', coordinates: [[[-1.3, 53.1], [-1.1, 53.1], [-1.1, 53.2], [-1.3, 53.1]]] } };
    const layer = { features: [poly] };
    expect(scopeFitBox(null, layer, 'csp:E22000300')).toBeNull();
    expect(scopeFitBox({ key: 'district:E07000174', seq: 1, bbox: [0, 1, 2, 3] }, null, null)).toEqual({ bbox: [0, 1, 2, 3], seq: 1 });
    expect(scopeFitBox({ key: 'csp:E22000300', seq: 2, bbox: null }, layer, 'study-area')).toBeNull(); // the old place's LSOAs
    expect(scopeFitBox({ key: 'csp:E22000300', seq: 2, bbox: null }, layer, 'csp:E22000300')).toEqual({ bbox: [-1.3, 53.1, -1.1, 53.2], seq: 2 });
    expect(scopeFitBox({ key: 'csp:E22000300', seq: 3, bbox: null }, { ...layer, scope: { bbox: [1, 2, 3, 4] } }, 'csp:E22000300')).toEqual({ bbox: [1, 2, 3, 4], seq: 3 });
  });

  it('fits the map to the box the LSOA statistics name for that place (no geometry needed)', () => {
    const stats: { scope?: { key: string; bbox: [number, number, number, number] }; lsoas: [] } = { scope: { key: 'district:E07000175', bbox: [-1.1, 52.9, -0.7, 53.3] }, lsoas: [] };
    const fit = { key: 'district:E07000175', seq: 4, bbox: null };
    expect(scopeFitBox(fit, stats, stats.scope!.key)).toEqual({ bbox: [-1.1, 52.9, -0.7, 53.3], seq: 4 });
    expect(scopeFitBox(fit, stats, 'district:E07000174')).toBeNull(); // the figures of the place before
    const noSummary: typeof stats = { lsoas: [] };
    expect(scopeFitBox(fit, noSummary, fit.key)).toBeNull(); // an answer without a scope summary has no box
  });

  it('boxes the features of a layer', () => {
    const poly = (x: number, y: number) => ({ geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y]]] } });
    expect(featuresBBox([poly(0, 50), { geometry: { type: 'MultiPolygon', coordinates: [[[[2, 49], [3, 49], [3, 52], [2, 49]]]] } }])).toEqual([0, 49, 3, 52]);
    expect(featuresBBox([])).toBeNull();
  });

  it('puts the planner request for another place under another key, and sends the place', () => {
    const ds = { id: 'open-data', version: 'v1', firstMonth: '2024-01', lastMonth: '2024-12' };
    const q = { ...DEFAULT_PLANNER_QUERY, start: [-1.2, 53.14] as [number, number] };
    const a = plannerRequestKey('patrol', q, ds, { scope: 'district:E07000174' });
    const b = plannerRequestKey('patrol', q, ds, { scope: 'study-area' });
    expect(a).not.toBe(b);
    expect(plannerRequestKey('help', q, ds, { scope: 'district:E07000174' })).not.toBe(plannerRequestKey('help', q, ds, { scope: 'study-area' }));
    expect(plannerSelection(q, ds, false, 'district:E07000174')).toMatchObject({ dataset: 'open-data', scope: 'district:E07000174' });
    expect(plannerSelection(q, ds)).not.toHaveProperty('scope');
  });
});

describe('place names next to locations', () => {
  it('adds the ward and district', () => {
    expect(placeText({ location: 'On or near Leeming Street', ward: 'Portland', district: 'Mansfield' })).toBe('Portland ward, Mansfield');
    expect(placeText({ ward: 'Abbey Ward', district: 'Mansfield' })).toBe('Abbey Ward, Mansfield');
    expect(placeText({ ward: null, district: 'Mansfield' })).toBe('Mansfield');
    expect(placeText({ ward: 'Portland', district: null })).toBe('Portland ward');
    expect(placeText({ location: 'On or near X' })).toBeNull();
    expect(placeText(null)).toBeNull();
  });
});

describe('partnership areas and the study area in words', () => {
  it('offers the districts by name and reads a saved partnership area', () => {
    const d = districtChoices(options);
    expect(d.map((x) => x.code)).toEqual(['E07000171', 'E07000174', 'E07000175']);
    expect(d[0]).toEqual({ code: 'E07000171', label: 'Bassetlaw', lsoaCount: 69, group: 'Bassetlaw, Newark and Sherwood' });
    const names = new Map(d.map((x) => [x.code, x.label]));
    expect(partnershipSummary({ districts: ['E07000175', 'E07000171'], lsoaCodes: [] }, names)).toBe('Bassetlaw, Newark and Sherwood');
    expect(partnershipSummary({ districts: ['E07000999'], lsoaCodes: ['E01028345'] }, names)).toBe('E07000999; 1 LSOA named');
    expect(districtChoices(null)).toEqual([]);
  });

  it('writes the study area and where every crime row went, with figures', () => {
    const studyArea = {
      label: 'Nottinghamshire police force area (8 districts)',
      method: 'police-force-area' as const,
      reason: 'police.uk rows fall within Nottinghamshire Police',
      force: { code: 'E23000020', name: 'Nottinghamshire' },
      districts: [
        { code: 'E07000174', name: 'Mansfield', lsoaCount: 68 },
        { code: 'E07000171', name: 'Bassetlaw', lsoaCount: 69 },
      ],
      lsoaCount: 684,
    };
    expect(studyAreaLine(studyArea)).toBe('Nottinghamshire police force area (8 districts), 684 LSOAs');
    expect(studyAreaDistricts(studyArea)).toBe('Bassetlaw (69), Mansfield (68)');
    expect(studyAreaSummary({ studyArea })).toBe('Study area: Nottinghamshire police force area (8 districts)');
    expect(studyAreaSummary({})).toBeNull();
    const lines = accountingLines({ rowsRead: 10_010, stored: 10_000, placed: 9_900, outsideStudyArea: 60, noLocation: 40, duplicatesSkipped: 10, rejected: 0 });
    expect(lines.map((l) => `${l.label}: ${l.value}`)).toEqual([
      'police.uk rows read: 10,010',
      'Placed in the study area (counted in every analysis): 9,900 (99 % of rows kept)',
      'Outside the study area (kept, not counted): 60 (0.6 % of rows kept)',
      'No location (kept, not mapped): 40 (0.4 % of rows kept)',
      'Exact duplicates skipped: 10',
      'Rejected (unreadable rows): 0',
    ]);
  });
});

describe('the scope calls of the API client', () => {
  const fakeFetch = (body: unknown) =>
    vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }));
  const scopeOf = (url: string) => new URL(url, 'http://x').searchParams.get('scope');

  it('reads the options, sets the home scope, and sends the place with every analysis', async () => {
    const f = fakeFetch({});
    const api = createApiClient({ getToken: () => 't', fetch: f });
    await api.scopes({ dataset: 'open-data' });
    expect(f.mock.calls[0]![0]).toBe('/api/scopes?dataset=open-data');
    await api.setHomeScope('district:E07000174');
    expect(f.mock.calls[1]![0]).toBe('/api/home-scope');
    expect(f.mock.calls[1]![1]!.method).toBe('PUT');
    expect(JSON.parse(String(f.mock.calls[1]![1]!.body))).toEqual({ scope: 'district:E07000174' });
    const place = 'district:E07000174';
    await api.layer('lsoas', { dataset: 'open-data', scope: place });
    await api.stats({ dataset: 'open-data', scope: place, category: 'all-crime' });
    await api.hotspots({ dataset: 'open-data', scope: place, categories: ['burglary'] });
    await api.hotspotChange({ scope: place });
    await api.density({ scope: place });
    await api.patrolPlan({ scope: place, start: [-1.2, 53.14], top: 10, minutes: 15, perDay: 2, speedKmh: 5, roundTrip: true });
    await api.rotation({ scope: place });
    await api.helpPointSuggestions({ scope: place });
    for (const call of f.mock.calls.slice(2)) expect(scopeOf(call[0]), call[0]).toBe(place);
    await api.coverageGaps({ scope: place, top: 10 });
    await api.candidateSites({ scope: place, k: 3, cameraType: 'fixed' });
    for (const call of f.mock.calls.slice(-2)) expect(JSON.parse(String(call[1]!.body)).scope).toBe(place);
  });
});
