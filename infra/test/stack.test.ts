import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Validations, type App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, REQUEST_TIME_BUDGET_MS, ROLES } from '@safer-places/schemas';
import { TABLE_DEFINITION } from '@safer-places/store/table';
import { keys } from '@safer-places/store';
import { API_CRIME_CACHE_MB, API_MEMORY_MB, API_TABLE_ACTIONS, API_USER_POOL_ACTIONS, AUDIT_DENIED_ACTIONS, HTTP_API_INTEGRATION_TIMEOUT, PROTECTED_ROUTE, PUBLIC_ROUTES, PUBLIC_ROUTE_THROTTLE } from '../lib/api';
import { IMPORTER_AUDIT_DENIED_ACTIONS, IMPORTER_TABLE_ACTIONS } from '../lib/importer';
import { ALARMS } from '../lib/monitoring';
import { RUNTIME_CONFIG_FILE, SOURCE_MAP_BLOCKER_CODE } from '../lib/web';
import { resources, synthesise, type Synthesised } from './helpers';

// Managed policies of CloudFront (stable, documented ids).
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
/** The statement CDK adds to a role for X-Ray active tracing: the only statement on "*" (X-Ray has no resource types). */
const XRAY_STATEMENT = { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' };
/** What a state machine with execution logging and tracing needs on "*": CloudWatch Logs delivery set-up and X-Ray. */
const STATE_MACHINE_STAR_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
];

let dev: Synthesised;
let prod: Synthesised;
let bare: Synthesised;
/** cdk-nag registered as bin/app.ts does, so synthesis itself fails on an unacknowledged finding. */
const withNag = (app: App) => Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
beforeAll(() => {
  dev = synthesise({ beforeSynth: withNag });
  prod = synthesise({ context: { stage: 'prod', apiReservedConcurrency: '20' }, beforeSynth: withNag });
  // No force/districts, no alarm e-mail, no base map: the smallest deployment.
  bare = synthesise({ context: { force: undefined, districts: undefined, alarmEmail: undefined, mapStyleUrl: 'none' } });
});
afterAll(() => {
  for (const s of [dev, prod, bare]) s?.cleanup();
});

const ofType = (t: Template, type: string) => Object.entries(resources(t)).filter(([, r]) => r.Type === type);
const one = (t: Template, type: string) => {
  const found = ofType(t, type);
  expect(found).toHaveLength(1);
  return found[0]!;
};
/** Our two functions (the third is CDK's BucketDeployment handler). */
const fn = (t: Template, name: 'Api' | 'Importer') => {
  const found = ofType(t, 'AWS::Lambda::Function').filter(([id]) => id.startsWith(`${name}Handler`));
  expect(found).toHaveLength(1);
  return found[0]![1].Properties;
};
const ref = (logicalId: string) => ({ Ref: logicalId });

/** The managed login base URL as the template spells it: https://<domain Ref>.auth.<region>.amazoncognito.com. */
const signInUrl = (t: Template) => ({
  'Fn::Join': ['', ['https://', ref(one(t, 'AWS::Cognito::UserPoolDomain')[0]), '.auth.eu-west-2.amazoncognito.com']],
});
/** https://<distribution domain>/, as the template spells it. */
const siteUrl = (t: Template) => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [one(t, 'AWS::CloudFront::Distribution')[0], 'DomainName'] }, '/']],
});

/** The config.json the shell deployment uploads, as staged in the cloud assembly (deploy-time values as markers). */
function configJson(s: Synthesised): string {
  for (const dir of readdirSync(s.outdir)) {
    const file = join(s.outdir, dir, RUNTIME_CONFIG_FILE);
    if (dir.startsWith('asset.') && existsSync(file)) return readFileSync(file, 'utf8');
  }
  throw new Error(`no ${RUNTIME_CONFIG_FILE} asset in ${s.outdir}`);
}

/** Every other resource a resource refers to (Ref, Fn::GetAtt, Fn::Sub) or waits for (DependsOn). */
function references(resource: unknown, ids: Set<string>): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Ref' && typeof x === 'string' && ids.has(x)) out.add(x);
      else if (k === 'Fn::GetAtt') out.add(Array.isArray(x) ? String(x[0]) : String(x).split('.')[0]!);
      else if (k === 'Fn::Sub') for (const m of JSON.stringify(x).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) if (ids.has(m[1]!)) out.add(m[1]!);
      walk(x);
    }
  };
  const r = resource as { Properties?: unknown; DependsOn?: string | string[] };
  walk(r.Properties);
  for (const d of list(r.DependsOn ?? [])) out.add(d);
  return out;
}

