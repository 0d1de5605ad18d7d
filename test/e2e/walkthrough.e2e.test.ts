import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles, openStore } from '@safer-places/importer';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { ARTIFACTS, PRIMARY_LAYER, apiFromPage, apiJson, findClickTarget, launchChromium, waitForMapIdle, waitForMapReady } from './browser';
import { startApi, type RunningApi } from './server';

/*
 * What the walk-through of the map issue found, checked at 1280×800 and 1024×700 on the real Nottinghamshire data
 * (a year of police.uk months; both population files, the 2011-based mid-2020 estimates read before the Census):
 * the population's source, one of Sign in / Sign out, focus after sign-in and Escape, the legend's and the footer's
 * share of the screen, the bid preset list inside its panel, a bid click under a drawn area, the trend chart's last
 * label, and a "0" class for a sparse category.
 */

const MONTHS = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;
const AREA_NAME = 'Walk-through area';

/** At most this share of the map's height and area may the legend take when it opens, and the footer of the page. */
const LIMITS = { legendHeight: 0.4, legendArea: 0.2, footerHeight: 0.05 };

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

async function importYear(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'safer-places-e2e-walkthrough-'));
  const store = await openStore({ dataDir });
  try {
    await importFiles(
      [
        join(SHARED_DATA, 'lsoa21-boundaries'),
        join(SHARED_DATA, 'iod2025-nottinghamshire.csv'),
        // The folder's own order: the 2011-based estimates before the Census (the walk-through's label named the former).
        join(SHARED_DATA, 'population/lsoa11-mid2020-population-nottinghamshire.csv'),
        join(SHARED_DATA, 'population/lsoa21-census2021-usual-residents-nottinghamshire.csv'),
        join(SHARED_DATA, 'lookups'),
        ...MONTHS.map((m) => join(SHARED_DATA, 'police-uk', `${m}-nottinghamshire-street.csv`)),
      ],
      { reference: store.reference, datasetId: 'open-data', datasetName: 'Nottinghamshire open data' },
    );
  } finally {
    await store.close();
  }
  return dataDir;
}

const signInButton = (p: Page) => p.getByRole('banner').getByRole('button', { name: 'Sign in', exact: true });
const signOutButton = (p: Page) => p.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true });

/** Chooses a role in the header and submits (Sign in when signed out, Switch role when signed in). */
async function chooseRole(p: Page, role: string, label: string): Promise<void> {
  await p.getByTestId('role-select').selectOption(role);
  await p.getByTestId('sign-in-submit').click();
  await p.getByTestId('signed-in-as').filter({ hasText: label }).waitFor({ state: 'visible', timeout: 60_000 });
  await waitForMapReady(p);
}

/** Waits until focus is on an element other than the page body; returns a description of it. */
async function waitForFocusOffBody(p: Page): Promise<string> {
  const handle = await p.waitForFunction(
    () => {
      const a = document.activeElement;
      if (!a || a === document.body || a === document.documentElement) return false;
      return `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}${a.className && typeof a.className === 'string' ? `.${a.className.split(' ')[0]}` : ''} "${(a.getAttribute('aria-label') ?? a.textContent ?? '').trim().slice(0, 40)}"`;
    },
    undefined,
    { timeout: 10_000, polling: 50 },
  );
  return (await handle.jsonValue()) as string;
}

async function boxOf(p: Page, selector: string) {
  const b = await p.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
}

