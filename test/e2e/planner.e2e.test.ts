import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonthsToDate } from '@safer-places/schemas';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { ARTIFACTS, apiJson, canvasPixels, launchChromium, openBrowserSession, signInAs, waitForMapIdle, waitForMapReady, waitForRendered, type BrowserSession } from './browser';
import { demo } from './demo';
import { importCounty } from './county';
import { startApi, type RunningApi } from './server';

/**
 * The planner's workflow in a real browser on the synthetic demo data: a patrol plan from a start chosen on the map
 * (visiting order, straight-line distance, dosage), its GPX parsed by the browser's XML parser, the printable sheet,
 * coverage gaps with a camera dropped on the map, new camera sites from an uploaded list, a re-deployable camera moved,
 * help points, a patrol visit logged and the month's report; then a viewer's read-only view. A second part runs the
 * patrol plan and the gap analysis on the real Nottinghamshire data when it is there.
 */

const POINTS = 'planning-points-symbol';
const CELLS = 'planning-cells-fill';
const ROUTE = 'planning-route-line';

let session: BrowserSession;
let api: RunningApi;
let page: Page;
let pageErrors: string[];

async function waitForPlanner(p: Page): Promise<void> {
  const panel = p.getByTestId('planner-panel');
  await panel.getByTestId('planner-loading').waitFor({ state: 'detached', timeout: 90_000 });
  await waitForMapIdle(p);
}

/** The planner's rendered point features with a given key prefix, with their coordinates. */
async function plannerPoints(p: Page, prefix: string): Promise<{ key: string; coordinates: [number, number] }[]> {
  return p.evaluate(
    ([layer, prefix]) =>
      window
        .__saferPlacesMap!.queryRenderedFeatures({ layers: [layer] })
        .filter((f) => String(f.properties.key).startsWith(prefix))
        .map((f) => ({ key: String(f.properties.key), coordinates: f.geometry.coordinates as unknown as [number, number] })),
    [POINTS, prefix] as const,
  );
}

/** Metres between two lon/lat points on a local flat projection (plenty within a town). */
function metres(a: [number, number], b: [number, number]): number {
  const k = (Math.PI / 180) * 6_371_008.8;
  return Math.hypot((a[0] - b[0]) * k * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180), (a[1] - b[1]) * k);
}

/** Opens (or folds away) the legend card; it folds itself beside a wide panel on a narrow map. For the screenshots. */
async function showLegend(p: Page, open = true): Promise<void> {
  const toggle = p.locator('.legend__head button');
  if ((await toggle.getAttribute('aria-expanded')) === String(!open)) await toggle.click();
}

const numberIn = (text: string) => Number(/([\d,]+)/.exec(text)![1]!.replace(/,/g, ''));
const northvale = demo.assets.cameras[0]!.input.location.coordinates;

beforeAll(async () => ({ api, page, pageErrors } = session = await openBrowserSession()), 300_000);
afterAll(() => session?.close());

