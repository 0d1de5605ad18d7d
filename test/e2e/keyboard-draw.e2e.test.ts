import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOTSPOTS } from '@safer-places/domain';
import { ARTIFACTS, apiFromPage, canvasPixels, openBrowserSession, waitForMapIdle, waitForMapReady, type BrowserSession } from './browser';
import { drawnRing, independentCount, type Ring } from './demo';
import type { RunningApi } from './server';

/**
 * Drawing an area without a mouse: sign in, reach the draw tools, type the corners and save the area with the keyboard
 * alone (Tab, Enter, arrow keys and typing), and check the figures against an independent count of the demo crimes.
 * Then, with the mouse, Backspace and Ctrl+Z take back the last corners of a polygon being drawn.
 */

const AREA_NAME = 'Typed market place (e2e)';
const centre = DEMO_HOTSPOTS.find((h) => h.name === 'Northvale Market Place')!.centre;
/** A pentagon of about 450 m round the market place, [lon, lat], to 6 decimals as typed. */
const corners: Ring = [0, 1, 2, 3, 4].map((i) => {
  const a = (Math.PI * 2 * i) / 5 + 0.3;
  return [Math.round((centre[0] + 0.0075 * Math.cos(a)) * 1e6) / 1e6, Math.round((centre[1] + 0.0042 * Math.sin(a)) * 1e6) / 1e6];
});

let api: RunningApi;
let page: Page;
let pageErrors: string[];
let session: BrowserSession;

beforeAll(async () => {
  session = await openBrowserSession();
  ({ api, page, pageErrors } = session);
}, 300_000);
afterAll(() => session?.close());

/** What has the keyboard focus: tag, accessible-ish name, test id, and whether a focus ring is drawn. */
async function focused(p: Page) {
  return p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return null;
    const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent ?? '' : '';
    const style = getComputedStyle(el);
    return {
      tag: el.tagName,
      name: (el.getAttribute('aria-label') ?? label ?? '').trim() || (el.textContent ?? '').trim(),
      testId: el.getAttribute('data-testid'),
      ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? 'outline' : style.boxShadow !== 'none' ? 'shadow' : null,
    };
  });
}

/** Presses Tab until the focused element matches, as a keyboard user would (at most `max` presses). */
async function tabTo(p: Page, match: (f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean, what: string, max = 120) {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    const f = await focused(p);
    if (f && match(f)) return f;
  }
  throw new Error(`${what} not reached with ${max} presses of Tab`);
}

/** Moves a focused select with the arrow keys (Home first) until it holds `value`. */
async function chooseWithArrows(p: Page, select: ReturnType<Page['getByTestId']>, value: string) {
  await p.keyboard.press('Home');
  for (let i = 0; i < 20 && (await select.inputValue()) !== value; i++) await p.keyboard.press('ArrowDown');
  await expect(select.inputValue()).resolves.toBe(value);
}

function countFrom(text: string): number {
  const m = /([\d,]+)\s+crimes?/.exec(text);
  if (!m) throw new Error(`no count in "${text}"`);
  return Number(m[1]!.replace(/,/g, ''));
}

