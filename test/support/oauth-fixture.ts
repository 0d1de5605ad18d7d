import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/**
 * A small stand-in for a Cognito user pool's managed login, for tests: the OAuth 2.0 / OpenID Connect endpoints the
 * web app uses, with the same paths, parameters and answers as Cognito (https://docs.aws.amazon.com/cognito/latest/
 * developerguide/federation-endpoints.html), and ID tokens shaped like Cognito's, signed RS256 with a key of its own
 * whose public half it publishes at /.well-known/jwks.json (the issuer is the fixture's base URL).
 *
 * - GET  /oauth2/authorize   an HTML sign-in form (user name, password, 6-digit authenticator code); checks the client,
 *                            redirect URI, response_type=code, scope openid and an S256 code challenge
 * - POST /login              the form: back to redirect_uri with ?code&state, or ?error=access_denied on Cancel
 * - POST /oauth2/token       authorization_code (client, redirect URI, PKCE verifier checked) and refresh_token grants
 * - POST /oauth2/revoke      revokes a refresh token
 * - GET  /logout             back to logout_uri when it is one of the client's sign-out URLs
 * - GET  /.well-known/jwks.json, /.well-known/openid-configuration
 *
 * The token and revoke endpoints answer cross-origin requests as Cognito's do (the page fetches them).
 */

export interface FixtureUser {
  username: string;
  password: string;
  /** The one code the fixture's "authenticator app" accepts (6 digits). */
  totp: string;
  sub: string;
  email: string;
  name?: string;
  groups: string[];
  /** custom:orgId; leave out for a user without an organisation (the API must refuse their token). */
  orgId?: string;
  /** ID and access token lifetime; default one hour, as the stack's web client. */
  tokenTtlSeconds?: number;
}

export interface OAuthFixtureOptions {
  clientId: string;
  users: FixtureUser[];
  /** The client's callback URLs (redirect_uri must be one of them, exactly). Can be set after start. */
  callbackUrls?: string[];
  /** The client's sign-out URLs (logout_uri must be one of them). Default: the callback URLs. */
  logoutUrls?: string[];
}

/** What the fixture saw, for assertions. */
export interface FixtureEvent {
  method: string;
  path: string;
  params: Record<string, string>;
  status: number;
  origin: string | null;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  user: FixtureUser;
  expiresAt: number;
  used: boolean;
}

interface IssuedRefresh {
  clientId: string;
  user: FixtureUser;
  revoked: boolean;
}

export interface OAuthFixture {
  /** Base URL (http://127.0.0.1:<port>): the "managed login domain" and the token issuer. */
  url: string;
  issuer: string;
  clientId: string;
  callbackUrls: string[];
  logoutUrls: string[];
  events: FixtureEvent[];
  /** Tokens the fixture issued, newest last. */
  issued: { grant: 'authorization_code' | 'refresh_token'; idToken: string; refreshToken: string | null; username: string; issuedAtMs: number }[];
  /** The public signing key, as published. */
  jwks: { keys: JWK[] };
  close(): Promise<void>;
}

const CODE_TTL_MS = 5 * 60_000;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const b64url = (buf: Buffer) => buf.toString('base64url');
export const s256 = (verifier: string) => b64url(createHash('sha256').update(verifier, 'ascii').digest());

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 64 * 1024) throw new Error('body too large');
  }
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return {};
  return Object.fromEntries(new URLSearchParams(body));
}

