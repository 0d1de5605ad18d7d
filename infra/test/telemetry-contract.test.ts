/**
 * Would the alarms fire on AWS? The functions' real telemetry code runs here with the settings the synthesised template
 * gives each function; what it writes is turned into CloudWatch log events the way the Lambda runtime does with the
 * JSON log format, filtered by the function's application log level, read as embedded metric format (EMF) the way
 * CloudWatch does, and summed into the alarm's own metric (namespace, name, dimensions, statistic) from the template.
 * A test that captured console.log in the process (as the old ones did) could not see the difference; this one fails
 * when the metric would never reach the alarm.
 *
 * The runtime's behaviour is the assumption of this test, from AWS's documentation and the runtime's source:
 *  1. console.log / info / warn / error are replaced by the Node.js runtime (aws-lambda-nodejs-runtime-interface-client,
 *     src/LogPatch.js, formatJsonMessage): with one argument the event is
 *     {"timestamp", "level": <the method's level>, "requestId", "message": <the argument>}. A string stays a string:
 *     JSON text logged with console.log is a string under "message", never an object CloudWatch could read fields or
 *     EMF from; and its level is the console method's (console.log: INFO), whatever the text says.
 *  2. A line the function writes to stdout or stderr itself (Powertools does, through a Console of its own) that is a
 *     JSON object is kept as it is: "Lambda doesn't double-encode any logs that are already JSON-encoded" (Lambda
 *     developer guide, "Configuring JSON and plain text log formats"). Its "level" field is its level; a line without
 *     a valid one is filed as INFO ("Log-level filtering"). Any other line is wrapped as in 1, at INFO.
 *  3. Lambda drops events below the function's application log level (ApplicationLogLevel) before CloudWatch Logs.
 *  4. CloudWatch Logs turns an event that is a JSON object with `_aws.CloudWatchMetrics` into one datapoint per metric
 *     and dimension set: namespace and name from the directive, the dimension values and the metric value from the
 *     event's top-level fields (the embedded metric format specification).
 */
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METRICS, lambdaTelemetry } from '../../apps/api/src/runtime/lambda-deps';
import { createHandler } from '../../packages/importer/src/scheduled/handler';
import { IMPORTER_METRICS, importerTelemetry } from '../../packages/importer/src/scheduled/telemetry';
import { APP_METRICS } from '../lib/telemetry';
import { resources, synthesise, type Synthesised } from './helpers';

let dev: Synthesised;
beforeAll(() => {
  dev = synthesise();
});
afterAll(() => dev?.cleanup());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------------------------------
// The runtime, Lambda's log-level filter and CloudWatch's EMF extraction, as stated above.

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
type Level = (typeof LEVELS)[number];
type LogEvent = Record<string, unknown>;
interface Written {
  via: 'console' | 'stream';
  level: Level;
  text: string;
}

/** Assumption 1 and 2: what reaches CloudWatch Logs for one thing the function wrote. */
function runtimeLogEvent(w: Written, requestId: string): LogEvent {
  const wrap = (level: Level): LogEvent => ({ timestamp: new Date(0).toISOString(), level, requestId, message: w.text });
  if (w.via === 'console') return wrap(w.level);
  try {
    const parsed: unknown = JSON.parse(w.text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as LogEvent;
  } catch {
    // Not JSON: wrapped like a console line.
  }
  return wrap('INFO');
}

/** Assumption 2 and 3: the level Lambda files an event under, and whether the function's log level keeps it. */
function levelOf(event: LogEvent): Level {
  const level = String(event.level ?? '').toUpperCase();
  return (LEVELS as readonly string[]).includes(level) ? (level as Level) : 'INFO';
}
const kept = (event: LogEvent, applicationLogLevel: string) => LEVELS.indexOf(levelOf(event)) >= LEVELS.indexOf(applicationLogLevel as Level);

interface Datapoint {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  value: number;
}

/** Assumption 4: the datapoints CloudWatch extracts from one log event (none unless it is an EMF document). */
function emfDatapoints(event: LogEvent): Datapoint[] {
  const aws = event._aws as { CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } | undefined;
  if (!aws || !Array.isArray(aws.CloudWatchMetrics)) return [];
  return aws.CloudWatchMetrics.flatMap((directive) =>
    directive.Dimensions.flatMap((set) =>
      directive.Metrics.map((m) => ({
        namespace: directive.Namespace,
        name: m.Name,
        dimensions: Object.fromEntries(set.map((d) => [d, String(event[d])])),
        value: Number(event[m.Name]),
      })),
    ),
  );
}

/** Everything the code under test writes: through console.* (which the runtime patches) or to the streams itself. */
function captureWrites() {
  const written: Written[] = [];
  for (const [method, level] of [
    ['log', 'INFO'],
    ['info', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
    ['debug', 'DEBUG'],
  ] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push({ via: 'console', level, text: args.map(String).join(' ') });
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) written.push({ via: 'stream', level: 'INFO', text: line });
      return true;
    });
  }
  return written;
}

