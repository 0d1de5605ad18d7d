import { describe, expect, it } from 'vitest';
import type { CognitoClientConfig } from '@safer-places/schemas';
import { REFRESH_MARGIN_SECONDS, jwtPayload, refreshDelayMs, tokenTimes } from '../src/auth/jwt';
import {
  STATE_MISMATCH_MESSAGE,
  authorizeUrl,
  callbackErrorMessage,
  codeExchange,
  logoutUrl,
  readCallback,
  redirectUriFor,
  urlWithoutCallback,
} from '../src/auth/oauth';
import { base64url, createPkcePair, randomToken, s256Challenge } from '../src/auth/pkce';
import { PENDING_KEY, REFRESH_KEY, createCognitoSession, forgetCognitoTokens, type SessionEnvironment } from '../src/auth/session';

const config: CognitoClientConfig = {
  region: 'eu-west-2',
  userPoolId: 'eu-west-2_Test',
  clientId: 'web-client-1',
  domain: 'https://safer-places-dev-abc.auth.eu-west-2.amazoncognito.com',
};
const ORIGIN = 'https://d111111abcdef8.cloudfront.net';

/** An unsigned JWT-shaped token with the given claims (the browser never checks signatures; the API does). */
function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => base64url(new TextEncoder().encode(JSON.stringify(o)));
  return `${enc({ alg: 'RS256', kid: 'k' })}.${enc(claims)}.c2lnbmF0dXJl`;
}

describe('PKCE (RFC 7636)', () => {
  // RFC 7636 appendix B: the 32 random octets, the verifier they make, and its S256 challenge.
  const OCTETS = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
  const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
  const appendixB = (bytes: Uint8Array) => {
    bytes.set(OCTETS);
    return bytes;
  };

  it('makes the appendix B verifier from its octets and the appendix B challenge from that verifier', async () => {
    expect(randomToken(32, appendixB)).toBe(VERIFIER);
    expect(await s256Challenge(VERIFIER)).toBe(CHALLENGE);
    expect(await createPkcePair(appendixB)).toEqual({ verifier: VERIFIER, challenge: CHALLENGE });
  });

  it('draws fresh 43-character verifiers from crypto.getRandomValues', async () => {
    const a = await createPkcePair();
    const b = await createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).toBe(await s256Challenge(a.verifier));
    expect(a.challenge).not.toBe(a.verifier);
  });

  it('refuses verifiers RFC 7636 does not allow', async () => {
    await expect(s256Challenge('too-short')).rejects.toThrow(/43 to 128/);
    await expect(s256Challenge(`${VERIFIER}+`)).rejects.toThrow(/43 to 128/);
    await expect(s256Challenge('a'.repeat(129))).rejects.toThrow(/43 to 128/);
  });
});

