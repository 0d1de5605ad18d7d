import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource, type SourceConfig } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { CognitoClientConfig } from '@safer-places/schemas';
import type { Auth } from './auth';
import type { StageConfig } from './config';

/** The runtime configuration file the web app reads (served with no-cache next to index.html). */
export const RUNTIME_CONFIG_FILE = 'config.json';

export interface RuntimeConfig {
  stage: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  mapStyleUrl: string | null;
  /** Same origin: the API is behind the same CloudFront distribution. */
  apiBaseUrl: string;
  /** As GET /api/config serves it (ClientConfig): no local sign-in, Cognito managed login. */
  devSignIn: false;
  cognito: CognitoClientConfig;
}

/**
 * The Content-Security-Policy of the site: its own origin, the managed login domain (the page fetches its token and
 * revocation endpoints; sign-in and sign-out themselves are navigations), and the base map's hosts.
 */
export function contentSecurityPolicy(signInUrl: string, config: Pick<StageConfig, 'mapStyleUrl' | 'cspConnectSrc'>): string {
  const connect = new Set(["'self'", signInUrl]);
  if (config.mapStyleUrl) connect.add(new URL(config.mapStyleUrl).origin);
  for (const origin of config.cspConnectSrc) connect.add(origin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    // MapLibre's worker is a file of the site; blob: for the workers it can also create.
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    // MapLibre and React set element styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${[...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

export interface WebProps {
  config: StageConfig;
  /** The built web app (apps/web/dist): index.html and content-hashed assets. */
  webDistPath: string;
  httpApi: HttpApi;
  auth: Auth;
}

/**
 * The web app from a private S3 bucket through CloudFront (origin access control, HTTPS only, security headers), with the
 * API behind the same distribution at /api/* so the browser talks to one origin and no CORS is needed.
 */
export class Web extends Construct {
  readonly siteBucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly deployRole: Role;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const { config } = props;
    const prod = config.stage === 'prod';
    const region = Stack.of(this).region;

    // Access logs of the site bucket and of CloudFront. CloudFront's standard logs are written with ACLs, hence
    // BUCKET_OWNER_PREFERRED here (the site bucket itself enforces owner-only, ACLs disabled).
    this.logBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(prod ? 365 : 30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself (of the site bucket and CloudFront); logging its own access would log the logging.',
    });

    this.siteBucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      // The bucket only holds the built web app, rebuilt by every deploy; kept on teardown because CloudFormation cannot
      // delete a non-empty bucket (README: "Teardown").
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Safer Places security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.auth.signInUrl, config), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        // The legacy XSS auditor is off ("0"), as current advice has it; the CSP does that job.
        xssProtection: { protection: false, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const apiOrigin = new HttpOrigin(`${props.httpApi.apiId}.execute-api.${region}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Safer Places (${config.stage})`,
      defaultRootObject: 'index.html',
      // Europe and North America edges: the users are in the UK, and it is the cheapest class.
      priceClass: PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // Honours each object's Cache-Control (set by the deployments below).
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Never cached at the edge (private, per-user data); with caching off, CloudFront may forward the
          // Authorization header, and every viewer header but Host (API Gateway needs its own host name).
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
          compress: true,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: partnership staff must reach the app when travelling, and sign-in (Cognito, MFA, threat protection) ' +
          'is the access control. A partnership that wants one can add geoRestriction to the distribution.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No AWS WAF web ACL by default: it costs at least ~$6/month per partnership, must live in us-east-1 for CloudFront, and the ' +
          'API is already authenticated (JWT on every route but /api/health and /api/config) and throttled per route.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'Uses the default *.cloudfront.net certificate so a partnership needs no domain or ACM certificate; CloudFront cannot pin ' +
          'a minimum TLS version with it. With a custom domain, set certificate and minimumProtocolVersion TLS_V1_2_2021.',
      },
    );
    this.url = `https://${this.distribution.distributionDomainName}`;

    // Deployment of the built web app. The construct's Lambda gets a role of ours, passed immutable so the construct's
    // own broad grants (s3:GetObject*, s3:List*, …) are dropped; it gets exactly the statements added below instead.
    // No CloudFront invalidation (whose IAM action CDK grants on "*"): index.html and config.json are served
    // no-cache, everything else has a content hash in its name and never changes.
    const deployLogs = new LogGroup(this, 'DeployLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.deployRole = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the built web app into the site bucket (CDK BucketDeployment)',
    });
    deployLogs.grantWrite(this.deployRole);
    const sources: SourceConfig[] = [];
    const recorded = (source: ISource): ISource => ({
      bind: (scope, context) => {
        const bound = source.bind(scope, context);
        sources.push(bound);
        return bound;
      },
    });
    const deployRole = this.deployRole.withoutPolicyUpdates();

    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [recorded(Source.asset(props.webDistPath))],
      destinationBucket: this.siteBucket,
      exclude: ['index.html', RUNTIME_CONFIG_FILE],
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      // Old content-hashed files stay: a browser still running the previous version can load its lazy chunks.
      prune: false,
      role: deployRole,
      logGroup: deployLogs,
      // The custom resource's answer to CloudFormation is limited to 4 KB: no list of every file written.
      outputObjectKeys: false,
    });
    const runtimeConfig: RuntimeConfig = {
      stage: config.stage,
      region,
      userPoolId: props.auth.userPool.userPoolId,
      userPoolClientId: props.auth.webClient.userPoolClientId,
      mapStyleUrl: config.mapStyleUrl,
      apiBaseUrl: '/api',
      devSignIn: false,
      cognito: {
        region,
        userPoolId: props.auth.userPool.userPoolId,
        clientId: props.auth.webClient.userPoolClientId,
        domain: props.auth.signInUrl,
      },
    };
    const shell = new BucketDeployment(this, 'DeployShell', {
      sources: [recorded(Source.asset(props.webDistPath)), recorded(Source.jsonData(RUNTIME_CONFIG_FILE, runtimeConfig))],
      destinationBucket: this.siteBucket,
      exclude: ['*'],
      include: ['index.html', RUNTIME_CONFIG_FILE],
      cacheControl: [CacheControl.noCache()],
      prune: false,
      role: deployRole,
      logGroup: deployLogs,
      outputObjectKeys: false,
    });
    // The new index.html only once the files it names are there.
    shell.node.addDependency(assets);

    this.deployRole.addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: sources.map((s) => s.bucket.arnForObjects(s.zipObjectKey)) }),
    );
    this.deployRole.addToPolicy(new PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.siteBucket.bucketArn] }));
    // Writes only: nothing is pruned or removed on delete (prune: false, retainOnDelete by default), and the sync
    // compares against the bucket listing.
    this.deployRole.addToPolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [this.siteBucket.arnForObjects('*')] }),
    );
    Validations.of(this.deployRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.siteBucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
      reason:
        'The deployment writes the web build, whose file names are content hashes known only at build time, so it may put ' +
        "objects anywhere in the site bucket (<bucket ARN>/*), a bucket that holds nothing but the web app; it cannot read or delete them.",
    });
    // The construct's singleton Lambda sits at the stack root; its runtime is chosen by aws-cdk-lib.
    const stack = Stack.of(this);
    for (const child of stack.node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        Validations.of(child).acknowledge({
          id: 'AwsSolutions-L1',
          reason:
            "CDK's BucketDeployment Lambda (Python, runs at deploy time only); aws-cdk-lib chooses and updates its runtime, the stack cannot.",
        });
      }
    }
  }
}
