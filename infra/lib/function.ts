import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, LoggingFormat, SystemLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_ARCHITECTURE, LAMBDA_ENTRIES, LAMBDA_RUNTIME, LOCK_FILE, NODE_OPTIONS, REPO_ROOT, nodejsBundling, type LambdaName } from './bundling';

export interface AppFunctionProps {
  code: LambdaName;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  prod: boolean;
  reservedConcurrentExecutions?: number;
  /** Retries of asynchronous invocations (EventBridge); Lambda's default is 2. */
  retryAttempts?: number;
}

/**
 * A Lambda function of ours: bundled by the local esbuild, ARM64, JSON logs into its own log group with retention, and a
 * role of its own that may write to that log group and nothing else until the caller grants exactly what it needs
 * (no AWSLambdaBasicExecutionRole, whose logs:* permissions reach every log group in the account).
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
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: { ...props.environment, NODE_OPTIONS },
      bundling: nodejsBundling(),
      ...(props.reservedConcurrentExecutions !== undefined && { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.retryAttempts !== undefined && { retryAttempts: props.retryAttempts }),
    });

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22 on purpose: the project supports Node 20 and 22 (package.json engines >=20.19) and the bundle is ' +
        'tested on them, not on Node 24 yet. Move LAMBDA_RUNTIME in infra/lib/bundling.ts when the project adopts a newer Node.',
    });
  }
}
