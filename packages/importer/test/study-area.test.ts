import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { UNPLACED_LSOA, UNPLACED_PARTITION, generateDemoDataset } from '@safer-places/domain';
import type { AreaGeometry, CrimeAccounting, DatasetSummary } from '@safer-places/schemas';
import { DynamoReferenceRepository, countBlocks, createDocumentClient, encodeCounts, encodeCrimeMonth, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { compareDetail, decimalPlaces } from '../src/boundaries';
import { main } from '../src/cli';
import { ImportInputError, MONTH_ACCOUNTING_PREFIX, formatReport, importFiles, type ImportReport, type MonthAccounting } from '../src/index';
import { POLICE_COLUMNS } from '../src/file-kinds';
import { districtNameFromLsoaName, forceKey } from '../src/places';
import { csv, policeRow, tempDir, write } from './fixtures';

/**
 * A small made-up geography: eight square LSOAs in a row, 0.01° wide, west to east from lon -1.25.
 * Alphashire (4 LSOAs) and Betaton (2) make up the Testshire police force area; Gammaford (2), to the east, is in
 * Otherford's. The county file has Alphashire and Betaton only, each square with an extra vertex (more detailed); the
 * "England" file has all eight, with codes and names only (as the ONS England-wide file), at 5 decimal places.
 */
const DISTRICTS = [
  { code: 'E07000901', name: 'Alphashire', lsoas: 4, csp: 'E22000901', cspName: 'Alpha and Beta', pfa: 'E23000901', pfaName: 'Testshire' },
  { code: 'E07000902', name: 'Betaton', lsoas: 2, csp: 'E22000901', cspName: 'Alpha and Beta', pfa: 'E23000901', pfaName: 'Testshire' },
  { code: 'E07000903', name: 'Gammaford', lsoas: 2, csp: 'E22000903', cspName: 'Gammaford', pfa: 'E23000903', pfaName: 'Otherford' },
];
const LSOAS = DISTRICTS.flatMap((d) => Array.from({ length: d.lsoas }, (_, k) => ({ district: d, name: `${d.name} 00${k + 1}A` }))).map((l, i) => ({
  ...l,
  code: `E0190000${i + 1}`,
  index: i,
}));
const IN_TESTSHIRE = LSOAS.filter((l) => l.district.pfa === 'E23000901').map((l) => l.code);
const west = (i: number) => Math.round((-1.25 + 0.01 * i) * 1e5) / 1e5;
const centre = (i: number): [number, number] => [Math.round((west(i) + 0.005) * 1e6) / 1e6, 53.005];

function square(i: number, detailed: boolean): AreaGeometry {
  const x = west(i);
  const x2 = west(i + 1);
  const ring: [number, number][] = detailed
    ? [[x, 53], [Math.round((x + 0.005) * 1e6) / 1e6, 53], [x2, 53], [x2, 53.01], [x, 53.01], [x, 53]]
    : [[x, 53], [x2, 53], [x2, 53.01], [x, 53.01], [x, 53]];
  return { type: 'Polygon', coordinates: [ring] };
}
const countyGeoJson = () => ({
  type: 'FeatureCollection',
  features: LSOAS.filter((l) => IN_TESTSHIRE.includes(l.code)).map((l) => ({
    type: 'Feature',
    properties: { LSOA21CD: l.code, LSOA21NM: l.name, LAD24CD: l.district.code, LAD24NM: l.district.name },
    geometry: square(l.index, true),
  })),
});
const englandGeoJson = () => ({
  type: 'FeatureCollection',
  features: LSOAS.map((l) => ({ type: 'Feature', properties: { LSOA21CD: l.code, LSOA21NM: l.name }, geometry: square(l.index, false) })),
});
const lookupCsv = (rows = DISTRICTS) =>
  csv([['lad24cd', 'lad24nm', 'csp24cd', 'csp24nm', 'pfa24cd', 'pfa24nm'], ...rows.map((d) => [d.code, d.name, d.csp, d.cspName, d.pfa, d.pfaName])]);
const iodCsv = () => csv([['lsoa21cd', 'lsoa21nm', 'lad24cd', 'lad24nm', 'imd_decile', 'imd_rank'], ...LSOAS.map((l, i) => [l.code, l.name, l.district.code, l.district.name, (i % 10) + 1, 1000 * (i + 1)])]);
const populationCsv = () => csv([['lsoa21cd', 'lsoa21nm', 'lad24cd', 'lad24nm', 'usual_residents_census2021'], ...LSOAS.map((l, i) => [l.code, l.name, l.district.code, l.district.name, 1500 + i])]);

const header = [...POLICE_COLUMNS];
/** Crimes per LSOA index; `month` and an id prefix keep files apart. */
function crimeRows(perLsoa: Record<number, number>, o: { month?: string; prefix?: string; force?: string; noLocation?: number; farAway?: number } = {}) {
  const month = o.month ?? '2024-01';
  const prefix = o.prefix ?? month;
  const rows: (string | number)[][] = [header];
  let n = 0;
  const common = { Month: month, 'Falls within': o.force ?? 'Testshire Police', 'Reported by': o.force ?? 'Testshire Police' };
  for (const [i, count] of Object.entries(perLsoa)) {
    const [lon, lat] = centre(Number(i));
    for (let k = 0; k < count; k++) rows.push(policeRow({ ...common, 'Crime ID': `${prefix}-${++n}`, Longitude: lon, Latitude: lat, 'LSOA code': LSOAS[Number(i)]!.code }));
  }
  for (let k = 0; k < (o.noLocation ?? 0); k++) rows.push(policeRow({ ...common, 'Crime ID': `${prefix}-${++n}`, Longitude: '', Latitude: '', 'LSOA code': '', Location: 'No Location' }));
  for (let k = 0; k < (o.farAway ?? 0); k++) rows.push(policeRow({ ...common, 'Crime ID': `${prefix}-${++n}`, Longitude: -0.5, Latitude: 52.0, 'LSOA code': 'E01099999' }));
  return csv(rows);
}

let dynamo: EmbeddedDynamo;
let doc: ReturnType<typeof createDocumentClient>;
let reference: DynamoReferenceRepository;
const TABLE = 'study-area-test';
const now = () => new Date('2026-06-15T12:00:00Z');

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, TABLE);
  reference = new DynamoReferenceRepository(doc, TABLE);
});
afterAll(async () => {
  doc?.destroy();
  await dynamo?.close();
});

