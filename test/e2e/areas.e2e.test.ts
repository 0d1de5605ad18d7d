import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOTSPOTS } from '@safer-places/domain';
import { ARTIFACTS, PRIMARY_LAYER, apiFromPage, canvasPixels, findClickTarget, openBrowserSession, signInAs, waitForMapIdle, waitForMapReady, waitForRendered, type BrowserSession } from './browser';
import type { RunningApi } from './server';
import { FROM, LAST, drawnRing, independentCount, type Ring } from './demo';

/**
 * The analyst's drawing workflow in a real browser on the synthetic demo data: draw a polygon with the mouse around a
 * busy town centre, check the panel's count against an independent count of the regenerated demo crimes, save the
 * area, find it again after a reload, export it, and make sure a viewer can look but not draw.
 */

const AREA_NAME = 'Northvale Market Place (e2e)';
const AREAS_FILL = 'areas-fill';
const POINT_LAYERS = [PRIMARY_LAYER['help-points'], PRIMARY_LAYER.cameras];

let api: RunningApi;
let page: Page;
let pageErrors: string[];


/** "1,234 crimes" → 1234. */
function countFrom(text: string): number {
  const m = /([\d,]+)\s+crimes?/.exec(text);
  if (!m) throw new Error(`no count in "${text}"`);
  return Number(m[1]!.replace(/,/g, ''));
}

let session: BrowserSession;
beforeAll(async () => ({ api, page, pageErrors } = session = await openBrowserSession()), 300_000);
afterAll(() => session?.close());

