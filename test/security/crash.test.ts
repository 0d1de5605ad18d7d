import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG_ID } from '@safer-places/domain';
import { MAX_PAGE_SIZE } from '@safer-places/schemas';
import { DEFAULT_TABLE_NAME, IDEMPOTENCY_PENDING_SECONDS, createDocumentClient, keys } from '@safer-places/store';
import { EMBEDDED_ENDPOINT_FILE } from '@safer-places/store/embedded';
import { recordFigure } from './figures';

/**
 * Uploads through kill -9. The real local server (apps/api/src/local.ts, embedded DynamoDB on disk) runs as a child
 * process and is made to SIGKILL itself after exactly N store writes of a 500-camera upload sent with an
 * Idempotency-Key (SAFER_PLACES_CRASH_AFTER_WRITES, read only with NODE_ENV=test), for N across the whole upload: before
 * the first write, after the key's claim, after the journal and the staging record, after the first, half and all of
 * the items, just after the commit, after the journal's removal and the key's completion, and after the audit event
 * (the last write, before the answer). A clean upload run first lists the writes, so the points follow the code.
 *
 * After each crash the server is started again on the same data, with its clock past the key's in-flight hold (the
 * issue's case: before, the retry then stored all 500 again). Each crash point starts from its own copy of one seeded
 * data folder, so every point does the same work. Then: 0 or 500 of the upload's cameras are visible
 * (500 exactly when the commit landed), nothing half-written can be read by id, and after retrying with the same key
 * exactly 500 are stored, and nothing of the interrupted try is left in the table.
 *
 * Deterministic: the crash point is a count of writes, and every wait is for an event (the server's start-up line, its
 * exit, an HTTP answer); the timeouts only guard against hangs.
 */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SIZE = 500;
const HOLD_MS = (IDEMPOTENCY_PENDING_SECONDS + 1) * 1000;

const dir = mkdtempSync(join(tmpdir(), 'sp-crash-'));
/** Seeded once (demo data), then copied for the calibration and for each crash point. */
const template = join(dir, 'template');
const running = new Set<ChildProcess>();

function copyOfTemplate(name: string): string {
  const dataDir = join(dir, name);
  cpSync(template, dataDir, { recursive: true });
  return dataDir;
}

interface Server {
  url: string;
  dataDir: string;
  /** The store writes it logged (SAFER_PLACES_LOG_WRITES=1): "<command> <sort key>". */
  writes: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/**
 * Starts `node --import tsx apps/api/src/local.ts` on a data folder, its clock `clockOffsetMs` ahead; resolves on its
 * start-up line.
 */
async function startServer(dataDir: string, env: Record<string, string> = {}, clockOffsetMs = 0): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/local.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WEB_DIST: join(dir, 'no-web-build'),
      MAP_STYLE_URL: '',
      SAFER_PLACES_LOG_WRITES: '1',
      SAFER_PLACES_CLOCK_OFFSET_MS: String(clockOffsetMs),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const writes: string[] = [];
  // 'close', not 'exit': it comes after the last of its output has been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      ok({ code, signal });
    }),
  );
  let pending = '';
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const m = /^store write (\d+) (\S+) (.*)$/.exec(line);
      if (m) writes[Number(m[1]) - 1] = `${m[2]} ${m[3]}`;
    }
  });
  const ready = new Promise<string>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /is running at (http:\/\/\S+)/.exec(output);
      if (m) ok(m[1]!);
    });
    void exited.then(({ code, signal }) => fail(new Error(`the server exited (${code ?? signal}) before it was ready:\n${output.slice(-3000)}`)));
  });
  const url = await withTimeout(ready, 180_000, () => `the server did not start:\n${output.slice(-3000)}`);
  return {
    url,
    dataDir,
    writes,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await withTimeout(exited, 30_000, () => 'the server did not stop on SIGTERM').catch((err: unknown) => {
        child.kill('SIGKILL');
        throw err;
      });
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(what())), ms)))]).finally(() => clearTimeout(timer));
}

