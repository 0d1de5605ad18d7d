import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bidCategoriesOf, type BidCategorySelection, type BidPresetList } from '@safer-places/schemas';
import { ARTIFACTS, PRIMARY_LAYER, apiJson, findClickTarget, openBrowserSession, signInAs, waitForMapIdle, waitForMapReady, type BrowserSession } from './browser';
import { FROM, LAST, demo } from './demo';
import type { RunningApi } from './server';

/**
 * The bid writer's workflow in a real browser on the demo data: apply a preset, choose three LSOAs (table and map),
 * check the totals against an independent count of the regenerated demo crimes, lasso more, save the draft and
 * download the evidence pack, then check the files inside it.
 */

let api: RunningApi;
let page: Page;
let pageErrors: string[];
let session: BrowserSession;
beforeAll(async () => ({ api, page, pageErrors } = session = await openBrowserSession()), 300_000);
afterAll(() => session?.close());

const BLOCKERS = [PRIMARY_LAYER.cameras, PRIMARY_LAYER['help-points'], PRIMARY_LAYER['pspo-zones'], PRIMARY_LAYER['safer-streets-areas'], 'areas-fill'];
const BID_NAME = 'Northvale <b>centre</b> (e2e)';

/** Crimes of the categories in the LSOAs over the last 12 months, straight from the regenerated demo data. */
function independentCount(codes: readonly string[], categories: readonly BidCategorySelection[]): number {
  const wanted = new Set(categories.flatMap((c) => bidCategoriesOf(c)));
  const inside = new Set(codes);
  let n = 0;
  for (const block of demo.crimeBlocks) {
    if (block.month < FROM || block.month > LAST || !inside.has(block.lsoaCode)) continue;
    for (const c of block.crimes) if (wanted.has(c.category)) n++;
  }
  return n;
}

async function chosenCodes(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement>('[data-testid="bid-eligibility-table"] tbody input[type="checkbox"]:checked')].map(
      (i) => /\(([^)]+)\) in the bid$/.exec(i.getAttribute('aria-label') ?? '')![1]!,
    ),
  );
}

async function waitForTotals(p: Page, lsoas: number) {
  await p.getByTestId('bid-total-lsoas').filter({ hasText: new RegExp(`^${lsoas}$`) }).waitFor({ state: 'visible', timeout: 60_000 });
}

