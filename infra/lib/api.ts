import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, HttpApi, HttpMethod, LogGroupLogDestination, type HttpRoute, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { keys } from '@safer-places/store';
import { TABLE_DEFINITION } from '@safer-places/store/table';
import { REQUEST_TIME_BUDGET_MS } from '@safer-places/schemas';
import type { Auth } from './auth';
import type { StageConfig } from './config';
import { AppFunction } from './function';
import { basemapUrlPath } from './basemap';
import { SERVICE } from './telemetry';

/**
 * The only routes without the JWT authorizer. Both answer without a token in the app too (apps/api/src/app.ts):
 * /api/health for monitoring, /api/config because the web app reads it before anyone has signed in.
 */
export const PUBLIC_ROUTES = ['GET /api/health', 'GET /api/config'] as const;
/** Everything else under /api needs a valid Cognito ID token, checked by API Gateway and again by the app. */
export const PROTECTED_ROUTE = 'ANY /api/{proxy+}';
/** Tighter throttling for the unauthenticated routes (requests per second, burst). */
export const PUBLIC_ROUTE_THROTTLE = { rateLimit: 10, burstLimit: 20 } as const;

/** API Gateway's HTTP API integration timeout: a Lambda answer later than this never reaches the client. */
export const HTTP_API_INTEGRATION_TIMEOUT = Duration.seconds(30);

/**
 * Lambda timeout: above the app's own time budget per request (REQUEST_TIME_BUDGET_MS, 20 s: the app answers 503 or
 * 413 itself by then), so the app, not Lambda, ends a slow request and says why; and below the HTTP API's 30 s
 * integration limit, so even a request the app fails to stop ends as a Lambda error the alarms count, not a gateway
 * time-out. The 5 s between budget and timeout cover serialising and compressing the answer.
 */
export const API_TIMEOUT = Duration.millis(REQUEST_TIME_BUDGET_MS + 5_000);

/**
 * Memory of the API function. Lambda gives CPU in proportion to memory (1,769 MB is one full vCPU), and the function
 * holds the bounded caches of the domain: crime points (API_CRIME_CACHE_MB), counts, LSOAs and assets, plus one
 * request's work; 1,024 MB leaves room for the crime cache, a district's analysis and the runtime.
 */
export const API_MEMORY_MB = 1024;

/** The crime points cache's size in MB (env CRIME_CACHE_MB, read by the API's composition root): well within API_MEMORY_MB. */
export const API_CRIME_CACHE_MB = 384;

/**
 * DynamoDB actions the API uses (packages/store: Get, Put, Delete and Query on assets; Get and Query on reference data;
 * UpdateItem on the organisation's assets version where a write cannot carry it in a transaction). TransactWriteItems
 * has no IAM action of its own: each Put or Delete inside it is allowed by PutItem or DeleteItem.
 */
export const API_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'];

/** Operations that IAM governs through the item actions inside them, not through an action of their own. */
export const IAM_ENCLOSING_OPERATIONS = ['dynamodb:TransactWriteItems'];

/** What the in-app user administration calls on the user pool (apps/api/src/runtime/cognito-users.ts). */
export const API_USER_POOL_ACTIONS = [
  'cognito-idp:ListUsers',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminDeleteUser',
];

/**
 * Every write but PutItem, on audit partitions: an audit event can be added, never changed or deleted (not even by a
 * batch or a PartiQL statement). PutItem itself cannot overwrite an event: the store always puts with
 * attribute_not_exists(pk) (packages/store/src/audit-log.ts), and IAM has no condition key for that, hence the code.
 */
export const AUDIT_DENIED_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'];
/** The only attributes an audit item may be written with (packages/store/src/audit-log.ts). */
export const AUDIT_ITEM_ATTRIBUTES = ['pk', 'sk', 'event'];
/** dynamodb:LeadingKeys pattern of every audit partition, from the store's own key prefix. */
export const AUDIT_LEADING_KEYS = [`${keys.auditPkPrefix}*`];

/** The table and its indexes (each named: Query on an index needs the index's own ARN). */
export function tableResources(table: ITableV2): string[] {
  return [table.tableArn, ...TABLE_DEFINITION.globalSecondaryIndexes.map((g) => `${table.tableArn}/index/${g.indexName}`)];
}

export interface ApiProps {
  config: StageConfig;
  table: ITableV2;
  auth: Auth;
}

