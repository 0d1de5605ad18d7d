import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNPLACED_LSOA } from '@safer-places/domain';
import { ImportInputError, importFiles } from '../src/index';
import { POLICE_COLUMNS } from '../src/file-kinds';
import { boundaryGeoJson, centre, csv, memoryStore, policeRow, tempDir, write } from './fixtures';

let store: Awaited<ReturnType<typeof memoryStore>>;
beforeAll(async () => {
  store = await memoryStore();
});
afterAll(() => store.close());

const header = [...POLICE_COLUMNS];
const now = () => new Date('2026-06-15T12:00:00Z');
let n = 0;
/** A fresh dataset with the five test LSOAs, and a folder for the crime file. */
async function setUp() {
  const datasetId = `bad-input-${++n}`;
  const dir = tempDir();
  await importFiles([write(dir, 'b/lsoa21.geojson', boundaryGeoJson())], { reference: store.reference, datasetId, now });
  return { datasetId, dir };
}
const crimesOf = async (datasetId: string, month = '2024-01') => (await store.reference.getCrimeBlocks(datasetId, [month])).flatMap((b) => b.crimes);

describe('police.uk files the importer must not misread', () => {
  it('reads a Windows-1252 file (not valid UTF-8) with its accents and dashes intact, and warns that it did', async () => {
    const { datasetId, dir } = await setUp();
    const text = csv([header, policeRow({ 'Crime ID': 'w1', Location: 'On or near Caf\u00e9 Parade' }), policeRow({ 'Crime ID': 'w2', Location: 'On or near Bus Station \u2013 Stand 4' })]);
    // Latin-1 bytes for é; 0x96 for the en dash, as Windows-1252 writes it.
    const path = join(dir, 'cp1252.csv');
    writeFileSync(path, Buffer.from(text.replace('\u2013', '\x96'), 'latin1'));
    const report = await importFiles([path], { reference: store.reference, datasetId, now });
    expect(report.crimes).toMatchObject({ rowsRead: 2, imported: 2, rejected: 0 });
    expect(report.warnings).toContain(`${path}: not valid UTF-8; 2 lines were read as Windows-1252 (first: line 2); save it as "CSV UTF-8" to be sure of accented text`);
    const locations = (await crimesOf(datasetId)).map((c) => c.location).sort();
    expect(locations).toEqual(['On or near Bus Station \u2013 Stand 4', 'On or near Caf\u00e9 Parade']);
    expect(locations.join('')).not.toMatch(/[\ufffd\u0080-\u009f]/);
  });

  it('refuses a police.uk file missing a column, naming the column, even inside a folder, and writes nothing', async () => {
    const dir = tempDir();
    write(dir, 'in/lsoa21.geojson', boundaryGeoJson());
    const without = header.filter((h) => h !== 'Crime type');
    const path = write(dir, 'in/2024-01-x-street.csv', csv([without, policeRow({ 'Crime ID': 'x' }).filter((_, i) => header[i] !== 'Crime type')]));
    for (const input of [`${dir}/in`, path]) {
      const run = importFiles([input], { reference: store.reference, datasetId: 'missing-column', now });
      await expect(run).rejects.toBeInstanceOf(ImportInputError);
      await expect(run).rejects.toThrow(`${path}: it looks like police.uk street-level crime but has no "Crime type" column (its header: ${without.join(', ')})`);
    }
    expect(await store.reference.getDataset('missing-column')).toBeNull();
    expect(await store.reference.listLsoas('missing-column')).toEqual([]);
  });

  it('a file with few police.uk columns is still just an unrecognised file (skipped inside a folder)', async () => {
    const dir = tempDir();
    write(dir, 'lsoa21.geojson', boundaryGeoJson());
    write(dir, 'notes.csv', csv([['Crime ID', 'Month', 'Notes'], ['a', '2024-01', 'x']]));
    const report = await importFiles([dir], { reference: store.reference, datasetId: 'few-columns', now });
    expect(report.skippedFiles).toEqual([{ path: join(dir, 'notes.csv'), reason: 'its header (Crime ID, Month, Notes) matches no known file' }]);
  });

  it('warns about a file with a header and no rows', async () => {
    const { datasetId, dir } = await setUp();
    const path = write(dir, 'empty.csv', csv([header]));
    const report = await importFiles([path], { reference: store.reference, datasetId, now });
    expect(report.crimes).toMatchObject({ rowsRead: 0, imported: 0, monthsReplaced: [] });
    expect(report.warnings).toEqual([`${path}: no rows after the header; nothing imported from it`]);
  });

  it('names a repeated header line (files joined together) instead of calling it a bad month', async () => {
    const { datasetId, dir } = await setUp();
    const path = write(dir, 'joined.csv', csv([header, policeRow({ 'Crime ID': 'j1' }), header, policeRow({ 'Crime ID': 'j2' })]));
    const report = await importFiles([path], { reference: store.reference, datasetId, now });
    expect(report.crimes).toMatchObject({ rowsRead: 3, imported: 2, rejected: 1 });
    expect(report.crimes!.issues).toEqual([{ file: 'joined.csv', line: 3, reason: 'the header line again (files joined together?); not a crime' }]);
    expect((await crimesOf(datasetId)).map((c) => c.id).sort()).toEqual(['j1', 'j2']);
  });

  it('keeps coordinates outside the UK as published but says so, suggesting a swap when swapping would fit', async () => {
    const { datasetId, dir } = await setUp();
    const [lon, lat] = centre(1);
    const path = write(dir, 'swapped.csv', csv([header, policeRow({ 'Crime ID': 's1', Longitude: lat, Latitude: lon }), policeRow({ 'Crime ID': 's2', Longitude: 0, Latitude: 0 })]));
    const report = await importFiles([path], { reference: store.reference, datasetId, now });
    expect(report.crimes).toMatchObject({ rowsRead: 2, imported: 2, outsideLsoas: 2, noLocation: 0 });
    expect(report.crimes!.issues.map((i) => `${i.line}: ${i.reason}`)).toEqual([
      `2: coordinates "${lat}", "${lon}" are outside the UK (Longitude and Latitude swapped?); kept as published, placed in no LSOA`,
      '3: coordinates "0", "0" are outside the UK; kept as published, placed in no LSOA',
    ]);
    const stored = await crimesOf(datasetId);
    expect(stored.map((c) => [c.id, c.lon, c.lat, c.lsoaCode])).toEqual([
      ['s1', lat, lon, UNPLACED_LSOA],
      ['s2', 0, 0, UNPLACED_LSOA],
    ]);
  });
});
