import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCognitoVerifier } from '@safer-places/api';
import { s256, startOAuthFixture, type OAuthFixture } from '../support/oauth-fixture';

/**
 * The browser test's stand-in for Cognito's managed login (test/support/oauth-fixture.ts) must behave like the real
 * thing where it matters, or the browser test proves nothing: PKCE checked (a wrong verifier refused), codes good once,
 * redirect URIs exact, and ID tokens that the API's own Cognito verifier accepts with the published keys.
 */
const CLIENT_ID = 'fixture-web-client';
const APP = 'http://localhost:3999/';
let idp: OAuthFixture;

beforeAll(async () => {
  idp = await startOAuthFixture({
    clientId: CLIENT_ID,
    callbackUrls: [APP],
    users: [{ username: 'pat.planner@example.org', password: 'Correct-horse-1!', totp: '123456', sub: 'sub-pat', email: 'pat.planner@example.org', name: 'Pat Planner', groups: ['planner'], orgId: 'demo-csp' }],
  });
});
afterAll(() => idp?.close());

const verifier = () => randomBytes(32).toString('base64url');

async function authorize(challenge: string, extra: Record<string, string> = {}) {
  const q = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: APP, scope: 'openid email profile', state: 'st', code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  return fetch(`${idp.url}/oauth2/authorize?${q}`, { redirect: 'manual' });
}

async function login(challenge: string, form: Record<string, string> = {}) {
  const body = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: APP,
    state: 'st',
    scope: 'openid email profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    username: 'pat.planner@example.org',
    password: 'Correct-horse-1!',
    totp: '123456',
    action: 'sign-in',
    ...form,
  });
  return fetch(`${idp.url}/login`, { method: 'POST', body, redirect: 'manual' });
}

/** A fresh code for the given verifier, through the authorize page and the sign-in form. */
async function codeFor(v: string): Promise<string> {
  const page = await authorize(s256(v));
  expect(page.status).toBe(200);
  const res = await login(s256(v));
  expect(res.status).toBe(302);
  const to = new URL(res.headers.get('location')!);
  expect(`${to.origin}${to.pathname}`).toBe(APP);
  expect(to.searchParams.get('state')).toBe('st');
  return to.searchParams.get('code')!;
}

async function token(fields: Record<string, string>) {
  const res = await fetch(`${idp.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3999' }, body: new URLSearchParams(fields) });
  return { status: res.status, cors: res.headers.get('access-control-allow-origin'), body: (await res.json()) as Record<string, string> };
}

describe('the OAuth fixture', () => {
  it('exchanges a code with the right PKCE verifier for an ID token the API accepts, and refuses a wrong verifier', async () => {
    const v = verifier();
    const wrong = await token({ grant_type: 'authorization_code', client_id: CLIENT_ID, code: await codeFor(v), redirect_uri: APP, code_verifier: verifier() });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/code_verifier/) } });

    const code = await codeFor(v);
    const ok = await token({ grant_type: 'authorization_code', client_id: CLIENT_ID, code, redirect_uri: APP, code_verifier: v });
    expect(ok.status).toBe(200);
    expect(ok.cors).toBe('http://localhost:3999');
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, refresh_token: expect.any(String), id_token: expect.any(String) });
    // The API's Cognito verifier, fetching the fixture's published keys like it fetches Cognito's.
    const principal = await createCognitoVerifier({ issuer: idp.issuer, clientId: CLIENT_ID }).verify(ok.body.id_token!);
    expect(principal).toEqual({ userId: 'sub-pat', orgId: 'demo-csp', role: 'planner', name: 'Pat Planner' });
    await expect(createCognitoVerifier({ issuer: idp.issuer, clientId: 'another-client' }).verify(ok.body.id_token!)).rejects.toThrow();
    // The access token is not an ID token.
    await expect(createCognitoVerifier({ issuer: idp.issuer, clientId: CLIENT_ID }).verify(ok.body.access_token!)).rejects.toThrow();

    // A code is good once.
    expect((await token({ grant_type: 'authorization_code', client_id: CLIENT_ID, code, redirect_uri: APP, code_verifier: v })).body.error).toBe('invalid_grant');
  });

  it('checks the client and the redirect URI, at the authorize page and at the token endpoint', async () => {
    const v = verifier();
    expect((await authorize(s256(v), { redirect_uri: 'https://evil.example/' })).status).toBe(400);
    expect((await authorize(s256(v), { client_id: 'other' })).status).toBe(400);
    const noPkce = await authorize('', {});
    expect(noPkce.status).toBe(302);
    expect(new URL(noPkce.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    expect((await token({ grant_type: 'authorization_code', client_id: 'other', code: await codeFor(v), redirect_uri: APP, code_verifier: v })).body.error).toBe('invalid_client');
    const mismatch = await token({ grant_type: 'authorization_code', client_id: CLIENT_ID, code: await codeFor(v), redirect_uri: 'http://localhost:3999/other', code_verifier: v });
    expect(mismatch.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/redirect_uri/) });
  });

  it('refuses a wrong password or authenticator code, and sends access_denied back on Cancel', async () => {
    const c = s256(verifier());
    const badPassword = await login(c, { password: 'wrong' });
    expect(badPassword.status).toBe(200);
    expect(await badPassword.text()).toContain('Incorrect username or password.');
    const badCode = await login(c, { totp: '654321' });
    expect(await badCode.text()).toContain('Invalid code received for user.');
    const cancel = await login(c, { action: 'cancel' });
    const to = new URL(cancel.headers.get('location')!);
    expect(Object.fromEntries(to.searchParams)).toEqual({ error: 'access_denied', error_description: 'The user cancelled sign-in.', state: 'st' });
  });

  it('refreshes until the refresh token is revoked, and signs out only to a listed sign-out URL', async () => {
    const v = verifier();
    const signedIn = await token({ grant_type: 'authorization_code', client_id: CLIENT_ID, code: await codeFor(v), redirect_uri: APP, code_verifier: v });
    const refreshToken = signedIn.body.refresh_token!;
    const refreshed = await token({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeUndefined();
    expect((await createCognitoVerifier({ issuer: idp.issuer, clientId: CLIENT_ID }).verify(refreshed.body.id_token!)).role).toBe('planner');

    const revoke = await fetch(`${idp.url}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: refreshToken, client_id: CLIENT_ID }) });
    expect(revoke.status).toBe(200);
    expect((await token({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: refreshToken })).body.error).toBe('invalid_grant');

    const out = await fetch(`${idp.url}/logout?${new URLSearchParams({ client_id: CLIENT_ID, logout_uri: APP })}`, { redirect: 'manual' });
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe(APP);
    expect((await fetch(`${idp.url}/logout?${new URLSearchParams({ client_id: CLIENT_ID, logout_uri: 'https://evil.example/' })}`, { redirect: 'manual' })).status).toBe(400);
  });
});
