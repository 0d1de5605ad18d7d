import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { importFiles, openStore } from '@safer-places/importer';
import { ARTIFACTS, launchChromium, signInAs, waitForMapReady } from './browser';
import { importCounty } from './county';
import { startApi, type RunningApi } from './server';
import { SHARED_DATA, sharedDataAvailable } from '../integration/shared-data';

/*
 * The search box on the real county (three months of police.uk crime): an LSOA code and Enter fly to the LSOA and open
 * its figures; a ward picked from the list fits the view to the ward and outlines it; a police.uk location in view and
 * a postcode (from a generated postcode file, never real postcodes) drop a marker and open their LSOA. After signing
 * in, everything is done with the keyboard only, at 1280×800 and 1024×700.
 */

type Box = [number, number, number, number];
interface LsoaFeature {
  properties: { LSOA21CD: string; LSOA21NM: string; WD24NM: string; LAD24CD: string };
  geometry: { type: 'Polygon'; coordinates: [number, number][][] };
}
const LSOA_CODE = 'E01013875'; // Nottingham 005A, in Bulwell ward
const WARD = 'Bulwell';
const POSTCODE = 'ZZ9 9ZA';

function countyLsoas(): LsoaFeature[] {
  const dir = join(SHARED_DATA, 'lsoa21-boundaries');
  return readdirSync(dir).flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { features: LsoaFeature[] }).features);
}
const boxOf = (features: LsoaFeature[]): Box => {
  const pts = features.flatMap((f) => f.geometry.coordinates.flat());
  return [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
};

/** The map's view now: its bounds and zoom. */
const view = (page: Page) =>
  page.evaluate(() => {
    const m = window.__saferPlacesMap!;
    const b = m.getBounds();
    return { box: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] as Box, zoom: m.getZoom() };
  });
const contains = (outer: Box, inner: Box) => outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
const rendered = (page: Page, layer: string) =>
  page.evaluate((id) => {
    const m = window.__saferPlacesMap!;
    return m.getLayer(id) ? m.queryRenderedFeatures({ layers: [id] }).length : -1;
  }, layer);
const settled = (page: Page) => page.waitForFunction(() => window.__saferPlacesMap!.loaded() && !window.__saferPlacesMap!.isMoving(), undefined, { timeout: 60_000, polling: 100 });

/** Focuses the box with "/" and types, keyboard only; waits until the list answers the text typed. */
async function typeInSearch(page: Page, text: string) {
  // "/" focuses the box from anywhere but a text field; in the box already, the text is replaced.
  if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'search-input') await page.keyboard.press('/');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-input');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}
/** axe-core (evaluated in the page: the app's Content Security Policy refuses injected script tags). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
type AxeRun = (context: Element, options: Record<string, unknown>) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }>;

/** The serious and critical axe violations (WCAG 2.x A/AA and best practice) inside the search box, list and all. */
async function auditSearch(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(() =>
    (window as unknown as { axe: { run: AxeRun } }).axe.run(document.querySelector('form[role="search"]')!, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    }).then((r) => r.violations),
  );
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}
const waitForOptions = (page: Page) => page.getByTestId('search-option').first().waitFor({ state: 'visible', timeout: 60_000 });