function expectIdentities(a: CrimeAccounting) {
  expect(a.rowsRead).toBe(a.stored + a.duplicatesSkipped + a.rejected);
  expect(a.stored).toBe(a.placed + a.outsideStudyArea + a.noLocation);
}

async function storedCounts(datasetId: string) {
  const perLsoa = new Map<string, number>();
  for (const m of await reference.getMonthlyCounts(datasetId, '0000-01', '9999-12')) {
    for (const [code, row] of m.counts) perLsoa.set(code, (perLsoa.get(code) ?? 0) + row.reduce((a, b) => a + b, 0));
  }
  return perLsoa;
}

async function expectNothingWritten(datasetId: string) {
  expect(await reference.getDataset(datasetId)).toBeNull();
  expect(await reference.listLsoas(datasetId)).toEqual([]);
  expect(await reference.getMonthlyCounts(datasetId, '0000-01', '9999-12')).toEqual([]);
  expect(await reference.listDocuments(datasetId, 'import-report#')).toEqual([]);
  expect(await reference.listDocuments(datasetId, MONTH_ACCOUNTING_PREFIX)).toEqual([]);
  expect(await reference.getDocument(datasetId, 'district-lookup')).toBeNull();
}

describe('names the importer matches', () => {
  it('matches police.uk "Falls within" to ONS police force area names', () => {
    const pairs: [string, string][] = [
      ['Nottinghamshire Police', 'Nottinghamshire'],
      ['Metropolitan Police Service', 'Metropolitan Police'],
      ['Avon and Somerset Constabulary', 'Avon and Somerset'],
      ['Devon & Cornwall Police', 'Devon and Cornwall'],
      ['City of London Police', 'London, City of'],
      ['Police Service of Northern Ireland', 'Northern Ireland'],
      ['Dyfed-Powys Police', 'Dyfed-Powys'],
      ['greater manchester police', 'Greater Manchester'],
    ];
    for (const [police, ons] of pairs) expect(forceKey(police), `${police} ↔ ${ons}`).toBe(forceKey(ons));
    expect(forceKey('Nottinghamshire Police')).not.toBe(forceKey('Derbyshire'));
  });

  it('reads the district from an ONS LSOA name', () => {
    expect(districtNameFromLsoaName('Nottingham 001A')).toBe('Nottingham');
    expect(districtNameFromLsoaName('Newark and Sherwood 012C')).toBe('Newark and Sherwood');
    expect(districtNameFromLsoaName('County Durham 101B')).toBe('County Durham');
    expect(districtNameFromLsoaName('Testshire')).toBeNull();
  });

  it('ranks boundaries by detail: vertices first, then decimal places', () => {
    expect(compareDetail(square(0, true), square(0, false))).toBeGreaterThan(0);
    const fine: AreaGeometry = { type: 'Polygon', coordinates: [[[-1.250001, 53], [-1.24, 53], [-1.24, 53.01], [-1.250001, 53]]] };
    const coarse: AreaGeometry = { type: 'Polygon', coordinates: [[[-1.25, 53], [-1.24, 53], [-1.24, 53.01], [-1.25, 53]]] };
    expect(decimalPlaces(fine)).toBe(6);
    expect(decimalPlaces(coarse)).toBe(2);
    expect(compareDetail(fine, coarse)).toBeGreaterThan(0);
    expect(compareDetail(coarse, coarse)).toBe(0);
  });
});

