/**
 * The local API server in a process of its own, for the national memory benchmark: started by fork() with
 * --expose-gc, it tells its parent its URL, and answers {type: 'memory', gc} with its memory (after a full collection
 * when asked) and its peak resident set (VmHWM, Linux), so what is measured is the server alone, not the benchmark.
 *
 * Environment: DYNAMODB_ENDPOINT, TABLE_NAME, DATA_DIR (required); API_WORKERS (optional).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalServer } from '@safer-places/api/local-server';

export interface ServerMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Peak resident set of the process so far (bytes), or null where /proc does not say. */
  peakRss: number | null;
  /** Each API worker thread's used heap after a full collection (bytes); empty when no collection was asked for. */
  workerHeaps: number[];
  /** Each API worker's memory outside its heap (typed arrays' buffers) after that collection; empty as above. */
  workerExternal: number[];
}

export function serverMemory(): Omit<ServerMemory, 'workerHeaps' | 'workerExternal'> {
  let peakRss: number | null = null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) peakRss = Number(m[1]) * 1024;
  } catch {
    peakRss = null;
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers, peakRss };
}

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

if (process.send) {
  const dataDir = env('DATA_DIR');
  const workers = process.env.API_WORKERS ? Number(process.env.API_WORKERS) : undefined;
  const server = await startLocalServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    dynamoEndpoint: env('DYNAMODB_ENDPOINT'),
    tableName: env('TABLE_NAME'),
    webDist: join(dataDir, 'no-web'),
    log: () => {},
    ...(workers !== undefined && { workers }),
  });
  process.on('message', (m: { type: string; gc?: boolean }) => {
    if (m.type === 'memory') {
      if (m.gc) (globalThis as { gc?: () => void }).gc?.();
      const own = serverMemory();
      // Worker heaps only with a collection: the pool's heap query makes each worker collect first, which the sampler
      // during the load test must not do.
      if (!m.gc) process.send!({ type: 'memory', memory: { ...own, workerHeaps: [], workerExternal: [] } });
      else void server.workerHeaps().then((heaps) => process.send!({ type: 'memory', memory: { ...own, workerHeaps: heaps.map((h) => h.usedHeapBytes), workerExternal: heaps.map((h) => h.externalBytes) } }));
    } else if (m.type === 'close') {
      void server.close().then(() => process.exit(0));
    }
  });
  process.send({ type: 'ready', url: server.url.replace('//localhost:', '//127.0.0.1:') });
}
