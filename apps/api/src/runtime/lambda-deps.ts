import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { createDocumentClient, dynamoPorts } from '@safer-places/store';
import type { AppDeps } from '../app';
import { cachesFromEnv } from './cache-env';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoVerifier } from '../auth';
import { CognitoUserDirectory } from './cognito-users';
import { readCognitoEnv } from './cognito-env';
import { baseMapFromEnv, mapStyleUrlOf } from '../basemap/config';

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
export function lambdaDeps(env: NodeJS.ProcessEnv, telemetry: LambdaTelemetry = lambdaTelemetry()): AppDeps {
  const tableName = required(env, 'TABLE_NAME');
  // Every DynamoDB call a subsegment of the trace (a no-op where X-Ray tracing is off: tests, local runs).
  const doc = telemetry.tracer.captureAWSv3Client(createDocumentClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}));
  const keys = inlineKeys(env);
  // Required, https only: every COGNITO_* variable the stack sets.
  const cognito = readCognitoEnv(env, { required: true, allowLoopbackHttp: false })!;
  const basemap = baseMapFromEnv(env);
  return {
    ...dynamoPorts(doc, tableName),
    verifier: createCognitoVerifier({ issuer: cognito.issuer, clientId: cognito.clientId, ...(keys && { keys }) }),
    // The base map: MAP_PMTILES_URL (an archive in the site bucket) or MAP_STYLE_URL (default: a public style).
    config: { mapStyleUrl: mapStyleUrlOf(basemap), basemap, cognito: cognito.client },
    // User administration (GET/POST /api/users, PATCH /api/users/:id) in the same pool: IAM in infra, see cognito-users.ts.
    users: new CognitoUserDirectory(new CognitoIdentityProviderClient({ region: cognito.client.region }), cognito.client.userPoolId),
    log: telemetry.log,
    caches: cachesFromEnv(env),
  };
}

/** What the app logs with: `{ level, msg, ...attributes }` (apps/api/src/app.ts). */
export type AppLog = NonNullable<AppDeps['log']>;

/**
 * Metrics the API publishes, in CloudWatch embedded metric format (EMF) through Powertools Metrics. Namespace and the
 * `service` dimension come from the function's environment (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME,
 * set by the stack); the stack's alarms watch these names (infra/lib/telemetry.ts, checked against this code by
 * infra/test/telemetry-contract.test.ts).
 */
export const API_METRICS = {
  /** A change, upload or export succeeded but its audit event could not be stored (apps/api/src/audit.ts). */
  auditAppendFailed: 'AuditAppendFailed',
} as const;

/** App log messages that count a metric, one per occurrence. */
const METRIC_OF_MESSAGE = new Map<string, string>([['audit append failed', API_METRICS.auditAppendFailed]]);

export interface LambdaTelemetry {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
  /** The app's log function on Lambda (AppDeps.log). */
  log: AppLog;
}

/**
 * Structured logs, metrics and traces as they work on Lambda with the JSON log format. The app's plain
 * `console.log(JSON.stringify(entry))` would reach CloudWatch as a string under the runtime's "message" key, at level
 * INFO whatever the entry said; Powertools writes each line to stdout itself, as a JSON object Lambda keeps as it is,
 * with a real level ("ERROR" for errors, so Lambda's log-level filter and log queries see it) and, for metrics, as an
 * EMF document CloudWatch turns into a metric.
 */
export function lambdaTelemetry(): LambdaTelemetry {
  // Service name from POWERTOOLS_SERVICE_NAME; level from Lambda's application log level (AWS_LAMBDA_LOG_LEVEL).
  const logger = new Logger();
  // Namespace from POWERTOOLS_METRICS_NAMESPACE, the "service" dimension from POWERTOOLS_SERVICE_NAME.
  const metrics = new Metrics();
  // On only inside Lambda (AWS_EXECUTION_ENV) with active tracing; elsewhere every call is a no-op.
  const tracer = new Tracer();
  return { logger, metrics, tracer, log: powertoolsLog(logger, metrics) };
}

/**
 * The app's log entries through Powertools: `level` chooses the logger method (error, warn, debug, else info), `msg`
 * becomes the message, everything else stays as attributes. A message with a metric (METRIC_OF_MESSAGE) also counts
 * it, published at once: the alarm must not depend on the invocation finishing normally.
 */
export function powertoolsLog(logger: Logger, metrics: Metrics): AppLog {
  return (entry) => {
    const { level, msg, ...attributes } = entry;
    const message = typeof msg === 'string' ? msg : 'log';
    if (level === 'error') logger.error(message, attributes);
    else if (level === 'warn') logger.warn(message, attributes);
    else if (level === 'debug') logger.debug(message, attributes);
    else logger.info(message, attributes);
    const metric = METRIC_OF_MESSAGE.get(message);
    if (metric) {
      metrics.addMetric(metric, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    }
  };
}

/**
 * Wraps a Lambda handler: the invocation's context on every log line (request id, cold start), and a traced
 * "## handler" subsegment with the cold start and service annotations and any error as metadata.
 */
export function withTelemetry<E, R>(telemetry: LambdaTelemetry, handler: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R> {
  const { logger, tracer } = telemetry;
  return async (event, context) => {
    logger.addContext(context);
    const parent = tracer.getSegment();
    const segment = parent?.addNewSubsegment('## handler');
    if (segment) tracer.setSegment(segment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await handler(event, context);
    } catch (err) {
      tracer.addErrorAsMetadata(err as Error);
      throw err;
    } finally {
      segment?.close();
      if (parent) tracer.setSegment(parent);
    }
  };
}
