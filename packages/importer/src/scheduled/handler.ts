/**
 * The scheduled importer (AWS Lambda, run monthly by EventBridge): downloads the newest month police.uk has for the
 * configured force and districts with the same code as `npm run fetch-data`, then imports it with the same code as
 * `npm run import`. Any failure throws, so the invocation counts as a Lambda error and the stack's alarm fires.
 *
 * Environment
 *   FORCE            police.uk force id, e.g. nottinghamshire
 *   LADS             district codes (LAD 2024), comma-separated, e.g. E07000174,E07000170
 *   TABLE_NAME       the DynamoDB table
 *   DATASET_ID       dataset to import into (default "open-data", as npm run import)
 *   MONTHS           how many of the newest months to (re)import, 1-36 (default 1); more catches up after a failure
 *   POLICE_API_URL, ONS_API_URL, DYNAMODB_ENDPOINT   other endpoints (tests)
 *
 * A manual invocation may ask for more months than the schedule does, e.g. a first load of the last year (asynchronous:
 * it can take longer than the CLI waits for an answer; the result is in the function's log):
 *   aws lambda invoke --function-name <ImporterFunctionName> --invocation-type Event --payload '{"months":12}' \
 *     --cli-binary-format raw-in-base64-out /dev/null
 *
 * The national import (infra/lib/national-import.ts, a Step Functions state machine) runs this same function once per
 * force, in parallel: a "plan" step lists the forces and months and takes the run's lock, one invocation per force
 * imports that force's districts ({"force": …, "districts": […], "months": [...], "run": …}), and a "finish" step gives
 * the lock back and sums up (./events.ts, ./national.ts). One force can also be imported by hand:
 *   aws lambda invoke --function-name <ImporterFunctionName> --invocation-type Event \
 *     --payload '{"force":"nottinghamshire","districts":["E07000174"],"months":3}' --cli-binary-format raw-in-base64-out /dev/null
 *
 * Runs of one dataset never overlap: a run takes the dataset's import lock first (./lock.ts) and, finding another run
 * holding it, logs a warning and leaves the work to that run. On Lambda, logs, metrics (ImportFailed, ImportSucceeded,
 * ImportSkipped, CrimesImported) and traces go through Powertools (./telemetry.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { addMonths } from '@safer-places/schemas';
import { DynamoReferenceRepository } from '@safer-places/store';
import { parseFetchArgs } from '../fetch/args';
import { HttpClient } from '../fetch/http';
import { DEFAULT_POLICE_API, PoliceApi } from '../fetch/police-api';
import { USER_AGENT, downloadData } from '../fetch/run';
import { TokenBucket } from '../fetch/token-bucket';
import { DEFAULT_DATASET_ID, importFiles, type ForceScope } from '../import';
import { MAX_MONTHS, parseImporterEvent } from './events';
import { acquireImportLock, checkRunLock } from './lock';
import { datasetOf, jsonLog, tableOf, withClient, type Env, type RunOptions, type ScheduledImportSkipped } from './context';
import { finishNationalRun, planNationalRun, type NationalPlan, type NationalSummary } from './national';
import { IMPORTER_METRICS, count, importerTelemetry, type ImporterTelemetry, type Log } from './telemetry';

export interface ScheduledImportSettings {
  force: string;
  lads: string[];
  tableName: string;
  datasetId: string;
  months: number;
}

export interface ScheduledImportResult {
  datasetId: string;
  force: string;
  lads: string[];
  months: string[];
  crimesDownloaded: number;
  crimesImported: number;
  lsoas: number;
  warnings: string[];
  durationMs: number;
}


export type { Env, RunOptions, ScheduledImportSkipped };

export type ScheduledImportOutcome = ScheduledImportResult | ScheduledImportSkipped;

/** One force's import as the national run's Map collects it: small (the run's state is limited to 256 KB). */
export interface ForceImportResult extends Omit<ScheduledImportResult, 'warnings'> {
  ok: true;
  /** The first warnings (all of them are in the function's log and the dataset's import report). */
  warnings: string[];
  warningCount: number;
}

/** What the function answers: the outcome of whichever of its four events it was given (./events.ts). */
export type ImporterOutcome = ScheduledImportOutcome | ForceImportResult | NationalPlan | NationalSummary;


/** police.uk's API holds about three years of months. */
export { MAX_MONTHS };
/** How many warnings a force's result carries back to the run. */
const FORCE_RESULT_WARNINGS = 10;
const validMonths = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_MONTHS;

/** Reads and checks the settings; a missing or malformed one throws before anything is downloaded. */
export function settingsFromEnv(env: Env): ScheduledImportSettings {
  const missing = ['FORCE', 'LADS', 'TABLE_NAME'].filter((k) => !env[k]?.trim());
  if (missing.length > 0) throw new Error(`scheduled import: environment variable(s) ${missing.join(', ')} not set`);
  // The same checks and messages as the fetch-data command line.
  const args = parseFetchArgs(['--force', env.FORCE!, '--lad', env.LADS!]);
  const months = env.MONTHS ? Number(env.MONTHS) : 1;
  if (!validMonths(months)) throw new Error(`scheduled import: MONTHS must be 1-${MAX_MONTHS}, got '${env.MONTHS}'`);
  const datasetId = env.DATASET_ID?.trim() || DEFAULT_DATASET_ID;
  return { force: args.force, lads: args.lads, tableName: env.TABLE_NAME!.trim(), datasetId, months };
}


