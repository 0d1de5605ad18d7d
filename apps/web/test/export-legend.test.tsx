import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Legend } from '../src/features/map/Legend';
import { legendColours, legendModel, type LegendModelInput } from '../src/features/map/legendModel';
import { buildChoropleth } from '../src/features/map/choropleth';
import { exportLegendInput, analysisTitle, type ExportWorkspace } from '../src/features/export/source';
import { attributionLine, DATA_ATTRIBUTION, defaultTitle, isoDate, mapExportFileName, plainAttribution, subtitle } from '../src/features/export/naming';
import { IMD_DECILE_10, NO_DATA_COLOUR, SEQUENTIAL_5 } from '../src/map/palette';

const ALL = { lsoas: true, cameras: true, 'help-points': true, 'pspo-zones': true, 'safer-streets-areas': true };
const rows = Array.from({ length: 30 }, (_, i) => ({ code: `E0100${String(i).padStart(4, '0')}`, count: i * 4, ratePer1000: i * 2.5, imdDecile: (i % 10) + 1 }));
const scope = { key: 'districts:E07000174', kind: 'districts' as const, label: 'Mansfield', lsoaCount: 30, bbox: [-1.3, 53.1, -1.1, 53.2] as [number, number, number, number] };

const base: LegendModelInput = {
  visible: ALL,
  showCoverage: false,
  choropleth: buildChoropleth('count', rows),
  period: { from: '2024-01', to: '2024-12' },
  categoryLabel: 'Burglary',
  category: 'burglary',
  scope,
  deprivationSource: null,
  truncated: [],
};

const scenarios: Record<string, LegendModelInput> = {
  'counts, every layer': base,
  'IMD with its source, coverage and drawn areas': { ...base, choropleth: buildChoropleth('imd-decile', rows), period: null, deprivationSource: 'IoD 2019', showCoverage: true, showAreas: true },
  'neighbourhood crime rate, some layers off, truncated cameras': {
    ...base,
    choropleth: buildChoropleth('rate', rows),
    category: 'neighbourhood-crime',
    categoryLabel: 'Neighbourhood crime',
    visible: { ...ALL, 'help-points': false, 'pspo-zones': false },
    truncated: ['cameras'],
  },
  'a rate chosen on a dataset without population: the count, and why': {
    ...base,
    choropleth: { ...buildChoropleth('count', rows), substitute: 'No LSOA of this place has population figures, so no rate per 1,000 residents: the map shows the number of crimes instead.' },
  },
  'hot spots over plain outlines': {
    ...base,
    visible: { ...ALL, lsoas: false },
    hotspots: {
      title: 'Gi* hot and cold spots: Burglary, Jan 2024 to Dec 2024',
      caption: 'Cells (squares of 200 m), FDR-corrected',
      rows: [
        { colour: '#b2182b', label: 'Hot spot, 99 % confidence', cells: 4 },
        { colour: '#2166ac', label: 'Cold spot, 99 % confidence', cells: 2 },
      ],
      snapCells: 3,
      spotTypes: ['Burglary', 'Vehicle crime'],
      source: 'Demo (synthetic demo data)',
    },
  },
  'a bid and a patrol plan': {
    ...base,
    visible: { ...ALL, lsoas: false },
    bid: { eligible: 12, selected: 3, target: true, bufferM: 400, comparison: 5 },
    planning: {
      title: 'Patrol route',
      rows: [
        { kind: 'icon', icon: 'sp-plan-start', label: 'Start (police station or depot)' },
        { kind: 'line', colour: '#000000', dashed: false, label: 'Route, straight lines' },
        { kind: 'fill', colour: '#D55E00', label: 'Gap', count: 7 },
      ],
      note: 'A note',
      source: 'Demo',
    },
  },
  'everything off': { ...base, visible: { lsoas: false, cameras: false, 'help-points': false, 'pspo-zones': false, 'safer-streets-areas': false } },
};

