/**
 * Map export in Chromium on the demo data: the "Export map" dialog by keyboard, the PNG (decoded here: its size, a
 * non-blank map, the legend's colours in the legend column, the title and the synthetic-data label) at 1280×800 and
 * 1024×700, the A4 landscape print layout (the only thing printed, landscape in the PDF), and the patrol sheet's
 * picture of the route on the map.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, canvasPixels, openBrowserSession, signInAs, waitForMapIdle, waitForMapReady, waitForRendered, type BrowserSession } from './browser';
import { demo } from './demo';

let session: BrowserSession;
let page: Page;

/** The PNG layout at twice screen resolution (apps/web/src/features/export/layout.ts): margins 16, gap 12, legend 250 CSS px. */
const U = 2;
const MARGIN = 16 * U;
const GAP = 12 * U;
const LEGEND_W = 250 * U;
/** The LSOA legend swatches are drawn at this opacity over white (LSOA_FILL_OPACITY + 0.1). */
const SWATCH_ALPHA = 0.82;

interface PngFacts {
  width: number;
  height: number;
  distinctColours: number;
  mapDistinct: number;
  mapBackgroundShare: number;
  legendHits: number[];
  titleDark: number;
  yellow: number;
}

/** Decodes a PNG in the page and reads what the checks need from its pixels. */
async function readPng(p: Page, bytes: Buffer, legendColours: [number, number, number][]): Promise<PngFacts> {
  return p.evaluate(
    async ({ b64, colours, layout }) => {
      const bin = atob(b64);
      const arr = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
      const bmp = await createImageBitmap(new Blob([arr], { type: 'image/png' }));
      const c = document.createElement('canvas');
      c.width = bmp.width;
      c.height = bmp.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const { data, width, height } = ctx.getImageData(0, 0, bmp.width, bmp.height);
      const at = (x: number, y: number) => (y * width + x) * 4;
      const mapW = width - (2 * layout.margin + layout.gap + layout.legendW);
      const all = new Set<number>();
      const inMap = new Set<number>();
      let mapPixels = 0;
      let mapBackground = 0;
      const legendHits = colours.map(() => 0);
      let titleDark = 0;
      let yellow = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = at(x, y);
          const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!;
          const q = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
          all.add(q);
          const inMapBox = x >= layout.margin && x < layout.margin + mapW && y > 120 && y < height - 60;
          if (inMapBox) {
            inMap.add(q);
            mapPixels++;
            // The offline background (#e8edf1) or plain white: nothing drawn there.
            if ((Math.abs(r - 0xe8) <= 2 && Math.abs(g - 0xed) <= 2 && Math.abs(b - 0xf1) <= 2) || (r === 255 && g === 255 && b === 255)) mapBackground++;
          }
          if (x >= layout.margin + mapW + layout.gap && x < width - layout.margin) {
            colours.forEach(([cr, cg, cb], k) => {
              if (Math.abs(r - cr) <= 3 && Math.abs(g - cg) <= 3 && Math.abs(b - cb) <= 3) legendHits[k]!++;
            });
          }
          if (y >= layout.margin && y < layout.margin + 60 && x < width / 2 && r < 80 && g < 80 && b < 80) titleDark++;
          if (y < 200 && Math.abs(r - 0xf0) <= 2 && Math.abs(g - 0xe4) <= 2 && Math.abs(b - 0x42) <= 2) yellow++;
        }
      }
      return { width, height, distinctColours: all.size, mapDistinct: inMap.size, mapBackgroundShare: mapBackground / Math.max(1, mapPixels), legendHits, titleDark, yellow };
    },
    { b64: bytes.toString('base64'), colours: legendColours, layout: { margin: MARGIN, gap: GAP, legendW: LEGEND_W } },
  );
}

