import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, type FixtureUser, type OAuthFixture } from '../support/oauth-fixture';
import { ARTIFACTS, PRIMARY_LAYER, findClickTarget, launchChromium, signInAs, waitForMapIdle, waitForMapReady } from './browser';
import { startApi, type RunningApi } from './server';

/*
 * A shared view: an analyst sets up the map (a district, a closer zoom, counts of burglary over three months, two
 * layers off, one LSOA open), copies the link, and a colleague of the same organisation opening it in a fresh browser
 * (signed out) lands, after signing in, on the same view: the same centre and zoom, the same controls, the same LSOA
 * open. At 1280×800 and 1024×700, with screenshots. A link with bad parts opens the app anyway, using what it can.
 */

let api: RunningApi;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function newPage(width: number, height: number, clipboard = false): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(60_000);
  if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return page;
}

interface Camera {
  zoom: number;
  lat: number;
  lon: number;
}

/** The parts of the map this test reads beyond the shared test typings. */
type CameraMap = { getCenter(): { lng: number; lat: number }; getZoom(): number; getFilter(layer: string): unknown };

const cameraOf = (page: Page) =>
  page.evaluate(() => {
    const map = window.__saferPlacesMap as unknown as CameraMap;
    const c = map.getCenter();
    return { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
  });

/** The map position the address holds (`map=zoom/lat/lon` in the hash). */
function hashCamera(url: string): Camera | null {
  const m = /[#&]map=([^&]+)/.exec(new URL(url).hash);
  if (!m) return null;
  const [zoom, lat, lon] = m[1]!.split('/').map(Number) as [number, number, number];
  return { zoom, lat, lon };
}

function expectSameCamera(actual: Camera, expected: Camera) {
  expect(Math.abs(actual.zoom - expected.zoom), 'zoom').toBeLessThan(0.01);
  expect(Math.abs(actual.lat - expected.lat), 'latitude').toBeLessThan(1e-4);
  expect(Math.abs(actual.lon - expected.lon), 'longitude').toBeLessThan(1e-4);
}

/** The LSOA shading controls (an analysis panel has a crime type and period of its own). */
const shading = (page: Page) => page.getByRole('group', { name: 'LSOA shading' });

/** What the controls show: place, shading, period and the layer checkboxes. */
async function controls(page: Page) {
  const layers: Record<string, boolean> = {};
  for (const layer of Object.keys(PRIMARY_LAYER)) layers[layer] = await page.locator(`input[data-layer="${layer}"]`).isChecked();
  return {
    place: await page.getByLabel('Place', { exact: true }).inputValue(),
    measure: await shading(page).getByLabel('Measure', { exact: true }).inputValue(),
    category: await shading(page).getByLabel('Crime type', { exact: true }).inputValue(),
    period: await shading(page).getByLabel('Period', { exact: true }).inputValue(),
    layers,
  };
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  api = await startApi();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await api?.stop();
});

describe('a shared view', () => {
  let link = '';
  let lsoa = { code: '', name: '' };
  let sharedControls: Awaited<ReturnType<typeof controls>>;
  let sharedCamera: Camera;

  it('keeps the view in the address as an analyst sets it up, and copies it with Copy link', async () => {
    const page = await newPage(1280, 800, true);
    await page.goto(api.url);
    await signInAs(page, 'analyst');
    await waitForMapReady(page);

    // A district as the place, then a closer look inside it.
    const place = page.getByLabel('Place', { exact: true });
    const district = await place.locator('optgroup[label="Districts"] option').first().getAttribute('value');
    expect(district).toMatch(/^district:/);
    await place.selectOption(district!);
    await page.waitForFunction((d) => new URLSearchParams(location.search).get('scope') === d, district);
    await waitForMapReady(page);
    await waitForMapIdle(page);
    await page.evaluate(() => {
      const map = window.__saferPlacesMap!;
      map.jumpTo({ zoom: map.getZoom() + 1.37 });
    });
    await waitForMapIdle(page);

    // The shading and the layers.
    await shading(page).getByLabel('Measure', { exact: true }).selectOption('count');
    await shading(page).getByLabel('Crime type', { exact: true }).selectOption('burglary');
    await shading(page).getByLabel('Period', { exact: true }).selectOption('last-3');
    await page.locator('input[data-layer="help-points"]').uncheck();
    await page.locator('input[data-layer="pspo-zones"]').uncheck();
    await waitForMapReady(page);
    await waitForMapIdle(page);

    // An LSOA opened with a click.
    const target = await findClickTarget(page, PRIMARY_LAYER.lsoas, 'code', [PRIMARY_LAYER.cameras, PRIMARY_LAYER['safer-streets-areas']]);
    expect(target, 'an LSOA with a clear spot on screen').not.toBeNull();
    lsoa = { code: target!.id, name: target!.name };
    await page.mouse.click(target!.x, target!.y);
    await page.getByTestId('lsoa-panel').waitFor({ state: 'visible' });
    await waitForMapIdle(page);

    // The address follows: the LSOA, the controls, and the camera once the map has rested.
    sharedCamera = await cameraOf(page);
    await page.waitForFunction((code) => location.hash.includes(`open=lsoa:${code}`), lsoa.code);
    await page.waitForFunction(
      (cam) => {
        const m = /[#&]map=([^&]+)/.exec(location.hash);
        if (!m) return false;
        const [z, lat, lon] = m[1]!.split('/').map(Number) as [number, number, number];
        return Math.abs(z - cam.zoom) < 0.01 && Math.abs(lat - cam.lat) < 1e-4 && Math.abs(lon - cam.lon) < 1e-4;
      },
      sharedCamera,
      { polling: 100 },
    );
    const url = new URL(page.url());
    expect(url.searchParams.get('scope')).toBe(district);
    const hash = new URLSearchParams(url.hash.slice(1));
    expect(hash.get('v')).toBe('1');
    expect(hash.get('measure')).toBe('count');
    expect(hash.get('cat')).toBe('burglary');
    expect(hash.get('period')).toBe('3m');
    expect(hash.get('layers')).toBe('lsoas,cameras,safer-streets-areas,areas,context');
    expect(hash.get('ds')).toBeTruthy();
    // Nothing secret: no token, no name of a person.
    const token = await page.evaluate(() => sessionStorage.getItem('saferPlaces.token'));
    expect(page.url()).not.toContain(token!.slice(0, 20));
    expect(page.url().length).toBeLessThan(300);
    // replaceState only: the changes above did not pile up history entries.
    expect(await page.evaluate(() => history.length)).toBeLessThanOrEqual(2);

    // Copy link from the keyboard: the clipboard holds the address, and it is announced.
    const copy = page.getByRole('button', { name: 'Copy link' });
    await copy.focus();
    await page.keyboard.press('Enter');
    await page.locator('.toast').filter({ hasText: 'Link copied' }).waitFor({ state: 'attached' });
    link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(page.url());
    sharedControls = await controls(page);
    expect(sharedControls).toEqual({
      place: district,
      measure: 'count',
      category: 'burglary',
      period: 'last-3',
      layers: { lsoas: true, cameras: true, 'help-points': false, 'pspo-zones': false, 'safer-streets-areas': true },
    });
    await page.screenshot({ path: join(ARTIFACTS, 'share-source-1280x800.png') });
  });

  for (const [width, height] of [[1280, 800], [1024, 700]] as const) {
    it(`restores it for a colleague in a fresh browser after signing in, at ${width}×${height}`, async () => {
      expect(link, 'the link from the first test').not.toBe('');
      const page = await newPage(width, height);
      const writes: string[] = [];
      page.on('request', (req) => {
        const path = new URL(req.url()).pathname;
        if (path.startsWith('/api/') && req.method() !== 'GET' && path !== '/api/dev/sign-in') writes.push(`${req.method()} ${path}`);
      });
      await page.goto(link);
      await page.getByRole('heading', { name: 'Sign in to see the map' }).waitFor({ state: 'visible' });
      await signInAs(page, 'analyst');
      await page.getByTestId('lsoa-panel').waitFor({ state: 'visible' });
      await waitForMapReady(page);
      await waitForMapIdle(page);

      const panel = page.getByTestId('lsoa-panel');
      const text = await panel.innerText();
      expect(text).toContain(lsoa.code);
      expect(text).toContain(lsoa.name);
      expect(await controls(page)).toEqual(sharedControls);
      expectSameCamera(await cameraOf(page), sharedCamera);
      // The LSOA is highlighted on the map as after a click.
      const selected = await page.evaluate(() => JSON.stringify((window.__saferPlacesMap as unknown as CameraMap).getFilter('lsoa-selected') ?? null));
      expect(selected).toContain(lsoa.code);
      // The address still holds the same view (the restore did not rewrite it into something else).
      const now = new URL(page.url());
      expect(now.search).toBe(new URL(link).search);
      expect(new URLSearchParams(now.hash.slice(1)).get('open')).toBe(`lsoa:${lsoa.code}`);
      expectSameCamera(hashCamera(page.url())!, sharedCamera);
      expect(writes, 'opening a link changes nothing on the server').toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `share-restored-${width}x${height}.png`) });
    });
  }

  it('opens a link with bad parts: uses the rest, says what was left out, and the app works', async () => {
    const page = await newPage(1280, 800);
    const bad = `${api.url}/#v=1&measure=per-head&cat=robbery&period=2024-13..2024-14&map=12/400/-1&open=camera:does-not-exist&token=abc`;
    await page.goto(bad);
    await signInAs(page, 'analyst');
    await waitForMapReady(page);
    await expect(shading(page).getByLabel('Crime type', { exact: true }).inputValue()).resolves.toBe('robbery');
    await expect(shading(page).getByLabel('Measure', { exact: true }).inputValue()).resolves.toBe('rate');
    await expect(shading(page).getByLabel('Period', { exact: true }).inputValue()).resolves.toBe('last-12');
    const problems = page.getByTestId('share-problems');
    await problems.waitFor({ state: 'visible' });
    const said = await problems.innerText();
    expect(said).toMatch(/measure was not used/);
    expect(said).toMatch(/period was not used/);
    expect(said).toMatch(/map position was not used/);
    expect(said).toMatch(/not on your map/);
    expect(said).not.toContain('abc');
    // Once restored, the address holds the view as it is, without the bad parts.
    await page.waitForFunction(() => location.hash.includes('cat=robbery') && !location.hash.includes('token') && location.hash.includes('measure=rate'));
    await page.screenshot({ path: join(ARTIFACTS, 'share-bad-link-1280x800.png') });

    // Where the page may not use the clipboard, Copy link shows the link selected, for the user to copy.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    });
    await page.getByRole('button', { name: 'Copy link' }).click();
    const field = page.getByLabel('Link to this view');
    await field.waitFor({ state: 'visible' });
    const shown = await field.inputValue();
    expect(shown).toBe(page.url());
    const selected = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el?.dataset.testid === 'share-link' && el.selectionStart === 0 && el.selectionEnd === el.value.length;
    });
    expect(selected, 'the link box has the focus and all its text selected').toBe(true);
    await page.locator('.toast').filter({ hasText: 'press Ctrl+C' }).waitFor({ state: 'attached' });

    // A link pasted into the same tab changes only the hash: it is restored without a reload.
    await page.evaluate(() => {
      location.hash = 'v=1&measure=count&cat=burglary&period=3m&open=panel:hotspots';
    });
    await expect.poll(() => shading(page).getByLabel('Measure', { exact: true }).inputValue(), { timeout: 60_000 }).toBe('count');
    await expect(shading(page).getByLabel('Crime type', { exact: true }).inputValue()).resolves.toBe('burglary');
    await expect(shading(page).getByLabel('Period', { exact: true }).inputValue()).resolves.toBe('last-3');
    await page.getByRole('button', { name: 'Hot spot analysis' }).and(page.locator('[aria-expanded="true"]')).waitFor();
    await page.waitForFunction(() => location.hash.includes('open=panel:hotspots'));
  });

  it('survives the Cognito sign-in: a signed-out colleague lands on the linked view after the managed login', async () => {
    expect(link, 'the link from the first test').not.toBe('');
    const user: FixtureUser = {
      username: 'ana.analyst@example.org',
      password: 'Fixture-Password-4!',
      totp: '314159',
      sub: 'sub-ana-analyst',
      email: 'ana.analyst@example.org',
      groups: ['analyst'],
      orgId: 'demo-csp', // the same organisation as the local sign-in the link was made with
    };
    const idp: OAuthFixture = await startOAuthFixture({ clientId: 'safer-places-share-e2e', users: [user] });
    const cognitoApi = await startApi({
      env: { COGNITO_ISSUER: idp.issuer, COGNITO_CLIENT_ID: 'safer-places-share-e2e', COGNITO_USER_POOL_ID: 'eu-west-2_Share', COGNITO_REGION: 'eu-west-2', COGNITO_DOMAIN: idp.url },
    });
    try {
      idp.callbackUrls.push(`${cognitoApi.url}/`);
      const page = await newPage(1280, 800);
      const shared = new URL(link);
      const here = `${cognitoApi.url}/${shared.search}${shared.hash}`;
      await page.goto(here);
      await page.getByRole('banner').getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => u.toString().startsWith(`${idp.url}/oauth2/authorize?`));
      // Only the opaque state goes to the identity provider: the view stays in the tab.
      expect(page.url()).not.toContain(lsoa.code);
      await page.getByLabel('User name').fill(user.username);
      await page.getByLabel('Password').fill(user.password);
      await page.getByLabel('Authenticator code').fill(user.totp);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => u.origin === new URL(cognitoApi.url).origin);
      await page.getByTestId('lsoa-panel').waitFor({ state: 'visible' });
      await waitForMapReady(page);
      await waitForMapIdle(page);
      expect(await page.getByTestId('lsoa-panel').innerText()).toContain(lsoa.code);
      expect(await controls(page)).toEqual(sharedControls);
      expectSameCamera(await cameraOf(page), sharedCamera);
      const now = new URL(page.url());
      expect(now.searchParams.get('code')).toBeNull();
      expect(now.searchParams.get('scope')).toBe(shared.searchParams.get('scope'));
      await page.screenshot({ path: join(ARTIFACTS, 'share-after-cognito-1280x800.png') });
    } finally {
      await cognitoApi.stop();
      await idp.close();
    }
  });

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
