import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * How long one national run may take. Each force's import is one importer invocation (at most 15 minutes, Lambda's
 * limit), retried at most once after a time-out; with 43 forces, 4 at a time, that is 11 waves: under 6 hours even if
 * every force took its full time twice, and in practice well under one.
 */
export const NATIONAL_RUN_TIMEOUT = Duration.hours(8);

/**
 * The run's import lock lasts as long as the run can, and a little more (clocks): a run stopped at its timeout, or
 * aborted by hand, cannot keep the next run out for longer (packages/importer/src/scheduled/lock.ts).
 */
export const RUN_LOCK_SECONDS = NATIONAL_RUN_TIMEOUT.toSeconds() + 5 * 60;

/**
 * Lambda's own answers that mean "try again later": throttled (the account's or the function's concurrency is used
 * up), or a fault of the Lambda service. Retried with exponential back-off and full jitter, so forces throttled
 * together do not come back together.
 */
export const THROTTLE_RETRY: RetryProps = {
  errors: [
    'Lambda.TooManyRequestsException',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.ClientExecutionTimeoutException',
  ],
  interval: Duration.seconds(5),
  maxAttempts: 6,
  backoffRate: 2,
  maxDelay: Duration.minutes(5),
  jitterStrategy: JitterType.FULL,
};

/**
 * A force's import that ran into the importer's 15-minute timeout (Sandbox.Timedout from Lambda; States.Timeout should
 * a task timeout ever be set) is tried once more after a minute: police.uk is sometimes slow for a while, and a retry
 * is safe, since each month is replaced by a version flip (a month is either the old or the new one, never a mix).
 * Errors the importer throws itself (bad district, police.uk down for good, the table refusing writes) are not
 * retried: the importer's HTTP client has already retried each download.
 */
export const TIMEOUT_RETRY: RetryProps = {
  errors: ['Sandbox.Timedout', 'States.Timeout'],
  interval: Duration.minutes(1),
  maxAttempts: 1,
  backoffRate: 1,
};

export interface NationalImportProps {
  prod: boolean;
  stage: string;
  /** The importer function: run once to plan, once per force, once to finish. */
  importer: IFunction;
  /** Every force the run covers, with its districts (config importForces). */
  forces: { force: string; districts: string[] }[];
  /** The Map state's MaxConcurrency: forces imported at once. */
  concurrency: number;
}

/**
 * The national import: a Step Functions state machine that runs the importer once per force, in parallel.
 *
 *   Plan ─▶ AnotherRunUnderWay? ─yes─▶ Skipped
 *              │ no
 *              ▼
 *   ImportEachForce (Map over the plan's forces, MaxConcurrency `concurrency`)
 *     └ ImportForce (the importer, {force, districts, months, run}) ─error─▶ ForceFailed (recorded, the others go on)
 *              ▼
 *   Finish (lock given back, summary) ─▶ AnyForceFailed? ─yes─▶ SomeForcesFailed (the execution fails) / Done
 *
 * The plan step takes the dataset's import lock for the whole run (owner: the execution id), so the forces of one run
 * write side by side and two runs never do; each force's invocation only checks that its run still holds it.
 * An inline Map is enough: at most 40 iterations run at once, and a run over 43 forces writes a few hundred history
 * events, far from the 25,000 a standard workflow may hold.
 */
export class NationalImport extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: NationalImportProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.prod ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // The execution input ({} from the schedule, or {"forces": [...], "months": n} by hand) goes to the plan as it is.
    const plan = new LambdaInvoke(this, 'Plan', {
      comment: 'Lists the forces and months of the run and takes the dataset import lock for it',
      lambdaFunction: props.importer,
      payload: TaskInput.fromObject({
        action: 'plan',
        run: JsonPath.executionId,
        forces: props.forces,
        lockSeconds: RUN_LOCK_SECONDS,
        request: JsonPath.entirePayload,
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: '$.plan',
    });
    plan.addRetry(THROTTLE_RETRY);

    const importForce = new LambdaInvoke(this, 'ImportForce', {
      comment: "Imports one force's districts for the run's months",
      lambdaFunction: props.importer,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    importForce.addRetry(THROTTLE_RETRY);
    importForce.addRetry(TIMEOUT_RETRY);
    const forceFailed = new Pass(this, 'ForceFailed', {
      comment: "Records the force's failure; the other forces go on and their months stay imported",
      parameters: { 'force.$': '$.force', ok: false, 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
    });
    importForce.addCatch(forceFailed, { errors: ['States.ALL'], resultPath: '$.error' });

    const eachForce = new MapState(this, 'ImportEachForce', {
      comment: `At most ${props.concurrency} forces at once`,
      itemsPath: '$.plan.forces',
      itemSelector: {
        'force.$': '$$.Map.Item.Value.force',
        'districts.$': '$$.Map.Item.Value.districts',
        'months.$': '$.plan.months',
        'run.$': '$.plan.run',
      },
      maxConcurrency: props.concurrency,
      resultPath: '$.results',
    });
    eachForce.itemProcessor(importForce);

    const finish = new LambdaInvoke(this, 'Finish', {
      comment: 'Gives the lock back and sums up what became of each force',
      lambdaFunction: props.importer,
      payload: TaskInput.fromObject({ action: 'finish', run: JsonPath.executionId, state: JsonPath.entirePayload }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: '$.summary',
    });
    finish.addRetry(THROTTLE_RETRY);
    // Should the Map itself fail, the lock is still given back and the failure reported.
    const noResults = new Pass(this, 'NoResults', { result: Result.fromArray([]), resultPath: '$.results' });
    eachForce.addCatch(noResults.next(finish), { errors: ['States.ALL'], resultPath: '$.failure' });

    const definition = plan.next(
      new Choice(this, 'AnotherRunUnderWay')
        .when(Condition.isPresent('$.plan.skipped'), new Succeed(this, 'Skipped', { comment: 'Another import of the dataset holds the lock' }))
        .otherwise(
          eachForce.next(finish).next(
            new Choice(this, 'AnyForceFailed')
              .when(
                Condition.isPresent('$.summary.failed[0]'),
                new Fail(this, 'SomeForcesFailed', { error: 'ForcesFailed', cause: 'One or more forces were not imported: see the Finish step output (summary.failed)' }),
              )
              .otherwise(new Succeed(this, 'Done')),
          ),
        ),
    );

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: 'Safer Places national import: the importer once per force, in parallel',
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: NATIONAL_RUN_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Execution logging and X-Ray tracing of the state machine: the CloudWatch Logs delivery actions (logs:CreateLogDelivery, ' +
        'PutResourcePolicy, …) and X-Ray (PutTraceSegments, GetSamplingRules, …) support no resource-level permissions, so IAM takes them ' +
        'on "*" only; they set up log delivery and send traces, and read no data.',
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.importer.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason:
        "The state machine may invoke the importer function and its qualified ARNs (<function ARN>:*, versions and aliases), the " +
        'form the Step Functions Lambda task grants; it is one function, and the state machine can invoke nothing else.',
    });
  }
}