describe.runIf(sharedDataAvailable)('the walk-through fixes on real data', () => {
  let api: RunningApi;
  let browser: Browser;
  let area: { id: string; lsoa: string; ring: [number, number][] } | null = null;
  const measured: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dataDir = await importYear();
    api = await startApi({ dataDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    console.log(`walk-through measurements: ${JSON.stringify(measured)}`);
    await browser?.close();
    await api?.stop();
  });

  for (const vp of VIEWPORTS) {
    const size = `${vp.width}x${vp.height}`;
    describe(`at ${size}`, () => {
      let context: BrowserContext;
      let page: Page;
      const pageErrors: string[] = [];
      const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `walkthrough-${name}-${size}.png`) });

      beforeAll(async () => {
        context = await browser.newContext({ viewport: vp, deviceScaleFactor: 1 });
        context.setDefaultTimeout(60_000);
        page = await context.newPage();
        page.on('pageerror', (err) => pageErrors.push(err.message));
        await page.goto(api.url);
      });
      afterAll(async () => {
        await context?.close().catch(() => undefined);
      });

      it('shows Sign in or Sign out, never both, and puts focus on the workspace after signing in', async () => {
        await signInButton(page).waitFor({ state: 'visible' });
        expect(await signOutButton(page).count()).toBe(0);
        await page.getByTestId('role-select').selectOption('analyst');
        // Keyboard sign-in: the button that had focus disappears with the signed-out page.
        await signInButton(page).focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('signed-in-as').filter({ hasText: 'Partnership analyst' }).waitFor({ state: 'visible', timeout: 60_000 });
        const focused = await waitForFocusOffBody(page);
        expect(focused).toMatch(/controls|maplibregl-canvas/);
        await waitForMapReady(page);
        await expect(signOutButton(page).isVisible()).resolves.toBe(true);
        expect(await signInButton(page).count()).toBe(0);
        await shot('signed-in');
      });

      it('keeps the legend and the footer compact', async () => {
        await waitForMapIdle(page);
        // A one-line footer must not widen the page: the map area and the header's controls stay within the window.
        const map = await boxOf(page, '.map-area');
        expect(map.x + map.width, 'map area right edge').toBeLessThanOrEqual(vp.width + 0.5);
        const signOut = (await signOutButton(page).boundingBox())!;
        expect(signOut.x + signOut.width, 'Sign out inside the window').toBeLessThanOrEqual(vp.width);
        const legend = await boxOf(page, '.legend');
        const footer = await boxOf(page, 'footer');
        const m = {
          legendHeight: legend.height / map.height,
          legendArea: (legend.width * legend.height) / (map.width * map.height),
          footerHeight: footer.height / vp.height,
        };
        measured[size] = m;
        expect(m.legendHeight, 'legend height / map height').toBeLessThanOrEqual(LIMITS.legendHeight);
        expect(m.legendArea, 'legend area / map area').toBeLessThanOrEqual(LIMITS.legendArea);
        expect(m.footerHeight, 'footer height / page height').toBeLessThanOrEqual(LIMITS.footerHeight);
        // Everything is still there: the sources behind the footer's disclosure, the classes in the legend.
        await expect(page.locator('footer').innerText()).resolves.toMatch(/About the data/);
        expect(await page.locator('footer .sources li').count()).toBeGreaterThan(3);
        await page.locator('footer summary').click();
        await expect(page.locator('footer .sources').first().isVisible()).resolves.toBe(true);
        await shot('footer-open');
        await page.locator('footer summary').click();
        expect(await page.locator('[data-testid="legend-lsoas"] .legend__list li').count()).toBeGreaterThanOrEqual(3);
      });

      it('names the Census 2021 as the source of an LSOA population, not the mid-2020 estimates', async () => {
        await waitForMapIdle(page);
        const target = await findClickTarget(page, PRIMARY_LAYER.lsoas, 'code', ['areas-fill']);
        expect(target, 'an LSOA with a clear spot on screen').not.toBeNull();
        await page.mouse.click(target!.x, target!.y);
        const panel = page.getByTestId('lsoa-panel');
        await panel.waitFor({ state: 'visible' });
        const population = await panel.locator('dt', { hasText: 'Population' }).locator('xpath=following-sibling::dd[1]').innerText();
        expect(population).toMatch(/^[\d,]+ residents \(source: Census 2021 usual residents/);
        expect(population).not.toMatch(/^[\d,]+ [a-z ]*,? ?ONS mid-2020/);
        await shot('lsoa-panel');

        // Escape closes the panel; focus goes back to the map the LSOA was clicked on, not to the page body.
        await page.keyboard.press('Escape');
        await panel.waitFor({ state: 'detached' });
        expect(await waitForFocusOffBody(page)).toMatch(/maplibregl-canvas|controls/);
      });

      it('returns focus to the button that opened a panel when Escape closes it', async () => {
        const button = page.getByRole('button', { name: 'Hot spot analysis' });
        await button.focus();
        await button.evaluate((el) => el.setAttribute('data-e2e-opener', '1'));
        await page.keyboard.press('Enter');
        const panel = page.getByTestId('hotspot-panel');
        await panel.waitFor({ state: 'visible' });
        await page.waitForFunction(() => !!document.activeElement?.closest('[data-testid="hotspot-panel"]'), undefined, { timeout: 10_000 });
        await page.keyboard.press('Escape');
        await panel.waitFor({ state: 'detached' });
        await waitForFocusOffBody(page);
        await expect(page.evaluate(() => document.activeElement?.getAttribute('data-e2e-opener'))).resolves.toBe('1');
      });

      it('gives a sparse category a class of its own for LSOAs with no crime', async () => {
        const { defaultDatasetId } = await apiJson<{ defaultDatasetId: string }>(page, '/api/datasets');
        // The category with the largest share of LSOAs with no crime in the year that still has crimes in most others.
        let best: { slug: string; zeros: number; label: string } | null = null;
        for (const slug of ['bicycle-theft', 'possession-of-weapons', 'theft-from-the-person', 'robbery', 'other-crime']) {
          const s = await apiJson<{ lsoas: { count: number }[]; categoryLabel: string }>(page, `/api/lsoas/stats?dataset=${defaultDatasetId}&category=${slug}&from=2024-01&to=2024-12`);
          const zeros = s.lsoas.filter((r) => r.count === 0).length;
          if (zeros > s.lsoas.length * 0.25 && zeros < s.lsoas.length * 0.9 && (!best || zeros > best.zeros)) best = { slug, zeros, label: s.categoryLabel };
        }
        expect(best, 'a category where a quarter or more of the LSOAs have no crime').not.toBeNull();
        await page.getByLabel('Crime type', { exact: true }).selectOption(best!.slug);
        const legend = page.getByTestId('legend-lsoas');
        await legend.locator('h3', { hasText: best!.label }).waitFor({ state: 'visible' });
        await page.waitForFunction((n) => {
          const first = document.querySelector('[data-testid="legend-lsoas"] .legend__list li');
          return first?.querySelector('.legend__count')?.textContent === new Intl.NumberFormat('en-GB').format(n);
        }, best!.zeros, { timeout: 60_000 });
        const first = legend.locator('.legend__list li').first();
        // "0 crimes", or "0 per 1,000" when the measure is the rate.
        await expect(first.locator('.legend__label').innerText()).resolves.toMatch(/^0 (crimes|per 1,000)$/);
        // More than two classes: the LSOAs with crime are still split.
        expect(await legend.locator('.legend__list li').count()).toBeGreaterThanOrEqual(4); // 0, two or more classes, no data
        await shot('sparse-category');
        await page.getByLabel('Crime type', { exact: true }).selectOption('all-crime');
      });

      it('selects the LSOA under a drawn area with a click in the bid panel, and the preset list fits the panel', async () => {
        if (!area) {
          // A box in the middle of one LSOA, saved as a drawn area (the page is read again so the map draws it).
          const lsoas = await apiJson<{ features: { properties: { code: string }; geometry: { type: string; coordinates: number[][][] } }[] }>(page, '/api/layers/lsoas');
          const f = lsoas.features.find((x) => x.geometry.type === 'Polygon' && x.geometry.coordinates[0]!.length > 8)!;
          const ring = f.geometry.coordinates[0]!;
          const xs = ring.map((c) => c[0]!);
          const ys = ring.map((c) => c[1]!);
          const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
          const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
          const dx = (Math.max(...xs) - Math.min(...xs)) / 8;
          const dy = (Math.max(...ys) - Math.min(...ys)) / 8;
          const box: [number, number][] = [[cx - dx, cy - dy], [cx + dx, cy - dy], [cx + dx, cy + dy], [cx - dx, cy + dy], [cx - dx, cy - dy]];
          const made = await apiFromPage<{ id: string }>(page, '/api/areas', {
            method: 'POST',
            body: { name: AREA_NAME, theme: 'asb', shape: 'polygon', geometry: { type: 'Polygon', coordinates: [box] } },
          });
          expect(made.status).toBe(201);
          area = { id: made.body.id, lsoa: f.properties.code, ring: box };
        }
        await page.reload();
        await chooseRole(page, 'bid-writer', 'Bid writer');
        await page.getByRole('button', { name: 'Bid: eligible LSOAs and evidence pack' }).click();
        const panel = page.getByTestId('bid-panel');
        await panel.getByTestId('bid-eligible-summary').waitFor({ state: 'visible', timeout: 60_000 });

        // The preset list stays inside the panel: no sideways overflow.
        const preset = await panel.getByLabel('Start from a preset').boundingBox();
        const panelBox = (await panel.boundingBox())!;
        expect(preset!.x + preset!.width).toBeLessThanOrEqual(panelBox.x + panelBox.width + 0.5);
        const overflow = await panel.evaluate((el) => {
          const body = el.querySelector('.side-panel__body') ?? el;
          return body.scrollWidth - body.clientWidth;
        });
        expect(overflow, 'bid panel sideways overflow (px)').toBeLessThanOrEqual(0);
        await shot('bid-panel');

        // Zoom to the drawn area and click inside it, where the LSOA lies beneath.
        const a = area!;
        const xs = a.ring.map((c) => c[0]);
        const ys = a.ring.map((c) => c[1]);
        await page.evaluate((b) => window.__saferPlacesMap!.fitBounds(b, { padding: 160, duration: 0, maxZoom: 15 }), [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]] as [[number, number], [number, number]]);
        await waitForMapIdle(page);
        await page.waitForFunction(() => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['areas-fill'] }).length > 0, undefined, { timeout: 60_000 });
        const px = await page.evaluate(([lon, lat]) => {
          const map = window.__saferPlacesMap!;
          const r = map.getCanvas().getBoundingClientRect();
          const q = map.project([lon, lat]);
          const onArea = map.queryRenderedFeatures([q.x, q.y], { layers: ['areas-fill'] }).length > 0;
          const lsoa = map.queryRenderedFeatures([q.x, q.y], { layers: ['lsoa-fill'] })[0]?.properties.code as string | undefined;
          return { x: Math.round(r.left + q.x), y: Math.round(r.top + q.y), onArea, lsoa, onCanvas: document.elementFromPoint(r.left + q.x, r.top + q.y) === map.getCanvas() };
        }, [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] as [number, number]);
        expect(px.onCanvas).toBe(true);
        expect(px.onArea, 'a drawn area over the LSOA at the click').toBe(true);
        expect(px.lsoa).toBe(a.lsoa);
        // A fresh workspace (the page was read again): nothing is in the bid yet, so the click makes it one LSOA.
        await page.mouse.click(px.x, px.y);
        await page.getByTestId('bid-total-lsoas').filter({ hasText: /^1$/ }).waitFor({ state: 'visible', timeout: 60_000 });
        await expect(page.getByTestId('legend-bid').locator('li', { hasText: 'In the bid' }).locator('.legend__count').innerText()).resolves.toBe('1');
        await shot('bid-click-under-area');
        await panel.getByRole('button', { name: 'Close details' }).click();
      });

      it('keeps the trend chart\'s last month label inside the chart', async () => {
        await page.getByTestId('saved-areas').getByRole('button', { name: new RegExp(AREA_NAME) }).click();
        const trend = page.getByTestId('area-trend');
        await trend.waitFor({ state: 'visible', timeout: 60_000 });
        const fit = await trend.evaluate((fig) => {
          const svg = fig.querySelector('svg')!;
          const labels = [...svg.querySelectorAll('.trend__axis text:not(.trend__axis-title)')] as SVGTextElement[];
          const box = svg.getBoundingClientRect();
          const last = labels.at(-1)!.getBoundingClientRect();
          const first = labels[0]!.getBoundingClientRect();
          return { n: labels.length, text: labels.at(-1)!.textContent, svgLeft: box.left, svgRight: box.right, lastLeft: last.left, lastRight: last.right, firstLeft: first.left };
        });
        expect(fit.n).toBeGreaterThan(1);
        expect(fit.text).toBe('Dec 2024');
        expect(fit.lastRight, 'last label right edge within the chart').toBeLessThanOrEqual(fit.svgRight);
        expect(fit.firstLeft).toBeGreaterThanOrEqual(fit.svgLeft);
        await trend.scrollIntoViewIfNeeded();
        await shot('trend-chart');
        await page.getByTestId('area-panel').getByRole('button', { name: 'Close details' }).click();
      });

      it('raised no uncaught page errors', () => {
        expect(pageErrors).toEqual([]);
      });
    });
  }
});
