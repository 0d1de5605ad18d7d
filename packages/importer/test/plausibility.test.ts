import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, DynamoReferenceRepository, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';
import { main } from '../src/cli';
import { ImplausibleImportError, importFiles, PLAUSIBILITY } from '../src/index';
import { POLICE_COLUMNS } from '../src/file-kinds';
import { SQUARES, boundaryGeoJson, centre, csv, policeRow, tempDir, write } from './fixtures';

const header = [...POLICE_COLUMNS];
const CATEGORIES = ['Burglary', 'Violence and sexual offences', 'Anti-social behaviour', 'Shoplifting', 'Vehicle crime'];

/** A month of `n` crimes spread over the five squares and five categories; `swap` writes Latitude in the Longitude column and back. */
function month(monthId: string, n: number, o: { swap?: boolean; prefix?: string } = {}) {
  const rows = Array.from({ length: n }, (_, i) => {
    const [lon, lat] = centre(i % SQUARES.length);
    return policeRow({
      'Crime ID': `${o.prefix ?? 'c'}-${monthId}-${i}`,
      Month: monthId,
      Longitude: o.swap ? lat : lon,
      Latitude: o.swap ? lon : lat,
      'LSOA code': SQUARES[i % SQUARES.length]!,
      'Crime type': CATEGORIES[i % CATEGORIES.length]!,
    });
  });
  return csv([header, ...rows]);
}

function sink() {
  let text = '';
  const stream = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

let dynamo: Awaited<ReturnType<typeof startEmbeddedDynamo>>;
let doc: ReturnType<typeof createDocumentClient>;
let reference: DynamoReferenceRepository;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, 'plausibility');
  reference = new DynamoReferenceRepository(doc, 'plausibility');
});
afterAll(async () => {
  doc.destroy();
  await dynamo.close();
});

const total = async (datasetId: string, m: string) =>
  [...((await reference.getMonthlyCounts(datasetId, m, m))[0]?.counts.values() ?? [])].flat().reduce((a, b) => a + b, 0);
const ids = async (datasetId: string, m: string) => (await reference.getCrimeBlocks(datasetId, [m])).flatMap((b) => b.crimes.map((c) => c.id)).sort();

describe('plausibility checks before a stored month is replaced', () => {
  const datasetId = 'checks';
  const dir = tempDir();

  it('stores two complete months', async () => {
    const boundaries = write(dir, 'lsoa21.geojson', boundaryGeoJson());
    await importFiles([boundaries, write(dir, 'a/2024-01-testshire-street.csv', month('2024-01', 200)), write(dir, 'a/2024-02-testshire-street.csv', month('2024-02', 180))], { reference, datasetId });
    expect(await total(datasetId, '2024-01')).toBe(200);
    expect(await total(datasetId, '2024-02')).toBe(180);
  });

  it('refuses a truncated month (40 % of its rows): nothing written, not even the good month beside it', async () => {
    const truncated = write(dir, 'b/2024-01-testshire-street.csv', month('2024-01', 80, { prefix: 't' }));
    const goodNew = write(dir, 'b/2024-03-testshire-street.csv', month('2024-03', 150));
    const run = importFiles([truncated, goodNew], { reference, datasetId });
    await expect(run).rejects.toBeInstanceOf(ImplausibleImportError);
    await expect(run).rejects.toThrow(/2024-01 \(stored 200 crimes, 200 placed; new 80 crimes, 80 placed\)[\s\S]*row count check failed: 80 crimes, 40\.0 % of the 200 stored[\s\S]*--force-replace/);
    expect(await total(datasetId, '2024-01')).toBe(200);
    expect((await ids(datasetId, '2024-01'))[0]).toMatch(/^c-/);
    expect(await reference.getMonthlyCounts(datasetId, '2024-03', '2024-03')).toEqual([]);
  });

  it('the CLI exits 2 for a truncated month and names the check, the month and --force-replace', async () => {
    const cliDir = tempDir();
    const boundaries = write(cliDir, 'lsoa21.geojson', boundaryGeoJson());
    expect(await main(['--data-dir', `${cliDir}/data`, boundaries, write(cliDir, 'a/2024-01-testshire-street.csv', month('2024-01', 200))], sink().stream, sink().stream)).toBe(0);
    const err = sink();
    expect(await main(['--data-dir', `${cliDir}/data`, write(cliDir, 'b/2024-01-testshire-street.csv', month('2024-01', 80))], sink().stream, err.stream)).toBe(2);
    expect(err.text()).toMatch(/2024-01[\s\S]*row count check failed: 80 crimes, 40\.0 % of the 200 stored \(at least 50\.0 % needed\)[\s\S]*--force-replace/);
  });

  it('refuses a month with Longitude and Latitude swapped', async () => {
    const swapped = write(dir, 'c/2024-02-testshire-street.csv', month('2024-02', 180, { swap: true }));
    const run = importFiles([swapped], { reference, datasetId });
    await expect(run).rejects.toThrow(/2024-02[\s\S]*share placed check failed: 0\.0 % of crimes with coordinates placed[\s\S]*coordinates check failed: 180 of 180 rows with coordinates \(100\.0 %\) are outside the UK/);
    expect((await reference.getMonthlyCounts(datasetId, '2024-02', '2024-02'))[0]!.counts.size).toBe(SQUARES.length);
  });

  it('refuses a month whose category shares changed wholesale', async () => {
    const allBurglary = csv([header, ...Array.from({ length: 180 }, (_, i) => policeRow({ 'Crime ID': `b-${i}`, Month: '2024-02', 'Crime type': 'Burglary' }))]);
    await expect(importFiles([write(dir, 'd/2024-02-testshire-street.csv', allBurglary)], { reference, datasetId })).rejects.toThrow(
      new RegExp(`category shares check failed: total variation distance 0\\.800 between the stored and new category shares \\(at most ${PLAUSIBILITY.maxCategoryDistance} allowed\\)`),
    );
  });

  it('accepts a genuine revision (10 % fewer rows) and reports what changed', async () => {
    const revised = write(dir, 'e/2024-01-testshire-street.csv', month('2024-01', 180, { prefix: 'r' }));
    const report = await importFiles([revised], { reference, datasetId });
    expect(await total(datasetId, '2024-01')).toBe(180);
    const change = report.crimes!.monthChanges.find((m) => m.month === '2024-01')!;
    expect(change).toMatchObject({ stored: { crimes: 200, placed: 200 }, new: { crimes: 180, placed: 180 }, rowRatio: 0.9 });
    expect(change.checks.every((c) => c.passed)).toBe(true);
    expect(report.crimes!.checksOverridden).toEqual([]);
  });

  it('--force-replace imports a failing month and the report lists the checks overridden', async () => {
    const truncated = write(dir, 'f/2024-02-testshire-street.csv', month('2024-02', 72, { prefix: 'f' }));
    const report = await importFiles([truncated], { reference, datasetId, forceReplace: true });
    expect(await total(datasetId, '2024-02')).toBe(72);
    expect(report.crimes!.checksOverridden).toEqual([{ month: '2024-02', check: 'row count', figures: expect.stringMatching(/72 crimes, 40\.0 % of the 180 stored/) }]);
    const { formatReport } = await import('../src/report');
    const text = formatReport(report);
    expect(text).toMatch(/2024-02 replaced: stored 180 → new 72 crimes; placed 180 → 72/);
    expect(text).toMatch(/FAILED row count/);
    expect(text).toMatch(/checks overridden with --force-replace: 2024-02 row count/);
  });
});
