/**
 * The scheduled importer's Lambda entry point with real Powertools telemetry, against the embedded DynamoDB and a local
 * police.uk / ONS stand-in: what it logs and which metrics it publishes on success, failure and overlap, and the
 * dataset lock that keeps two runs from overlapping.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TABLE_DEFINITION, createDocumentClient, ensureTable, keys } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { createHandler } from '../src/scheduled/handler';
import { IMPORT_LOCK_SECONDS, acquireImportLock } from '../src/scheduled/lock';
import { IMPORTER_METRICS, importerTelemetry } from '../src/scheduled/telemetry';
import { LAD_A, LAD_B, buildWorld, crimesIn, startFixtureServer, type FixtureServer } from './fetch/fixture-server';

const TABLE = 'scheduled-test';
const NAMESPACE = 'SaferPlaces/test';
const world = buildWorld({ crimesPerLsoa: 3, months: ['2024-01', '2024-02'] });

let dynamo: EmbeddedDynamo;
let doc: ReturnType<typeof createDocumentClient>;
let server: FixtureServer;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, TABLE);
  server = await startFixtureServer(world);
});
afterAll(async () => {
  doc?.destroy();
  await server?.close();
  await dynamo?.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const env = (over: Record<string, string> = {}) => ({
  TABLE_NAME: TABLE,
  FORCE: 'nottinghamshire',
  LADS: `${LAD_A},${LAD_B}`,
  DYNAMODB_ENDPOINT: dynamo.endpoint,
  POLICE_API_URL: server.policeUrl,
  ONS_API_URL: server.onsUrl,
  ...over,
});

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/**
 * A handler with Powertools telemetry configured as the stack configures the function (POWERTOOLS_* variables), and
 * every line it writes, parsed: Powertools writes to stdout and stderr itself, one JSON object per line.
 */
function instrumented(over: Record<string, string> = {}) {
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'importer');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', NAMESPACE);
  const lines: Record<string, unknown>[] = [];
  // Powertools writes INFO lines and metrics to stdout, WARN and ERROR lines to stderr; Lambda captures both.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
  }
  const handler = createHandler(importerTelemetry(), env(over));
  const emf = () => lines.filter((l): l is Emf => '_aws' in l);
  const logs = () => lines.filter((l) => !('_aws' in l));
  return { handler, emf, logs };
}

const lockItem = async (datasetId: string) => (await doc.send(new GetCommand({ TableName: TABLE, Key: keys.importLock(datasetId), ConsistentRead: true }))).Item;

describe('the scheduled import handler', () => {
  it('imports, logs at INFO and publishes ImportSucceeded and CrimesImported as EMF under the configured namespace', async () => {
    const { handler, emf, logs } = instrumented();
    const result = await handler({ months: 1 });
    const expected = crimesIn(world, '2024-02', [LAD_A, LAD_B]).length;
    expect(result).toMatchObject({ datasetId: 'open-data', months: ['2024-02'], crimesImported: expected });

    expect(logs().at(-1)).toMatchObject({ level: 'INFO', message: 'scheduled import done', service: 'importer', crimesImported: expected });
    expect(logs().every((l) => ['INFO', 'WARN'].includes(String(l.level)))).toBe(true);
    const [doc1, ...rest] = emf();
    expect(rest).toEqual([]);
    expect(doc1!._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: NAMESPACE,
        Dimensions: [['service']],
        Metrics: [
          { Name: IMPORTER_METRICS.importSucceeded, Unit: 'Count' },
          { Name: IMPORTER_METRICS.crimesImported, Unit: 'Count' },
        ],
      },
    ]);
    expect(doc1).toMatchObject({ service: 'importer', [IMPORTER_METRICS.importSucceeded]: 1, [IMPORTER_METRICS.crimesImported]: expected });
    // The lock is given back when the run ends.
    expect(await lockItem('open-data')).toBeUndefined();
  });

  it('fails loudly: an ERROR log line, ImportFailed published, the error thrown on, the lock given back', async () => {
    const { handler, emf, logs } = instrumented({ LADS: 'E07000999', DATASET_ID: 'failing' });
    await expect(handler()).rejects.toThrow(/no LSOAs for E07000999/);
    expect(logs().at(-1)).toMatchObject({ level: 'ERROR', message: 'scheduled import failed', error: expect.stringMatching(/E07000999/) });
    expect(emf()).toHaveLength(1);
    expect(emf()[0]).toMatchObject({ [IMPORTER_METRICS.importFailed]: 1 });
    expect(emf()[0]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: IMPORTER_METRICS.importFailed, Unit: 'Count' }]);
    expect(await lockItem('failing')).toBeUndefined();
  });

  it('counts a failure before anything is downloaded (settings) too', async () => {
    const { handler, emf } = instrumented({ FORCE: '' });
    await expect(handler()).rejects.toThrow(/FORCE not set/);
    expect(emf().map((d) => d[IMPORTER_METRICS.importFailed])).toEqual([1]);
  });

  it('leaves the work to a run already under way: WARN, ImportSkipped, nothing downloaded, the other lock untouched', async () => {
    const held = await acquireImportLock(doc, TABLE, 'busy', 'other-run');
    expect(held.acquired).toBe(true);
    const before = server.requests.length;
    const { handler, emf, logs } = instrumented({ DATASET_ID: 'busy' });
    const outcome = await handler();
    expect(outcome).toMatchObject({ skipped: true, datasetId: 'busy', holder: { owner: 'other-run' } });
    expect(server.requests.length).toBe(before);
    expect(logs().at(-1)).toMatchObject({ level: 'WARN', message: 'scheduled import skipped' });
    expect(emf().map((d) => d[IMPORTER_METRICS.importSkipped])).toEqual([1]);
    expect(await lockItem('busy')).toMatchObject({ owner: 'other-run' });
  });

  it("lets Lambda's retry of a run that died holding the lock (same request id) take it back and do the work", async () => {
    // The first attempt timed out or ran out of memory: its lock is still there, not yet expired.
    expect((await acquireImportLock(doc, TABLE, 'retried', 'aws-req-7')).acquired).toBe(true);
    const { handler, emf } = instrumented({ DATASET_ID: 'retried' });
    const context = { awsRequestId: 'aws-req-7', functionName: 'importer', getRemainingTimeInMillis: () => 840_000 } as unknown as Context;
    const outcome = await handler({ months: 1 }, context);
    expect(outcome).toMatchObject({ datasetId: 'retried', months: ['2024-02'] });
    expect(emf().map((d) => d[IMPORTER_METRICS.importSucceeded])).toEqual([1]);
    expect(await lockItem('retried')).toBeUndefined();
  });
});

