import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { ARTIFACTS, apiFromPage, launchChromium, signInAs, waitForMapIdle, waitForMapReady } from './browser';
import { importCounty } from './county';
import { startApi, type RunningApi } from './server';

/**
 * One place for every analysis, on the real Nottinghamshire data: a Mansfield analyst picks the Mansfield district in
 * the header once, and the LSOA shading (layer and statistics), the hot spot analysis and a patrol plan all run on
 * Mansfield alone: the requests the page sends name it, the answers say so, and only Mansfield's LSOAs are drawn.
 */
const MANSFIELD = 'district:E07000174';
const MANSFIELD_LSOAS = 68;

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

describe.runIf(sharedDataAvailable)('the place picker on real data (Mansfield)', () => {
  let api: RunningApi;
  let browser: Browser;
  let page: Page;
  /** Every API request the page sent: path, query and JSON body. */
  const sent: { path: string; params: URLSearchParams; body: Record<string, unknown> | null }[] = [];
  const record = (req: Request) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith('/api/')) return;
    let body: Record<string, unknown> | null = null;
    try {
      body = req.postData() ? (JSON.parse(req.postData()!) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    sent.push({ path: url.pathname, params: url.searchParams, body });
  };
  const sentTo = (path: string) => sent.filter((r) => r.path === path);

  /** The LSOAs drawn by the shading layer (unique codes) and their districts. */
  const drawnLsoas = () =>
    page.evaluate(() => {
      const map = window.__saferPlacesMap!;
      const features = map.queryRenderedFeatures({ layers: ['lsoa-fill'] });
      const codes = new Map<string, string>();
      for (const f of features) codes.set(String(f.properties.code), String(f.properties.districtCode));
      return { count: codes.size, districts: [...new Set(codes.values())] };
    });

  beforeAll(async () => {
    const dataDir = await importCounty('scope');
    api = await startApi({ dataDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page.on('request', record);
    await page.goto(api.url);
    await signInAs(page, 'analyst');
    await waitForMapReady(page);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('lands on the study area (no home area set) with the places grouped, the address left clean', async () => {
    const select = page.getByLabel('Place', { exact: true });
    await expect(select.inputValue()).resolves.toBe('study-area');
    const groups = await select.locator('optgroup').evaluateAll((els) => els.map((e) => (e as HTMLOptGroupElement).label));
    expect(groups).toEqual(expect.arrayContaining(['Study area', 'Community Safety Partnerships', 'Districts', 'Map view']));
    expect(groups.indexOf('Study area')).toBeLessThan(groups.indexOf('Districts'));
    const districts = await select.locator('optgroup[label="Districts"] option').allInnerTexts();
    expect(districts).toContain(`Mansfield (${MANSFIELD_LSOAS} LSOAs)`);
    expect(new URL(page.url()).searchParams.get('scope')).toBeNull(); // the home area by default: nothing to keep
    const stats = sentTo('/api/lsoas/stats');
    expect(stats.length).toBeGreaterThan(0);
    expect(stats.every((r) => r.params.get('scope') === 'study-area')).toBe(true);
  });

  it('a Mansfield analyst picks Mansfield once: the shading covers its 68 LSOAs, classed within Mansfield', async () => {
    sent.length = 0;
    // The figures for the place are its LSOAs (the map draws exactly these from the LSOA tiles).
    const figures = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/lsoas/stats' && new URL(r.url()).searchParams.get('scope') === MANSFIELD, { timeout: 60_000 });
    // By keyboard: the picker is a labelled control in the header.
    await page.getByLabel('Place', { exact: true }).focus();
    await page.getByLabel('Place', { exact: true }).selectOption(MANSFIELD);
    const body = (await (await figures).json()) as { lsoas: { code: string }[]; scope: { lsoaCount: number } };
    expect(body.lsoas).toHaveLength(MANSFIELD_LSOAS);
    expect(body.scope.lsoaCount).toBe(MANSFIELD_LSOAS);

    await page.getByTestId('legend-scope').filter({ hasText: /Mansfield: 68 LSOAs/ }).waitFor({ timeout: 60_000 });
    await waitForMapIdle(page);
    await page.waitForFunction((n) => {
      const map = window.__saferPlacesMap!;
      return new Set(map.queryRenderedFeatures({ layers: ['lsoa-fill'] }).map((f) => String(f.properties.code))).size >= n;
    }, MANSFIELD_LSOAS - 2, { timeout: 60_000 });
    const drawn = await drawnLsoas();
    expect(drawn.districts).toEqual(['E07000174']);
    expect(drawn.count).toBeLessThanOrEqual(MANSFIELD_LSOAS);
    expect(drawn.count).toBeGreaterThanOrEqual(MANSFIELD_LSOAS - 2); // the map was fitted to Mansfield: (nearly) all of it in view

    // The legend's classes count Mansfield's LSOAs only.
    const counts = (await page.locator('[data-testid="legend-lsoas"] .legend__count').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(MANSFIELD_LSOAS);

    // Every request for the shading named Mansfield, and the page's URL keeps it.
    const stats = sentTo('/api/lsoas/stats');
    expect(stats.length).toBeGreaterThan(0);
    for (const r of stats) expect(r.params.get('scope'), r.path).toBe(MANSFIELD);
    // The LSOAs are drawn from the tiles, never from the capped GeoJSON layer.
    expect(sentTo('/api/layers/lsoas')).toEqual([]);
    expect(new URL(page.url()).searchParams.get('scope')).toBe(MANSFIELD);
    expect(page.url()).toContain(`scope=${MANSFIELD}`);

    // The map shows Mansfield, not the county.
    const view = await page.evaluate(() => {
      const b = window.__saferPlacesMap!.getBounds();
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    });
    expect(view[2]! - view[0]!).toBeLessThan(0.5); // the county is about 1.2° wide
    expect(view[0]!).toBeLessThan(-1.2);
    expect(view[2]!).toBeGreaterThan(-1.15);

    // Legible and clear of the map controls at both sizes (screenshots in test/artifacts).
    for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(400);
      await waitForMapIdle(page);
      const layout = await page.evaluate(() => {
        const r = (sel: string) => document.querySelector(sel)?.getBoundingClientRect() ?? null;
        return {
          picker: r('[data-testid="scope-picker"]'),
          select: r('[data-testid="scope-select"]'),
          header: r('.app-header'),
          map: r('.map-area'),
          zoom: r('.maplibregl-ctrl-top-right'),
          scrollWidth: document.documentElement.scrollWidth,
          scrollHeight: document.documentElement.scrollHeight,
        };
      });
      expect(layout.picker!.bottom, `picker inside the header at ${width}`).toBeLessThanOrEqual(layout.header!.bottom);
      expect(layout.header!.bottom).toBeLessThanOrEqual(layout.map!.top + 1);
      expect(layout.zoom!.top).toBeGreaterThanOrEqual(layout.header!.bottom);
      expect(layout.select!.width, `the picker is wide enough to read at ${width}`).toBeGreaterThanOrEqual(150);
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      expect(layout.scrollHeight).toBeLessThanOrEqual(height);
      await page.screenshot({ path: join(ARTIFACTS, `scope-mansfield-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitForMapIdle(page);
  });

  it('the hot spot analysis follows it: Gi* and the top 10 are within Mansfield, with ward and district', async () => {
    sent.length = 0;
    await page.getByRole('button', { name: 'Hot spot analysis' }).click();
    const panel = page.getByTestId('hotspot-panel');
    await panel.getByTestId('hotspot-loading').waitFor({ state: 'detached', timeout: 90_000 });
    await panel.getByTestId('hotspot-summary').waitFor({ state: 'visible' });
    await expect(panel.getByTestId('hotspot-scope').innerText()).resolves.toBe(`Figures for Mansfield (${MANSFIELD_LSOAS} LSOAs)`);
    const hotspots = sentTo('/api/hotspots');
    expect(hotspots.length).toBeGreaterThan(0);
    for (const r of hotspots) expect(r.params.get('scope')).toBe(MANSFIELD);
    const rows = panel.getByTestId('hotspot-top-all-crime').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(10);
    expect(await panel.getByTestId('hotspot-top-all-crime').locator('caption').innerText()).toMatch(/^Top 10 hot spots in Mansfield/);
    const places = await rows.getByTestId('place-line').allInnerTexts();
    expect(places).toHaveLength(10);
    for (const p of places) expect(p).toMatch(/ward, Mansfield$/);
    expect(await rows.first().innerText()).toMatch(/On or near /);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(ARTIFACTS, 'scope-mansfield-hotspots-1280x800.png') });

    // The top-N download asks for Mansfield too.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), panel.getByRole('button', { name: 'Download top hot spots (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = sentTo('/api/hotspots/top.csv');
    expect(csv).toHaveLength(1);
    expect(csv[0]!.params.get('scope')).toBe(MANSFIELD);
    await panel.getByRole('button', { name: 'Close details' }).click();
  });

  it('a patrol plan follows it: the stops are Mansfield hot spots', async () => {
    sent.length = 0;
    await page.getByRole('button', { name: 'Patrols and CCTV' }).click();
    const panel = page.getByTestId('planner-panel');
    await panel.waitFor({ state: 'visible' });
    await expect(panel.getByText(/Anywhere in Mansfield/).count()).resolves.toBe(1);
    await panel.getByRole('button', { name: 'Use the map centre' }).click();
    await panel.getByTestId('planner-stops').waitFor({ state: 'visible', timeout: 90_000 });
    await panel.getByTestId('planner-loading').waitFor({ state: 'detached', timeout: 90_000 });
    await expect(panel.getByTestId('planner-scope').innerText()).resolves.toBe(`Figures for Mansfield (${MANSFIELD_LSOAS} LSOAs)`);
    const patrol = sentTo('/api/planning/patrol');
    expect(patrol.length).toBeGreaterThan(0);
    for (const r of patrol) expect(r.params.get('scope')).toBe(MANSFIELD);
    const stops = panel.getByTestId('planner-stops').locator('tbody tr');
    const places = await stops.getByTestId('place-line').allInnerTexts();
    expect(places.length).toBeGreaterThanOrEqual(5);
    for (const p of places) expect(p).toMatch(/Mansfield$/);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(ARTIFACTS, 'scope-mansfield-patrol-1280x800.png') });

    // Coverage gaps (a POST) carry the place in the body.
    await panel.getByRole('tab', { name: 'Coverage gaps' }).click();
    await panel.getByTestId('planner-coverage-figures').waitFor({ state: 'visible', timeout: 90_000 });
    const coverage = sentTo('/api/planning/coverage');
    expect(coverage.length).toBeGreaterThan(0);
    expect(coverage.every((r) => r.body?.scope === MANSFIELD)).toBe(true);
    await expect(panel.getByTestId('planner-scope').innerText()).resolves.toMatch(/Figures for Mansfield/);
    await panel.getByRole('button', { name: 'Close details' }).click();
  });

  it('keeps the place through a reload (the URL carries it)', async () => {
    sent.length = 0;
    await page.reload();
    await waitForMapReady(page);
    await expect(page.getByLabel('Place', { exact: true }).inputValue()).resolves.toBe(MANSFIELD);
    const figures = sentTo('/api/lsoas/stats');
    expect(figures.length).toBeGreaterThan(0);
    expect(figures.every((r) => r.params.get('scope') === MANSFIELD)).toBe(true);
    await page.getByTestId('legend-scope').filter({ hasText: /Mansfield: 68 LSOAs/ }).waitFor({ timeout: 60_000 });
  });

  it('the strategic assessment and a new bid start from the place', async () => {
    sent.length = 0;
    await page.getByRole('button', { name: 'Strategic assessment' }).click();
    const view = page.getByTestId('strategic-view');
    await view.locator('table').first().waitFor({ timeout: 60_000 });
    await expect(view.getByTestId('strategic-scope').innerText()).resolves.toMatch(/^Figures for Mansfield/);
    const strategic = sentTo('/api/strategic-assessment');
    expect(strategic.length).toBeGreaterThan(0);
    for (const r of strategic) {
      expect(r.params.get('scope')).toBe(MANSFIELD);
      expect(r.params.get('groupBy')).toBe('district');
    }
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'detached' });

    sent.length = 0;
    await page.getByRole('button', { name: 'Bid: eligible LSOAs and evidence pack' }).click();
    const panel = page.getByTestId('bid-panel');
    await panel.getByTestId('bid-eligible-summary').waitFor({ state: 'visible', timeout: 60_000 });
    await expect(panel.getByLabel('Where').inputValue()).resolves.toBe('districts');
    await expect(panel.getByLabel('Mansfield', { exact: true }).isChecked()).resolves.toBe(true);
    expect(await panel.getByTestId('bid-eligible-summary').innerText()).toMatch(new RegExp(`of ${MANSFIELD_LSOAS} LSOAs eligible`));
    const eligibility = sentTo('/api/bids/eligibility');
    expect(eligibility.at(-1)!.body!.criteria).toMatchObject({ scope: { kind: 'districts', codes: ['E07000174'] } });
    await panel.getByRole('button', { name: 'Close details' }).click();
  });

  it('an administrator saves a partnership area, picks it, and makes Mansfield the home area colleagues land on', async () => {
    await signInAs(page, 'admin');
    await waitForMapReady(page);
    const select = page.getByLabel('Place', { exact: true });
    await expect(select.inputValue()).resolves.toBe(MANSFIELD); // the link's place, for the new user too
    await page.getByRole('button', { name: 'Places…' }).click();
    const dialog = page.getByTestId('scope-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByLabel('Name').fill('Bassetlaw and Newark (e2e)');
    await dialog.getByLabel(/^Bassetlaw/).check();
    await dialog.getByLabel(/^Newark and Sherwood/).check();
    await dialog.getByRole('button', { name: 'Save partnership area' }).click();
    await dialog.getByTestId('partnership-list').getByText('Bassetlaw and Newark (e2e)').waitFor({ timeout: 60_000 });
    await select.locator('optgroup[label="Partnership areas"] option').first().waitFor({ state: 'attached', timeout: 60_000 });
    const partnerships = await select.locator('optgroup[label="Partnership areas"] option').allInnerTexts();
    expect(partnerships).toEqual([expect.stringMatching(/^Bassetlaw and Newark \(e2e\) \(\d+ LSOAs\)$/)]);

    // Mansfield (the current place) becomes home.
    await dialog.getByRole('button', { name: 'Make this our home area' }).click();
    await dialog.getByText('Mansfield is now your organisation\'s home area.').first().waitFor({ timeout: 60_000 });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: join(ARTIFACTS, 'scope-places-dialog-1024x700.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(select.evaluate((e) => document.activeElement === e || document.activeElement?.textContent === 'Places…')).resolves.toBe(true);

    // The partnership area is a place like any other: the shading follows it.
    const value = await select.locator('optgroup[label="Partnership areas"] option').first().getAttribute('value');
    expect(value).toMatch(/^partnership:/);
    await select.selectOption(value!);
    await page.getByTestId('legend-scope').filter({ hasText: /^Bassetlaw and Newark \(e2e\): \d+ LSOAs/ }).waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('scope')).toBe(value);

    // A colleague opening the map without a place in the link lands on the home area.
    await signInAs(page, 'viewer');
    await page.goto(api.url);
    await waitForMapReady(page);
    await expect(page.getByLabel('Place', { exact: true }).inputValue()).resolves.toBe(MANSFIELD);
    await page.getByTestId('legend-scope').filter({ hasText: /Mansfield: 68 LSOAs/ }).waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('scope')).toBeNull();
    // Viewers get neither the home button nor the partnership form, and the server refuses them the home scope.
    await page.getByRole('button', { name: 'Places…' }).click();
    await page.getByTestId('scope-dialog').waitFor({ state: 'visible' });
    expect(await page.getByRole('button', { name: 'Make this our home area' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save partnership area' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    const refused = await apiFromPage(page, '/api/home-scope', { method: 'PUT', body: { scope: 'study-area' } });
    expect(refused.status).toBe(403);

    // A link to a place this dataset does not hold lands on the home area and says why.
    await page.goto(`${api.url}/?scope=district:E09000033`);
    await waitForMapReady(page);
    await expect(page.getByLabel('Place', { exact: true }).inputValue()).resolves.toBe(MANSFIELD);
    await expect(page.getByTestId('scope-problem').innerText()).resolves.toMatch(/district:E09000033.*not in Nottinghamshire open data: showing Mansfield/);
    expect(new URL(page.url()).searchParams.get('scope')).toBeNull(); // the link's place is taken off the address
  });

  it('runs on the map view when that is the place chosen', async () => {
    sent.length = 0;
    await page.getByLabel('Place', { exact: true }).selectOption('map-view');
    await page.getByTestId('legend-scope').filter({ hasText: /^Map view: \d+ LSOAs?/ }).waitFor({ timeout: 60_000 });
    const scope = new URL(page.url()).searchParams.get('scope')!;
    expect(scope).toMatch(/^view:-?[\d.]+,[\d.]+,-?[\d.]+,[\d.]+$/);
    expect(sentTo('/api/lsoas/stats').at(-1)!.params.get('scope')).toBe(scope);
    await expect(page.getByLabel('Place', { exact: true }).inputValue()).resolves.toBe(scope);
  });

  it('shows the study area and where every crime row went in "About the data"', async () => {
    const footer = page.locator('footer');
    await footer.locator('summary').click();
    await expect(footer.getByTestId('study-area').innerText()).resolves.toMatch(/Study area: .+, 684 LSOAs/);
    const accounting = await footer.getByTestId('crime-accounting').innerText();
    expect(accounting).toMatch(/Placed in the study area \(counted in every analysis\): [\d,]+/);
    expect(accounting).toMatch(/Outside the study area \(kept, not counted\): [\d,]+/);
    expect(accounting).toMatch(/No location \(kept, not mapped\): [\d,]+/);
    expect(accounting).toMatch(/Exact duplicates skipped: [\d,]+/);
    await page.screenshot({ path: join(ARTIFACTS, 'scope-about-the-data-1280x800.png') });
    await footer.locator('summary').click();
  });
});
