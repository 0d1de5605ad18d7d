/**
 * The importer function's steps of the national import (plan, one force, finish) with real Powertools telemetry,
 * against the embedded DynamoDB and a local police.uk / ONS stand-in: the run's lock (taken by the plan, checked by
 * each force, given back by the finish), one force imported by hand, and the events it refuses.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient, ensureTable, keys } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { ImporterEventError, parseImporterEvent } from '../src/scheduled/events';
import { createHandler, type ForceImportResult } from '../src/scheduled/handler';
import { RunLockLostError, acquireImportLock } from '../src/scheduled/lock';
import { FORCE_SCOPED_WRITES, type NationalPlan, type NationalSummary } from '../src/scheduled/national';
import { IMPORTER_METRICS, importerTelemetry } from '../src/scheduled/telemetry';
import { LAD_A, LAD_B, buildWorld, crimesIn, startFixtureServer, type FixtureServer } from './fetch/fixture-server';

const TABLE = 'scheduled-national-test';
const world = buildWorld({ crimesPerLsoa: 3, months: ['2024-01', '2024-02'] });
const NOTTS = { force: 'nottinghamshire', districts: [LAD_A, LAD_B] };

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

/** A handler configured as the stack configures the function, and the EMF documents it writes. */
function instrumented(over: Record<string, string | undefined> = {}) {
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'importer');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'SaferPlaces/test');
  const lines: Record<string, unknown>[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
  }
  const env = { TABLE_NAME: TABLE, DYNAMODB_ENDPOINT: dynamo.endpoint, POLICE_API_URL: server.policeUrl, ONS_API_URL: server.onsUrl, ...over };
  const handler = createHandler(importerTelemetry(), env);
  const metric = (name: string) => lines.filter((l) => '_aws' in l).map((l) => l[name]).filter((v) => v !== undefined);
  const logs = () => lines.filter((l) => !('_aws' in l));
  return { handler, metric, logs };
}

const versionOf = async (datasetId: string) =>
  (await doc.send(new GetCommand({ TableName: TABLE, Key: keys.dataset(datasetId), ConsistentRead: true }))).Item?.summary?.version as string | undefined;
const lockOf = async (datasetId: string) => (await doc.send(new GetCommand({ TableName: TABLE, Key: keys.importLock(datasetId), ConsistentRead: true }))).Item;

