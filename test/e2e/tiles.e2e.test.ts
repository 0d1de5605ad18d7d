import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request, Response } from 'playwright-core';
import { ARTIFACTS, PRIMARY_LAYER, apiFromPage, findClickTarget, openBrowserSession, signInAs, waitForMapIdle, waitForMapReady, type BrowserSession } from './browser';

/*
 * The LSOA layer drawn from the API's vector tiles in a real browser: the map asks /api/tiles (with the bearer token)
 * and never the capped GeoJSON layer, every LSOA of the place is drawn and shaded at every zoom, the shading is the
 * statistics joined by feature state (and follows a new category), and a click on a tile's LSOA still opens its panel.
 */

interface Sent {
  path: string;
  authorization: string | null;
}

let s: BrowserSession;
const sent: Sent[] = [];
const tileStatuses: number[] = [];
let datasetId = '';

const LSOA_SOURCE = { source: 'sp-lsoas', sourceLayer: 'lsoas' };

/** The unique LSOA codes the fill draws in the view, and how many of them carry a choropleth class in their state. */
function drawnState(page: BrowserSession['page']) {
  return page.evaluate((src) => {
    const map = window.__saferPlacesMap!;
    const codes = new Set(map.queryRenderedFeatures({ layers: ['lsoa-fill'] }).map((f) => String(f.properties.code)));
    let classed = 0;
    const values: Record<string, number | null> = {};
    for (const code of codes) {
      const st = map.getFeatureState({ ...src, id: code }) as { class?: number; value?: number | null; inScope?: boolean };
      if (typeof st.class === 'number' && st.class >= 0 && st.inScope === true) classed++;
      values[code] = st.value ?? null;
    }
    return { count: codes.size, classed, values, zoom: map.getZoom() };
  }, LSOA_SOURCE);
}

beforeAll(async () => {
  s = await openBrowserSession();
  s.page.on('request', (req: Request) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/')) sent.push({ path: url.pathname, authorization: req.headers().authorization ?? null });
  });
  s.page.on('response', (res: Response) => {
    if (new URL(res.url()).pathname.startsWith('/api/tiles/')) tileStatuses.push(res.status());
  });
  await s.page.goto(s.api.url);
  await signInAs(s.page, 'analyst');
  await waitForMapReady(s.page);
  const datasets = await apiFromPage<{ datasets: { id: string }[]; defaultDatasetId: string | null }>(s.page, '/api/datasets');
  datasetId = datasets.body.defaultDatasetId ?? datasets.body.datasets[0]!.id;
}, 300_000);

afterAll(async () => {
  await s?.close();
});