/** Runs one import; any failure is logged ("scheduled import failed") and thrown. */
export async function runScheduledImport(env: Env, options: RunOptions = {}): Promise<ScheduledImportOutcome> {
  const log = options.log ?? jsonLog;
  try {
    return await run(env, options, log);
  } catch (e) {
    log({ level: 'error', msg: 'scheduled import failed', error: (e as Error).message, stack: (e as Error).stack });
    throw e;
  }
}

async function run(env: Env, options: RunOptions, log: Log): Promise<ScheduledImportOutcome> {
  const started = performance.now();
  const settings = settingsFromEnv(env);
  if (options.months !== undefined) {
    if (!validMonths(options.months)) throw new Error(`scheduled import: months must be 1-${MAX_MONTHS}, got ${JSON.stringify(options.months)}`);
    settings.months = options.months;
  }
  return withLock(env, options, log, settings.datasetId, (doc) => download(env, options, log, settings, settings.months, doc, started));
}


/** Runs `work` holding the dataset's import lock, or answers "skipped" when another run holds it. */
async function withLock<T>(env: Env, options: RunOptions, log: Log, datasetId: string, work: (doc: DynamoDBDocumentClient) => Promise<T>): Promise<T | ScheduledImportSkipped> {
  return withClient(env, options, async (doc) => {
    const tableName = tableOf(env);
    const attempt = await acquireImportLock(doc, tableName, datasetId, options.owner ?? randomUUID(), options.now?.(), options.lockSeconds);
    if (!attempt.acquired) {
      const reason = `another import of dataset ${datasetId} is under way${attempt.holder ? ` (${attempt.holder.owner}, since ${attempt.holder.acquiredAt})` : ''}`;
      log({ level: 'warn', msg: 'scheduled import skipped', reason, datasetId, holder: attempt.holder });
      return { skipped: true, datasetId, reason, holder: attempt.holder } satisfies ScheduledImportSkipped;
    }
    try {
      return await work(doc);
    } finally {
      // Not freed (the table unreachable): it expires by itself, and must not hide how the run ended.
      await attempt.lock.release().catch((err: unknown) => log({ level: 'warn', msg: 'import lock not released; it expires by itself', error: String(err) }));
    }
  });
}


/**
 * One force's import: its districts (from the event, or FORCE/LADS when the event names the configured force) for the
 * months given (a consecutive list, or the newest n). Inside a national run (`run`) it checks that the run still holds
 * the dataset's lock and leaves the lock to the run; on its own it takes the lock like the monthly run.
 */
export async function runForceImport(env: Env, event: { force: string; districts?: string[]; months: number | string[]; run?: string }, options: RunOptions = {}): Promise<ForceImportResult | ScheduledImportSkipped> {
  const log = options.log ?? jsonLog;
  const started = performance.now();
  try {
    const lads = event.districts ?? (env.FORCE?.trim().toLowerCase() === event.force && env.LADS ? settingsFromEnv(env).lads : null);
    if (!lads) throw new Error(`scheduled import: no districts for force '${event.force}': give them in the event ("districts": ["E07000174", …])`);
    const settings: ScheduledImportSettings = { force: event.force, lads, tableName: tableOf(env), datasetId: datasetOf(env), months: typeof event.months === 'number' ? event.months : event.months.length };
    const work = async (doc: DynamoDBDocumentClient) => {
      // Only this force's districts and unplaced crimes are replaced: forces of one run import in parallel.
      const result = await download(env, options, log, settings, event.months, doc, started, { force: event.force, districts: lads });
      return { ...result, ok: true as const, warnings: result.warnings.slice(0, FORCE_RESULT_WARNINGS), warningCount: result.warnings.length };
    };
    const { run } = event;
    if (run === undefined) return await withLock(env, options, log, settings.datasetId, work);
    return await withClient(env, options, async (doc) => {
      await checkRunLock(doc, settings.tableName, settings.datasetId, run, options.now?.());
      return work(doc);
    });
  } catch (e) {
    log({ level: 'error', msg: 'scheduled import failed', force: event.force, error: (e as Error).message, stack: (e as Error).stack });
    throw e;
  }
}

