import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tableResources } from './api';
import { AppFunction } from './function';

/**
 * DynamoDB actions the import uses (packages/store DynamoReferenceRepository: Get and Put of the dataset summary and
 * documents, Query of LSOAs and stored months, BatchWriteItem for LSOAs and crime months, puts and deletes alike).
 */
export const IMPORTER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'];

/**
 * police.uk publishes a month's street-level crime roughly six to eight weeks after it ends, usually in the middle of a
 * month; the 20th at 03:00 UTC finds it in most months. Re-importing a month already stored replaces it, so a run that
 * finds nothing new does no harm.
 */
export const IMPORT_SCHEDULE = { day: '20', hour: '3', minute: '0' } as const;

export interface ScheduledImporterProps {
  prod: boolean;
  table: ITableV2;
  force: string;
  districts: string[];
  dataset: string | null;
}

/** Monthly: the newest police.uk month for the force and districts, imported with the same code as `npm run import`. */
export class ScheduledImporter extends Construct {
  readonly function: AppFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledImporterProps) {
    super(scope, id);
    this.function = new AppFunction(this, 'Handler', {
      code: 'importer',
      description: `Monthly police.uk import for ${props.force} (${props.districts.join(', ')})`,
      // Not behind the HTTP API: a county's boundaries and a month of crimes take a few minutes; 15 min is Lambda's limit.
      timeout: Duration.minutes(15),
      memorySize: 2048,
      prod: props.prod,
      // One retry after a failure (the alarm has already fired); more would only repeat a failing download.
      retryAttempts: 1,
      environment: {
        TABLE_NAME: props.table.tableName,
        FORCE: props.force,
        LADS: props.districts.join(','),
        ...(props.dataset && { DATASET_ID: props.dataset }),
      },
    });
    this.function.role.addToPolicy(new PolicyStatement({ actions: IMPORTER_TABLE_ACTIONS, resources: tableResources(props.table) }));

    this.rule = new Rule(this, 'Monthly', {
      description: 'Imports the newest police.uk month',
      schedule: Schedule.cron(IMPORT_SCHEDULE),
      targets: [new LambdaFunction(this.function.fn, { retryAttempts: 2, maxEventAge: Duration.hours(2) })],
    });
  }
}