describe('study area from the ONS LAD → CSP → PFA lookup', () => {
  const datasetId = 'pfa';
  let report: ImportReport;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir();
    write(dir, 'in/england/lsoa21-england.geojson', englandGeoJson());
    write(dir, 'in/lookups/lad-csp-pfa.csv', lookupCsv());
    write(dir, 'in/iod2025-england.csv', iodCsv());
    write(dir, 'in/population.csv', populationCsv());
    // 40 crimes in Testshire's LSOAs, 3 snapped just over the border into Gammaford, 2 without a location, 1 far away, 1 repeated.
    const text = crimeRows({ 0: 10, 1: 10, 2: 5, 3: 5, 4: 5, 5: 5, 6: 2, 7: 1 }, { noLocation: 2, farAway: 1 });
    write(dir, 'in/police/2024-01-testshire-street.csv', text + text.split('\n')[1] + '\n');
    report = await importFiles([`${dir}/in`], { reference, datasetId, now });
  });

  it('keeps the districts of the force the crimes fall within, matched by name, with district names read from LSOA names', async () => {
    const summary = (await reference.getDataset(datasetId))!;
    expect(summary.studyArea).toEqual({
      label: 'Testshire police force area (2 districts)',
      method: 'police-force-area',
      reason: 'police.uk rows fall within "Testshire Police"; ONS LAD → CSP → PFA lookup',
      force: { code: 'E23000901', name: 'Testshire' },
      districts: [
        { code: 'E07000901', name: 'Alphashire', lsoaCount: 4 },
        { code: 'E07000902', name: 'Betaton', lsoaCount: 2 },
      ],
      lsoaCount: 6,
    });
    const lsoas = await reference.listLsoas(datasetId);
    expect(lsoas.map((l) => l.code).sort()).toEqual(IN_TESTSHIRE);
    // The England file has codes and names only: districts from the names, codes and partnerships from the lookup.
    expect(lsoas.find((l) => l.code === 'E01900005')).toMatchObject({ districtName: 'Betaton', districtCode: 'E07000902', cspName: 'Alpha and Beta', population: 1504, imdDecile: 5 });
    expect(summary.lsoaCount).toBe(6);
    expect(summary.bbox).toEqual([west(0), 53, west(6), 53.01]);
    expect(report.studyArea).toMatchObject({ how: 'chosen', changed: true, note: null });
  });

  it('clips the boundary and attribute files to the study area and says what it left out', () => {
    expect(report.studyArea.boundaries).toMatchObject({ given: 8, kept: 6, outside: 2, outsideReason: 'districts outside Testshire police force area', storedRemoved: 0 });
    expect(report.reference!.attributeFiles.map((f) => [f.path.split('/').pop(), f.rows, f.outsideStudyArea])).toEqual([
      ['population.csv', 8, 2],
      ['iod2025-england.csv', 8, 2],
    ]);
    expect(report.reference!.rowsOutsideDataset).toBe(4);
    const printed = formatReport(report);
    expect(printed).toContain('Study area: Testshire police force area (2 districts), 6 LSOAs (police-force-area; chosen by this import)');
    expect(printed).toContain('2 LSOAs outside the study area (districts outside Testshire police force area) not kept');
    expect(printed).toContain('iod2025-england.csv: 2 of 8 rows for LSOAs outside the study area, not kept');
  });

  it('stores crimes outside the study area unplaced and accounts for every row', async () => {
    const counts = await storedCounts(datasetId);
    expect(counts.get('E01900007')).toBeUndefined();
    expect(counts.get('E01900008')).toBeUndefined();
    expect(counts.get(UNPLACED_LSOA)).toBe(3 + 2 + 1);
    expect([...counts].filter(([c]) => c !== UNPLACED_LSOA).reduce((s, [, k]) => s + k, 0)).toBe(40);
    const expected: CrimeAccounting = { rowsRead: 47, stored: 46, placed: 40, outsideStudyArea: 4, noLocation: 2, duplicatesSkipped: 1, rejected: 0 };
    expect(report.accounting.thisImport).toEqual(expected);
    expect(report.accounting.dataset).toEqual(expected);
    const summary = (await reference.getDataset(datasetId))!;
    expect(summary.crimeAccounting).toEqual(expected);
    expect(summary.crimeCount).toBe(46);
    expect(report.crimes).toMatchObject({ outsideLsoas: 4, noLocation: 2, imported: 46, fallsWithin: { 'Testshire Police': 46 } });
    const docs = await reference.listDocuments<MonthAccounting>(datasetId, MONTH_ACCOUNTING_PREFIX);
    expect(docs.map((d) => d.name)).toEqual(['month-accounting#2024-01']);
    expect(docs[0]!.document).toEqual({ month: '2024-01', files: ['2024-01-testshire-street.csv'], ...expected });
    expect(formatReport(report)).toContain('this import: stored 46 = placed in the study area 40 + outside the study area 4 + no location 2');
  });

  it('a later import keeps the stored study area, clips new files to it, and sums accounting over the months held', async () => {
    const later = write(dir, 'later/2024-02-testshire-street.csv', crimeRows({ 0: 3, 6: 1 }, { month: '2024-02', noLocation: 1 }));
    const again = await importFiles([`${dir}/in/england`, later], { reference, datasetId, now });
    expect(again.studyArea).toMatchObject({ how: 'kept', changed: false, boundaries: { given: 8, kept: 6, outside: 2, outsideReason: 'districts outside Testshire police force area' } });
    const summary = (await reference.getDataset(datasetId))!;
    expect(summary.studyArea!.method).toBe('police-force-area');
    expect(summary.lsoaCount).toBe(6);
    expect(summary.crimeAccounting).toEqual({ rowsRead: 47 + 5, stored: 46 + 5, placed: 40 + 3, outsideStudyArea: 4 + 1, noLocation: 2 + 1, duplicatesSkipped: 1, rejected: 0 });
    expectIdentities(summary.crimeAccounting!);
    expect(summary.crimeCount).toBe(51);

    // A newer file for January replaces January, and its accounting with it.
    const newer = write(dir, 'newer/2024-01-testshire-street.csv', `${crimeRows({ 1: 2 }, { prefix: 'new' })}bad,2024-01,short row\n`);
    // (Two crimes for a month of 46 fail the row count check: replacing it anyway takes forceReplace.)
    await importFiles([newer], { reference, datasetId, now, forceReplace: true });
    const after = (await reference.getDataset(datasetId))!;
    expect(after.crimeAccounting).toEqual({ rowsRead: 3 + 5, stored: 2 + 5, placed: 2 + 3, outsideStudyArea: 1, noLocation: 1, duplicatesSkipped: 0, rejected: 1 });
    expect(after.crimeCount).toBe(7);
    expect(after.studyArea!.label).toBe('Testshire police force area (2 districts)');

    // Another force's crimes: the study area is kept, and the report says why they are all outside it.
    const other = write(dir, 'other/2024-03-otherford-street.csv', crimeRows({ 6: 2 }, { month: '2024-03', force: 'Otherford Police' }));
    const third = await importFiles([other], { reference, datasetId, now });
    expect(third.warnings).toEqual([
      'police.uk rows fall within "Otherford Police", but the dataset\'s study area is Testshire police force area (2 districts): crimes outside it are stored unplaced (name another study area with --districts, --csp or --force, or import into another dataset)',
    ]);
    expect(third.accounting.thisImport).toMatchObject({ stored: 2, placed: 0, outsideStudyArea: 2 });
  });
});