describe('the import lock', () => {
  const t0 = new Date('2026-11-20T03:00:00Z');
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it('is held by one run at a time, with an expiry in the table TTL attribute', async () => {
    const first = await acquireImportLock(doc, TABLE, 'ds-a', 'run-1', t0);
    expect(first.acquired).toBe(true);
    expect(await lockItem('ds-a')).toMatchObject({
      owner: 'run-1',
      acquiredAt: t0.toISOString(),
      [TABLE_DEFINITION.timeToLiveAttribute]: t0.getTime() / 1000 + IMPORT_LOCK_SECONDS,
    });
    const second = await acquireImportLock(doc, TABLE, 'ds-a', 'run-2', later(60));
    expect(second).toEqual({ acquired: false, holder: { owner: 'run-1', acquiredAt: t0.toISOString(), expiresAt: t0.getTime() / 1000 + IMPORT_LOCK_SECONDS } });
    // Its owner (the retry of the same invocation) gets it back, with a new expiry: the run's own deadline.
    expect((await acquireImportLock(doc, TABLE, 'ds-a', 'run-1', later(120), 900)).acquired).toBe(true);
    expect(await lockItem('ds-a')).toMatchObject({ owner: 'run-1', [TABLE_DEFINITION.timeToLiveAttribute]: t0.getTime() / 1000 + 120 + 900 });
    // Another dataset has a lock of its own.
    expect((await acquireImportLock(doc, TABLE, 'ds-b', 'run-2', later(60))).acquired).toBe(true);
    if (first.acquired) await first.lock.release();
    expect(await lockItem('ds-a')).toBeUndefined();
    expect((await acquireImportLock(doc, TABLE, 'ds-a', 'run-2', later(121))).acquired).toBe(true);
  });

  it('outlasts any run, and is taken over once expired even before TTL removes it; the late owner cannot free it', async () => {
    // Longer than Lambda's 15-minute limit, so it only expires under a run that is over.
    expect(IMPORT_LOCK_SECONDS).toBeGreaterThan(15 * 60);
    const crashed = await acquireImportLock(doc, TABLE, 'ds-c', 'crashed-run', t0);
    expect((await acquireImportLock(doc, TABLE, 'ds-c', 'next-run', later(IMPORT_LOCK_SECONDS - 1))).acquired).toBe(false);
    const next = await acquireImportLock(doc, TABLE, 'ds-c', 'next-run', later(IMPORT_LOCK_SECONDS));
    expect(next.acquired).toBe(true);
    if (crashed.acquired) await crashed.lock.release();
    expect(await lockItem('ds-c')).toMatchObject({ owner: 'next-run' });
  });

  it('lives in the dataset partition, where the importer role may write', async () => {
    expect(keys.importLock('open-data').pk.startsWith(keys.datasetPkPrefix)).toBe(true);
    // A stale lock item written by hand (e.g. restored from a backup) with an old expiry does not block a run.
    await doc.send(new PutCommand({ TableName: TABLE, Item: { ...keys.importLock('ds-d'), owner: 'restored', acquiredAt: '2020-01-01T00:00:00Z', expiresAt: 1 } }));
    expect((await acquireImportLock(doc, TABLE, 'ds-d', 'run', t0)).acquired).toBe(true);
  });
});
