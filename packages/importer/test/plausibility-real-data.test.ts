import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, DynamoReferenceRepository, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';
import { ImplausibleImportError, importFiles, type MonthChange } from '../src/index';
import { tempDir, write } from './fixtures';

/**
 * The plausibility checks on the real Nottinghamshire police.uk files (../shared/data; under CI=true a missing folder
 * is an error): a file truncated to 40 % of its rows, and one with Longitude and Latitude swapped, are refused.
 */
const DATA = process.env.SHARED_DATA_DIR ?? join(import.meta.dirname, '../../../../shared/data');
const POLICE = join(DATA, 'police-uk');
const available = existsSync(POLICE) && existsSync(join(DATA, 'lsoa21-boundaries'));
if (!available && process.env.CI === 'true') throw new Error(`shared data missing at ${DATA} (needed under CI=true)`);

const file = (m: string) => join(POLICE, `${m}-nottinghamshire-street.csv`);
const datasetId = 'real-checks';

let dynamo: Awaited<ReturnType<typeof startEmbeddedDynamo>>;
let doc: ReturnType<typeof createDocumentClient>;
let reference: DynamoReferenceRepository;
beforeAll(async () => {
  if (!available) return;
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, 'real-checks');
  reference = new DynamoReferenceRepository(doc, 'real-checks');
});
afterAll(async () => {
  if (!available) return;
  doc.destroy();
  await dynamo.close();
});

const stored = async (m: string) => [...((await reference.getMonthlyCounts(datasetId, m, m))[0]?.counts.values() ?? [])].flat().reduce((a, b) => a + b, 0);

function describeChange(m: MonthChange): string {
  return `${m.month}: stored ${m.stored.crimes} (${m.stored.placed} placed) → new ${m.new.crimes} (${m.new.placed} placed); ${m.checks.map((c) => `${c.passed ? 'ok' : 'FAILED'} ${c.check}: ${c.figures}`).join('; ')}`;
}

async function refused(paths: string[]): Promise<MonthChange[]> {
  try {
    await importFiles(paths, { reference, datasetId });
  } catch (e) {
    if (e instanceof ImplausibleImportError) return e.failed;
    throw e;
  }
  throw new Error('the import was not refused');
}

describe.runIf(available)('plausibility checks on real police.uk months', () => {
  const dir = tempDir();
  let before: { jan: number; feb: number };

  it('imports 2023-01 and 2023-02', async () => {
    await importFiles([join(DATA, 'lsoa21-boundaries'), join(DATA, 'lookups'), file('2023-01'), file('2023-02')], { reference, datasetId });
    before = { jan: await stored('2023-01'), feb: await stored('2023-02') };
    console.log(`stored: 2023-01 ${before.jan} crimes, 2023-02 ${before.feb} crimes`);
    expect(before.jan).toBeGreaterThan(10_000);
    expect(before.feb).toBeGreaterThan(10_000);
  }, 300_000);

  it('refuses 2023-02 truncated to 40 % of its rows; the stored month is unchanged', async () => {
    const lines = readFileSync(file('2023-02'), 'utf8').trimEnd().split('\n');
    const rows = lines.slice(1);
    const truncated = write(dir, 'truncated/2023-02-nottinghamshire-street.csv', `${[lines[0], ...rows.slice(0, Math.round(rows.length * 0.4))].join('\n')}\n`);
    const failed = await refused([truncated]);
    for (const m of failed) console.log(`truncated: ${describeChange(m)}`);
    expect(failed.map((m) => m.month)).toEqual(['2023-02']);
    expect(failed[0]!.checks.filter((c) => !c.passed).map((c) => c.check)).toContain('row count');
    expect(await stored('2023-02')).toBe(before.feb);
  }, 300_000);

  it('refuses 2023-01 with the Longitude and Latitude columns swapped; the stored month is unchanged', async () => {
    const [head, ...rows] = readFileSync(file('2023-01'), 'utf8').split('\n');
    const swappedHead = head!.replace('Longitude,Latitude', 'Latitude,Longitude');
    expect(swappedHead).not.toBe(head);
    const swapped = write(dir, 'swapped/2023-01-nottinghamshire-street.csv', [swappedHead, ...rows].join('\n'));
    const failed = await refused([swapped]);
    for (const m of failed) console.log(`swapped: ${describeChange(m)}`);
    expect(failed.map((m) => m.month)).toEqual(['2023-01']);
    expect(failed[0]!.checks.filter((c) => !c.passed).map((c) => c.check)).toEqual(expect.arrayContaining(['share placed', 'coordinates']));
    expect(await stored('2023-01')).toBe(before.jan);
  }, 300_000);
});
