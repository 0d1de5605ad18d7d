import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { LAYER_LABEL, launchChromium, signInAs, waitForMapReady } from '../e2e/browser';
import { startApi, type RunningApi } from '../e2e/server';
import { BENCH, importNational, openStore, percentile, type Store } from '../support/national/bench-setup';
import { generateNational } from '../support/national/generate';

/**
 * Map frame times over England with every LSOA shaded (issue #15's goal: Chromium pan/zoom with all LSOAs shaded, no
 * frame over 100 ms, measured with a performance trace).
 *
 * Set-up: a SYNTHETIC national month (test/support/national: all 33,755 England LSOAs with their real boundaries and
 * IoD 2025 scores; crimes made up, MAP_BENCH_FRACTION of a month, default 0.05) imported into an embedded store; the
 * real local server (`apps/api/src/local.ts`, serving apps/web/dist) on that store, which also seeds its synthetic
 * county demo dataset beside it; headless Chromium at 1280×800 signed in as an analyst, on the national dataset with
 * the whole dataset as its place (`?scope=study-area`: the LSOA layer draws every LSOA of the tiles, unfiltered).
 *
 * The run: a fixed sequence of animated moves (England → London at zooms 6…9 → Manchester → England), the map
 * idle (loaded, not moving) before each, recorded with a Chromium performance trace (CDP Tracing). A frame is the
 * interval between consecutive DrawFrame events of the page's compositor while a move animates (the first from the
 * move's start mark); in-page requestAnimationFrame deltas are the cross-check, and the longest main-thread task per
 * move (RunTask, including the settling after the move while tiles arrive) is reported beside them.
 *
 * The same sequence runs four times in the same browser: the national dataset shaded (cold: tiles fetched and cut
 * for the first time), with the LSOA layer hidden (baseline 1), the county-only demo dataset shaded (baseline 2), and
 * the national dataset shaded again (warm). Ratios are against the baselines of the same run. Nothing is asserted:
 * headless Chromium here draws WebGL in software (--disable-gpu), so absolute figures are far above a real GPU's.
 *
 * MAP_BENCH_PROFILE=<folder>: each run also takes a CPU profile of the page's main thread (CDP Profiler), written to
 * <folder>/<run>.cpuprofile (open it in Chromium's DevTools), and the report lists the functions with the most self
 * time. Build the web app unminified (`vite build --minify false`, named by SAFER_PLACES_WEB_DIST) to read the names.
 */
if (!sharedDataAvailable && mustHaveSharedData) throw new Error(`shared data missing at ${SHARED_DATA}`);

const DATASET = 'national';
const TABLE = 'map-frames-bench';
const FRACTION = Number(process.env.MAP_BENCH_FRACTION ?? 0.05);
const ENGLAND: [[number, number], [number, number]] = [[-6.4, 49.85], [1.8, 55.85]];
const LONDON: [number, number] = [-0.12, 51.5];
const MANCHESTER: [number, number] = [-2.24, 53.48];
/** A long-frame threshold: the goal's. */
const GOAL_MS = 100;
const IDLE_TIMEOUT_MS = 180_000;
/** Where CPU profiles go (MAP_BENCH_PROFILE); none taken without it. */
const PROFILE_DIR = process.env.MAP_BENCH_PROFILE ?? '';
/** Functions listed per profile, by self time. */
const PROFILE_TOP = 18;

/** One animated move of the sequence, run in the page. */
type Move =
  | { label: string; kind: 'ease'; center: [number, number]; zoom: number; duration: number }
  | { label: string; kind: 'fit'; bounds: [[number, number], [number, number]]; duration: number };

const SEQUENCE: Move[] = [
  { label: 'England → London z6', kind: 'ease', center: LONDON, zoom: 6, duration: 1500 },
  { label: 'London z6 → z7', kind: 'ease', center: LONDON, zoom: 7, duration: 1200 },
  { label: 'London z7 → z8', kind: 'ease', center: LONDON, zoom: 8, duration: 1200 },
  { label: 'London z8 → z9', kind: 'ease', center: LONDON, zoom: 9, duration: 1200 },
  { label: 'pan London → Manchester z9', kind: 'ease', center: MANCHESTER, zoom: 9, duration: 2000 },
  { label: 'Manchester z9 → z7', kind: 'ease', center: MANCHESTER, zoom: 7, duration: 1200 },
  { label: 'fit England', kind: 'fit', bounds: ENGLAND, duration: 1500 },
];

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'toplevel',
  'blink.user_timing',
].join(',');