describe('study area without the lookup: districts holding at least 1 % of the crimes', () => {
  async function importWith(gamma: number, name: string, extra: Record<string, string> = {}) {
    const dir = tempDir();
    write(dir, 'lsoa21-england.geojson', englandGeoJson());
    for (const [file, content] of Object.entries(extra)) write(dir, file, content);
    // 800 located crimes in all when gamma is 8: Alphashire 500, Betaton 292, Gammaford 8 (exactly 1 %).
    write(dir, '2024-01-x-street.csv', crimeRows({ 0: 200, 1: 100, 2: 100, 3: 100, 4: 200, 5: 92, 6: gamma }, { noLocation: 30, farAway: 20 }));
    const report = await importFiles([dir], { reference, datasetId: name, now });
    return { report, summary: (await reference.getDataset(name))! };
  }

  it('keeps a district with 1 % of the located crimes, and leaves out one with less', async () => {
    const at = await importWith(8, 'share-8');
    expect(at.summary.studyArea).toMatchObject({ method: 'crime-share', lsoaCount: 8, force: { code: null, name: 'Testshire Police' } });
    expect(at.summary.studyArea!.districts.map((d) => [d.name, d.lsoaCount])).toEqual([['Alphashire', 4], ['Betaton', 2], ['Gammaford', 2]]);
    expect(at.summary.studyArea!.reason).toMatch(/at least 1 % of the 800 crimes that fall in an LSOA given/);

    const under = await importWith(7, 'share-7');
    expect(under.summary.studyArea).toMatchObject({ method: 'crime-share', label: 'Alphashire and Betaton (2 districts)', lsoaCount: 6 });
    // No lookup: the districts are known by the names in the LSOA names only.
    expect(under.summary.studyArea!.districts).toEqual([
      { code: '', name: 'Alphashire', lsoaCount: 4 },
      { code: '', name: 'Betaton', lsoaCount: 2 },
    ]);
    expect(under.report.studyArea.boundaries).toMatchObject({ given: 8, kept: 6, outside: 2, outsideReason: 'districts holding under 1 % of the crimes' });
    expect(under.summary.crimeAccounting).toEqual({ rowsRead: 849, stored: 849, placed: 792, outsideStudyArea: 7 + 20, noLocation: 30, duplicatesSkipped: 0, rejected: 0 });
    expect(under.report.warnings).toEqual([]);
  });

  it('falls back to crime share, with a warning, when the lookup does not name the force', async () => {
    const { summary, report } = await importWith(7, 'share-other-force', { 'lookup.csv': lookupCsv(DISTRICTS.filter((d) => d.pfa !== 'E23000901')) });
    expect(summary.studyArea).toMatchObject({ method: 'crime-share', lsoaCount: 6 });
    expect(report.warnings).toEqual([
      'police.uk rows fall within "Testshire Police", which the LAD → PFA lookup does not name (it names Otherford): the study area was chosen by crime share instead',
    ]);
  });
});

