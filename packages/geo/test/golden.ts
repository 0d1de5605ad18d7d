import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const DECIMALS = 7;

/** Rounds every number so fixtures do not churn on last-bit floating-point differences. */
export function roundDeep<T>(value: T, decimals = DECIMALS): T {
  const f = 10 ** decimals;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * f) / f + 0 : v; // + 0 turns -0 into 0
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** JSON with each position / number array on one line, so diffs of fixtures stay readable. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, inner: string) => `[${inner.replace(/,\s+/g, ', ')}]`) + '\n';
}

export function readInput<T = any>(module: string, name: string): T {
  return JSON.parse(readFileSync(join(here, 'in', module, `${name}.geojson`), 'utf8')) as T;
}

/**
 * Compares `actual` (rounded) with test/out/<module>/<name>.geojson. With UPDATE_GOLDEN=1 it rewrites the file
 * instead; review the diff before committing.
 */
export function expectGolden(module: string, name: string, actual: unknown): void {
  const file = join(here, 'out', module, `${name}.geojson`);
  const rounded = roundDeep(actual);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, formatJson(rounded));
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(rounded).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