/** A dependency cycle among the template's resources (CloudFormation refuses such a template), or null. */
function findCycle(template: { Resources: Record<string, unknown> }): string[] | null {
  const ids = new Set(Object.keys(template.Resources));
  const edges = new Map([...ids].map((id) => [id, [...references(template.Resources[id], ids)]]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return null;
}

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
}
const list = <T>(x: T | T[]) => (Array.isArray(x) ? x : [x]);

/** Every policy statement in the template: identity policies and resource policies (buckets, topic). */
function statements(t: Template): { owner: string; type: string; statement: Statement }[] {
  const out: { owner: string; type: string; statement: Statement }[] = [];
  for (const [id, r] of Object.entries(resources(t))) {
    const docs: any[] = [];
    if (r.Properties?.PolicyDocument) docs.push(r.Properties.PolicyDocument);
    if (Array.isArray(r.Properties?.Policies)) for (const p of r.Properties.Policies) docs.push(p.PolicyDocument);
    for (const d of docs) for (const s of d.Statement) out.push({ owner: id, type: r.Type, statement: s });
  }
  return out;
}

describe('DynamoDB table', () => {
  it('is built from the same definition as local start-up: keys, indexes, on demand', () => {
    const [, table] = one(dev.template, 'AWS::DynamoDB::GlobalTable');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(table.Properties.BillingMode).toBe(TABLE_DEFINITION.billingMode);
    expect(table.Properties.GlobalSecondaryIndexes ?? []).toHaveLength(TABLE_DEFINITION.globalSecondaryIndexes.length);
    // Idempotency records expire on their own (readers check the time too, since TTL deletion is lazy).
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true });
  });

  it('has point-in-time recovery and AWS-managed KMS encryption in every stage', () => {
    for (const s of [dev, prod]) {
      const [, table] = one(s.template, 'AWS::DynamoDB::GlobalTable');
      expect(table.Properties.Replicas).toEqual([expect.objectContaining({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })]);
      // SSE-KMS without a key id: the AWS-managed key aws/dynamodb.
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    }
  });

  it('is deletion-protected and retained in prod, disposable in dev', () => {
    const [, p] = one(prod.template, 'AWS::DynamoDB::GlobalTable');
    expect(p).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(p.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    const [, d] = one(dev.template, 'AWS::DynamoDB::GlobalTable');
    expect(d).toMatchObject({ DeletionPolicy: 'Delete' });
    expect(d.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
  });
});

describe('Lambda functions', () => {
  it('run on ARM64 and Node 22 with explicit timeouts: the API below the HTTP API 30 s limit', () => {
    const api = fn(dev.template, 'Api');
    const importer = fn(dev.template, 'Importer');
    for (const f of [api, importer]) expect(f).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
    expect(api.Timeout).toBeLessThan(30);
    expect(importer.Timeout).toBeLessThanOrEqual(900);
  });

  it('map stack traces to source lines: the importer through Node, the API itself on first use (no cost at init)', () => {
    expect(fn(dev.template, 'Importer').Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(fn(dev.template, 'Api').Environment.Variables.NODE_OPTIONS).toBeUndefined();
  });

  it("give the API a timeout between the app's time budget and the gateway's, and memory for its bounded caches", () => {
    const api = fn(dev.template, 'Api');
    // The app ends a slow request itself (REQUEST_TIME_BUDGET_MS) before Lambda would, and Lambda before the gateway.
    expect(api.Timeout * 1000).toBeGreaterThan(REQUEST_TIME_BUDGET_MS);
    expect(api.Timeout).toBeLessThan(HTTP_API_INTEGRATION_TIMEOUT.toSeconds());
    expect(HTTP_API_INTEGRATION_TIMEOUT.toSeconds()).toBe(30);
    expect(api.MemorySize).toBe(API_MEMORY_MB);
    expect(api.Environment.Variables.CRIME_CACHE_MB).toBe(String(API_CRIME_CACHE_MB));
    // The crime cache leaves most of the function's memory to the rest of the process.
    expect(API_CRIME_CACHE_MB).toBeLessThanOrEqual(API_MEMORY_MB / 2);
  });

  it('log structured JSON into their own log groups, keeping INFO lines (EMF, requests) and platform reports, and are traced', () => {
    for (const f of [fn(dev.template, 'Api'), fn(dev.template, 'Importer')]) {
      // INFO, not WARN: Lambda files a line without "level" (every EMF metric line) as INFO. System INFO keeps the
      // per-invocation REPORT (duration, memory used) and the init report.
      expect(f.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: { Ref: expect.any(String) } });
      expect(f.TracingConfig).toEqual({ Mode: 'Active' });
    }
    for (const [, f] of ofType(dev.template, 'AWS::Lambda::Function')) {
      const group = resources(dev.template)[f.Properties.LoggingConfig.LogGroup.Ref]!;
      expect(group.Type).toBe('AWS::Logs::LogGroup');
    }
    const groups = ofType(dev.template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(4);
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
    for (const [, g] of ofType(prod.template, 'AWS::Logs::LogGroup')) expect(g.DeletionPolicy).toBe('Retain');
  });

  it('give the API exactly its settings (no offline-test variables) and reserved concurrency when configured', () => {
    const api = fn(dev.template, 'Api');
    expect(Object.keys(api.Environment.Variables).sort()).toEqual([
      'COGNITO_CLIENT_ID',
      'COGNITO_DOMAIN',
      'COGNITO_ISSUER',
      'COGNITO_REGION',
      'COGNITO_USER_POOL_ID',
      'CRIME_CACHE_MB',
      'MAP_STYLE_URL',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
      'TABLE_NAME',
    ]);
    expect(api.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'api', POWERTOOLS_METRICS_NAMESPACE: 'SaferPlaces/dev' });
    expect(fn(prod.template, 'Api').Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('SaferPlaces/prod');
    const [poolId] = one(dev.template, 'AWS::Cognito::UserPool');
    expect(api.Environment.Variables).toMatchObject({
      COGNITO_ISSUER: { 'Fn::GetAtt': [poolId, 'ProviderURL'] },
      COGNITO_CLIENT_ID: ref(one(dev.template, 'AWS::Cognito::UserPoolClient')[0]),
      COGNITO_USER_POOL_ID: ref(poolId),
      COGNITO_REGION: 'eu-west-2',
      // What GET /api/config sends the web app to: the managed login domain.
      COGNITO_DOMAIN: signInUrl(dev.template),
    });
    expect(api.ReservedConcurrentExecutions).toBeUndefined();
    expect(fn(prod.template, 'Api').ReservedConcurrentExecutions).toBe(20);
  });
});

describe('HTTP API', () => {
  it('puts the Cognito JWT authorizer on every route except the public health and config routes', () => {
    const [authorizerId, authorizer] = one(dev.template, 'AWS::ApiGatewayV2::Authorizer');
    const [poolId] = one(dev.template, 'AWS::Cognito::UserPool');
    const [clientId] = one(dev.template, 'AWS::Cognito::UserPoolClient');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [ref(clientId)], Issuer: { 'Fn::GetAtt': [poolId, 'ProviderURL'] } },
    });
    const routes = ofType(dev.template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual([PROTECTED_ROUTE, ...PUBLIC_ROUTES].sort());
    for (const r of routes) {
      if ((PUBLIC_ROUTES as readonly string[]).includes(r.RouteKey)) {
        expect(r.AuthorizationType).toBe('NONE');
      } else {
        expect(r).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: ref(authorizerId) });
      }
    }
    // No $default catch-all that could bypass the authorizer.
    expect(routes.some((r) => r.RouteKey === '$default')).toBe(false);
  });

  it('throttles every route, the public ones harder, and writes access logs', () => {
    const [, stage] = one(dev.template, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] }, Format: expect.stringContaining('$context.requestId') },
    });
    for (const key of PUBLIC_ROUTES) {
      expect(stage.Properties.RouteSettings[key]).toEqual({ ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit, ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit });
    }
    // Route settings name routes, so the stage must be created after them.
    const publicRouteIds = ofType(dev.template, 'AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.AuthorizationType === 'NONE').map(([id]) => id);
    expect(list(stage.DependsOn ?? [])).toEqual(expect.arrayContaining(publicRouteIds));
    expect(stage.Properties.AccessLogSettings.Format).not.toMatch(/authorization|header/i);
  });
});

