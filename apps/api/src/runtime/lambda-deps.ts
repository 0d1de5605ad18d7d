import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { createDocumentClient, dynamoPorts } from '@safer-places/store';
import type { AppDeps } from '../app';
import { createCognitoVerifier } from '../auth';
import { readCognitoEnv } from './cognito-env';

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/**
 * COGNITO_JWKS: the user pool's signing keys as inline JWKS JSON instead of fetching them from Cognito.
 * For offline tests of the bundled Lambda only (they sign tokens with a key pair of their own); the stack never sets it.
 */
function inlineKeys(env: NodeJS.ProcessEnv) {
  const text = env.COGNITO_JWKS;
  if (!text) return undefined;
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(text) as JSONWebKeySet;
  } catch {
    throw new Error('environment variable COGNITO_JWKS is not valid JSON (expected a JWKS: {"keys": [...]})');
  }
  if (!jwks || !Array.isArray(jwks.keys)) throw new Error('environment variable COGNITO_JWKS has no "keys" array');
  return createLocalJWKSet(jwks);
}

/**
 * Wiring for AWS Lambda: the table and Cognito pool come from the stack's environment. The HTTP API's JWT authorizer
 * checks tokens first; the app verifies them again here (defence in depth) and reads organisation and role from them.
 * GET /api/config tells the web app where to sign in (the pool's managed login). No local sign-in here.
 * DYNAMODB_ENDPOINT (another DynamoDB, e.g. the embedded one) and COGNITO_JWKS are for offline tests.
 */
export function lambdaDeps(env: NodeJS.ProcessEnv): AppDeps {
  const tableName = required(env, 'TABLE_NAME');
  const doc = createDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
  const keys = inlineKeys(env);
  // Required, https only: every COGNITO_* variable the stack sets.
  const cognito = readCognitoEnv(env, { required: true, allowLoopbackHttp: false })!;
  return {
    ...dynamoPorts(doc, tableName),
    verifier: createCognitoVerifier({ issuer: cognito.issuer, clientId: cognito.clientId, ...(keys && { keys }) }),
    config: { mapStyleUrl: env.MAP_STYLE_URL || null, cognito: cognito.client },
  };
}