function signInPage(params: Record<string, string>, message: string | null): string {
  const hidden = ['client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method', 'response_type']
    .filter((k) => params[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params[k]!)}">`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en-GB">
  <head><meta charset="utf-8"><title>Sign in (test identity provider)</title></head>
  <body>
    <h1>Sign in to Safer Places</h1>
    ${message ? `<p role="alert">${escapeHtml(message)}</p>` : ''}
    <form method="post" action="/login">
      ${hidden}
      <label>User name <input name="username" autocomplete="username"></label>
      <label>Password <input name="password" type="password" autocomplete="current-password"></label>
      <label>Authenticator code <input name="totp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6"></label>
      <button type="submit" name="action" value="sign-in">Sign in</button>
      <button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
    </form>
  </body>
</html>`;
}

export async function startOAuthFixture(options: OAuthFixtureOptions): Promise<OAuthFixture> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = `fixture-${randomBytes(4).toString('hex')}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, IssuedRefresh>();
  const events: FixtureEvent[] = [];
  const issued: OAuthFixture['issued'] = [];
  let base = '';

  const fixture = {
    url: '',
    issuer: '',
    clientId: options.clientId,
    callbackUrls: [...(options.callbackUrls ?? [])],
    logoutUrls: [...(options.logoutUrls ?? [])],
    events,
    issued,
    jwks: { keys: [jwk] },
  } as Omit<OAuthFixture, 'close'> & { close?: OAuthFixture['close'] };
  const logoutUrls = () => (fixture.logoutUrls.length > 0 ? fixture.logoutUrls : fixture.callbackUrls);

  async function tokensFor(user: FixtureUser, clientId: string, scope: string, key: CryptoKey) {
    const now = Math.floor(Date.now() / 1000);
    const ttl = user.tokenTtlSeconds ?? 3600;
    const idToken = await new SignJWT({
      token_use: 'id',
      'cognito:username': user.username,
      'cognito:groups': user.groups,
      ...(user.orgId !== undefined && { 'custom:orgId': user.orgId }),
      email: user.email,
      email_verified: true,
      ...(user.name && { name: user.name }),
      auth_time: now,
    })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(base)
      .setAudience(clientId)
      .setSubject(user.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(randomBytes(8).toString('hex'))
      .sign(key);
    const accessToken = await new SignJWT({ token_use: 'access', client_id: clientId, scope, username: user.username, 'cognito:groups': user.groups })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(base)
      .setSubject(user.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(key);
    return { id_token: idToken, access_token: accessToken, expires_in: ttl, token_type: 'Bearer' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, record: (params: Record<string, string>) => void) {
    const url = new URL(req.url ?? '/', base);
    const origin = req.headers.origin ?? null;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...(origin && { 'access-control-allow-origin': origin }) });
      res.end(JSON.stringify(body));
    };
    const oauthError = (status: number, error: string, description: string) => json(status, { error, error_description: description });
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    };
    const redirect = (to: string) => {
      res.writeHead(302, { location: to, 'cache-control': 'no-store' });
      res.end();
    };
    const back = (redirectUri: string, params: Record<string, string | undefined>) => {
      const to = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) if (v !== undefined) to.searchParams.set(k, v);
      redirect(to.toString());
    };

    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...(origin && { 'access-control-allow-origin': origin }),
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
      });
      return res.end();
    }

    if (req.method === 'GET' && url.pathname === '/.well-known/jwks.json') {
      record({});
      return json(200, fixture.jwks);
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      record({});
      return json(200, {
        issuer: base,
        authorization_endpoint: `${base}/oauth2/authorize`,
        token_endpoint: `${base}/oauth2/token`,
        revocation_endpoint: `${base}/oauth2/revoke`,
        end_session_endpoint: `${base}/logout`,
        jwks_uri: `${base}/.well-known/jwks.json`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }

    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const p = Object.fromEntries(url.searchParams);
      record(p);
      // Never redirect to an address the client does not list.
      if (p.client_id !== options.clientId) return html(400, '<p>invalid_request: unknown client_id</p>');
      if (!p.redirect_uri || !fixture.callbackUrls.includes(p.redirect_uri)) return html(400, '<p>redirect_mismatch</p>');
      if (p.response_type !== 'code') return back(p.redirect_uri, { error: 'unsupported_response_type', state: p.state });
      if (!(p.scope ?? '').split(' ').includes('openid')) return back(p.redirect_uri, { error: 'invalid_scope', error_description: 'openid is required', state: p.state });
      if (p.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(p.code_challenge ?? '')) {
        return back(p.redirect_uri, { error: 'invalid_request', error_description: 'an S256 code_challenge is required', state: p.state });
      }
      return html(200, signInPage(p, null));
    }

    if (req.method === 'POST' && url.pathname === '/login') {
      const p = await readForm(req);
      record({ ...p, password: p.password ? '***' : '' });
      if (p.client_id !== options.clientId || !p.redirect_uri || !fixture.callbackUrls.includes(p.redirect_uri)) return html(400, '<p>invalid_request</p>');
      if (p.action === 'cancel') return back(p.redirect_uri, { error: 'access_denied', error_description: 'The user cancelled sign-in.', state: p.state });
      const user = options.users.find((u) => u.username === p.username && u.password === p.password);
      if (!user) return html(200, signInPage(p, 'Incorrect username or password.'));
      if (!/^\d{6}$/.test(p.totp ?? '') || p.totp !== user.totp) return html(200, signInPage(p, 'Invalid code received for user.'));
      const code = randomBytes(24).toString('base64url');
      codes.set(code, {
        clientId: p.client_id,
        redirectUri: p.redirect_uri,
        challenge: p.code_challenge!,
        scope: p.scope ?? 'openid',
        user,
        expiresAt: Date.now() + CODE_TTL_MS,
        used: false,
      });
      return back(p.redirect_uri, { code, state: p.state });
    }

    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      const p = await readForm(req);
      record({ ...p, ...(p.code_verifier && { code_verifier: '<given>' }) });
      if (p.client_id !== options.clientId) return oauthError(400, 'invalid_client', 'unknown client');
      if (p.grant_type === 'authorization_code') {
        const issuedCode = p.code ? codes.get(p.code) : undefined;
        if (!issuedCode || issuedCode.used || issuedCode.expiresAt < Date.now() || issuedCode.clientId !== p.client_id) {
          return oauthError(400, 'invalid_grant', 'the code is unknown, used or expired');
        }
        // A code is good for one exchange, right or wrong.
        issuedCode.used = true;
        if (p.redirect_uri !== issuedCode.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorize request');
        if (!p.code_verifier || s256(p.code_verifier) !== issuedCode.challenge) return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
        const tokens = await tokensFor(issuedCode.user, p.client_id, issuedCode.scope, privateKey);
        const refreshToken = randomBytes(32).toString('base64url');
        refreshTokens.set(refreshToken, { clientId: p.client_id, user: issuedCode.user, revoked: false });
        issued.push({ grant: 'authorization_code', idToken: tokens.id_token, refreshToken, username: issuedCode.user.username, issuedAtMs: Date.now() });
        return json(200, { ...tokens, refresh_token: refreshToken });
      }
      if (p.grant_type === 'refresh_token') {
        const refresh = p.refresh_token ? refreshTokens.get(p.refresh_token) : undefined;
        if (!refresh || refresh.revoked || refresh.clientId !== p.client_id) return oauthError(400, 'invalid_grant', 'Invalid Refresh Token');
        const tokens = await tokensFor(refresh.user, p.client_id, 'openid email profile', privateKey);
        issued.push({ grant: 'refresh_token', idToken: tokens.id_token, refreshToken: null, username: refresh.user.username, issuedAtMs: Date.now() });
        return json(200, tokens);
      }
      return oauthError(400, 'unsupported_grant_type', `grant_type ${p.grant_type ?? '(none)'} is not supported`);
    }

    if (req.method === 'POST' && url.pathname === '/oauth2/revoke') {
      const p = await readForm(req);
      record({ ...p, ...(p.token && { token: '<given>' }) });
      if (p.client_id !== options.clientId) return oauthError(400, 'invalid_client', 'unknown client');
      const refresh = p.token ? refreshTokens.get(p.token) : undefined;
      if (refresh && refresh.clientId === p.client_id) refresh.revoked = true;
      res.writeHead(200, { ...(origin && { 'access-control-allow-origin': origin }) });
      return res.end();
    }

    if (req.method === 'GET' && url.pathname === '/logout') {
      const p = Object.fromEntries(url.searchParams);
      record(p);
      if (p.client_id !== options.clientId || !p.logout_uri || !logoutUrls().includes(p.logout_uri)) return html(400, '<p>invalid_request: logout_uri</p>');
      return redirect(p.logout_uri);
    }

    record({});
    return html(404, '<p>not found</p>');
  }

  const server: Server = createServer((req, res) => {
    let params: Record<string, string> = {};
    const record = (p: Record<string, string>) => (params = p);
    res.on('finish', () => {
      const path = new URL(req.url ?? '/', base).pathname;
      events.push({ method: req.method ?? '', path, params, status: res.statusCode, origin: req.headers.origin ?? null });
    });
    handle(req, res, record).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fixture.url = base;
  fixture.issuer = base;
  fixture.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return fixture as OAuthFixture;
}
