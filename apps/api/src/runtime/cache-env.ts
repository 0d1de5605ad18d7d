import type { AppDeps } from '../app';

/**
 * The analyses' memory budget from the environment: CRIME_CACHE_MB (crime points kept per process, default 384) and
 * COUNTS_CACHE_MB (monthly counts, default 64). A value that is not a positive number stops the process at start-up
 * with a message naming the variable, rather than running with an unbounded or zero cache.
 */
export function cachesFromEnv(env: NodeJS.ProcessEnv): NonNullable<AppDeps['caches']> {
  const read = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text.trim() === '') return undefined;
    const mb = Number(text);
    if (!Number.isFinite(mb) || mb <= 0) throw new Error(`${name} must be a positive number of megabytes; got ${JSON.stringify(text)}`);
    return mb;
  };
  const crimeMb = read('CRIME_CACHE_MB');
  const countsMb = read('COUNTS_CACHE_MB');
  return { ...(crimeMb !== undefined && { crimeMb }), ...(countsMb !== undefined && { countsMb }) };
}
