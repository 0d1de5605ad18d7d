/**
 * The first and last steps of the national import (infra/lib/national-import.ts), run by the importer function:
 *
 * - plan: checks the forces asked for against the configured table, picks the months (the newest n police.uk has, once
 *   for every force, so a month published mid-run cannot split the run), and takes the dataset's import lock for the
 *   whole run (owner: the execution, expiry: the execution's own timeout). Another run holding the lock: "skipped".
 * - finish: gives the lock back and sums up the forces' results; the state machine fails the execution when a force
 *   failed, after the others' months are stored (each force's months are replaced by the store's version flip, so a
 *   failed force leaves its previous months readable and the other forces' new ones stay).
 */
import { DynamoReferenceRepository } from '@safer-places/store';
import { addMonths, monthRange } from '@safer-places/schemas';
import { HttpClient } from '../fetch/http';
import { DEFAULT_POLICE_API, PoliceApi } from '../fetch/police-api';
import { USER_AGENT } from '../fetch/run';
import { TokenBucket } from '../fetch/token-bucket';
import { ImporterEventError, type ForceEntry } from './events';
import { datasetOf, jsonLog, tableOf, withClient, type Env, type RunOptions, type ScheduledImportSkipped } from './context';
import { IMPORT_LOCK_SECONDS, acquireImportLock, releaseImportLock } from './lock';

/**
 * Whether the importer replaces one force's part of a month (the partitions of its districts, its own unplaced
 * crimes) and leaves every other force's untouched: `runForceImport` passes `forceScope` to `importFiles`, which writes
 * through the store's replaceCrimePartitions and merges the dataset summary with a conditional write, so the forces of
 * a run import into one dataset in parallel (docs/operations/data-import.md, "National import").
 */
export const FORCE_SCOPED_WRITES = true;

export interface NationalPlan {
  run: string;
  datasetId: string;
  /** Consecutive months, oldest first: every force imports exactly these. */
  months: string[];
  forces: ForceEntry[];
}

export interface ForceFailure {
  force: string;
  error: string;
  cause: string;
}

export interface NationalSummary {
  run: string;
  datasetId: string;
  months: string[];
  succeeded: string[];
  failed: ForceFailure[];
  crimesImported: number;
  /** Failed forces whose function ended before it could count ImportFailed itself (timeout, out of memory, throttled for good). */
  uncounted: number;
}

/** The plan step: forces and months, and the run's lock; "skipped" when another import of the dataset is under way. */
export async function planNationalRun(
  env: Env,
  event: { run: string; forces: ForceEntry[]; only?: string[]; months: number; lockSeconds?: number },
  options: RunOptions = {},
): Promise<NationalPlan | ScheduledImportSkipped> {
  const log = options.log ?? jsonLog;
  const datasetId = datasetOf(env);
  const known = new Map(event.forces.map((f) => [f.force, f]));
  const unknown = (event.only ?? []).filter((f) => !known.has(f));
  if (unknown.length > 0) {
    throw new ImporterEventError(`national import: force(s) ${unknown.join(', ')} not configured for this deployment (configured: ${[...known.keys()].join(', ')})`);
  }
  const forces = event.only ? [...new Set(event.only)].map((f) => known.get(f)!) : event.forces;
  if (forces.length > 1 && !FORCE_SCOPED_WRITES) {
    throw new ImporterEventError(
      `national import: ${forces.length} forces into dataset ${datasetId}, but this importer replaces whole months, so each force would overwrite the others; ` +
        'start the run for one force ({"forces": ["<force id>"]}) until force-scoped writes are in',
    );
  }

  const police = new PoliceApi(
    env.POLICE_API_URL ?? DEFAULT_POLICE_API,
    new HttpClient({ bucket: new TokenBucket(5, 5, options.http?.clock), maxConcurrent: 1, userAgent: USER_AGENT, ...options.http }),
  );
  const newest = (await police.getAvailableMonths()).sort().at(-1);
  if (!newest) throw new Error('national import: police.uk lists no months of street-level crime');
  const months = monthRange(addMonths(newest, -(event.months - 1)), newest);

  return withClient(env, options, async (doc) => {
    const attempt = await acquireImportLock(doc, tableOf(env), datasetId, event.run, options.now?.(), event.lockSeconds ?? IMPORT_LOCK_SECONDS);
    if (!attempt.acquired) {
      const reason = `another import of dataset ${datasetId} is under way${attempt.holder ? ` (${attempt.holder.owner}, since ${attempt.holder.acquiredAt})` : ''}`;
      log({ level: 'warn', msg: 'national import skipped', reason, datasetId, holder: attempt.holder });
      return { skipped: true, datasetId, reason, holder: attempt.holder };
    }
    const plan: NationalPlan = { run: event.run, datasetId, months, forces };
    log({ level: 'info', msg: 'national import starting', run: event.run, datasetId, months, forces: forces.map((f) => f.force) });
    return plan;
  });
}

