import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createLocalTokenService } from '@safer-places/api';
import { monthRange } from '@safer-places/schemas';
import { POLICE_COLUMNS, importFiles } from '@safer-places/importer';
import { DynamoReferenceRepository, createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { withFaults, type FaultCounts, type FaultPlan } from '../support/faulty-dynamo';
import { recordFigure } from './figures';

/**
 * Transient DynamoDB faults — throttling, timeouts (also after the write really happened) and partial batch writes —
 * injected between the code and a real embedded store. A crime import must end with exactly what a clean import
 * stores (nothing lost, nothing counted twice), and the API must answer 503 + Retry-After, never 500, without leaving
 * half an upload behind.
 */

// ---- a small synthetic county: 40 square LSOAs and two years of police.uk-style street crime ----

const DATASET = 'faults';
const GRID = { cols: 8, rows: 5, size: 0.01, lon0: -1.25, lat0: 53.0 };
const CODES = Array.from({ length: GRID.cols * GRID.rows }, (_, i) => `E01${String(90001 + i)}`);
const MONTHS = monthRange('2023-01', '2024-12');
/** Months a later file replaces with fewer rows: 3 stored chunks become 2, so the old tail must be deleted. */
const REPLACED = ['2024-04', '2024-05', '2024-06'];
const CATEGORIES = ['Anti-social behaviour', 'Burglary', 'Criminal damage and arson', 'Shoplifting', 'Vehicle crime', 'Violence and sexual offences', 'Other theft', 'Drugs'];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function boundaries() {
  return {
    type: 'FeatureCollection',
    features: CODES.map((code, i) => {
      const x = GRID.lon0 + (i % GRID.cols) * GRID.size;
      const y = GRID.lat0 + Math.floor(i / GRID.cols) * GRID.size;
      const ring = [[x, y], [x + GRID.size, y], [x + GRID.size, y + GRID.size], [x, y + GRID.size], [x, y]].map(([a, b]) => [Number(a!.toFixed(6)), Number(b!.toFixed(6))]);
      return {
        type: 'Feature',
        properties: { LSOA21CD: code, LSOA21NM: `Faultshire ${String(i + 1).padStart(3, '0')}A`, LAD24CD: 'E07000998', LAD24NM: 'Faultshire' },
        geometry: { type: 'Polygon', coordinates: [ring] },
      };
    }),
  };
}

const cell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** One month's street CSV: every 17th row an ASB row without a Crime ID, every 53rd without coordinates, a few exact repeats. */
function streetCsv(month: string, rows: number, tag: string): string {
  const next = rng(createHash('sha256').update(`${tag}/${month}`).digest().readUInt32LE(0));
  const lines = [POLICE_COLUMNS.join(',')];
  for (let i = 0; i < rows; i++) {
    const sq = Math.floor(next() * CODES.length);
    const lon = GRID.lon0 + (sq % GRID.cols) * GRID.size + 0.0005 + next() * (GRID.size - 0.001);
    const lat = GRID.lat0 + Math.floor(sq / GRID.cols) * GRID.size + 0.0005 + next() * (GRID.size - 0.001);
    const asb = i % 17 === 0;
    const located = i % 53 !== 0;
    const values: Record<string, string | number> = {
      'Crime ID': asb ? '' : createHash('sha256').update(`${tag}/${month}/${i}`).digest('hex'),
      Month: month,
      'Reported by': 'Faultshire Police',
      'Falls within': 'Faultshire Police',
      Longitude: located ? lon.toFixed(6) : '',
      Latitude: located ? lat.toFixed(6) : '',
      Location: located ? `On or near Street ${Math.floor(next() * 60)}` : 'No Location',
      'LSOA code': located ? CODES[sq]! : '',
      'LSOA name': located ? `Faultshire ${String(sq + 1).padStart(3, '0')}A` : '',
      'Crime type': asb ? 'Anti-social behaviour' : CATEGORIES[1 + Math.floor(next() * (CATEGORIES.length - 1))]!,
      'Last outcome category': asb ? '' : 'Under investigation',
      Context: '',
    };
    const line = POLICE_COLUMNS.map((c) => cell(values[c] ?? '')).join(',');
    lines.push(line);
    if (i % 401 === 5) lines.push(line); // published twice: must be stored once
  }
  return lines.join('\n') + '\n';
}

// ---- what a dataset holds, to compare a faulty import with a clean one ----

interface Snapshot {
  summary: { crimeCount: number; firstMonth: string | null; lastMonth: string | null; lsoaCount: number };
  lsoas: string[];
  /** Per month: every stored crime as one line (id, LSOA, category, place, outcome), sorted. */
  crimes: Map<string, string[]>;
  /** Per month: the stored per-LSOA category counts. */
  counts: Map<string, string>;
}

async function snapshot(reference: DynamoReferenceRepository): Promise<Snapshot> {
  const summary = (await reference.getDataset(DATASET))!;
  const crimes = new Map<string, string[]>();
  const counts = new Map<string, string>();
  for (const month of MONTHS) {
    const blocks = await reference.getCrimeBlocks(DATASET, [month]);
    crimes.set(month, blocks.flatMap((b) => b.crimes.map((c) => [c.id, b.lsoaCode, c.category, c.lon, c.lat, c.location, c.outcome].join('|'))).sort());
  }
  for (const m of await reference.getMonthlyCounts(DATASET, MONTHS[0]!, MONTHS.at(-1)!)) {
    counts.set(m.month, JSON.stringify([...m.counts].sort(([a], [b]) => a.localeCompare(b))));
  }
  return {
    summary: { crimeCount: summary.crimeCount, firstMonth: summary.firstMonth, lastMonth: summary.lastMonth, lsoaCount: summary.lsoaCount },
    lsoas: (await reference.listLsoas(DATASET)).map((l) => l.code).sort(),
    crimes,
    counts,
  };
}

/** Crimes a clean import has that this one lacks (lost), and crimes this one has beyond the clean one (doubled or stale). */
function difference(clean: Snapshot, other: Snapshot) {
  let lost = 0;
  let extra = 0;
  for (const month of MONTHS) {
    const want = new Map<string, number>();
    for (const k of clean.crimes.get(month) ?? []) want.set(k, (want.get(k) ?? 0) + 1);
    for (const k of other.crimes.get(month) ?? []) {
      const n = want.get(k) ?? 0;
      if (n > 0) want.set(k, n - 1);
      else extra++;
    }
    for (const n of want.values()) lost += n;
  }
  return { lost, extra };
}

function expectSame(clean: Snapshot, other: Snapshot) {
  expect(other.summary).toEqual(clean.summary);
  expect(other.lsoas).toEqual(clean.lsoas);
  for (const month of MONTHS) {
    expect(other.crimes.get(month)?.length, month).toBe(clean.crimes.get(month)?.length);
    expect(other.crimes.get(month), month).toEqual(clean.crimes.get(month));
    expect(other.counts.get(month), month).toEqual(clean.counts.get(month));
  }
  expect(difference(clean, other)).toEqual({ lost: 0, extra: 0 });
}

/**
 * A clock that ticks one second per reading: import reports are stored under their finishing time, so with a real
 * clock their keys, and so the faults they meet, would differ from run to run.
 */
function tickingClock(start = Date.parse('2026-03-01T09:00:00Z')) {
  let t = start;
  return () => new Date((t += 1000));
}

const describeCounts = (c: FaultCounts) =>
  `${c.throttles} throttles, ${c.timeouts} timeouts (${c.timeoutsAfterWrite} after the write), ${c.partialBatches} partial batches (${c.unprocessedItems} items handed back) injected over ${c.calls} calls`;

// ---- setup ----

let dynamo: EmbeddedDynamo;
let doc: ReturnType<typeof createDocumentClient>;
let dir: string;
let filesA: string[];
let filesB: string[];
let boundaryFile: string;
let cleanA: Snapshot;
let cleanB: Snapshot;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  dir = mkdtempSync(join(tmpdir(), 'sp-faults-'));
  boundaryFile = join(dir, 'lsoa21-boundaries.geojson');
  writeFileSync(boundaryFile, JSON.stringify(boundaries()));
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  filesA = MONTHS.map((m) => {
    const f = join(dir, 'a', `${m}-faultshire-street.csv`);
    writeFileSync(f, streetCsv(m, 3400, 'a'));
    return f;
  });
  filesB = REPLACED.map((m) => {
    const f = join(dir, 'b', `${m}-faultshire-street.csv`);
    writeFileSync(f, streetCsv(m, 2300, 'b'));
    return f;
  });

  // The reference: the same imports with no faults.
  await ensureTable(doc, 'clean');
  const clean = new DynamoReferenceRepository(doc, 'clean');
  await importFiles([boundaryFile, ...filesA], { reference: clean, datasetId: DATASET, now: tickingClock() });
  cleanA = await snapshot(clean);
  await importFiles(filesB, { reference: clean, datasetId: DATASET, now: tickingClock() });
  cleanB = await snapshot(clean);
}, 180_000);

