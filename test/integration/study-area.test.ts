import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createLocalTokenService } from '@safer-places/api';
import { UNPLACED_LSOA } from '@safer-places/domain';
import { importFiles, type ImportReport } from '@safer-places/importer';
import { DynamoReferenceRepository, createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from './shared-data';

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

const TABLE = 'study-area';
/** The whole shared folder as it is: the county files and the England-wide LSOA, IoD 2025 and IMD 2019 files. */
const WHOLE = 'whole-folder';
/** The county files only: everything but england/ and the *-england-*.csv files. */
const COUNTY = 'county-only';
const isEnglandWide = (name: string) => name === 'england' || /-england-/.test(name);

/** Top-level folders and data files of the shared folder without the England-wide ones (none is nested deeper). */
function countyPaths(): string[] {
  const paths: string[] = [];
  for (const name of readdirSync(SHARED_DATA).sort()) {
    const path = join(SHARED_DATA, name);
    if (isEnglandWide(name)) continue;
    if (statSync(path).isDirectory()) {
      expect(readdirSync(path).filter(isEnglandWide), `England-wide files inside ${name}/`).toEqual([]);
      paths.push(path);
    } else if (/\.(csv|geojson|json)$/.test(name)) {
      paths.push(path);
    }
  }
  return paths;
}

/** Every stored count, per month, LSOA (unplaced included) and category. */
async function countsOf(reference: DynamoReferenceRepository, datasetId: string): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const m of await reference.getMonthlyCounts(datasetId, '0000-01', '9999-12')) for (const [code, row] of m.counts) out.set(`${m.month} ${code}`, row);
  return out;
}