describe('study area named with an import option', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    write(dir, 'in/lsoa21-england.geojson', englandGeoJson());
    write(dir, 'in/lookup.csv', lookupCsv());
    write(dir, 'in/2024-01-x-street.csv', crimeRows({ 0: 5, 4: 3, 6: 2 }));
  });

  it('--districts, --csp and --force choose the districts, by code or name', async () => {
    const cases: [Parameters<typeof importFiles>[1]['studyArea'], string, string[]][] = [
      [{ districts: ['E07000902'] }, 'Betaton (1 district)', ['E01900005', 'E01900006']],
      [{ districts: ['e07000903', 'Betaton'] }, 'Betaton and Gammaford (2 districts)', ['E01900005', 'E01900006', 'E01900007', 'E01900008']],
      [{ csp: 'E22000901' }, 'Alpha and Beta CSP (2 districts)', IN_TESTSHIRE],
      [{ force: 'Otherford Police' }, 'Otherford police force area (1 district)', ['E01900007', 'E01900008']],
      [{ force: 'E23000901' }, 'Testshire police force area (2 districts)', IN_TESTSHIRE],
    ];
    for (const [studyArea, label, codes] of cases) {
      const datasetId = `named-${cases.findIndex((c) => c[1] === label)}`;
      const report = await importFiles([`${dir}/in`], { reference, datasetId, now, studyArea });
      const summary = (await reference.getDataset(datasetId))!;
      expect(summary.studyArea, label).toMatchObject({ method: 'named', label, lsoaCount: codes.length });
      expect((await reference.listLsoas(datasetId)).map((l) => l.code).sort()).toEqual(codes);
      expect(report.studyArea.how).toBe('named');
      expectIdentities(summary.crimeAccounting!);
      expect(summary.crimeAccounting!.placed).toBe([...(await storedCounts(datasetId))].filter(([c]) => c !== UNPLACED_LSOA).reduce((s, [, k]) => s + k, 0));
    }
    expect((await reference.getDataset('named-3'))!.studyArea!.force).toEqual({ code: 'E23000903', name: 'Otherford' });
    expect((await reference.getDataset('named-0'))!.studyArea!.reason).toBe('named on the command line: --districts E07000902');
  });

  it('an unknown district, partnership or force stops the import, naming it, and writes nothing', async () => {
    const refused: [Parameters<typeof importFiles>[1]['studyArea'], RegExp][] = [
      [{ districts: ['E07000902', 'E07099999'] }, /^--districts: unknown district code E07099999: .*known: E07000901 Alphashire, E07000902 Betaton, E07000903 Gammaford/],
      [{ csp: 'E22099999' }, /^--csp: unknown Community Safety Partnership E22099999: .*known: E22000901 Alpha and Beta, E22000903 Gammaford/],
      [{ force: 'Derbyshire Constabulary' }, /^--force: unknown police force area Derbyshire Constabulary: .*known: E23000901 Testshire, E23000903 Otherford/],
      [{ districts: ['E07000902'], force: 'E23000901' }, /^name the study area with one of --districts, --csp or --force, not --districts and --force/],
    ];
    for (const [studyArea, message] of refused) {
      const run = importFiles([`${dir}/in`], { reference, datasetId: 'never-named', now, studyArea });
      await expect(run).rejects.toBeInstanceOf(ImportInputError);
      await expect(run).rejects.toThrow(message);
      await expectNothingWritten('never-named');
    }
    // Without the lookup, --csp cannot be resolved at all.
    const run = importFiles([`${dir}/in/lsoa21-england.geojson`], { reference, datasetId: 'never-named', now, studyArea: { csp: 'E22000901' } });
    await expect(run).rejects.toThrow(/^--csp E22000901: needs the ONS LAD → CSP → PFA lookup/);
    await expectNothingWritten('never-named');
  });

  it('the command line: --districts with an unknown code exits 2 and writes nothing; a known one imports', async () => {
    const sink = () => {
      let text = '';
      return { stream: new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream, text: () => text };
    };
    const data = `${tempDir()}/data`;
    const err = sink();
    expect(await main(['--data-dir', data, '--dataset', 'cli-named', '--districts', 'E07000901,E07000998', `${dir}/in`], sink().stream, err.stream)).toBe(2);
    expect(err.text()).toMatch(/--districts: unknown district code E07000998/);
    const out = sink();
    expect(await main(['--data-dir', data, '--dataset', 'cli-named', '--districts', 'E07000901', `${dir}/in`], out.stream, sink().stream)).toBe(0);
    expect(out.text()).toContain('Study area: Alphashire (1 district), 4 LSOAs (named; named with an import option)');
    expect(out.text()).toContain('4 LSOAs outside the study area (districts other than Alphashire) not kept');
    const usage = sink();
    expect(await main(['--help'], usage.stream, sink().stream)).toBe(0);
    expect(usage.text()).toMatch(/--districts <codes>[\s\S]*--csp <code>[\s\S]*--force <code\|name>/);
  });
});