describe('drawn areas in a real browser', () => {
  let drawn: Ring;
  let total: number;
  let areaId: string;

  it('signs an analyst in and shows the drawing tools as real, labelled buttons', async () => {
    await page.goto(api.url);
    await signInAs(page, 'analyst');
    await waitForMapReady(page);
    const tools = page.getByTestId('draw-tools');
    for (const name of ['Draw Polygon', 'Draw Rectangle', 'Draw Circle', 'Draw Freehand']) {
      await expect(tools.getByRole('button', { name }).isVisible()).resolves.toBe(true);
    }
    // Keyboard: the tool is reachable and pressable with the keyboard, and Escape cancels drawing.
    const polygon = tools.getByRole('button', { name: 'Draw Polygon' });
    await polygon.focus();
    await page.keyboard.press('Enter');
    await expect(polygon.getAttribute('aria-pressed')).resolves.toBe('true');
    await page.getByTestId('draw-hint').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await expect(polygon.getAttribute('aria-pressed')).resolves.toBe('false');
    await page.getByTestId('draw-hint').waitFor({ state: 'detached' });
  });

  it('draws a polygon with the mouse around a busy town centre and shows its figures at once', async () => {
    const centre = DEMO_HOTSPOTS.find((h) => h.name === 'Northvale Market Place')!.centre;
    // Look at the town centre, clear of the legend on the left.
    await page.evaluate(([lon, lat]) => {
      window.__saferPlacesMap!.fitBounds([[lon - 0.012, lat - 0.007], [lon + 0.012, lat + 0.007]], { padding: { top: 40, bottom: 40, left: 320, right: 60 }, duration: 0 });
    }, centre);
    await waitForMapIdle(page);

    // A pentagon of about 450 m "radius" around the market place, as screen pixels.
    const corners: [number, number][] = [0, 1, 2, 3, 4].map((i) => {
      const a = (Math.PI * 2 * i) / 5 + 0.3;
      return [centre[0] + (0.0075 * Math.cos(a)), centre[1] + 0.0042 * Math.sin(a)];
    });
    const pixels = await canvasPixels(page, corners);
    for (let i = 1; i < pixels.length; i++) expect(Math.hypot(pixels[i]!.x - pixels[i - 1]!.x, pixels[i]!.y - pixels[i - 1]!.y)).toBeGreaterThan(60);

    await page.getByRole('button', { name: 'Draw Polygon' }).click();
    for (const p of pixels) {
      await page.mouse.move(p.x, p.y, { steps: 4 });
      await page.mouse.click(p.x, p.y);
      await page.waitForTimeout(120);
    }
    // terra-draw closes a polygon when its first point is clicked again.
    await page.mouse.move(pixels[0]!.x, pixels[0]!.y, { steps: 4 });
    await page.mouse.click(pixels[0]!.x, pixels[0]!.y);

    const panel = page.getByTestId('area-panel');
    await panel.waitFor({ state: 'visible', timeout: 60_000 });
    await expect(panel.getByRole('heading', { level: 2 }).innerText()).resolves.toBe('New area (not saved)');
    await panel.getByTestId('area-total').waitFor({ state: 'visible', timeout: 60_000 });
    await expect(page.getByRole('button', { name: 'Draw Polygon' }).getAttribute('aria-pressed')).resolves.toBe('false');

    drawn = await drawnRing(page);
    expect(drawn.length).toBe(6); // five corners and the closing point
    expect(drawn[0]).toEqual(drawn[5]);
    // The drawn corners are where we clicked (to within a couple of pixels at this zoom).
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(drawn[i]![0] - corners[i]![0])).toBeLessThan(0.0002);
      expect(Math.abs(drawn[i]![1] - corners[i]![1])).toBeLessThan(0.0002);
    }
  });

  it('counts exactly what an independent point-in-polygon count of the demo data gives', async () => {
    const panel = page.getByTestId('area-panel');
    const text = await panel.innerText();
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const label = (m: string) => `${months[Number(m.slice(5)) - 1]} ${m.slice(0, 4)}`;
    expect(text).toContain(`All crime and ASB, ${label(FROM)} to ${label(LAST)} (12 months)`);
    total = countFrom(await panel.getByTestId('area-total').innerText());
    const expected = independentCount({ ring: drawn });
    expect(expected, 'a busy town centre').toBeGreaterThan(100);
    expect(total).toBe(expected);

    // The rest of the panel: where the figures come from, the chart, the strategic table and the other sections.
    await expect(panel.getByTestId('area-source').innerText()).resolves.toMatch(/Synthetic demo data \(generated\).*synthetic/);
    await expect(panel.getByTestId('area-trend').locator('svg[role="img"]').count()).resolves.toBe(1);
    await expect(panel.getByTestId('area-trend').locator('svg title').first().textContent()).resolves.toMatch(/crimes per month/);
    const strategic = await panel.getByTestId('area-strategic').innerText();
    expect(strategic).toMatch(/All crime and ASB/);
    expect(strategic).toMatch(/Reduce|Monitor/);
    expect(strategic).toMatch(/Suggested target "Reduce"/);
    expect(text).toMatch(/LSOAs overlapped/);
    expect(text).toMatch(/\d+(\.\d)? %/);
    expect(text).toMatch(/Nearest help point/);
    expect(text).toMatch(/PSPO zones/);
    expect(text).toMatch(/Residents inside/);
  });

  it('saves the drawing with a name and theme, drawn on its own map layer and listed', async () => {
    const panel = page.getByTestId('area-panel');
    await panel.getByLabel('Name').fill(AREA_NAME);
    await panel.getByLabel('Theme').selectOption('asb');
    await panel.getByLabel('Notes').fill('Drawn by the browser test.');
    await panel.getByRole('button', { name: 'Save area' }).click();
    await panel.getByRole('heading', { name: AREA_NAME, level: 2 }).waitFor({ timeout: 60_000 });
    await panel.getByTestId('area-total').waitFor({ state: 'visible', timeout: 60_000 });
    expect(countFrom(await panel.getByTestId('area-total').innerText())).toBe(total);

    const list = await apiFromPage<{ items: { id: string; name: string; theme: string; shape: string; geometry: { type: string; coordinates: Ring[] } }[] }>(page, '/api/areas');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const saved = list.body.items[0]!;
    areaId = saved.id;
    expect(saved).toMatchObject({ name: AREA_NAME, theme: 'asb', shape: 'polygon' });
    expect(saved.geometry).toEqual({ type: 'Polygon', coordinates: [drawn] });
    await page.getByTestId('saved-areas').getByRole('button', { name: new RegExp(AREA_NAME.replace(/[()]/g, '\\$&')) }).waitFor();
    await waitForRendered(page, AREAS_FILL, 'some');
    // With the area panel open the map is narrow: the legend folds away, and opens on request with a drawn-area entry.
    const legendToggle = page.locator('.legend').getByRole('button', { name: 'Show' });
    await expect(legendToggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await legendToggle.click();
    await expect(page.getByTestId('legend-areas').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('legend-areas').innerText()).resolves.toMatch(/Drawn area/);
    await page.locator('.legend').getByRole('button', { name: 'Hide' }).click();
  });

  it('exports the figures as a CSV download named after the area', async () => {
    const panel = page.getByTestId('area-panel');
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download figures (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('northvale-market-place-e2e-statistics.csv');
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').split(/\r?\n/);
    expect(lines[0]).toBe('Safer Places area statistics');
    expect(lines[1]).toBe(`Area,${AREA_NAME}`);
    expect(lines[2]).toBe('Theme,Anti-social behaviour');
    expect(lines[3]).toBe('Dataset,"Synthetic demo data (generated) (SYNTHETIC, not real data)"');
    expect(lines[4]).toBe(`Period,${FROM} to ${LAST} (12 months)`);
    expect(lines).toContain(`Crimes in period,${total}`);

    const [geo] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download shape (GeoJSON)' }).click()]);
    expect(geo.suggestedFilename()).toBe('northvale-market-place-e2e.geojson');
    const fc = JSON.parse(readFileSync(await geo.path(), 'utf8')) as { features: { geometry: unknown; properties: { name: string } }[] };
    expect(fc.features[0]!.geometry).toEqual({ type: 'Polygon', coordinates: [drawn] });
    expect(fc.features[0]!.properties.name).toBe(AREA_NAME);
  });

  it('fits 1280×800 and 1024×700 with the area panel open (screenshots in test/artifacts)', async () => {
    for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(400);
      const layout = await page.evaluate(() => {
        const r = (sel: string) => document.querySelector(sel)?.getBoundingClientRect() ?? null;
        const panel = document.querySelector('[data-testid="area-panel"] .side-panel__body') as HTMLElement;
        panel.scrollTop = 0;
        const strategic = document.querySelector('[data-testid="area-strategic"] .table-scroll') as HTMLElement;
        return {
          strategicOverflowX: strategic.scrollWidth - strategic.clientWidth,
          scrollWidth: document.documentElement.scrollWidth,
          scrollHeight: document.documentElement.scrollHeight,
          legend: r('.legend'),
          panel: r('.side-panel'),
          controls: r('.controls'),
          footer: r('.app-footer'),
          panelOverflowX: panel.scrollWidth - panel.clientWidth,
        };
      });
      expect(layout.scrollWidth, `no horizontal scroll at ${width}`).toBeLessThanOrEqual(width);
      expect(layout.scrollHeight, `no page scroll at ${width}×${height}`).toBeLessThanOrEqual(height);
      expect(layout.panelOverflowX, 'the panel body does not scroll sideways').toBeLessThanOrEqual(0);
      expect(layout.strategicOverflowX, `the strategic table fits the panel at ${width}`).toBeLessThanOrEqual(0);
      expect(layout.legend!.right).toBeLessThanOrEqual(layout.panel!.left);
      expect(layout.legend!.left).toBeGreaterThanOrEqual(layout.controls!.right);
      expect(layout.panel!.bottom).toBeLessThanOrEqual(layout.footer!.top + 1);
      await page.screenshot({ path: join(ARTIFACTS, `area-panel-${width}x${height}.png`) });
      // The strategic part of the panel, scrolled into view.
      await page.getByTestId('area-strategic').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, `area-panel-strategic-${width}x${height}.png`) });
      await page.getByTestId('area-panel').getByRole('heading', { level: 2 }).scrollIntoViewIfNeeded();
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('keeps the area after a reload: listed, drawn, clickable on the map, with the same figures', async () => {
    await page.reload();
    await waitForMapReady(page);
    const item = page.getByTestId('saved-areas').getByRole('button', { name: new RegExp(AREA_NAME.replace(/[()]/g, '\\$&')) });
    await item.waitFor();
    await item.click();
    const panel = page.getByTestId('area-panel');
    await panel.getByRole('heading', { name: AREA_NAME, level: 2 }).waitFor();
    await panel.getByTestId('area-total').waitFor({ state: 'visible', timeout: 60_000 });
    expect(countFrom(await panel.getByTestId('area-total').innerText())).toBe(total);

    // Close it, then click the drawn area itself on the map.
    await panel.getByRole('button', { name: 'Close details' }).click();
    await panel.waitFor({ state: 'detached' });
    await waitForMapIdle(page);
    const target = await findClickTarget(page, AREAS_FILL, 'id', POINT_LAYERS);
    expect(target, 'a clear spot inside the drawn area').not.toBeNull();
    expect(target!.id).toBe(areaId);
    await page.mouse.click(target!.x, target!.y);
    await page.getByTestId('area-panel').getByRole('heading', { name: AREA_NAME, level: 2 }).waitFor();
  });

  it('explains a conflicting edit and keeps what the analyst typed', async () => {
    const panel = page.getByTestId('area-panel');
    await panel.getByRole('button', { name: 'Edit details' }).click();
    await panel.getByLabel('Notes').fill('My edit, typed before someone else saved.');

    // Someone else saves a newer version in the meantime.
    const { body: current } = await apiFromPage<Record<string, unknown> & { version: number }>(page, `/api/areas/${areaId}`);
    const theirs = await apiFromPage(page, `/api/areas/${areaId}`, {
      method: 'PUT',
      headers: { 'if-match': `"${current.version}"` },
      body: { name: AREA_NAME, theme: 'serious-violence', shape: current.shape, geometry: current.geometry, notes: 'Their change' },
    });
    expect(theirs.status).toBe(200);

    await panel.getByRole('button', { name: 'Save changes' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    await expect(alert.innerText()).resolves.toMatch(/Someone else changed this area — reload/);
    await expect(panel.getByLabel('Notes').inputValue()).resolves.toBe('My edit, typed before someone else saved.');
    await alert.getByRole('button', { name: 'Reload' }).click();
    await panel.getByRole('status').filter({ hasText: /Your unsaved changes are still here/ }).waitFor();
    await expect(panel.getByLabel('Notes').inputValue()).resolves.toBe('My edit, typed before someone else saved.');
    await panel.getByRole('button', { name: 'Save changes' }).click();
    await panel.getByRole('button', { name: 'Edit details' }).waitFor({ timeout: 60_000 });
    const stored = await apiFromPage<{ notes: string; version: number }>(page, `/api/areas/${areaId}`);
    expect(stored.body).toMatchObject({ notes: 'My edit, typed before someone else saved.', version: current.version + 2 });
  });

  it('reshapes the saved area by dragging a corner, saves it with If-Match, and recounts', async () => {
    const panel = page.getByTestId('area-panel');
    const before = await apiFromPage<{ version: number; geometry: { coordinates: Ring[] } }>(page, `/api/areas/${areaId}`);
    await panel.getByRole('button', { name: 'Edit shape' }).click();
    await panel.getByTestId('shape-editing').waitFor();
    await expect(panel.getByRole('button', { name: 'Save shape' }).isDisabled()).resolves.toBe(true);
    await page.waitForFunction(() => window.__saferPlacesDraw!.getMode() === 'select');

    // Drag a corner (one the legend does not cover) 40 px further out from the middle of the shape.
    await waitForMapIdle(page);
    const ring = before.body.geometry.coordinates[0]!;
    const drag = await page.evaluate((ring) => {
      const map = window.__saferPlacesMap!;
      const rect = map.getCanvas().getBoundingClientRect();
      const pts = ring.slice(0, -1).map(([x, y]) => map.project([x!, y!]));
      const cx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
      const cy = pts.reduce((s, p) => s + p.y, 0) / pts.length;
      const on = (q: { x: number; y: number }) => document.elementFromPoint(rect.left + q.x, rect.top + q.y) === map.getCanvas();
      for (let i = 1; i < pts.length; i++) {
        const p = pts[i]!;
        const len = Math.hypot(p.x - cx, p.y - cy);
        const to = { x: p.x + ((p.x - cx) / len) * 40, y: p.y + ((p.y - cy) / len) * 40 };
        if (on(p) && on(to)) return { index: i, from: { x: rect.left + p.x, y: rect.top + p.y }, to: { x: rect.left + to.x, y: rect.top + to.y } };
      }
      return null;
    }, ring);
    expect(drag, 'a corner clear of the legend, and where it goes, on the map').not.toBeNull();
    const { index, from, to } = drag!;
    await page.mouse.move(from.x, from.y, { steps: 3 });
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();

    const save = panel.getByRole('button', { name: 'Save shape' });
    await page.waitForFunction(() => {
      const b = [...document.querySelectorAll('[data-testid="area-panel"] button')].find((x) => x.textContent === 'Save shape');
      return b && !(b as HTMLButtonElement).disabled;
    }, undefined, { timeout: 60_000 });
    await save.click();
    await panel.getByTestId('shape-editing').waitFor({ state: 'detached', timeout: 60_000 });
    const after = await apiFromPage<{ version: number; geometry: { coordinates: Ring[] } }>(page, `/api/areas/${areaId}`);
    expect(after.body.version).toBe(before.body.version + 1);
    const moved = after.body.geometry.coordinates[0]!;
    expect(moved).toHaveLength(ring.length);
    expect(moved[index]).not.toEqual(ring[index]);
    for (let i = 0; i < ring.length; i++) if (i !== index) expect(moved[i]).toEqual(ring[i]);
    expect(moved[moved.length - 1]).toEqual(moved[0]);

    // The panel now counts the new shape, and so does the independent count.
    await page.waitForFunction(() => !document.querySelector('[data-testid="area-loading"]'), undefined, { timeout: 60_000 });
    await panel.getByTestId('area-total').waitFor();
    expect(countFrom(await panel.getByTestId('area-total').innerText())).toBe(independentCount({ ring: moved }));
  });

  it('opens the strategic assessment by district and CSP with a CSV download', async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Strategic assessment' }).click();
    const view = page.getByTestId('strategic-view');
    await view.waitFor();
    await view.locator('[data-testid^="strategic-"] table').first().waitFor({ timeout: 60_000 });
    const text = await view.innerText();
    expect(text).toMatch(/Northvale/);
    expect(text).toMatch(/Synthetic demo data/);
    await view.getByLabel('Tables by').selectOption('csp');
    await view.locator('table').first().waitFor({ timeout: 60_000 });
    await expect(view.getByTestId('strategic-rule').innerText()).resolves.toMatch(/Suggested target "Reduce"/);
    const overflow = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="strategic-view"] .table-scroll')].map((e) => e.scrollWidth - e.clientWidth),
    );
    expect(Math.max(...overflow), 'every table fits its column').toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'strategic-assessment-1280x800.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), view.getByRole('button', { name: 'Download CSV' }).click()]);
    // The file and its first line name the place (the session's scope: the study area here) and the grouping.
    expect(download.suggestedFilename()).toMatch(new RegExp(`^strategic-assessment-[a-z0-9-]+-by-csp-${LAST}\\.csv$`));
    const first = readFileSync(await download.path(), 'utf8').split(/\r?\n/)[0];
    expect(first).toMatch(/^Strategic assessment of .+ by Community Safety Partnership,"Synthetic demo data \(generated\) \(SYNTHETIC, not real data\)"$/);
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'detached' });
  });

  it('shows a viewer the saved area and its panel, but no drawing tools, and the API refuses a viewer’s area', async () => {
    await signInAs(page, 'viewer');
    await waitForMapReady(page);
    await expect(page.getByTestId('draw-tools').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Draw / }).count()).resolves.toBe(0);
    const item = page.getByTestId('saved-areas').getByRole('button', { name: new RegExp(AREA_NAME.replace(/[()]/g, '\\$&')) });
    await item.click();
    const panel = page.getByTestId('area-panel');
    await panel.getByTestId('area-total').waitFor({ state: 'visible', timeout: 60_000 });
    await expect(panel.getByTestId('write-controls').count()).resolves.toBe(0);
    await expect(panel.getByRole('button', { name: /Edit|Delete/ }).count()).resolves.toBe(0);
    await expect(panel.innerText()).resolves.toMatch(/can view this area but not change it/);

    const refused = await apiFromPage(page, '/api/areas', {
      method: 'POST',
      body: { name: 'Viewer area', theme: 'asb', shape: 'polygon', geometry: { type: 'Polygon', coordinates: [drawn] } },
    });
    expect(refused.status).toBe(403);
  });

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
