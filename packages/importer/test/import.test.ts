import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNPLACED_LSOA } from '@safer-places/domain';
import type { Lsoa } from '@safer-places/schemas';
import { ImportInputError, importFiles } from '../src/index';
import { lsoaContentVersion } from '../src/import';
import { POLICE_COLUMNS } from '../src/file-kinds';
import { SQUARES, boundaryGeoJson, centre, csv, memoryStore, policeRow, tempDir, write } from './fixtures';

let store: Awaited<ReturnType<typeof memoryStore>>;
beforeAll(async () => {
  store = await memoryStore();
});
afterAll(() => store.close());

const header = [...POLICE_COLUMNS];

describe('reference data', () => {
  it('builds LSOAs from boundaries, lookups, deprivation and population, carrying 2011-based data through the lookup', async () => {
    const dir = tempDir();
    write(dir, 'lsoa21.geojson', boundaryGeoJson());
    write(dir, 'lookup11-21.csv', csv([
      ['lsoa11cd', 'lsoa11nm', 'chgind', 'lsoa21cd', 'lsoa21nm', 'lad22cd', 'lad22nm'],
      ['E01000001', 'a', 'U', 'E01000001', 'a', 'E07000999', 'T'],
      ['E01000002', 'b', 'U', 'E01000002', 'b', 'E07000999', 'T'],
      ['E01009991', 'c', 'S', 'E01000003', 'c', 'E07000999', 'T'],
      ['E01009991', 'c', 'S', 'E01000004', 'd', 'E07000999', 'T'],
      ['E01009992', 'e', 'M', 'E01000005', 'e', 'E07000999', 'T'],
      ['E01009993', 'f', 'M', 'E01000005', 'e', 'E07000999', 'T'],
    ]));
    write(dir, 'iod2025.csv', csv([['lsoa21cd', 'lsoa21nm', 'lad24cd', 'lad24nm', 'imd_decile', 'imd_rank'], ['E01000001', 'a', 'E07000999', 'T', 2, 3000], ['E09999999', 'elsewhere', 'x', 'x', 5, 1]]));
    write(dir, 'imd2019.csv', csv([
      ['lsoa11cd', 'lsoa11nm', 'imd_rank', 'imd_decile'],
      ['E01000001', 'a', 32000, 10],
      ['E01000002', 'b', 100, 1],
      ['E01009991', 'c', 20000, 7],
      ['E01009992', 'e', 3000, 1],
      ['E01009993', 'f', 30000, 10],
    ]));
    write(dir, 'census.csv', csv([['lsoa21cd', 'lsoa21nm', 'lad24cd', 'lad24nm', 'usual_residents_census2021'], ['E01000001', 'a', 'x', 'x', 1500], ['E01000002', 'b', 'x', 'x', 1600], ['E01000003', 'c', 'x', 'x', '1,700']]));
    write(dir, 'mid2020.csv', csv([['lsoa11cd', 'lsoa11nm', 'pop_total_mid2020'], ['E01009991', 'c', 2000], ['E01009992', 'e', 1000], ['E01009993', 'f', 3000]]));
    write(dir, 'wards.csv', csv([['lsoa21cd', 'lsoa21nm', 'wd24cd', 'wd24nm', 'lad24cd', 'lad24nm'], ...SQUARES.map((c) => [c, c, 'E05000001', 'Market Ward', 'E07000999', 'Testshire'])]));
    write(dir, 'csp.csv', csv([['lad24cd', 'lad24nm', 'csp24cd', 'csp24nm', 'pfa24cd', 'pfa24nm'], ['E07000999', 'Testshire', 'E22000999', 'Testshire CSP', 'E23000999', 'Testshire']]));

    const report = await importFiles([dir], { reference: store.reference, datasetId: 'ref-test' });
    expect(report.reference).toMatchObject({
      lsoas: 5,
      deprivation: { iod2025: 1, imd2019Unchanged: 1, imd2019Split: 2, imd2019Merged: 1, none: 0 },
      population: { census2021: 3, mid2020Carried: 2, none: 0 },
      rowsOutsideDataset: 1,
    });
    const lsoas = new Map((await store.reference.listLsoas('ref-test')).map((l) => [l.code, l]));
    expect(lsoas.get('E01000001')).toMatchObject({ imdDecile: 2, population: 1500, wardName: 'Market Ward', districtName: 'Testshire', cspName: 'Testshire CSP' });
    expect(lsoas.get('E01000001')!.deprivationSource).toMatch(/IMD 2025/);
    expect(lsoas.get('E01000002')).toMatchObject({ imdDecile: 1, population: 1600 });
    expect(lsoas.get('E01000003')).toMatchObject({ imdDecile: 7, population: 1700 });
    expect(lsoas.get('E01000003')!.deprivationSource).toMatch(/approximate: this LSOA was split from E01009991/);
    // Split: half of the parent's 2,000 residents.
    expect(lsoas.get('E01000004')).toMatchObject({ imdDecile: 7, population: 1000 });
    // Merged: rank (3,000 × 1,000 + 30,000 × 3,000) / 4,000 = 23,250 → decile 8; population 1,000 + 3,000.
    expect(lsoas.get('E01000005')).toMatchObject({ imdDecile: 8, population: 4000 });
    expect(lsoas.get('E01000005')!.deprivationSource).toMatch(/approximate: population-weighted mean rank of E01009992, E01009993/);
    const summary = await store.reference.getDataset('ref-test');
    expect(summary).toMatchObject({ synthetic: false, lsoaCount: 5, crimeCount: 0, firstMonth: null });
    expect(summary!.sources.map((s) => s.licence)).toEqual(expect.arrayContaining(['Open Government Licence v3.0']));
    expect(summary!.sources.find((s) => s.name === 'LSOA (December 2021) boundaries')!.publisher).toMatch(/OS data © Crown copyright/);
  });
});

