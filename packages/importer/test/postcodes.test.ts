import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPostcodeRepository, DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { ImportInputError, detectFiles, formatReport, importFiles } from '../src/index';
import { SQUARES, boundaryGeoJson, centre, csv, tempDir, write } from './fixtures';

/*
 * Generated postcode files shaped like the ONS postcode directory (ONSPD: pcd, pcd2, pcds, dointr, doterm, …, lat,
 * long, lsoa21) and the NSPL without an LSOA column: made-up "ZZ" postcodes at the test squares (fixtures.ts), never
 * real data.
 */
let dynamo: EmbeddedDynamo;
let doc: ReturnType<typeof createDocumentClient>;
let reference: DynamoReferenceRepository;
let postcodes: DynamoPostcodeRepository;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, 'postcode-import-test');
  reference = new DynamoReferenceRepository(doc, 'postcode-import-test');
  postcodes = new DynamoPostcodeRepository(doc, 'postcode-import-test');
});
afterAll(async () => {
  doc.destroy();
  await dynamo.close();
});

const ONSPD_HEADER = ['pcd', 'pcd2', 'pcds', 'dointr', 'doterm', 'oscty', 'oslaua', 'osward', 'lsoa11', 'lsoa21', 'lat', 'long'];
/** An ONSPD row: pcd is the 7-character form ("ZZ1 1AA" → "ZZ1 1AA", "ZZ11 1AA" → "ZZ111AA"). */
function onspdRow(pcds: string, [lon, lat]: [number, number], o: { doterm?: string; lsoa21?: string } = {}) {
  const [out, inw] = pcds.split(' ') as [string, string];
  const pcd = `${out.padEnd(4, ' ')}${inw}`.slice(0, 7);
  return [pcd, `${out.padEnd(4)} ${inw}`, pcds, '199001', o.doterm ?? '', 'E99999999', 'E07000999', 'E05000001', 'E01000001', o.lsoa21 ?? '', lat, lon];
}

describe('recognising a postcode file', () => {
  it('knows an ONSPD or NSPL CSV by its pcd / lat / long columns, reading doterm and lsoa21 where present', async () => {
    const dir = tempDir();
    const onspd = write(dir, 'ONSPD_NOV_2025.csv', csv([ONSPD_HEADER, onspdRow('ZZ1 1AA', centre(0))]));
    const nspl = write(dir, 'NSPL.csv', csv([['pcds', 'dointr', 'lat', 'long'], ['ZZ1 1AB', '199001', 53.005, -1.245]]));
    const { files } = await detectFiles([onspd, nspl]);
    expect(files.map((f) => f.kind)).toEqual(['onspd-postcodes', 'onspd-postcodes']);
    expect(files[0]!.columns).toMatchObject({ postcode: 0, doterm: 4, lsoa21: 9, lat: 10, long: 11 });
    expect(files[1]!.columns).toEqual({ postcode: 0, lat: 2, long: 3 });
  });
});