describe('OAuth requests to the managed login', () => {
  it('builds the authorize URL: code flow, this client, the redirect URI, openid email profile, state and S256 challenge', () => {
    const url = new URL(authorizeUrl(config, { state: 'st-1', codeChallenge: 'ch-1', redirectUri: `${ORIGIN}/` }));
    expect(`${url.origin}${url.pathname}`).toBe('https://safer-places-dev-abc.auth.eu-west-2.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'web-client-1',
      redirect_uri: `${ORIGIN}/`,
      scope: 'openid email profile',
      state: 'st-1',
      code_challenge: 'ch-1',
      code_challenge_method: 'S256',
    });
    // A trailing slash on the configured domain does not double up.
    expect(authorizeUrl({ ...config, domain: `${config.domain}/` }, { state: 's', codeChallenge: 'c', redirectUri: 'r' })).toMatch(/amazoncognito\.com\/oauth2\/authorize\?/);
  });

  it('redirects to the page origin by default, or to the configured URI', () => {
    expect(redirectUriFor(config, ORIGIN)).toBe(`${ORIGIN}/`);
    expect(redirectUriFor({ ...config, redirectUri: 'https://maps.example.gov.uk/' }, ORIGIN)).toBe('https://maps.example.gov.uk/');
  });

  it('exchanges the code with a form post carrying client_id, code, redirect_uri and the verifier', () => {
    const { url, init } = codeExchange(config, { code: 'c0de', codeVerifier: 'v'.repeat(43), redirectUri: `${ORIGIN}/` });
    expect(url).toBe(`${config.domain}/oauth2/token`);
    expect(init.method).toBe('POST');
    expect(init.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(init.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'web-client-1',
      code: 'c0de',
      redirect_uri: `${ORIGIN}/`,
      code_verifier: 'v'.repeat(43),
    });
  });

  it('signs out at /logout with the client id and the sign-out URI', () => {
    const url = new URL(logoutUrl(config, `${ORIGIN}/`));
    expect(url.pathname).toBe('/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'web-client-1', logout_uri: `${ORIGIN}/` });
  });

  it('reads what the managed login sends back, and takes it off the URL', () => {
    expect(readCallback('')).toEqual({ kind: 'none' });
    expect(readCallback('?dataset=demo')).toEqual({ kind: 'none' });
    expect(readCallback('?code=abc&state=xyz')).toEqual({ kind: 'code', code: 'abc', state: 'xyz' });
    expect(readCallback('?error=access_denied&error_description=User+cancelled&state=xyz')).toEqual({
      kind: 'error',
      error: 'access_denied',
      description: 'User cancelled',
      state: 'xyz',
    });
    expect(urlWithoutCallback(`${ORIGIN}/?code=abc&state=xyz&dataset=demo#map`)).toBe('/?dataset=demo#map');
    expect(urlWithoutCallback(`${ORIGIN}/?error=x&error_description=y`)).toBe('/');
  });

  it('words a managed login error as plain text, description first', () => {
    expect(callbackErrorMessage('access_denied', 'User is disabled.')).toBe('Sign-in was not completed: User is disabled. (access_denied).');
    expect(callbackErrorMessage('server_error', null)).toBe('Sign-in was not completed (server_error).');
    // Never interpreted: markup stays literal text, and a long description is cut short.
    expect(callbackErrorMessage('invalid_request', '<img src=x onerror=alert(1)>')).toContain('<img src=x onerror=alert(1)>');
    expect(callbackErrorMessage('invalid_request', 'x'.repeat(1000)).length).toBeLessThanOrEqual(301);
  });
});

describe('ID token expiry', () => {
  const now = Date.UTC(2026, 10, 20, 9, 0, 0);
  const s = Math.floor(now / 1000);

  it('reads exp and iat from the payload', () => {
    const token = fakeJwt({ sub: 'u1', exp: s + 3600, iat: s, 'cognito:groups': ['planner'] });
    expect(tokenTimes(token)).toEqual({ exp: s + 3600, iat: s });
    expect(jwtPayload(token)['cognito:groups']).toEqual(['planner']);
    expect(tokenTimes(fakeJwt({ exp: s + 10 }))).toEqual({ exp: s + 10, iat: null });
  });

  it('refuses what is not a JWT with an expiry', () => {
    expect(() => jwtPayload('not-a-token')).toThrow(/three/);
    expect(() => jwtPayload('a.%%%.c')).toThrow(/base64url/);
    expect(() => tokenTimes(fakeJwt({ sub: 'u1' }))).toThrow(/no expiry/);
    expect(() => tokenTimes(fakeJwt({ exp: 'tomorrow' }))).toThrow(/no expiry/);
  });

  it('refreshes two minutes before a one-hour token expires, a quarter of the lifetime before a short one, at once when late', () => {
    expect(refreshDelayMs(fakeJwt({ exp: s + 3600, iat: s }), now)).toBe((3600 - REFRESH_MARGIN_SECONDS) * 1000);
    expect(refreshDelayMs(fakeJwt({ exp: s + 20, iat: s }), now)).toBe(15_000);
    expect(refreshDelayMs(fakeJwt({ exp: s + 3600 }), now)).toBe((3600 - REFRESH_MARGIN_SECONDS) * 1000);
    expect(refreshDelayMs(fakeJwt({ exp: s - 5, iat: s - 3605 }), now)).toBe(0);
    expect(refreshDelayMs('garbage', now)).toBe(0);
  });
});

