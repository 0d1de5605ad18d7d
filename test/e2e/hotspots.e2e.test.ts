import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, PRIMARY_LAYER, apiJson, openBrowserSession, renderedCount, signInAs, waitForMapIdle, waitForMapReady, waitForRendered, type BrowserSession } from './browser';
import { FROM, LAST, independentCount } from './demo';
import type { RunningApi } from './server';

/**
 * The analyst's hot spot workflow in a real browser on the synthetic demo data: Gi* cells and the numbered top spots
 * on the map, the figures checked against an independent count and against the API, a cell and a spot picked by
 * mouse, several crime types, change over time, density, the CSV, and the LSOA shading given back on close.
 */

const CELLS = 'hotspot-cells-fill';
const SPOTS = 'hotspot-spots-symbol';
const SPOT_SELECTED = 'hotspot-spot-selected';

let api: RunningApi;
let page: Page;
let pageErrors: string[];

async function waitForAnalysis(p: Page): Promise<void> {
  const panel = p.getByTestId('hotspot-panel');
  await panel.getByTestId('hotspot-loading').waitFor({ state: 'detached', timeout: 60_000 });
  await panel.getByTestId('hotspot-summary').waitFor({ state: 'visible', timeout: 60_000 });
  await waitForMapIdle(p);
}

/** Whether the LSOA fill is one plain colour rather than the choropleth's per-LSOA match (shading off while hot spots show). */
async function lsoaFillIsPlain(p: Page): Promise<boolean> {
  return p.evaluate((id) => typeof window.__saferPlacesMap!.getPaintProperty(id, 'fill-color') === 'string', PRIMARY_LAYER.lsoas);
}

const numberIn = (text: string) => Number(/([\d,]+)/.exec(text)![1]!.replace(/,/g, ''));

let session: BrowserSession;
beforeAll(async () => ({ api, page, pageErrors } = session = await openBrowserSession()), 300_000);
afterAll(() => session?.close());