describe('importing postcodes', () => {
  it('keeps the live postcodes in the study area, counts every other row, and the search can read them', async () => {
    const dir = tempDir();
    write(dir, 'lsoa21.geojson', boundaryGeoJson());
    write(
      dir,
      'onspd.csv',
      csv([
        ONSPD_HEADER,
        onspdRow('ZZ1 1AA', centre(0), { lsoa21: 'E01000001' }),
        onspdRow('ZZ1 1AB', centre(1), { lsoa21: 'E01000002' }),
        onspdRow('ZZ1 1AD', centre(1)), // no lsoa21: placed by its point
        onspdRow('ZZ11 2AA', centre(4), { lsoa21: 'E01000005' }),
        onspdRow('ZZ1 9ZZ', centre(2), { lsoa21: 'E01000003', doterm: '201004' }), // terminated
        onspdRow('ZZ2 1AA', [-2.5, 54], { lsoa21: 'E01099999' }), // another area
        onspdRow('ZZ2 1AB', [-2.5, 54]), // another area, no lsoa21
        ['ZZ3 1AA', 'ZZ3 1AA', 'ZZ3 1AA', '199001', '', '', '', '', '', '', 99.999999, 0], // no grid reference
        ['NOTAPOSTCODE', '', 'NOTAPOSTCODE', '', '', '', '', '', '', '', 53, -1.2],
        onspdRow('ZZ1 1AB', centre(1), { lsoa21: 'E01000002' }), // the same postcode again
      ]),
    );
    const report = await importFiles([dir], { reference, postcodes, datasetId: 'pc-ds' });
    expect(report.postcodes).toMatchObject({ kept: 4, districts: 2, lsoaFromFile: 3, lsoaFromPoint: 1, storedBefore: 0 });
    expect(report.postcodes!.files[0]).toMatchObject({ rowsRead: 10, kept: 4, duplicates: 1, terminated: 1, noLocation: 1, outsideStudyArea: 2, rejected: 1 });
    expect(report.postcodes!.issues[0]!.reason).toMatch(/"NOTAPOSTCODE" is not a postcode/);
    const dataset = await reference.getDataset('pc-ds');
    expect(dataset!.sources.map((s) => s.name)).toContain('ONS postcode directory (postcode search)');
    expect((await postcodes.postcodeDistricts('pc-ds')).map((d) => [d.outward, d.count])).toEqual([['ZZ1', 3], ['ZZ11', 1]]);
    expect(await postcodes.postcodesIn('pc-ds', 'ZZ1')).toEqual([
      { postcode: 'ZZ1 1AA', lon: centre(0)[0], lat: centre(0)[1], lsoaCode: 'E01000001' },
      { postcode: 'ZZ1 1AB', lon: centre(1)[0], lat: centre(1)[1], lsoaCode: 'E01000002' },
      { postcode: 'ZZ1 1AD', lon: centre(1)[0], lat: centre(1)[1], lsoaCode: 'E01000002' },
    ]);
    const text = formatReport(report);
    expect(text).toMatch(/Postcodes: 4 live postcodes in 2 postcode districts kept for the search \(replacing 0 stored\)/);
    expect(text).toMatch(/rows 10 = kept 4 \+ repeated 1 \+ terminated 1 \+ no location 1 \+ outside the study area 2 \+ rejected 1/);
  });

  it('takes a postcode file on its own into a dataset with LSOAs, replacing the stored postcodes whole', async () => {
    const dir = tempDir();
    write(dir, 'lsoa21.geojson', boundaryGeoJson());
    await importFiles([dir], { reference, postcodes, datasetId: 'pc-alone' });
    const first = write(tempDir(), 'onspd.csv', csv([ONSPD_HEADER, ...SQUARES.map((code, i) => onspdRow(`ZZ5 ${i}AA`, centre(i), { lsoa21: code }))]));
    await importFiles([first], { reference, postcodes, datasetId: 'pc-alone' });
    const second = write(tempDir(), 'onspd.csv', csv([ONSPD_HEADER, ...SQUARES.slice(0, 3).map((code, i) => onspdRow(`ZZ6 ${i}AA`, centre(i), { lsoa21: code }))]));
    const report = await importFiles([second], { reference, postcodes, datasetId: 'pc-alone' });
    expect(report.postcodes).toMatchObject({ kept: 3, storedBefore: 5 });
    expect(report.studyArea.how).toBe('kept');
    expect((await postcodes.postcodeDistricts('pc-alone')).map((d) => d.outward)).toEqual(['ZZ6']);
    expect((await reference.listLsoas('pc-alone')).length).toBe(5);
  });

  it('replaces nothing with a file keeping far fewer postcodes than are stored, unless forced', async () => {
    const dir = tempDir();
    write(dir, 'lsoa21.geojson', boundaryGeoJson());
    write(dir, 'onspd.csv', csv([ONSPD_HEADER, ...SQUARES.map((code, i) => onspdRow(`ZZ7 ${i}AA`, centre(i), { lsoa21: code }))]));
    await importFiles([dir], { reference, postcodes, datasetId: 'pc-guard' });
    const small = write(tempDir(), 'onspd.csv', csv([ONSPD_HEADER, onspdRow('ZZ8 1AA', centre(0), { lsoa21: 'E01000001' })]));
    const version = (await reference.getDataset('pc-guard'))!.version;
    const err = await importFiles([small], { reference, postcodes, datasetId: 'pc-guard' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportInputError);
    expect((err as Error).message).toMatch(/keeps 1 postcodes where 5 are stored .*--force-replace/);
    expect((await postcodes.postcodeDistricts('pc-guard')).map((d) => d.outward)).toEqual(['ZZ7']);
    expect((await reference.getDataset('pc-guard'))!.version).toBe(version);
    await importFiles([small], { reference, postcodes, datasetId: 'pc-guard', forceReplace: true });
    expect((await postcodes.postcodeDistricts('pc-guard')).map((d) => d.outward)).toEqual(['ZZ8']);
  });

  it('refuses postcodes without LSOAs, without a place to keep them, or with none in the study area; writes nothing', async () => {
    const file = write(tempDir(), 'onspd.csv', csv([ONSPD_HEADER, onspdRow('ZZ9 1AA', centre(0), { lsoa21: 'E01000001' })]));
    await expect(importFiles([file], { reference, postcodes, datasetId: 'pc-empty' })).rejects.toThrow(/import LSOA 2021 boundaries first/);
    expect(await reference.getDataset('pc-empty')).toBeNull();
    await expect(importFiles([file], { reference, datasetId: 'pc-empty' })).rejects.toThrow(/cannot keep postcodes/);
    const dir = tempDir();
    write(dir, 'lsoa21.geojson', boundaryGeoJson());
    write(dir, 'elsewhere.csv', csv([ONSPD_HEADER, onspdRow('ZZ9 1AB', [-3, 55], { lsoa21: 'E01099999' })]));
    await expect(importFiles([dir], { reference, postcodes, datasetId: 'pc-elsewhere' })).rejects.toThrow(/none of the 1 postcode rows is a live postcode in the dataset's 5 LSOAs/);
    expect(await reference.getDataset('pc-elsewhere')).toBeNull();
    expect(await postcodes.postcodeDistricts('pc-elsewhere')).toEqual([]);
  });
});