describe('police.uk crimes', () => {
  const datasetId = 'crime-test';
  let dir: string;
  let crimeFile: string;

  beforeAll(async () => {
    dir = tempDir();
    write(dir, 'b/lsoa21.geojson', boundaryGeoJson());
    write(dir, 'b/lookup.csv', csv([['lsoa11cd', 'lsoa11nm', 'chgind', 'lsoa21cd', 'lsoa21nm', 'lad22cd', 'lad22nm'], ['E01009991', 'c', 'S', 'E01000003', 'c', 'x', 'x'], ['E01009991', 'c', 'S', 'E01000004', 'd', 'x', 'x']]));
    await importFiles([`${dir}/b`], { reference: store.reference, datasetId });
    const rows = [
      header,
      policeRow({ 'Crime ID': 'a1', Location: 'On or near Market Street, East' }),
      policeRow({ 'Crime ID': 'a1', Location: 'On or near Market Street, East' }), // identical: a duplicate
      policeRow({ 'Crime ID': 'a1', Longitude: centre(1)[0], 'LSOA code': 'E01000002' }), // same ID, different row: kept
      policeRow({ 'Crime type': 'Anti-social behaviour', 'Last outcome category': '' }),
      policeRow({ 'Crime type': 'Anti-social behaviour', 'Last outcome category': '' }), // a second, identical incident
      policeRow({ 'Crime ID': 'b2', Longitude: '', Latitude: '', 'LSOA code': '', Location: 'No Location' }),
      policeRow({ 'Crime ID': 'c3', Longitude: -0.5, Latitude: 52.0 }), // outside every LSOA
      policeRow({ 'Crime ID': 'd4', Longitude: centre(2)[0], 'LSOA code': 'E01009991' }), // retired 2011 code
      policeRow({ 'Crime ID': 'e5', Longitude: centre(4)[0], 'LSOA code': 'E01000004' }), // published code differs
      policeRow({ 'Crime ID': 'f6', Month: '2024-13' }),
      policeRow({ 'Crime ID': 'g7', 'Crime type': 'Arson' }),
      policeRow({ 'Crime ID': 'h8', Longitude: 'abc' }),
      policeRow({ 'Crime ID': 'i9', Month: '2024-02', 'Crime type': 'Violence and sexual offences' }),
    ];
    // A UTF-8 BOM, and one ragged row.
    crimeFile = write(dir, 'c/2024-01-testshire-street.csv', `\uFEFF${csv(rows)}x1,2024-01,short row\n`);
  });

  it('imports every usable row, counts every other one by reason, and stores unplaced rows', async () => {
    const report = await importFiles([crimeFile], { reference: store.reference, datasetId });
    const c = report.crimes!;
    expect(c).toMatchObject({
      rowsRead: 14,
      imported: 10,
      duplicatesSkipped: 1,
      sameIdDifferentRow: 1,
      rejected: 3,
      noLocation: 2,
      outsideLsoas: 1,
      publishedCodeDiffers: 1,
      retiredCodes: { E01009991: 1 },
      monthsReplaced: ['2024-01', '2024-02'],
    });
    expect(c.rowsRead).toBe(c.imported + c.duplicatesSkipped + c.rejected);
    expect(c.issues.map((i) => `${i.line}: ${i.reason}`)).toEqual([
      expect.stringMatching(/^11: Month "2024-13" is not a valid YYYY-MM month/),
      expect.stringMatching(/^12: Crime type "Arson" is not a police.uk category/),
      expect.stringMatching(/^13: coordinates "abc", "53.005" are not a longitude\/latitude; stored without a location/),
      expect.stringMatching(/^15: row has 3 fields; the header has 12/),
    ]);

    const blocks = await store.reference.getCrimeBlocks(datasetId, ['2024-01']);
    const count = (code: string) => blocks.find((b) => b.lsoaCode === code)?.crimes.length ?? 0;
    expect(count('E01000001')).toBe(3); // a1 and the two ASB incidents
    expect(count('E01000002')).toBe(1);
    expect(count('E01000003')).toBe(1);
    expect(count('E01000005')).toBe(1);
    expect(count(UNPLACED_LSOA)).toBe(3);
    const a1 = blocks.flatMap((b) => b.crimes).find((x) => x.id === 'a1')!;
    expect(a1).toMatchObject({ location: 'On or near Market Street, East', category: 'burglary', lon: centre(0)[0], lat: 53.005, publishedLsoaCode: 'E01000001' });
    const summary = (await store.reference.getDataset(datasetId))!;
    expect(summary).toMatchObject({ firstMonth: '2024-01', lastMonth: '2024-02', crimeCount: 10 });
    expect(report.coverage).toEqual({ districts: ['Testshire'], months: [{ month: '2024-01', counts: [6] }, { month: '2024-02', counts: [1] }] });
  });

  it('is idempotent: importing the same file again changes nothing', async () => {
    const before = await store.reference.getCrimeBlocks(datasetId, ['2024-01', '2024-02']);
    await importFiles([crimeFile, crimeFile], { reference: store.reference, datasetId });
    expect(await store.reference.getCrimeBlocks(datasetId, ['2024-01', '2024-02'])).toEqual(before);
    expect((await store.reference.getDataset(datasetId))!.crimeCount).toBe(10);
  });

  it('a newer file for a month replaces that month', async () => {
    const newer = write(dir, 'd/2024-01-testshire-street.csv', csv([header, policeRow({ 'Crime ID': 'z9' })]));
    // One row for a month of nine fails the row count check: replacing it takes --force-replace.
    const report = await importFiles([newer], { reference: store.reference, datasetId, forceReplace: true });
    expect(report.crimes!.checksOverridden.map((o) => `${o.month} ${o.check}`)).toContain('2024-01 row count');
    const blocks = await store.reference.getCrimeBlocks(datasetId, ['2024-01']);
    expect(blocks.flatMap((b) => b.crimes.map((x) => x.id))).toEqual(['z9']);
    expect((await store.reference.getDataset(datasetId))!.crimeCount).toBe(2); // z9 + the February row
  });

  it('keeps an import report with the dataset', async () => {
    const reports = await store.reference.listDocuments<{ crimes: { rowsRead: number } }>(datasetId, 'import-report#');
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports.at(-1)!.document.crimes.rowsRead).toBe(1);
  });
});