async function signIn(server: Server): Promise<string> {
  const res = await fetch(`${server.url}/api/dev/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role: 'planner' }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

const uploadBody = (tag: string) =>
  JSON.stringify({ items: Array.from({ length: SIZE }, (_, i) => ({ name: `${tag} #${i}`, type: 'fixed', location: { type: 'Point', coordinates: [-1.2 + (i % 50) * 1e-3, 53.0 + Math.floor(i / 50) * 1e-3] } })) });

function upload(server: Server, token: string, key: string, tag: string) {
  return fetch(`${server.url}/api/cameras/import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: uploadBody(tag),
  });
}

/** The names of every camera the API shows, page by page. */
async function visibleCameras(server: Server, token: string): Promise<{ id: string; name: string }[]> {
  const all: { id: string; name: string }[] = [];
  let after: string | null = null;
  do {
    const res = await fetch(`${server.url}/api/cameras?limit=${MAX_PAGE_SIZE}${after ? `&after=${encodeURIComponent(after)}` : ''}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { id: string; name: string }[]; next: string | null };
    all.push(...page.items);
    after = page.next;
  } while (after);
  return all;
}

/** What the table itself holds for the demo organisation's cameras, read from the running server's embedded store. */
async function tableState(server: Server) {
  const { endpoint } = JSON.parse(readFileSync(join(server.dataDir, EMBEDDED_ENDPOINT_FILE), 'utf8')) as { endpoint: string };
  const doc = createDocumentClient({ endpoint });
  try {
    const query = async (prefix: string) => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: DEFAULT_TABLE_NAME,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.orgPk(DEMO_ORG_ID), ':prefix': prefix },
            ExclusiveStartKey: start,
            ConsistentRead: true,
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    };
    const committed = new Map((await query(keys.upload(DEMO_ORG_ID, '').sk)).filter((r) => r.state === 'committed').map((r) => [String(r.uploadId), String(r.run)]));
    const cameras = await query(keys.assetPrefix('cameras'));
    const unfinished = cameras.filter((c) => c.uploadRun !== undefined && committed.get(String(c.uploadId)) !== c.uploadRun);
    return { unfinished: unfinished.map((c) => (c.data as { id: string }).id), journals: (await query(keys.uploadJournalPrefix)).length };
  } finally {
    doc.destroy();
  }
}

const named = <T extends { name: string }>(cameras: T[], tag: string) => cameras.filter((c) => c.name.startsWith(`${tag} #`));

interface CrashPoint {
  label: string;
  afterWrites: number;
}
let points: CrashPoint[] = [];
let commitAt = 0;
const results: { label: string; afterWrites: number; visibleAfterCrash: number; strandedAfterCrash: number; retry: string; final: number; leftBehind: number }[] = [];

