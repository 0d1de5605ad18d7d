/**
 * What the importer function is asked to do, read from its invocation event. Four shapes:
 *
 * - the monthly schedule's EventBridge event, `{}` or `{"months": n}` (a direct invocation): the newest n months of the
 *   force and districts in the function's environment (FORCE, LADS), as before the national import;
 * - `{"action": "plan", "run": …, "forces": [{force, districts}…], "request": {"forces"?: [ids], "months"?: n}}`: the
 *   national run's first step (infra/lib/national-import.ts): takes the run's lock and lists the forces to import
 *   (all configured ones, or those the execution input names) and the months (the newest n police.uk has);
 * - `{"force": "nottinghamshire", "districts"?: [LAD…], "months": ["2024-01", …] | n, "run"?: …}`: one force's import,
 *   a Map iteration of the national run (with `run`) or a manual invocation (without: it takes the lock itself);
 * - `{"action": "finish", "run": …, "state": {…}}`: the national run's last step: gives the lock back and sums up.
 *
 * A malformed event throws ImporterEventError naming the field, before anything is downloaded.
 */
import { monthRange } from '@safer-places/schemas';

export const MAX_MONTHS = 36;
/** The ids and codes `npm run fetch-data` accepts (packages/importer/src/fetch/args.ts). */
const FORCE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LAD = /^(E0[6-9]|W06)\d{6}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class ImporterEventError extends Error {
  override name = 'ImporterEventError';
}

export interface ForceEntry {
  force: string;
  districts: string[];
}

export type ImporterEvent =
  | { kind: 'scheduled'; months?: number }
  | { kind: 'plan'; run: string; forces: ForceEntry[]; only?: string[]; months: number; lockSeconds?: number }
  | { kind: 'force'; force: string; districts?: string[]; months: number | string[]; run?: string }
  | { kind: 'finish'; run: string; state: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const validCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_MONTHS;

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ImporterEventError(`importer event: ${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value.trim();
}

function forceId(value: unknown, field: string): string {
  const id = text(value, field).toLowerCase();
  if (!FORCE.test(id)) throw new ImporterEventError(`importer event: ${field} '${id}' is not a police.uk force id (lower-case words joined by '-', e.g. west-yorkshire)`);
  return id;
}

function districts(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new ImporterEventError(`importer event: ${field} must be a non-empty list of district (LAD 2024) codes`);
  const codes = [...new Set(value.map((v) => text(v, field).toUpperCase()))];
  const bad = codes.filter((c) => !LAD.test(c));
  if (bad.length > 0) throw new ImporterEventError(`importer event: ${field}: ${bad.join(', ')} not LAD 2024 district code(s) (e.g. E07000174)`);
  return codes;
}

function monthCount(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!validCount(value)) throw new ImporterEventError(`importer event: ${field} must be a whole number from 1 to ${MAX_MONTHS}, got ${JSON.stringify(value)}`);
  return value;
}

/** A list of months must be consecutive (one police.uk download covers a range); a number means the newest n. */
function months(value: unknown): number | string[] {
  if (!Array.isArray(value)) return monthCount(value, 'months', 1);
  const list = [...new Set(value.map((m) => text(m, 'months')))].sort();
  const bad = list.filter((m) => !MONTH.test(m));
  if (bad.length > 0) throw new ImporterEventError(`importer event: months: ${bad.join(', ')} not month(s) of the form YYYY-MM`);
  if (list.length === 0 || list.length > MAX_MONTHS) throw new ImporterEventError(`importer event: months must list 1 to ${MAX_MONTHS} months, got ${list.length}`);
  if (monthRange(list[0]!, list.at(-1)!).length !== list.length) {
    throw new ImporterEventError(`importer event: months must be consecutive (${list[0]} to ${list.at(-1)} has gaps): import each run of months separately`);
  }
  return list;
}

/** The configured force table (the plan step's `forces`): ids and districts checked, no district under two forces. */
export function forceTable(value: unknown, field = 'forces'): ForceEntry[] {
  if (!Array.isArray(value) || value.length === 0) throw new ImporterEventError(`importer event: ${field} must be a non-empty list of {force, districts}`);
  const owner = new Map<string, string>();
  const seen = new Set<string>();
  return value.map((entry, i) => {
    if (!isObject(entry)) throw new ImporterEventError(`importer event: ${field}[${i}] must be an object {force, districts}`);
    const force = forceId(entry.force, `${field}[${i}].force`);
    if (seen.has(force)) throw new ImporterEventError(`importer event: ${field} lists force '${force}' twice`);
    seen.add(force);
    const codes = districts(entry.districts, `${field}[${i}].districts`);
    for (const c of codes) {
      // A force's import replaces its districts' partitions: a district under two forces would be overwritten by both.
      const other = owner.get(c);
      if (other) throw new ImporterEventError(`importer event: district ${c} is listed under both '${other}' and '${force}'`);
      owner.set(c, force);
    }
    return { force, districts: codes };
  });
}

export function parseImporterEvent(event: unknown): ImporterEvent {
  if (!isObject(event)) return { kind: 'scheduled' };
  if (event.action === 'plan') {
    const request = event.request === undefined || event.request === null ? {} : event.request;
    if (!isObject(request)) throw new ImporterEventError('importer event: the execution input must be a JSON object such as {"forces": ["nottinghamshire"], "months": 3}');
    const onlyRaw = request.forces;
    const only = onlyRaw === undefined ? undefined : Array.isArray(onlyRaw) && onlyRaw.length > 0 ? onlyRaw.map((f, i) => forceId(f, `forces[${i}]`)) : (() => {
      throw new ImporterEventError('importer event: forces must be a non-empty list of police.uk force ids, e.g. ["nottinghamshire"]');
    })();
    const lockSeconds = event.lockSeconds;
    if (lockSeconds !== undefined && !(typeof lockSeconds === 'number' && Number.isInteger(lockSeconds) && lockSeconds > 0)) {
      throw new ImporterEventError(`importer event: lockSeconds must be a positive whole number, got ${JSON.stringify(lockSeconds)}`);
    }
    return {
      kind: 'plan',
      run: text(event.run, 'run'),
      forces: forceTable(event.forces),
      ...(only && { only }),
      months: monthCount(request.months, 'months', 1),
      ...(lockSeconds !== undefined && { lockSeconds }),
    };
  }
  if (event.action === 'finish') return { kind: 'finish', run: text(event.run, 'run'), state: event.state };
  if (event.action !== undefined) throw new ImporterEventError(`importer event: unknown action ${JSON.stringify(event.action)} (plan or finish, or none)`);
  if ('force' in event) {
    return {
      kind: 'force',
      force: forceId(event.force, 'force'),
      ...(event.districts !== undefined && { districts: districts(event.districts, 'districts') }),
      months: months(event.months),
      ...(event.run !== undefined && { run: text(event.run, 'run') }),
    };
  }
  // EventBridge's scheduled event carries nothing of ours; a direct invocation may pass {"months": n}.
  return 'months' in event ? { kind: 'scheduled', months: event.months as number } : { kind: 'scheduled' };
}
