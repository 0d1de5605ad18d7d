import { SignJWT, exportJWK, generateKeyPair, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCognitoVerifier, createLocalTokenService } from '../src/auth';
import { ORG_A, startTestApp } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('authentication and roles', () => {
  it('serves health and config without a token', async () => {
    expect((await t.call('GET', '/api/health')).json).toMatchObject({ status: 'ok' });
    expect((await t.call('GET', '/api/config')).json).toEqual({ mapStyleUrl: null, basemap: { kind: 'none' }, devSignIn: true });
  });

  it('rejects requests with no token, a garbage token or a tampered token', async () => {
    const none = await t.call('GET', '/api/me');
    expect(none.status).toBe(401);
    expect(none.json.detail).toMatch(/Authorization: Bearer/);
    expect((await t.call('GET', '/api/me', { headers: { Authorization: 'Bearer not-a-jwt' } })).status).toBe(401);
    const token = await t.tokenFor('viewer');
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${s}`;
    const res = await t.call('GET', '/api/me', { headers: { Authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
  });

  it('local sign-in issues a token whose role and organisation the API reports', async () => {
    const signIn = await t.call('POST', '/api/dev/sign-in', { body: { role: 'planner', name: 'Pat' } });
    expect(signIn.status).toBe(200);
    const me = await t.call('GET', '/api/me', { headers: { Authorization: `Bearer ${signIn.json.token}` } });
    expect(me.json).toEqual({ userId: 'local-planner-pat', orgId: ORG_A, role: 'planner', name: 'Pat', canWrite: ['cameras', 'help-points', 'pspo-zones', 'patrol-visits', 'camera-deployments'], permissions: [] });
  });

  it('local sign-in can carry the sensitive-cameras permission, and nothing else', async () => {
    const signIn = await t.call('POST', '/api/dev/sign-in', { body: { role: 'viewer', permissions: ['sensitive-cameras'] } });
    const me = await t.call('GET', '/api/me', { headers: { Authorization: `Bearer ${signIn.json.token}` } });
    expect(me.json.permissions).toEqual(['sensitive-cameras']);
    const bad = await t.call('POST', '/api/dev/sign-in', { body: { role: 'viewer', permissions: ['everything'] } });
    expect(bad.status).toBe(400);
  });

  it('sign-in refuses an unknown role and an organisation chosen by the client', async () => {
    expect((await t.call('POST', '/api/dev/sign-in', { body: { role: 'superuser' } })).status).toBe(400);
    const withOrg = await t.call('POST', '/api/dev/sign-in', { body: { role: 'admin', orgId: 'org-b' } });
    expect(withOrg.status).toBe(400);
    expect(withOrg.json.detail).toMatch(/unknown field.*orgId/);
  });

  it('viewers read but cannot write (403, nothing stored)', async () => {
    const res = await t.call('POST', '/api/cameras', { role: 'viewer', body: { name: 'x', type: 'fixed', location: { type: 'Point', coordinates: [-1.2, 53] } } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: 'forbidden', detail: expect.stringMatching(/planner, admin.*viewer/) });
    expect((await t.call('GET', '/api/cameras', { role: 'viewer' })).json.items).toEqual([]);
  });
});

describe('Cognito ID tokens', () => {
  it('maps groups to the most capable role and reads the organisation claim', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const issuer = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_test';
    const verifier = createCognitoVerifier({ issuer, clientId: 'client-1', keys: createLocalJWKSet({ keys: [jwk] }) });
    const sign = (claims: Record<string, unknown>, aud = 'client-1') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience(aud).setSubject('user-1').setExpirationTime('1h').sign(privateKey);

    const good = await sign({ token_use: 'id', 'custom:orgId': 'notts-csp', 'cognito:groups': ['viewer', 'analyst'] });
    expect(await verifier.verify(good)).toEqual({ userId: 'user-1', orgId: 'notts-csp', role: 'analyst' });
    // The sensitive-cameras group is a permission on top of the role, never a role itself.
    expect(await verifier.verify(await sign({ token_use: 'id', 'custom:orgId': 'o', 'cognito:groups': ['planner', 'sensitive-cameras', 'made-up'] }))).toMatchObject({
      role: 'planner',
      permissions: ['sensitive-cameras'],
    });
    await expect(verifier.verify(await sign({ token_use: 'id', 'custom:orgId': 'o', 'cognito:groups': ['sensitive-cameras'] }))).rejects.toThrow(/role/);
    await expect(verifier.verify(await sign({ token_use: 'access', 'custom:orgId': 'o', 'cognito:groups': ['admin'] }))).rejects.toThrow(/ID token/);
    await expect(verifier.verify(await sign({ token_use: 'id', 'custom:orgId': 'o', 'cognito:groups': ['admin'] }, 'other-client'))).rejects.toThrow();
    await expect(verifier.verify(await sign({ token_use: 'id', 'cognito:groups': ['admin'] }))).rejects.toThrow(/organisation/);
    await expect(verifier.verify(await sign({ token_use: 'id', 'custom:orgId': 'o', 'cognito:groups': [] }))).rejects.toThrow(/role/);
  });
});

describe('tokens without an expiry time', () => {
  const now = Math.floor(Date.now() / 1000);

  it('the local verifier refuses a correctly signed token with no exp, and the API answers 401', async () => {
    const secret = new TextEncoder().encode('no-exp-secret-no-exp-secret-no-exp!');
    const { verifier } = createLocalTokenService(secret);
    const sign = (withExp: boolean) => {
      const jwt = new SignJWT({ org: ORG_A, role: 'admin', perms: ['sensitive-cameras'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('forever')
        .setIssuer('safer-places-local')
        .setAudience('safer-places')
        .setIssuedAt(now);
      return (withExp ? jwt.setExpirationTime(now + 60) : jwt).sign(secret);
    };
    // The same token with exp is accepted: only the missing expiry is refused.
    expect(await verifier.verify(await sign(true))).toMatchObject({ userId: 'forever', role: 'admin' });
    await expect(verifier.verify(await sign(false))).rejects.toThrow(/exp/);

    // Through the API, with the app's own signing key: a token without exp never passes authentication.
    const harnessSecret = new TextEncoder().encode('test-secret-test-secret-test-secret!');
    const noExp = await new SignJWT({ org: ORG_A, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('forever')
      .setIssuer('safer-places-local')
      .setAudience('safer-places')
      .setIssuedAt(now)
      .sign(harnessSecret);
    const res = await t.call('GET', '/api/me', { headers: { Authorization: `Bearer ${noExp}` } });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('unauthorized');
  });

  it('the Cognito verifier refuses an ID token with no exp', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const issuer = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_test';
    const verifier = createCognitoVerifier({ issuer, clientId: 'client-1', keys: createLocalJWKSet({ keys: [jwk] }) });
    const claims = { token_use: 'id', 'custom:orgId': 'notts-csp', 'cognito:groups': ['admin', 'sensitive-cameras'] };
    const base = () => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience('client-1').setSubject('user-1').setIssuedAt(now);
    expect(await verifier.verify(await base().setExpirationTime(now + 60).sign(privateKey))).toMatchObject({ role: 'admin' });
    await expect(verifier.verify(await base().sign(privateKey))).rejects.toThrow(/exp/);
    // An expired one is refused too (as before).
    await expect(verifier.verify(await base().setExpirationTime(now - 120).sign(privateKey))).rejects.toThrow(/exp/);
  });
});
