import { describe, expect, it } from 'vitest';
import type { CognitoClientConfig } from '@safer-places/schemas';
import { safeReturnPath } from '../src/auth/oauth';
import { base64url } from '../src/auth/pkce';
import { PENDING_KEY, createCognitoSession, type SessionEnvironment } from '../src/auth/session';

/*
 * A shared link survives the Cognito sign-in: the managed login sends the browser back to the redirect URI (the app's
 * root), so the page the sign-in started on (its place in the query, its view in the hash) is kept in this tab's
 * session storage with the sign-in's state and put back on the address when the answer is this tab's.
 */

const config: CognitoClientConfig = { region: 'eu-west-2', userPoolId: 'eu-west-2_Test', clientId: 'web-client-1', domain: 'https://pool.auth.eu-west-2.amazoncognito.com' };
const ORIGIN = 'https://safer.example';
const LINK = '/?scope=district:E07000174#v=1&ds=open-data&map=13.00/53.14000/-1.19000&measure=count&open=lsoa:E01028000';

function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => base64url(new TextEncoder().encode(JSON.stringify(o)));
  return `${enc({ alg: 'RS256', kid: 'k' })}.${enc(claims)}.c2ln`;
}

/** One browser tab: storage shared across page loads (sessionStorage), the address, the network. */
function tab(store: Map<string, string>, path: string, respond: () => Response = () => new Response('{}', { status: 500 })) {
  let href = `${ORIGIN}${path}`;
  const assigned: string[] = [];
  const env: SessionEnvironment = {
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
    fetch: async () => respond(),
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
  return { env, assigned, href: () => href, session: createCognitoSession(config, env) };
}

const signedIn = () =>
  new Response(JSON.stringify({ id_token: fakeJwt({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 3600 }), refresh_token: 'rt' }), { status: 200 });

describe('a shared link through the Cognito sign-in', () => {
  it('comes back to the linked place and view after signing in', async () => {
    const store = new Map<string, string>();
    const before = tab(store, LINK);
    await before.session.startSignIn();
    const state = new URL(before.assigned[0]!).searchParams.get('state')!;
    // The authorize request carries only the opaque state: the view stays in this tab.
    expect(before.assigned[0]).not.toContain('E01028000');
    expect(JSON.parse(store.get(PENDING_KEY)!).returnTo).toBe(LINK);

    const back = tab(store, `/?code=the-code&state=${state}`, signedIn);
    expect(await back.session.completeSignIn()).toMatchObject({ kind: 'signed-in' });
    expect(back.href()).toBe(`${ORIGIN}${LINK}`);
  });

  it('comes back to the link also when the sign-in was cancelled at the managed login', async () => {
    const store = new Map<string, string>();
    const before = tab(store, LINK);
    await before.session.startSignIn();
    const state = new URL(before.assigned[0]!).searchParams.get('state')!;
    const back = tab(store, `/?error=access_denied&state=${state}`);
    expect(await back.session.completeSignIn()).toMatchObject({ kind: 'error' });
    expect(back.href()).toBe(`${ORIGIN}${LINK}`);
  });

  it('does not use a saved page for an answer that is not this tab’s sign-in', async () => {
    const store = new Map<string, string>();
    store.set(PENDING_KEY, JSON.stringify({ state: 'ours', verifier: 'v'.repeat(43), redirectUri: `${ORIGIN}/`, returnTo: LINK }));
    const back = tab(store, '/?code=c&state=someone-elses', signedIn);
    expect(await back.session.completeSignIn()).toMatchObject({ kind: 'error' });
    expect(back.href()).toBe(`${ORIGIN}/`);
  });

  it('never leaves the site for a tampered saved page', async () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/ok\nSet-Cookie: x', 42, null]) {
      const store = new Map<string, string>();
      store.set(PENDING_KEY, JSON.stringify({ state: 's', verifier: 'v'.repeat(43), redirectUri: `${ORIGIN}/`, returnTo }));
      const back = tab(store, '/?code=c&state=s', signedIn);
      await back.session.completeSignIn();
      expect(back.href(), String(returnTo)).toBe(`${ORIGIN}/`);
    }
  });

  it('accepts only paths of this site as a return path', () => {
    expect(safeReturnPath(LINK)).toBe(LINK);
    expect(safeReturnPath('/')).toBe('/');
    expect(safeReturnPath('//evil.example')).toBeNull();
    expect(safeReturnPath('/\\evil.example')).toBeNull();
    expect(safeReturnPath('evil')).toBeNull();
    expect(safeReturnPath(`/${'a'.repeat(5000)}`)).toBeNull();
    expect(safeReturnPath('/a\u0000b')).toBeNull();
    expect(safeReturnPath(undefined)).toBeNull();
  });
});
