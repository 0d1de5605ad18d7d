import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { keys } from '@safer-places/store';
import { AUDIT_LEADING_KEYS, tableResources } from './api';
import { AppFunction } from './function';
import { NationalImport } from './national-import';
import { SERVICE } from './telemetry';

/**
 * DynamoDB actions the import uses (packages/store DynamoReferenceRepository: Get and Put of the dataset summary and
 * documents, Query of LSOAs and stored months, BatchWriteItem for LSOAs and crime months, puts and deletes alike,
 * UpdateItem on a crime month's version pointer: it records the partitions a write is about to fill, so a clean-up
 * finds them all, and flips the month to the new version; the scheduled run's lock: a conditional Put, a consistent
 * Get, a conditional Delete).
 */
export const IMPORTER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'];

/**
 * The only partitions the importer may touch (dynamodb:LeadingKeys), built from the store's keys: every dataset
 * partition (DS#<dataset>#…: LSOAs, crime months, documents, counts, the import lock) and the list of datasets. No
 * organisation data, no audit events.
 */
export const IMPORTER_LEADING_KEYS = [`${keys.datasetPkPrefix}*`, keys.datasetsPk];

/** Every table write, denied on audit partitions to the importer in so many words (its allow already leaves them out). */
export const IMPORTER_AUDIT_DENIED_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/**
 * police.uk publishes a month's street-level crime roughly six to eight weeks after it ends, usually in the middle of a
 * month; the 20th at 03:00 UTC finds it in most months. Re-importing a month already stored replaces it, so a run that
 * finds nothing new does no harm.
 */
export const IMPORT_SCHEDULE = { day: '20', hour: '3', minute: '0' } as const;

/** An asynchronous run (the schedule, `--invocation-type Event`) that failed for good is kept this long on the failure queue. */
export const FAILED_RUN_RETENTION = Duration.days(14);

export interface ScheduledImporterProps {
  prod: boolean;
  stage: string;
  table: ITableV2;
  /** The force and districts a direct invocation imports (FORCE, LADS), when configured. */
  force: string | null;
  districts: string[];
  /** Every force the national import runs over (config importForces). */
  forces: { force: string; districts: string[] }[];
  /** Forces imported at once. */
  concurrency: number;
  dataset: string | null;
  /**
   * Reserve concurrency 1: Lambda itself then never runs two imports at once (the import lock does so regardless), and
   * the national import runs its forces one after the other.
   */
  reservedConcurrency: boolean;
}

/**
 * Monthly: the newest police.uk month for every configured force, imported with the same code as `npm run import`,
 * one importer invocation per force in parallel (the national import's state machine, ./national-import.ts).
 */
export class ScheduledImporter extends Construct {
  readonly function: AppFunction;
  readonly national: NationalImport;
  readonly rule: Rule;
  /** Failed runs: asynchronous invocations that failed after their retry, and schedule events that could not be delivered. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: ScheduledImporterProps) {
    super(scope, id);
    this.failures = new Queue(this, 'FailedRuns', {
      retentionPeriod: FAILED_RUN_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination: the importer function sends failed asynchronous invocations here ' +
        '(onFailure) and EventBridge undeliverable schedule events; a person reads them (docs/operations.md), nothing consumes them.',
    });

    this.function = new AppFunction(this, 'Handler', {
      code: 'importer',
      service: SERVICE.importer,
      stage: props.stage,
      description: `Monthly police.uk import, one force per run: ${props.forces.map((f) => f.force).join(', ')}`.slice(0, 256),
      // Not behind the HTTP API: a county's boundaries and a month of crimes take a few minutes; 15 min is Lambda's limit.
      timeout: Duration.minutes(15),
      memorySize: 2048,
      prod: props.prod,
      // One retry after a failure (the ImportFailed alarm has already fired); more would only repeat a failing download.
      retryAttempts: 1,
      // A run throttled behind another (reserved concurrency 1) may wait this long before it counts as failed.
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.failures),
      ...(props.reservedConcurrency && { reservedConcurrentExecutions: 1 }),
      environment: {
        TABLE_NAME: props.table.tableName,
        ...(props.force && { FORCE: props.force, LADS: props.districts.join(',') }),
        ...(props.dataset && { DATASET_ID: props.dataset }),
      },
    });
    // Dataset partitions only: the condition holds for every key of every item a request touches.
    this.function.role.addToPolicy(
      new PolicyStatement({
        actions: IMPORTER_TABLE_ACTIONS,
        resources: tableResources(props.table),
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': IMPORTER_LEADING_KEYS } },
      }),
    );
    this.function.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: IMPORTER_AUDIT_DENIED_ACTIONS,
        resources: tableResources(props.table),
        conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': AUDIT_LEADING_KEYS } },
      }),
    );

    this.national = new NationalImport(this, 'National', {
      prod: props.prod,
      stage: props.stage,
      importer: this.function.fn,
      forces: props.forces,
      // With reserved concurrency 1 a second force at once would only be throttled.
      concurrency: props.reservedConcurrency ? 1 : props.concurrency,
    });

    this.rule = new Rule(this, 'Monthly', {
      description: 'Imports the newest police.uk month of every configured force (the national import state machine)',
      schedule: Schedule.cron(IMPORT_SCHEDULE),
      // EventBridge's own delivery retries; an event it cannot deliver at all goes to the same queue. The execution
      // input {} means every configured force and the newest month.
      targets: [
        new SfnStateMachine(this.national.stateMachine, {
          input: RuleTargetInput.fromObject({}),
          retryAttempts: 2,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.failures,
        }),
      ],
    });
  }
}
