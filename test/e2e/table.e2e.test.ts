import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, PRIMARY_LAYER, findClickTarget, openBrowserSession, signInAs, waitForMapIdle, waitForMapReady, waitForRendered, type BrowserSession } from './browser';
import type { RunningApi } from './server';

/**
 * The attribute table in a real browser on the demo data: it lists every LSOA of the scope with the server's figures,
 * sorts and filters, a row selects its LSOA on the map and fits the map to it, a click on the map selects the row,
 * the CSV holds the rows shown, and with a hot spot answer the table lists the top spots with their places; at
 * 1280×800 and 1024×700 (screenshots in test/artifacts).
 */

interface StatsRow {
  code: string;
  count: number;
  ratePer1000: number | null;
}
interface StatsAnswer {
  from: string;
  to: string;
  categoryLabel: string;
  dataset: { name: string };
  lsoas: StatsRow[];
}

const BLOCKERS = [PRIMARY_LAYER['help-points'], PRIMARY_LAYER.cameras, PRIMARY_LAYER['pspo-zones'], PRIMARY_LAYER['safer-streets-areas']];

let api: RunningApi;
let page: Page;
let pageErrors: string[];
let session: BrowserSession;
/** The statistics answer the app last received (what the table must list). */
let lastStats: StatsAnswer | null = null;

beforeAll(async () => {
  ({ api, page, pageErrors } = session = await openBrowserSession());
  page.on('response', (res) => {
    if (/\/api\/lsoas\/stats\?/.test(res.url()) && res.status() === 200) {
      void res.json().then((b: StatsAnswer) => (lastStats = b)).catch(() => undefined);
    }
  });
}, 300_000);
afterAll(() => session?.close());

const table = () => page.getByTestId('attr-table');
const grid = () => page.getByTestId('attr-table-grid');
const bodyRows = () => grid().locator('tbody tr');
const numberIn = (s: string) => Number(s.replace(/,/g, ''));

/** The texts of one column on the page shown, by its header's position. */
async function columnTexts(label: string): Promise<string[]> {
  return page.evaluate((label) => {
    const t = document.querySelector('[data-testid="attr-table-grid"]')!;
    const headers = [...t.querySelectorAll('thead th')].map((th) => th.textContent!.replace(/[▲▼↕]/g, '').trim());
    const i = headers.indexOf(label);
    if (i < 0) throw new Error(`no column ${label} in ${headers.join(' | ')}`);
    return [...t.querySelectorAll('tbody tr')].map((tr) => tr.children[i]!.textContent!.trim());
  }, label);
}

async function openTable(): Promise<void> {
  const toggle = page.getByTestId('attr-table-toggle');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await table().waitFor({ state: 'visible' });
  // Names arrive with the scope's LSOA layer.
  await page.waitForFunction(() => {
    const first = document.querySelector('[data-testid="attr-table-grid"] tbody tr td');
    return !!first && first.textContent !== '—';
  }, undefined, { timeout: 60_000, polling: 100 });
}

/** The LSOA the map shows as selected (the highlight layer's rendered feature), or null. */
async function selectedOnMap(): Promise<string | null> {
  return page.evaluate(() => {
    const f = window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['lsoa-selected'] })[0];
    return f ? String(f.properties.code) : null;
  });
}