describe('bid writing in a real browser', () => {
  let categories: BidCategorySelection[];
  let chosen: string[] = [];

  it('opens the bid panel, applies a preset and lists eligible LSOAs on the map and in the table', async () => {
    await page.goto(api.url);
    await signInAs(page, 'bid-writer');
    await waitForMapReady(page);
    await page.getByRole('button', { name: 'Bid: eligible LSOAs and evidence pack' }).click();
    const panel = page.getByTestId('bid-panel');
    await panel.getByTestId('bid-eligible-summary').waitFor({ state: 'visible', timeout: 60_000 });
    await expect(panel.getByRole('note').first().innerText()).resolves.toMatch(/prospectus/);

    const presets = await apiJson<BidPresetList>(page, '/api/bid-presets');
    const preset = presets.items.find((p) => p.builtIn)!;
    categories = preset.criteria.categories as BidCategorySelection[];
    await panel.getByLabel('Start from a preset').selectOption(preset.id);
    await page.waitForFunction(() => !document.querySelector('[data-testid="bid-eligibility-loading"]'), undefined, { timeout: 60_000 });
    const summary = await panel.getByTestId('bid-eligible-summary').innerText();
    const eligible = Number(/([\d,]+) of/.exec(summary)![1]!.replace(/,/g, ''));
    expect(eligible).toBeGreaterThan(0);
    await page.waitForFunction((n) => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['bid-eligible-fill'] }).length > 0 || n === 0, eligible, { timeout: 60_000 });
    await expect(page.getByTestId('legend-bid').innerText()).resolves.toMatch(/Eligible LSOA/);
  });

  it('chooses three LSOAs, one in the table and two on the map, with totals equal to an independent count', async () => {
    const panel = page.getByTestId('bid-panel');
    const first = panel.getByTestId('bid-eligibility-table').locator('tbody tr').first();
    await first.locator('input[type="checkbox"]').check();
    await waitForTotals(page, 1);
    chosen = await chosenCodes(page);
    expect(chosen).toHaveLength(1);

    // Look at the chosen LSOA and its neighbours.
    const lsoas = await apiJson<{ features: { properties: { code: string }; geometry: { type: string; coordinates: number[][][] } }[] }>(page, '/api/layers/lsoas');
    const ring = lsoas.features.find((f) => f.properties.code === chosen[0])!.geometry.coordinates[0]!;
    const xs = ring.map((c) => c[0]!);
    const ys = ring.map((c) => c[1]!);
    const bounds: [[number, number], [number, number]] = [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]];
    await page.evaluate((b) => window.__saferPlacesMap!.fitBounds(b, { padding: 120, duration: 0, maxZoom: 14 }), bounds);
    await waitForMapIdle(page);
    for (let k = 0; k < 2; k++) {
      const target = await findClickTarget(page, PRIMARY_LAYER.lsoas, 'code', BLOCKERS, chosen);
      expect(target, 'an LSOA to click').not.toBeNull();
      await page.mouse.click(target!.x, target!.y);
      chosen = [...chosen, target!.id];
      await waitForTotals(page, chosen.length);
    }
    await expect(page.getByTestId('bid-total-crimes').innerText()).resolves.toMatch(new RegExp(`^${independentCount(chosen, categories).toLocaleString('en-GB')}\\b`));
    await page.waitForFunction(() => window.__saferPlacesMap!.queryRenderedFeatures({ layers: ['bid-target-outline'] }).length > 0, undefined, { timeout: 60_000 });
    await expect(panel.getByTestId('bid-contiguity').innerText()).resolves.toMatch(/contiguous|separate groups/);
    await expect(panel.getByTestId('bid-comparison').locator('li').count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'bid-1280x800.png') });
  });

  it('lassoes more LSOAs with the mouse', async () => {
    const panel = page.getByTestId('bid-panel');
    // Step back so that neighbouring LSOAs' centres are in view too.
    await page.evaluate(() => {
      const map = window.__saferPlacesMap! as unknown as { getZoom(): number; zoomTo(z: number, o: { duration: number }): void };
      map.zoomTo(map.getZoom() - 1.5, { duration: 0 });
    });
    await waitForMapIdle(page);
    await panel.getByRole('button', { name: 'Lasso LSOAs' }).click();
    // A loop round the middle of the map, two thirds of its size across, as whole screen pixels on the canvas.
    const px = await page.evaluate(() => {
      const canvas = window.__saferPlacesMap!.getCanvas();
      const r = canvas.getBoundingClientRect();
      const radius = Math.min(r.width, r.height) / 3;
      return Array.from({ length: 16 }, (_, i) => {
        const a = (2 * Math.PI * i) / 16;
        const x = Math.round(r.left + r.width / 2 + radius * Math.cos(a));
        const y = Math.round(r.top + r.height / 2 + radius * Math.sin(a));
        return { x, y, onCanvas: document.elementFromPoint(x, y) === canvas };
      });
    });
    for (const q of px) expect(q.onCanvas, `${q.x},${q.y} on the canvas`).toBe(true);
    await page.mouse.move(px[0]!.x, px[0]!.y, { steps: 2 });
    await page.mouse.click(px[0]!.x, px[0]!.y);
    for (const q of px.slice(1)) await page.mouse.move(q.x, q.y, { steps: 3 });
    await page.mouse.move(px[0]!.x + 2, px[0]!.y + 2, { steps: 3 });
    await page.mouse.click(px[0]!.x + 2, px[0]!.y + 2);
    // The lasso only adds: more LSOAs than before, and the bid panel is still there (the last click selected nothing).
    await page.waitForFunction((n) => {
      const el = document.querySelector('[data-testid="bid-total-lsoas"]');
      return !!el && Number(el.textContent) > n;
    }, chosen.length, { timeout: 60_000 });
    await expect(page.locator('.toast').innerText()).resolves.toMatch(/added by the lasso/);
    await expect(panel.getByRole('button', { name: 'Lasso LSOAs' }).getAttribute('aria-pressed')).resolves.toBe('false');
  });

  it('saves the draft and downloads an evidence pack with the report, table and areas', async () => {
    const panel = page.getByTestId('bid-panel');
    await panel.getByLabel('Bid name').fill(BID_NAME);
    await panel.getByRole('button', { name: 'Save bid draft' }).click();
    await panel.getByRole('button', { name: 'Save changes' }).waitFor({ state: 'visible', timeout: 60_000 });
    const lsoaCount = Number(await panel.getByTestId('bid-total-lsoas').innerText());
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), panel.getByRole('button', { name: 'Download evidence pack (zip)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    expect(Object.keys(files).sort()).toEqual(['buffer.geojson', 'comparison.geojson', 'lsoas.csv', 'report.html', 'target.geojson']);
    const report = strFromU8(files['report.html']!);
    expect(report).toContain('Northvale &lt;b&gt;centre&lt;/b&gt; (e2e)');
    expect(report).not.toContain('<b>centre</b>');
    expect(report).toMatch(/synthetic/i);
    expect(report).toContain('<svg');
    const csv = strFromU8(files['lsoas.csv']!).trim().split(/\r?\n/);
    expect(csv.filter((l) => /^"?DEMO\d{5}/.test(l)).length).toBe(lsoaCount);
    const target = JSON.parse(strFromU8(files['target.geojson']!)) as { features: { geometry: { type: string } }[] };
    expect(['Polygon', 'MultiPolygon']).toContain(target.features[0]!.geometry.type);
    // A look at the printable report as a reader gets it (test/artifacts).
    writeFileSync(join(ARTIFACTS, 'bid-report.html'), report);
    const reader = await session.context.newPage();
    await reader.goto(`file://${join(ARTIFACTS, 'bid-report.html')}`);
    await reader.screenshot({ path: join(ARTIFACTS, 'bid-report.png'), fullPage: true });
    await reader.close();
    expect(pageErrors).toEqual([]);
  });

  it('evaluates a funded Safer Streets area before and after its start, as the API works it out', async () => {
    await page.getByTestId('bid-panel').getByRole('button', { name: 'Close details' }).click();
    const areas = await apiJson<{ features: { properties: { id: string; startDate: string }; geometry: { coordinates: number[][][] } }[] }>(page, '/api/layers/safer-streets-areas');
    const area = areas.features[0]!;
    const ring = area.geometry.coordinates[0]!;
    const bounds: [[number, number], [number, number]] = [
      [Math.min(...ring.map((c) => c[0]!)), Math.min(...ring.map((c) => c[1]!))],
      [Math.max(...ring.map((c) => c[0]!)), Math.max(...ring.map((c) => c[1]!))],
    ];
    await page.evaluate((b) => window.__saferPlacesMap!.fitBounds(b, { padding: { top: 40, bottom: 40, left: 320, right: 60 }, duration: 0 }), bounds);
    await waitForMapIdle(page);
    const target = await findClickTarget(page, PRIMARY_LAYER['safer-streets-areas'], 'id', [PRIMARY_LAYER.cameras, PRIMARY_LAYER['help-points'], PRIMARY_LAYER['pspo-zones'], 'areas-fill']);
    expect(target).not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    const panel = page.getByTestId('asset-panel');
    await panel.getByRole('button', { name: 'Compare before and after' }).click();
    await panel.getByTestId('evaluation-result').waitFor({ state: 'visible', timeout: 60_000 });
    const start = await panel.getByLabel('Intervention start').inputValue();
    const expected = await apiJson<{ target: { before: number; after: number }; caveats: string[] }>(page, `/api/safer-streets-areas/${target!.id}/evaluation?start=${start}&months=12`);
    const text = await panel.getByTestId('evaluation-result').innerText();
    expect(text).toMatch(new RegExp(`Target area\\s+${expected.target.before.toLocaleString('en-GB')}\\s+${expected.target.after.toLocaleString('en-GB')}`));
    expect(text).toContain(expected.caveats[0]!);
    await expect(panel.getByTestId('evaluation-did').innerText()).resolves.toMatch(/crimes against the expected|not possible/);
  });

  it('fits 1024×700 with the bid panel open', async () => {
    await page.getByRole('button', { name: 'Bid: eligible LSOAs and evidence pack' }).click();
    await page.getByTestId('bid-panel').waitFor({ state: 'visible' });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'bid-1024x700.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