/** The on-screen legend's section titles, row labels, counts and notes, read from its static HTML. */
function screenLegend(input: LegendModelInput) {
  const html = renderToStaticMarkup(createElement(Legend, { ...input, truncated: [...input.truncated], counts: {} }));
  const decode = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const all = (re: RegExp) => [...html.matchAll(re)].map((m) => decode(m[1]!));
  return {
    titles: all(/<h3>(.*?)<\/h3>/g),
    labels: all(/<span class="legend__label">(.*?)<\/span>/g),
    counts: all(/<span class="legend__count"[^>]*>(.*?)<\/span>/g),
    notes: all(/<p class="legend__(?:note|empty)[^"]*"[^>]*>(.*?)<\/p>/g),
  };
}

describe('legend model', () => {
  for (const [name, input] of Object.entries(scenarios)) {
    it(`says what the on-screen legend says: ${name}`, () => {
      const screen = screenLegend(input);
      const m = legendModel(input);
      expect(m.sections.map((s) => s.title)).toEqual(screen.titles);
      expect(m.sections.flatMap((s) => s.rows.map((r) => r.label))).toEqual(screen.labels);
      expect(m.sections.flatMap((s) => s.rows.flatMap((r) => (r.count ? [r.count.text] : [])))).toEqual(screen.counts);
      const notes = [...(m.empty ? [m.empty] : []), ...m.sections.flatMap((s) => [...s.before, ...s.notes.map((n) => n.text)]), ...(m.warning ? [m.warning] : [])];
      expect(notes.sort()).toEqual([...screen.notes].sort());
    });
  }

  it('lists the choropleth classes with their colours, the no-data class and the scope', () => {
    const m = legendModel(base);
    const lsoas = m.sections.find((s) => s.id === 'lsoas')!;
    expect(lsoas.title).toBe('Number of crimes — Burglary — Jan 2024 to Dec 2024 (12 months)');
    expect(lsoas.before).toEqual(['Mansfield: 30 LSOAs; classes within it']);
    expect(lsoas.caption).toEqual(['Quantile class', 'LSOAs']);
    expect(lsoas.rows.map((r) => (r.swatch.kind === 'fill' ? r.swatch.colour : null))).toEqual([...base.choropleth.colours, NO_DATA_COLOUR]);
    expect(lsoas.rows.reduce((n, r) => n + Number(r.count!.text), 0)).toBe(30);
    const colours = legendColours(m);
    for (const c of SEQUENTIAL_5.slice(0, base.choropleth.colours.length)) expect(colours).toContain(c.toLowerCase());
    const imd = legendModel({ ...base, choropleth: buildChoropleth('imd-decile', rows) });
    expect(legendColours(imd)).toEqual(expect.arrayContaining(IMD_DECILE_10.map((c) => c.toLowerCase())));
  });

  it('puts the analysis first and leaves the shading out while an analysis panel is open', () => {
    const m = legendModel(scenarios['hot spots over plain outlines']!);
    expect(m.sections.map((s) => s.id)).toEqual(['hotspots', 'cameras', 'help-points', 'areas']);
    const hs = m.sections[0]!;
    expect(hs.rows.map((r) => r.swatch.kind)).toEqual(['fill', 'fill', 'dashed-edge', 'icon', 'icon']);
    expect(hs.rows.at(-1)!.swatch).toEqual({ kind: 'icon', icon: 'sp-hotspot-1-1' });
  });
});

function workspace(over: Partial<ExportWorkspace> = {}): ExportWorkspace {
  return {
    mapHandle: { current: null },
    dataset: null,
    scope: { label: 'Mansfield' },
    prefs: { measure: 'count', visible: ALL, showCoverage: true, category: 'burglary' },
    stats: { stats: null },
    map: { layers: {}, truncated: [] },
    tool: null,
    areas: { show: true, saved: [{}] },
    hotspots: { legend: scenarios['hot spots over plain outlines']!.hotspots! },
    planner: { mapState: { legend: null } },
    bid: { legend: null },
    ...over,
  };
}

