import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createLocalTokenService } from '@safer-places/api';
import { importFiles, type ImportReport } from '@safer-places/importer';
import { UNPLACED_LSOA } from '@safer-places/domain';
import type { AreaStats, LsoaStats } from '@safer-places/schemas';
import { DynamoReferenceRepository, createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { countingClient, type ReadLog } from '../support/national/counting-client';
import { generateNational, type NationalResult } from '../support/national/generate';
import { chooseDistrict, squareInside, type DistrictChoice } from '../support/national/places';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from './shared-data';

/**
 * The national scale test: a seeded SYNTHETIC month of crime over all 33,755 England LSOAs and 296 districts
 * (test/support/national), imported with the real importer into the embedded store, then one district asked for
 * through the API: its LSOA statistics and a drawn area inside it, against counts taken straight from the generated
 * CSV files; and the store reads of each request, which must hold that district's crimes only.
 *
 * NATIONAL_SCALE_FRACTION (default 0.1) sets the share of a national month generated (~47 k crimes at 0.1; every
 * LSOA and district is there whatever the fraction).
 */
const FRACTION = Number(process.env.NATIONAL_SCALE_FRACTION ?? 0.1);
const DATASET = 'national';
const MONTH = '2024-01';
const TABLE = 'national-scale';

it('has the England-wide shared data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

/** Every generated row, read back from the CSV files with a CSV parser (not the importer's reader). */
async function csvRows(result: NationalResult): Promise<{ lon: number | null; lat: number | null; lsoa: string; force: string }[]> {
  const rows: { lon: number | null; lat: number | null; lsoa: string; force: string }[] = [];
  for (const f of result.files) {
    for await (const r of createReadStream(join(result.out, f.path)).pipe(parse({ from_line: 2 })) as AsyncIterable<string[]>) {
      rows.push({ lon: r[4] ? Number(r[4]) : null, lat: r[5] ? Number(r[5]) : null, lsoa: r[7]!, force: r[3]! });
    }
  }
  return rows;
}

describe.runIf(sharedDataAvailable)('a national month: import, then one district through the API', () => {
  let out: string;
  let dynamo: EmbeddedDynamo;
  let doc: ReturnType<typeof createDocumentClient>;
  let result: NationalResult;
  let report: ImportReport;
  let rows: Awaited<ReturnType<typeof csvRows>>;
  let district: DistrictChoice;
  let token: string;
  const tokens = createLocalTokenService(new TextEncoder().encode('national-scale-secret-national-scale'));

  let app: ReturnType<typeof createApp>;
  let counted: ReturnType<typeof countingClient>;

  /** One request through the app, with the store reads it made (the read log starts empty for it). */
  async function ask<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T; reads: ReadLog }> {
    counted.reset();
    const res = await app.request(path, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init?.headers } });
    return { status: res.status, body: (await res.json()) as T, reads: counted.log() };
  }

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'sp-national-'));
    result = await generateNational({ out, dataDir: SHARED_DATA, months: 1, startMonth: MONTH, fraction: FRACTION, seed: 15 });
    rows = await csvRows(result);
    dynamo = await startEmbeddedDynamo();
    doc = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(doc, TABLE);
    const reference = new DynamoReferenceRepository(doc, TABLE);
    report = await importFiles(
      [join(SHARED_DATA, 'england/lsoa21-boundaries-england-simplified.geojson'), join(SHARED_DATA, 'iod2025-england-lsoa21.csv'), result.referenceDir, join(out, MONTH)],
      { reference, datasetId: DATASET, studyArea: { districts: [...new Set(result.lsoas.map((l) => l.districtCode))] } },
    );
    district = chooseDistrict(result, MONTH);
    token = (await tokens.issue({ userId: 'u', orgId: 'o', role: 'viewer' })).token;
    // One app, as a server would run it, over a client that logs what each request reads. The time budget is only a
    // hang guard here: the first request loads all 33,755 LSOAs from the embedded store, which is slow on a busy machine.
    counted = countingClient(doc);
    app = createApp({ ...dynamoPorts(counted.client, TABLE), verifier: tokens.verifier, log: () => {}, limits: { timeBudgetMs: 300_000 } });
    // Warm up on another district, so the LSOAs and the dataset are cached but nothing of the district asked for is.
    const other = result.forces.flatMap((f) => f.districts).find((d) => d.code !== district.code)!;
    const warm = await ask(`/api/lsoas/stats?dataset=${DATASET}&scope=district:${other.code}&category=all-crime&from=${MONTH}&to=${MONTH}`);
    expect(warm.status, JSON.stringify(warm.body).slice(0, 300)).toBe(200);
  }, 600_000);

  afterAll(async () => {
    doc?.destroy();
    await dynamo?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('the generator wrote what it counted, in police.uk shape, deterministically', async () => {
    expect(result.lsoas).toHaveLength(33_755);
    expect(result.forces.length).toBeGreaterThanOrEqual(40);
    expect(new Set(result.forces.flatMap((f) => f.districts.map((d) => d.code))).size).toBe(296);
    expect(rows).toHaveLength(result.rows);
    expect(result.rows).toBeGreaterThan(0.2 * FRACTION * 500_000);
    const perLsoa = new Map<string, number>();
    for (const r of rows) if (r.lsoa) perLsoa.set(r.lsoa, (perLsoa.get(r.lsoa) ?? 0) + 1);
    const counts = result.counts.get(MONTH)!;
    result.lsoas.forEach((l, i) => expect(perLsoa.get(l.code) ?? 0, l.code).toBe(counts[i]));
    // About 5 % without a location, a few outside every LSOA, every force labelled synthetic.
    expect(result.noLocation / result.rows).toBeGreaterThan(0.04);
    expect(result.noLocation / result.rows).toBeLessThan(0.06);
    expect(result.outsideEngland).toBeGreaterThan(0);
    expect(rows.every((r) => r.force.startsWith('Synthetic Force '))).toBe(true);
    // Most crime in a few places.
    expect(result.concentration.top10PctLsoas).toBeGreaterThan(0.3);
    const header = readFileSync(join(out, result.files[0]!.path), 'utf8').split('\n', 1)[0];
    expect(header).toBe(readFileSync(join(SHARED_DATA, 'police-uk/2024-01-nottinghamshire-street.csv'), 'utf8').split('\n', 1)[0]);
    // Same seed, one force again into another folder: byte-identical to the national run's file for it.
    const smallest = [...result.forces].sort((a, b) => a.lsoas - b.lsoas)[0]!.id;
    const again = mkdtempSync(join(tmpdir(), 'sp-national-again-'));
    try {
      const one = await generateNational({ out: again, dataDir: SHARED_DATA, months: 1, startMonth: MONTH, fraction: FRACTION, seed: 15, forces: [smallest] });
      expect(one.files).toHaveLength(1);
      expect(one.files[0]!.sha256).toBe(result.files.find((f) => f.force === smallest)!.sha256);
      expect(readFileSync(join(again, one.files[0]!.path))).toEqual(readFileSync(join(out, one.files[0]!.path)));
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  }, 120_000);

  it('the importer places every located row in England in the LSOA it was generated in', () => {
    const c = report.crimes!;
    expect(c.rowsRead).toBe(result.rows);
    expect(c.imported).toBe(result.rows);
    expect(c.noLocation).toBe(result.noLocation);
    expect(c.outsideLsoas).toBe(result.outsideEngland);
    expect(c.publishedCodeDiffers).toBe(0);
    expect(report.reference!.lsoas).toBe(33_755);
  });

  it("a district's LSOA statistics match the CSV rows, reading only that district's crime data", async () => {
    const codes = new Set(district.lsoas);
    const expected = new Map<string, number>();
    for (const r of rows) if (codes.has(r.lsoa)) expected.set(r.lsoa, (expected.get(r.lsoa) ?? 0) + 1);
    const { status, body, reads } = await ask<LsoaStats & { total: number }>(`/api/lsoas/stats?dataset=${DATASET}&scope=district:${district.code}&category=all-crime&from=${MONTH}&to=${MONTH}`);
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.lsoas).toHaveLength(codes.size);
    for (const row of body.lsoas) expect(row.count, row.code).toBe(expected.get(row.code) ?? 0);
    expect(body.total).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    expect(body.total).toBeGreaterThan(0);
    // Partitioned reads (issue #15): the count items read hold this district's LSOAs and no other district's.
    expect(reads.countLsoas.size, 'no monthly counts were read').toBeGreaterThan(0);
    const foreign = [...reads.countLsoas.keys()].filter((c) => !codes.has(c));
    expect(foreign.length, `read the counts of ${foreign.length} LSOAs outside ${district.code} (${reads.countLsoas.size} in all; e.g. ${foreign.slice(0, 5).join(', ')})`).toBe(0);
    expect([...reads.crimeLsoas.keys()].filter((c) => !codes.has(c))).toEqual([]);
  });

  it("a drawn area inside the district counts exactly the CSV rows inside it, reading only that district's crimes", async () => {
    const square = squareInside(result, district, rows);
    const { status, body, reads } = await ask<AreaStats>('/api/areas/analyse', {
      method: 'POST',
      body: JSON.stringify({ geometry: square.geometry, dataset: DATASET, from: MONTH, to: MONTH }),
    });
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(square.inside).toBeGreaterThan(0);
    expect(body.total).toBe(square.inside);
    expect(reads.crimeChunks, 'no crime chunks were read').toBeGreaterThan(0);
    const codes = new Set(district.lsoas);
    const foreign = [...reads.crimeLsoas.keys()].filter((c) => !codes.has(c) && c !== UNPLACED_LSOA);
    expect(foreign, `read crime chunks holding ${foreign.length} LSOAs of other districts (${reads.crimeLsoas.size} LSOAs in all, ${reads.crimeChunks} chunks)`).toEqual([]);
    // Nor the unplaced partition: its crimes have no location (never inside an area) or lie outside every LSOA of the
    // study area, which this area, inside one district, does not reach. Nationally it holds ~5 % of all crimes.
    expect(reads.crimeLsoas.has(UNPLACED_LSOA), `read the unplaced partition (${reads.crimeLsoas.get(UNPLACED_LSOA)} chunks) for an area inside ${district.code}`).toBe(false);
  });
});