describe('changing or choosing a study area later', () => {
  it('boundaries alone keep every LSOA given, with a warning; crimes then choose the study area', async () => {
    const dir = tempDir();
    const county = write(dir, 'county.geojson', countyGeoJson());
    const first = await importFiles([county], { reference, datasetId: 'later-choice', now });
    expect(first.warnings).toEqual([expect.stringMatching(/^no police.uk crimes in this import and no study area stored: all 6 LSOAs given are kept/)]);
    expect((await reference.getDataset('later-choice'))!.studyArea).toMatchObject({ method: 'all-boundaries', label: 'Every LSOA given (6 LSOAs in 2 districts)', lsoaCount: 6 });

    const crimes = write(dir, '2024-01-x-street.csv', crimeRows({ 0: 4, 5: 2, 7: 1 }));
    const lookup = write(dir, 'lookup.csv', lookupCsv());
    const second = await importFiles([crimes, lookup], { reference, datasetId: 'later-choice', now });
    expect(second.studyArea).toMatchObject({ how: 'chosen', changed: true });
    const summary = (await reference.getDataset('later-choice'))!;
    expect(summary.studyArea).toMatchObject({ method: 'police-force-area', lsoaCount: 6 });
    expect(summary.crimeAccounting).toMatchObject({ placed: 6, outsideStudyArea: 1 });
  });

  it('a narrower study area removes the stored LSOAs outside it and places the stored months again', async () => {
    const prunable = reference;
    const dir = tempDir();
    const files = [write(dir, 'county.geojson', countyGeoJson()), write(dir, 'lookup.csv', lookupCsv()), write(dir, '2024-01-x-street.csv', crimeRows({ 0: 4, 5: 2 }, { noLocation: 1 }))];
    await importFiles(files, { reference: prunable, datasetId: 'narrow-2', now });
    const report = await importFiles([files[1]!], { reference: prunable, datasetId: 'narrow-2', now, studyArea: { districts: ['E07000902'] } });
    expect((await prunable.listLsoas('narrow-2')).map((l) => l.code).sort()).toEqual(['E01900005', 'E01900006']);
    expect(report.studyArea).toMatchObject({ how: 'named', changed: true, boundaries: { storedRemoved: 4 }, monthsPlacedAgain: [{ month: '2024-01', moved: 4 }] });
    const summary = (await prunable.getDataset('narrow-2'))!;
    expect(summary.studyArea).toMatchObject({ method: 'named', lsoaCount: 2 });
    expect(summary.lsoaCount).toBe(2);
    expect(summary.crimeAccounting).toEqual({ rowsRead: 7, stored: 7, placed: 2, outsideStudyArea: 4, noLocation: 1, duplicatesSkipped: 0, rejected: 0 });
    expect(await storedCounts('narrow-2')).toEqual(new Map([['E01900006', 2], [UNPLACED_LSOA, 5]]));
  });
});