/** The on-screen legend's LSOA class colours, as the PNG's swatches paint them (at their opacity over white). */
async function lsoaSwatchColours(p: Page): Promise<[number, number, number][]> {
  const css = await p.locator('[data-testid="legend-lsoas"] .swatch--fill').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  return css.map((c) => {
    const [r, g, b] = /rgba?\((\d+), (\d+), (\d+)/.exec(c)!.slice(1).map(Number) as [number, number, number];
    return [r, g, b].map((v) => Math.round(255 * (1 - SWATCH_ALPHA) + v * SWATCH_ALPHA)) as [number, number, number];
  });
}

async function openExportDialog(p: Page) {
  const open = p.getByRole('button', { name: 'Export map…' });
  await open.focus();
  await p.keyboard.press('Enter');
  const dialog = p.getByTestId('export-dialog');
  await dialog.waitFor({ state: 'visible' });
  return dialog;
}

async function exportPng(p: Page, size: string): Promise<{ facts: PngFacts; colours: [number, number, number][]; cssW: number; name: string }> {
  await waitForMapIdle(p);
  const colours = await lsoaSwatchColours(p);
  expect(colours.length).toBeGreaterThanOrEqual(3);
  const cssW = await p.evaluate(() => window.__saferPlacesMap!.getCanvas().clientWidth);
  const dialog = await openExportDialog(p);
  await dialog.getByLabel('Title').fill(`Test export ${size}`);
  await dialog.getByLabel('PNG picture (download)').check();
  const [download] = await Promise.all([p.waitForEvent('download'), dialog.getByRole('button', { name: 'Download PNG' }).click()]);
  await dialog.waitFor({ state: 'detached' });
  const bytes = readFileSync((await download.path())!);
  writeFileSync(join(ARTIFACTS, `export-map-${size}.png`), bytes);
  return { facts: await readPng(p, bytes, colours), colours, cssW, name: download.suggestedFilename() };
}

function checkPng(r: Awaited<ReturnType<typeof exportPng>>) {
  const { facts, cssW } = r;
  expect(r.name).toMatch(/^safer-places-map-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.png$/);
  // Twice the map's CSS width, plus the margins, gap and legend column.
  expect(Math.abs(facts.width - (2 * MARGIN + GAP + LEGEND_W) - 2 * cssW)).toBeLessThanOrEqual(2);
  expect(facts.height).toBeGreaterThan(600);
  expect(facts.distinctColours).toBeGreaterThan(100);
  expect(facts.mapDistinct).toBeGreaterThan(20);
  expect(facts.mapBackgroundShare).toBeLessThan(0.6);
  // Every class colour of the LSOA legend appears in the legend column, as a swatch (26 × 16 CSS px, less its edge).
  facts.legendHits.forEach((hits, k) => expect(hits, `legend colour ${r.colours[k]!.join(',')}`).toBeGreaterThan(600));
  expect(facts.titleDark).toBeGreaterThan(500);
  expect(facts.yellow).toBeGreaterThan(300); // the synthetic demo data label
}

beforeAll(async () => {
  session = await openBrowserSession();
  page = session.page;
}, 300_000);
afterAll(() => session?.close());

describe('map export in a real browser (demo data)', () => {
  it('opens the export dialog from the map controls by keyboard, with a suggested title; Escape returns', async () => {
    await page.goto(session.api.url);
    await signInAs(page, 'planner');
    await waitForMapReady(page);
    await waitForRendered(page, 'lsoa-fill', 'some');
    const dialog = await openExportDialog(page);
    const title = dialog.getByLabel('Title');
    await expect(title.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(title.inputValue()).resolves.toMatch(/^Crimes per 1,000 residents: .+, .+/);
    await expect(dialog.getByLabel('PNG picture (download)').isChecked()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(page.getByRole('button', { name: 'Export map…' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  });

  it('exports a PNG at 1280×800: non-blank map, the legend colours, title and synthetic label', async () => {
    const r = await exportPng(page, '1280x800');
    checkPng(r);
    await page.screenshot({ path: join(ARTIFACTS, 'export-app-1280x800.png') });
    expect(session.pageErrors).toEqual([]);
  });

  it('opens an A4 landscape print layout that is the only thing printed', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { __prints: number; print(): void };
      w.__prints = 0;
      w.print = () => void w.__prints++;
    });
    const dialog = await openExportDialog(page);
    await dialog.getByLabel('Print layout (A4 landscape)').check();
    await dialog.getByRole('button', { name: 'Open print layout' }).click();
    const layout = page.getByTestId('map-print');
    await layout.waitFor({ state: 'visible' });
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="map-print-image"]');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    const img = await page.getByTestId('map-print-image').evaluate((el: HTMLImageElement) => ({ w: el.naturalWidth, h: el.naturalHeight, alt: el.alt }));
    expect(img).toMatchObject({ w: 2339, h: 1654 }); // A4 landscape at 200 dpi
    expect(img.alt).toMatch(/Legend|Crimes per 1,000 residents/);
    await page.waitForFunction(() => (window as unknown as { __prints: number }).__prints === 1);
    await page.screenshot({ path: join(ARTIFACTS, 'export-print-layout-1280x800.png') });
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#root').isVisible()).resolves.toBe(false);
    await expect(layout.isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('map-print-image').isVisible()).resolves.toBe(true);
    await expect(layout.getByRole('button', { name: 'Print' }).isVisible()).resolves.toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'export-print-media-1280x800.png'), fullPage: true });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(ARTIFACTS, 'export-print.pdf'), pdf);
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
    expect(box).not.toBeNull();
    const [w, h] = [Number(box![1]), Number(box![2])];
    expect(Math.abs(w - 841.89)).toBeLessThan(2); // A4 landscape in points
    expect(Math.abs(h - 595.28)).toBeLessThan(2);
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(1);
    await page.emulateMedia({ media: 'screen' });
    await page.keyboard.press('Escape');
    await layout.waitFor({ state: 'detached' });
    await expect(page.locator('style[data-map-export]').count()).resolves.toBe(0);
  });

  it('exports a PNG at 1024×700 too', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    // The map follows its container's new size on a later frame: wait until the canvas has it.
    await page.waitForFunction(() => { const m = window.__saferPlacesMap!; return m.getCanvas().clientWidth === m.getCanvas().parentElement!.parentElement!.clientWidth; });
    const r = await exportPng(page, '1024x700');
    checkPng(r);
    await page.screenshot({ path: join(ARTIFACTS, 'export-app-1024x700.png') });
  });

  it('draws the patrol sheet route map as a picture of the map, keeping the drawn one as a hidden fallback', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Patrols and CCTV' }).click();
    const panel = page.getByTestId('planner-panel');
    await panel.waitFor({ state: 'visible' });
    const [lon, lat] = demo.assets.cameras[0]!.input.location.coordinates;
    await page.evaluate(([x, y]) => window.__saferPlacesMap!.fitBounds([[x - 0.05, y - 0.03], [x + 0.05, y + 0.03]], { duration: 0 }), [lon, lat] as [number, number]);
    await waitForMapIdle(page);
    await panel.getByRole('button', { name: 'Choose the start on the map' }).click();
    const [px] = await canvasPixels(page, [[lon + 0.012, lat - 0.006]]);
    await page.mouse.click(px!.x, px!.y);
    await panel.getByTestId('planner-stops').waitFor({ state: 'visible', timeout: 90_000 });
    await waitForMapIdle(page);
    const bounds = () => page.evaluate(() => {
      const b = window.__saferPlacesMap!.getBounds();
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    });
    const viewBefore = await bounds();
    await page.getByRole('button', { name: 'Patrol sheet (print)' }).click();
    const sheet = page.getByTestId('patrol-sheet');
    await sheet.waitFor({ state: 'visible' });
    const picture = sheet.getByTestId('map-picture');
    await picture.waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="map-picture"]');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    await expect(sheet.locator('.map-picture__fallback').isVisible()).resolves.toBe(false);
    await expect(sheet.locator('svg circle').count()).resolves.toBe(10); // the drawn route map is still there, hidden
    const facts = await picture.evaluate(async (img: HTMLImageElement) => {
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      const seen = new Set<number>();
      let yellow = 0;
      for (let i = 0; i < data.length; i += 4) {
        seen.add(((data[i]! >> 3) << 10) | ((data[i + 1]! >> 3) << 5) | (data[i + 2]! >> 3));
        if (Math.abs(data[i]! - 0xf0) <= 4 && Math.abs(data[i + 1]! - 0xe4) <= 4 && Math.abs(data[i + 2]! - 0x42) <= 4) yellow++;
      }
      return { w: c.width, distinct: seen.size, yellow };
    });
    expect(facts.distinct).toBeGreaterThan(50);
    expect(facts.yellow).toBeGreaterThan(50); // the start marker, drawn by the map
    await page.screenshot({ path: join(ARTIFACTS, 'export-patrol-sheet-1280x800.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    // The map is back where it was.
    const viewAfter = await bounds();
    viewAfter.forEach((v, i) => expect(v).toBeCloseTo(viewBefore[i]!, 5));
    expect(session.pageErrors).toEqual([]);
  });
});
