import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, type FixtureUser, type OAuthFixture } from '../support/oauth-fixture';
import { PRIMARY_LAYER, launchChromium, waitForMapReady, waitForRendered } from './browser';
import { startApi, type RunningApi } from './server';

/**
 * Sign-in as on AWS, in a real browser: the built web app and the real API with the real Cognito verification path
 * (createCognitoVerifier, keys fetched from the issuer's /.well-known/jwks.json) instead of the local sign-in, against a
 * stand-in for Cognito's managed login (test/support/oauth-fixture.ts: authorization code + PKCE, RS256 ID tokens).
 * Sign in → the identity provider's page → back in the app as the user's role and organisation → the map loads through
 * authenticated calls → sign out; and the failures: a cancelled sign-in, a forged return, a token the API refuses,
 * and an ID token refreshed before it expires.
 */

const CLIENT_ID = 'safer-places-e2e-web';
const PLANNER: FixtureUser = {
  username: 'pat.planner@example.org',
  password: 'Fixture-Password-1!',
  totp: '246810',
  sub: 'sub-pat-planner',
  email: 'pat.planner@example.org',
  name: 'Pat Planner',
  // Several groups: the most capable role wins.
  groups: ['viewer', 'planner'],
  // The demo organisation, whose cameras and help points the local server seeds.
  orgId: 'demo-csp',
};
const NO_ORG: FixtureUser = { username: 'no.org@example.org', password: 'Fixture-Password-2!', totp: '135790', sub: 'sub-no-org', email: 'no.org@example.org', groups: ['viewer'] };
const SHORT: FixtureUser = {
  username: 'sam.analyst@example.org',
  password: 'Fixture-Password-3!',
  totp: '112233',
  sub: 'sub-sam-analyst',
  email: 'sam.analyst@example.org',
  groups: ['analyst'],
  orgId: 'demo-csp',
  // Refreshed a quarter of its lifetime before expiry: after 15 s.
  tokenTtlSeconds: 20,
};

let idp: OAuthFixture;
let api: RunningApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** Every API request the page made, with its Authorization header. */
const apiRequests: { path: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  idp = await startOAuthFixture({ clientId: CLIENT_ID, users: [PLANNER, NO_ORG, SHORT] });
  api = await startApi({
    env: {
      COGNITO_ISSUER: idp.issuer,
      COGNITO_CLIENT_ID: CLIENT_ID,
      COGNITO_USER_POOL_ID: 'eu-west-2_E2eFixture',
      COGNITO_REGION: 'eu-west-2',
      COGNITO_DOMAIN: idp.url,
    },
  });
  // The client's callback and sign-out URL: the site's origin + '/', as the stack registers the CloudFront URL.
  idp.callbackUrls.push(`${api.url}/`);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.origin === new URL(api.url).origin && url.pathname.startsWith('/api/')) apiRequests.push({ path: url.pathname, authorization: req.headers().authorization });
  });
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await api?.stop();
  await idp?.close();
});

const appOrigin = () => new URL(api.url).origin;
const signInButton = (p: Page) => p.getByRole('banner').getByRole('button', { name: 'Sign in', exact: true });
const eventsAt = (path: string) => idp.events.filter((e) => e.path === path);
const session = (p: Page) =>
  p.evaluate(() => ({ token: sessionStorage.getItem('saferPlaces.token'), refresh: sessionStorage.getItem('saferPlaces.refreshToken'), pending: sessionStorage.getItem('saferPlaces.signIn') }));

/** From the app's Sign in button to the identity provider's form. */
async function openSignInPage(p: Page): Promise<URL> {
  await signInButton(p).click();
  await p.waitForURL((u) => u.toString().startsWith(`${idp.url}/oauth2/authorize?`), { timeout: 60_000 });
  return new URL(p.url());
}

