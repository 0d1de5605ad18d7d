import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The built web app the server serves: `apps/web/dist`, or another build named by SAFER_PLACES_WEB_DIST (e.g. one built with `vite build --outDir`). */
export const WEB_DIST = process.env.SAFER_PLACES_WEB_DIST ? resolve(process.env.SAFER_PLACES_WEB_DIST) : join(REPO_ROOT, 'apps/web/dist');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

export interface RunningApi {
  url: string;
  dataDir: string;
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real local server (`npx tsx apps/api/src/local.ts`) on a free port with a fresh data directory and
 * waits for /api/health. The first start seeds the synthetic demo data, so the wait is generous.
 */
export async function startApi(opts: { timeoutMs?: number; dataDir?: string; env?: Record<string, string> } = {}): Promise<RunningApi> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST} is missing:` + ' run `npm run build -w @safer-places/web` (or `npm run test:e2e` from the root, which builds first).');
  }
  const port = await freePort();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'safer-places-e2e-'));
  const url = `http://localhost:${port}`;
  let output = '';
  const child: ChildProcess = spawn('npx', ['tsx', 'apps/api/src/local.ts'], {
    cwd: REPO_ROOT,
    // opts.env: further settings, e.g. the COGNITO_* variables that replace the local sign-in (cognito-sign-in test).
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, WEB_DIST, MAP_STYLE_URL: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() also ends tsx's node child and the embedded database
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited: number | null = null;
  const exitedPromise = new Promise<void>((ok) => child.once('exit', (code) => ((exited = code ?? -1), ok())));

  const stop = async () => {
    if (exited === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 8000);
      await exitedPromise;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 240_000);
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`the local server exited (code ${exited}) before it was healthy:\n${output.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the local server did not answer /api/health within the timeout:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, dataDir, logs: () => output, stop };
}
