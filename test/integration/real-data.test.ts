import { createReadStream, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection, Polygon } from 'geojson';
import * as turf from '@turf/turf';
import { parse } from 'csv-parse';
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

const POLICE = join(SHARED_DATA, 'police-uk');
const DATASET = 'notts';

/**
 * An independent count: every police.uk row with coordinates, placed with plain Turf booleanPointInPolygon over all
 * LSOA polygons (a bbox check first only to save time), repeated identical rows counted once.
 */
async function bruteForce(months?: (m: string) => boolean) {
  const fc = readdirSync(join(SHARED_DATA, 'lsoa21-boundaries')).flatMap(
    (f) => (JSON.parse(readFileSync(join(SHARED_DATA, 'lsoa21-boundaries', f), 'utf8')) as FeatureCollection<Polygon, { LSOA21CD: string }>).features,
  );
  const polygons = fc.map((f) => ({ code: f.properties.LSOA21CD, feature: f, box: turf.bbox(f) }));
  const perLsoa = new Map<string, number>();
  let located = 0;
  let placed = 0;
  let onSharedEdges = 0;
  for (const file of readdirSync(POLICE).sort()) {
    const seen = new Set<string>();
    for await (const row of createReadStream(join(POLICE, file)).pipe(parse({ bom: true, from_line: 2 })) as AsyncIterable<string[]>) {
      const [id, month, , , lonText, latText] = row;
      if (months && !months(month!)) continue;
      if (id) {
        const whole = row.join('\u0001');
        if (seen.has(whole)) continue;
        seen.add(whole);
      }
      if (!lonText || !latText) continue;
      located++;
      const lon = Number(lonText);
      const lat = Number(latText);
      const hits = polygons.filter((p) => lon >= p.box[0] && lon <= p.box[2] && lat >= p.box[1] && lat <= p.box[3] && turf.booleanPointInPolygon([lon, lat], p.feature));
      if (hits.length > 1) onSharedEdges++;
      if (hits.length === 0) continue;
      placed++;
      perLsoa.set(hits[0]!.code, (perLsoa.get(hits[0]!.code) ?? 0) + 1);
    }
  }
  return { perLsoa, located, placed, onSharedEdges };
}

