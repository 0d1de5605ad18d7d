import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiFromPage, apiJson, openBrowserSession, waitForMapReady, type BrowserSession } from './browser';
import type { RunningApi } from './server';
import { demo } from './demo';

/**
 * Covert cameras and the audit log as users meet them: a planner with the sensitive-cameras permission records a
 * covert camera; a planner without it never sees it; an administrator reads who did what in the audit log.
 */

let api: RunningApi;
let page: Page;
let pageErrors: string[];
let session: BrowserSession;
beforeAll(async () => ({ api, page, pageErrors } = session = await openBrowserSession()), 300_000);
afterAll(() => session?.close());

const [minLon, minLat, maxLon, maxLat] = demo.summary.bbox!;
const inside: [number, number] = [Number(((minLon + maxLon) / 2).toFixed(5)), Number(((minLat + maxLat) / 2).toFixed(5))];

async function signIn(p: Page, role: string, covert: boolean) {
  if (await p.getByRole('button', { name: 'Sign out' }).isVisible()) await p.getByRole('button', { name: 'Sign out' }).click();
  await p.getByTestId('role-select').selectOption(role);
  const box = p.getByTestId('covert-permission');
  if ((await box.isChecked()) !== covert) await box.click();
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  await p.getByTestId('signed-in-as').waitFor({ state: 'visible', timeout: 60_000 });
  await waitForMapReady(p);
}

const layerIds = async (p: Page) => (await apiJson<{ features: { id: string }[] }>(p, '/api/layers/cameras')).features.map((f) => f.id);

describe('covert cameras and the audit log', () => {
  let covertId: string;

  it('a planner with the permission sees the covert field and records a covert camera', async () => {
    await page.goto(api.url);
    await signIn(page, 'planner', true);
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toMatch(/Sees covert cameras/);
    await page.getByRole('button', { name: 'Add camera here' }).click();
    const panel = page.getByTestId('add-panel');
    await panel.getByRole('button', { name: 'Use the map centre' }).click();
    await expect(panel.getByLabel('Covert or sensitive camera').isVisible()).resolves.toBe(true);
    await panel.getByRole('button', { name: 'Cancel' }).click();

    const res = await apiFromPage<{ id: string }>(page, '/api/cameras', { method: 'POST', body: { name: 'Covert camera, e2e', type: 'fixed', location: { type: 'Point', coordinates: inside }, sensitive: true } });
    expect(res.status).toBe(201);
    covertId = res.body.id;
    expect(await layerIds(page)).toContain(covertId);
  });

  it('a planner without the permission never sees it and has no covert field', async () => {
    await signIn(page, 'planner', false);
    expect(await layerIds(page)).not.toContain(covertId);
    expect((await apiFromPage(page, `/api/cameras/${covertId}`)).status).toBe(404);
    await page.getByRole('button', { name: 'Add camera here' }).click();
    const panel = page.getByTestId('add-panel');
    await panel.getByRole('button', { name: 'Use the map centre' }).click();
    await expect(panel.getByLabel('Covert or sensitive camera').count()).resolves.toBe(0);
    await panel.getByRole('button', { name: 'Cancel' }).click();
    // A refused write lands in the audit log too.
    expect((await apiFromPage(page, '/api/areas', { method: 'POST', body: { name: 'Not mine to draw', theme: 'asb', geometry: { type: 'Polygon', coordinates: [[inside, [inside[0] + 0.01, inside[1]], [inside[0], inside[1] + 0.01], inside]] } } })).status).toBe(403);
  });

  it('an administrator reads the audit log: the covert camera, its reads and the refusal, as text', async () => {
    // Without the permission the covert camera's events are left out; the refusal is there.
    await signIn(page, 'admin', false);
    const plain = await apiJson<{ events: { action: string; itemIds?: string[] }[] }>(page, '/api/audit');
    expect(plain.events.some((e) => e.action === 'denied')).toBe(true);
    expect(JSON.stringify(plain)).not.toContain(covertId);
    await signIn(page, 'admin', true);
    await expect(page.getByRole('button', { name: 'Audit log' }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Audit log' }).click();
    const log = page.getByTestId('audit-log');
    await log.getByRole('table').waitFor({ state: 'visible', timeout: 60_000 });
    const text = await log.innerText();
    expect(text).toMatch(/Refused: role not allowed/);
    expect(text).toMatch(/Read sensitive cameras/);
    expect(text).toMatch(new RegExp(`Created[\\s\\S]*CCTV cameras: ${covertId}`));
    expect(text).toMatch(/Planner/);
    for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, `audit-log-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.keyboard.press('Escape');
    await expect(log.count()).resolves.toBe(0);
    // Other roles have no audit log button, and the API refuses them.
    await signIn(page, 'analyst', false);
    await expect(page.getByRole('button', { name: 'Audit log' }).count()).resolves.toBe(0);
    expect((await apiFromPage(page, '/api/audit')).status).toBe(403);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'header-covert-1024x700.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(pageErrors).toEqual([]);
  });
});
