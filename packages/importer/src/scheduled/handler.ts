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
import { DynamoReferenceRepository, createDocumentClient } from '@safer-places/store';
import { parseFetchArgs } from '../fetch/args';
import { HttpClient, type HttpClientOptions } from '../fetch/http';
import { DEFAULT_POLICE_API, PoliceApi } from '../fetch/police-api';
import { USER_AGENT, downloadData } from '../fetch/run';
import { TokenBucket } from '../fetch/token-bucket';
import { DEFAULT_DATASET_ID, importFiles } from '../import';
import { acquireImportLock, type LockHolder } from './lock';
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

/** Another run of the same dataset was under way: this one left the work to it. */
export interface ScheduledImportSkipped {
  skipped: true;
  datasetId: string;
  reason: string;
  holder: LockHolder | null;
}

export type ScheduledImportOutcome = ScheduledImportResult | ScheduledImportSkipped;

type Env = Record<string, string | undefined>;

/** police.uk's API holds about three years of months. */
export const MAX_MONTHS = 36;
const validMonths = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_MONTHS;
const jsonLog: Log = (entry) => console.log(JSON.stringify(entry));

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

export interface RunOptions {
  /** HTTP client overrides (tests shorten back-off). */
  http?: Partial<HttpClientOptions>;
  log?: Log;
  /** Overrides MONTHS for one run (a manual invocation's payload). */
  months?: number;
  /** Who holds the import lock while this run goes on (the Lambda request id); default a random id. */
  owner?: string;
  /** How long the lock lasts: the run's remaining time on Lambda; default IMPORT_LOCK_SECONDS. */
  lockSeconds?: number;
  /** Wraps the DynamoDB client (the tracer on Lambda). */
  wrapClient?: (doc: DynamoDBDocumentClient) => DynamoDBDocumentClient;
  /** The lock's clock (tests). */
  now?: () => Date;
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

  const client = createDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
  const doc = options.wrapClient ? options.wrapClient(client) : client;
  try {
    const attempt = await acquireImportLock(doc, settings.tableName, settings.datasetId, options.owner ?? randomUUID(), options.now?.(), options.lockSeconds);
    if (!attempt.acquired) {
      const reason = `another import of dataset ${settings.datasetId} is under way${attempt.holder ? ` (${attempt.holder.owner}, since ${attempt.holder.acquiredAt})` : ''}`;
      log({ level: 'warn', msg: 'scheduled import skipped', reason, datasetId: settings.datasetId, holder: attempt.holder });
      return { skipped: true, datasetId: settings.datasetId, reason, holder: attempt.holder };
    }
    try {
      return await download(env, options, log, settings, doc, started);
    } finally {
      // Not freed (the table unreachable): it expires by itself, and must not hide how the run ended.
      await attempt.lock.release().catch((err: unknown) => log({ level: 'warn', msg: 'import lock not released; it expires by itself', error: String(err) }));
    }
  } finally {
    client.destroy();
  }
}

async function download(
  env: Env,
  options: RunOptions,
  log: Log,
  settings: ScheduledImportSettings,
  doc: DynamoDBDocumentClient,
  started: number,
): Promise<ScheduledImportResult> {
  // The newest month police.uk has; downloadData checks the range again and warns about months it lacks.
  const police = new PoliceApi(
    env.POLICE_API_URL ?? DEFAULT_POLICE_API,
    new HttpClient({ bucket: new TokenBucket(5, 5, options.http?.clock), maxConcurrent: 1, userAgent: USER_AGENT, ...options.http }),
  );
  const available = (await police.getAvailableMonths()).sort();
  const newest = available.at(-1);
  if (!newest) throw new Error('scheduled import: police.uk lists no months of street-level crime');
  const from = addMonths(newest, -(settings.months - 1));
  log({ level: 'info', msg: 'scheduled import starting', force: settings.force, lads: settings.lads, from, to: newest, datasetId: settings.datasetId });

  // Lambda keeps /tmp between warm invocations: a folder of our own, always removed.
  const outDir = await mkdtemp(join(tmpdir(), 'scheduled-import-'));
  try {
    const fetched = await downloadData(
      {
        args: { force: settings.force, lads: settings.lads, from, to: newest, out: outDir, skipImport: true, help: false },
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

/** The manual invocation's {"months": n}, if any. */
function monthsOf(event: unknown): number | undefined {
  return typeof event === 'object' && event !== null && 'months' in event ? ((event as { months: unknown }).months as number) : undefined;
}

/**
 * The Lambda entry point for a given telemetry (tests pass their own). Every run counts one of ImportSucceeded,
 * ImportSkipped or ImportFailed, published as the run ends whatever the outcome; a failure is thrown on, so the
 * invocation fails, Lambda retries it once and then sends it to the failure queue.
 */
export function createHandler(telemetry: ImporterTelemetry, env: Env = process.env) {
  const { logger, metrics, tracer } = telemetry;
  return async (event?: unknown, context?: Context): Promise<ScheduledImportOutcome> => {
    if (context) logger.addContext(context);
    const parent = tracer.getSegment();
    const segment = parent?.addNewSubsegment('## handler');
    if (segment) tracer.setSegment(segment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      const months = monthsOf(event);
      const outcome = await runScheduledImport(env, {
        log: telemetry.log,
        wrapClient: (doc) => tracer.captureAWSv3Client(doc),
        ...(months !== undefined && { months }),
        ...(context?.awsRequestId && { owner: context.awsRequestId }),
        // The lock lasts as long as this run can: to its deadline, and a little more for clocks that differ.
        ...(context?.getRemainingTimeInMillis && { lockSeconds: Math.ceil(context.getRemainingTimeInMillis() / 1000) + LOCK_MARGIN_SECONDS }),
      });
      if ('skipped' in outcome) count(metrics, IMPORTER_METRICS.importSkipped);
      else {
        count(metrics, IMPORTER_METRICS.importSucceeded);
        count(metrics, IMPORTER_METRICS.crimesImported, outcome.crimesImported);
      }
      return outcome;
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

/**
 * EventBridge's scheduled event carries nothing we need (the settings are the function's environment); a manual
 * invocation may pass {"months": n}.
 */
export const handler = createHandler(importerTelemetry());
