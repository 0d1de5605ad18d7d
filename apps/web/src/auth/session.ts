import type { CognitoClientConfig } from '@safer-places/schemas';
import { tokenTimes } from './jwt';
import {
  STATE_MISMATCH_MESSAGE,
  authorizeUrl,
  callbackErrorMessage,
  codeExchange,
  logoutUrl,
  readCallback,
  redirectUriFor,
  refreshRequest,
  revokeRequest,
  safeReturnPath,
  tokenErrorMessage,
  urlWithoutCallback,
  type FormPost,
  type TokenResponse,
} from './oauth';
import { createPkcePair, randomToken, type RandomFill } from './pkce';

/**
 * A Cognito sign-in session in one browser tab: start the redirect to the managed login, complete the callback, refresh
 * the ID token with the refresh token, sign out. What must survive the round trip (state and PKCE verifier) and the
 * refresh token live in sessionStorage: per tab, gone when the tab closes. The ID token itself is kept by the app
 * (apps/web/src/app/token.ts, sessionStorage "saferPlaces.token"), as after the local sign-in.
 */

export const PENDING_KEY = 'saferPlaces.signIn';
export const REFRESH_KEY = 'saferPlaces.refreshToken';

/** The parts of the browser the session uses; tests give their own. */
export interface SessionEnvironment {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  fetch: (url: string, init: FormPost['init']) => Promise<Response>;
  location: { readonly origin: string; readonly href: string; readonly search: string; assign(url: string): void };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  random?: RandomFill;
}

export class SignInError extends Error {
  override name = 'SignInError';
}

interface Pending {
  state: string;
  verifier: string;
  redirectUri: string;
  /** The page the sign-in started on (path, query and hash: a shared view), restored on the way back. */
  returnTo?: string;
}

export type CallbackResult =
  | { kind: 'none' }
  | { kind: 'signed-in'; idToken: string }
  | { kind: 'error'; message: string };

function browserEnvironment(): SessionEnvironment {
  return { storage: window.sessionStorage, fetch: (url, init) => window.fetch(url, init), location: window.location, history: window.history };
}

/** Drops the refresh token (and any half-done sign-in) of this tab: after a 401, the session is over. */
export function forgetCognitoTokens(storage: SessionEnvironment['storage'] | null = typeof window === 'undefined' ? null : window.sessionStorage) {
  try {
    storage?.removeItem(REFRESH_KEY);
    storage?.removeItem(PENDING_KEY);
  } catch {
    /* storage unavailable: nothing kept */
  }
}

export function createCognitoSession(config: CognitoClientConfig, env: SessionEnvironment = browserEnvironment()) {
  const get = (key: string) => {
    try {
      return env.storage.getItem(key);
    } catch {
      return null;
    }
  };
  const set = (key: string, value: string) => {
    try {
      env.storage.setItem(key, value);
    } catch {
      throw new SignInError('Sign-in needs this browser tab to keep a little data (session storage), which is blocked.');
    }
  };
  const redirectUri = () => redirectUriFor(config, env.location.origin);

  async function post(request: FormPost): Promise<TokenResponse> {
    let res: Response;
    try {
      res = await env.fetch(request.url, request.init);
    } catch (err) {
      throw new SignInError(`the sign-in service could not be reached (${(err as Error).message})`);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!res.ok) throw new SignInError(tokenErrorMessage(res.status, body));
    const tokens = body as Partial<TokenResponse> | null;
    if (!tokens || typeof tokens.id_token !== 'string') throw new SignInError('the sign-in service sent no ID token');
    try {
      tokenTimes(tokens.id_token);
    } catch (err) {
      throw new SignInError(`the sign-in service sent an unreadable ID token (${(err as Error).message})`);
    }
    return tokens as TokenResponse;
  }

  return {
    redirectUri,

    /** Sends the browser to the managed login. Resolves just before the page is left. */
    async startSignIn(): Promise<void> {
      const { verifier, challenge } = await createPkcePair(env.random);
      const pending: Pending = { state: randomToken(32, env.random), verifier, redirectUri: redirectUri(), returnTo: urlWithoutCallback(env.location.href) };
      set(PENDING_KEY, JSON.stringify(pending));
      env.location.assign(authorizeUrl(config, { state: pending.state, codeChallenge: challenge, redirectUri: pending.redirectUri }));
    },

    /**
     * Completes a sign-in if this page load is the managed login's redirect: checks the state against the one this tab
     * saved, exchanges the code with the PKCE verifier, keeps the refresh token, and takes the parameters off the URL.
     * The address goes back to the page the sign-in started on (a shared view's place and hash) when the answer
     * belongs to the sign-in this tab saved.
     */
    async completeSignIn(): Promise<CallbackResult> {
      const callback = readCallback(env.location.search);
      if (callback.kind === 'none') return { kind: 'none' };
      const saved = get(PENDING_KEY);
      try {
        env.storage.removeItem(PENDING_KEY); // one use only
      } catch {
        /* nothing kept */
      }
      let pending: Pending | null = null;
      try {
        pending = saved ? (JSON.parse(saved) as Pending) : null;
      } catch {
        pending = null;
      }
      const ours = pending !== null && callback.state !== null && pending.state === callback.state;
      env.history.replaceState(null, '', (ours ? safeReturnPath(pending!.returnTo) : null) ?? urlWithoutCallback(env.location.href));
      if (callback.kind === 'error') return { kind: 'error', message: callbackErrorMessage(callback.error, callback.description) };
      if (!pending || !callback.state || pending.state !== callback.state || !pending.verifier) {
        return { kind: 'error', message: STATE_MISMATCH_MESSAGE };
      }
      try {
        const tokens = await post(codeExchange(config, { code: callback.code, codeVerifier: pending.verifier, redirectUri: pending.redirectUri }));
        if (tokens.refresh_token) set(REFRESH_KEY, tokens.refresh_token);
        return { kind: 'signed-in', idToken: tokens.id_token };
      } catch (err) {
        return { kind: 'error', message: `Sign-in was not completed: ${(err as Error).message}. Please sign in again.` };
      }
    },

    /** Whether there is a refresh token to renew the ID token with. */
    canRefresh(): boolean {
      return get(REFRESH_KEY) !== null;
    },

    /** A new ID token from the refresh token; throws SignInError when there is none or Cognito refuses it. */
    async refresh(): Promise<string> {
      const refreshToken = get(REFRESH_KEY);
      if (!refreshToken) throw new SignInError('there is no refresh token');
      const tokens = await post(refreshRequest(config, refreshToken));
      if (tokens.refresh_token) set(REFRESH_KEY, tokens.refresh_token);
      return tokens.id_token;
    },

    /**
     * Revokes the refresh token (best effort: sign-out goes on if Cognito cannot be reached), forgets this tab's tokens
     * and sends the browser to the managed login's /logout, which ends its session and comes back to the app.
     * `beforeLeaving` runs just before the page is left (the app drops its ID token there).
     */
    async signOut(beforeLeaving?: () => void): Promise<void> {
      const refreshToken = get(REFRESH_KEY);
      forgetCognitoTokens(env.storage);
      if (refreshToken) {
        const { url, init } = revokeRequest(config, refreshToken);
        await env.fetch(url, init).catch(() => undefined);
      }
      beforeLeaving?.();
      env.location.assign(logoutUrl(config, redirectUri()));
    },
  };
}

export type CognitoSession = ReturnType<typeof createCognitoSession>;
