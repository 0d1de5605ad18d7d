/// <reference path="./dynalite.d.ts" />
import { fork } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import dynalite from 'dynalite';

/** Written in the data folder while a server runs its embedded DynamoDB, so other tools (the importer) can reach it. */
export const EMBEDDED_ENDPOINT_FILE = 'embedded-dynamodb.json';

export interface EmbeddedDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A DynamoDB-compatible server in this process, on loopback only. With a directory it persists there (LevelDB),
 * so saved work survives restarts; without one it is in memory (tests). The marker file beside the directory names
 * this process, which holds the LevelDB lock.
 */
export async function startEmbeddedDynamo(options: { dir?: string; port?: number } = {}): Promise<EmbeddedDynamo> {
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const server = dynalite({ ...(options.dir && { path: options.dir }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const marker = options.dir ? join(dirname(options.dir), EMBEDDED_ENDPOINT_FILE) : null;
  if (marker) writeFileSync(marker, JSON.stringify({ endpoint, pid: process.pid }));
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (marker) rmSync(marker, { force: true });
        server.closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export interface EmbeddedDynamoProcess extends EmbeddedDynamo {
  /** The store's own process id. */
  pid: number;
  /** The store process's heap after a full garbage collection, and its RSS (diagnostics and tests). */
  memory(): Promise<{ heapUsedBytes: number; rssBytes: number }>;
}

/** How long a store process may take to close its LevelDB before it is killed. */
const CLOSE_GRACE_MS = 35_000;

/**
 * The Node options a child needs to run this package's TypeScript: the tsx loader when the entry is a .ts file
 * (the repository runs its TypeScript sources directly), nothing for built JavaScript.
 */
export function typeScriptExecArgv(entry: string): string[] {
  if (!entry.endsWith('.ts')) return [];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

/**
 * The embedded DynamoDB in a process of its own (./embedded-process.ts), so that its memory and its CPU are not the
 * API's: a server's heap no longer carries the store's, and a slow request cannot stall the store. Talk to it over
 * `endpoint` as to any DynamoDB. With `dir` it persists there as `startEmbeddedDynamo` does (an acknowledged write is
 * in LevelDB's log before the answer, so it survives kill -9 of either process).
 *
 * The store process lives only as long as this one: it stops when `close()` is called, and on its own when this
 * process goes away by any means (exit, crash, SIGKILL), because its IPC channel to this process then closes.
 * Ctrl-C in a terminal reaches both processes; the store ignores SIGINT and waits for its parent to close it (after
 * in-flight requests) or to disappear. SIGTERM sent to the store itself closes it.
 */
export async function startEmbeddedDynamoProcess(options: { dir?: string } = {}): Promise<EmbeddedDynamoProcess> {
  const entry = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './embedded-process.ts' : './embedded-process.js', import.meta.url));
  const child = fork(entry, options.dir ? [options.dir] : [], {
    execArgv: typeScriptExecArgv(entry),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  const endpoint = await new Promise<string>((ok, fail) => {
    child.on('message', (m: { type?: string; endpoint?: string; error?: string }) => {
      if (m.type === 'ready' && m.endpoint) ok(m.endpoint);
      if (m.type === 'failed') fail(new Error(`the embedded DynamoDB did not start: ${m.error}`));
    });
    child.once('error', fail);
    void exited.then(({ code, signal }) => fail(new Error(`the embedded DynamoDB process exited (${code ?? signal}) before it was ready`)));
  });
  let closing: Promise<void> | undefined;
  let memoryQueries = 0;
  return {
    endpoint,
    pid: child.pid!,
    memory: () =>
      new Promise((ok, fail) => {
        if (!child.connected) return fail(new Error('the embedded DynamoDB process is not running'));
        const id = ++memoryQueries;
        const listener = (m: { type?: string; id?: number; heapUsedBytes?: number; rssBytes?: number }) => {
          if (m.type !== 'memory' || m.id !== id) return;
          child.off('message', listener);
          ok({ heapUsedBytes: m.heapUsedBytes!, rssBytes: m.rssBytes! });
        };
        child.on('message', listener);
        child.send({ type: 'memory', id });
      }),
    close: () =>
      (closing ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (child.connected) child.send({ type: 'close' });
        else child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const killed = new Promise<void>((ok) => {
          timer = setTimeout(() => {
            child.kill('SIGKILL');
            ok();
          }, CLOSE_GRACE_MS);
        });
        await Promise.race([exited, killed]);
        clearTimeout(timer);
        await exited;
      })()),
  };
}

/** Whether a process with this id is running (signal 0 tests for it without touching it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