describe('the LSOA layer from vector tiles', () => {
  it('reads LSOA tiles with the bearer token, and never the GeoJSON LSOA layer', async () => {
    const tiles = sent.filter((r) => r.path.startsWith('/api/tiles/lsoas/'));
    expect(tiles.length).toBeGreaterThan(0);
    for (const t of tiles) {
      expect(t.path).toMatch(/^\/api\/tiles\/lsoas\/\d+\/\d+\/\d+\.mvt$/);
      expect(t.authorization).toMatch(/^Bearer .+/);
    }
    expect(sent.filter((r) => r.path === '/api/layers/lsoas')).toEqual([]);
    expect(tileStatuses.length).toBeGreaterThan(0);
    for (const st of tileStatuses) expect([200, 204, 304]).toContain(st);
    expect(s.pageErrors).toEqual([]);
  });

  it('shades every LSOA in view by its feature state (the paint reads the state, not a list of codes)', async () => {
    const paint = await s.page.evaluate(() => JSON.stringify(window.__saferPlacesMap!.getPaintProperty('lsoa-fill', 'fill-color')));
    expect(paint).toContain('feature-state');
    expect(paint).not.toMatch(/E01\d{6}|DEMO\d{5}/);
    const drawn = await drawnState(s.page);
    expect(drawn.count).toBeGreaterThan(50);
    expect(drawn.classed).toBe(drawn.count);
  });

  it('draws every LSOA of the place when the whole place is in view, at a low and a high zoom', async () => {
    const stats = await apiFromPage<{ lsoas: { code: string }[] }>(s.page, `/api/lsoas/stats?dataset=${encodeURIComponent(datasetId)}&scope=study-area`);
    const all = stats.body.lsoas.length;
    expect(all).toBeGreaterThan(100);
    // Zoomed right out: the whole place is a few hundred pixels wide, and still every LSOA is drawn (no cap, no subset).
    await s.page.evaluate(() => window.__saferPlacesMap!.jumpTo({ zoom: 7 }));
    await waitForMapIdle(s.page, 60_000);
    await s.page.waitForFunction((n) => new Set(window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['lsoa-fill'] }).map((f) => f.properties.code)).size >= n, all, { timeout: 60_000 });
    const low = await drawnState(s.page);
    expect(low.count).toBe(all);
    expect(low.classed).toBe(all);
    // Zoomed in past the tiles' last zoom: over-zoomed, still shaded.
    await s.page.evaluate(() => window.__saferPlacesMap!.jumpTo({ zoom: 15.5 }));
    await waitForMapIdle(s.page, 60_000);
    const high = await drawnState(s.page);
    expect(high.zoom).toBeGreaterThan(14);
    expect(high.count).toBeGreaterThan(0);
    expect(high.classed).toBe(high.count);
    await s.page.evaluate(() => window.__saferPlacesMap!.jumpTo({ zoom: 11 }));
    await waitForMapIdle(s.page, 60_000);
  });

  it('joins new figures when the category changes: the states follow the server', async () => {
    await s.page.getByLabel('Measure').selectOption('count'); // the states' values are then crime counts
    await waitForMapReady(s.page);
    const before = await drawnState(s.page);
    await s.page.getByLabel('Crime type').selectOption('burglary');
    await s.page.locator('.legend').filter({ hasText: /Burglary/ }).waitFor({ timeout: 60_000 });
    await waitForMapReady(s.page);
    const after = await drawnState(s.page);
    const stats = await apiFromPage<{ lsoas: { code: string; count: number }[] }>(s.page, `/api/lsoas/stats?dataset=${encodeURIComponent(datasetId)}&scope=study-area&category=burglary`);
    const want = new Map(stats.body.lsoas.map((r) => [r.code, r.count]));
    let compared = 0;
    for (const [code, value] of Object.entries(after.values)) {
      expect(value, code).toBe(want.get(code));
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
    expect(Object.entries(after.values).some(([code, v]) => before.values[code] !== v)).toBe(true);
    await s.page.getByLabel('Crime type').selectOption('all-crime');
    await waitForMapReady(s.page);
  });

  it('opens the panel of an LSOA clicked on the tiles, with its name from the tile', async () => {
    const blockers = [PRIMARY_LAYER.cameras, PRIMARY_LAYER['help-points'], PRIMARY_LAYER['pspo-zones'], PRIMARY_LAYER['safer-streets-areas'], 'areas-fill'];
    const target = await findClickTarget(s.page, PRIMARY_LAYER.lsoas, 'code', blockers);
    expect(target).not.toBeNull();
    await s.page.mouse.click(target!.x, target!.y);
    const panel = s.page.getByTestId('lsoa-panel');
    await panel.waitFor({ state: 'visible' });
    await expect(panel.innerText()).resolves.toContain(target!.id);
    expect(target!.name).not.toBe('');
    await expect(panel.innerText()).resolves.toContain(target!.name);
    await s.page.screenshot({ path: join(ARTIFACTS, 'tiles-lsoa-panel-1280x800.png') });
    await s.page.keyboard.press('Escape');
  });

  it('looks right at 1280×800 and 1024×700 (screenshots for review)', async () => {
    for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
      await s.page.setViewportSize({ width, height });
      await waitForMapIdle(s.page, 60_000);
      const drawn = await drawnState(s.page);
      expect(drawn.count).toBeGreaterThan(0);
      await s.page.screenshot({ path: join(ARTIFACTS, `tiles-${width}x${height}.png`) });
    }
    await s.page.setViewportSize({ width: 1280, height: 800 });
  });
});
