/**
 * Logs, metrics and traces of the scheduled importer on Lambda, through Powertools for AWS Lambda. With the function's
 * JSON log format, a plain `console.log(JSON.stringify(entry))` reaches CloudWatch as a string under the runtime's
 * "message" key at level INFO; Powertools writes each line to stdout itself as a JSON object, which Lambda keeps as it
 * is: log lines with their real level, and metrics as embedded metric format (EMF) documents CloudWatch turns into
 * metrics the stack's alarms watch.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** `{ level, msg, ...attributes }`, as the importer logs. */
export type Log = (entry: Record<string, unknown>) => void;

/**
 * What the importer publishes. Namespace and the `service` dimension come from the function's environment
 * (POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME, set by the stack); the stack's alarms and dashboard use these
 * names (infra/lib/telemetry.ts, checked against this code by infra/test/telemetry-contract.test.ts).
 */
export const IMPORTER_METRICS = {
  /** A run failed: bad settings, police.uk or ONS unreachable, a file refused, the table refused a write. */
  importFailed: 'ImportFailed',
  /** A run finished and stored its months. */
  importSucceeded: 'ImportSucceeded',
  /** A run found another run of the same dataset under way and left it to that one. */
  importSkipped: 'ImportSkipped',
  /** Crimes stored by a successful run. */
  crimesImported: 'CrimesImported',
} as const;

export interface ImporterTelemetry {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
  log: Log;
}

export function importerTelemetry(): ImporterTelemetry {
  // Service from POWERTOOLS_SERVICE_NAME, level from Lambda's application log level (AWS_LAMBDA_LOG_LEVEL).
  const logger = new Logger();
  // Namespace from POWERTOOLS_METRICS_NAMESPACE, the "service" dimension from POWERTOOLS_SERVICE_NAME.
  const metrics = new Metrics();
  // On only inside Lambda with active tracing (AWS_EXECUTION_ENV); elsewhere every call is a no-op.
  const tracer = new Tracer();
  const log: Log = (entry) => {
    const { level, msg, ...attributes } = entry;
    const message = typeof msg === 'string' ? msg : 'log';
    if (level === 'error') logger.error(message, attributes);
    else if (level === 'warn') logger.warn(message, attributes);
    else if (level === 'debug') logger.debug(message, attributes);
    else logger.info(message, attributes);
  };
  return { logger, metrics, tracer, log };
}

/** Counts one metric of IMPORTER_METRICS (published by the handler when the run ends). */
export function count(metrics: Metrics, name: (typeof IMPORTER_METRICS)[keyof typeof IMPORTER_METRICS], value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}