describe('a dataset imported before study areas and accounting', () => {
  it('gets a study area from its next import, and accounts for its old months from their stored crimes', async () => {
    const datasetId = 'legacy';
    const lsoas = LSOAS.filter((l) => IN_TESTSHIRE.includes(l.code)).map((l) => {
      const geometry = square(l.index, true);
      return { code: l.code, name: l.name, districtCode: l.district.code, districtName: l.district.name, wardName: null, cspCode: null, cspName: null, population: null, imdDecile: null, deprivationSource: null, geometry, bbox: [west(l.index), 53, west(l.index + 1), 53.01] as [number, number, number, number] };
    });
    await reference.putLsoas(datasetId, lsoas);
    const crime = (id: string, lsoaCode: string, lon: number | null) => ({ id, month: '2024-01', category: 'burglary' as const, lon, lat: lon === null ? null : 53.005, location: 'On or near High Street', lsoaCode, publishedLsoaCode: null, outcome: null });
    // Stored as the store stored months then: one partition per month, no version, no crime partitions.
    const oldMonth = [
      { month: '2024-01', lsoaCode: 'E01900001', crimes: [crime('old-1', 'E01900001', centre(0)[0]), crime('old-2', 'E01900001', centre(0)[0])] },
      { month: '2024-01', lsoaCode: UNPLACED_LSOA, crimes: [crime('old-3', UNPLACED_LSOA, null), crime('old-4', UNPLACED_LSOA, -0.5)] },
    ];
    for (const item of [...encodeCrimeMonth(datasetId, '2024-01', oldMonth), ...encodeCounts(datasetId, '2024-01', countBlocks(oldMonth))]) {
      await doc.send(new PutCommand({ TableName: TABLE, Item: item as unknown as Record<string, unknown> }));
    }
    expect(await reference.crimePartitionSizes(datasetId, '2024-01', '2024-01')).toEqual(new Map());
    await reference.putDataset({ id: datasetId, name: 'Old', synthetic: false, version: 'v0', firstMonth: '2024-01', lastMonth: '2024-01', lsoaCount: 6, crimeCount: 4, bbox: null, sources: [], importedAt: '2025-01-01T00:00:00Z', notes: [] });

    const dir = tempDir();
    const report = await importFiles([write(dir, 'lookup.csv', lookupCsv()), write(dir, '2024-02-x-street.csv', crimeRows({ 1: 2, 7: 1 }, { month: '2024-02' }))], { reference, datasetId, now });
    const summary = (await reference.getDataset(datasetId))!;
    expect(summary.studyArea).toMatchObject({ method: 'police-force-area', lsoaCount: 6 });
    expect(report.accounting.derivedMonths).toEqual(['2024-01']);
    expect(summary.crimeAccounting).toEqual({ rowsRead: 4 + 3, stored: 4 + 3, placed: 2 + 2, outsideStudyArea: 1 + 1, noLocation: 1, duplicatesSkipped: 0, rejected: 0 });
    expect(summary.crimeCount).toBe(7);
    expect(summary.notes.join(' ')).toMatch(/not known for months imported before they were counted \(2024-01\)/);
    expect(await reference.getDocument(datasetId, 'month-accounting#2024-01')).toMatchObject({ derivedFromStoredCrimes: true, stored: 4, placed: 2 });
    // The old month was moved to the district partitions: its LSOAs' district and the unplaced crimes' own partition.
    expect(report.studyArea.monthsRepartitioned).toEqual(['2024-01']);
    expect(formatReport(report)).toMatch(/1 stored month written again in their districts' partitions: 2024-01/);
    expect(await reference.crimePartitionSizes(datasetId, '2024-01', '2024-01')).toEqual(new Map([['2024-01', new Map([['E07000901', 2], [UNPLACED_PARTITION, 2]])]]));
    expect((await reference.getCrimeBlocks(datasetId, ['2024-01'], { partitions: ['E07000901'] })).flatMap((b) => b.crimes.map((c) => c.id)).sort()).toEqual(['old-1', 'old-2']);
    // The next import has nothing to move.
    const again = await importFiles([write(dir, '2024-03-x-street.csv', crimeRows({ 1: 1 }, { month: '2024-03' }))], { reference, datasetId, now });
    expect(again.studyArea.monthsRepartitioned).toEqual([]);
  });
});

describe('boundaries given twice', () => {
  it('keeps the more detailed boundary whatever the order, so county + England files store what the county files alone do', async () => {
    const dir = tempDir();
    const county = write(dir, 'county.geojson', countyGeoJson());
    const england = write(dir, 'england.geojson', englandGeoJson());
    const lookup = write(dir, 'lookup.csv', lookupCsv());
    const crimes = write(dir, '2024-01-x-street.csv', crimeRows({ 0: 3, 4: 2, 6: 1 }));
    const reports: ImportReport[] = [];
    for (const [datasetId, paths] of [
      ['twice-county', [county, lookup, crimes]],
      ['twice-a', [england, county, lookup, crimes]],
      ['twice-b', [county, england, lookup, crimes]],
    ] as const) {
      reports.push(await importFiles([...paths], { reference, datasetId, now }));
    }
    const geometries = async (id: string) => new Map((await reference.listLsoas(id)).map((l) => [l.code, l.geometry]));
    const countyOnly = await geometries('twice-county');
    expect(countyOnly.size).toBe(6);
    expect(await geometries('twice-a')).toEqual(countyOnly);
    expect(await geometries('twice-b')).toEqual(countyOnly);
    expect(reports[1]!.studyArea.boundaries.givenTwice).toEqual({ lsoas: 6, keptFrom: { [county]: 6 } });
    expect(formatReport(reports[1]!)).toContain('6 LSOAs given more than once: the more detailed boundary kept (more vertices, then more decimal places): 6 from');
    expect(await storedCounts('twice-a')).toEqual(await storedCounts('twice-county'));
    const summaries = await Promise.all(['twice-county', 'twice-a'].map((id) => reference.getDataset(id)));
    expect(summaries[1]!.studyArea).toEqual(summaries[0]!.studyArea);
    expect(summaries[1]!.crimeAccounting).toEqual(summaries[0]!.crimeAccounting);
  });
});

describe('the synthetic demo dataset', () => {
  it('has its own districts as study area, and accounts for its crimes', () => {
    const demo = generateDemoDataset({ lsoaCount: 60, months: { from: '2024-01', to: '2024-02' } });
    const s: DatasetSummary = demo.summary;
    expect(s.studyArea).toMatchObject({ method: 'synthetic', force: null, lsoaCount: demo.lsoas.length });
    expect(s.studyArea!.districts.reduce((n, d) => n + d.lsoaCount, 0)).toBe(demo.lsoas.length);
    expect(new Set(s.studyArea!.districts.map((d) => d.code))).toEqual(new Set(demo.lsoas.map((l) => l.districtCode)));
    expect(s.crimeAccounting).toMatchObject({ rowsRead: s.crimeCount, stored: s.crimeCount, duplicatesSkipped: 0, rejected: 0 });
    expectIdentities(s.crimeAccounting!);
  });
});
