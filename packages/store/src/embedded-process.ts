/**
 * The embedded DynamoDB's own process: started by `startEmbeddedDynamoProcess` (./embedded.ts) with the data folder
 * as its only argument (none: in memory) and an IPC channel to its parent. It answers `{ type: 'ready', endpoint }`
 * once it accepts requests, and stops (closing LevelDB cleanly) on `{ type: 'close' }`, on SIGTERM, or when the IPC
 * channel closes because the parent is gone, however it went. SIGINT is ignored: Ctrl-C reaches the whole process
 * group, and the parent decides when the store stops. `{ type: 'memory', id }` is answered with its heap after a
 * full garbage collection and its RSS (diagnostics, the leak test).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EMBEDDED_ENDPOINT_FILE, isProcessAlive, startEmbeddedDynamo, type EmbeddedDynamo } from './embedded';

/**
 * How long to wait for a previous store on the same folder (still closing, e.g. just after its server was killed) to
 * let go of LevelDB's lock, which only one process can hold.
 */
const LOCK_WAIT_MS = 20_000;

const send = (message: Record<string, unknown>) => {
  if (process.connected) process.send!(message);
};

/** Waits until no other live process is named in the folder's marker file as holding its store. */
async function waitForPreviousOwner(dir: string): Promise<void> {
  const marker = join(dirname(dir), EMBEDDED_ENDPOINT_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    let pid: number | undefined;
    try {
      pid = (JSON.parse(readFileSync(marker, 'utf8')) as { pid?: number }).pid;
    } catch {
      return; // no marker (or a half-written one): nobody announced holding it
    }
    if (pid === undefined || pid === process.pid || !isProcessAlive(pid)) return;
    if (Date.now() > deadline) {
      throw new Error(`process ${pid} still holds the store in ${dir} (another local server or import on the same DATA_DIR?); stop it first`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

if (!process.send) {
  console.error('embedded-process.ts is started by startEmbeddedDynamoProcess (it needs an IPC channel to its parent)');
  process.exit(2);
}

let stopping = false;
let store: EmbeddedDynamo | undefined;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try {
    await store?.close();
  } finally {
    process.exit(0);
  }
};
process.on('SIGINT', () => {});
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
let collectGarbage: (() => void) | undefined;
process.on('message', (m: { type?: string; id?: number }) => {
  if (m?.type === 'close') void stop();
  if (m?.type === 'memory') {
    if (!collectGarbage) {
      setFlagsFromString('--expose-gc');
      collectGarbage = runInNewContext('gc') as () => void;
    }
    collectGarbage();
    const { heapUsed, rss } = process.memoryUsage();
    send({ type: 'memory', id: m.id, heapUsedBytes: heapUsed, rssBytes: rss });
  }
});

try {
  const dir = process.argv[2] || undefined;
  if (dir) await waitForPreviousOwner(dir);
  store = await startEmbeddedDynamo(dir ? { dir } : {});
  if (stopping) await store.close();
  else send({ type: 'ready', endpoint: store.endpoint });
} catch (err) {
  send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