// ---------------------------------------------------------------------------------------------------------------------
// The template's side.

type Resource = { Type: string; Properties: any };

/** A function's settings in the template: its environment and application log level. */
function functionSettings(name: 'Api' | 'Importer') {
  const [, fn] = Object.entries(resources(dev.template)).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(`${name}Handler`))! as [string, Resource];
  return { env: fn.Properties.Environment.Variables as Record<string, string>, applicationLogLevel: fn.Properties.LoggingConfig.ApplicationLogLevel as string };
}

interface AlarmMetric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  statistic: string;
  threshold: number;
  comparison: string;
}

/** The metric an alarm of the template watches, by the alarm's name. */
function alarmMetric(alarmName: string): AlarmMetric {
  const alarm = Object.values(resources(dev.template)).find((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmName === alarmName) as Resource | undefined;
  if (!alarm) throw new Error(`no alarm ${alarmName} in the template`);
  const p = alarm.Properties;
  expect(p.Metrics).toBeUndefined();
  return {
    namespace: p.Namespace,
    name: p.MetricName,
    dimensions: Object.fromEntries((p.Dimensions ?? []).map((d: { Name: string; Value: string }) => [d.Name, d.Value])),
    statistic: p.Statistic,
    threshold: p.Threshold,
    comparison: p.ComparisonOperator,
  };
}

/** Whether the alarm would go off on these log events: its metric's datapoints (exact dimensions), summed, against the threshold. */
function wouldFire(alarm: AlarmMetric, events: LogEvent[]): boolean {
  expect(alarm.statistic).toBe('Sum');
  expect(alarm.comparison).toBe('GreaterThanOrEqualToThreshold');
  const matching = events
    .flatMap(emfDatapoints)
    .filter((d) => d.namespace === alarm.namespace && d.name === alarm.name && JSON.stringify(Object.entries(d.dimensions).sort()) === JSON.stringify(Object.entries(alarm.dimensions).sort()));
  return matching.reduce((sum, d) => sum + d.value, 0) >= alarm.threshold;
}

/** What CloudWatch Logs receives from these writes, after Lambda's level filter. */
const delivered = (written: Written[], applicationLogLevel: string) => written.map((w) => runtimeLogEvent(w, 'req-1')).filter((e) => kept(e, applicationLogLevel));

/** The entry apps/api/src/audit.ts reports when an audit event could not be stored. */
const auditFailure = {
  level: 'error',
  msg: 'audit append failed',
  event: { id: 'e1', orgId: 'notts-csp', action: 'create', method: 'POST', path: '/api/cameras', status: 201 },
  error: 'ProvisionedThroughputExceededException: throughput exceeded',
};

describe('a lost audit event raises AuditAppendFailed on AWS', () => {
  it('the API function prints EMF that, through the runtime and the log level, is exactly the metric the alarm watches', () => {
    const { env, applicationLogLevel } = functionSettings('Api');
    for (const [k, v] of Object.entries(env)) if (k.startsWith('POWERTOOLS_')) vi.stubEnv(k, v);
    const written = captureWrites();
    lambdaTelemetry().log(auditFailure);

    const events = delivered(written, applicationLogLevel);
    const alarm = alarmMetric('SaferPlaces-dev-AuditAppendFailed');
    expect(alarm).toMatchObject({ namespace: env.POWERTOOLS_METRICS_NAMESPACE, name: API_METRICS.auditAppendFailed, dimensions: { service: env.POWERTOOLS_SERVICE_NAME } });
    expect(wouldFire(alarm, events)).toBe(true);
    // The EMF document declares the same namespace, name and dimension set the alarm uses, and CloudWatch reads 1 from it.
    expect(events.flatMap(emfDatapoints)).toEqual([{ namespace: alarm.namespace, name: alarm.name, dimensions: alarm.dimensions, value: 1 }]);
    // The log line itself is kept at ERROR, with the event to put back by hand (docs/operations.md).
    expect(events).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'audit append failed', event: auditFailure.event }));
    // Nothing went through the console the runtime wraps.
    expect(written.filter((w) => w.via === 'console')).toEqual([]);
  });

  it('would not fire with the old logging (JSON text through console.log), nor its metric filter match: the test can tell', () => {
    const { applicationLogLevel } = functionSettings('Api');
    const written = captureWrites();
    // apps/api/src/app.ts jsonLog, as the API logged on Lambda before.
    console.log(JSON.stringify(auditFailure));
    const events = delivered(written, applicationLogLevel);
    expect(events).toEqual([{ timestamp: expect.any(String), level: 'INFO', requestId: 'req-1', message: JSON.stringify(auditFailure) }]);
    expect(wouldFire(alarmMetric('SaferPlaces-dev-AuditAppendFailed'), events)).toBe(false);
    // The old filter, { $.msg = "audit append failed" }, looked for a top-level msg: there is none, only a string.
    expect(events.some((e) => e.msg === 'audit append failed')).toBe(false);
  });

  it('would not fire if the EMF went through console.log (Powertools in dev mode) or the log level were WARN', () => {
    const { env, applicationLogLevel } = functionSettings('Api');
    for (const [k, v] of Object.entries(env)) if (k.startsWith('POWERTOOLS_')) vi.stubEnv(k, v);
    const alarm = alarmMetric('SaferPlaces-dev-AuditAppendFailed');

    vi.stubEnv('POWERTOOLS_DEV', 'true');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const viaConsole = captureWrites();
    lambdaTelemetry().log(auditFailure);
    expect(viaConsole.some((w) => w.via === 'console' && w.text.includes('"_aws"'))).toBe(true);
    expect(wouldFire(alarm, delivered(viaConsole, applicationLogLevel))).toBe(false);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();

    for (const [k, v] of Object.entries(env)) if (k.startsWith('POWERTOOLS_')) vi.stubEnv(k, v);
    const direct = captureWrites();
    lambdaTelemetry().log(auditFailure);
    // EMF lines carry no level: Lambda files them as INFO, so a WARN application log level would drop every metric.
    expect(wouldFire(alarm, delivered(direct, 'WARN'))).toBe(false);
    expect(applicationLogLevel).toBe('INFO');
    expect(wouldFire(alarm, delivered(direct, applicationLogLevel))).toBe(true);
  });
});