describe('attribute table in a real browser', () => {
  it('opens from the map with the keyboard and lists every LSOA of the scope with the server figures', async () => {
    await page.goto(api.url);
    await signInAs(page, 'analyst');
    await waitForMapReady(page);
    await waitForRendered(page, PRIMARY_LAYER.lsoas, 'some');
    await openTable();
    // Focus moves into the table (its filter), so the keyboard user carries on there.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('attr-table-filter');
    expect(lastStats).not.toBeNull();
    const stats = lastStats!;
    const total = stats.lsoas.length;
    await expect(page.getByTestId('attr-table-counts').innerText()).resolves.toBe(`${total.toLocaleString('en-GB')} rows; showing 1–${Math.min(100, total)}.`);
    await expect(page.getByTestId('attr-table-about').innerText()).resolves.toContain(stats.categoryLabel);
    // Never more than a page of rows in the page.
    await expect(bodyRows().count()).resolves.toBe(Math.min(100, total));
    // Sorted by number of crimes, largest first: the first row is the server's busiest LSOA.
    const max = Math.max(...stats.lsoas.map((r) => r.count));
    await expect(grid().locator('thead th[aria-sort="descending"]').innerText()).resolves.toMatch(/Crimes \(number\)/);
    expect(numberIn((await columnTexts('Crimes (number)'))[0]!)).toBe(max);
    const codes = await columnTexts('LSOA code');
    const counts = (await columnTexts('Crimes (number)')).map(numberIn);
    for (let i = 0; i < codes.length; i++) expect(counts[i], codes[i]).toBe(stats.lsoas.find((r) => r.code === codes[i])!.count);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(ARTIFACTS, 'table-open-1280x800.png') });
  });

  it('sorts with the header buttons (aria-sort follows) and filters by words', async () => {
    await grid().getByTestId('sort-count').click();
    await expect(grid().locator('thead th[aria-sort="ascending"]').innerText()).resolves.toMatch(/Crimes \(number\)/);
    const asc = (await columnTexts('Crimes (number)')).map(numberIn);
    expect(asc[0]).toBe(Math.min(...lastStats!.lsoas.map((r) => r.count)));
    expect([...asc].sort((a, b) => a - b)).toEqual(asc);

    await grid().getByTestId('sort-name').click();
    const names = await columnTexts('LSOA name');
    expect(names.every((n) => n !== '—')).toBe(true);
    expect([...names].sort((a, b) => a.localeCompare(b, 'en-GB', { numeric: true, sensitivity: 'base' }))).toEqual(names);

    const ward = (await columnTexts('Ward'))[0]!;
    expect(ward).not.toBe('—');
    await page.getByTestId('attr-table-filter').fill(ward.toLowerCase());
    const wards = await columnTexts('Ward');
    expect(wards.length).toBeGreaterThan(0);
    expect(wards.length).toBeLessThan(lastStats!.lsoas.length);
    for (const w of wards) expect(w).toBe(ward);
    await expect(page.getByTestId('attr-table-counts').innerText()).resolves.toBe(`${wards.length} of ${lastStats!.lsoas.length.toLocaleString('en-GB')} rows match.`);
  });

  it('a row chosen with the keyboard selects its LSOA on the map, opens its figures and fits the map to it', async () => {
    const zoomBefore = await page.evaluate(() => window.__saferPlacesMap!.getZoom());
    const first = bodyRows().first();
    const code = (await first.locator('th').innerText()).trim();
    const name = (await first.locator('td').first().innerText()).trim();
    await first.locator('th button').focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('lsoa-panel');
    await panel.waitFor({ state: 'visible' });
    await expect(panel.innerText()).resolves.toContain(name);
    await expect(panel.innerText()).resolves.toContain(code);
    await waitForMapIdle(page);
    await page.waitForFunction((c) => {
      const f = window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['lsoa-selected'] })[0];
      return !!f && f.properties.code === c;
    }, code, { timeout: 30_000, polling: 100 });
    const view = await page.evaluate(() => ({ zoom: window.__saferPlacesMap!.getZoom() }));
    expect(view.zoom).toBeGreaterThan(zoomBefore);
    // The whole LSOA is in view: its rendered outline is not clipped by the map's edges (the table sits below the map).
    const inView = await page.evaluate((c) => {
      const map = window.__saferPlacesMap!;
      const fs = map.queryRenderedFeatures({ layers: ['lsoa-fill'], filter: ['==', ['get', 'code'], c] });
      return fs.length > 0;
    }, code);
    expect(inView).toBe(true);
    await expect(first.getAttribute('aria-current')).resolves.toBe('true');
    await page.screenshot({ path: join(ARTIFACTS, 'table-row-to-map-1280x800.png') });
    await panel.getByRole('button', { name: 'Close details' }).click();
    await page.getByTestId('attr-table-filter').fill('');
  });

  it('a click on an LSOA on the map selects its row, turning to its page and scrolling it into view', async () => {
    // Zoom out a little so other LSOAs are on screen.
    await page.evaluate(() => window.__saferPlacesMap!.zoomTo(window.__saferPlacesMap!.getZoom() - 1.5, { duration: 0 }));
    await waitForMapIdle(page);
    const target = await findClickTarget(page, PRIMARY_LAYER.lsoas, 'code', BLOCKERS);
    expect(target, 'an LSOA with a clear spot on screen').not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    await page.getByTestId('lsoa-panel').waitFor({ state: 'visible' });
    const row = grid().locator(`tbody tr[data-row-id="${target!.id}"]`);
    await row.waitFor({ state: 'visible' });
    await expect(row.getAttribute('aria-current')).resolves.toBe('true');
    await expect(grid().locator('tbody tr[aria-current="true"]').count()).resolves.toBe(1);
    // Scrolled into the table's visible part.
    const visible = await page.evaluate((id) => {
      const tr = document.querySelector(`[data-testid="attr-table-grid"] tbody tr[data-row-id="${id}"]`)!.getBoundingClientRect();
      const box = document.querySelector('.attr-table__scroll')!.getBoundingClientRect();
      return tr.top >= box.top - 1 && tr.bottom <= box.bottom + 1;
    }, target!.id);
    expect(visible).toBe(true);
    await expect(selectedOnMap()).resolves.toBe(target!.id);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(ARTIFACTS, 'table-map-to-row-1280x800.png') });
  });

  it('downloads the rows shown as a CSV that names the dataset, period and measure', async () => {
    await page.getByTestId('attr-table-filter').fill('');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('attr-table-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^lsoas-all-crime-.*\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.split('\r\n').filter((l, i, all) => i < all.length - 1);
    const stats = lastStats!;
    expect(lines[0]).toContain(stats.categoryLabel);
    expect(lines[1]).toContain(`Dataset: ${stats.dataset.name}`);
    expect(lines[2]).toMatch(/per 1,000/);
    expect(lines[3]).toBe('');
    expect(lines[4]!.startsWith('LSOA code,LSOA name,Ward,District,Crimes (number),"Crimes per 1,000 residents",')).toBe(true);
    const body = lines.slice(5);
    expect(body).toHaveLength(stats.lsoas.length);
    // Every row's count is the server's (the code first, the count fifth; names hold no commas in the demo set).
    for (const line of body) {
      const cells = line.split(',');
      const row = stats.lsoas.find((r) => r.code === cells[0]);
      expect(row, cells[0]).toBeDefined();
      expect(Number(cells[4])).toBe(row!.count);
    }
  });

  it('fits 1024×700: the table and the map share the map area, and the table adds no page scroll', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    // The map follows its container's new size on a later frame: wait until the canvas has it.
    await page.waitForFunction(() => { const m = window.__saferPlacesMap!; return m.getCanvas().clientWidth === m.getCanvas().parentElement!.parentElement!.clientWidth; });
    await waitForMapIdle(page);
    const layout = await page.evaluate(() => {
      const r = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
      return { scrollW: document.documentElement.scrollWidth, scrollH: document.documentElement.scrollHeight, table: r('.attr-table'), map: r('.map'), area: r('.map-area') };
    });
    // The table adds no width or height to the page: the same scroll size with it closed (whatever the header needs).
    await page.getByRole('button', { name: 'Close table' }).click();
    await page.getByTestId('attr-table-toggle').waitFor({ state: 'visible' });
    const closed = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    await openTable();
    expect(layout.scrollW).toBe(closed.w);
    expect(layout.scrollH).toBe(closed.h);
    // The drawer spans the map area, not more.
    expect(layout.table.left).toBeGreaterThanOrEqual(layout.area.left - 1);
    expect(layout.table.right).toBeLessThanOrEqual(layout.area.right + 1);
    // The map ends where the table starts, and both have room.
    expect(Math.abs(layout.map.bottom - layout.table.top)).toBeLessThanOrEqual(2);
    expect(layout.table.height).toBeGreaterThanOrEqual(180);
    expect(layout.map.height).toBeGreaterThanOrEqual(200);
    await page.evaluate(() => document.querySelector('.attr-table__scroll')!.scrollTo(0, 0));
    const first = bodyRows().first();
    await first.locator('th button').click();
    const code = (await first.locator('th').innerText()).trim();
    await page.getByTestId('lsoa-panel').waitFor({ state: 'visible' });
    await page.waitForFunction((c) => {
      const f = window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['lsoa-selected'] })[0];
      return !!f && f.properties.code === c;
    }, code, { timeout: 30_000, polling: 100 });
    await waitForMapIdle(page);
    await page.screenshot({ path: join(ARTIFACTS, 'table-1024x700.png') });
    await page.getByTestId('lsoa-panel').getByRole('button', { name: 'Close details' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('with a hot spot answer lists the top spots with their LSOA, ward and district; a row selects the spot', async () => {
    await page.getByRole('button', { name: 'Hot spot analysis' }).click();
    const panel = page.getByTestId('hotspot-panel');
    await panel.getByTestId('hotspot-loading').waitFor({ state: 'detached', timeout: 90_000 });
    await panel.getByTestId('hotspot-summary').waitFor({ state: 'visible', timeout: 90_000 });
    // The panel's own table names the LSOA of each spot too.
    const lsoaLines = await panel.getByTestId('lsoa-line').allInnerTexts();
    expect(lsoaLines.length).toBeGreaterThan(0);
    for (const l of lsoaLines) expect(l).toMatch(/^LSOA .+ \([A-Z0-9]{9}\)$/);

    await table().getByRole('button', { name: 'Top hot spots' }).click();
    await expect(table().getByRole('button', { name: 'Top hot spots' }).getAttribute('aria-pressed')).resolves.toBe('true');
    const lsoas = await columnTexts('LSOA');
    expect(lsoas.length).toBeGreaterThan(0);
    for (const l of lsoas) expect(l).toMatch(/ \([A-Z0-9]{9}\)$/);
    for (const p of await columnTexts('Ward and district')) expect(p).toMatch(/ward, /);
    const second = bodyRows().nth(1);
    await second.locator('th button').click();
    await page.waitForFunction(() => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['hotspot-spot-selected'] }).length > 0, undefined, { timeout: 30_000, polling: 100 });
    await expect(second.getAttribute('aria-current')).resolves.toBe('true');
    await waitForMapIdle(page);
    await page.screenshot({ path: join(ARTIFACTS, 'table-hotspots-1280x800.png') });

    // Cells: clicking a row selects the cell on the map.
    await table().getByRole('button', { name: 'Hot spot cells' }).click();
    const cellRow = bodyRows().first();
    const cell = (await cellRow.locator('th').innerText()).trim();
    await cellRow.locator('th button').click();
    await page.waitForFunction((c) => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['hotspot-cell-selected'] }).some((f) => String(f.properties.cell) === c), cell, { timeout: 30_000, polling: 100 });
    expect(pageErrors).toEqual([]);
  });
});