/** Fills the identity provider's form and waits to be back in the app. */
async function signInAs(p: Page, user: FixtureUser): Promise<void> {
  await openSignInPage(p);
  await p.getByLabel('User name').fill(user.username);
  await p.getByLabel('Password').fill(user.password);
  await p.getByLabel('Authenticator code').fill(user.totp);
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  await p.waitForURL((u) => u.origin === appOrigin(), { timeout: 60_000 });
}

describe('Cognito managed login sign-in, in a real browser', () => {
  it('offers only the organisation sign-in: no local role picker, no local sign-in route', async () => {
    const config = (await (await fetch(`${api.url}/api/config`)).json()) as Record<string, unknown>;
    expect(config).toEqual({
      mapStyleUrl: null,
      basemap: { kind: 'none' },
      devSignIn: false,
      cognito: { region: 'eu-west-2', userPoolId: 'eu-west-2_E2eFixture', clientId: CLIENT_ID, domain: idp.url },
    });
    expect((await fetch(`${api.url}/api/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":"admin"}' })).status).toBe(401);

    await page.goto(api.url);
    await signInButton(page).waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.getByTestId('role-select').count()).toBe(0);
    await page.getByRole('heading', { name: 'Sign in to see the map' }).waitFor();
    expect(await page.getByText('authenticator app', { exact: false }).count()).toBeGreaterThan(0);
  });

  it('shows the error the sign-in page sends back, as text, and exchanges nothing', async () => {
    const authorize = await openSignInPage(page);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${api.url}/`,
      scope: 'openid email profile',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
    });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((u) => u.origin === appOrigin());
    const alert = page.getByRole('alert').filter({ hasText: 'Sign-in was not completed' });
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toBe('Sign-in was not completed: The user cancelled sign-in. (access_denied).');
    expect(new URL(page.url()).search).toBe('');
    expect(eventsAt('/oauth2/token')).toEqual([]);
    expect(await session(page)).toEqual({ token: null, refresh: null, pending: null });
  });

  it('refuses a return that does not belong to a sign-in started in this tab', async () => {
    await page.goto(`${api.url}/?code=forged-code&state=forged-state`);
    const alert = page.getByRole('alert').filter({ hasText: 'does not belong to a sign-in started in this browser tab' });
    await alert.waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).search).toBe('');
    expect(eventsAt('/oauth2/token')).toEqual([]);
    await signInButton(page).waitFor();
  });

  it("signs in on the identity provider's page and comes back as the user's role and organisation, the map loading through authenticated calls", async () => {
    apiRequests.length = 0;
    await signInAs(page, PLANNER);
    await page.getByTestId('signed-in-as').filter({ hasText: 'Planner' }).waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Organisation: demo-csp');
    await waitForMapReady(page);
    // The parameters are off the address bar; the ID token is the app's token, the refresh token kept, the PKCE pair gone.
    expect(new URL(page.url()).search).toBe('');
    const [exchange] = eventsAt('/oauth2/token');
    expect(exchange).toMatchObject({
      method: 'POST',
      status: 200,
      origin: appOrigin(),
      params: { grant_type: 'authorization_code', client_id: CLIENT_ID, redirect_uri: `${api.url}/`, code_verifier: '<given>' },
    });
    const issued = idp.issued.at(-1)!;
    expect(issued).toMatchObject({ grant: 'authorization_code', username: PLANNER.username });
    expect(await session(page)).toEqual({ token: issued.idToken, refresh: issued.refreshToken, pending: null });

    // Every private call carried that ID token; the org's own layers (cameras, from custom:orgId) and the shared ones loaded.
    const paths = apiRequests.map((r) => r.path);
    for (const path of ['/api/me', '/api/datasets', '/api/lsoas/stats', '/api/layers/cameras', '/api/layers/areas']) expect(paths).toContain(path);
    expect(paths.some((p) => p.startsWith('/api/tiles/lsoas/'))).toBe(true); // the LSOAs come as vector tiles
    for (const r of apiRequests.filter((x) => x.path !== '/api/config')) expect(r.authorization, r.path).toBe(`Bearer ${issued.idToken}`);
    expect(apiRequests.find((r) => r.path === '/api/config')!.authorization).toBeUndefined();
    await waitForRendered(page, PRIMARY_LAYER.lsoas, 'some');
    await waitForRendered(page, PRIMARY_LAYER.cameras, 'some');
    // A planner may add cameras (the role came from cognito:groups).
    await page.getByRole('button', { name: 'Add camera here' }).waitFor({ state: 'visible' });
  });

  it('signs out: the refresh token revoked, the identity provider session ended, back at the signed-out screen', async () => {
    const refreshToken = idp.issued.at(-1)!.refreshToken!;
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    // Through the identity provider's /logout and back to a fresh page load of the app.
    await expect.poll(() => eventsAt('/logout').length, { timeout: 60_000 }).toBe(1);
    await page.waitForURL(`${api.url}/`, { waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Sign in to see the map' }).waitFor({ timeout: 60_000 });
    await signInButton(page).waitFor();
    expect(page.url()).toBe(`${api.url}/`);
    expect(eventsAt('/oauth2/revoke')).toEqual([
      expect.objectContaining({ method: 'POST', status: 200, origin: appOrigin(), params: { token: '<given>', client_id: CLIENT_ID } }),
    ]);
    expect(eventsAt('/logout')).toEqual([expect.objectContaining({ status: 302, params: { client_id: CLIENT_ID, logout_uri: `${api.url}/` } })]);
    expect(await session(page)).toEqual({ token: null, refresh: null, pending: null });
    // The revoked refresh token is no good any more.
    const refused = await fetch(`${idp.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: refreshToken }),
    });
    expect(refused.status).toBe(400);
  });

  it('sends a user whose token the API refuses (no organisation) back to the signed-out screen with a message', async () => {
    await signInAs(page, NO_ORG);
    const alert = page.locator('.center-card').getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toBe('Your session has ended. Please sign in again.');
    await signInButton(page).waitFor();
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    expect(await session(page)).toEqual({ token: null, refresh: null, pending: null });
  });

  it('refreshes the ID token shortly before it expires, and keeps working after the first one has expired', async () => {
    await signInAs(page, SHORT);
    await page.getByTestId('signed-in-as').filter({ hasText: 'Partnership analyst' }).waitFor({ state: 'visible', timeout: 60_000 });
    await waitForMapReady(page);
    const first = idp.issued.filter((i) => i.username === SHORT.username).at(-1)!;
    const firstExp = (JSON.parse(Buffer.from(first.idToken.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;

    // The refresh grant, from the page, before the first token expires.
    await expect.poll(() => idp.issued.filter((i) => i.username === SHORT.username && i.grant === 'refresh_token').length, { timeout: 60_000, interval: 250 }).toBeGreaterThan(0);
    // (The earlier refresh_token request, refused, was the test's own, with the revoked token.)
    const refresh = eventsAt('/oauth2/token').filter((e) => e.params.grant_type === 'refresh_token').at(-1)!;
    expect(refresh).toMatchObject({ status: 200, origin: appOrigin(), params: { client_id: CLIENT_ID } });
    const renewed = idp.issued.filter((i) => i.username === SHORT.username && i.grant === 'refresh_token')[0]!;
    // The renewal was issued before the first token expired (the fixture's own record, so a slow test run cannot fail it).
    expect(renewed.issuedAtMs / 1000).toBeLessThan(firstExp);
    expect((await session(page)).token).toBe(renewed.idToken);

    // Once the first token has expired, the app's own calls still succeed: they carry the new one.
    await new Promise((r) => setTimeout(r, Math.max(0, (firstExp + 1) * 1000 - Date.now())));
    const response = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/strategic-assessment', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Strategic assessment' }).click();
    const res = await response;
    expect(res.status()).toBe(200);
    expect(res.request().headers().authorization).not.toBe(`Bearer ${first.idToken}`);
    expect(res.request().headers().authorization).toMatch(/^Bearer /);
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Partnership analyst');
    expect(pageErrors).toEqual([]);
  });
});
