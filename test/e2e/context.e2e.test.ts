import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { ARTIFACTS, apiFromPage, launchChromium, signInAs, waitForMapIdle, waitForMapReady, waitForRendered } from './browser';
import { importCounty } from './county';
import { startApi, type RunningApi } from './server';

/**
 * The context layer with no base map and no network (the e2e server runs with MAP_STYLE_URL=''): district and ward
 * boundaries and names from the dataset's own LSOAs, drawn and labelled in Chromium at 1280×800 and 1024×700, on the
 * synthetic demo set and on the real Nottinghamshire data imported as `npm run import` would.
 */
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;
const DISTRICT_LABELS = 'context-labels-district';
const WARD_LABELS = 'context-labels-ward';
const DISTRICT_LINES = 'context-district-line';
const NOTTS_DISTRICTS = ['Ashfield', 'Bassetlaw', 'Broxtowe', 'Gedling', 'Mansfield', 'Newark and Sherwood', 'Nottingham', 'Rushcliffe'];

let browser: Browser;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
});

/** Names drawn on screen by one label layer (only labels MapLibre placed: collisions left out are not returned). */
async function drawnNames(page: Page, layer: string): Promise<string[]> {
  return page.evaluate((id) => [...new Set(window.__saferPlacesMap!.queryRenderedFeatures({ layers: [id] }).map((f) => String(f.properties.name)))].sort(), layer);
}

/** Signs in, waits for the map, and records every request that leaves the app's own origin. */
async function openMap(api: RunningApi, viewport: { width: number; height: number }): Promise<{ page: Page; foreign: string[] }> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(api.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
  });
  await page.goto(api.url);
  await signInAs(page, 'analyst');
  await waitForMapReady(page);
  await waitForMapIdle(page, 60_000);
  return { page, foreign };
}

async function flyTo(page: Page, centre: [number, number], zoom: number) {
  await page.evaluate(([c, z]) => window.__saferPlacesMap!.jumpTo({ center: c as [number, number], zoom: z as number }), [centre, zoom] as const);
  await waitForMapIdle(page, 60_000);
}

describe('context layer on the demo data, offline', () => {
  let api: RunningApi;
  let districts: string[];
  let wards: Set<string>;
  beforeAll(async () => {
    api = await startApi();
  }, 300_000);
  afterAll(async () => {
    await api?.stop();
  });

  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`;
    it(`draws district boundaries and names at ${size}, and ward names once zoomed in`, async () => {
      const { page, foreign } = await openMap(api, viewport);
      try {
        if (!districts) {
          const answer = await apiFromPage<{ features: { properties: { districtName: string; wardName?: string | null } }[] }>(page, '/api/layers/lsoas?dataset=demo&limit=5000');
          expect(answer.status).toBe(200);
          const lsoas = answer.body.features.map((f) => f.properties);
          districts = [...new Set(lsoas.map((l) => l.districtName))].sort();
          wards = new Set(lsoas.map((l) => l.wardName).filter((w): w is string => !!w));
        }
        await waitForRendered(page, DISTRICT_LINES, 'some', 60_000);
        await waitForRendered(page, DISTRICT_LABELS, 'some', 60_000);
        const drawn = await drawnNames(page, DISTRICT_LABELS);
        // Real names of the dataset's districts: every name drawn is one, and most of them fit on screen.
        for (const name of drawn) expect(districts).toContain(name);
        expect(drawn.length).toBeGreaterThanOrEqual(2);
        await page.screenshot({ path: join(ARTIFACTS, `context-demo-${size}.png`) });

        // Zoomed in on a district's name (its label point is inside it, near its middle): ward names appear from zoom 11.
        const centre = await page.evaluate((id) => {
          const f = window.__saferPlacesMap!.queryRenderedFeatures({ layers: [id] }).sort((a, b) => Number(a.properties.rank) - Number(b.properties.rank))[0]!;
          return f.geometry.coordinates as unknown as [number, number];
        }, DISTRICT_LABELS);
        await flyTo(page, centre, 11.5);
        await waitForRendered(page, WARD_LABELS, 'some', 60_000);
        const wardNames = await drawnNames(page, WARD_LABELS);
        expect(wardNames.length).toBeGreaterThan(0);
        for (const name of wardNames) expect(wards.has(name), name).toBe(true);
        await page.screenshot({ path: join(ARTIFACTS, `context-demo-wards-${size}.png`) });
        // Nothing left the app's origin: no base map, no glyph server (labels are drawn with the browser's fonts).
        expect(foreign).toEqual([]);
      } finally {
        await page.close();
      }
    }, 240_000);
  }

  it('hides and shows place names and boundaries with its checkbox', async () => {
    const { page } = await openMap(api, VIEWPORTS[0]);
    try {
      await waitForRendered(page, DISTRICT_LABELS, 'some', 60_000);
      const box = page.getByRole('checkbox', { name: 'Place names and boundaries' });
      expect(await box.isChecked()).toBe(true);
      await box.uncheck();
      await waitForRendered(page, DISTRICT_LABELS, 'none');
      await waitForRendered(page, DISTRICT_LINES, 'none');
      await box.check();
      await waitForRendered(page, DISTRICT_LABELS, 'some');
    } finally {
      await page.close();
    }
  }, 240_000);
});

it('has the real Nottinghamshire data when CI=true', () => {
  if (mustHaveSharedData) expect(sharedDataAvailable, `shared data missing at ${SHARED_DATA}`).toBe(true);
});

describe.runIf(sharedDataAvailable)('context layer on the real Nottinghamshire data, offline', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ dataDir: await importCounty('context') });
  }, 600_000);
  afterAll(async () => {
    await api?.stop();
  });

  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`;
    it(`names Nottinghamshire's districts at ${size}, and Hucknall's wards and town zoomed in`, async () => {
      const { page, foreign } = await openMap(api, viewport);
      try {
        await waitForRendered(page, DISTRICT_LABELS, 'some', 60_000);
        const drawn = await drawnNames(page, DISTRICT_LABELS);
        for (const name of drawn) expect(NOTTS_DISTRICTS).toContain(name);
        expect(drawn.length).toBeGreaterThanOrEqual(5);
        await page.screenshot({ path: join(ARTIFACTS, `context-county-${size}.png`) });

        await flyTo(page, [-1.2, 53.04], 12.5);
        await waitForRendered(page, WARD_LABELS, 'some', 60_000);
        const wardNames = await drawnNames(page, WARD_LABELS);
        expect(wardNames.filter((n) => n.startsWith('Hucknall')).length).toBeGreaterThanOrEqual(2);
        expect(await drawnNames(page, 'context-labels-town')).toContain('Hucknall');
        // Hucknall's wards are split by ward boundaries (dashed), inside Ashfield's district boundary.
        expect(await waitForRendered(page, 'context-ward-line', 'some', 60_000)).toBeGreaterThan(0);
        await page.screenshot({ path: join(ARTIFACTS, `context-county-hucknall-${size}.png`) });
        expect(foreign).toEqual([]);
      } finally {
        await page.close();
      }
    }, 240_000);
  }
});