afterAll(async () => {
  doc?.destroy();
  await dynamo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('crime import under injected faults', () => {
  const plan: FaultPlan = { seed: 2026, throttle: 0.15, timeout: 0.1, timeoutAfterWrite: 0.5, partialBatch: 0.5, target: 'all', timeoutDelayMs: 5 };

  it('the fixture really has months of several chunks, replaced by shorter ones', () => {
    expect(cleanA.summary.crimeCount).toBeGreaterThan(MONTHS.length * 3000);
    for (const m of REPLACED) expect(cleanB.crimes.get(m)!.length).toBeLessThan(cleanA.crimes.get(m)!.length);
  });

  it('completes, and stores exactly what a clean import stores: 0 lost, 0 doubled', async () => {
    await ensureTable(doc, 'faulty');
    const faulty = withFaults(doc, plan);
    const reference = new DynamoReferenceRepository(faulty.client, 'faulty');
    const checker = new DynamoReferenceRepository(doc, 'faulty');

    const first = await importFiles([boundaryFile, ...filesA], { reference, datasetId: DATASET, now: tickingClock() });
    expect(first.crimes!.monthsReplaced).toEqual(MONTHS);
    const afterA = await snapshot(checker);
    expectSame(cleanA, afterA);

    const second = await importFiles(filesB, { reference, datasetId: DATASET, now: tickingClock() });
    expect(second.crimes!.monthsReplaced).toEqual(REPLACED);
    const afterB = await snapshot(checker);
    expectSame(cleanB, afterB);

    const c = faulty.counts;
    expect(c.throttles).toBeGreaterThan(10);
    expect(c.timeoutsAfterWrite).toBeGreaterThan(3);
    expect(c.partialBatches).toBeGreaterThan(10);
    const { lost, extra } = difference(cleanB, afterB);
    recordFigure('Faults', 'crime import under injected faults', `${describeCounts(c)}; ${cleanB.summary.crimeCount} crimes: ${lost} lost, ${extra} doubled`);
  });

  it('an import cut off by an outage fails loudly, and running it again converges to the clean result', async () => {
    await ensureTable(doc, 'outage');
    const faulty = withFaults(doc, plan);
    const reference = new DynamoReferenceRepository(faulty.client, 'outage');
    const checker = new DynamoReferenceRepository(doc, 'outage');
    await importFiles([boundaryFile, ...filesA], { reference, datasetId: DATASET, now: tickingClock() });
    expectSame(cleanA, await snapshot(checker));

    // No other faults, and every call refused from the 2nd write of the next import on: the first replaced month's
    // new chunks are written, the deletion of its old tail is not. Short retries, so the outage outlasts them quickly.
    const writesBefore = faulty.counts.writes;
    faulty.setPlan({ throttle: 0, timeout: 0, partialBatch: 0, outage: (c) => c.writes >= writesBefore + 2 });
    const cut = new DynamoReferenceRepository(faulty.client, 'outage', { retry: { attempts: 3, baseDelayMs: 5 }, batchRetry: { attempts: 3, baseDelayMs: 5 } });
    const failure = await importFiles(filesB, { reference: cut, datasetId: DATASET, now: tickingClock() }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(failure?.name).toMatch(/Throttl/);
    const damage = difference(cleanB, await snapshot(checker));
    expect(damage.extra).toBeGreaterThan(0); // the first replaced month holds its new chunks and its old tail

    faulty.setPlan({ ...plan, outage: undefined });
    await importFiles(filesB, { reference, datasetId: DATASET, now: tickingClock() });
    const after = await snapshot(checker);
    expectSame(cleanB, after);
    const { lost, extra } = difference(cleanB, after);
    recordFigure(
      'Faults',
      'crime import cut off by an outage, then run again',
      `first run failed (${failure!.name}) leaving ${damage.extra} stale/doubled and ${damage.lost} missing crimes; the re-run converged: ${lost} lost, ${extra} doubled`,
    );
  });
});

describe('API writes and reads under injected faults', () => {
  const tokens = createLocalTokenService(new TextEncoder().encode('faults-test-secret-faults-test-secret'));
  let token: string;
  let n = 0;
  const ids = { newId: () => `fault-${String(++n).padStart(6, '0')}` };
  const logged: Record<string, unknown>[] = [];
  const statuses = new Map<number, number>();
  const check503 = async (res: Response) => {
    const body = (await res.json()) as { error: string; detail: string };
    expect(res.headers.get('Retry-After')).toBe('2');
    expect(body.error).toBe('unavailable');
    expect(body.detail).toMatch(/busy.*nothing was changed/);
  };

  beforeAll(async () => {
    await ensureTable(doc, 'api');
    clean = dynamoPorts(doc, 'api');
    token = (await tokens.issue({ userId: 'planner-1', orgId: 'fault-org', role: 'planner' })).token;
  });

  function appOver(plan: FaultPlan) {
    const faulty = withFaults(doc, plan);
    const now = tickingClock();
    const app = createApp({ ...dynamoPorts(faulty.client, 'api'), verifier: tokens.verifier, ids, clock: { now }, log: (e) => void logged.push(e) });
    return { faulty, app };
  }
  let clean: ReturnType<typeof dynamoPorts>;
  async function call(app: ReturnType<typeof createApp>, method: string, path: string, body?: unknown) {
    const res = await app.request(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    return res;
  }
  const cameraBody = (name: string, i: number) => ({ name, type: 'fixed', location: { type: 'Point', coordinates: [-1.15 + (i % 100) * 1e-4, 52.95] } });
  const storedNames = async () => {
    const names = new Map<string, number>();
    for (const c of await clean.assets.list('fault-org', 'cameras')) names.set(c.name, (names.get(c.name) ?? 0) + 1);
    return names;
  };

  let clientRetries = 0;
  let creates503 = 0;
  let afterWriteTimeouts = 0;

  it('single creates: 201 stored once, or 503 + Retry-After with nothing stored; a retry of the same body stores it once', async () => {
    // Three writes in four fail: the store's four tries often all fail, so some requests must give up.
    const { faulty, app } = appOver({ seed: 7, throttle: 0.45, timeout: 0.3, timeoutAfterWrite: 0.5, target: 'writes', timeoutDelayMs: 3 });
    const outcome = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const name = `Single ${i}`;
      const res = await call(app, 'POST', '/api/cameras', cameraBody(name, i));
      expect([201, 503], `${name}: ${res.status}`).toContain(res.status);
      if (res.status === 503) await check503(res);
      outcome.set(name, res.status);
    }
    const names = await storedNames();
    for (const [name, status] of outcome) expect(names.get(name) ?? 0, `${name} answered ${status}`).toBe(status === 201 ? 1 : 0);
    const failed = [...outcome].filter(([, s]) => s === 503).map(([name]) => name);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(40);
    expect(faulty.counts.timeoutsAfterWrite).toBeGreaterThan(0);
    creates503 = failed.length;

    // The client does what Retry-After says: the same body again, until it is saved.
    for (const name of failed) {
      for (let attempt = 0; ; attempt++) {
        expect(attempt).toBeLessThan(20);
        clientRetries++;
        const res = await call(app, 'POST', '/api/cameras', cameraBody(name, Number(name.split(' ')[1])));
        if (res.status === 201) break;
        expect(res.status).toBe(503);
        await check503(res);
      }
    }
    const after = await storedNames();
    for (const name of outcome.keys()) expect(after.get(name), name).toBe(1);
    afterWriteTimeouts += faulty.counts.timeoutsAfterWrite;
  });

  it('uploads of 50–300 items: all stored or none, 503 + Retry-After when none', async () => {
    const sizes = [50, 300, 120, 75, 260, 180, 90, 300, 140, 220];
    // Writes fail one time in six, and one upload meets a burst where every write is refused for a while.
    const { faulty, app } = appOver({ seed: 11, throttle: 0.1, timeout: 0.06, timeoutAfterWrite: 0.5, target: 'writes', timeoutDelayMs: 3 });
    const outcome: { u: number; size: number; status: number }[] = [];
    for (let u = 0; u < sizes.length; u++) {
      const size = sizes[u]!;
      if (u === 4) {
        // 100 or so puts in, every write is refused for 40 calls: more than the store's tries for the items in flight.
        const from = faulty.counts.writes + 100;
        faulty.setPlan({ outage: (c) => c.writes >= from && c.writes < from + 40 });
      }
      const items = Array.from({ length: size }, (_, j) => cameraBody(`Upload ${u} #${j}`, j));
      const res = await call(app, 'POST', '/api/cameras/import', { items });
      expect([201, 503], `upload ${u}: ${res.status}`).toContain(res.status);
      if (res.status === 503) await check503(res);
      else expect(((await res.json()) as { created: number }).created).toBe(size);
      outcome.push({ u, size, status: res.status });
    }
    const names = await storedNames();
    const storedOf = (u: number) => [...names].filter(([name]) => name.startsWith(`Upload ${u} #`)).reduce((s, [, k]) => s + k, 0);
    for (const { u, size, status } of outcome) expect(storedOf(u), `upload ${u} answered ${status}`).toBe(status === 201 ? size : 0);
    expect(outcome[4]!.status, 'the upload that met the burst').toBe(503);
    expect(outcome.some((o) => o.status === 201)).toBe(true);

    for (const { u, size, status } of outcome.filter((o) => o.status === 503)) {
      for (let attempt = 0; ; attempt++) {
        expect(attempt, `upload ${u} (${status})`).toBeLessThan(20);
        clientRetries++;
        const items = Array.from({ length: size }, (_, j) => cameraBody(`Upload ${u} #${j}`, j));
        const res = await call(app, 'POST', '/api/cameras/import', { items });
        expect([201, 503]).toContain(res.status);
        if (res.status === 201) break;
        await check503(res);
      }
    }
    const after = await storedNames();
    for (const { u, size } of outcome) {
      const stored = [...after].filter(([name]) => name.startsWith(`Upload ${u} #`));
      expect(stored.length, `upload ${u}`).toBe(size);
      expect(stored.every(([, k]) => k === 1), `upload ${u} stored once`).toBe(true);
    }
    afterWriteTimeouts += faulty.counts.timeoutsAfterWrite;
    const uploads503 = outcome.filter((o) => o.status === 503).length;
    const all503 = statuses.get(503) ?? 0;
    recordFigure(
      'Faults',
      'API writes under faults',
      `${all503} × 503 with Retry-After (first tries: ${creates503} of 40 creates, ${uploads503} of ${sizes.length} uploads of 50–300 items), ${statuses.get(201) ?? 0} × 201, 0 partial writes, ${statuses.get(500) ?? 0} × 500; ${afterWriteTimeouts} timeouts after the write resolved by reading back`,
    );
    recordFigure('Faults', 'client retries with the same body after 503', `${clientRetries} retries; afterwards every item stored exactly once, 0 duplicates`);
  });

  it('reads under throttling answer 503 with Retry-After, never 500', async () => {
    const { app } = appOver({ seed: 3, throttle: 1, target: 'reads' });
    const paths = ['/api/cameras', '/api/cameras/fault-000001', '/api/layers/cameras', '/api/datasets', '/api/help-points'];
    let unavailable = 0;
    for (const path of paths) {
      const res = await call(app, 'GET', path);
      expect([200, 503], `${path}: ${res.status}`).toContain(res.status);
      if (res.status === 503) {
        unavailable++;
        await check503(res);
      }
    }
    expect(unavailable).toBe(paths.length);
    const some = appOver({ seed: 4, throttle: 0.3, target: 'reads' });
    let ok = 0;
    for (let i = 0; i < 20; i++) if ((await call(some.app, 'GET', paths[i % paths.length]!)).status === 200) ok++;
    expect(statuses.get(500) ?? 0).toBe(0);
    recordFigure('Faults', 'API reads under throttling', `every read refused: ${unavailable} of ${paths.length} reads answered 503 with Retry-After; 30 % refused: ${ok} × 200 of 20 (retried in the store); 0 × 500`);
  });

  it('no 500 anywhere, and nothing logged as an unhandled error', () => {
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(logged.filter((e) => e.msg === 'unhandled error')).toEqual([]);
  });
});