describe('a failed import raises ImportFailed on AWS', () => {
  it('the importer prints EMF that, through the runtime and the log level, is exactly the metric the alarm watches', async () => {
    const { env, applicationLogLevel } = functionSettings('Importer');
    for (const [k, v] of Object.entries(env)) if (k.startsWith('POWERTOOLS_')) vi.stubEnv(k, v);
    const written = captureWrites();
    // The function's own environment (deploy-time values such as the table name as placeholders) without FORCE: it
    // fails before anything is downloaded or written.
    const plain = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : `<${k} at deploy time>`]));
    const handler = createHandler(importerTelemetry(), { ...plain, FORCE: '' });
    const context = { awsRequestId: 'req-1', functionName: 'importer', functionVersion: '$LATEST', invokedFunctionArn: 'arn', memoryLimitInMB: '2048' } as Context;
    await expect(handler({}, context)).rejects.toThrow(/FORCE not set/);

    const events = delivered(written, applicationLogLevel);
    const alarm = alarmMetric('SaferPlaces-dev-ImportFailed');
    expect(alarm).toMatchObject({ namespace: env.POWERTOOLS_METRICS_NAMESPACE, name: IMPORTER_METRICS.importFailed, dimensions: { service: env.POWERTOOLS_SERVICE_NAME } });
    expect(wouldFire(alarm, events)).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'scheduled import failed', function_request_id: 'req-1' }));
    expect(written.filter((w) => w.via === 'console')).toEqual([]);
  });
});

describe('the names the stack watches are the names the code publishes', () => {
  it('every metric of ours an alarm or the dashboard uses is one the API or the importer publishes', () => {
    expect(Object.values(APP_METRICS).sort()).toEqual([...Object.values(API_METRICS), ...Object.values(IMPORTER_METRICS)].sort());
    const ours = Object.values(resources(dev.template))
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && String(r.Properties.Namespace ?? '').startsWith('SaferPlaces/'))
      .map((r) => r.Properties.MetricName);
    expect(ours.sort()).toEqual([API_METRICS.auditAppendFailed, IMPORTER_METRICS.importFailed].sort());
    // No alarm depends on a metric filter over log text any more.
    expect(Object.values(resources(dev.template)).filter((r) => r.Type === 'AWS::Logs::MetricFilter')).toEqual([]);
  });
});
