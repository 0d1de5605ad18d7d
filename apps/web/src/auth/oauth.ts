import type { CognitoClientConfig } from '@safer-places/schemas';

/**
 * The OAuth 2.0 / OpenID Connect requests to Cognito's managed login, as pure functions: the authorize URL, the token
 * and revocation requests, the logout URL, and reading what the managed login sends back on the redirect URI.
 * Endpoints: https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html
 */

/** openid for the ID token; email and profile for the user's address and name in it. */
export const SCOPES = ['openid', 'email', 'profile'] as const;

/** Where the managed login sends the browser back to (and where sign-out ends): the configured URI or this origin's root. */
export function redirectUriFor(config: CognitoClientConfig, origin: string): string {
  return config.redirectUri ?? `${origin}/`;
}

const endpoint = (config: CognitoClientConfig, path: string) => `${config.domain.replace(/\/+$/, '')}${path}`;

/** The /oauth2/authorize URL that starts sign-in: authorization code, PKCE S256, our state. */
export function authorizeUrl(config: CognitoClientConfig, request: { state: string; codeChallenge: string; redirectUri: string }): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: request.redirectUri,
    scope: SCOPES.join(' '),
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${endpoint(config, '/oauth2/authorize')}?${q.toString()}`;
}

/** A form POST (application/x-www-form-urlencoded) to one of the OAuth endpoints. */
export interface FormPost {
  url: string;
  init: { method: 'POST'; headers: Record<string, string>; body: string };
}

function formPost(url: string, fields: Record<string, string>): FormPost {
  return {
    url,
    init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() },
  };
}

/** Exchanges the code for tokens at /oauth2/token (a public client: client_id, no secret; the verifier proves it is us). */
export function codeExchange(config: CognitoClientConfig, request: { code: string; codeVerifier: string; redirectUri: string }): FormPost {
  return formPost(endpoint(config, '/oauth2/token'), {
    grant_type: 'authorization_code',
    client_id: config.clientId,
    code: request.code,
    redirect_uri: request.redirectUri,
    code_verifier: request.codeVerifier,
  });
}

/** New ID and access tokens for a refresh token at /oauth2/token. */
export function refreshRequest(config: CognitoClientConfig, refreshToken: string): FormPost {
  return formPost(endpoint(config, '/oauth2/token'), { grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken });
}

/** Revokes a refresh token (and the tokens issued with it) at /oauth2/revoke. */
export function revokeRequest(config: CognitoClientConfig, refreshToken: string): FormPost {
  return formPost(endpoint(config, '/oauth2/revoke'), { token: refreshToken, client_id: config.clientId });
}

/** Ends the managed login session and sends the browser to `logoutUri` (one of the client's sign-out URLs). */
export function logoutUrl(config: CognitoClientConfig, logoutUri: string): string {
  return `${endpoint(config, '/logout')}?${new URLSearchParams({ client_id: config.clientId, logout_uri: logoutUri }).toString()}`;
}

/** What the page's query string says about a sign-in round trip. */
export type CallbackParams =
  | { kind: 'none' }
  | { kind: 'code'; code: string; state: string | null }
  | { kind: 'error'; error: string; description: string | null; state: string | null };

/** Reads ?code=&state= or ?error=&error_description=&state= (as the managed login sends them back). */
export function readCallback(search: string): CallbackParams {
  const q = new URLSearchParams(search);
  const state = q.get('state');
  const error = q.get('error');
  if (error) return { kind: 'error', error, description: q.get('error_description'), state };
  const code = q.get('code');
  if (code) return { kind: 'code', code, state };
  return { kind: 'none' };
}

/** The page's URL without the sign-in parameters, for history.replaceState (so a reload or a bookmark never replays them). */
export function urlWithoutCallback(href: string): string {
  const url = new URL(href);
  // Only a parameter that is there is deleted: deleting writes the whole query again (escaping `:` in a place's key).
  for (const p of ['code', 'state', 'error', 'error_description', 'error_uri']) if (url.searchParams.has(p)) url.searchParams.delete(p);
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The page a sign-in started on, kept to come back to after the managed login (which returns to the redirect URI,
 * the app's root): {@link urlWithoutCallback} of it, a path of this site with the query and hash where a shared
 * view's place and view live. Checked again when read back: a path of this site (`/…`, not `//host` or `/\host`),
 * no control characters, at most 4,000 characters; anything else gives null. (replaceState cannot leave the origin
 * anyway, but a stored value is checked before it is used.)
 */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 4000) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 0x20 || value.charCodeAt(i) === 0x7f) return null;
  return value;
}

const MAX_SHOWN = 300;
const clip = (s: string) => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s);

/** The words shown when the managed login sends back an error (shown as text, never as HTML). */
export function callbackErrorMessage(error: string, description: string | null): string {
  const detail = description?.trim();
  return clip(detail ? `Sign-in was not completed: ${detail} (${error}).` : `Sign-in was not completed (${error}).`);
}

export const STATE_MISMATCH_MESSAGE =
  'Sign-in was not completed: the answer from the sign-in page does not belong to a sign-in started in this browser tab. Please sign in again.';

/** The tokens /oauth2/token returns (a refresh grant returns no new refresh token). */
export interface TokenResponse {
  id_token: string;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  token_type?: string;
}

/** An OAuth error answer ({error, error_description}) as words for the user. */
export function tokenErrorMessage(status: number, body: unknown): string {
  const b = (body ?? {}) as { error?: unknown; error_description?: unknown };
  const error = typeof b.error === 'string' ? b.error : `HTTP ${status}`;
  const description = typeof b.error_description === 'string' ? `: ${b.error_description}` : '';
  return clip(`the sign-in service refused the request (${error}${description})`);
}