describe('hot spot analysis in a real browser', () => {
  it('opens from the controls, turns the LSOA shading plain and draws Gi* cells with numbered top spots', async () => {
    await page.goto(api.url);
    await signInAs(page, 'analyst');
    await waitForMapReady(page);
    await waitForRendered(page, PRIMARY_LAYER.lsoas, 'some');
    const open = page.getByRole('button', { name: 'Hot spot analysis' });
    await open.focus();
    await page.keyboard.press('Enter');
    await expect(open.getAttribute('aria-expanded')).resolves.toBe('true');
    await waitForAnalysis(page);
    await expect(lsoaFillIsPlain(page)).resolves.toBe(true);
    await expect(page.getByTestId('legend-lsoas').count()).resolves.toBe(0);
    await waitForRendered(page, CELLS, 'some');
    await waitForRendered(page, SPOTS, 'some');
    const legend = page.getByTestId('legend-hotspots');
    await expect(legend.innerText()).resolves.toMatch(/Gi\* hot and cold spots: All crime and ASB/);
    await expect(legend.innerText()).resolves.toMatch(/Hot spot, 99 % confidence/);
    await expect(legend.innerText()).resolves.toMatch(/Synthetic demo data|synthetic demo data/);
  });

  it('reports the crimes an independent count gives and the cells the API finds', async () => {
    const panel = page.getByTestId('hotspot-panel');
    expect(numberIn(await panel.getByTestId('hotspot-crimes').innerText())).toBe(independentCount());
    const h = await apiJson<{ hot: number; cold: number; top: { spots: { rank: number; location: string; count: number }[] }[] }>(
      page,
      `/api/hotspots?from=${FROM}&to=${LAST}&top=10`,
    );
    const counts = await panel.getByTestId('hotspot-counts').innerText();
    expect(counts).toContain(`${h.hot.toLocaleString('en-GB')} hot cell`);
    expect(counts).toContain(`${h.cold.toLocaleString('en-GB')} cold cell`);
    const rows = panel.getByTestId('hotspot-top-all-crime').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(10);
    const first = await rows.first().innerText();
    expect(first).toContain(h.top[0]!.spots[0]!.location);
    expect(first).toContain(h.top[0]!.spots[0]!.count.toLocaleString('en-GB'));
  });

  it('shows a spot on the map when its rank is chosen, and a cell’s figures when it is clicked', async () => {
    const panel = page.getByTestId('hotspot-panel');
    await panel.getByRole('button', { name: 'Show All crime and ASB hot spot 1 on the map' }).click();
    await waitForMapIdle(page);
    await waitForRendered(page, SPOT_SELECTED, 'some');
    await expect(panel.getByTestId('hotspot-top-all-crime').locator('tbody tr').first().getAttribute('aria-selected')).resolves.toBe('true');

    // Click the middle of a rendered hot cell well clear of the numbered markers.
    const target = await page.evaluate(
      ([cells, spots]) => {
        const map = window.__saferPlacesMap!;
        const rect = map.getCanvas().getBoundingClientRect();
        const markers = map.queryRenderedFeatures({ layers: [spots] }).map((f) => map.project(f.geometry.coordinates as [number, number]));
        for (const f of map.queryRenderedFeatures({ layers: [cells] })) {
          if ((f.properties.class as number) <= 0) continue;
          const ring = f.geometry.coordinates[0] as [number, number][];
          const lon = ring.slice(0, -1).reduce((s, p) => s + p[0], 0) / (ring.length - 1);
          const lat = ring.slice(0, -1).reduce((s, p) => s + p[1], 0) / (ring.length - 1);
          const p = map.project([lon, lat]);
          if (p.x < 10 || p.y < 10 || p.x > rect.width - 10 || p.y > rect.height - 10) continue;
          if (markers.some((m) => Math.hypot(m.x - p.x, m.y - p.y) < 30)) continue;
          const x = Math.round(rect.left + p.x);
          const y = Math.round(rect.top + p.y);
          if (document.elementFromPoint(x, y) !== map.getCanvas()) continue;
          const hit = map.queryRenderedFeatures([x - rect.left, y - rect.top], { layers: [cells] })[0];
          if (hit && hit.properties.cell === f.properties.cell) return { x, y, cell: f.properties.cell as number, count: f.properties.count as number };
        }
        return null;
      },
      [CELLS, SPOTS] as const,
    );
    expect(target, 'a hot cell to click').not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    const cell = panel.getByTestId('hotspot-cell');
    await cell.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await cell.innerText();
    expect(text).toMatch(/Hot spot, 9\d % confidence/);
    expect(text).toContain(`${target!.count.toLocaleString('en-GB')} crimes in the cell`);
    await waitForRendered(page, 'hotspot-cell-selected', 'some');
  });

  it('lists the top spots of each of three crime types, each from its own crimes', async () => {
    const panel = page.getByTestId('hotspot-panel');
    // Back to the whole demo area for the picture.
    const bbox = (await apiJson<{ datasets: { bbox: [number, number, number, number] }[] }>(page, '/api/datasets')).datasets[0]!.bbox;
    await page.evaluate((b) => window.__saferPlacesMap!.fitBounds([[b[0], b[1]], [b[2], b[3]]], { duration: 0 }), bbox);
    await panel.locator('summary').filter({ hasText: 'Crime types' }).click();
    for (const label of ['Burglary', 'Robbery', 'Shoplifting']) await panel.getByLabel(label, { exact: true }).check();
    await panel.getByLabel('All crime and ASB', { exact: true }).uncheck();
    await waitForAnalysis(page);
    for (const key of ['burglary', 'robbery', 'shoplifting']) {
      const table = panel.getByTestId(`hotspot-top-${key}`);
      await table.waitFor({ state: 'visible' });
      const caption = await table.locator('caption').innerText();
      expect(numberIn(caption.slice(caption.lastIndexOf('(')))).toBe(independentCount({ category: key }));
    }
    await expect(page.getByTestId('legend-hotspots').innerText()).resolves.toMatch(/Top hot spots: Burglary[\s\S]*Top hot spots: Robbery[\s\S]*Top hot spots: Shoplifting/);
    await page.screenshot({ path: join(ARTIFACTS, 'hotspots-1280x800.png') });
  });

  it('downloads the top-spot table as a CSV that says where it came from', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download top hot spots (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe(`top-hot-spots-${FROM}-to-${LAST}.csv`);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/Synthetic demo data/);
    expect(lines.filter((l) => l.startsWith('Burglary,')).length).toBe(10);
  });

  it('classifies change over the whole dataset and draws density with its bandwidth in the legend', async () => {
    const panel = page.getByTestId('hotspot-panel');
    await panel.getByLabel('Change over time').check();
    await waitForAnalysis(page);
    await expect(panel.getByLabel('Period', { exact: true }).inputValue()).resolves.toBe('all');
    await expect(page.getByTestId('legend-hotspots').innerText()).resolves.toMatch(/Hot spot change/);
    await expect(panel.getByTestId('hotspot-counts').innerText()).resolves.toMatch(/hotspot/);
    await waitForRendered(page, CELLS, 'some');
    await expect(renderedCount(page, SPOTS)).resolves.toBe(0);

    await panel.getByLabel('Density (KDE)').check();
    await waitForAnalysis(page);
    await expect(page.getByTestId('legend-hotspots').innerText()).resolves.toMatch(/Density, crimes per km²[\s\S]*bandwidth [\d,]+ m/);
    await panel.getByLabel(/Per 1,000 residents/).check();
    await waitForAnalysis(page);
    await expect(page.getByTestId('legend-hotspots').innerText()).resolves.toMatch(/crimes per 1,000 residents/);
    await waitForRendered(page, CELLS, 'some');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'hotspots-density-1024x700.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('gives the LSOA shading back on close, and a viewer can run the analysis too', async () => {
    await page.getByTestId('hotspot-panel').getByRole('button', { name: 'Close details' }).click();
    await page.getByTestId('legend-lsoas').waitFor({ state: 'visible' });
    await waitForRendered(page, CELLS, 'none');
    await expect(lsoaFillIsPlain(page)).resolves.toBe(false);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs(page, 'viewer');
    await waitForMapReady(page);
    await page.getByRole('button', { name: 'Hot spot analysis' }).click();
    await waitForAnalysis(page);
    await waitForRendered(page, CELLS, 'some');
    expect(pageErrors).toEqual([]);
  });
});
