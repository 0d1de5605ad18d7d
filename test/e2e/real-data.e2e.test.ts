import { createReadStream, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as turf from '@turf/turf';
import { parse } from 'csv-parse';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { PRIMARY_LAYER, findClickTarget, launchChromium, signInAs, waitForMapReady } from './browser';
import { COUNTY_MONTHS, importCounty } from './county';
import { REPO_ROOT, startApi, type RunningApi } from './server';

/** The map on real Nottinghamshire data: imported with `npm run import`'s code, then opened as a user would. */
const MONTHS = COUNTY_MONTHS;

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

describe.runIf(sharedDataAvailable)('map on imported real data', () => {
  let api: RunningApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dataDir = await importCounty('real');
    api = await startApi({ dataDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await page.goto(api.url);
    await signInAs(page, 'analyst');
    await waitForMapReady(page);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('opens on the imported dataset, without the synthetic badge, with its sources and licences', async () => {
    expect(await page.locator('.dataset-picker select').inputValue()).toBe('open-data');
    expect(await page.getByTestId('synthetic-badge').count()).toBe(0);
    const footer = await page.locator('footer').innerText();
    expect(footer).toMatch(/police\.uk street-level crime/);
    expect(footer).toMatch(/Open Government Licence v3\.0/);
    expect(footer).toMatch(/Contains OS data © Crown copyright/);
    mkdirSync(join(REPO_ROOT, 'test/artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'test/artifacts/real-data-1280x800.png') });
  });

  it('shows for a clicked LSOA the count a brute-force reading of the CSVs gives', async () => {
    // The map eases to the dataset on load; pick the spot once it has stopped moving.
    await page.waitForFunction(() => !window.__saferPlacesMap!.isMoving() && window.__saferPlacesMap!.loaded(), null, { timeout: 60_000 });
    const target = await findClickTarget(page, PRIMARY_LAYER.lsoas, 'code', [PRIMARY_LAYER.cameras, PRIMARY_LAYER['help-points'], PRIMARY_LAYER['pspo-zones'], PRIMARY_LAYER['safer-streets-areas']]);
    expect(target).not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    const count = await page.getByTestId('lsoa-count').innerText();

    const polygon = readdirSync(join(SHARED_DATA, 'lsoa21-boundaries'))
      .flatMap((f) => (JSON.parse(readFileSync(join(SHARED_DATA, 'lsoa21-boundaries', f), 'utf8')) as FeatureCollection<Polygon, { LSOA21CD: string }>).features)
      .find((f) => f.properties.LSOA21CD === target!.id) as Feature<Polygon>;
    let expected = 0;
    for (const m of MONTHS) {
      const seen = new Set<string>();
      for await (const row of createReadStream(join(SHARED_DATA, 'police-uk', `${m}-nottinghamshire-street.csv`)).pipe(parse({ from_line: 2 })) as AsyncIterable<string[]>) {
        if (row[0]) {
          if (seen.has(row.join('\u0001'))) continue;
          seen.add(row.join('\u0001'));
        }
        if (row[4] && row[5] && turf.booleanPointInPolygon([Number(row[4]), Number(row[5])], polygon)) expected++;
      }
    }
    expect(count).toBe(`${new Intl.NumberFormat('en-GB').format(expected)} ${expected === 1 ? 'crime' : 'crimes'} in Oct 2024 to Dec 2024 (3 months)`);
    expect(await page.locator('.legend').innerText()).toMatch(/Oct 2024 to Dec 2024 \(3 months\)/);
  });

  it('finds Gi* hot spots over the county and lists the top 10 patrol spots with their street names', async () => {
    await page.getByRole('button', { name: 'Hot spot analysis' }).click();
    const panel = page.getByTestId('hotspot-panel');
    await panel.getByTestId('hotspot-loading').waitFor({ state: 'detached', timeout: 60_000 });
    await panel.getByTestId('hotspot-summary').waitFor({ state: 'visible' });
    await page.waitForFunction(() => window.__saferPlacesMap!.loaded() && !window.__saferPlacesMap!.isMoving(), null, { timeout: 60_000 });
    const counts = await panel.getByTestId('hotspot-counts').innerText();
    expect(Number(/([\d,]+) hot cell/.exec(counts)![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    const rows = panel.getByTestId('hotspot-top-all-crime').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(10);
    expect(await rows.first().innerText()).toMatch(/On or near /);
    await page.waitForFunction(() => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['hotspot-cells-fill'] }).length > 0, null, { timeout: 60_000 });
    expect(await page.getByTestId('legend-hotspots').innerText()).toMatch(/Nottinghamshire open data/);
    await page.screenshot({ path: join(REPO_ROOT, 'test/artifacts/real-data-hotspots-1280x800.png') });
  });

  it('takes a bid writer from criteria to a downloaded evidence pack for real Nottinghamshire LSOAs', async () => {
    const started = Date.now();
    await page.getByTestId('hotspot-panel').getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('button', { name: 'Bid: eligible LSOAs and evidence pack' }).click();
    const panel = page.getByTestId('bid-panel');
    await panel.getByTestId('bid-eligible-summary').waitFor({ state: 'visible', timeout: 60_000 });
    const preset = await panel.getByLabel('Start from a preset').locator('option').nth(1).getAttribute('value');
    await panel.getByLabel('Start from a preset').selectOption(preset!);
    await page.waitForFunction(() => !document.querySelector('[data-testid="bid-eligibility-loading"]'), null, { timeout: 60_000 });
    expect(await panel.getByTestId('bid-eligible-summary').innerText()).toMatch(/of 684 LSOAs eligible/);
    const rows = panel.getByTestId('bid-eligibility-table').locator('tbody tr');
    for (let i = 0; i < 3; i++) await rows.nth(i).locator('input[type="checkbox"]').check();
    await panel.getByTestId('bid-total-lsoas').filter({ hasText: /^3$/ }).waitFor({ state: 'visible', timeout: 60_000 });
    expect(await panel.getByTestId('bid-totals').innerText()).toMatch(/Residents\s+[\d,]+/);
    await panel.getByLabel('Bid name').fill('Real data bid (e2e)');
    await panel.getByRole('button', { name: 'Save bid draft' }).click();
    await panel.getByRole('button', { name: 'Save changes' }).waitFor({ state: 'visible', timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), panel.getByRole('button', { name: 'Download evidence pack (zip)' }).click()]);
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const report = strFromU8(files['report.html']!);
    expect(report).toMatch(/police\.uk/);
    expect(report).not.toMatch(/SYNTHETIC DATA/);
    expect(strFromU8(files['lsoas.csv']!).match(/^"?E01\d{6}/gm)).toHaveLength(3);
    await page.screenshot({ path: join(REPO_ROOT, 'test/artifacts/real-data-bid-1280x800.png') });
    console.log(`real-data bid: criteria to evidence pack in ${((Date.now() - started) / 1000).toFixed(1)} s of scripted clicking`);
  }, 300_000);
});
