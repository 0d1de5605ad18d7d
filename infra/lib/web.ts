import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource, type SourceConfig } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { siteContentSecurityPolicy } from '@safer-places/schemas';
import type { BaseMapConfig, CognitoClientConfig } from '@safer-places/schemas';
import type { Auth } from './auth';
import { BASEMAP_PATH_PATTERN, basemapOf, deployBasemap } from './basemap';
import type { StageConfig } from './config';

/** The runtime configuration file the web app reads (served with no-cache next to index.html). */
export const RUNTIME_CONFIG_FILE = 'config.json';

/**
 * Source maps of the web build: never uploaded (they would show the source of the whole app to anyone), and refused
 * at CloudFront should one be in the bucket from an older deployment (prune is off, so old files stay).
 */
export const SOURCE_MAP_PATTERN = '*.map';

/** The CloudFront Function on the source map behaviour: answers 404 without asking the bucket. */
export const SOURCE_MAP_BLOCKER_CODE = `function handler(event) {
  return { statusCode: 404, statusDescription: 'Not Found', headers: { 'cache-control': { value: 'no-store' } } };
}`;

export interface RuntimeConfig {
  stage: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  mapStyleUrl: string | null;
  /** The base map (as GET /api/config names it): the style, the archive in this bucket (/basemap/…), or none. */
  basemap: BaseMapConfig;
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
  const origins = [signInUrl, ...(config.mapStyleUrl ? [new URL(config.mapStyleUrl).origin] : []), ...config.cspConnectSrc];
  return siteContentSecurityPolicy(origins, { upgradeInsecureRequests: true });
}

export interface WebProps {
  config: StageConfig;
  /** The built web app (apps/web/dist): index.html and content-hashed assets. */
  webDistPath: string;
  httpApi: HttpApi;
  auth: Auth;
  /** The ARN of the WAF web ACL (scope CLOUDFRONT, in us-east-1) in front of the distribution, if any (./edge.ts). */
  webAclArn: string | null;
}

/**
 * The web app from a private S3 bucket through CloudFront (origin access control, HTTPS only, security headers), with the
 * API behind the same distribution at /api/* so the browser talks to one origin and no CORS is needed.
 */
export class Web extends Construct {
  readonly siteBucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** The /api/* cache policy: nothing cached, responses compressed. */
  readonly apiCachePolicy: CachePolicy;
  readonly deployRole: Role;
  /** The site's address: the custom domain if there is one, else CloudFront's own. */
  readonly url: string;
  /** CloudFront's own address, https://<id>.cloudfront.net (always served, custom domain or not). */
  readonly cloudFrontUrl: string;

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
      // delete a non-empty bucket (docs/operations/teardown.md).
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

    // The API's cache policy exists for compression: CloudFront only gzips or brotli-compresses for a behaviour whose
    // cache policy has those encodings on, and only where caching is not switched off entirely (all TTLs 0, as in the
    // managed CachingDisabled). Nothing is kept in practice: minimum and default TTL are 0, so a response without
    // Cache-Control is not cached and "private", "no-cache" and "no-store" (which the API sends on every response) are
    // honoured; at most a second, should the API ever send max-age. The Authorization header is in the key, so CloudFront
    // forwards it (with caching on, only a header in the cache key may carry it), and no answer for one token can ever
    // be served for another; all query strings too, as each names a different answer.
    this.apiCachePolicy = new CachePolicy(this, 'ApiCachePolicy', {
      comment: 'Safer Places API: not cached (TTL 0, Authorization in the key), compressed (gzip, brotli)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const sourceMapBlocker = new CloudFrontFunction(this, 'NoSourceMaps', {
      comment: 'Answers 404 for source maps (*.map) without asking the bucket',
      code: FunctionCode.fromInline(SOURCE_MAP_BLOCKER_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });
    const siteOrigin = S3BucketOrigin.withOriginAccessControl(this.siteBucket);

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Safer Places (${config.stage})`,
      ...(config.domainName &&
        config.certificateArn && {
          domainNames: [config.domainName],
          certificate: Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn),
          // TLS 1.2 or later, with the 2021 cipher suites (only possible with a certificate of one's own).
          minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        }),
      ...(props.webAclArn && { webAclId: props.webAclArn }),
      defaultRootObject: 'index.html',
      // Europe and North America edges: the users are in the UK, and it is the cheapest class.
      priceClass: PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: siteOrigin,
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
          // Not cached at the edge (private, per-user data) but compressed: see ApiCachePolicy above. Every viewer
          // header but Host goes to the origin (API Gateway needs its own host name).
          cachePolicy: this.apiCachePolicy,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
          compress: true,
        },
        // The self-hosted base map archive: read with range requests, which CloudFront passes on and caches by
        // range; not compressed (its tiles are gzip already, and a compressed answer would break byte ranges). Its key
        // holds its content hash (basemap.ts basemapKeyPrefix), so cached ranges never mix two versions of the archive.
        ...(config.basemapPmtiles && {
          [BASEMAP_PATH_PATTERN]: {
            origin: siteOrigin,
            viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
            cachePolicy: CachePolicy.CACHING_OPTIMIZED,
            responseHeadersPolicy: securityHeaders,
            compress: false,
          },
        }),
        [SOURCE_MAP_PATTERN]: {
          origin: siteOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          responseHeadersPolicy: securityHeaders,
          functionAssociations: [{ function: sourceMapBlocker, eventType: FunctionEventType.VIEWER_REQUEST }],
        },
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: partnership staff must reach the app when travelling, and sign-in (Cognito, MFA, threat protection) ' +
        'is the access control. A partnership that wants one can add geoRestriction to the distribution.',
    });
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'No AWS WAF web ACL unless the stage sets waf=true (docs/operations.md): it costs about $9 a month plus $0.60 per million ' +
          'requests, and the API is already authenticated (JWT on every route but /api/health and /api/config) and throttled.',
      });
    }
    if (!config.domainName) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'No custom domain set, so the default *.cloudfront.net certificate serves the site and CloudFront cannot pin a minimum TLS ' +
          'version with it; with domainName and certificateArn set the distribution requires TLS 1.2 (TLSv1.2_2021).',
      });
    }
    this.cloudFrontUrl = `https://${this.distribution.distributionDomainName}`;
    this.url = config.domainName ? `https://${config.domainName}` : this.cloudFrontUrl;

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

    // Source maps never leave the machine: left out of the uploaded asset, and of what the deployment copies.
    const webBuild = () => Source.asset(props.webDistPath, { exclude: [SOURCE_MAP_PATTERN] });
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [recorded(webBuild())],
      destinationBucket: this.siteBucket,
      exclude: ['index.html', RUNTIME_CONFIG_FILE, SOURCE_MAP_PATTERN],
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
      mapStyleUrl: config.basemapPmtiles ? null : config.mapStyleUrl,
      basemap: basemapOf(config),
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
      sources: [recorded(webBuild()), recorded(Source.jsonData(RUNTIME_CONFIG_FILE, runtimeConfig))],
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
    if (config.basemapPmtiles) {
      deployBasemap(this, { file: config.basemapPmtiles, bucket: this.siteBucket, role: deployRole, logGroup: deployLogs, recorded });
    }

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
