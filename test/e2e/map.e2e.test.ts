import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, REPO_ROOT, type RunningApi } from './server';
import {
  LAYER_LABEL,
  PRIMARY_LAYER,
  apiFromPage,
  findClickTarget,
  launchChromium,
  renderedCount,
  signInAs,
  waitForMapReady,
  waitForRendered,
  zoomToFirstFeature,
  type LayerName,
} from './browser';

const ARTIFACTS = join(REPO_ROOT, 'test/artifacts');
const LAYERS = Object.keys(PRIMARY_LAYER) as LayerName[];
const POINT_LAYERS = [PRIMARY_LAYER['help-points'], PRIMARY_LAYER.cameras];
const AREA_BLOCKERS = [...POINT_LAYERS, PRIMARY_LAYER['pspo-zones'], PRIMARY_LAYER['safer-streets-areas']];

let api: RunningApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  api = await startApi();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await api?.stop();
});

describe('Safer Places map in a real browser', () => {
  it('signs an analyst in through the UI and renders all five layers', async () => {
    await page.goto(api.url);
    await expect(page.getByRole('heading', { name: 'Safer Places', level: 1 }).isVisible()).resolves.toBe(true);
    await signInAs(page, 'analyst');
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toMatch(/Partnership analyst[\s\S]*Organisation/);
    await waitForMapReady(page);
    for (const layer of LAYERS) {
      const n = await waitForRendered(page, PRIMARY_LAYER[layer], 'some');
      expect(n, `${layer} rendered features`).toBeGreaterThan(0);
    }
  });

  it('shows the synthetic-data badge with its explanation', async () => {
    const badge = page.getByTestId('synthetic-badge');
    await expect(badge.isVisible()).resolves.toBe(true);
    await expect(badge.innerText()).resolves.toMatch(/Synthetic demo data/i);
    await expect(badge.getAttribute('title')).resolves.toMatch(/generated/);
  });

  it('hides and shows each layer with its checkbox', async () => {
    for (const layer of LAYERS) {
      const box = page.getByRole('checkbox', { name: LAYER_LABEL[layer] });
      await expect(box.isChecked()).resolves.toBe(true);
      await box.click();
      await expect(box.isChecked()).resolves.toBe(false);
      await waitForRendered(page, PRIMARY_LAYER[layer], 'none');
      expect(await renderedCount(page, PRIMARY_LAYER[layer])).toBe(0);
      await box.click();
      const n = await waitForRendered(page, PRIMARY_LAYER[layer], 'some');
      expect(n).toBeGreaterThan(0);
    }
  });

  it('is keyboard operable: a layer checkbox toggles with the space bar', async () => {
    const box = page.getByRole('checkbox', { name: LAYER_LABEL['help-points'] });
    await box.focus();
    await page.keyboard.press('Space');
    await waitForRendered(page, PRIMARY_LAYER['help-points'], 'none');
    await page.keyboard.press('Space');
    await waitForRendered(page, PRIMARY_LAYER['help-points'], 'some');
  });

  it('opens the side panel for a clicked LSOA with its name, code and crime count for the period', async () => {
    const target = await findClickTarget(page, PRIMARY_LAYER.lsoas, 'code', AREA_BLOCKERS);
    expect(target, 'an LSOA with a clear spot on screen').not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    const panel = page.getByTestId('lsoa-panel');
    await panel.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await panel.innerText();
    expect(text).toContain(target!.name);
    expect(text).toContain(target!.id);

    // The figure shown must be the server's figure for the same LSOA, category and period.
    const ds = await apiFromPage<{ datasets: { id: string; lastMonth: string }[]; defaultDatasetId: string }>(page, '/api/datasets');
    const dataset = ds.body.datasets.find((d) => d.id === ds.body.defaultDatasetId) ?? ds.body.datasets[0]!;
    const [y, m] = dataset.lastMonth.split('-').map(Number) as [number, number];
    const fromIdx = y * 12 + (m - 1) - 11;
    const from = `${Math.floor(fromIdx / 12)}-${String((fromIdx % 12) + 1).padStart(2, '0')}`;
    const stats = await apiFromPage<{ lsoas: { code: string; count: number }[]; from: string; to: string }>(
      page,
      `/api/lsoas/stats?dataset=${dataset.id}&category=all-crime&from=${from}&to=${dataset.lastMonth}`,
    );
    expect(stats.status).toBe(200);
    const row = stats.body.lsoas.find((r) => r.code === target!.id);
    const count = await page.getByTestId('lsoa-count').innerText();
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const label = (mm: string) => `${months[Number(mm.slice(5)) - 1]} ${mm.slice(0, 4)}`;
    const expectedCount = new Intl.NumberFormat('en-GB').format(row?.count ?? 0);
    expect(count).toBe(`${expectedCount} ${row?.count === 1 ? 'crime' : 'crimes'} in ${label(stats.body.from)} to ${label(stats.body.to)} (12 months)`);
    expect(text).toMatch(/crimes per 1,000 residents/);
    expect(text).toMatch(/IMD decile/);

    // The panel is its own column: it must not cover the legend.
    const legendBox = await page.locator('.legend').boundingBox();
    const panelBox = await panel.boundingBox();
    expect(legendBox && panelBox).toBeTruthy();
    expect(legendBox!.x + legendBox!.width).toBeLessThanOrEqual(panelBox!.x);
  });

  it('fits 1280×800 and 1024×700 without overlap or horizontal scrolling (screenshots in test/artifacts)', async () => {
    for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(400);
      await page.waitForFunction(() => {
        const map = window.__saferPlacesMap as unknown as { loaded(): boolean } | undefined;
        return !!map && map.loaded();
      });
      const layout = await page.evaluate(() => {
        const r = (sel: string) => document.querySelector(sel)?.getBoundingClientRect() ?? null;
        return {
          scrollWidth: document.documentElement.scrollWidth,
          scrollHeight: document.documentElement.scrollHeight,
          legend: r('.legend'),
          panel: r('.side-panel'),
          controls: r('.controls'),
          footer: r('.app-footer'),
          header: r('.app-header'),
        };
      });
      expect(layout.scrollWidth, `no horizontal scroll at ${width}`).toBeLessThanOrEqual(width);
      expect(layout.scrollHeight, `no page scroll at ${width}×${height}`).toBeLessThanOrEqual(height);
      expect(layout.legend!.right).toBeLessThanOrEqual(layout.panel!.left);
      expect(layout.legend!.left).toBeGreaterThanOrEqual(layout.controls!.right);
      expect(layout.legend!.bottom).toBeLessThanOrEqual(layout.footer!.top);
      expect(layout.legend!.top).toBeGreaterThanOrEqual(layout.header!.bottom);
      expect(layout.panel!.bottom).toBeLessThanOrEqual(layout.footer!.top + 1);
      await page.screenshot({ path: join(ARTIFACTS, `map-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('changes what the LSOA shading shows: category, IMD deciles and coverage circles', async () => {
    await page.keyboard.press('Escape');
    const legend = page.locator('.legend');
    await page.getByLabel('Crime type').selectOption('neighbourhood-crime');
    // The legend changes once the new statistics are in; only then is "ready" about the new figures.
    await legend.filter({ hasText: /Neighbourhood crime — \w{3} \d{4} to \w{3} \d{4} \(12 months\)/ }).waitFor({ timeout: 60_000 });
    await waitForMapReady(page);
    await expect(legend.innerText()).resolves.toMatch(/over-counts/);

    await page.getByLabel('Measure').selectOption('imd-decile');
    await legend.filter({ hasText: '10 – least deprived 10 %' }).waitFor({ timeout: 60_000 });
    await waitForMapReady(page);
    await expect(page.getByLabel('Crime type').isDisabled()).resolves.toBe(true);
    const legendText = await legend.innerText();
    expect(legendText).toMatch(/IMD decile \(1 = most deprived 10 %\)/);
    expect(legendText).toMatch(/1 – most deprived 10 %/);
    expect(legendText).toMatch(/10 – least deprived 10 %/);
    expect(legendText).not.toMatch(/over-counts/);

    // Every rendered LSOA is painted with the colour of its own decile (ColorBrewer RdYlBu, decile 1 = #a50026): the
    // decile is the server's, its class is the LSOA's feature state on the tiles, the colour the paint's class colour.
    const IMD = ['#a50026', '#d73027', '#f46d43', '#fdae61', '#fee090', '#e0f3f8', '#abd9e9', '#74add1', '#4575b4', '#313695'];
    const dataset = await apiFromPage<{ datasets: { id: string }[] }>(page, '/api/datasets');
    const statsBody = await apiFromPage<{ lsoas: { code: string; imdDecile: number | null }[] }>(page, `/api/lsoas/stats?dataset=${dataset.body.datasets[0]!.id}&scope=study-area`);
    const deciles = Object.fromEntries(statsBody.body.lsoas.map((r) => [r.code, r.imdDecile]));
    const mismatches = await page.evaluate(({ ramp, deciles }) => {
      const map = window.__saferPlacesMap!;
      const expr = map.getPaintProperty('lsoa-fill', 'fill-color') as unknown[];
      // ['match', ['coalesce', ['feature-state', 'class'], -1], 0, colour, 1, colour, …, no-data colour]
      const colourOf = new Map<number, string>();
      for (let i = 2; i < expr.length - 1; i += 2) colourOf.set(expr[i] as number, String(expr[i + 1]));
      const noData = String(expr[expr.length - 1]);
      const bad: string[] = [];
      let checked = 0;
      for (const f of map.queryRenderedFeatures({ layers: ['lsoa-fill'] })) {
        const code = String(f.properties.code);
        const d = deciles[code] ?? null;
        const state = map.getFeatureState({ source: 'sp-lsoas', sourceLayer: 'lsoas', id: code }) as { class?: number; value?: number | null };
        const want = d ? ramp[d - 1] : noData;
        const got = colourOf.get(state.class ?? -1) ?? noData;
        checked++;
        if (got !== want || (state.value ?? null) !== d) bad.push(`${code}: decile ${d} painted ${got} (state ${JSON.stringify(state)})`);
      }
      return { bad, checked };
    }, { ramp: IMD, deciles });
    expect(mismatches.checked).toBeGreaterThan(50);
    expect(mismatches.bad).toEqual([]);

    const coverage = page.getByRole('checkbox', { name: 'Camera coverage circles' });
    await coverage.check();
    await waitForRendered(page, 'coverage-fill', 'some');
    await page.screenshot({ path: join(ARTIFACTS, 'imd-coverage-1280x800.png') });
    await page.getByRole('checkbox', { name: LAYER_LABEL.cameras }).uncheck();
    await waitForRendered(page, 'coverage-fill', 'none');
    await expect(coverage.isDisabled()).resolves.toBe(true);
    await page.getByRole('checkbox', { name: LAYER_LABEL.cameras }).check();
    await waitForRendered(page, 'coverage-fill', 'some');
    await coverage.uncheck();
    await page.getByLabel('Measure').selectOption('rate');
    await page.getByLabel('Crime type').selectOption('all-crime');
    await legend.filter({ hasText: 'Crimes per 1,000 residents — All crime and ASB' }).waitFor({ timeout: 60_000 });
    await waitForMapReady(page);
  });

  it('lets an analyst edit a PSPO zone but not cameras', async () => {
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: 'Add camera here' }).count()).resolves.toBe(0);
    await zoomToFirstFeature(page, 'pspo-zones');
    const zone = await findClickTarget(page, PRIMARY_LAYER['pspo-zones'], 'id', POINT_LAYERS);
    expect(zone).not.toBeNull();
    await page.mouse.click(zone!.x, zone!.y);
    const panel = page.getByTestId('asset-panel');
    await panel.waitFor({ state: 'visible' });
    await expect(panel.innerText()).resolves.toContain(zone!.name);
    await expect(panel.getByRole('button', { name: 'Edit details' }).isVisible()).resolves.toBe(true);
  });

  it('shows a viewer no write controls', async () => {
    await signInAs(page, 'viewer');
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toMatch(/Viewer/);
    await waitForMapReady(page);
    await expect(page.getByRole('button', { name: /^Add / }).count()).resolves.toBe(0);
    for (const layer of ['cameras', 'pspo-zones'] as const) {
      await zoomToFirstFeature(page, layer);
      const target = await findClickTarget(page, PRIMARY_LAYER[layer], 'id', layer === 'cameras' ? [PRIMARY_LAYER['help-points']] : POINT_LAYERS);
      expect(target, `a clickable ${layer} feature`).not.toBeNull();
      await page.mouse.click(target!.x, target!.y);
      const panel = page.getByTestId('asset-panel');
      await panel.waitFor({ state: 'visible' });
      await expect(panel.innerText()).resolves.toContain(target!.name);
      await expect(panel.getByTestId('write-controls').count()).resolves.toBe(0);
      await expect(panel.getByRole('button', { name: /Edit|Delete/ }).count()).resolves.toBe(0);
      await expect(panel.innerText()).resolves.toMatch(/can view this .* but not change it/);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-camera-1280x800.png') });
  });

  it('lets a planner edit a camera, and explains a conflicting edit', async () => {
    await signInAs(page, 'planner');
    await waitForMapReady(page);
    const cam = await findClickTarget(page, PRIMARY_LAYER.cameras, 'id', [PRIMARY_LAYER['help-points']]);
    expect(cam).not.toBeNull();
    await page.mouse.click(cam!.x, cam!.y);
    const panel = page.getByTestId('asset-panel');
    await panel.waitFor({ state: 'visible' });
    await panel.getByRole('button', { name: 'Edit details' }).click();
    const newName = `${cam!.name.slice(0, 100)} (moved)`;
    await panel.getByLabel('Name').fill(newName);
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: newName, level: 2 }).waitFor({ timeout: 60_000 });
    const stored = await apiFromPage<{ name: string; version: number }>(page, `/api/cameras/${cam!.id}`);
    expect(stored.body.name).toBe(newName);

    // Someone else saves a newer version behind our back; our next save must be refused and explained.
    const { body: current } = await apiFromPage<Record<string, unknown> & { version: number }>(page, `/api/cameras/${cam!.id}`);
    const { name: _n, type, status, location, coverageRadiusM, notes } = current as Record<string, unknown>;
    const theirs = await apiFromPage(page, `/api/cameras/${cam!.id}`, {
      method: 'PUT',
      headers: { 'if-match': `"${current.version}"` },
      body: { name: 'Changed elsewhere', type, status, location, ...(coverageRadiusM !== undefined && { coverageRadiusM }), ...(notes !== undefined && { notes }) },
    });
    expect(theirs.status).toBe(200);
    await panel.getByRole('button', { name: 'Edit details' }).click();
    await panel.getByLabel('Name').fill('My stale edit');
    await panel.getByRole('button', { name: 'Save changes' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    await expect(alert.innerText()).resolves.toMatch(/Someone else changed this — reload/);
    await alert.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('heading', { name: 'Changed elsewhere', level: 2 }).waitFor({ timeout: 60_000 });
  });

  it('lets a planner add a camera by clicking the map', async () => {
    await page.keyboard.press('Escape');
    const before = (await apiFromPage<{ items: unknown[] }>(page, '/api/cameras')).body.items.length;
    await page.getByRole('button', { name: 'Add camera here' }).click();
    const spot = await findClickTarget(page, PRIMARY_LAYER.lsoas, 'code', AREA_BLOCKERS);
    expect(spot).not.toBeNull();
    await page.mouse.click(spot!.x, spot!.y);
    const panel = page.getByTestId('add-panel');
    await panel.getByLabel('Name').fill('E2E test camera');
    await panel.getByLabel('Camera type').selectOption('redeployable');
    await panel.getByRole('button', { name: 'Add camera' }).click();
    await page.getByRole('heading', { name: 'E2E test camera', level: 2 }).waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('asset-panel').innerText()).resolves.toMatch(/Re-deployable[\s\S]*75 m \(default/);
    const after = (await apiFromPage<{ items: { name: string }[] }>(page, '/api/cameras')).body.items;
    expect(after.length).toBe(before + 1);
    expect(after.some((c) => c.name === 'E2E test camera')).toBe(true);

    // Deleting asks for confirmation, sends If-Match and removes the camera from the map.
    const panel2 = page.getByTestId('asset-panel');
    await panel2.getByRole('button', { name: 'Delete' }).click();
    await panel2.getByRole('button', { name: 'Yes, delete' }).click();
    await panel2.waitFor({ state: 'detached', timeout: 60_000 });
    const remaining = (await apiFromPage<{ items: { name: string }[] }>(page, '/api/cameras')).body.items;
    expect(remaining.length).toBe(before);
    expect(remaining.some((c) => c.name === 'E2E test camera')).toBe(false);
    await page.locator('.toast').filter({ hasText: 'Camera deleted.' }).waitFor({ timeout: 60_000 });
  });

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('base map style', () => {
  /** Opens a fresh page whose /api/config names the given base map, signs in and waits for the map. */
  async function openWithBaseMap(styleUrl: string, serve?: (route: import('playwright-core').Route) => Promise<void>) {
    // The page's /api/config is faked below with a style on another origin, which the server's CSP (built from its own
    // MAP_STYLE_URL) does not list: this test is about drawing a base map, so the browser skips the CSP here.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const p = await ctx.newPage();
    await p.route('**/api/config', (route) => route.fulfill({ json: { mapStyleUrl: styleUrl, devSignIn: true } }));
    if (serve) await p.route(styleUrl, serve);
    await p.goto(api.url);
    await signInAs(p, 'viewer');
    await waitForMapReady(p);
    const style = await p.evaluate(() => {
      const s = window.__saferPlacesMap!.getStyle();
      return { name: s.name, ids: s.layers.map((l) => l.id) };
    });
    const lsoas = await renderedCount(p, PRIMARY_LAYER.lsoas);
    await ctx.close();
    return { style, lsoas };
  }

  it('uses a configured base map that loads, with the app layers on top', async () => {
    const remote = { version: 8, name: 'Test remote base', sources: {}, layers: [{ id: 'remote-bg', type: 'background', paint: { 'background-color': '#ddeeff' } }] };
    const { style, lsoas } = await openWithBaseMap('http://basemap.test/style.json', (route) => route.fulfill({ json: remote }));
    expect(style.name).toBe('Test remote base');
    expect(style.ids[0]).toBe('remote-bg');
    expect(style.ids).toContain('lsoa-fill');
    expect(lsoas).toBeGreaterThan(0);
  });

  it('falls back to the offline style when the base map cannot be reached', async () => {
    const { style, lsoas } = await openWithBaseMap('http://127.0.0.1:9/style.json');
    expect(style.name).toBe('Safer Places offline');
    expect(style.ids[0]).toBe('background');
    expect(lsoas).toBeGreaterThan(0);
  });

  it('falls back to the offline style when the base map never answers', async () => {
    const { style } = await openWithBaseMap('http://hangs.test/style.json', () => new Promise<void>(() => undefined));
    expect(style.name).toBe('Safer Places offline');
  });
});