describe.runIf(sharedDataAvailable)('search in the browser', () => {
  let api: RunningApi;
  let browser: Browser;
  const lsoas = countyLsoas();
  const lsoaBox = boxOf(lsoas.filter((f) => f.properties.LSOA21CD === LSOA_CODE));
  const wardBox = boxOf(lsoas.filter((f) => f.properties.WD24NM === WARD && f.properties.LAD24CD === 'E06000018'));
  const centre: [number, number] = [(lsoaBox[0] + lsoaBox[2]) / 2, (lsoaBox[1] + lsoaBox[3]) / 2];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dataDir = await importCounty('search');
    // A generated ONS-style postcode file: one made-up postcode at the LSOA's centre.
    const file = join(dataDir, 'postcodes.csv');
    writeFileSync(file, `pcd,pcds,doterm,lat,long,lsoa21\nZZ9 9ZA,${POSTCODE},,${centre[1]},${centre[0]},${LSOA_CODE}\nZZ9 9ZB,ZZ9 9ZB,201001,${centre[1]},${centre[0]},${LSOA_CODE}\n`);
    const store = await openStore({ dataDir });
    try {
      await importFiles([file], { reference: store.reference, postcodes: store.postcodes, datasetId: 'open-data' });
    } finally {
      await store.close();
    }
    api = await startApi({ dataDir });
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  for (const [width, height] of [
    [1280, 800],
    [1024, 700],
  ] as const) {
    describe(`at ${width}×${height}, keyboard only`, () => {
      let page: Page;
      const errors: string[] = [];
      beforeAll(async () => {
        page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(api.url);
        await signInAs(page, 'analyst');
        await waitForMapReady(page);
        await settled(page);
      }, 300_000);
      afterAll(() => page?.close());

      it('finds an LSOA by its code: Enter flies there and opens its figures', async () => {
        await typeInSearch(page, LSOA_CODE.toLowerCase());
        await page.keyboard.press('Enter');
        const panel = page.getByTestId('lsoa-panel');
        await panel.waitFor({ state: 'visible', timeout: 60_000 });
        expect(await panel.innerText()).toContain(`LSOA ${LSOA_CODE}`);
        expect(await panel.innerText()).toMatch(/Ward\s+Bulwell/);
        // Its figures, read without a mouse: the panel's heading has the focus, the count is in the panel.
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('panel-heading');
        await page.getByTestId('lsoa-count').filter({ hasText: /crimes? in/ }).waitFor({ timeout: 60_000 });
        await settled(page);
        const v = await view(page);
        expect(contains(v.box, lsoaBox), `view ${v.box} holds the LSOA ${lsoaBox}`).toBe(true);
        expect(v.zoom).toBeGreaterThan(12);
        // The LSOA is outlined and selected on the map.
        expect(await rendered(page, 'sp-search-outline')).toBeGreaterThan(0);
        expect(await page.getByTestId('search-status').innerText()).toMatch(/result/);
        await page.screenshot({ path: join(ARTIFACTS, `search-lsoa-${width}.png`) });
      });

      it('finds a ward by name: picking it fits the view to the ward and outlines it', async () => {
        await typeInSearch(page, 'bulwell');
        await waitForOptions(page);
        // The town of Bulwell (the wards Bulwell and Bulwell Forest, as the map labels it) may come first: go down to the ward.
        const texts = await page.getByTestId('search-option').allTextContents();
        const at = texts.findIndex((t) => /^Ward: Bulwell\. Ward in Nottingham · 11 LSOAs/.test(t));
        expect(at, texts.join(' | ')).toBeGreaterThanOrEqual(0);
        expect(at).toBeLessThanOrEqual(1);
        const first = page.getByTestId('search-option').nth(at);
        for (let i = 0; i <= at; i++) await page.keyboard.press('ArrowDown');
        const input = page.getByTestId('search-input');
        expect(await input.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
        expect(await input.getAttribute('aria-expanded')).toBe('true');
        await page.screenshot({ path: join(ARTIFACTS, `search-list-${width}.png`) });
        expect(await auditSearch(page)).toEqual([]);
        await page.keyboard.press('Enter');
        await settled(page);
        const v = await view(page);
        expect(contains(v.box, wardBox), `view ${v.box} holds the ward ${wardBox}`).toBe(true);
        // Fitted, not merely somewhere around it: the ward spans at least a third of the view's width or height.
        const share = Math.max((wardBox[2] - wardBox[0]) / (v.box[2] - v.box[0]), (wardBox[3] - wardBox[1]) / (v.box[3] - v.box[1]));
        expect(share).toBeGreaterThan(0.33);
        await page.waitForFunction(() => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['sp-search-outline'] }).length >= 5, undefined, { timeout: 30_000, polling: 100 });
        await page.screenshot({ path: join(ARTIFACTS, `search-ward-${width}.png`) });
        expect(await input.getAttribute('aria-expanded')).toBe('false');
      });

      // In the view the ward left (Bulwell): its supermarkets' snap points.
      it('finds a police.uk location in view and marks it, opening the LSOA it is in', async () => {
        await typeInSearch(page, 'supermarket');
        await waitForOptions(page);
        const labels = await page.getByTestId('search-option').allTextContents();
        const index = labels.findIndex((l) => l.startsWith('police.uk location: On or near Supermarket.'));
        expect(index, labels.join('\n')).toBeGreaterThanOrEqual(0);
        expect(labels[index]).toMatch(/\d+ crimes? at this point, 2024-10 to 2024-12 · .* ward, /);
        for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await page.getByTestId('lsoa-panel').waitFor({ state: 'visible' });
        await settled(page);
        await page.waitForFunction(() => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['sp-search-marker-dot'] }).length === 1, undefined, { timeout: 30_000, polling: 100 });
      });

      it('finds an imported postcode: marker, and the LSOA it lies in', async () => {
        // Another LSOA's details first, so the postcode's own must open.
        await typeInSearch(page, 'E01013879');
        await page.keyboard.press('Enter');
        await page.getByTestId('lsoa-panel').filter({ hasText: 'LSOA E01013879' }).waitFor({ state: 'visible', timeout: 60_000 });
        await typeInSearch(page, POSTCODE.replace(' ', '').toLowerCase());
        await page.keyboard.press('Enter');
        const panel = page.getByTestId('lsoa-panel');
        await panel.filter({ hasText: `LSOA ${LSOA_CODE}` }).waitFor({ state: 'visible', timeout: 60_000 });
        await settled(page);
        const v = await view(page);
        expect(v.zoom).toBeGreaterThan(14);
        expect(contains(v.box, [centre[0], centre[1], centre[0], centre[1]])).toBe(true);
        await page.waitForFunction(() => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['sp-search-marker-dot'] }).length === 1, undefined, { timeout: 30_000, polling: 100 });
        await page.screenshot({ path: join(ARTIFACTS, `search-postcode-${width}.png`) });
      });

      it('closes the list with Escape, then clears the box, keeping the panel open', async () => {
        await typeInSearch(page, 'bulwell');
        await waitForOptions(page);
        await page.keyboard.press('Escape');
        expect(await page.getByTestId('search-input').getAttribute('aria-expanded')).toBe('false');
        expect(await page.getByTestId('lsoa-panel').count()).toBe(1);
        await page.keyboard.press('Escape');
        expect(await page.getByTestId('search-input').inputValue()).toBe('');
        expect(await page.getByTestId('lsoa-panel').count()).toBe(1);
        expect(errors).toEqual([]);
      });
    });
  }
});