describe('input it cannot use', () => {
  it('an unrecognised file stops the import, lists what it expects, and writes nothing', async () => {
    const dir = tempDir();
    const odd = write(dir, 'notes.csv', csv([['name', 'value'], ['a', 1]]));
    const good = write(dir, 'lsoa21.geojson', boundaryGeoJson());
    const run = importFiles([good, odd], { reference: store.reference, datasetId: 'never-written' });
    await expect(run).rejects.toBeInstanceOf(ImportInputError);
    await expect(run).rejects.toThrow(/notes\.csv: its header \(name, value\) matches no known file[\s\S]*police\.uk street-level crime: CSV with columns Crime ID, Month/);
    expect(await store.reference.getDataset('never-written')).toBeNull();
    expect(await store.reference.listLsoas('never-written')).toEqual([]);
  });

  it('inside a folder, unrecognised files are skipped and listed', async () => {
    const dir = tempDir();
    write(dir, 'lsoa21.geojson', boundaryGeoJson());
    write(dir, 'readme.csv', 'hello\n');
    write(dir, 'picture.png', 'x');
    const report = await importFiles([dir], { reference: store.reference, datasetId: 'folder-test' });
    expect(report.skippedFiles).toEqual([{ path: expect.stringMatching(/readme\.csv$/), reason: expect.stringMatching(/matches no known file/) }]);
  });

  it('crimes need boundaries', async () => {
    const dir = tempDir();
    const f = write(dir, '2024-01-x-street.csv', csv([header, policeRow({ 'Crime ID': 'x' })]));
    await expect(importFiles([f], { reference: store.reference, datasetId: 'no-boundaries' })).rejects.toThrow(/import LSOA 2021 boundaries first/);
    expect(await store.reference.getDataset('no-boundaries')).toBeNull();
  });

  it('never imports into the synthetic demo dataset', async () => {
    await store.reference.putDataset({ id: 'demo', name: 'Demo', synthetic: true, version: '1', firstMonth: null, lastMonth: null, lsoaCount: 0, crimeCount: 0, bbox: null, sources: [], importedAt: '2026-01-01', notes: [] });
    const f = write(tempDir(), 'lsoa21.geojson', boundaryGeoJson());
    await expect(importFiles([f], { reference: store.reference, datasetId: 'demo' })).rejects.toThrow(/synthetic/);
  });
});