describe('patrols and CCTV in a real browser (demo data)', () => {
  let plan: { stops: { visit: number; rank: number; lon: number; lat: number; location: string; count: number; legM: number }[]; distance: { totalM: number; nearestNeighbourM: number; returnLegM: number }; start: { lon: number; lat: number } };

  it('opens from the left controls by keyboard, with its tabs', async () => {
    await page.goto(api.url);
    await signInAs(page, 'planner');
    await waitForMapReady(page);
    const open = page.getByRole('button', { name: 'Patrols and CCTV' });
    await open.focus();
    await page.keyboard.press('Enter');
    await expect(open.getAttribute('aria-expanded')).resolves.toBe('true');
    const panel = page.getByTestId('planner-panel');
    await panel.waitFor({ state: 'visible' });
    const tabs = panel.getByRole('tab');
    await expect(tabs.allInnerTexts()).resolves.toEqual(['Patrol plan', 'Coverage gaps', 'Camera sites', 'Rotation', 'Help points', 'Dosage log']);
    await expect(panel.getByRole('tab', { name: 'Patrol plan' }).getAttribute('aria-selected')).resolves.toBe('true');
    // The arrow keys move between tabs (ARIA tabs pattern), and back.
    await panel.getByRole('tab', { name: 'Patrol plan' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(panel.getByRole('tab', { name: 'Coverage gaps' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.keyboard.press('ArrowLeft');
    await expect(panel.getByRole('tab', { name: 'Patrol plan' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(panel.getByTestId('planner-start').innerText()).resolves.toMatch(/No start chosen yet/);
  });

  it('builds a patrol plan from a start chosen on the map: the visiting order, the straight-line distance and the dosage', async () => {
    const panel = page.getByTestId('planner-panel');
    await page.evaluate(([lon, lat]) => window.__saferPlacesMap!.fitBounds([[lon - 0.05, lat - 0.03], [lon + 0.05, lat + 0.03]], { duration: 0 }), northvale);
    await waitForMapIdle(page);
    // A beat team patrols its own town: only hot spots in the map view.
    const view = await page.evaluate(() => {
      const b = (window.__saferPlacesMap as unknown as { getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number } }).getBounds();
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(5)).join(',');
    });
    await panel.getByLabel('Only the map view (a beat or town)').check();
    await expect(panel.getByTestId('planner-area').innerText()).resolves.toMatch(/km × [\d.]+ km/);
    await panel.getByRole('button', { name: 'Choose the start on the map' }).click();
    await page.getByTestId('planner-pick-hint').waitFor({ state: 'visible' });
    const [px] = await canvasPixels(page, [[northvale[0] + 0.012, northvale[1] - 0.006]]);
    await page.mouse.click(px!.x, px!.y);
    await page.getByTestId('planner-pick-hint').waitFor({ state: 'detached' });
    await waitForPlanner(page);
    await panel.getByTestId('planner-stops').waitFor({ state: 'visible' });
    await waitForRendered(page, ROUTE, 'some');

    const start = (await plannerPoints(page, 'start'))[0]!.coordinates;
    expect(metres(start, [northvale[0] + 0.012, northvale[1] - 0.006])).toBeLessThan(60); // where the click landed, within a few pixels
    const q = `start=${start[0].toFixed(6)},${start[1].toFixed(6)}&bbox=${view}`;
    plan = await apiJson(page, `/api/planning/patrol?${q}`);
    const box = view.split(',').map(Number);
    for (const s of plan.stops) expect(s.lon >= box[0]! && s.lon <= box[2]! && s.lat >= box[1]! && s.lat <= box[3]!).toBe(true);
    const rows = panel.getByTestId('planner-stops').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(11); // ten stops and the way back
    for (const [i, s] of plan.stops.entries()) {
      const text = await rows.nth(i).innerText();
      expect(text).toContain(s.location);
      expect(text).toContain(s.count.toLocaleString('en-GB'));
    }
    // The straight-line distance, checked independently: the legs in the order shown, and the way back.
    const path: [number, number][] = [[plan.start.lon, plan.start.lat], ...plan.stops.map((s) => [s.lon, s.lat] as [number, number]), [plan.start.lon, plan.start.lat]];
    const length = path.slice(1).reduce((sum, p, i) => sum + metres(path[i]!, p), 0);
    expect(Math.abs(length - plan.distance.totalM) / plan.distance.totalM).toBeLessThan(0.01);
    // Never longer than going to the nearest unvisited spot each time (computed here, from the same spots).
    let at: [number, number] = [plan.start.lon, plan.start.lat];
    const left = plan.stops.map((s) => [s.lon, s.lat] as [number, number]);
    let nn = 0;
    while (left.length > 0) {
      left.sort((a, b) => metres(at, a) - metres(at, b));
      nn += metres(at, left[0]!);
      at = left.shift()!;
    }
    nn += metres(at, [plan.start.lon, plan.start.lat]);
    expect(plan.distance.totalM).toBeLessThanOrEqual(nn * 1.01);
    const distance = await panel.getByTestId('planner-distance').innerText();
    expect(distance).toMatch(/km in straight lines, there and back/);
    expect(distance).toMatch(/Nearest neighbour alone/);
    await expect(panel.getByTestId('planner-dosage').innerText()).resolves.toMatch(/Twice a day: 30 minutes at each spot/);
    // Ten numbered stops and the start on the map, the route under them; the legend says what they are.
    await expect(plannerPoints(page, 'stop-')).resolves.toHaveLength(10);
    const legend = await page.getByTestId('legend-planning').innerText();
    expect(legend).toMatch(/Start \(police station or depot\)/);
    expect(legend).toMatch(/Hot spot, numbered in visiting order/);
    expect(legend).toMatch(/Route, straight lines/);
    await showLegend(page);
    await panel.getByTestId('planner-patrol-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'planner-patrol-1280x800.png') });
    await showLegend(page, false); // the card would cover the map where the next tests click
  });

  it('downloads the plan as GPX 1.1 that an XML parser reads, with the stops in visiting order', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download GPX' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^patrol-plan-\d{4}-\d{2}-to-\d{4}-\d{2}\.gpx$/);
    const gpx = readFileSync((await download.path())!, 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const ns = 'http://www.topografix.com/GPX/1/1';
      const root = doc.documentElement;
      return {
        error: doc.getElementsByTagName('parsererror').length > 0,
        root: root.localName,
        namespace: root.namespaceURI,
        version: root.getAttribute('version'),
        creator: root.getAttribute('creator'),
        children: Array.from(root.children).map((c) => c.localName),
        waypoints: Array.from(doc.getElementsByTagNameNS(ns, 'wpt')).map((w) => ({
          name: w.getElementsByTagNameNS(ns, 'name')[0]!.textContent,
          lat: Number(w.getAttribute('lat')),
          lon: Number(w.getAttribute('lon')),
        })),
        routePoints: doc.getElementsByTagNameNS(ns, 'rtept').length,
      };
    }, gpx);
    expect(parsed).toMatchObject({ error: false, root: 'gpx', namespace: 'http://www.topografix.com/GPX/1/1', version: '1.1', creator: 'Safer Places', routePoints: 12 });
    expect(parsed.children).toEqual(['metadata', ...plan.stops.map(() => 'wpt'), 'rte']);
    expect(parsed.waypoints.map((w) => w.name)).toEqual(plan.stops.map((s) => `${s.visit}. ${s.location}`));
    expect(parsed.waypoints.map((w) => [w.lon, w.lat])).toEqual(plan.stops.map((s) => [Number(s.lon.toFixed(6)), Number(s.lat.toFixed(6))]));
  });

  it('opens a printable patrol sheet with the route map and the ordered list, and prints only the sheet', async () => {
    await page.getByRole('button', { name: 'Patrol sheet (print)' }).click();
    const sheet = page.getByTestId('patrol-sheet');
    await sheet.waitFor({ state: 'visible' });
    await expect(sheet.locator('svg circle').count()).resolves.toBe(10);
    const rows = sheet.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(10);
    expect(await rows.first().innerText()).toContain(plan.stops[0]!.location);
    await page.screenshot({ path: join(ARTIFACTS, 'planner-sheet-1280x800.png') });
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#root').isVisible()).resolves.toBe(false);
    await expect(sheet.isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Print' }).isVisible()).resolves.toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'planner-sheet-print-1280x800.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'screen' });
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    await expect(page.getByTestId('planner-panel').isVisible()).resolves.toBe(true);
  });

  it('finds coverage gaps, and a camera dropped on the map changes the figures as the API says', async () => {
    const panel = page.getByTestId('planner-panel');
    await panel.getByRole('tab', { name: 'Coverage gaps' }).click();
    await waitForPlanner(page);
    const figures = panel.getByTestId('planner-coverage-figures');
    await figures.waitFor({ state: 'visible' });
    await waitForRendered(page, CELLS, 'some');
    const base = await apiJson<{ crimes: number; before: { crimesCovered: number; gapCells: number; spotGaps: number }; gapList: { lon: number; lat: number; location: string }[] }>(page, '/api/planning/coverage', {
      method: 'POST',
      body: { dataset: demo.summary.id, categories: ['all-crime'], from: '2024-01', to: '2024-12', top: 10 },
    });
    expect(numberIn(await panel.getByTestId('planner-gap-cells').locator('.planner-now').innerText())).toBe(base.before.gapCells);
    expect(await panel.getByTestId('planner-covered').innerText()).toContain(`${base.before.crimesCovered.toLocaleString('en-GB')} of ${base.crimes.toLocaleString('en-GB')} crimes`);

    // Look at the busiest gap, then drop a PTZ camera on it with the mouse.
    const gap = base.gapList[0]!;
    await panel.getByTestId('planner-gap-list').getByRole('button', { name: gap.location }).first().click();
    await waitForMapIdle(page);
    await panel.getByLabel('Camera type').selectOption('ptz');
    await panel.getByRole('button', { name: 'Drop a camera on the map' }).click();
    const [px] = await canvasPixels(page, [[gap.lon, gap.lat]]);
    await page.mouse.click(px!.x, px!.y);
    await waitForPlanner(page);
    await panel.getByTestId('planner-proposed-figures').waitFor({ state: 'visible' });
    const dropped = (await plannerPoints(page, 'proposed-'))[0]!.coordinates;
    const what = await apiJson<{ after: { crimesCovered: number; gapCells: number } }>(page, '/api/planning/coverage', {
      method: 'POST',
      body: { dataset: demo.summary.id, categories: ['all-crime'], from: '2024-01', to: '2024-12', top: 10, proposed: [{ location: { type: 'Point', coordinates: dropped }, type: 'ptz' }] },
    });
    expect(what.after.crimesCovered).toBeGreaterThan(base.before.crimesCovered);
    expect(await panel.getByTestId('planner-covered').locator('.planner-after').innerText()).toContain(`with proposed: ${what.after.crimesCovered.toLocaleString('en-GB')} of`);
    expect(numberIn(await panel.getByTestId('planner-gap-cells').locator('.planner-after').innerText())).toBe(what.after.gapCells);
    await expect(page.getByTestId('legend-planning').innerText()).resolves.toMatch(/Hot cell \(100 m\) no camera covers[\s\S]*Proposed camera/);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(400);
    await showLegend(page);
    await figures.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'planner-gaps-1024x700.png') });
    await showLegend(page, false);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('chooses new camera sites greedily, from an uploaded list of feasible sites too', async () => {
    const panel = page.getByTestId('planner-panel');
    await panel.getByRole('tab', { name: 'Camera sites' }).click();
    await waitForPlanner(page);
    const picks = panel.getByTestId('planner-picks').locator('tbody tr');
    await expect(picks.count()).resolves.toBe(5);
    const gains = (await picks.allInnerTexts()).map((t) => numberIn(t.split('\t')[2]!));
    for (let i = 1; i < gains.length; i++) expect(gains[i]).toBeLessThanOrEqual(gains[i - 1]!);

    // Three feasible sites and a row in the wrong order (latitude first): the bad row is skipped and named.
    const file = join(mkdtempSync(join(tmpdir(), 'planner-sites-')), 'feasible-sites.csv');
    const sites: [number, number][] = [[northvale[0] + 0.002, northvale[1]], [northvale[0] - 0.003, northvale[1] + 0.002], [northvale[0] + 0.02, northvale[1] + 0.01]];
    writeFileSync(file, ['site,longitude,latitude', ...sites.map((s, i) => `Lamp column ${i + 1},${s[0].toFixed(6)},${s[1].toFixed(6)}`), `Swapped,${northvale[1]},${northvale[0]}`].join('\n'));
    await panel.getByTestId('planner-sites-file').setInputFiles(file);
    await panel.getByTestId('planner-candidates').filter({ hasText: /Your 3 feasible sites from feasible-sites\.csv/ }).waitFor({ state: 'visible' });
    await expect(panel.getByText(/1 skipped \(line 5: .*swapped/).isVisible()).resolves.toBe(true);
    await waitForPlanner(page);
    await expect(panel.getByTestId('planner-picks').locator('caption').innerText()).resolves.toMatch(/from 3 candidates/);
    const onMap = await plannerPoints(page, 'site-');
    for (const p of onMap) expect(sites.some((s) => metres(s, p.coordinates) < 1)).toBe(true);
    await showLegend(page);
    await panel.getByTestId('planner-sites-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'planner-sites-1280x800.png') });
  });

  it('suggests next sites for re-deployable cameras and moves one, logging a three-month deployment', async () => {
    const panel = page.getByTestId('planner-panel');
    await panel.getByRole('tab', { name: 'Rotation' }).click();
    await waitForPlanner(page);
    const cards = panel.getByTestId('planner-rotation-camera');
    // The tab may not have started loading when waitForPlanner looked: wait for the answer itself.
    await cards.first().waitFor({ state: 'visible', timeout: 60_000 });
    const card = cards.first();
    const name = (await card.locator('h3').innerText()).trim();
    await card.getByRole('button', { name: 'Move here' }).first().click();
    await page.locator('.toast').filter({ hasText: 'deployment logged for three months' }).waitFor({ state: 'visible', timeout: 60_000 });
    await waitForPlanner(page);
    const deployments = await apiJson<{ items: { cameraId: string; startDate: string; endDate: string; siteName: string }[] }>(page, '/api/camera-deployments');
    expect(deployments.items).toHaveLength(1);
    const d = deployments.items[0]!;
    expect(d.endDate).toBe(addMonthsToDate(d.startDate, 3));
    const camera = await apiJson<{ name: string; location: { coordinates: [number, number] } }>(page, `/api/cameras/${d.cameraId}`);
    expect(camera.name).toBe(name);
    await expect(panel.getByTestId('planner-rotation-camera').filter({ hasText: name }).innerText()).resolves.toMatch(new RegExp(`At ${d.siteName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} since`));
    await page.screenshot({ path: join(ARTIFACTS, 'planner-rotation-1280x800.png') });
  });

  it('suggests help points for VAWG-related hot spots far from any', async () => {
    const panel = page.getByTestId('planner-panel');
    await panel.getByRole('tab', { name: 'Help points' }).click();
    await waitForPlanner(page);
    const h = await apiJson<{ suggested: number; spots: { suggest: boolean }[] }>(page, `/api/planning/help-points?dataset=${demo.summary.id}&from=2024-01&to=2024-12&top=10&distanceM=300`);
    expect(numberIn(await panel.getByTestId('planner-help-summary').innerText())).toBe(h.suggested);
    await expect(panel.getByTestId('planner-help-spots').locator('tbody tr').count()).resolves.toBe(10);
    await expect(panel.getByTestId('planner-help-areas').innerText()).resolves.toMatch(/Kelsworth Night-time Economy/);
    await waitForRendered(page, 'planning-circles-outline', 'some');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(400);
    await panel.getByTestId('planner-help-spots').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // let the scrolled rows paint
    await page.screenshot({ path: join(ARTIFACTS, 'planner-help-points-1024x700.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('logs a visit to a spot of the plan and reports the month’s hours and crimes', async () => {
    const panel = page.getByTestId('planner-panel');
    await panel.getByRole('tab', { name: 'Patrol plan' }).click();
    await waitForPlanner(page);
    await panel.getByTestId('planner-stops').locator('tbody tr').first().getByRole('button', { name: 'Log a visit' }).click();
    await expect(panel.getByRole('tab', { name: 'Dosage log' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(panel.getByLabel('Hot spot').inputValue()).resolves.toContain(plan.stops[0]!.location);
    await panel.getByLabel('Date').fill('2024-11-14');
    await panel.getByLabel('Minutes at the spot').fill('20');
    await panel.getByLabel('Officer role').selectOption('pcso');
    await panel.getByRole('button', { name: 'Log the visit' }).click();
    await page.locator('.toast').filter({ hasText: 'logged (20 minutes)' }).waitFor({ state: 'visible' });
    await waitForPlanner(page);
    const report = await apiJson<{ spots: { spotName: string; month: { visits: number; hours: number; crimes: number; asb: number } }[] }>(page, `/api/planning/dosage?month=2024-11`);
    const row = report.spots.find((s) => s.spotName === plan.stops[0]!.location)!;
    expect(row.month).toMatchObject({ visits: 1, hours: 0.3 });
    const table = panel.getByTestId('planner-dosage-table');
    expect(await table.locator('tbody').first().innerText()).toContain(plan.stops[0]!.location);
    const shown = await table.getByTestId('planner-dosage-month').first().innerText();
    expect(shown.split('\t')).toEqual(['November 2024', '1', '0.3', row.month.crimes.toLocaleString('en-GB'), row.month.asb.toLocaleString('en-GB')]);
    expect(await table.getByTestId('planner-dosage-before').first().innerText()).toMatch(/^Before, a month \(3 months\)/);
    await expect(panel.getByTestId('planner-dosage-summary').innerText()).resolves.toMatch(/November 2024: 1 visit, 0\.3 hours of patrol at 1 spot/);
    await waitForRendered(page, POINTS, 'some');
    await panel.getByTestId('planner-dosage-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'planner-dosage-1280x800.png') });
  });

  it('lets a viewer read everything but record nothing', async () => {
    await page.getByTestId('planner-panel').getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs(page, 'viewer');
    await waitForMapReady(page);
    await page.getByRole('button', { name: 'Patrols and CCTV' }).click();
    const panel = page.getByTestId('planner-panel');
    await panel.getByRole('tab', { name: 'Dosage log' }).click();
    await waitForPlanner(page);
    await expect(panel.getByRole('button', { name: 'Log the visit' }).count()).resolves.toBe(0);
    await panel.getByRole('tab', { name: 'Rotation' }).click();
    await waitForPlanner(page);
    await expect(panel.getByRole('button', { name: 'Move here' }).count()).resolves.toBe(0);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(ARTIFACTS, 'planner-rotation-viewer-1024x700.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(pageErrors).toEqual([]);
  });
});

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

describe.runIf(sharedDataAvailable)('patrols and CCTV on imported real data', () => {
  let real: RunningApi;
  let browser: Browser;
  let p: Page;

  beforeAll(async () => {
    const dataDir = await importCounty('planner', { deprivation: false });
    real = await startApi({ dataDir });
    browser = await launchChromium();
    p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await p.goto(real.url);
    await signInAs(p, 'planner');
    await waitForMapReady(p);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await real?.stop();
  });

  it('plans a patrol of the top 10 spots in Nottingham city centre, from its centre, with their street names', async () => {
    await p.getByRole('button', { name: 'Patrols and CCTV' }).click();
    const panel = p.getByTestId('planner-panel');
    await p.evaluate(() => window.__saferPlacesMap!.fitBounds([[-1.175, 52.935], [-1.125, 52.97]], { duration: 0 }));
    await waitForMapIdle(p);
    await panel.getByLabel('Only the map view (a beat or town)').check();
    await panel.getByRole('button', { name: 'Use the map centre' }).click();
    await waitForPlanner(p);
    const rows = panel.getByTestId('planner-stops').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(11);
    expect(await rows.first().innerText()).toMatch(/On or near /);
    const km = Number(/([\d.]+) km in straight lines/.exec(await panel.getByTestId('planner-distance').innerText())![1]);
    expect(km).toBeGreaterThan(1);
    expect(km).toBeLessThan(25); // a city-centre beat, not the county
    await waitForRendered(p, ROUTE, 'some');
    await p.screenshot({ path: join(ARTIFACTS, 'planner-real-patrol-1280x800.png') });
  });

  it('finds the county’s hot cells with no camera (the imported data has none), and sites for new ones', async () => {
    const panel = p.getByTestId('planner-panel');
    await panel.getByRole('tab', { name: 'Coverage gaps' }).click();
    await waitForPlanner(p);
    const cells = numberIn(await panel.getByTestId('planner-gap-cells').locator('.planner-now').innerText());
    expect(cells).toBeGreaterThan(100);
    await expect(panel.getByTestId('planner-spot-gaps').innerText()).resolves.toMatch(/10 of 10/);
    await waitForRendered(p, CELLS, 'some');
    await panel.getByRole('tab', { name: 'Camera sites' }).click();
    await waitForPlanner(p);
    await expect(panel.getByTestId('planner-picks').locator('tbody tr').count()).resolves.toBe(5);
    await p.screenshot({ path: join(ARTIFACTS, 'planner-real-sites-1280x800.png') });
  });
});