/** A browser tab for the session: storage, address bar, history and the network, all recorded. */
function tab(search: string, respond: (url: string, body: URLSearchParams) => Response = () => new Response('{}', { status: 500 })) {
  const store = new Map<string, string>();
  const calls: { url: string; body: URLSearchParams }[] = [];
  const assigned: string[] = [];
  let href = `${ORIGIN}/${search}`;
  const env: SessionEnvironment = {
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
    fetch: async (url, init) => {
      const body = new URLSearchParams(init.body);
      calls.push({ url, body });
      return respond(url, body);
    },
    location: {
      origin: ORIGIN,
      get href() {
        return href;
      },
      get search() {
        return new URL(href).search;
      },
      assign: (url) => void assigned.push(url),
    },
    history: { replaceState: (_d, _u, url) => void (href = new URL(url, ORIGIN).toString()) },
  };
  return { env, store, calls, assigned, href: () => href, session: createCognitoSession(config, env) };
}

const tokens = (idClaims: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ id_token: fakeJwt(idClaims), access_token: 'at', token_type: 'Bearer', expires_in: 3600, ...extra }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

describe('the sign-in round trip in one tab', () => {
  const exp = Math.floor(Date.now() / 1000) + 3600;

  it('starts at the authorize URL with a fresh state and challenge, keeping state and verifier for the return', async () => {
    const t = tab('');
    await t.session.startSignIn();
    expect(t.assigned).toHaveLength(1);
    const url = new URL(t.assigned[0]!);
    const pending = JSON.parse(t.store.get(PENDING_KEY)!) as { state: string; verifier: string; redirectUri: string };
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('code_challenge')).toBe(await s256Challenge(pending.verifier));
    expect(url.searchParams.get('redirect_uri')).toBe(pending.redirectUri);
    expect(pending.redirectUri).toBe(`${ORIGIN}/`);
    expect(pending.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('completes the return: same state, code exchanged with the saved verifier, refresh token kept, URL cleaned', async () => {
    const first = tab('');
    await first.session.startSignIn();
    const pending = JSON.parse(first.store.get(PENDING_KEY)!) as { state: string; verifier: string };
    const t = tab(`?code=the-code&state=${pending.state}`, () => tokens({ sub: 'u1', exp }, { refresh_token: 'rt-1' }));
    t.store.set(PENDING_KEY, first.store.get(PENDING_KEY)!);

    const result = await t.session.completeSignIn();
    expect(result).toEqual({ kind: 'signed-in', idToken: expect.any(String) });
    expect(t.calls).toHaveLength(1);
    expect(t.calls[0]!.url).toBe(`${config.domain}/oauth2/token`);
    expect(Object.fromEntries(t.calls[0]!.body)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'web-client-1',
      code: 'the-code',
      redirect_uri: `${ORIGIN}/`,
      code_verifier: pending.verifier,
    });
    expect(t.store.get(REFRESH_KEY)).toBe('rt-1');
    expect(t.store.has(PENDING_KEY)).toBe(false);
    expect(t.href()).toBe(`${ORIGIN}/`);
  });

  it('rejects a return whose state is not the one this tab saved, without exchanging the code', async () => {
    const t = tab('?code=stolen-code&state=attacker-state', () => tokens({ sub: 'u1', exp }));
    t.store.set(PENDING_KEY, JSON.stringify({ state: 'our-state', verifier: 'v'.repeat(43), redirectUri: `${ORIGIN}/` }));
    expect(await t.session.completeSignIn()).toEqual({ kind: 'error', message: STATE_MISMATCH_MESSAGE });
    expect(t.calls).toEqual([]);
    expect(t.href()).toBe(`${ORIGIN}/`);
    // Nor without any saved sign-in (a link opened in another tab), nor a second time with the right state.
    const u = tab('?code=c&state=s', () => tokens({ sub: 'u1', exp }));
    expect(await u.session.completeSignIn()).toEqual({ kind: 'error', message: STATE_MISMATCH_MESSAGE });
    expect(u.calls).toEqual([]);
  });

  it('shows the managed login error and exchanges nothing', async () => {
    const t = tab('?error=access_denied&error_description=User+is+disabled.&state=s');
    t.store.set(PENDING_KEY, JSON.stringify({ state: 's', verifier: 'v'.repeat(43), redirectUri: `${ORIGIN}/` }));
    expect(await t.session.completeSignIn()).toEqual({ kind: 'error', message: 'Sign-in was not completed: User is disabled. (access_denied).' });
    expect(t.calls).toEqual([]);
    expect(t.store.has(PENDING_KEY)).toBe(false);
    expect(t.href()).toBe(`${ORIGIN}/`);
  });

  it("says why when the token endpoint refuses the code, and when it sends no usable ID token", async () => {
    const pending = JSON.stringify({ state: 's', verifier: 'v'.repeat(43), redirectUri: `${ORIGIN}/` });
    const refused = tab('?code=c&state=s', () => new Response(JSON.stringify({ error: 'invalid_grant', error_description: 'code verifier mismatch' }), { status: 400 }));
    refused.store.set(PENDING_KEY, pending);
    const r = await refused.session.completeSignIn();
    expect(r).toEqual({ kind: 'error', message: expect.stringContaining('(invalid_grant: code verifier mismatch)') });
    const noToken = tab('?code=c&state=s', () => new Response(JSON.stringify({ access_token: 'at' }), { status: 200 }));
    noToken.store.set(PENDING_KEY, pending);
    expect(await noToken.session.completeSignIn()).toEqual({ kind: 'error', message: expect.stringContaining('no ID token') });
    expect(noToken.store.has(REFRESH_KEY)).toBe(false);
  });

  it('does nothing on an ordinary page load', async () => {
    const t = tab('?dataset=demo');
    expect(await t.session.completeSignIn()).toEqual({ kind: 'none' });
    expect(t.href()).toBe(`${ORIGIN}/?dataset=demo`);
  });

  it('refreshes with the refresh token, keeping it when Cognito sends no new one', async () => {
    const t = tab('', (_url, body) => (body.get('refresh_token') === 'rt-1' ? tokens({ sub: 'u1', exp: exp + 60 }) : new Response('{"error":"invalid_grant"}', { status: 400 })));
    await expect(t.session.refresh()).rejects.toThrow(/no refresh token/);
    t.store.set(REFRESH_KEY, 'rt-1');
    const id = await t.session.refresh();
    expect(tokenTimes(id).exp).toBe(exp + 60);
    expect(Object.fromEntries(t.calls[0]!.body)).toEqual({ grant_type: 'refresh_token', client_id: 'web-client-1', refresh_token: 'rt-1' });
    expect(t.store.get(REFRESH_KEY)).toBe('rt-1');
    t.store.set(REFRESH_KEY, 'rt-revoked');
    await expect(t.session.refresh()).rejects.toThrow(/invalid_grant/);
  });

  it('signs out: revokes the refresh token, forgets it, then leaves for /logout', async () => {
    const t = tab('', () => new Response('', { status: 200 }));
    t.store.set(REFRESH_KEY, 'rt-1');
    await t.session.signOut();
    expect(t.calls.map((c) => [c.url, Object.fromEntries(c.body)])).toEqual([[`${config.domain}/oauth2/revoke`, { token: 'rt-1', client_id: 'web-client-1' }]]);
    expect(t.store.has(REFRESH_KEY)).toBe(false);
    expect(t.assigned).toEqual([logoutUrl(config, `${ORIGIN}/`)]);
    // Cognito unreachable: the sign-out still happens.
    const offline = tab('');
    offline.env.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    offline.store.set(REFRESH_KEY, 'rt-2');
    await createCognitoSession(config, offline.env).signOut();
    expect(offline.store.has(REFRESH_KEY)).toBe(false);
    expect(offline.assigned).toHaveLength(1);
  });

  it('forgets the tokens after a 401', () => {
    const t = tab('');
    t.store.set(REFRESH_KEY, 'rt-1');
    t.store.set(PENDING_KEY, '{}');
    forgetCognitoTokens(t.env.storage);
    expect([...t.store.keys()]).toEqual([]);
  });
});