/** The MapLibre calls this bench makes beyond test/e2e/globals.d.ts's E2eMap (the page's map is MapLibre's Map). */
interface BenchMap {
  cameraForBounds(bounds: [[number, number], [number, number]], options: { padding: number }): { center: [number, number]; zoom?: number } | undefined;
  jumpTo(options: { center: [number, number]; zoom: number; bearing: number; pitch: number }): void;
  easeTo(options: { center: [number, number]; zoom: number; duration: number; essential: boolean }): void;
  fitBounds(bounds: [[number, number], [number, number]], options: { padding: number; duration: number; essential: boolean }): void;
  once(event: 'moveend', listener: () => void): void;
  getLayer(id: string): unknown;
  getLayoutProperty(layer: string, name: string): unknown;
  queryRenderedFeatures(options: { layers: string[] }): { properties: Record<string, unknown>; state: Record<string, unknown> }[];
}

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { message?: string; frames?: { processId?: number; url?: string }[] } };
}

interface MoveFigures {
  label: string;
  /** Frame intervals while the move animated (ms), from the trace. */
  frames: number[];
  /** requestAnimationFrame deltas in the page while the move animated (ms). */
  raf: number[];
  /** The longest renderer main-thread task from the move's start until the map was idle again (ms). */
  longestTask: number;
  /** From the move's start until the map was idle again (ms). */
  settleMs: number;
}

interface RunFigures {
  name: string;
  moves: MoveFigures[];
  shadedInView: number;
  valuedInView: number;
  drawnInView: number;
  traceEvents: number;
  drawFrames: number;
  notes: string[];
  /** The functions with the most self time on the page's main thread (MAP_BENCH_PROFILE only). */
  hotFunctions: string[];
}

/** The parts of a CDP Profiler.Profile this bench reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** Self time per function (name, file, line) of a CPU profile, most first, as report lines. */
function hotFunctions(profile: CpuProfile, top: number): string[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the delta to the next sample.
    const dt = (deltas[i + 1] ?? 0) / 1000;
    const frame = byNode.get(samples[i]!)?.callFrame;
    if (!frame) continue;
    const file = frame.url.split('/').pop() || '(native)';
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => `${ms.toFixed(0).padStart(6)} ms ${((100 * ms) / Math.max(total, 1e-9)).toFixed(1).padStart(5)} %  ${key}`);
}

let store: Store;
let api: RunningApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let out = '';
let crimes = 0;
let importSeconds = 0;
let demoId = '';
const runs: RunFigures[] = [];
const pageErrors: string[] = [];
const statsAnswers: string[] = [];
/** API requests the page made that failed (status 400 and up): a map that never gets ready says why. */
const failedRequests: string[] = [];
let loadAtStart = '';
let loadAtEnd = '';

const loadAverage = async () => {
  const { loadavg } = await import('node:os');
  return loadavg().map((x) => x.toFixed(2)).join(', ');
};

async function waitIdle(p: Page): Promise<void> {
  await p.waitForFunction(() => window.__saferPlacesMap!.loaded() && !window.__saferPlacesMap!.isMoving(), undefined, { timeout: IDLE_TIMEOUT_MS, polling: 100 });
}

/** Puts the map on the whole of England without animation and waits until everything is drawn. */
async function resetToEngland(p: Page): Promise<void> {
  await p.evaluate((b) => {
    const map = window.__saferPlacesMap as unknown as BenchMap;
    const cam = map.cameraForBounds(b, { padding: 20 });
    map.jumpTo({ center: cam!.center, zoom: cam!.zoom!, bearing: 0, pitch: 0 });
  }, ENGLAND);
  await waitIdle(p);
  await p.waitForTimeout(500);
  await waitIdle(p);
}

/** LSOAs drawn in the view now, and how many of them carry a choropleth class (shaded with a value). */
async function lsoasInView(p: Page): Promise<{ drawn: number; shaded: number; valued: number }> {
  return p.evaluate(() => {
    const map = window.__saferPlacesMap as unknown as BenchMap;
    if (!map.getLayer('lsoa-fill') || map.getLayoutProperty('lsoa-fill', 'visibility') === 'none') return { drawn: 0, shaded: 0, valued: 0 };
    const drawn = new Set<string>();
    const shaded = new Set<string>();
    const valued = new Set<string>();
    for (const f of map.queryRenderedFeatures({ layers: ['lsoa-fill'] })) {
      const code = String(f.properties.code);
      drawn.add(code);
      const state = f.state as { class?: number; value?: number | null };
      if (typeof state.class === 'number' && state.class >= 0) shaded.add(code);
      if (typeof state.value === 'number') valued.add(code);
    }
    return { drawn: drawn.size, shaded: shaded.size, valued: valued.size };
  });
}

