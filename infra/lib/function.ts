import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, LoggingFormat, SystemLogLevel, Tracing, type IDestination } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_ARCHITECTURE, LAMBDA_ENTRIES, LAMBDA_RUNTIME, LAMBDA_NODE_OPTIONS, LOCK_FILE, REPO_ROOT, nodejsBundling, type LambdaName } from './bundling';
import { powertoolsEnvironment, type ServiceName } from './telemetry';

/**
 * What Lambda keeps of the function's own lines (the JSON log format's application log level). INFO, not WARN:
 * Powertools Metrics' EMF lines carry no "level", and Lambda files a line without one as INFO, so at WARN every
 * metric would be dropped before CloudWatch could read it; the request lines are INFO too. Errors are logged at ERROR.
 */
export const APPLICATION_LOG_LEVEL = ApplicationLogLevel.INFO;
/**
 * What Lambda keeps of its own platform lines: INFO keeps the per-invocation report (duration, billed duration, memory
 * used, init duration) and the init report; WARN would keep only platform warnings.
 */
export const SYSTEM_LOG_LEVEL = SystemLogLevel.INFO;

export interface AppFunctionProps {
  code: LambdaName;
  /** The Powertools service name: the `service` dimension of its metrics (./telemetry.ts). */
  service: ServiceName;
  stage: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  prod: boolean;
  reservedConcurrentExecutions?: number;
  /** Retries of asynchronous invocations (EventBridge); Lambda's default is 2. */
  retryAttempts?: number;
  /** How long an asynchronous invocation may wait (throttled, retried) before it counts as failed. */
  maxEventAge?: Duration;
  /** Where an asynchronous invocation goes once it has failed for good. */
  onFailure?: IDestination;
}

/**
 * A Lambda function of ours: bundled by the local esbuild, ARM64, JSON logs into its own log group with retention,
 * Powertools settings, X-Ray active tracing, and a role of its own that may write to that log group (and send trace
 * segments) and nothing else until the caller grants exactly what it needs (no AWSLambdaBasicExecutionRole, whose
 * logs:* permissions reach every log group in the account).
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.prod ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.code} function: its own log group and what the stack grants it`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: LAMBDA_ENTRIES[props.code],
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: APPLICATION_LOG_LEVEL,
      systemLogLevelV2: SYSTEM_LOG_LEVEL,
      // Powertools Tracer sends its subsegments (DynamoDB calls, the handler) into the trace Lambda starts.
      tracing: Tracing.ACTIVE,
      environment: {
        ...props.environment,
        ...powertoolsEnvironment(props.stage, props.service),
        ...(LAMBDA_NODE_OPTIONS[props.code] !== null && { NODE_OPTIONS: LAMBDA_NODE_OPTIONS[props.code]! }),
      },
      bundling: nodejsBundling(),
      ...(props.reservedConcurrentExecutions !== undefined && { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.retryAttempts !== undefined && { retryAttempts: props.retryAttempts }),
      ...(props.maxEventAge !== undefined && { maxEventAge: props.maxEventAge }),
      ...(props.onFailure !== undefined && { onFailure: props.onFailure }),
    });

    // Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords on "*" to the role.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so IAM ' +
        'only accepts them on "*" (the statement CDK adds for Tracing.ACTIVE); they can only send trace data, not read any.',
    });

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 on purpose: the project supports Node 20 and 22 (package.json engines >=20.19) and the bundle is ' +
        'tested on them, not on Node 24 yet. Move LAMBDA_RUNTIME in infra/lib/bundling.ts when the project adopts a newer Node.',
    });
  }
}
