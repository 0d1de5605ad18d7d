import * as turf from '@turf/turf';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOTSPOTS } from '@safer-places/domain';
import { canvasPixels, openBrowserSession, signInAs, waitForMapIdle, waitForMapReady, type BrowserSession } from './browser';
import { drawnRing, independentCount, type Ring } from './demo';
import type { RunningApi } from './server';

/**
 * The other three drawing tools with the mouse — rectangle, circle and freehand — each checked the same way as the
 * polygon: the shape lands where the mouse went, and the panel's count equals an independent count inside it.
 */

let api: RunningApi;
let page: Page;
let pageErrors: string[];

const centre = DEMO_HOTSPOTS.find((h) => h.name === 'Northvale Market Place')!.centre;

async function expectPanelCount(p: Page, ring: Ring): Promise<number> {
  const panel = p.getByTestId('area-panel');
  await panel.waitFor({ state: 'visible', timeout: 60_000 });
  await panel.getByTestId('area-total').waitFor({ state: 'visible', timeout: 60_000 });
  const text = await panel.getByTestId('area-total').innerText();
  const total = Number(/([\d,]+)\s+crimes?/.exec(text)![1]!.replace(/,/g, ''));
  const expected = independentCount({ ring });
  expect(expected).toBeGreaterThan(20);
  expect(total).toBe(expected);
  return total;
}

async function discard(p: Page) {
  await p.getByTestId('area-panel').getByRole('button', { name: 'Discard' }).click();
  await p.getByTestId('area-panel').waitFor({ state: 'detached' });
}

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowserSession();
  ({ api, page, pageErrors } = session);
  await page.goto(api.url);
  await signInAs(page, 'analyst');
  await waitForMapReady(page);
  await page.evaluate(([lon, lat]) => {
    window.__saferPlacesMap!.fitBounds([[lon - 0.012, lat - 0.007], [lon + 0.012, lat + 0.007]], { padding: { top: 40, bottom: 40, left: 320, right: 60 }, duration: 0 });
  }, centre);
  await waitForMapIdle(page);
}, 300_000);

afterAll(() => session?.close());

describe('rectangle, circle and freehand with the mouse', () => {
  it('draws a rectangle from corner to corner', async () => {
    const [a, b] = await canvasPixels(page, [
      [centre[0] - 0.006, centre[1] + 0.0035],
      [centre[0] + 0.006, centre[1] - 0.0035],
    ]);
    await page.getByRole('button', { name: 'Draw Rectangle' }).click();
    await page.mouse.move(a!.x, a!.y, { steps: 3 });
    await page.mouse.click(a!.x, a!.y);
    await page.mouse.move(b!.x, b!.y, { steps: 8 });
    await page.mouse.click(b!.x, b!.y);
    await page.getByTestId('area-panel').waitFor({ state: 'visible', timeout: 60_000 });
    const ring = await drawnRing(page);
    expect(ring).toHaveLength(5);
    const lons = ring.map((q) => q[0]);
    const lats = ring.map((q) => q[1]);
    expect(Math.min(...lons)).toBeCloseTo(centre[0] - 0.006, 3);
    expect(Math.max(...lons)).toBeCloseTo(centre[0] + 0.006, 3);
    expect(Math.min(...lats)).toBeCloseTo(centre[1] - 0.0035, 3);
    expect(Math.max(...lats)).toBeCloseTo(centre[1] + 0.0035, 3);
    await expectPanelCount(page, ring);
    await discard(page);
  });

  it('draws a circle from its centre out to its edge', async () => {
    const [c, edge] = await canvasPixels(page, [
      [centre[0], centre[1]],
      [centre[0] + 0.006, centre[1]],
    ]);
    await page.getByRole('button', { name: 'Draw Circle' }).click();
    await page.mouse.move(c!.x, c!.y, { steps: 3 });
    await page.mouse.click(c!.x, c!.y);
    await page.mouse.move(edge!.x, edge!.y, { steps: 8 });
    await page.mouse.click(edge!.x, edge!.y);
    await page.getByTestId('area-panel').waitFor({ state: 'visible', timeout: 60_000 });
    const ring = await drawnRing(page);
    expect(ring.length).toBeGreaterThan(16);
    // Every vertex about 0.006° of longitude (≈ 390 m here) from the centre.
    const radiusM = 0.006 * 111_320 * Math.cos((centre[1] * Math.PI) / 180);
    for (const q of ring) expect(Math.abs(turf.distance(turf.point(centre), turf.point(q), { units: 'meters' }) - radiusM)).toBeLessThan(radiusM * 0.05);
    await expectPanelCount(page, ring);
    await discard(page);
  });

  it('draws a freehand shape following the mouse', async () => {
    const loop: [number, number][] = Array.from({ length: 24 }, (_, i) => {
      const a = (2 * Math.PI * i) / 24;
      const r = 1 + 0.25 * Math.sin(3 * a);
      return [centre[0] + 0.0055 * r * Math.cos(a), centre[1] + 0.0032 * r * Math.sin(a)];
    });
    const px = await canvasPixels(page, loop);
    await page.getByRole('button', { name: 'Draw Freehand' }).click();
    await page.mouse.move(px[0]!.x, px[0]!.y, { steps: 3 });
    await page.mouse.click(px[0]!.x, px[0]!.y);
    for (const q of px.slice(1)) await page.mouse.move(q.x, q.y, { steps: 3 });
    await page.mouse.move(px[0]!.x + 2, px[0]!.y + 2, { steps: 3 });
    await page.mouse.click(px[0]!.x + 2, px[0]!.y + 2);
    await page.getByTestId('area-panel').waitFor({ state: 'visible', timeout: 60_000 });
    const ring = await drawnRing(page);
    expect(ring.length).toBeGreaterThan(8);
    // The shape covers about the area of the loop the mouse went round (within 20 %).
    const drawnArea = turf.area(turf.polygon([ring]));
    const loopArea = turf.area(turf.polygon([[...loop, loop[0]!]]));
    expect(Math.abs(drawnArea - loopArea) / loopArea).toBeLessThan(0.2);
    await expectPanelCount(page, ring);
    await discard(page);
    expect(pageErrors).toEqual([]);
  });
});