describe('Cognito', () => {
  it('has no self sign-up, requires MFA and a strong password, and is on the Plus plan with threat protection', () => {
    const [, pool] = one(dev.template, 'AWS::Cognito::UserPool');
    expect(pool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    expect(pool.Properties.Schema).toContainEqual(expect.objectContaining({ Name: 'orgId', AttributeDataType: 'String' }));
    expect(one(prod.template, 'AWS::Cognito::UserPool')[1]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
  });

  it('has one group per role, in the API role priority, and one per permission after them', () => {
    const groups = ofType(dev.template, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties);
    expect(groups.map((g) => g.GroupName).sort()).toEqual([...ROLES, ...PERMISSIONS].sort());
    const byPrecedence = [...groups].sort((a, b) => a.Precedence - b.Precedence).map((g) => g.GroupName);
    expect(byPrecedence).toEqual(['admin', 'analyst', 'bid-writer', 'planner', 'viewer', 'sensitive-cameras']);
  });

  it('signs in on the managed login: a public client (no secret) with only the authorization code grant, back to the site', () => {
    const [clientId, client] = one(dev.template, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      // Token lifetimes: an hour for ID and access tokens, 12 hours for the refresh token.
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
    // The callback and sign-out URL is the CloudFront site, exactly as the web app sends it (origin + '/').
    expect(client.Properties.CallbackURLs).toEqual([siteUrl(dev.template)]);
    expect(client.Properties.LogoutURLs).toEqual([siteUrl(dev.template)]);
    expect(JSON.stringify(client.Properties)).not.toMatch(/implicit|client_credentials|example\.com/);

    // A Cognito prefix domain on managed login (version 2), unique per stack by default, with Cognito's own style.
    const [domainId, domain] = one(dev.template, 'AWS::Cognito::UserPoolDomain');
    const [poolId] = one(dev.template, 'AWS::Cognito::UserPool');
    expect(domain.Properties).toMatchObject({ UserPoolId: ref(poolId), ManagedLoginVersion: 2 });
    expect(JSON.stringify(domain.Properties.Domain)).toContain('safer-places-dev-');
    expect(JSON.stringify(domain.Properties.Domain)).toContain('AWS::StackId');
    expect(JSON.stringify(one(prod.template, 'AWS::Cognito::UserPoolDomain')[1].Properties.Domain)).toContain('safer-places-prod-');
    const [, style] = one(dev.template, 'AWS::Cognito::ManagedLoginBranding');
    expect(style.Properties).toEqual({ UserPoolId: ref(poolId), ClientId: ref(clientId), UseCognitoProvidedValues: true });
    expect(list(style.DependsOn ?? [])).toContain(domainId);
  });

  it('takes a chosen domain prefix and extra site addresses (a custom domain) as further callback and sign-out URLs', () => {
    const custom = synthesise({ context: { signInDomainPrefix: 'notts-csp-maps', extraSiteUrls: 'https://maps.example.gov.uk' } });
    try {
      expect(one(custom.template, 'AWS::Cognito::UserPoolDomain')[1].Properties.Domain).toBe('notts-csp-maps');
      const [, client] = one(custom.template, 'AWS::Cognito::UserPoolClient');
      expect(client.Properties.CallbackURLs).toEqual([siteUrl(custom.template), 'https://maps.example.gov.uk/']);
      expect(client.Properties.LogoutURLs).toEqual([siteUrl(custom.template), 'https://maps.example.gov.uk/']);
      // Ref of a user pool domain is its Domain, so this is https://notts-csp-maps.auth.eu-west-2.amazoncognito.com.
      expect(fn(custom.template, 'Api').Environment.Variables.COGNITO_DOMAIN).toEqual(signInUrl(custom.template));
    } finally {
      custom.cleanup();
    }
  });

  it('has no dependency cycle between the client, the distribution and the HTTP API authorizer', () => {
    // The detector itself finds a cycle when there is one.
    expect(findCycle({ Resources: { A: { Properties: { X: { Ref: 'B' } } }, B: { Properties: { Y: { 'Fn::GetAtt': ['A', 'Arn'] } } } } })).toEqual(['A', 'B', 'A']);
    for (const s of [dev, prod, bare]) expect(findCycle(s.template.toJSON() as { Resources: Record<string, unknown> })).toBeNull();
    // The chain that makes this work: client -> distribution -> HTTP API, and authorizer -> client.
    const ids = new Set(Object.keys(resources(dev.template)));
    const [clientId, client] = one(dev.template, 'AWS::Cognito::UserPoolClient');
    const [distributionId, distribution] = one(dev.template, 'AWS::CloudFront::Distribution');
    const [apiId] = one(dev.template, 'AWS::ApiGatewayV2::Api');
    const [, authorizer] = one(dev.template, 'AWS::ApiGatewayV2::Authorizer');
    expect(references(client, ids)).toContain(distributionId);
    expect(references(distribution, ids)).toContain(apiId);
    expect(references(authorizer, ids)).toContain(clientId);
  });

  it('lets the web client read the organisation claim but never write it', () => {
    const [, client] = one(dev.template, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.ReadAttributes).toContain('custom:orgId');
    expect(client.Properties.WriteAttributes).toEqual(['name']);
    expect(client.Properties).toMatchObject({ GenerateSecret: false, PreventUserExistenceErrors: 'ENABLED', EnableTokenRevocation: true });
  });
});

describe('IAM: least privilege', () => {
  it('allows no wildcard actions anywhere (only Deny statements, which restrict, use s3:*)', () => {
    const wildcard = statements(dev.template).filter((s) => s.statement.Effect === 'Allow' && list(s.statement.Action).some((a) => a.includes('*')));
    expect(wildcard).toEqual([]);
    for (const s of statements(dev.template).filter((x) => list(x.statement.Action).some((a) => a.includes('*')))) {
      expect(s.statement.Effect).toBe('Deny');
    }
  });

  it('grants identity policies no "*" resource, and resource wildcards only on the web bucket objects the deployment writes', () => {
    const identity = statements(dev.template).filter((s) => s.type === 'AWS::IAM::Policy' || s.type === 'AWS::IAM::Role');
    const wildcards = identity.filter((s) => JSON.stringify(s.statement.Resource ?? '').includes('*'));
    const star = wildcards.filter((s) => s.statement.Resource === '*');
    const stateMachineRole = /^ImporterNationalStateMachineRoleDefaultPolicy/;
    // X-Ray's two write actions, once per function role, and nothing else on "*".
    const xray = star.filter((s) => !stateMachineRole.test(s.owner));
    expect(xray.map((s) => s.owner).sort()).toEqual([expect.stringMatching(/^ApiHandlerRoleDefaultPolicy/), expect.stringMatching(/^ImporterHandlerRoleDefaultPolicy/)]);
    for (const s of xray) expect({ ...s.statement, Action: list(s.statement.Action).sort() }).toEqual(XRAY_STATEMENT);
    // The state machine's execution logging (log delivery set-up) and tracing: actions IAM only takes on "*".
    expect(star.filter((s) => stateMachineRole.test(s.owner)).map((s) => list(s.statement.Action).sort())).toEqual([STATE_MACHINE_STAR_ACTIONS]);
    const [importerId] = ofType(dev.template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ImporterHandler'))!;
    expect(wildcards.filter((s) => s.statement.Resource !== '*').map((s) => [s.owner, s.statement.Resource])).toEqual([
      [expect.stringMatching(/^ImporterNationalStateMachineRoleDefaultPolicy/), [{ 'Fn::GetAtt': [importerId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [importerId, 'Arn'] }, ':*']] }]],
      [expect.stringMatching(/^WebDeployRoleDefaultPolicy/), { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^WebSite/), 'Arn'] }, '/*']] }],
    ]);
  });

  it('uses no AWS managed policies: each role gets its own log group and its own table actions', () => {
    for (const [, role] of ofType(dev.template, 'AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const actionsOf = (prefix: string) => {
      const [, policy] = ofType(dev.template, 'AWS::IAM::Policy').find(([id]) => id.startsWith(prefix))!;
      return policy.Properties.PolicyDocument.Statement.filter((s: Statement) => list(s.Action).some((a) => a.startsWith('dynamodb:')));
    };
    const [tableId] = one(dev.template, 'AWS::DynamoDB::GlobalTable');
    // The patterns come from the store's own key prefixes (keys.ts), and they are what the keys really start with.
    const audit = `${keys.auditPkPrefix}*`;
    expect(audit).toBe('AUDIT#*');
    expect(keys.auditPk('notts-csp').startsWith(keys.auditPkPrefix)).toBe(true);
    expect(keys.audit('notts-csp', '2026-01-01T00:00:00Z', 'e1').pk.startsWith(keys.auditPkPrefix)).toBe(true);
    expect(actionsOf('ApiHandlerRole')).toEqual([
      { Effect: 'Allow', Action: [...API_TABLE_ACTIONS].sort(), Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } },
      // The audit log is append-only even for the API itself: under AUDIT#, PutItem is the only write.
      {
        Effect: 'Deny',
        Action: [...AUDIT_DENIED_ACTIONS].sort(),
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [audit] } },
      },
      {
        Effect: 'Deny',
        Action: 'dynamodb:PutItem',
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        Condition: {
          'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [audit] },
          'ForAnyValue:StringNotEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'event'] },
        },
      },
    ]);
    expect(AUDIT_DENIED_ACTIONS).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']));
    expect(AUDIT_DENIED_ACTIONS).not.toContain('dynamodb:PutItem');

    // The importer: dataset partitions only (every key of every item a request touches), and audit writes denied outright.
    expect(actionsOf('ImporterHandlerRole')).toEqual([
      {
        Effect: 'Allow',
        Action: [...IMPORTER_TABLE_ACTIONS].sort(),
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keys.datasetPkPrefix}*`, keys.datasetsPk] } },
      },
      {
        Effect: 'Deny',
        Action: [...IMPORTER_AUDIT_DENIED_ACTIONS].sort(),
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [audit] } },
      },
    ]);
    expect(IMPORTER_AUDIT_DENIED_ACTIONS).toEqual(expect.arrayContaining(IMPORTER_TABLE_ACTIONS.filter((a) => !['dynamodb:GetItem', 'dynamodb:Query'].includes(a))));
    // Every partition the importer writes matches its pattern; organisation and audit partitions do not.
    const datasetPattern = new RegExp(`^${keys.datasetPkPrefix}`);
    for (const pk of [keys.lsoaPk('open-data'), keys.crimeMonthPk('open-data', '2024-03'), keys.documentsPk('open-data'), keys.countsPk('open-data'), keys.importLock('open-data').pk]) {
      expect(pk).toMatch(datasetPattern);
    }
    expect(keys.dataset('open-data').pk).toBe(keys.datasetsPk);
    for (const pk of [keys.orgPk('notts-csp'), keys.auditPk('notts-csp')]) expect(pk === keys.datasetsPk || datasetPattern.test(pk)).toBe(false);
    // The web deployment may read its two source zips, list the site bucket and put objects in it: nothing else.
    const [, deploy] = ofType(dev.template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('WebDeployRole'))!;
    const deployActions = deploy.Properties.PolicyDocument.Statement.map((s: Statement) => list(s.Action).sort());
    expect(deployActions).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['s3:GetObject'],
      ['s3:GetBucketLocation', 's3:ListBucket'],
      ['s3:AbortMultipartUpload', 's3:PutObject'],
    ]);
    const sourceZips = list(deploy.Properties.PolicyDocument.Statement[1].Resource);
    expect(sourceZips).toHaveLength(2);
    for (const zip of sourceZips) expect(JSON.stringify(zip)).toMatch(/cdk-hnb659fds-assets-.*\/[0-9a-f]{64}\.zip/);
    // Neither can scan, delete the table or touch anything else.
    expect(JSON.stringify(statements(dev.template))).not.toMatch(/dynamodb:(Scan|DeleteTable|\*)/);
  });
});

describe('web hosting', () => {
  it('keeps both buckets private, encrypted and TLS-only', () => {
    const buckets = ofType(dev.template, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    for (const [id, b] of buckets) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(b.Properties.BucketEncryption).toBeDefined();
      const policy = ofType(dev.template, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === id)!;
      expect(policy[1].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
    const [siteId, site] = ofType(dev.template, 'AWS::S3::Bucket').find(([id]) => id.startsWith('WebSite'))!;
    expect(site.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(site.Properties.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'site-bucket/' });
    // Only CloudFront, for this distribution, may read the site (origin access control).
    const [distId] = one(dev.template, 'AWS::CloudFront::Distribution');
    const allows = ofType(dev.template, 'AWS::S3::BucketPolicy')
      .find(([, p]) => p.Properties.Bucket.Ref === siteId)![1]
      .Properties.PolicyDocument.Statement.filter((s: Statement) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': { 'Fn::Join': ['', expect.arrayContaining([ref(distId)])] } } },
      }),
    ]);
  });

  it('serves through CloudFront with origin access control, HTTPS only, the API at /api/* uncached but compressed, source maps refused', () => {
    const [, oac] = one(dev.template, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const [, dist] = one(dev.template, 'AWS::CloudFront::Distribution');
    const cfg = dist.Properties.DistributionConfig;
    const s3Origin = cfg.Origins.find((o: any) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [one(dev.template, 'AWS::CloudFront::OriginAccessControl')[0], 'Id'] });
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    for (const b of [cfg.DefaultCacheBehavior, ...cfg.CacheBehaviors]) expect(b.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(cfg.DefaultRootObject).toBe('index.html');
    expect(cfg.Logging).toMatchObject({ Prefix: 'cloudfront/' });

    const [apiId] = one(dev.template, 'AWS::ApiGatewayV2::Api');
    const apiOrigin = cfg.Origins.find((o: any) => o.CustomOriginConfig);
    expect(apiOrigin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(apiOrigin.DomainName['Fn::Join'][1][0]).toEqual(ref(apiId));
    const [policyId, policy] = one(dev.template, 'AWS::CloudFront::CachePolicy');
    const [functionId, blocker] = one(dev.template, 'AWS::CloudFront::Function');
    expect(cfg.CacheBehaviors).toEqual([
      expect.objectContaining({
        PathPattern: '/api/*',
        TargetOriginId: apiOrigin.Id,
        CachePolicyId: ref(policyId),
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        AllowedMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
        Compress: true,
      }),
      expect.objectContaining({
        PathPattern: '*.map',
        TargetOriginId: s3Origin.Id,
        CachePolicyId: CACHING_DISABLED,
        FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }],
      }),
    ]);
    // Compression needs gzip and brotli on in the cache policy, and caching not switched off outright (all TTLs 0);
    // min and default TTL 0 keep the API's private/no-cache/no-store answers out of the cache, and the token is in the key.
    expect(policy.Properties.CachePolicyConfig).toMatchObject({
      MinTTL: 0,
      DefaultTTL: 0,
      MaxTTL: 1,
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
        HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        CookiesConfig: { CookieBehavior: 'none' },
      },
    });
    // The source map behaviour never reaches the bucket: its viewer-request function answers 404 itself.
    expect(blocker.Properties).toMatchObject({ AutoPublish: true, FunctionCode: SOURCE_MAP_BLOCKER_CODE, FunctionConfig: { Runtime: 'cloudfront-js-2.0' } });
    const answer = new Function(`${SOURCE_MAP_BLOCKER_CODE}; return handler;`)()({ request: { uri: '/assets/app-abc123.js.map' } });
    expect(answer).toMatchObject({ statusCode: 404 });
  });

  it('serves no custom domain by default; a custom domain gets its certificate, TLS 1.2 and a WAF web ACL when asked', () => {
    const [, dist] = one(dev.template, 'AWS::CloudFront::Distribution');
    expect(dist.Properties.DistributionConfig.Aliases).toBeUndefined();
    expect(dist.Properties.DistributionConfig.WebACLId).toBeUndefined();
    expect(dev.edge).toBeNull();
  });

  it('adds security headers to every response, API included', () => {
    const [policyId, policy] = one(dev.template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin' },
    });
    expect(JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy)).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    // The page fetches the managed login's token and revocation endpoints: its domain is in connect-src.
    const csp = headers.ContentSecurityPolicy.ContentSecurityPolicy as { 'Fn::Join': [string, unknown[]] };
    const [domainId] = one(dev.template, 'AWS::Cognito::UserPoolDomain');
    const parts = csp['Fn::Join'][1];
    const at = parts.findIndex((p) => JSON.stringify(p) === JSON.stringify(ref(domainId)));
    expect(at).toBeGreaterThan(0);
    expect(String(parts[at - 1])).toMatch(/connect-src 'self' https:\/\/$/);
    expect(String(parts[at + 1])).toMatch(/^\.auth\.eu-west-2\.amazoncognito\.com /);
    expect(JSON.stringify(csp)).not.toContain('cognito-idp');
    const [, dist] = one(dev.template, 'AWS::CloudFront::Distribution');
    const cfg = dist.Properties.DistributionConfig;
    for (const b of [cfg.DefaultCacheBehavior, ...cfg.CacheBehaviors]) expect(b.ResponseHeadersPolicyId).toEqual(ref(policyId));
  });

  it('uploads the web build with BucketDeployment: hashed assets immutable, index.html and config.json no-cache, no invalidation', () => {
    const deployments = ofType(dev.template, 'Custom::CDKBucketDeployment').map(([, d]) => d.Properties);
    expect(deployments).toHaveLength(2);
    const shell = deployments.find((d) => d.Include)!;
    const assets = deployments.find((d) => !d.Include)!;
    expect(assets).toMatchObject({ Exclude: ['index.html', RUNTIME_CONFIG_FILE, '*.map'], SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(shell).toMatchObject({ Exclude: ['*'], Include: ['index.html', RUNTIME_CONFIG_FILE], SystemMetadata: { 'cache-control': 'no-cache' } });
    for (const d of deployments) expect(d.DistributionId).toBeUndefined();
    // config.json carries the user pool ids and the sign-in domain, filled in at deploy time.
    const [poolId] = one(dev.template, 'AWS::Cognito::UserPool');
    const [clientId] = one(dev.template, 'AWS::Cognito::UserPoolClient');
    const [domainId] = one(dev.template, 'AWS::Cognito::UserPoolDomain');
    const markers = shell.SourceMarkers[1] as Record<string, unknown>;
    expect(Object.values(markers)).toEqual(expect.arrayContaining([ref(poolId), ref(clientId), ref(domainId)]));
    // Filled in (each marker by the logical id it stands for), the file reads as GET /api/config answers on AWS.
    const filled = JSON.parse(configJson(dev).replace(/<<marker:[^>]+>>/g, (m) => String((markers[m] as { Ref: string }).Ref)));
    expect(filled).toMatchObject({
      devSignIn: false,
      userPoolId: poolId,
      userPoolClientId: clientId,
      cognito: { region: 'eu-west-2', userPoolId: poolId, clientId, domain: `https://${domainId}.auth.eu-west-2.amazoncognito.com` },
    });
  });

  it('never uploads source maps: the staged web build has none, though the build folder does', () => {
    const staged = readdirSync(dev.outdir).filter((d) => d.startsWith('asset.') && existsSync(join(dev.outdir, d, 'index.html')));
    expect(staged.length).toBeGreaterThan(0);
    for (const dir of staged) {
      const files = readdirSync(join(dev.outdir, dir), { recursive: true }).map(String);
      expect(files).toContain(join('assets', 'app-abc123.js'));
      expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    }
  });
});

