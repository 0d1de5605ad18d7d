/**
 * The metrics the functions publish and the alarms watch. The functions publish with Powertools Metrics as CloudWatch
 * embedded metric format (EMF) documents: the namespace and the `service` dimension come from the environment the
 * stack gives each function (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME), the metric names from the code
 * (apps/api/src/runtime/lambda-deps.ts API_METRICS, packages/importer/src/scheduled/telemetry.ts IMPORTER_METRICS).
 * test/telemetry-contract.test.ts runs that code, wraps what it prints as the Lambda runtime does, and checks each
 * alarm's metric against the EMF documents, so a rename on either side fails the tests.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';

/** The functions' Powertools service names: the `service` dimension of their metrics and the key on their log lines. */
export const SERVICE = { api: 'api', importer: 'importer' } as const;
export type ServiceName = (typeof SERVICE)[keyof typeof SERVICE];

/** One namespace per stage, so a dev and a prod stack in one account never share a metric. */
export const metricsNamespace = (stage: string) => `SaferPlaces/${stage}`;

/** Metric names the functions publish (same names as in the code, see above). */
export const APP_METRICS = {
  auditAppendFailed: 'AuditAppendFailed',
  importFailed: 'ImportFailed',
  importSucceeded: 'ImportSucceeded',
  importSkipped: 'ImportSkipped',
  crimesImported: 'CrimesImported',
} as const;
export type AppMetricName = (typeof APP_METRICS)[keyof typeof APP_METRICS];

/** The Powertools settings of a function (its environment). */
export function powertoolsEnvironment(stage: string, service: ServiceName): Record<string, string> {
  return { POWERTOOLS_SERVICE_NAME: service, POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(stage) };
}

/** A metric a function publishes, as CloudWatch stores it: namespace, name and the `service` dimension Powertools adds. */
export function appMetric(stage: string, service: ServiceName, name: AppMetricName, period: Duration, statistic: string = Stats.SUM): Metric {
  return new Metric({ namespace: metricsNamespace(stage), metricName: name, dimensionsMap: { service }, period, statistic });
}