/** Error names of failures the function did not throw itself, so did not count (Lambda and Step Functions name them). */
const PLATFORM_ERROR = /^(States\.|Sandbox\.|Lambda\.|Runtime\.)/;

interface ForceResultLike {
  force?: unknown;
  ok?: unknown;
  crimesImported?: unknown;
  error?: unknown;
  cause?: unknown;
}

/** The finish step: the lock given back (if still the run's), and what became of each force. */
export async function finishNationalRun(env: Env, event: { run: string; state: unknown }, options: RunOptions = {}): Promise<NationalSummary> {
  const log = options.log ?? jsonLog;
  const datasetId = datasetOf(env);
  const state = (typeof event.state === 'object' && event.state !== null ? event.state : {}) as { plan?: { months?: unknown }; results?: unknown; failure?: { Error?: unknown; Cause?: unknown } };
  const results = (Array.isArray(state.results) ? state.results : []) as ForceResultLike[];
  const succeeded: string[] = [];
  const failed: ForceFailure[] = [];
  let crimesImported = 0;
  for (const r of results) {
    const force = String(r.force ?? '?');
    if (r.ok === true) {
      succeeded.push(force);
      crimesImported += typeof r.crimesImported === 'number' ? r.crimesImported : 0;
    } else {
      failed.push({ force, error: String(r.error ?? 'unknown'), cause: String(r.cause ?? '').slice(0, 1000) });
    }
  }
  // The Map itself failed (not one force): every force of the plan counts as not imported.
  if (state.failure) failed.push({ force: '(the run)', error: String(state.failure.Error ?? 'unknown'), cause: String(state.failure.Cause ?? '').slice(0, 1000) });
  const months = Array.isArray(state.plan?.months) ? state.plan.months.map(String) : [];
  await withClient(env, options, async (doc) => {
    // A force that failed part-way may have replaced some of its months (or LSOAs) without the dataset's version moving
    // on (a force's import bumps it last): bump it now, still holding the run's lock, so no API process keeps serving
    // what it cached before them.
    if (failed.length > 0) await bumpDatasetVersion(new DynamoReferenceRepository(doc, tableOf(env)), datasetId, event.run);
    await releaseImportLock(doc, tableOf(env), datasetId, event.run);
  });
  const summary: NationalSummary = {
    run: event.run,
    datasetId,
    months,
    succeeded,
    failed,
    crimesImported,
    uncounted: failed.filter((f) => PLATFORM_ERROR.test(f.error) || f.force === '(the run)').length,
  };
  log({ level: failed.length > 0 ? 'error' : 'info', msg: failed.length > 0 ? 'national import finished with failures' : 'national import done', ...summary });
  return summary;
}

/** Gives the dataset a new version (same figures), so caches keyed by it are dropped; retried if a write races it. */
async function bumpDatasetVersion(repo: DynamoReferenceRepository, datasetId: string, run: string): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const before = await repo.getDataset(datasetId);
    if (!before) return;
    if (await repo.putDatasetIf({ ...before, version: `${before.version.split('~')[0]}~after-${run}` }, before.version)) return;
  }
}