describe.runIf(sharedDataAvailable)('import of the real Nottinghamshire data', () => {
  let dynamo: EmbeddedDynamo;
  let reference: DynamoReferenceRepository;
  let doc: ReturnType<typeof createDocumentClient>;
  let report: ImportReport;
  let expected: Awaited<ReturnType<typeof bruteForce>>;

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    doc = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(doc, 'real-data');
    reference = new DynamoReferenceRepository(doc, 'real-data');
    report = await importFiles(
      [
        join(SHARED_DATA, 'lsoa21-boundaries'),
        join(SHARED_DATA, 'iod2025-nottinghamshire.csv'),
        join(SHARED_DATA, 'population/lsoa21-census2021-usual-residents-nottinghamshire.csv'),
        join(SHARED_DATA, 'lookups'),
        POLICE,
      ],
      { reference, datasetId: DATASET },
    );
    expected = await bruteForce();
  }, 300_000);
  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
  });

  it('reads all 24 months and places at least 99.3 % of rows that have coordinates', () => {
    const c = report.crimes!;
    expect(c.rowsRead).toBe(258_417);
    expect(c.monthsReplaced).toHaveLength(24);
    expect(c.rowsRead).toBe(c.imported + c.duplicatesSkipped + c.rejected);
    expect(c.placedShareOfLocated).toBeGreaterThanOrEqual(0.993);
    expect(Object.keys(c.retiredCodes)).toHaveLength(21);
    expect(report.reference!.lsoas).toBe(684);
  });

  it('places exactly as many crimes in every LSOA as the brute-force Turf count', async () => {
    const months = report.crimes!.monthsReplaced;
    const blocks = await reference.getCrimeBlocks(DATASET, months);
    const stored = new Map<string, number>();
    for (const b of blocks) if (b.lsoaCode !== UNPLACED_LSOA) stored.set(b.lsoaCode, (stored.get(b.lsoaCode) ?? 0) + b.crimes.length);
    expect(expected.onSharedEdges).toBe(0);
    expect(stored.size).toBe(expected.perLsoa.size);
    for (const [code, n] of expected.perLsoa) expect(stored.get(code), code).toBe(n);
    expect(report.crimes!.imported - report.crimes!.noLocation - report.crimes!.outsideLsoas).toBe(expected.placed);
  });

  it('re-importing a month changes no total', async () => {
    const before = await reference.getDataset(DATASET);
    const again = await importFiles([join(POLICE, '2024-06-nottinghamshire-street.csv')], { reference, datasetId: DATASET });
    expect(again.crimes!.monthsReplaced).toEqual(['2024-06']);
    const after = await reference.getDataset(DATASET);
    expect(after!.crimeCount).toBe(before!.crimeCount);
  });

  it('a corrupted row is reported and the rest of its month imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-corrupt-'));
    const lines = readFileSync(join(POLICE, '2024-03-nottinghamshire-street.csv'), 'utf8').split('\n');
    lines.splice(100, 0, 'deadbeef,2024-03,Nottinghamshire Police,"unterminated quote');
    lines.splice(50, 0, 'cafe,2024-03,Nottinghamshire Police,Nottinghamshire Police,-1.1,53.0');
    const file = join(dir, '2024-03-nottinghamshire-street.csv');
    writeFileSync(file, lines.join('\n'));
    const original = await importFiles([join(POLICE, '2024-03-nottinghamshire-street.csv')], { reference, datasetId: DATASET });
    const corrupted = await importFiles([file], { reference, datasetId: DATASET });
    expect(corrupted.crimes!.issues.map((i) => `${i.line}: ${i.reason}`)).toEqual([
      '51: row has 6 fields; the header has 12',
      expect.stringMatching(/^102: the line is not valid CSV/),
    ]);
    expect(corrupted.crimes!.rejected).toBe(2);
    expect(corrupted.crimes!.imported).toBe(original.crimes!.imported);
    await importFiles([join(POLICE, '2024-03-nottinghamshire-street.csv')], { reference, datasetId: DATASET });
  });

  it('the LSOA choropleth for all crime in 2024 matches the rows in the CSVs', async () => {
    const expected2024 = await bruteForce((m) => m.startsWith('2024-'));
    const tokens = createLocalTokenService(new TextEncoder().encode('integration-test-secret-integration'));
    const app = createApp({ ...dynamoPorts(doc, 'real-data'), reference, verifier: tokens.verifier, log: () => {} });
    const { token } = await tokens.issue({ userId: 'u', orgId: 'o', role: 'viewer' });
    const res = await app.request(`/api/lsoas/stats?dataset=${DATASET}&category=all-crime&from=2024-01&to=2024-12`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const stats = (await res.json()) as { lsoas: { code: string; count: number }[]; total: number };
    expect(stats.lsoas).toHaveLength(684);
    for (const row of stats.lsoas) expect(row.count, row.code).toBe(expected2024.perLsoa.get(row.code) ?? 0);
    expect(stats.total).toBe(expected2024.placed);

    // Gi* over the whole county at 100 m cells, FDR-corrected, with the top 10 patrol-sized spots.
    const hot = await app.request(`/api/hotspots?dataset=${DATASET}&cellSize=100&from=2024-01&to=2024-12`, { headers: { Authorization: `Bearer ${token}` } });
    expect(hot.status).toBe(200);
    const h = (await hot.json()) as {
      grid: { studyAreaCells: number };
      hot: number;
      top: { spots: { count: number; radiusM: number }[] }[];
      cells: { features: { properties: { class: number; snapPointWarning: boolean } }[] };
      crimes: number;
    };
    expect(h.grid.studyAreaCells).toBeGreaterThan(200_000);
    expect(h.hot).toBeGreaterThan(0);
    expect(h.top[0]!.spots).toHaveLength(10);
    expect(h.top[0]!.spots[0]!.radiusM).toBeLessThanOrEqual(150);
    // police.uk snapping shows up on real data: some hot 100 m cells hold mostly one published point.
    expect(h.cells.features.some((f) => f.properties.class > 0 && f.properties.snapPointWarning)).toBe(true);

    // Hot-spot change over the 24 months, and density per 1,000 residents, on the real county.
    const change = await app.request(`/api/hotspots/change?dataset=${DATASET}&cellSize=200`, { headers: { Authorization: `Bearer ${token}` } });
    expect(change.status).toBe(200);
    const c = (await change.json()) as { period: { months: number }; summary: Record<string, number> };
    expect(c.period.months).toBe(24);
    expect(c.summary['persistent hotspot']).toBeGreaterThan(0);
    const density = await app.request(`/api/hotspots/density?dataset=${DATASET}&cellSize=200&perResidents=true`, { headers: { Authorization: `Bearer ${token}` } });
    expect(density.status).toBe(200);
    expect(((await density.json()) as { cells: { features: unknown[] } }).cells.features.length).toBeGreaterThan(0);
  }, 120_000);
});
