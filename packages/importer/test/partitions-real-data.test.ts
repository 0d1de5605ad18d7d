import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNPLACED_LSOA, UNPLACED_PARTITION, type CrimeBlock } from '@safer-places/domain';
import type { Lsoa } from '@safer-places/schemas';
import { createDocumentClient, DynamoReferenceRepository, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';
import { importFiles, type ImportReport } from '../src/index';

/**
 * The whole Nottinghamshire import (../shared/data; under CI=true a missing folder is an error) stores each crime in
 * its LSOA's district's partition: every district reads back exactly its own crimes and counts, and the partitions'
 * sizes add up to the stored months. Prints the crimes per district month (the figures in docs/table-design.md).
 */
const DATA = process.env.SHARED_DATA_DIR ?? join(import.meta.dirname, '../../../../shared/data');
const POLICE = join(DATA, 'police-uk');
const available = existsSync(POLICE) && existsSync(join(DATA, 'lsoa21-boundaries'));
if (!available && process.env.CI === 'true') throw new Error(`shared data missing at ${DATA} (needed under CI=true)`);

const datasetId = 'real-partitions';
let dynamo: Awaited<ReturnType<typeof startEmbeddedDynamo>>;
let doc: ReturnType<typeof createDocumentClient>;
let reference: DynamoReferenceRepository;
let report: ImportReport;
let lsoas: Lsoa[];

beforeAll(async () => {
  if (!available) return;
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, 'real-partitions');
  reference = new DynamoReferenceRepository(doc, 'real-partitions');
  report = await importFiles([join(DATA, 'lsoa21-boundaries'), join(DATA, 'iod2025-nottinghamshire.csv'), join(DATA, 'population'), join(DATA, 'lookups'), POLICE], { reference, datasetId });
  lsoas = await reference.listLsoas(datasetId);
}, 600_000);
afterAll(async () => {
  if (!available) return;
  doc.destroy();
  await dynamo.close();
});

const total = (counts: Map<string, number[]>) => [...counts.values()].reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
const ids = (blocks: CrimeBlock[]) => blocks.flatMap((b) => b.crimes.map((c) => c.id)).sort();

describe.runIf(available)('the real county import, partitioned by district', () => {
  it('stores every month in one partition per district (and one for unplaced crimes), sized as the months hold', async () => {
    const months = report.crimes!.monthsReplaced;
    expect(months.length).toBe(24);
    const districts = [...new Set(lsoas.map((l) => l.districtCode))].sort();
    expect(districts.length).toBeGreaterThanOrEqual(8);
    const sizes = await reference.crimePartitionSizes(datasetId, months[0]!, months.at(-1)!);
    const counts = await reference.getMonthlyCounts(datasetId, months[0]!, months.at(-1)!);
    expect([...sizes.keys()]).toEqual(months);
    for (const { month, counts: c } of counts) {
      const perPartition = sizes.get(month)!;
      expect([...perPartition.keys()].every((p) => p === UNPLACED_PARTITION || districts.includes(p))).toBe(true);
      expect([...perPartition.values()].reduce((a, b) => a + b, 0)).toBe(total(c));
    }
    expect(report.studyArea.monthsRepartitioned).toEqual([]);

    // The figures: crimes per district month, and what a district month costs to read.
    const perDistrict = new Map<string, number[]>();
    for (const perPartition of sizes.values()) for (const [p, n] of perPartition) perDistrict.set(p, [...(perDistrict.get(p) ?? []), n]);
    const names = new Map(lsoas.map((l) => [l.districtCode, l.districtName]));
    const rows = [...perDistrict].sort(([, a], [, b]) => b.reduce((x, y) => x + y, 0) - a.reduce((x, y) => x + y, 0));
    console.log(
      [
        'crimes per district month (24 months):',
        ...rows.map(([p, ns]) => `  ${p} ${names.get(p) ?? ''}: mean ${Math.round(ns.reduce((a, b) => a + b, 0) / ns.length)}, min ${Math.min(...ns)}, max ${Math.max(...ns)}, LSOAs ${lsoas.filter((l) => l.districtCode === p).length}`),
      ].join('\n'),
    );
  });

  it('reads each district\'s crimes and counts back exactly, and nothing of the others', async () => {
    const months = ['2023-06', '2024-12'];
    const whole = await reference.getCrimeBlocks(datasetId, months);
    const wholeCounts = await reference.getMonthlyCounts(datasetId, months[0]!, months[1]!);
    const districts = [...new Set(lsoas.map((l) => l.districtCode))].sort();
    let seen = 0;
    for (const d of districts) {
      const codes = new Set(lsoas.filter((l) => l.districtCode === d).map((l) => l.code));
      const mine = await reference.getCrimeBlocks(datasetId, months, { partitions: [d], lsoaCodes: [...codes] });
      expect(ids(mine)).toEqual(ids(whole.filter((b) => codes.has(b.lsoaCode))));
      expect(ids(await reference.getCrimeBlocks(datasetId, months, { partitions: [d] }))).toEqual(ids(mine));
      seen += ids(mine).length;
      const counts = await reference.getMonthlyCounts(datasetId, months[0]!, months[1]!, [d]);
      expect(counts.map((m) => m.month)).toEqual(wholeCounts.map((m) => m.month));
      for (const m of counts) {
        const all = wholeCounts.find((w) => w.month === m.month)!.counts;
        expect(m.counts).toEqual(new Map([...all].filter(([code]) => codes.has(code))));
      }
    }
    const unplaced = await reference.getCrimeBlocks(datasetId, months, { partitions: [UNPLACED_PARTITION] });
    expect(unplaced.every((b) => b.lsoaCode === UNPLACED_LSOA)).toBe(true);
    expect(seen + ids(unplaced).length).toBe(ids(whole).length);
  });
});
