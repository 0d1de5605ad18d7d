import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  assertSafeBinding,
  defaultWorkerCount,
  isLoopbackHost,
  localContentSecurityPolicy,
  localRequestGuard,
  optionsFromEnv,
  startLocalServer,
  webSecurityHeaders,
} from '../src/runtime/local-server';

const COGNITO_ENV = {
  COGNITO_ISSUER: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_x',
  COGNITO_CLIENT_ID: 'client',
  COGNITO_USER_POOL_ID: 'eu-west-2_x',
  COGNITO_REGION: 'eu-west-2',
  COGNITO_DOMAIN: 'https://sp.auth.eu-west-2.amazoncognito.com',
};

describe('local sign-in listens on loopback only', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', 'localhost', 'LOCALHOST', '::1', '[::1]', '127.0.0.2', '127.255.255.254']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '127.0.0.256', '128.0.0.1', 'localhost.example.com', '']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });

  it('refuses HOST beyond loopback while local sign-in is on, with a message that says why and what to do', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      const options = optionsFromEnv({ HOST: host, PORT: '3000' });
      expect(() => assertSafeBinding(options)).toThrow(/refusing to start: HOST is .* not a loopback address, and local sign-in is on/);
      expect(() => assertSafeBinding(options)).toThrow(/Keep HOST at 127\.0\.0\.1.*or sign in with Cognito/);
    }
    expect(() => assertSafeBinding(optionsFromEnv({}))).not.toThrow();
    expect(() => assertSafeBinding(optionsFromEnv({ HOST: 'localhost' }))).not.toThrow();
    // With Cognito there is no local sign-in: listening more widely is the operator's choice.
    expect(() => assertSafeBinding(optionsFromEnv({ HOST: '0.0.0.0', ...COGNITO_ENV }))).not.toThrow();
  });

  it('startLocalServer refuses before it creates or opens anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-guard-'));
    try {
      const options = { ...optionsFromEnv({ HOST: '0.0.0.0', PORT: '0' }), dataDir: join(dir, 'data'), log: () => {} };
      await expect(startLocalServer(options)).rejects.toThrow(/not a loopback address/);
      expect(existsSync(join(dir, 'data'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('API workers from the environment', () => {
  it('reads API_WORKERS and API_QUEUE_LIMIT, and refuses what is not a whole number of at least 1', () => {
    expect(optionsFromEnv({ API_WORKERS: '3', API_QUEUE_LIMIT: '10' })).toMatchObject({ workers: 3, queueLimit: 10 });
    expect(optionsFromEnv({}).workers).toBeUndefined();
    for (const bad of ['0', '-1', '1.5', 'many']) {
      expect(() => optionsFromEnv({ API_WORKERS: bad }), bad).toThrow(new RegExp(`API_WORKERS '${bad.replace('.', '\\.')}' must be a whole number of at least 1`));
    }
    expect(() => optionsFromEnv({ API_QUEUE_LIMIT: '0' })).toThrow(/API_QUEUE_LIMIT/);
  });

  it('defaults to the cores available, and never fewer than two workers', () => {
    expect(defaultWorkerCount()).toBeGreaterThanOrEqual(2);
  });
});

describe('Host and Origin checks', () => {
  const app = new Hono();
  app.use('*', localRequestGuard({ port: () => 3000, host: '127.0.0.1', checkHost: true }));
  app.all('*', (c) => c.text('ok'));
  const send = (method: string, path: string, headers: Record<string, string>) => app.request(`http://localhost:3000${path}`, { method, headers });

  it('answers only to localhost, 127.0.0.1 and [::1] on its own port', async () => {
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LocalHost:3000']) expect((await send('GET', '/', { host })).status, host).toBe(200);
    for (const host of ['evil.example:3000', 'localhost:3001', 'localhost', '127.0.0.1', 'localhost.evil.example:3000', '192.168.1.10:3000', '']) {
      const res = await send('GET', '/api/me', { host });
      expect(res.status, host).toBe(421);
      const body = (await res.json()) as { error: string; detail: string };
      expect(body.error).toBe('misdirected_request');
      expect(body.detail).toMatch(/answers only at http:\/\/localhost:3000/);
    }
  });

  it('refuses the rebinding attack: sign-in with a foreign Host, and sign-in from a foreign Origin', async () => {
    expect((await send('POST', '/api/dev/sign-in', { host: 'rebind.evil.example:3000', origin: 'http://rebind.evil.example:3000' })).status).toBe(421);
    const res = await send('POST', '/api/dev/sign-in', { host: 'localhost:3000', origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'cross_origin_refused', detail: expect.stringMatching(/sign-in from another origin \("https:\/\/evil.example"\)/) });
    expect((await send('POST', '/api/dev/sign-in', { host: 'localhost:3000', origin: 'null' })).status).toBe(403);
    expect((await send('POST', '/api/dev/sign-in', { host: 'localhost:3000', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('refuses changes from another origin, but not reads, and not the page itself or clients without a browser', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect((await send(method, '/api/cameras', { host: 'localhost:3000', origin: 'http://localhost:5173' })).status, method).toBe(403);
      expect((await send(method, '/api/cameras', { host: 'localhost:3000', 'sec-fetch-site': 'same-site' })).status, method).toBe(403);
      for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
        expect((await send(method, '/api/cameras', { host: 'localhost:3000', origin })).status, `${method} ${origin}`).toBe(200);
      }
      expect((await send(method, '/api/cameras', { host: 'localhost:3000', 'sec-fetch-site': 'same-origin' })).status, method).toBe(200);
      expect((await send(method, '/api/cameras', { host: 'localhost:3000' })).status, method).toBe(200);
    }
    expect((await send('GET', '/api/cameras', { host: 'localhost:3000', origin: 'https://evil.example' })).status).toBe(200);
  });

  it('with Cognito on a wider address: any Host, but changes only from the origin the request was sent to', async () => {
    const wide = new Hono();
    wide.use('*', localRequestGuard({ port: () => 8080, host: '0.0.0.0', checkHost: false }));
    wide.all('*', (c) => c.text('ok'));
    const go = (method: string, headers: Record<string, string>) => wide.request('http://x/api/cameras', { method, headers });
    expect((await go('GET', { host: 'maps.partnership.lan:8080' })).status).toBe(200);
    expect((await go('POST', { host: 'maps.partnership.lan:8080', origin: 'http://maps.partnership.lan:8080' })).status).toBe(200);
    expect((await go('POST', { host: 'maps.partnership.lan:8080', origin: 'https://evil.example' })).status).toBe(403);
  });
});

describe('security headers of the web app', () => {
  it('a CSP for the built app with MapLibre: workers from blob:, images data:/blob:, fetches to the site, base map and sign-in', () => {
    const csp = localContentSecurityPolicy({ mapStyleUrl: 'https://tiles.example.org/styles/basic/style.json?key=abc', signInUrl: 'https://sp.auth.eu-west-2.amazoncognito.com' });
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'worker-src': "'self' blob:",
      'child-src': "'self' blob:",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data: blob:",
      'font-src': "'self' data:",
      'connect-src': "'self' https://tiles.example.org https://sp.auth.eu-west-2.amazoncognito.com",
      'object-src': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(localContentSecurityPolicy({})).toContain("connect-src 'self';");
    expect(localContentSecurityPolicy({ mapStyleUrl: 'not a url' })).toContain("connect-src 'self';");
  });

  it('on pages and files, not on API answers (which set their own)', async () => {
    const app = new Hono();
    app.use('*', webSecurityHeaders("default-src 'self'"));
    app.get('/api/x', (c) => c.json({}));
    app.get('*', (c) => c.html('<!doctype html>'));
    const page = await app.request('/');
    expect(Object.fromEntries([...page.headers].filter(([k]) => k !== 'content-type'))).toEqual({
      'content-security-policy': "default-src 'self'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect((await app.request('/assets/index-abc.js')).headers.get('x-content-type-options')).toBe('nosniff');
    expect((await app.request('/api/x')).headers.get('content-security-policy')).toBeNull();
  });
});
