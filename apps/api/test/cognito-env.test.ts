import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { DEFAULT_MAP_STYLE_ATTRIBUTION, DEFAULT_MAP_STYLE_URL } from '../src/basemap/config';
import { COGNITO_ENV, readCognitoEnv } from '../src/runtime/cognito-env';
import { lambdaDeps } from '../src/runtime/lambda-deps';
import { optionsFromEnv } from '../src/runtime/local-server';

const AWS_ENV = {
  TABLE_NAME: 'safer-places-dev',
  COGNITO_ISSUER: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Abc',
  COGNITO_CLIENT_ID: 'client-1',
  COGNITO_USER_POOL_ID: 'eu-west-2_Abc',
  COGNITO_REGION: 'eu-west-2',
  COGNITO_DOMAIN: 'https://safer-places-dev-1a2b.auth.eu-west-2.amazoncognito.com',
};

describe('Cognito settings from the environment', () => {
  it('give the Lambda its verifier and the sign-in settings GET /api/config serves', () => {
    const deps = lambdaDeps(AWS_ENV);
    expect(deps.config).toEqual({
      mapStyleUrl: DEFAULT_MAP_STYLE_URL,
      basemap: { kind: 'style', url: DEFAULT_MAP_STYLE_URL, attribution: DEFAULT_MAP_STYLE_ATTRIBUTION },
      cognito: { region: 'eu-west-2', userPoolId: 'eu-west-2_Abc', clientId: 'client-1', domain: 'https://safer-places-dev-1a2b.auth.eu-west-2.amazoncognito.com' },
    });
    expect(deps.devSignIn).toBeUndefined();
  });

  it('are what GET /api/config tells the web app, with local sign-in off', async () => {
    const res = await createApp({ ...lambdaDeps(AWS_ENV), log: () => undefined }).request('/api/config');
    expect(await res.json()).toEqual({
      mapStyleUrl: DEFAULT_MAP_STYLE_URL,
      basemap: { kind: 'style', url: DEFAULT_MAP_STYLE_URL, attribution: DEFAULT_MAP_STYLE_ATTRIBUTION },
      devSignIn: false,
      cognito: { region: 'eu-west-2', userPoolId: 'eu-west-2_Abc', clientId: 'client-1', domain: 'https://safer-places-dev-1a2b.auth.eu-west-2.amazoncognito.com' },
    });
  });

  it('are all required on Lambda, https only', () => {
    for (const name of COGNITO_ENV) {
      expect(() => lambdaDeps({ ...AWS_ENV, [name]: '' }), name).toThrow(`environment variable ${name} is not set`);
    }
    expect(() => lambdaDeps({ ...AWS_ENV, COGNITO_DOMAIN: 'http://localhost:9000' })).toThrow(/COGNITO_DOMAIN .* must be an https:\/\/ URL/);
    expect(() => lambdaDeps({ ...AWS_ENV, COGNITO_DOMAIN: 'not a url' })).toThrow(/is not a URL/);
  });

  it('are optional locally (local sign-in stays), all or none, with plain http only for localhost', () => {
    expect(optionsFromEnv({}).cognito).toBeUndefined();
    expect(() => optionsFromEnv({ COGNITO_ISSUER: 'http://localhost:9000' })).toThrow(/COGNITO_CLIENT_ID, .* are not set \(Cognito sign-in needs all of/);
    const local = {
      COGNITO_ISSUER: 'http://127.0.0.1:9000',
      COGNITO_CLIENT_ID: 'fixture-client',
      COGNITO_USER_POOL_ID: 'eu-west-2_Fixture',
      COGNITO_REGION: 'eu-west-2',
      COGNITO_DOMAIN: 'http://127.0.0.1:9000/',
    };
    expect(optionsFromEnv(local).cognito).toEqual({
      issuer: 'http://127.0.0.1:9000',
      clientId: 'fixture-client',
      client: { region: 'eu-west-2', userPoolId: 'eu-west-2_Fixture', clientId: 'fixture-client', domain: 'http://127.0.0.1:9000' },
    });
    expect(() => optionsFromEnv({ ...local, COGNITO_DOMAIN: 'http://idp.example.org' })).toThrow(/http:\/\/ only for localhost/);
    expect(readCognitoEnv({ ...local, COGNITO_REDIRECT_URI: 'http://localhost:3000/' }, { required: false, allowLoopbackHttp: true })?.client.redirectUri).toBe(
      'http://localhost:3000/',
    );
  });
});
