import { describe, expect, it } from 'vitest';
import type { Feature, LsoaStats } from '@safer-places/schemas';
import { buildChoropleth } from '../src/features/map/choropleth';
import { spotLsoaText, type HotspotAnswer } from '../src/features/hotspots/hotspots';
import { cellColumns, cellRows, hotspotTableAbout, SPOT_COLUMNS, spotRows } from '../src/features/table/hotspotRows';
import { geometryBox, lsoaAttributes, lsoaColumns, lsoaRows, lsoaTableAbout } from '../src/features/table/lsoaRows';
import { csvField, filterRows, foldText, nextSort, pageOf, pageOfId, PAGE_SIZE, sortRows, tableCsv, tableFileName, type Column } from '../src/features/table/tableModel';

/** A tiny CSV reader (quotes, doubled quotes, CRLF), to read back what the table writes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

const square = (x: number, y: number, d = 0.01) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] as [number, number][][] });

const stats: LsoaStats = {
  dataset: { id: 'notts', name: 'Nottinghamshire', synthetic: false },
  scope: { kind: 'districts', key: 'districts:E07000175', label: 'Newark and Sherwood', lsoaCount: 5 } as LsoaStats['scope'],
  category: 'burglary',
  categoryLabel: 'Burglary',
  from: '2024-01',
  to: '2024-12',
  months: 12,
  total: 70,
  lsoas: [
    { code: 'E01000003', count: 20, ratePer1000: 10, population: 2000, imdDecile: 2 },
    { code: 'E01000001', count: 30, ratePer1000: 20, population: 1500, imdDecile: 1 },
    { code: 'E01000002', count: 20, ratePer1000: null, population: null, imdDecile: null },
    { code: 'E01000004', count: 0, ratePer1000: 0, population: 1000, imdDecile: 9 },
    { code: 'E01000005', count: 0, ratePer1000: 0, population: 1200, imdDecile: 10 },
  ],
  notes: [],
};

const features: Feature[] = [
  { type: 'Feature', geometry: square(-1, 53), properties: { code: 'E01000001', name: 'Newark 001A', wardName: 'Castle', districtName: 'Newark and Sherwood', population: 1500 } },
  { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [square(-1.1, 53.1).coordinates, square(-1.3, 53.2, 0.02).coordinates] }, properties: { code: 'E01000002', name: 'Ollerton 002B', wardName: 'Ollerton', districtName: 'Newark and Sherwood' } },
  { type: 'Feature', geometry: square(-1.2, 53.3), properties: { code: 'E01000003', name: 'Édingley 003C', wardName: 'Farnsfield', districtCode: 'E07000175' } },
];

describe('LSOA rows', () => {
  const attributes = lsoaAttributes(features);
  const choropleth = buildChoropleth('count', stats.lsoas);
  const rows = lsoaRows(stats, attributes, choropleth);
  const columns = lsoaColumns('count');

  it('joins the figures with names, ward and district, ranked within the scope', () => {
    expect(rows).toHaveLength(5);
    const one = rows.find((r) => r.code === 'E01000001')!;
    expect(one).toMatchObject({ name: 'Newark 001A', ward: 'Castle', district: 'Newark and Sherwood', count: 30, countRank: 1, rateRank: 1 });
    // Competition ranking: two LSOAs on 20 share 2nd, the next is 4th.
    expect(rows.filter((r) => r.count === 20).map((r) => r.countRank)).toEqual([2, 2]);
    expect(rows.filter((r) => r.count === 0).map((r) => r.countRank)).toEqual([4, 4]);
    // No rate (population unknown): no rate rank.
    expect(rows.find((r) => r.code === 'E01000002')!.rateRank).toBeNull();
    // A district without a name falls back to its code; an LSOA without a layer feature keeps its figures.
    expect(rows.find((r) => r.code === 'E01000003')!.district).toBe('E07000175');
    expect(rows.find((r) => r.code === 'E01000004')).toMatchObject({ name: null, ward: null, count: 0 });
    // The map's class label for the measure.
    expect(one.classLabel).toBe(choropleth.legend[choropleth.classByCode.get('E01000001')!]!.label);
  });

  it('boxes polygons and multipolygons for the map to fit', () => {
    expect(attributes.get('E01000001')!.bbox).toEqual([-1, 53, -0.99, 53.01]);
    const multi = attributes.get('E01000002')!.bbox!;
    [-1.3, 53.1, -1.09, 53.22].forEach((v, i) => expect(multi[i]).toBeCloseTo(v, 9));
    expect(geometryBox(null)).toBeNull();
    expect(geometryBox({ type: 'Polygon', coordinates: [] })).toBeNull();
  });

  it('sorts by a figure, largest first on the first press, with unknowns last either way', () => {
    const rate = columns.find((c) => c.key === 'rate')!;
    const first = nextSort(null, rate);
    expect(first).toEqual({ key: 'rate', direction: 'descending' });
    expect(sortRows(rows, columns, first).map((r) => r.code)).toEqual(['E01000001', 'E01000003', 'E01000004', 'E01000005', 'E01000002']);
    const second = nextSort(first, rate);
    expect(second.direction).toBe('ascending');
    expect(sortRows(rows, columns, second).map((r) => r.code)).toEqual(['E01000004', 'E01000005', 'E01000003', 'E01000001', 'E01000002']);
  });

  it('sorts names from A, ignoring accents and case, unnamed last; ties by code', () => {
    const name = columns.find((c) => c.key === 'name')!;
    const sorted = sortRows(rows, columns, nextSort(null, name));
    expect(sorted.map((r) => r.name)).toEqual(['Édingley 003C', 'Newark 001A', 'Ollerton 002B', null, null]);
    expect(sorted.slice(3).map((r) => r.code)).toEqual(['E01000004', 'E01000005']);
    // The input order is left alone.
    expect(rows[0]!.code).toBe('E01000003');
  });

  it('filters on every word in code, name, ward or district, accents and case aside; not on figures', () => {
    expect(filterRows(rows, columns, 'edingley').map((r) => r.code)).toEqual(['E01000003']);
    expect(filterRows(rows, columns, 'NEWARK castle').map((r) => r.code)).toEqual(['E01000001']);
    expect(filterRows(rows, columns, 'e01000002').map((r) => r.code)).toEqual(['E01000002']);
    expect(filterRows(rows, columns, '  ')).toHaveLength(5);
    expect(filterRows(rows, columns, '30')).toHaveLength(0);
    expect(foldText('Édingley')).toBe('edingley');
  });

  it('writes a CSV that says what it holds, with units in the header, read back as data', () => {
    const about = lsoaTableAbout(stats, 'residents (source: Census 2021 usual residents)');
    const shown = sortRows(rows, columns, { key: 'count', direction: 'descending' });
    const csv = tableCsv(about, columns, shown);
    expect(csv.endsWith('\r\n')).toBe(true);
    const parsed = parseCsv(csv);
    expect(parsed[0]![0]).toBe('LSOAs of Newark and Sherwood: Burglary, Jan 2024 to Dec 2024 (12 months)');
    expect(parsed[1]![0]).toBe('Dataset: Nottinghamshire');
    expect(parsed[2]![0]).toMatch(/crimes per 1,000 residents \(source: Census 2021 usual residents\)/);
    expect(parsed[3]).toEqual(['']);
    const header = parsed[4]!;
    expect(header).toEqual(columns.map((c) => c.label));
    expect(header).toContain('Crimes per 1,000 residents');
    const body = parsed.slice(5);
    expect(body.map((r) => r[0])).toEqual(['E01000001', 'E01000002', 'E01000003', 'E01000004', 'E01000005']);
    const at = (code: string, key: string) => body.find((r) => r[0] === code)![columns.findIndex((c) => c.key === key)];
    expect(at('E01000001', 'count')).toBe('30');
    expect(at('E01000001', 'rate')).toBe('20');
    expect(at('E01000002', 'rate')).toBe('');
    expect(at('E01000003', 'name')).toBe('Édingley 003C');
    expect(at('E01000001', 'district')).toBe('Newark and Sherwood');
  });
});

describe('CSV fields and file names', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas but not negative numbers', () => {
    expect(csvField('Castle, Newark')).toBe('"Castle, Newark"');
    expect(csvField('On or near "The Mall"')).toBe('"On or near ""The Mall"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-1 + 2')).toBe("'-1 + 2");
    expect(csvField(-2.15)).toBe('-2.15');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('names the file after what, where and when', () => {
    expect(tableFileName(['lsoas-burglary', 'Newark and Sherwood', '2024-01-to-2024-12'])).toBe('lsoas-burglary-newark-and-sherwood-2024-01-to-2024-12.csv');
    expect(tableFileName([null, '../..'])).toBe('table.csv');
  });
});

describe('pages', () => {
  const many = Array.from({ length: 250 }, (_, i) => ({ id: `r${i}` }));

  it('never hands out more than a page of rows, and clamps the page asked for', () => {
    const first = pageOf(many, 0);
    expect(first).toMatchObject({ index: 0, pages: 3, first: 1, last: PAGE_SIZE });
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(pageOf(many, 9)).toMatchObject({ index: 2, first: 201, last: 250 });
    expect(pageOf([], 3)).toMatchObject({ index: 0, pages: 1, first: 0, last: 0, rows: [] });
  });

  it('finds the page a row is on, or null when it is filtered out', () => {
    expect(pageOfId(many, 'r0')).toBe(0);
    expect(pageOfId(many, 'r150')).toBe(1);
    expect(pageOfId(many, 'nope')).toBeNull();
  });
});

const gi = {
  mode: 'gi',
  result: {
    dataset: { id: 'demo', name: 'Demo', synthetic: true },
    scope: { kind: 'study-area', key: 'study-area', label: 'the study area', lsoaCount: 300 },
    period: { from: '2024-01', to: '2024-12', months: 12 },
    categories: [{ key: 'burglary', label: 'Burglary' }],
    crimes: 120,
    grid: { shape: 'square', cellSizeM: 200, studyAreaCells: 900, correction: 'fdr' },
    hot: 2,
    cold: 1,
    snapPointCells: 0,
    truncated: false,
    cells: {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 7, geometry: square(0, 0), properties: { cell: 7, count: 40, z: 5.2, pAdjusted: 0.0001, class: 3 } },
        { type: 'Feature', id: 9, geometry: square(2, 0), properties: { cell: 9, count: 0, z: -2.7, pAdjusted: 0.008, class: -3 } },
      ],
    },
    top: [
      {
        key: 'burglary',
        label: 'Burglary',
        crimes: 120,
        spots: [
          { rank: 1, lon: -1.2, lat: 53, count: 30, radiusM: 140, location: 'On or near Supermarket', ward: 'Bulwell', district: 'Nottingham', lsoaCode: 'E01033400', lsoaName: 'Nottingham 003B', busiestPointShare: 0.6, snapPointWarning: true },
          { rank: 2, lon: -1.19, lat: 53.14, count: 20, radiusM: 120, location: 'On or near Supermarket', ward: 'Portland', district: 'Mansfield', busiestPointShare: 0.3, snapPointWarning: false },
        ],
      },
    ],
    notes: [],
  },
} as unknown as HotspotAnswer;

describe('hot spot rows', () => {
  it('lists cells with the z-score, p-value and class, and their centre', () => {
    const rows = cellRows(gi);
    expect(rows.map((r) => r.id)).toEqual(['7', '9']);
    expect(rows[0]).toMatchObject({ cell: 7, count: 40, value: 5.2, classLabel: 'Hot spot, 99 % confidence', lon: 0.005, lat: 0.005, bbox: [0, 0, 0.01, 0.01] });
    const cols = cellColumns(gi);
    expect(cols.map((c) => c.label)).toEqual(['Cell', 'Crimes (number)', 'Gi* z-score', 'Adjusted p-value', 'Class', 'Centre longitude', 'Centre latitude']);
    expect(cols[3]!.text(rows[0]!)).toBe('< 0.001');
    expect(sortRows(rows, cols, { key: 'value', direction: 'ascending' }).map((r) => r.cell)).toEqual([9, 7]);
  });

  it('lists top spots with their LSOA, ward and district, so repeated texts read apart', () => {
    const rows = spotRows(gi);
    expect(rows.map((r) => [r.location, r.lsoa, r.place])).toEqual([
      ['On or near Supermarket', 'Nottingham 003B (E01033400)', 'Bulwell ward, Nottingham'],
      ['On or near Supermarket', null, 'Portland ward, Mansfield'],
    ]);
    expect(filterRows(rows, SPOT_COLUMNS, 'supermarket mansfield').map((r) => r.key)).toEqual(['0-2']);
    const csv = parseCsv(tableCsv(hotspotTableAbout(gi, 'spots'), SPOT_COLUMNS, rows));
    expect(csv[0]![0]).toBe('Top hot spots of the study area: Burglary, Jan 2024 to Dec 2024 (12 months)');
    const blank = csv.findIndex((r) => r.length === 1 && r[0] === '');
    expect(blank).toBe(2);
    expect(csv[blank + 1]).toEqual(SPOT_COLUMNS.map((c) => c.label));
    expect(csv[blank + 2]!.slice(0, 6)).toEqual(['1', 'Burglary', 'On or near Supermarket', 'Nottingham 003B (E01033400)', 'Bulwell ward, Nottingham', '30']);
  });

  it('has no top spots for density or change answers, and density cells carry the unit', () => {
    const density = {
      mode: 'density',
      result: { ...gi.result, unit: 'crimes per km²', classes: [{ topShare: 0.5, from: 1 }, { topShare: 0.25, from: 2 }], cells: { type: 'FeatureCollection', features: [{ type: 'Feature', id: 3, geometry: square(0, 0), properties: { cell: 3, value: 12.5, class: 2 } }] } },
    } as unknown as HotspotAnswer;
    expect(spotRows(density)).toEqual([]);
    const cols = cellColumns(density);
    expect(cols.map((c) => c.label)).toContain('Density (crimes per km²)');
    expect(cellRows(density)[0]).toMatchObject({ value: 12.5, classLabel: 'Densest 25 %', count: null });
  });

  it('words the LSOA of a spot for the panels', () => {
    expect(spotLsoaText({ lsoaCode: 'E01033400', lsoaName: 'Nottingham 003B' })).toBe('LSOA Nottingham 003B (E01033400)');
    expect(spotLsoaText({ lsoaCode: 'E01033400', lsoaName: null })).toBe('LSOA E01033400');
    expect(spotLsoaText({})).toBeNull();
  });
});

describe('sort state', () => {
  it('starts text columns from A and flips on a second press', () => {
    const col: Column<{ id: string }> = { key: 'x', label: 'X', numeric: false, value: (r) => r.id, text: (r) => r.id };
    expect(nextSort({ key: 'y', direction: 'descending' }, col)).toEqual({ key: 'x', direction: 'ascending' });
    expect(nextSort({ key: 'x', direction: 'ascending' }, col)).toEqual({ key: 'x', direction: 'descending' });
  });
});