describe('keyboard only: draw an area by coordinates', () => {
  it('signs in with the keyboard', async () => {
    await page.goto(api.url);
    await tabTo(page, (f) => f.testId === 'role-select', 'the role picker');
    await chooseWithArrows(page, page.getByTestId('role-select'), 'analyst');
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'Sign in', 'Sign in');
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-as').filter({ hasText: 'Analyst' }).waitFor({ state: 'visible', timeout: 60_000 });
    await waitForMapReady(page);
  });

  it('reaches "Type or paste coordinates" with Tab, with a visible focus ring, and it opens on Enter', async () => {
    const toggle = await tabTo(page, (f) => f.name === 'Type or paste coordinates', 'the coordinates button');
    expect(toggle.ring, 'a focus ring is drawn').not.toBeNull();
    await page.keyboard.press('Enter');
    await page.getByTestId('coordinate-entry').waitFor({ state: 'visible' });
    const box = await focused(page);
    expect(box).toMatchObject({ tag: 'TEXTAREA', name: 'Corners, GeoJSON or WKT' });
    expect(box!.ring).not.toBeNull();
    // The help and the status line are tied to the box.
    const described = await page.getByLabel('Corners, GeoJSON or WKT').evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? ''),
    );
    expect(described.join(' ')).toMatch(/One corner per line: “latitude, longitude” or “longitude latitude”/);
    expect(described.join(' ')).toMatch(/Nothing typed yet/);
  });

  it('says what is wrong, tied to the field, and keeps the focus there', async () => {
    await page.keyboard.type('52.95, -1.15\n52.96, -1.14');
    await expect(page.getByTestId('coordinate-status').innerText()).resolves.toBe('2 corners read so far.');
    await tabTo(page, (f) => f.name === 'Show on map', 'Show on map', 3);
    await page.keyboard.press('Enter');
    const problems = page.getByTestId('coordinate-problems');
    await problems.waitFor({ state: 'visible' });
    await expect(problems.innerText()).resolves.toMatch(/A shape needs at least three corners; two were given/);
    await expect(problems.getAttribute('role')).resolves.toBe('alert');
    const box = page.getByLabel('Corners, GeoJSON or WKT');
    await expect(box.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(box.getAttribute('aria-describedby')).resolves.toContain(await problems.getAttribute('id'));
    await expect(focused(page)).resolves.toMatchObject({ tag: 'TEXTAREA' });
    await expect(page.getByTestId('area-panel').count()).resolves.toBe(0);
  });

  it('types the corners as "latitude, longitude" and shows the unsaved area with figures that match an independent count', async () => {
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(corners.map(([lon, lat]) => `${lat}, ${lon}`).join('\n'));
    await expect(page.getByTestId('coordinate-status').innerText()).resolves.toBe('5 corners, read as latitude, longitude on each line.');
    await tabTo(page, (f) => f.name === 'Show on map', 'Show on map', 3);
    await page.keyboard.press('Enter');

    const panel = page.getByTestId('area-panel');
    await panel.waitFor({ state: 'visible', timeout: 60_000 });
    await expect(panel.getByRole('heading', { level: 2 }).innerText()).resolves.toBe('New area (not saved)');
    // The panel's heading takes the focus, so the figures are next for a keyboard or screen-reader user.
    await expect(focused(page)).resolves.toMatchObject({ tag: 'H2', name: 'New area (not saved)' });
    await panel.getByTestId('area-total').waitFor({ state: 'visible', timeout: 60_000 });
    await waitForMapIdle(page);

    const ring = await drawnRing(page);
    expect(ring).toEqual([...corners, corners[0]]);
    const expected = independentCount({ ring });
    expect(expected, 'a busy town centre').toBeGreaterThan(100);
    expect(countFrom(await panel.getByTestId('area-total').innerText())).toBe(expected);
    // The map was fitted to the typed shape.
    const inView = await page.evaluate(([lon, lat]) => {
      const b = window.__saferPlacesMap!.getBounds();
      return lon > b.getWest() && lon < b.getEast() && lat > b.getSouth() && lat < b.getNorth();
    }, centre);
    expect(inView).toBe(true);
  });

  it('fits 1280×800 and 1024×700 with the coordinates box and the area panel open (screenshots)', async () => {
    for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
      await page.setViewportSize({ width, height });
      await waitForMapIdle(page);
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        entry: document.querySelector('[data-testid="coordinate-entry"]')!.getBoundingClientRect().toJSON() as DOMRect,
        controls: document.querySelector('.controls')!.getBoundingClientRect().toJSON() as DOMRect,
      }));
      expect(layout.scrollWidth).toBeLessThanOrEqual(width);
      expect(layout.entry.right).toBeLessThanOrEqual(layout.controls.right);
      await page.getByTestId('coordinate-entry').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, `keyboard-draw-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('saves the area with the keyboard: name, theme, Save', async () => {
    await page.getByTestId('area-panel').getByRole('heading', { level: 2 }).focus();
    await tabTo(page, (f) => f.tag === 'INPUT' && f.name.startsWith('Name'), 'the Name field', 40);
    await page.keyboard.type(AREA_NAME);
    await tabTo(page, (f) => f.tag === 'SELECT' && f.name.startsWith('Theme'), 'the Theme field', 5);
    await chooseWithArrows(page, page.getByTestId('area-panel').getByLabel('Theme'), 'asb');
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'Save area', 'Save area', 10);
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('area-panel');
    await panel.getByRole('heading', { name: AREA_NAME, level: 2 }).waitFor({ timeout: 60_000 });
    await panel.getByTestId('area-total').waitFor({ state: 'visible', timeout: 60_000 });
    const list = await apiFromPage<{ items: { name: string; shape: string; theme: string; geometry: unknown }[] }>(page, '/api/areas');
    expect(list.body.items).toHaveLength(1);
    // The server stores outer rings anticlockwise (RFC 7946); the typed pentagon already runs that way.
    expect(list.body.items[0]).toMatchObject({ name: AREA_NAME, theme: 'asb', shape: 'polygon', geometry: { type: 'Polygon', coordinates: [[...corners, corners[0]]] } });
    expect(countFrom(await panel.getByTestId('area-total').innerText())).toBe(independentCount({ ring: [...corners, corners[0]!] }));
    await page.screenshot({ path: join(ARTIFACTS, 'keyboard-draw-saved-1280x800.png') });
  });
});

describe('taking back corners while drawing with the mouse', () => {
  it('Backspace and Ctrl+Z remove the last corners; the finished polygon has the rest', async () => {
    await page.getByTestId('area-panel').getByRole('button', { name: 'Close details' }).click();
    await page.getByTestId('area-panel').waitFor({ state: 'detached' });
    await page.evaluate(([lon, lat]) => {
      window.__saferPlacesMap!.fitBounds([[lon - 0.012, lat - 0.007], [lon + 0.012, lat + 0.007]], { padding: { top: 40, bottom: 40, left: 320, right: 60 }, duration: 0 });
    }, centre);
    await waitForMapIdle(page);
    const pixels = await canvasPixels(page, corners);
    await page.getByRole('button', { name: 'Draw Polygon' }).click();
    await expect(page.getByTestId('draw-hint').innerText()).resolves.toMatch(/Backspace or Ctrl\+Z takes back the last corner/);
    for (const p of pixels) {
      await page.mouse.move(p.x, p.y, { steps: 4 });
      await page.mouse.click(p.x, p.y);
      await page.waitForTimeout(120); // a gap between clicks, so two corners never read as a double click (longer on a slow machine is fine)
    }
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+z');
    // Close on the first corner: what is left is the first three.
    await page.mouse.move(pixels[0]!.x, pixels[0]!.y, { steps: 4 });
    await page.mouse.click(pixels[0]!.x, pixels[0]!.y);
    await page.getByTestId('area-panel').waitFor({ state: 'visible', timeout: 60_000 });
    const ring = await drawnRing(page);
    expect(ring).toHaveLength(4);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(ring[i]![0] - corners[i]![0])).toBeLessThan(0.0002);
      expect(Math.abs(ring[i]![1] - corners[i]![1])).toBeLessThan(0.0002);
    }
    expect(pageErrors).toEqual([]);
  });
});