describe('the LSOA version (what LSOA caches and the map tiles are keyed by)', () => {
  const datasetId = 'lsoa-version-test';
  let clock = Date.parse('2026-03-01T09:00:00Z');
  const now = () => new Date((clock += 60_000));
  const deprivation = (dir: string) =>
    write(dir, 'd/iod2025.csv', csv([['lsoa21cd', 'lsoa21nm', 'lad24cd', 'lad24nm', 'imd_decile', 'imd_rank'], ['E01000001', 'a', 'E07000999', 'T', 2, 3000]]));
  const packed = async (id: string) => {
    const s = (await store.reference.getDataset(id))!;
    return store.reference.listLsoas(id, { pack: { version: s.lsoaVersion!, count: s.lsoaCount } });
  };

  it('names the LSOAs stored: new when they change, kept when only crime months are imported', async () => {
    const dir = tempDir();
    write(dir, 'b/lsoa21.geojson', boundaryGeoJson());
    await importFiles([`${dir}/b`], { reference: store.reference, datasetId, now });
    const first = (await store.reference.getDataset(datasetId))!;
    expect(first.lsoaVersion).toMatch(/^lsoas-[0-9a-f]{24}$/);
    expect(first.lsoaVersion).toBe(lsoaContentVersion(await store.reference.listLsoas(datasetId)));
    // Its packed copy is there whole and reads back as the LSOA items do.
    const items = await store.reference.listLsoas(datasetId);
    expect(items).toHaveLength(first.lsoaCount);
    expect(await store.reference.hasLsoaPack(datasetId, first.lsoaVersion!, first.lsoaCount)).toBe(true);
    expect(await packed(datasetId)).toEqual(items);

    // A month of crimes: the dataset's version moves on, its LSOAs' does not.
    const month = write(dir, 'c/2024-01-testshire-street.csv', csv([header, policeRow({ 'Crime ID': 'v1' }), policeRow({ 'Crime ID': 'v2', Longitude: centre(1)[0] })]));
    await importFiles([month], { reference: store.reference, datasetId, now });
    const second = (await store.reference.getDataset(datasetId))!;
    expect(second.version).not.toBe(first.version);
    expect(second.lsoaVersion).toBe(first.lsoaVersion);

    // The same boundaries again: nothing about the LSOAs changed.
    await importFiles([`${dir}/b`], { reference: store.reference, datasetId, now });
    expect((await store.reference.getDataset(datasetId))!.lsoaVersion).toBe(first.lsoaVersion);

    // Deprivation added: new LSOAs, a new version and copy; the old copy is gone.
    deprivation(dir);
    await importFiles([`${dir}/b`, `${dir}/d`], { reference: store.reference, datasetId, now });
    const third = (await store.reference.getDataset(datasetId))!;
    expect(third.lsoaVersion).not.toBe(first.lsoaVersion);
    expect(await store.reference.hasLsoaPack(datasetId, third.lsoaVersion!, third.lsoaCount)).toBe(true);
    expect(await store.reference.hasLsoaPack(datasetId, first.lsoaVersion!, first.lsoaCount)).toBe(false);
    expect(await packed(datasetId)).toEqual(await store.reference.listLsoas(datasetId));
    expect((await packed(datasetId)).find((l) => l.code === 'E01000001')!.imdDecile).toBe(2);
  });

  it('a retry after an import that failed before its summary names the LSOAs now stored, not the old copy', async () => {
    const id = 'lsoa-version-retry';
    const dir = tempDir();
    write(dir, 'b/lsoa21.geojson', boundaryGeoJson());
    await importFiles([`${dir}/b`], { reference: store.reference, datasetId: id, now });
    const before = (await store.reference.getDataset(id))!;
    // The LSOA items are written, then the summary write fails (a time-out, throttling…).
    deprivation(dir);
    const failing = new Proxy(store.reference, {
      get(target, prop, receiver) {
        if (prop === 'putDataset') return async () => Promise.reject(new Error('store unavailable'));
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    await expect(importFiles([`${dir}/b`, `${dir}/d`], { reference: failing, datasetId: id, now })).rejects.toThrow('store unavailable');
    expect((await store.reference.getDataset(id))!.lsoaVersion).toBe(before.lsoaVersion);
    // The retry finds the items already new, and still names (and packs) them.
    await importFiles([`${dir}/b`, `${dir}/d`], { reference: store.reference, datasetId: id, now });
    const after = (await store.reference.getDataset(id))!;
    expect(after.lsoaVersion).not.toBe(before.lsoaVersion);
    expect((await packed(id)).find((l) => l.code === 'E01000001')!.imdDecile).toBe(2);
    expect(await packed(id)).toEqual(await store.reference.listLsoas(id));
  });

  it('the version does not depend on the order of an item’s attributes', () => {
    const a = { code: 'E01000001', name: 'a', population: 3 } as unknown as Lsoa;
    const b = { population: 3, name: 'a', code: 'E01000001' } as unknown as Lsoa;
    expect(lsoaContentVersion([a])).toBe(lsoaContentVersion([b]));
    expect(lsoaContentVersion([a])).not.toBe(lsoaContentVersion([{ ...a, population: 4 }]));
  });
});