describe.runIf(sharedDataAvailable)('study area: the whole shared folder (with the England files) against the county files alone', () => {
  let dynamo: EmbeddedDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  let reference: DynamoReferenceRepository;
  const reports = new Map<string, ImportReport>();

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    doc = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(doc, TABLE);
    reference = new DynamoReferenceRepository(doc, TABLE);
    reports.set(WHOLE, await importFiles([SHARED_DATA], { reference, datasetId: WHOLE }));
    reports.set(COUNTY, await importFiles(countyPaths(), { reference, datasetId: COUNTY }));
    const figure = (id: string) => {
      const r = reports.get(id)!;
      const b = r.studyArea.boundaries;
      const a = r.accounting.dataset;
      return (
        `${id}: ${Math.round(r.crimes!.rowsPerSecond).toLocaleString('en-GB')} rows/s end to end (${(r.durationMs / 1000).toFixed(1)} s); ` +
        `LSOAs given ${b.given.toLocaleString('en-GB')}, kept ${b.kept}, outside the study area ${b.outside.toLocaleString('en-GB')}; ` +
        `attribute rows outside ${r.reference!.rowsOutsideDataset.toLocaleString('en-GB')}; ` +
        `rows read ${a.rowsRead} = stored ${a.stored} + duplicates ${a.duplicatesSkipped} + rejected ${a.rejected}; ` +
        `stored = placed ${a.placed} + outside the study area ${a.outsideStudyArea} + no location ${a.noLocation}`
      );
    };
    console.log(['', figure(WHOLE), figure(COUNTY), ''].join('\n'));
  }, 300_000);
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
  });

  it("the default study area is Nottinghamshire police force area's 684 LSOAs in 8 districts, the same either way", async () => {
    for (const id of [WHOLE, COUNTY]) {
      const summary = (await reference.getDataset(id))!;
      const area = summary.studyArea!;
      expect(area, id).toMatchObject({ method: 'police-force-area', lsoaCount: 684, force: { code: 'E23000019', name: 'Nottinghamshire' } });
      expect(area.districts.map((d) => [d.code, d.lsoaCount]), id).toEqual([
        ['E07000170', 77],
        ['E07000171', 69],
        ['E07000172', 71],
        ['E07000173', 77],
        ['E07000174', 68],
        ['E07000175', 74],
        ['E06000018', 179],
        ['E07000176', 69],
      ]);
      expect(summary.lsoaCount, id).toBe(684);
      expect((await reference.listLsoas(id)).length, id).toBe(684);
    }
    const whole = reports.get(WHOLE)!;
    expect(whole.studyArea.boundaries).toMatchObject({ given: 33_755, kept: 684, outside: 33_071, outsideReason: 'districts outside Nottinghamshire police force area' });
    expect(whole.studyArea.boundaries.givenTwice.lsoas).toBe(684);
    expect(whole.reference!.attributeFiles.find((f) => f.path.endsWith('iod2025-england-lsoa21.csv'))).toMatchObject({ rows: 33_755, outsideStudyArea: 33_071 });
    expect(reports.get(COUNTY)!.studyArea.boundaries).toMatchObject({ given: 684, kept: 684, outside: 0 });
  });

  it('stores the same boundaries: the county files are more detailed than the England file', async () => {
    const geometries = async (id: string) => new Map((await reference.listLsoas(id)).map((l) => [l.code, JSON.stringify(l.geometry)]));
    const whole = await geometries(WHOLE);
    const county = await geometries(COUNTY);
    expect(whole.size).toBe(684);
    for (const [code, g] of county) expect(whole.get(code), code).toBe(g);
  });

  it('counts the same crimes in every LSOA and month, and none in another force\'s LSOAs', async () => {
    const whole = await countsOf(reference, WHOLE);
    const county = await countsOf(reference, COUNTY);
    expect(whole.size).toBe(county.size);
    for (const [key, row] of county) expect(whole.get(key), key).toEqual(row);
    const codes = new Set((await reference.listLsoas(WHOLE)).map((l) => l.code));
    for (const key of whole.keys()) {
      const code = key.split(' ')[1]!;
      expect(code === UNPLACED_LSOA || codes.has(code), key).toBe(true);
    }
  });

  it('accounts for every row: read = stored + duplicates + rejected, stored = placed + outside the study area + no location', async () => {
    const accounting = [];
    for (const id of [WHOLE, COUNTY]) {
      const summary = (await reference.getDataset(id))!;
      const a = summary.crimeAccounting!;
      expect(a.rowsRead, id).toBe(258_417);
      expect(a.rowsRead, id).toBe(a.stored + a.duplicatesSkipped + a.rejected);
      expect(a.outsideStudyArea + a.placed + a.noLocation, id).toBe(a.stored);
      expect(summary.crimeCount, id).toBe(a.stored);
      const counts = await countsOf(reference, id);
      let stored = 0;
      let placed = 0;
      for (const [key, row] of counts) {
        const n = row.reduce((x, y) => x + y, 0);
        stored += n;
        if (!key.endsWith(` ${UNPLACED_LSOA}`)) placed += n;
      }
      expect(stored, id).toBe(a.stored);
      expect(placed, id).toBe(a.placed);
      expect(reports.get(id)!.accounting.thisImport, id).toEqual(a);
      accounting.push(a);
    }
    expect(accounting[0]).toEqual(accounting[1]);
    // About 0.65 % of located rows are snapped just over the force boundary: kept, outside the study area.
    expect(accounting[0]!.outsideStudyArea).toBeGreaterThan(1_000);
    expect(accounting[0]!.noLocation).toBe(2_020);
  });

  it('finds the same hot spots (GET /api/hotspots, 500 m cells) in both datasets', async () => {
    const tokens = createLocalTokenService(new TextEncoder().encode('integration-test-secret-integration'));
    const app = createApp({ ...dynamoPorts(doc, TABLE), reference, verifier: tokens.verifier, log: () => {} });
    const { token } = await tokens.issue({ userId: 'u', orgId: 'o', role: 'viewer' });
    const cells = async (id: string) => {
      const res = await app.request(`/api/hotspots?dataset=${id}&cellSize=500`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as { cells: { features: { properties: { cell: number; count: number; z: number; class: number } }[] } };
      return body.cells.features.map((f) => [f.properties.cell, f.properties.count, f.properties.z, f.properties.class]);
    };
    const whole = await cells(WHOLE);
    const county = await cells(COUNTY);
    expect(whole.length).toBeGreaterThan(0);
    expect(whole).toEqual(county);
  }, 120_000);
});