describe('export legend input', () => {
  const shading = { choropleth: base.choropleth, scope, deprivationSource: null };
  it('gives the legend what the map pane gives it', () => {
    const input = exportLegendInput(workspace(), shading);
    expect(input.visible.lsoas).toBe(true);
    expect(input.showAreas).toBe(true);
    expect(input.hotspots).toBeNull();
    expect(input.categoryLabel).toBe('Burglary');
    expect(exportLegendInput(workspace({ areas: { show: true, saved: [] } }), shading).showAreas).toBe(false);
    expect(exportLegendInput(workspace({ prefs: { measure: 'imd-decile', visible: ALL, showCoverage: false, category: 'all-crime' } }), shading).period).toBeNull();
  });

  it('with the hot spot panel open: the hot spots, plain LSOAs, and the analysis in the title', () => {
    const ws = workspace({ tool: 'hotspots' });
    const input = exportLegendInput(ws, shading);
    expect(input.visible.lsoas).toBe(false);
    expect(input.hotspots?.title).toMatch(/^Gi\*/);
    expect(analysisTitle(ws)).toMatch(/^Gi\*/);
    expect(analysisTitle(workspace())).toBeNull();
  });
});

describe('export wording', () => {
  const day = new Date(2025, 2, 1, 23, 30);

  it('names the file after the place and the day', () => {
    expect(isoDate(day)).toBe('2025-03-01');
    expect(mapExportFileName('Bassetlaw, Newark & Sherwood CSP', day)).toBe('safer-places-map-bassetlaw-newark-sherwood-csp-2025-03-01.png');
    expect(mapExportFileName('', day)).toBe('safer-places-map-study-area-2025-03-01.png');
    expect(mapExportFileName(null, day)).toBe('safer-places-map-study-area-2025-03-01.png');
    expect(mapExportFileName('../../etc', day)).toMatch(/^safer-places-map-etc-2025-03-01\.png$/);
  });

  it('suggests a title from the measure, crime types and place, or the open analysis', () => {
    expect(defaultTitle({ measure: 'rate', categoryLabel: 'Burglary', scopeLabel: 'Mansfield' })).toBe('Crimes per 1,000 residents: Burglary, Mansfield');
    expect(defaultTitle({ measure: 'count', categoryLabel: 'All crime', scopeLabel: '' })).toBe('Number of crimes: All crime, Study area');
    expect(defaultTitle({ measure: 'imd-decile', categoryLabel: 'All crime', scopeLabel: 'Ashfield' })).toBe('Deprivation (IMD decile), Ashfield');
    expect(defaultTitle({ measure: 'count', categoryLabel: 'x', scopeLabel: 'Ashfield', analysisTitle: 'Patrol route' })).toBe('Patrol route, Ashfield');
  });

  it('puts the period, dataset and day in the subtitle', () => {
    expect(subtitle({ period: { from: '2024-01', to: '2024-12' }, datasetName: 'Nottinghamshire', made: day })).toBe('Jan 2024 to Dec 2024 (12 months) · Nottinghamshire · made 2025-03-01');
    expect(subtitle({ period: null, datasetName: null, made: day })).toBe('made 2025-03-01');
  });

  it('credits the base map once, without its HTML, and always the data', () => {
    expect(plainAttribution('<a href="https://openstreetmap.org">&copy; OpenStreetMap</a> contributors')).toBe('© OpenStreetMap contributors');
    const line = attributionLine(['<a href="x">Protomaps</a> &copy; <a href="y">OpenStreetMap</a>', 'Protomaps © OpenStreetMap', '']);
    expect(line).toBe(`Base map: Protomaps © OpenStreetMap. ${DATA_ATTRIBUTION}.`);
    expect(attributionLine([])).toBe(`No street base map (offline). ${DATA_ATTRIBUTION}.`);
    expect(DATA_ATTRIBUTION).toBe('Contains OS data © Crown copyright and database right; ONS; police.uk, OGL v3');
  });
});