describe('importer and alarms', () => {
  it('runs the import monthly through the national state machine, with the configured force and districts', () => {
    const importer = fn(dev.template, 'Importer');
    expect(importer.Environment.Variables).toMatchObject({ FORCE: 'nottinghamshire', LADS: 'E07000174,E07000170', TABLE_NAME: expect.anything() });
    const [, rule] = one(dev.template, 'AWS::Events::Rule');
    const [machineId] = one(dev.template, 'AWS::StepFunctions::StateMachine');
    // Input {}: every configured force, the newest month.
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'cron(0 3 20 * ? *)', State: 'ENABLED', Targets: [{ Arn: ref(machineId), Input: '{}' }] });
    // EventBridge may start this state machine and nothing else.
    const [, eventsPolicy] = ofType(dev.template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('ImporterNationalStateMachineEventsRole'))!;
    expect(eventsPolicy.Properties.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: 'states:StartExecution', Resource: ref(machineId) }]);
    const [, invokeConfig] = one(dev.template, 'AWS::Lambda::EventInvokeConfig');
    expect(invokeConfig.Properties.MaximumRetryAttempts).toBe(1);
  });

  it('sends failed runs to a queue, retries once, and can reserve concurrency 1 for the importer', () => {
    const [queueId, queue] = one(dev.template, 'AWS::SQS::Queue');
    expect(queue.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true });
    const [, invokeConfig] = one(dev.template, 'AWS::Lambda::EventInvokeConfig');
    expect(invokeConfig.Properties).toMatchObject({
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    // Schedule events EventBridge cannot deliver go to the same queue.
    const [, rule] = one(dev.template, 'AWS::Events::Rule');
    expect(rule.Properties.Targets[0]).toMatchObject({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } }, RetryPolicy: { MaximumRetryAttempts: 2 } });
    expect(fn(dev.template, 'Importer').ReservedConcurrentExecutions).toBeUndefined();
    const reserved = synthesise({ context: { importerReservedConcurrency: 'true' } });
    try {
      expect(fn(reserved.template, 'Importer').ReservedConcurrentExecutions).toBe(1);
    } finally {
      reserved.cleanup();
    }
  });

  it('alarms on metrics, never log text: API 5xx, latency, throttles, concurrency, DynamoDB, lost audit events, import failures', () => {
    const [topicId, topic] = one(dev.template, 'AWS::SNS::Topic');
    expect(topic).toBeDefined();
    // The old metric filter on the log text ({ $.msg = "audit append failed" }) is gone: it never matched on AWS.
    expect(ofType(dev.template, 'AWS::Logs::MetricFilter')).toEqual([]);
    const alarms = ofType(dev.template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const byName = new Map(alarms.map((a) => [String(a.AlarmName).replace('SaferPlaces-dev-', ''), a]));
    expect([...byName.keys()].sort()).toEqual(Object.keys(ALARMS).sort());
    // An alarm on one metric names it directly, or (a metric with its account and region) as the one MetricStat.
    const metric = (id: string) => {
      const a = byName.get(id)!;
      const stat = a.Metrics?.length === 1 ? a.Metrics[0].MetricStat : undefined;
      return stat
        ? { namespace: stat.Metric.Namespace, name: stat.Metric.MetricName, statistic: stat.Stat, period: stat.Period, threshold: a.Threshold }
        : { namespace: a.Namespace, name: a.MetricName, statistic: a.Statistic ?? a.ExtendedStatistic, period: a.Period, threshold: a.Threshold };
    };
    expect(metric('Api5xx')).toMatchObject({ namespace: 'AWS/ApiGateway', name: '5xx', statistic: 'Sum', threshold: 5 });
    expect(metric('ApiLatencyP95')).toMatchObject({ namespace: 'AWS/ApiGateway', name: 'Latency', statistic: 'p95', threshold: 3000 });
    expect(byName.get('ApiLatencyP95')).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    expect(metric('ApiErrors')).toMatchObject({ namespace: 'AWS/Lambda', name: 'Errors', threshold: 5 });
    expect(metric('ApiThrottles')).toMatchObject({ namespace: 'AWS/Lambda', name: 'Throttles', threshold: 1 });
    expect(metric('ApiConcurrency')).toMatchObject({ namespace: 'AWS/Lambda', name: 'ConcurrentExecutions', statistic: 'Maximum', threshold: 100 });
    expect(byName.get('TableThrottles')!.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName).sort()).toEqual([
      'ReadThrottleEvents',
      'WriteThrottleEvents',
    ]);
    // The functions' own metrics (EMF), in the stage's namespace with the Powertools service dimension.
    expect(metric('AuditAppendFailed')).toMatchObject({ namespace: 'SaferPlaces/dev', name: 'AuditAppendFailed', statistic: 'Sum', threshold: 1 });
    expect(byName.get('AuditAppendFailed')!.Dimensions).toEqual([{ Name: 'service', Value: 'api' }]);
    expect(metric('ImportFailed')).toMatchObject({ namespace: 'SaferPlaces/dev', name: 'ImportFailed', statistic: 'Sum', threshold: 1 });
    expect(metric('ImportFailedRuns')).toMatchObject({ namespace: 'AWS/SQS', name: 'ApproximateNumberOfMessagesVisible', threshold: 1 });
    expect(metric('ImportThrottled')).toMatchObject({ namespace: 'AWS/Lambda', name: 'Throttles', threshold: 1 });
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([ref(topicId)]);
      expect(a.OKActions).toEqual([ref(topicId)]);
      expect(a.TreatMissingData).toBe('notBreaching');
      expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect(a.AlarmDescription).toMatch(/Runbook: docs\/operations\.md#[a-z0-9]+$/);
    }
    // With reserved concurrency the concurrency alarm is at 80 % of it.
    expect(ofType(prod.template, 'AWS::CloudWatch::Alarm').find(([, a]) => a.Properties.AlarmName === 'SaferPlaces-prod-ApiConcurrency')![1].Properties.Threshold).toBe(16);
    dev.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alerts@example.org' });
    dev.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('has a dashboard of the same metrics, the alarms and the latest errors', () => {
    const [, dashboard] = one(dev.template, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties.DashboardName).toBe('SaferPlaces-dev');
    // The body is JSON with deploy-time values joined in: its literal parts are enough here.
    const body = (dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[]).filter((p) => typeof p === 'string').join('');
    for (const text of ['"type":"alarm"', '"Latency"', '"stat":"p95"', '"ConcurrentExecutions"', '"ConsumedReadCapacityUnits"', '"ReadThrottleEvents"']) {
      expect(body).toContain(text);
    }
    for (const name of ['AuditAppendFailed', 'ImportSucceeded', 'ImportFailed', 'ImportSkipped', 'CrimesImported']) expect(body).toContain(`"SaferPlaces/dev","${name}","service"`);
    expect(body).toContain('"ApproximateNumberOfMessagesVisible"');
    expect(body).toContain('filter level = \\"ERROR\\" or level = \\"WARN\\"');
  });

  it('leaves the importer, its schedule, queue and alarms out when no force and districts are configured', () => {
    expect(ofType(bare.template, 'AWS::Events::Rule')).toEqual([]);
    expect(ofType(bare.template, 'AWS::StepFunctions::StateMachine')).toEqual([]);
    expect(ofType(bare.template, 'AWS::SQS::Queue')).toEqual([]);
    expect(ofType(bare.template, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('Importer'))).toEqual([]);
    const names = ofType(bare.template, 'AWS::CloudWatch::Alarm').map(([, a]) => String(a.Properties.AlarmName).replace('SaferPlaces-dev-', ''));
    expect(names.sort()).toEqual(Object.keys(ALARMS).filter((id) => !id.startsWith('Import')).sort());
    expect(ofType(bare.template, 'AWS::SNS::Subscription')).toEqual([]);
    expect(fn(bare.template, 'Api').Environment.Variables.MAP_STYLE_URL).toBe('none');
  });

  it('outputs what the deploy guide (docs/operations/deploy.md) needs', () => {
    const outputs = Object.keys((dev.template.toJSON() as { Outputs: object }).Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'SiteUrl',
        'DistributionDomainName',
        'DashboardName',
        'TableName',
        'UserPoolId',
        'UserPoolClientId',
        'SignInDomain',
        'AlarmTopicArn',
        'ImporterFunctionName',
        'NationalImportStateMachine',
        'ImporterLogGroup',
        'ImporterFailedRunsQueue',
      ]),
    );
  });
});