beforeAll(async () => {
  const seeding = await startServer(template);
  await seeding.stop();
  // A clean upload, to list the writes an upload makes.
  const server = await startServer(copyOfTemplate('calibration'));
  try {
    const token = await signIn(server);
    const res = await upload(server, token, 'calibration', 'Calibration');
    expect(res.status).toBe(201);
    const writes = [...server.writes];
    const first = (re: RegExp) => writes.findIndex((w) => re.test(w)) + 1;
    const second = (re: RegExp) => writes.findIndex((w, i) => re.test(w) && writes.slice(0, i).some((x) => re.test(x))) + 1;
    const items = writes.flatMap((w, i) => (/ASSET#cameras#/.test(w) ? [i + 1] : []));
    expect(items).toHaveLength(SIZE);
    commitAt = second(/ UPLOAD#/);
    points = [
      { label: 'before the first write', afterWrites: 0 },
      { label: 'after the key was claimed', afterWrites: first(/ IDEMPOTENCY#/) },
      { label: 'after the upload journal', afterWrites: first(/ UPLOADING#/) },
      { label: 'after the staging record', afterWrites: first(/ UPLOAD#/) },
      { label: 'after the first camera', afterWrites: items[0]! },
      { label: 'half the cameras written', afterWrites: items[SIZE / 2 - 1]! },
      { label: 'all cameras written, before the commit', afterWrites: items[SIZE - 1]! },
      { label: 'just after the commit', afterWrites: commitAt },
      { label: 'after the journal was removed', afterWrites: second(/ UPLOADING#/) },
      { label: 'after the key was completed', afterWrites: second(/ IDEMPOTENCY#/) },
      { label: 'after the audit event, before the answer', afterWrites: writes.length },
    ];
    expect(points.every((p, i) => i === 0 || p.afterWrites > points[i - 1]!.afterWrites), JSON.stringify(points)).toBe(true);
    expect(commitAt).toBe(items[SIZE - 1]! + 1);
  } finally {
    await server.stop();
  }
}, 300_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  if (results.length === 0) return;
  const lost = results.reduce((n, r) => n + Math.max(0, SIZE - r.final), 0);
  const duplicated = results.reduce((n, r) => n + Math.max(0, r.final - SIZE), 0);
  recordFigure('Crash safety', 'crash points tried (SIGKILL, 500-camera upload)', `${results.length}: ${results.map((r) => `${r.label} (write ${r.afterWrites})`).join('; ')}`);
  recordFigure(
    'Crash safety',
    'cameras visible between crash and retry',
    `${results.filter((r) => r.visibleAfterCrash === 0).length} × 0, ${results.filter((r) => r.visibleAfterCrash === SIZE).length} × 500, ${results.filter((r) => r.visibleAfterCrash !== 0 && r.visibleAfterCrash !== SIZE).length} × anything else`,
  );
  recordFigure('Crash safety', 'unfinished items in the table after a crash (invisible, 404 by id)', `up to ${Math.max(...results.map((r) => r.strandedAfterCrash))} per crash`);
  recordFigure(
    'Crash safety',
    'retries with the same Idempotency-Key after the hold',
    `${results.filter((r) => r.retry === 'stored afresh').length} stored afresh, ${results.filter((r) => r.retry === 'replayed').length} answered from the committed upload`,
  );
  recordFigure('Crash safety', 'items lost after the retry', lost);
  recordFigure('Crash safety', 'items duplicated after the retry', duplicated);
  recordFigure('Crash safety', 'unfinished upload items left in the table after the retry', results.reduce((n, r) => n + r.leftBehind, 0));
});

describe('a 500-camera upload killed with SIGKILL at every step, then retried with the same Idempotency-Key', () => {
  for (let i = 0; i < 11; i++) {
    it(`crash point ${i + 1}`, async () => {
      const point = points[i]!;
      const tag = `Crash ${i + 1}`;
      const key = `crash-${i + 1}`;
      const committed = point.afterWrites >= commitAt;

      // 1. The upload, in a server that kills itself after `afterWrites` writes: no answer ever comes.
      const dataDir = copyOfTemplate(`point-${i + 1}`);
      const crashing = await startServer(dataDir, { SAFER_PLACES_CRASH_AFTER_WRITES: String(point.afterWrites) });
      const token = await signIn(crashing);
      const answer = await upload(crashing, token, key, tag).then(
        (res) => `answered ${res.status}`,
        () => 'no answer',
      );
      expect(answer, point.label).toBe('no answer');
      expect(await withTimeout(crashing.exited, 30_000, () => 'the server did not die')).toEqual({ code: null, signal: 'SIGKILL' });
      expect(crashing.writes.length, point.label).toBe(point.afterWrites);

      // 2. Started again on the same data, past the key's hold.
      const server = await startServer(dataDir, {}, HOLD_MS);
      try {
        const token2 = await signIn(server);
        const afterCrash = named(await visibleCameras(server, token2), tag);
        expect(afterCrash.length, `visible after dying ${point.label}`).toBe(committed ? SIZE : 0);
        // Whatever the dead try wrote and did not commit is not there for anyone, by id either.
        const stranded = (await tableState(server)).unfinished;
        if (committed) expect(stranded, point.label).toEqual([]);
        for (const id of stranded.slice(0, 5)) {
          const res = await fetch(`${server.url}/api/cameras/${id}`, { headers: { Authorization: `Bearer ${token2}` } });
          expect(res.status, `GET a camera the dead try left unfinished (${point.label})`).toBe(404);
        }

        // 3. The retry: stored afresh if the commit had not landed, else answered from what was stored.
        const retry = await upload(server, token2, key, tag);
        expect(retry.status, point.label).toBe(201);
        const replayed = retry.headers.get('Idempotent-Replayed') === 'true';
        expect(replayed, point.label).toBe(committed);
        const body = (await retry.json()) as { created: number; items: { id: string; name: string }[] };
        expect(body.created).toBe(SIZE);
        const final = named(await visibleCameras(server, token2), tag);
        expect(new Set(final.map((c) => c.name)).size).toBe(SIZE);
        expect(final.map((c) => c.id).sort()).toEqual(body.items.map((c) => c.id).sort());

        // 4. Once more: the key's record answers now, and still nothing is added.
        const again = await upload(server, token2, key, tag);
        expect(again.status).toBe(201);
        expect(again.headers.get('Idempotent-Replayed')).toBe('true');
        const table = await tableState(server);
        const outcome = {
          label: point.label,
          afterWrites: point.afterWrites,
          visibleAfterCrash: afterCrash.length,
          strandedAfterCrash: stranded.length,
          retry: replayed ? 'replayed' : 'stored afresh',
          final: named(await visibleCameras(server, token2), tag).length,
          leftBehind: table.unfinished.length + table.journals,
        };
        results.push(outcome);
        expect(outcome.final, point.label).toBe(SIZE);
        expect(table, point.label).toEqual({ unfinished: [], journals: 0 });
      } finally {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 180_000);
  }
});
