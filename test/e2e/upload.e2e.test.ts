import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, PRIMARY_LAYER, apiJson, openBrowserSession, renderedCount, signInAs, waitForMapReady, type BrowserSession } from './browser';
import type { RunningApi } from './server';

/**
 * No camera, help point or PSPO geometries are public, so partnerships upload their own: a planner uploads cameras
 * from a CSV (a bad row stops the whole file until it is fixed), an analyst uploads a PSPO zone as GeoJSON.
 */

let api: RunningApi;
let page: Page;
let pageErrors: string[];
let session: BrowserSession;
beforeAll(async () => ({ api, page, pageErrors } = session = await openBrowserSession()), 300_000);
afterAll(() => session?.close());

async function count(p: Page, kind: string): Promise<number> {
  return (await apiJson<{ items: unknown[] }>(p, `/api/${kind}`)).items.length;
}

describe('uploading layers from files', () => {
  it('refuses a CSV with a bad row, then adds every camera of the corrected file', async () => {
    await page.goto(api.url);
    await signInAs(page, 'planner');
    await waitForMapReady(page);
    const before = await count(page, 'cameras');
    await page.getByRole('button', { name: 'Upload from a file…' }).click();
    const panel = page.getByTestId('upload-panel');
    await panel.getByLabel('Layer', { exact: true }).selectOption('cameras');
    // Positions inside the demo towns' box.
    const bad = join(ARTIFACTS, 'upload-cameras-bad.csv');
    writeFileSync(bad, 'name,type,status,lon,lat\nHigh Street north,fixed,live,1.101,54.361\nSwapped,ptz,live,54.36,1.10\n');
    await panel.getByLabel('File').setInputFiles(bad);
    await expect(panel.getByTestId('upload-problems').innerText()).resolves.toMatch(/Item 2 \(“Swapped”\): location/);
    await expect(panel.getByRole('button', { name: /^Add 2 cameras$/ }).isDisabled()).resolves.toBe(true);

    const good = join(ARTIFACTS, 'upload-cameras.csv');
    writeFileSync(good, 'name,type,status,coverageRadiusM,lon,lat\nHigh Street north,fixed,live,120,1.101,54.361\nBus station,ptz,planned,,1.105,54.358\n');
    await panel.getByLabel('File').setInputFiles(good);
    await panel.getByRole('button', { name: 'Add 2 cameras' }).click();
    await panel.getByText('2 cameras added to CCTV cameras.').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await count(page, 'cameras')).toBe(before + 2);
    await page.waitForFunction((id) => window.__saferPlacesMap!.getLayer(id) !== undefined, PRIMARY_LAYER.cameras);
    expect(await renderedCount(page, PRIMARY_LAYER.cameras)).toBeGreaterThan(0);
  });

  it('adds a PSPO zone from GeoJSON as an analyst, prohibitions from a semicolon list', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs(page, 'analyst');
    await waitForMapReady(page);
    const before = await count(page, 'pspo-zones');
    await page.getByRole('button', { name: 'Upload from a file…' }).click();
    const panel = page.getByTestId('upload-panel');
    await panel.getByLabel('Layer', { exact: true }).selectOption('pspo-zones');
    const ring = [[1.1, 54.355], [1.11, 54.355], [1.11, 54.362], [1.1, 54.362], [1.1, 54.355]];
    const file = join(ARTIFACTS, 'upload-pspo.geojson');
    writeFileSync(file, JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { name: 'Riverside PSPO (upload)', prohibitions: 'No alcohol; No begging', district: 'Northvale', startDate: '2024-01-01', endDate: '2026-12-31', ref: 'P-7' } }],
    }));
    await panel.getByLabel('File').setInputFiles(file);
    await expect(panel.getByTestId('upload-preview').innerText()).resolves.toMatch(/Left out \(not fields of this layer\): ref/);
    await panel.getByRole('button', { name: 'Add 1 PSPO zone' }).click();
    await panel.getByText('1 PSPO zone added to PSPO zones.').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await count(page, 'pspo-zones')).toBe(before + 1);
    expect(pageErrors).toEqual([]);
  });
});
