import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFiles, type ImportReport } from '@safer-places/importer';
import { DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { generateNational, type NationalResult } from './generate';
import type { ServerMemory } from './api-server';

/**
 * Sizes of the national benchmarks, from the environment (defaults: one national month, all forces):
 * NATIONAL_BENCH_MONTHS (1; 12 for the whole year, which needs several GB of memory for the importer),
 * NATIONAL_BENCH_FRACTION (1), NATIONAL_BENCH_SEED (2026), NATIONAL_BENCH_LOAD_SECONDS (60); NATIONAL_API_PROFILE=<dir>
 * writes CPU profiles of the national API benchmark's server and its workers there.
 */
export const BENCH = {
  months: Number(process.env.NATIONAL_BENCH_MONTHS ?? 1),
  fraction: Number(process.env.NATIONAL_BENCH_FRACTION ?? 1),
  seed: process.env.NATIONAL_BENCH_SEED ?? '2026',
  loadSeconds: Number(process.env.NATIONAL_BENCH_LOAD_SECONDS ?? 60),
  startMonth: '2024-01',
};

export async function generateForBench(dataDir: string): Promise<NationalResult> {
  const out = mkdtempSync(join(tmpdir(), 'sp-national-bench-'));
  return generateNational({ out, dataDir, months: BENCH.months, startMonth: BENCH.startMonth, fraction: BENCH.fraction, seed: BENCH.seed });
}

/** The inputs of a national import: England's LSOAs and IoD 2025, the generated lookups, the month folders. */
export function nationalInputs(dataDir: string, result: NationalResult, forces?: string[]): string[] {
  const months = result.months.map((m) => join(result.out, m));
  const files = forces ? result.files.filter((f) => forces.includes(f.force)).map((f) => join(result.out, f.path)) : months;
  return [join(dataDir, 'england/lsoa21-boundaries-england-simplified.geojson'), join(dataDir, 'iod2025-england-lsoa21.csv'), result.referenceDir, ...files];
}

export interface Store {
  dynamo: EmbeddedDynamo;
  doc: ReturnType<typeof createDocumentClient>;
  reference: DynamoReferenceRepository;
  table: string;
}

export async function openStore(table: string): Promise<Store> {
  const dynamo = await startEmbeddedDynamo();
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, table);
  return { dynamo, doc, reference: new DynamoReferenceRepository(doc, table), table };
}

/** Every district of the data set as the study area: the whole of England in one dataset. */
export async function importNational(store: Store, dataDir: string, result: NationalResult, datasetId: string): Promise<{ report: ImportReport; seconds: number }> {
  const t0 = performance.now();
  const report = await importFiles(nationalInputs(dataDir, result), {
    reference: store.reference,
    datasetId,
    datasetName: 'England (SYNTHETIC national benchmark data)',
    studyArea: { districts: [...new Set(result.lsoas.map((l) => l.districtCode))] },
  });
  return { report, seconds: (performance.now() - t0) / 1000 };
}

/** The local API server in its own process (api-server.ts), with a way to ask its memory. */
export interface ServerProcess {
  url: string;
  memory: (gc?: boolean) => Promise<ServerMemory>;
  close: () => Promise<void>;
}

export async function startServerProcess(endpoint: string, table: string): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-national-server-'));
  const child: ChildProcess = fork(join(import.meta.dirname, 'api-server.ts'), [], {
    // NATIONAL_API_PROFILE=<dir>: CPU profiles of the server process and its API workers, written when they exit.
    execArgv: ['--expose-gc', '--import', 'tsx', ...(process.env.NATIONAL_API_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.NATIONAL_API_PROFILE}`] : [])],
    env: { ...process.env, DYNAMODB_ENDPOINT: endpoint, TABLE_NAME: table, DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the API server process exited (${code}) before it was ready`)));
    child.on('message', (m: { type: string; url?: string }) => m.type === 'ready' && resolve(m.url!));
  });
  child.removeAllListeners('exit');
  return {
    url,
    memory: (gc = false) =>
      new Promise((resolve) => {
        const on = (m: { type: string; memory?: ServerMemory }) => {
          if (m.type !== 'memory') return;
          child.off('message', on);
          resolve(m.memory!);
        };
        child.on('message', on);
        child.send({ type: 'memory', gc });
      }),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.send({ type: 'close' });
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

export const mib = (b: number | null) => (b === null ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MiB`);
export const percentile = (xs: readonly number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
};
