import { DynamoAssetRepository, DynamoReferenceRepository, createDocumentClient } from '@safer-places/store';
import type { AppDeps } from '../app';
import { createCognitoVerifier } from '../auth';

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** Wiring for AWS Lambda: the table and Cognito pool come from the stack's environment. */
export function lambdaDeps(env: NodeJS.ProcessEnv): AppDeps {
  const tableName = required(env, 'TABLE_NAME');
  const doc = createDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
  return {
    assets: new DynamoAssetRepository(doc, tableName),
    reference: new DynamoReferenceRepository(doc, tableName),
    verifier: createCognitoVerifier({ issuer: required(env, 'COGNITO_ISSUER'), clientId: required(env, 'COGNITO_CLIENT_ID') }),
    config: { mapStyleUrl: env.MAP_STYLE_URL ?? null },
  };
}
