import { Aws, Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  LogQueryWidget,
  MathExpression,
  PeriodOverride,
  SingleValueWidget,
  Stats,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { APP_METRICS, SERVICE, appMetric } from './telemetry';

export interface MonitoringProps {
  stage: string;
  alarmEmail: string | null;
  httpApi: HttpApi;
  apiFunction: IFunction;
  apiLogGroup: ILogGroup;
  importer: { function: IFunction; logGroup: ILogGroup; failures: IQueue } | null;
  table: ITableV2;
  /** p95 latency (ms) of the HTTP API over 5 minutes, three periods running, that raises ApiLatencyP95. */
  apiLatencyP95AlarmMs: number;
  /** Concurrent executions of the API function that raise ApiConcurrency. */
  apiConcurrencyAlarm: number;
}

const FIVE_MINUTES = Duration.minutes(5);
const ONE_HOUR = Duration.hours(1);

/** Every alarm by id, with what it means; docs/operations.md has the runbook for each. */
export const ALARMS = {
  Api5xx: 'The HTTP API answered 5 or more server errors (5xx) in 5 minutes.',
  ApiErrors: 'The API function failed (uncaught error or timeout) 5 or more times in 5 minutes.',
  ApiLatencyP95: 'The slowest 5 % of API requests took longer than the threshold, three 5-minute periods running.',
  ApiThrottles: 'The API function was throttled: no concurrency left for a request.',
  ApiConcurrency: 'The API function is running close to its concurrency limit.',
  TableThrottles: 'DynamoDB throttled reads or writes on the table.',
  AuditAppendFailed: 'An audit event could not be written after a change, upload or export succeeded (metric AuditAppendFailed).',
  ImportFailed: 'A monthly police.uk import run failed (metric ImportFailed).',
  ImportFailedRuns: 'An import run failed for good (after its retry) and is waiting on the failed-runs queue.',
  ImportThrottled: 'An import run could not start: throttled (another run holding the reserved concurrency, or none left).',
} as const;
export type AlarmId = keyof typeof ALARMS;

/**
 * Alarms for what needs a person, each on a metric (AWS's own, or one the functions publish as EMF: never on log
 * text), to one SNS topic; and a dashboard of the same metrics. docs/operations.md has the runbooks.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms = new Map<AlarmId, Alarm>();
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { stage } = props;
    this.topic = new Topic(this, 'AlarmTopic', { displayName: `Safer Places alarms (${stage})`, enforceSSL: true });
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

    const alarm = (id: AlarmId, metric: IMetric, threshold: number, periods = 1) => {
      const a = new Alarm(this, id, {
        alarmName: `SaferPlaces-${stage}-${id}`,
        alarmDescription: `${ALARMS[id]} Runbook: docs/operations.md#${id.toLowerCase()}`,
        metric,
        threshold,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data is no trouble: no requests, no failed imports, no lost audit events.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new SnsAction(this.topic));
      a.addOkAction(new SnsAction(this.topic));
      this.alarms.set(id, a);
      return a;
    };

    // The API, as users see it (API Gateway) and as it runs (Lambda).
    const api5xx = props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM });
    const apiLatency = (statistic: string) => props.httpApi.metricLatency({ period: FIVE_MINUTES, statistic, label: `latency ${statistic}` });
    const apiConcurrency = props.apiFunction.metric('ConcurrentExecutions', { period: FIVE_MINUTES, statistic: Stats.MAXIMUM });
    alarm('Api5xx', api5xx, 5);
    alarm('ApiErrors', props.apiFunction.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }), 5);
    alarm('ApiLatencyP95', apiLatency(Stats.p(95)), props.apiLatencyP95AlarmMs, 3);
    alarm('ApiThrottles', props.apiFunction.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }), 1);
    alarm('ApiConcurrency', apiConcurrency, props.apiConcurrencyAlarm);

    const tableThrottles = new MathExpression({
      label: 'Throttle events',
      expression: 'reads + writes',
      usingMetrics: {
        reads: props.table.metric('ReadThrottleEvents', { statistic: Stats.SUM }),
        writes: props.table.metric('WriteThrottleEvents', { statistic: Stats.SUM }),
      },
      period: FIVE_MINUTES,
    });
    alarm('TableThrottles', tableThrottles, 1);

    // Published by the API's log function when apps/api/src/audit.ts reports 'audit append failed'.
    const auditAppendFailed = appMetric(stage, SERVICE.api, APP_METRICS.auditAppendFailed, FIVE_MINUTES);
    alarm('AuditAppendFailed', auditAppendFailed, 1);

    const widgets = {
      api: [
        new GraphWidget({
          title: 'API requests and errors (HTTP API)',
          left: [
            props.httpApi.metricCount({ period: FIVE_MINUTES, statistic: Stats.SUM, label: 'requests' }),
            props.httpApi.metricClientError({ period: FIVE_MINUTES, statistic: Stats.SUM, label: '4xx' }),
            api5xx.with({ label: '5xx' }),
          ],
          width: 8,
        }),
        new GraphWidget({
          title: 'API latency (ms)',
          left: [apiLatency(Stats.p(50)), apiLatency(Stats.p(95)), apiLatency(Stats.p(99))],
          leftAnnotations: [{ value: props.apiLatencyP95AlarmMs, label: 'p95 alarm' }],
          width: 8,
        }),
        new GraphWidget({
          title: 'API function',
          left: [
            props.apiFunction.metricInvocations({ period: FIVE_MINUTES, statistic: Stats.SUM, label: 'invocations' }),
            props.apiFunction.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM, label: 'errors' }),
            props.apiFunction.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM, label: 'throttles' }),
          ],
          right: [apiConcurrency.with({ label: 'concurrency (max)' })],
          width: 8,
        }),
      ],
      data: [
        new GraphWidget({
          title: 'DynamoDB capacity used',
          left: [
            props.table.metricConsumedReadCapacityUnits({ period: FIVE_MINUTES, statistic: Stats.SUM, label: 'read units' }),
            props.table.metricConsumedWriteCapacityUnits({ period: FIVE_MINUTES, statistic: Stats.SUM, label: 'write units' }),
          ],
          width: 8,
        }),
        new GraphWidget({ title: 'DynamoDB throttle events', left: [tableThrottles], width: 8 }),
        new SingleValueWidget({
          title: 'Lost audit events (AuditAppendFailed, 24 h)',
          metrics: [appMetric(stage, SERVICE.api, APP_METRICS.auditAppendFailed, Duration.days(1))],
          setPeriodToTimeRange: false,
          width: 8,
        }),
      ],
    };

    const importWidgets = [];
    if (props.importer) {
      const { function: fn, failures } = props.importer;
      const importMetric = (name: (typeof APP_METRICS)[keyof typeof APP_METRICS]) => appMetric(stage, SERVICE.importer, name, ONE_HOUR);
      alarm('ImportFailed', importMetric(APP_METRICS.importFailed), 1);
      const waiting = failures.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM, label: 'failed runs waiting' });
      alarm('ImportFailedRuns', waiting, 1);
      alarm('ImportThrottled', fn.metricThrottles({ period: ONE_HOUR, statistic: Stats.SUM }), 1);
      importWidgets.push(
        new GraphWidget({
          title: 'Import runs',
          left: [
            importMetric(APP_METRICS.importSucceeded).with({ label: 'succeeded' }),
            importMetric(APP_METRICS.importFailed).with({ label: 'failed' }),
            importMetric(APP_METRICS.importSkipped).with({ label: 'skipped (another run under way)' }),
          ],
          right: [waiting],
          period: Duration.days(1),
          width: 8,
        }),
        new GraphWidget({ title: 'Crimes imported', left: [importMetric(APP_METRICS.crimesImported)], period: Duration.days(1), width: 8 }),
        new GraphWidget({ title: 'Import duration (ms)', left: [fn.metricDuration({ period: ONE_HOUR, statistic: Stats.MAXIMUM, label: 'longest run' })], width: 8 }),
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `SaferPlaces-${stage}`,
      defaultInterval: Duration.days(7),
      periodOverride: PeriodOverride.AUTO,
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Safer Places (${stage})\nAlarms go to the SNS topic; each alarm's runbook is in docs/operations.md of the repository.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms.values()], width: 24, height: 3 }));
    this.dashboard.addWidgets(...widgets.api);
    this.dashboard.addWidgets(...widgets.data);
    if (importWidgets.length > 0) this.dashboard.addWidgets(...importWidgets);
    this.dashboard.addWidgets(
      new LogQueryWidget({
        title: 'Latest errors and warnings (both functions)',
        logGroupNames: [props.apiLogGroup.logGroupName, ...(props.importer ? [props.importer.logGroup.logGroupName] : [])],
        queryLines: ['fields @timestamp, service, level, message, error', 'filter level = "ERROR" or level = "WARN"', 'sort @timestamp desc', 'limit 50'],
        width: 24,
        height: 6,
      }),
    );
  }
}