async function download(
  env: Env,
  options: RunOptions,
  log: Log,
  settings: ScheduledImportSettings,
  /** The newest n months police.uk has, or these consecutive months. */
  months: number | string[],
  doc: DynamoDBDocumentClient,
  started: number,
  /** A force's part of a dataset that holds several (importFiles' forceScope); without it the months are replaced whole. */
  forceScope?: ForceScope,
): Promise<ScheduledImportResult> {
  // The newest month police.uk has; downloadData checks the range again and warns about months it lacks.
  const police = new PoliceApi(
    env.POLICE_API_URL ?? DEFAULT_POLICE_API,
    new HttpClient({ bucket: new TokenBucket(5, 5, options.http?.clock), maxConcurrent: 1, userAgent: USER_AGENT, ...options.http }),
  );
  let from: string;
  let to: string;
  if (Array.isArray(months)) {
    // Chosen by the national run's plan, so every force imports the same months.
    [from, to] = [months[0]!, months.at(-1)!];
  } else {
    const available = (await police.getAvailableMonths()).sort();
    const newest = available.at(-1);
    if (!newest) throw new Error('scheduled import: police.uk lists no months of street-level crime');
    [from, to] = [addMonths(newest, -(months - 1)), newest];
  }
  log({ level: 'info', msg: 'scheduled import starting', force: settings.force, lads: settings.lads, from, to, datasetId: settings.datasetId });

  // Lambda keeps /tmp between warm invocations: a folder of our own, always removed.
  const outDir = await mkdtemp(join(tmpdir(), 'scheduled-import-'));
  try {
    const fetched = await downloadData(
      {
        args: { force: settings.force, lads: settings.lads, from, to, out: outDir, skipImport: true, help: false },
        ...(options.http && { http: options.http }),
      },
      {
        stdout: (line) => log({ level: 'info', msg: line }),
        stderr: (line) => log({ level: 'warn', msg: line }),
        env,
        cwd: outDir,
      },
    );
    const report = await importFiles(fetched.files, {
      reference: new DynamoReferenceRepository(doc, settings.tableName),
      datasetId: settings.datasetId,
      ...(forceScope && { forceScope }),
    });
    const result: ScheduledImportResult = {
      datasetId: report.datasetId,
      force: settings.force,
      lads: settings.lads,
      months: fetched.months,
      crimesDownloaded: fetched.crimeCount,
      crimesImported: report.crimes?.imported ?? 0,
      lsoas: fetched.lsoaCount,
      warnings: [...fetched.warnings, ...report.warnings],
      durationMs: Math.round(performance.now() - started),
    };
    log({ level: 'info', msg: 'scheduled import done', ...result });
    return result;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Added to the run's remaining time for the lock's expiry. */
const LOCK_MARGIN_SECONDS = 30;

/**
 * The Lambda entry point for a given telemetry (tests pass their own). Every import counts one of ImportSucceeded,
 * ImportSkipped or ImportFailed, published as the invocation ends whatever the outcome; a failure is thrown on, so the
 * invocation fails (a direct asynchronous one is retried once and then sent to the failure queue; a force of the
 * national run is retried by the state machine and then reported as failed without undoing the other forces).
 */
export function createHandler(telemetry: ImporterTelemetry, env: Env = process.env) {
  const { logger, metrics, tracer } = telemetry;
  return async (event?: unknown, context?: Context): Promise<ImporterOutcome> => {
    if (context) logger.addContext(context);
    const parent = tracer.getSegment();
    const segment = parent?.addNewSubsegment('## handler');
    if (segment) tracer.setSegment(segment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    const counted = (outcome: ScheduledImportOutcome | ForceImportResult) => {
      if ('skipped' in outcome) count(metrics, IMPORTER_METRICS.importSkipped);
      else {
        count(metrics, IMPORTER_METRICS.importSucceeded);
        count(metrics, IMPORTER_METRICS.crimesImported, outcome.crimesImported);
      }
      return outcome;
    };
    const options: RunOptions = {
      log: telemetry.log,
      wrapClient: (doc) => tracer.captureAWSv3Client(doc),
      ...(context?.awsRequestId && { owner: context.awsRequestId }),
      // The lock lasts as long as this run can: to its deadline, and a little more for clocks that differ.
      ...(context?.getRemainingTimeInMillis && { lockSeconds: Math.ceil(context.getRemainingTimeInMillis() / 1000) + LOCK_MARGIN_SECONDS }),
    };
    try {
      let parsed;
      try {
        parsed = parseImporterEvent(event);
      } catch (e) {
        telemetry.log({ level: 'error', msg: 'scheduled import failed', error: (e as Error).message });
        throw e;
      }
      switch (parsed.kind) {
        case 'scheduled':
          return counted(await runScheduledImport(env, { ...options, ...(parsed.months !== undefined && { months: parsed.months }) }));
        case 'force':
          return counted(await runForceImport(env, parsed, options));
        case 'plan': {
          const plan = await planNationalRun(env, parsed, options);
          if ('skipped' in plan) count(metrics, IMPORTER_METRICS.importSkipped);
          return plan;
        }
        case 'finish': {
          const summary = await finishNationalRun(env, parsed, options);
          // Forces whose function never got to count their failure (killed at its timeout, out of memory).
          if (summary.uncounted > 0) count(metrics, IMPORTER_METRICS.importFailed, summary.uncounted);
          return summary;
        }
      }
    } catch (err) {
      count(metrics, IMPORTER_METRICS.importFailed);
      tracer.addErrorAsMetadata(err as Error);
      throw err;
    } finally {
      metrics.publishStoredMetrics();
      segment?.close();
      if (parent) tracer.setSegment(parent);
    }
  };
}

/** The function's handler: the schedule's event, a manual invocation, or a step of the national run (./events.ts). */
export const handler = createHandler(importerTelemetry());
