import { Aws, Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  stage: string;
  alarmEmail: string | null;
  httpApi: HttpApi;
  apiFunction: IFunction;
  /** The API function's log group: an audit event that could not be written is an alarm of its own. */
  apiLogGroup: ILogGroup;
  importerFunction: IFunction | null;
  table: ITableV2;
}

const FIVE_MINUTES = Duration.minutes(5);

/** Alarms for what needs a person: server errors, failed or throttled functions, throttled table, failed import, a lost audit event. */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { displayName: `Safer Places alarms (${props.stage})`, enforceSSL: true });
    // The topic has a policy of its own (enforceSSL), so CloudWatch must be let in explicitly: alarms of this account only.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const alarm = (id: string, description: string, metric: IMetric, threshold: number) => {
      const a = new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new SnsAction(this.topic));
      a.addOkAction(new SnsAction(this.topic));
      this.alarms.push(a);
      return a;
    };

    alarm(
      'Api5xx',
      'The HTTP API answered 5 or more server errors (5xx) in 5 minutes. See the API function and access logs.',
      props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      5,
    );
    alarm(
      'ApiErrors',
      'The API function failed (uncaught error or timeout) 5 or more times in 5 minutes.',
      props.apiFunction.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      5,
    );
    // The API logs {"msg": "audit append failed", ...} when a change succeeded but its audit event could not be stored.
    const auditFailures = new MetricFilter(this, 'AuditAppendFailures', {
      logGroup: props.apiLogGroup,
      metricNamespace: 'SaferPlaces',
      metricName: `AuditAppendFailures-${props.stage}`,
      filterPattern: FilterPattern.stringValue('$.msg', '=', 'audit append failed'),
      metricValue: '1',
    });
    alarm(
      'AuditAppendFailed',
      'An audit event could not be written after a change, upload or export succeeded. The event is in the API log ("audit append failed"); add it to the record by hand.',
      auditFailures.metric({ period: FIVE_MINUTES, statistic: 'Sum' }),
      1,
    );
    alarm(
      'ApiThrottles',
      'The API function was throttled (out of concurrency). Raise the reserved concurrency or the account limit.',
      props.apiFunction.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
      1,
    );
    alarm(
      'TableThrottles',
      'DynamoDB throttled reads or writes on the table.',
      new MathExpression({
        label: 'Throttle events',
        expression: 'reads + writes',
        usingMetrics: {
          reads: props.table.metric('ReadThrottleEvents', { statistic: 'Sum' }),
          writes: props.table.metric('WriteThrottleEvents', { statistic: 'Sum' }),
        },
        period: FIVE_MINUTES,
      }),
      1,
    );
    if (props.importerFunction) {
      alarm(
        'ImportFailed',
        'The monthly police.uk import failed (see the importer log group). Data shown is from the previous month until it succeeds.',
        props.importerFunction.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
        1,
      );
      alarm(
        'ImportThrottled',
        'The monthly police.uk import could not start (throttled).',
        props.importerFunction.metricThrottles({ period: Duration.hours(1), statistic: 'Sum' }),
        1,
      );
    }
  }
}