/** The Hono app on Lambda (through hono/aws-lambda) behind an HTTP API with a Cognito JWT authorizer. */
export class Api extends Construct {
  readonly function: AppFunction;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config } = props;
    const prod = config.stage === 'prod';

    this.function = new AppFunction(this, 'Handler', {
      code: 'api',
      service: SERVICE.api,
      stage: config.stage,
      description: 'Safer Places HTTP API (Hono app)',
      memorySize: API_MEMORY_MB,
      timeout: API_TIMEOUT,
      prod,
      environment: {
        TABLE_NAME: props.table.tableName,
        CRIME_CACHE_MB: String(API_CRIME_CACHE_MB),
        // apps/api/src/runtime/cognito-env.ts: token checks, and where GET /api/config sends the web app to sign in.
        COGNITO_ISSUER: props.auth.issuerUrl,
        COGNITO_CLIENT_ID: props.auth.webClient.userPoolClientId,
        COGNITO_USER_POOL_ID: props.auth.userPool.userPoolId,
        COGNITO_REGION: Stack.of(this).region,
        COGNITO_DOMAIN: props.auth.signInUrl,
        // apps/api/src/basemap/config.ts: the base map GET /api/config names ("none": the app's offline map only).
        MAP_STYLE_URL: config.mapStyleUrl ?? 'none',
        ...(config.basemapPmtiles && { MAP_PMTILES_URL: basemapUrlPath(config.basemapPmtiles), MAP_PMTILES_ATTRIBUTION: config.basemapAttribution }),
      },
      ...(config.apiReservedConcurrency !== null && { reservedConcurrentExecutions: config.apiReservedConcurrency }),
    });
    this.function.role.addToPolicy(new PolicyStatement({ actions: API_TABLE_ACTIONS, resources: tableResources(props.table) }));
    // The audit log is append-only even for the API's own role: nothing under AUDIT# can be changed or deleted.
    this.function.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: AUDIT_DENIED_ACTIONS,
        resources: tableResources(props.table),
        conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': AUDIT_LEADING_KEYS } },
      }),
    );
    // An audit event holds its keys and the event, nothing else: in particular no expiresAt for TTL to delete it by.
    this.function.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: ['dynamodb:PutItem'],
        resources: tableResources(props.table),
        conditions: {
          'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': AUDIT_LEADING_KEYS },
          'ForAnyValue:StringNotEquals': { 'dynamodb:Attributes': AUDIT_ITEM_ATTRIBUTES },
        },
      }),
    );
    // User administration inside the app (GET/POST /api/users, PATCH /api/users/:id; apps/api/src/runtime/cognito-users.ts):
    // admin actions on this user pool only. Each call is scoped to the caller's organisation in the code, and audited.
    this.function.role.addToPolicy(new PolicyStatement({ actions: API_USER_POOL_ACTIONS, resources: [props.auth.userPool.userPoolArn] }));

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `safer-places-${config.stage}`,
      description: 'Safer Places API; reached through CloudFront at /api/*',
      createDefaultStage: false,
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: prod ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // No headers, no query strings, no bodies: nothing a token or personal data could be in, except the user id.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            responseLength: '$context.responseLength',
            user: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('Integration', this.function.fn);
    const authorizer = new HttpJwtAuthorizer('CognitoAuthorizer', props.auth.issuerUrl, {
      jwtAudience: [props.auth.webClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    this.httpApi.addRoutes({ path: '/api/{proxy+}', methods: [HttpMethod.ANY], integration, authorizer });
    const publicRoutes: HttpRoute[] = [];
    for (const key of PUBLIC_ROUTES) {
      const [method, path] = key.split(' ') as [HttpMethod, string];
      publicRoutes.push(...this.httpApi.addRoutes({ path, methods: [method], integration }));
    }
    for (const route of publicRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'GET /api/health (monitoring) and GET /api/config (public settings the web app needs before sign-in) are public by design ' +
          'and carry no data; they are throttled harder than the rest. Every other route has the Cognito JWT authorizer.',
      });
    }

    // Per-route throttling for the public routes. The stage must come after the routes it names.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      PUBLIC_ROUTES.map((key) => [key, { ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit, ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit }]),
    );
    for (const route of publicRoutes) this.stage.node.addDependency(route);
  }
}