/** Every acknowledgement in the construct tree: rule id, where, and the reason given. */
function acknowledgements(root: IConstruct) {
  const out: { id: string; path: string; reason: string }[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ id: id.replace(/^annotation::/i, ''), path: c.node.path, reason });
      }
    }
  }
  return out;
}

describe('cdk-nag AWS Solutions checks', () => {
  it.each([
    ['dev', () => dev],
    ['prod', () => prod],
  ])('report no unacknowledged error or warning (%s)', (_stage, get) => {
    const { app, outdir } = get();
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}: ${v.description}`)).toEqual([]);
    expect(report.success).toBe(true);
    // The same verdict through CDK's policy validation, as `cdk synth` runs it (synthesis would have thrown otherwise).
    const written = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(written.pluginReports).toEqual([]);
  });

  it('acknowledges only these findings, each with a specific reason in code', () => {
    const acks = acknowledgements(dev.app);
    const ids = [
      ...new Set(
        acks.map((a) =>
          a.id.replace(/\[Resource::<WebSite[0-9A-F]+\.Arn>\/\*\]$/, '[Resource::<site bucket>/*]').replace(/\[Resource::<ImporterHandlerFunction[0-9A-F]+\.Arn>:\*\]$/, '[Resource::<importer function>:*]'),
        ),
      ),
    ].sort();
    expect(ids).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::<importer function>:*]',
      'AwsSolutions-IAM5[Resource::<site bucket>/*]',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
    ]);
    // "*" only for X-Ray on our two function roles, and for logging and tracing on the state machine's.
    expect(acks.filter((a) => a.id === 'AwsSolutions-IAM5[Resource::*]').map((a) => a.path)).toEqual([
      'SaferPlaces-dev/Api/Handler/Role',
      'SaferPlaces-dev/Importer/Handler/Role',
      'SaferPlaces-dev/Importer/National/StateMachine/Role',
    ]);
    for (const a of acks) {
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThan(80);
      expect(a.reason).not.toMatch(/^(n\/a|todo|suppress|not needed|ok)\b/i);
    }
    // Public routes: exactly the two that are public by design.
    expect(acks.filter((a) => a.id === 'AwsSolutions-APIG4').map((a) => a.path.split('/').at(-1))).toEqual(['GET--api--health', 'GET--api--config']);
    // The runtime acknowledgement covers our two functions and CDK's deployment handler, nothing else.
    expect(acks.filter((a) => a.id === 'AwsSolutions-L1')).toHaveLength(3);
  });
});

describe('user administration inside the app', () => {
  it('lets the API administer its own user pool only, with exactly the commands the Cognito adapter sends', () => {
    const source = readFileSync(join(import.meta.dirname, '../../apps/api/src/runtime/cognito-users.ts'), 'utf8');
    const sent = [...new Set([...source.matchAll(/new (\w+)Command\(/g)].map((m) => `cognito-idp:${m[1]}`))].sort();
    expect(sent.length).toBeGreaterThan(0);
    expect([...API_USER_POOL_ACTIONS].sort()).toEqual(sent);
    const [, policy] = ofType(dev.template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('ApiHandlerRole'))!;
    const statements = (policy.Properties.PolicyDocument.Statement as Statement[]).filter((s) => list(s.Action).some((a) => a.startsWith('cognito-idp:')));
    const [poolId] = ofType(dev.template, 'AWS::Cognito::UserPool')[0]!;
    expect(statements).toEqual([{ Effect: 'Allow', Action: [...API_USER_POOL_ACTIONS].sort(), Resource: { 'Fn::GetAtt': [poolId, 'Arn'] } }]);
  });
});