describe('a national run, step by step', () => {
  it('plans (lock taken for the run), imports a force under that lock, refuses a force of another run, and finishes (lock given back)', async () => {
    const { handler, metric, logs } = instrumented({ DATASET_ID: 'national-a' });
    const plan = (await handler({ action: 'plan', run: 'run-1', forces: [NOTTS], lockSeconds: 3600, request: { months: 2 } })) as NationalPlan;
    expect(plan).toEqual({ run: 'run-1', datasetId: 'national-a', months: ['2024-01', '2024-02'], forces: [NOTTS] });
    const lock = await lockOf('national-a');
    expect(lock).toMatchObject({ owner: 'run-1' });
    // The run's lock lasts as long as the run may (lockSeconds), not the plan invocation's few seconds.
    expect(Number(lock!.expiresAt) - Date.now() / 1000).toBeGreaterThan(3500);

    // A Map iteration: the item the state machine builds from the plan.
    const result = (await handler({ force: 'nottinghamshire', districts: [LAD_A, LAD_B], months: plan.months, run: 'run-1' })) as ForceImportResult;
    const expected = crimesIn(world, '2024-01', [LAD_A, LAD_B]).length + crimesIn(world, '2024-02', [LAD_A, LAD_B]).length;
    expect(result).toMatchObject({ ok: true, force: 'nottinghamshire', datasetId: 'national-a', months: ['2024-01', '2024-02'], crimesImported: expected });
    expect(result.warnings.length).toBeLessThanOrEqual(result.warningCount);
    // The force leaves the lock to its run.
    expect(await lockOf('national-a')).toMatchObject({ owner: 'run-1' });
    expect(metric(IMPORTER_METRICS.importSucceeded)).toEqual([1]);
    expect(metric(IMPORTER_METRICS.crimesImported)).toEqual([expected]);

    // A force of a run that does not hold the lock writes nothing.
    await expect(handler({ force: 'nottinghamshire', districts: [LAD_A], months: ['2024-02'], run: 'run-0' })).rejects.toThrow(RunLockLostError);
    await expect(handler({ force: 'nottinghamshire', districts: [LAD_A], months: ['2024-02'], run: 'run-0' })).rejects.toThrow(/held by run-1, not by this run \(run-0\)/);

    // Finish: one force imported, one killed at its timeout (it could not count its own failure, so finish does).
    const state = {
      plan,
      results: [result, { force: 'derbyshire', ok: false, error: 'Sandbox.Timedout', cause: 'Task timed out after 900.00 seconds' }],
    };
    const failedBefore = metric(IMPORTER_METRICS.importFailed).length;
    const versionBefore = await versionOf('national-a');
    expect(versionBefore).toBeDefined();
    const summary = (await handler({ action: 'finish', run: 'run-1', state })) as NationalSummary;
    // A force failed: the dataset's version moves on, so no API process keeps what it cached before the failed force's writes.
    expect(await versionOf('national-a')).toBe(`${versionBefore}~after-run-1`);
    expect(summary).toEqual({
      run: 'run-1',
      datasetId: 'national-a',
      months: ['2024-01', '2024-02'],
      succeeded: ['nottinghamshire'],
      failed: [{ force: 'derbyshire', error: 'Sandbox.Timedout', cause: 'Task timed out after 900.00 seconds' }],
      crimesImported: expected,
      uncounted: 1,
    });
    expect(await lockOf('national-a')).toBeUndefined();
    expect(metric(IMPORTER_METRICS.importFailed).slice(failedBefore)).toEqual([1]);
    expect(logs().at(-1)).toMatchObject({ level: 'ERROR', message: 'national import finished with failures' });
  });

  it("does not count again a force whose own invocation already counted its failure; a failed Map still gives the lock back", async () => {
    const { handler, metric } = instrumented({ DATASET_ID: 'national-b' });
    await handler({ action: 'plan', run: 'run-2', forces: [NOTTS], request: {} });
    const summary = (await handler({
      action: 'finish',
      run: 'run-2',
      state: { plan: { months: ['2024-02'] }, results: [{ force: 'nottinghamshire', ok: false, error: 'HttpError', cause: 'police.uk 503' }] },
    })) as NationalSummary;
    expect(summary).toMatchObject({ failed: [{ force: 'nottinghamshire', error: 'HttpError' }], uncounted: 0 });
    expect(metric(IMPORTER_METRICS.importFailed)).toEqual([]);
    expect(await lockOf('national-b')).toBeUndefined();

    await handler({ action: 'plan', run: 'run-3', forces: [NOTTS], request: {} });
    const mapFailed = (await handler({ action: 'finish', run: 'run-3', state: { results: [], failure: { Error: 'States.Runtime', Cause: 'bad path' } } })) as NationalSummary;
    expect(mapFailed).toMatchObject({ succeeded: [], failed: [{ force: '(the run)', error: 'States.Runtime' }], uncounted: 1 });
    expect(await lockOf('national-b')).toBeUndefined();
  });

  it('skips a run while another import of the dataset holds the lock, and leaves that lock alone', async () => {
    const held = await acquireImportLock(doc, TABLE, 'national-busy', 'monthly-run');
    expect(held.acquired).toBe(true);
    const { handler, metric } = instrumented({ DATASET_ID: 'national-busy' });
    const outcome = await handler({ action: 'plan', run: 'run-4', forces: [NOTTS], request: {} });
    expect(outcome).toMatchObject({ skipped: true, datasetId: 'national-busy', holder: { owner: 'monthly-run' } });
    expect(metric(IMPORTER_METRICS.importSkipped)).toEqual([1]);
    expect(await lockOf('national-busy')).toMatchObject({ owner: 'monthly-run' });
  });

  it('refuses a force the deployment does not list, and plans many forces into one dataset (force-scoped writes)', async () => {
    const { handler, metric } = instrumented({ DATASET_ID: 'national-c' });
    await expect(handler({ action: 'plan', run: 'run-5', forces: [NOTTS], request: { forces: ['derbyshire'] } })).rejects.toThrow(
      /force\(s\) derbyshire not configured for this deployment \(configured: nottinghamshire\)/,
    );
    const two = [NOTTS, { force: 'derbyshire', districts: ['E07000032'] }];
    expect(FORCE_SCOPED_WRITES).toBe(true);
    const plan = (await handler({ action: 'plan', run: 'run-6', forces: two, request: {} })) as NationalPlan;
    expect(plan.forces).toEqual(two);
    expect(metric(IMPORTER_METRICS.importFailed)).toEqual([1]);
    // Nothing was locked by the refused plan; the accepted one holds it.
    expect(await lockOf('national-c')).toMatchObject({ owner: 'run-6' });
  });
});