/** Runs one move in the page: marks its start and end in the trace, records rAF deltas while it animates. */
async function runMove(p: Page, move: Move, index: number): Promise<{ raf: number[] }> {
  return p.evaluate(
    ({ move, index }) =>
      new Promise<{ raf: number[] }>((resolve) => {
        const map = window.__saferPlacesMap as unknown as BenchMap;
        const raf: number[] = [];
        let last = performance.now();
        let running = true;
        const tick = (t: number) => {
          raf.push(t - last);
          last = t;
          if (running) requestAnimationFrame(tick);
        };
        map.once('moveend', () => {
          running = false;
          console.timeStamp(`mapbench:end:${index}`);
          resolve({ raf: raf.slice(1) });
        });
        console.timeStamp(`mapbench:start:${index}`);
        last = performance.now();
        requestAnimationFrame(tick);
        if (move.kind === 'ease') map.easeTo({ center: move.center, zoom: move.zoom, duration: move.duration, essential: true });
        else map.fitBounds(move.bounds, { padding: 20, duration: move.duration, essential: true });
      }),
    { move, index },
  );
}

/** Reads a finished trace from its stream. */
async function collectTrace(session: CDPSession): Promise<TraceEvent[]> {
  const done = new Promise<string>((resolve) => session.once('Tracing.tracingComplete', (e) => resolve(e.stream!)));
  await session.send('Tracing.end');
  const stream = await done;
  let text = '';
  for (;;) {
    const chunk = await session.send('IO.read', { handle: stream, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await session.send('IO.close', { handle: stream });
  const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** Runs the sequence once under a trace and turns the trace into per-move frame figures. */
async function runSequence(name: string): Promise<RunFigures> {
  const notes: string[] = [];
  await resetToEngland(page);
  const view = await lsoasInView(page);
  if (PROFILE_DIR) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReturnAsStream' });
  const settle: number[] = [];
  const rafs: number[][] = [];
  for (const [i, move] of SEQUENCE.entries()) {
    const t = performance.now();
    const { raf } = await runMove(page, move, i);
    await waitIdle(page);
    await page.evaluate((i) => console.timeStamp(`mapbench:idle:${i}`), i);
    settle.push(performance.now() - t);
    rafs.push(raf);
  }
  const events = await collectTrace(cdp);
  let hot: string[] = [];
  if (PROFILE_DIR) {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    await cdp.send('Profiler.disable');
    mkdirSync(PROFILE_DIR, { recursive: true });
    const file = join(PROFILE_DIR, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    hot = [`profile: ${file}`, ...hotFunctions(profile, PROFILE_TOP)];
  }

  // The page's renderer: the process whose main thread logged the marks.
  const marks = new Map<string, TraceEvent>();
  for (const e of events) if (e.name === 'TimeStamp' && e.args?.data?.message?.startsWith('mapbench:')) marks.set(e.args.data.message, e);
  const anyMark = marks.get('mapbench:start:0');
  if (!anyMark) throw new Error(`the trace (${events.length} events) holds none of the page's marks: cannot tell the moves apart`);
  const pid = anyMark.pid;
  const mainTid = anyMark.tid;
  // DrawFrame: one per compositor frame drawn for the page. Several threads may log it; the busiest is the compositor.
  const draws = events.filter((e) => e.pid === pid && e.name === 'DrawFrame');
  const byThread = new Map<number, number[]>();
  for (const e of draws) byThread.set(e.tid, [...(byThread.get(e.tid) ?? []), e.ts]);
  let drawTimes = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (drawTimes.length === 0) {
    // Fall back to any process's DrawFrame (the viz process in some builds) and say so.
    const all = events.filter((e) => e.name === 'DrawFrame');
    const perPid = new Map<string, number[]>();
    for (const e of all) perPid.set(`${e.pid}/${e.tid}`, [...(perPid.get(`${e.pid}/${e.tid}`) ?? []), e.ts]);
    drawTimes = [...perPid.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    notes.push(`no DrawFrame in the page's renderer; used the busiest other thread's (${drawTimes.length})`);
  }
  drawTimes.sort((a, b) => a - b);
  const tasks = events.filter((e) => e.pid === pid && e.tid === mainTid && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && typeof e.dur === 'number');

  const moves: MoveFigures[] = SEQUENCE.map((move, i) => {
    const start = marks.get(`mapbench:start:${i}`)?.ts;
    const end = marks.get(`mapbench:end:${i}`)?.ts;
    const idle = marks.get(`mapbench:idle:${i}`)?.ts;
    if (start === undefined || end === undefined || idle === undefined) {
      notes.push(`move ${i} (${move.label}): marks missing in the trace`);
      return { label: move.label, frames: [], raf: rafs[i]!.filter((d) => d > 0), longestTask: NaN, settleMs: settle[i]! };
    }
    // The frame that shows the end position is drawn just after moveend: allow one frame's slack past the end mark.
    const next = drawTimes.find((t) => t > end);
    const stop = next !== undefined && next - end < 1_000_000 ? next : end;
    const inside = drawTimes.filter((t) => t > start && t <= stop);
    const frames: number[] = [];
    let prev = start;
    for (const t of inside) {
      frames.push((t - prev) / 1000);
      prev = t;
    }
    const longestTask = Math.max(0, ...tasks.filter((e) => e.ts + e.dur! > start && e.ts < idle).map((e) => e.dur! / 1000));
    return { label: move.label, frames, raf: rafs[i]!.filter((d) => d > 0), longestTask, settleMs: settle[i]! };
  });
  return { name, moves, shadedInView: view.shaded, valuedInView: view.valued, drawnInView: view.drawn, traceEvents: events.length, drawFrames: drawTimes.length, notes, hotFunctions: hot };
}

beforeAll(async () => {
  if (!sharedDataAvailable) return;
  loadAtStart = await loadAverage();
  out = mkdtempSync(join(tmpdir(), 'sp-map-frames-bench-'));
  const result = await generateNational({ out, dataDir: SHARED_DATA, months: 1, startMonth: BENCH.startMonth, fraction: FRACTION, seed: BENCH.seed });
  store = await openStore(TABLE);
  const imported = await importNational(store, SHARED_DATA, result, DATASET);
  importSeconds = imported.seconds;
  crimes = imported.report.crimes?.imported ?? 0;
  // The real local server (with the web app) on the store the national data went into; it seeds the demo beside it.
  api = await startApi({ env: { DYNAMODB_ENDPOINT: store.dynamo.endpoint, TABLE_NAME: TABLE } });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(IDLE_TIMEOUT_MS);
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // What the LSOA statistics requests (the figures the shading comes from) answered: a shading without classes says why.
  page.on('response', (res) => {
    const u = new URL(res.url());
    if (u.pathname.startsWith('/api/') && res.status() >= 400 && failedRequests.length < 20) failedRequests.push(`${res.status()} ${u.pathname}${u.search}`);
    if (u.pathname === '/api/lsoas/stats') statsAnswers.push(`${u.searchParams.get('dataset') ?? '?'} ${u.searchParams.get('scope') ?? ''} → ${res.status()}`);
  });
  await page.goto(`${api.url}/?scope=study-area`);
  await signInAs(page, 'analyst');
  await waitForMapReady(page, IDLE_TIMEOUT_MS);
  const picker = page.locator('.dataset-picker select');
  const options = await picker.locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '' })));
  demoId = options.find((o) => o.value !== DATASET && /synthetic/i.test(o.text))?.value ?? '';
  if ((await picker.inputValue()) !== DATASET) await picker.selectOption(DATASET);
  await chooseStudyArea();
  cdp = await context.newCDPSession(page);
}, 1_800_000);

/** The whole dataset as the place (the URL names it; the picker is the fallback), then the map ready again. */
async function chooseStudyArea(): Promise<void> {
  const select = page.getByTestId('scope-select');
  await page.waitForFunction(() => !(document.querySelector('[data-testid="scope-select"]') as HTMLSelectElement | null)?.disabled, undefined, { timeout: IDLE_TIMEOUT_MS });
  if ((await select.inputValue()) !== 'study-area') await select.selectOption('study-area');
  // Crime counts as the measure: the national set has no population (no rate) and counts come from the crime month.
  const measure = page.getByLabel('Measure', { exact: true });
  if ((await measure.inputValue()) !== 'count') await measure.selectOption('count');
  await waitForMapReady(page, IDLE_TIMEOUT_MS);
  await waitIdle(page);
}

afterAll(async () => {
  if (!sharedDataAvailable) return;
  loadAtEnd = await loadAverage();
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  const summary = (xs: number[]) => ({ n: xs.length, max: xs.length ? Math.max(...xs) : NaN, p95: percentile(xs, 0.95), p50: percentile(xs, 0.5), over: xs.filter((x) => x > GOAL_MS).length });
  const lines: string[] = [
    `\nmap frames over England (SYNTHETIC crimes: ${crimes.toLocaleString('en-GB')} in ${FRACTION} of a national month; 33,755 real LSOA boundaries; imported in ${importSeconds.toFixed(0)} s); headless Chromium 1280×800, software WebGL (--disable-gpu); load average at start ${loadAtStart}, at end ${loadAtEnd}:`,
  ];
  const totals = new Map<string, ReturnType<typeof summary> & { raf: ReturnType<typeof summary>; task: number }>();
  for (const run of runs) {
    const all = run.moves.flatMap((m) => m.frames);
    const raf = run.moves.flatMap((m) => m.raf);
    const s = { ...summary(all), raf: summary(raf), task: Math.max(0, ...run.moves.map((m) => m.longestTask).filter(Number.isFinite)) };
    totals.set(run.name, s);
    lines.push(
      `  ${run.name}: LSOAs drawn at the England view ${run.drawnInView.toLocaleString('en-GB')} (${run.shadedInView.toLocaleString('en-GB')} with a class, ${run.valuedInView.toLocaleString('en-GB')} with a value); trace ${run.traceEvents.toLocaleString('en-GB')} events, ${run.drawFrames} DrawFrame`,
      `    trace frames ${s.n}, longest ${f(s.max)} ms, p95 ${f(s.p95)} ms, p50 ${f(s.p50)} ms, over ${GOAL_MS} ms: ${s.over} (goal 0); rAF deltas ${s.raf.n}, longest ${f(s.raf.max)} ms, p95 ${f(s.raf.p95)} ms, over ${GOAL_MS} ms: ${s.raf.over}; longest main-thread task ${f(s.task)} ms`,
    );
    for (const m of run.moves) {
      const ms = summary(m.frames);
      lines.push(`      ${m.label.padEnd(28)} frames ${String(ms.n).padStart(3)}, longest ${f(ms.max).padStart(7)} ms, p95 ${f(ms.p95).padStart(7)} ms, >${GOAL_MS} ms ${ms.over}; rAF longest ${f(m.raf.length ? Math.max(...m.raf) : NaN)} ms; longest task ${f(m.longestTask)} ms; idle after ${f(m.settleMs)} ms`);
    }
    for (const n of run.notes) lines.push(`    note: ${n}`);
    if (run.hotFunctions.length) lines.push(`    main-thread self time (CPU profile, sampled every 0.5 ms):`, ...run.hotFunctions.map((h) => `      ${h}`));
  }
  const ratio = (a: string, b: string, k: 'max' | 'p95') => {
    const x = totals.get(a)?.[k];
    const y = totals.get(b)?.[k];
    return x !== undefined && y !== undefined && y > 0 ? `${(x / y).toFixed(2)}×` : 'n/a';
  };
  const shaded = 'national, all LSOAs shaded (warm)';
  for (const base of ['national, LSOA layer hidden', 'county demo dataset, shaded']) {
    lines.push(`  ${shaded} ÷ ${base}: longest frame ${ratio(shaded, base, 'max')}, p95 ${ratio(shaded, base, 'p95')}`);
  }
  lines.push(`  LSOA statistics answers: ${statsAnswers.length ? statsAnswers.slice(0, 12).join('; ') : 'none'}`);
  if (failedRequests.length) lines.push(`  failed API requests: ${failedRequests.join('; ')}`);
  if (pageErrors.length) lines.push(`  page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
  console.log(lines.join('\n'));
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await api?.stop();
  store?.doc.destroy();
  await store?.dynamo.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe.runIf(sharedDataAvailable)('map frames over England with every LSOA shaded', () => {
  bench(
    'pan and zoom sequence: national shaded (cold, warm) against the LSOA layer hidden and the county demo',
    async () => {
      runs.push(await runSequence('national, all LSOAs shaded (cold)'));
      const lsoaBox = page.getByRole('checkbox', { name: LAYER_LABEL.lsoas });
      await lsoaBox.uncheck();
      await page.waitForFunction(() => window.__saferPlacesMap!.getLayoutProperty('lsoa-fill', 'visibility') === 'none', undefined, { timeout: IDLE_TIMEOUT_MS });
      runs.push(await runSequence('national, LSOA layer hidden'));
      await lsoaBox.check();
      await page.waitForFunction(() => window.__saferPlacesMap!.getLayoutProperty('lsoa-fill', 'visibility') !== 'none', undefined, { timeout: IDLE_TIMEOUT_MS });
      if (demoId) {
        await page.locator('.dataset-picker select').selectOption(demoId);
        await chooseStudyArea();
        runs.push(await runSequence('county demo dataset, shaded'));
        await page.locator('.dataset-picker select').selectOption(DATASET);
        await chooseStudyArea();
      }
      runs.push(await runSequence('national, all LSOAs shaded (warm)'));
    },
    // warmupTime 0 as well: tinybench's warm-up loops until its time (100 ms) has passed, which would run it twice.
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
});