describe('one force by hand', () => {
  it('takes the dataset lock itself, gives it back, and finds the districts in the environment for the configured force', async () => {
    const { handler } = instrumented({ DATASET_ID: 'by-hand', FORCE: 'nottinghamshire', LADS: LAD_A });
    const result = (await handler({ force: 'nottinghamshire', months: 1 })) as ForceImportResult;
    expect(result).toMatchObject({ ok: true, lads: [LAD_A], months: ['2024-02'], crimesImported: crimesIn(world, '2024-02', [LAD_A]).length });
    expect(await lockOf('by-hand')).toBeUndefined();
    await expect(handler({ force: 'derbyshire', months: 1 })).rejects.toThrow(/no districts for force 'derbyshire'/);
  });
});

describe('importer events', () => {
  it('reads each shape', () => {
    expect(parseImporterEvent(undefined)).toEqual({ kind: 'scheduled' });
    expect(parseImporterEvent({ 'detail-type': 'Scheduled Event', source: 'aws.events' })).toEqual({ kind: 'scheduled' });
    expect(parseImporterEvent({ months: 3 })).toEqual({ kind: 'scheduled', months: 3 });
    expect(parseImporterEvent({ force: 'Nottinghamshire', districts: ['e07000174'], months: ['2024-02', '2024-01'], run: 'r' })).toEqual({
      kind: 'force',
      force: 'nottinghamshire',
      districts: ['E07000174'],
      months: ['2024-01', '2024-02'],
      run: 'r',
    });
    expect(parseImporterEvent({ action: 'plan', run: 'r', forces: [NOTTS] })).toEqual({ kind: 'plan', run: 'r', forces: [NOTTS], months: 1 });
    expect(parseImporterEvent({ action: 'finish', run: 'r', state: { a: 1 } })).toEqual({ kind: 'finish', run: 'r', state: { a: 1 } });
  });

  it.each([
    [{ action: 'import' }, /unknown action "import"/],
    [{ force: 'Notts Police', months: 1 }, /force 'notts police' is not a police.uk force id/],
    [{ force: 'nottinghamshire', districts: [], months: 1 }, /districts must be a non-empty list/],
    [{ force: 'nottinghamshire', districts: ['Mansfield'], months: 1 }, /MANSFIELD not LAD 2024/],
    [{ force: 'nottinghamshire', months: 0 }, /months must be a whole number from 1 to 36/],
    [{ force: 'nottinghamshire', months: ['2024-01', '2024-03'] }, /months must be consecutive/],
    [{ force: 'nottinghamshire', months: ['2024-13'] }, /2024-13 not month/],
    [{ action: 'plan', forces: [NOTTS] }, /run must be a non-empty string/],
    [{ action: 'plan', run: 'r', forces: [] }, /forces must be a non-empty list/],
    [{ action: 'plan', run: 'r', forces: [NOTTS, { force: 'derbyshire', districts: [LAD_A] }] }, /district E07000174 is listed under both 'nottinghamshire' and 'derbyshire'/],
    [{ action: 'plan', run: 'r', forces: [NOTTS, NOTTS] }, /lists force 'nottinghamshire' twice/],
    [{ action: 'plan', run: 'r', forces: [NOTTS], request: { forces: [] } }, /forces must be a non-empty list of police.uk force ids/],
    [{ action: 'plan', run: 'r', forces: [NOTTS], request: { months: 40 } }, /months must be a whole number from 1 to 36/],
    [{ action: 'plan', run: 'r', forces: [NOTTS], request: 'all' }, /execution input must be a JSON object/],
  ])('refuses %j', (event, message) => {
    expect(() => parseImporterEvent(event)).toThrow(ImporterEventError);
    expect(() => parseImporterEvent(event)).toThrow(message);
  });

  it('counts a refused event as a failed import, before anything is downloaded', async () => {
    const { handler, metric, logs } = instrumented();
    await expect(handler({ force: 'nottinghamshire', months: ['2024-01', '2024-03'] })).rejects.toThrow(/consecutive/);
    expect(metric(IMPORTER_METRICS.importFailed)).toEqual([1]);
    expect(logs().at(-1)).toMatchObject({ level: 'ERROR', message: 'scheduled import failed' });
  });
});
