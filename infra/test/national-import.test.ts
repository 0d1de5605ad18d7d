/**
 * The national import's state machine as synthesised: a Map over the plan's forces that runs the importer once per
 * force with bounded concurrency, retries on throttling and time-outs with back-off, a failed force recorded without
 * stopping the others, the lock given back at the end, and a role that may invoke the importer and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIONAL_RUN_TIMEOUT, RUN_LOCK_SECONDS, THROTTLE_RETRY, TIMEOUT_RETRY } from '../lib/national-import';
import { resources, synthesise, type Synthesised } from './helpers';

interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Retry?: { ErrorEquals: string[]; IntervalSeconds: number; MaxAttempts: number; BackoffRate: number; MaxDelaySeconds?: number; JitterStrategy?: string }[];
  Catch?: { ErrorEquals: string[]; ResultPath: string; Next: string }[];
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  MaxConcurrency?: number;
  ItemProcessor?: { ProcessorConfig: { Mode: string }; StartAt: string; States: Record<string, State> };
  Choices?: { Variable: string; IsPresent?: boolean; Next: string }[];
  Default?: string;
  ResultPath?: string;
  Error?: string;
}
interface Definition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, State>;
}

/** The state machine's definition, with each deploy-time reference written as `<logical id>`. */
function machine(s: Synthesised) {
  const found = Object.entries(resources(s.template)).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  expect(found).toHaveLength(1);
  const [id, r] = found[0]!;
  const body = r.Properties.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : `<${(p as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]}>`)).join('');
  return { id, properties: r.Properties, definition: JSON.parse(text) as Definition };
}

const importerId = (s: Synthesised) => Object.keys(resources(s.template)).find((id) => id.startsWith('ImporterHandlerFunction') && resources(s.template)[id]!.Type === 'AWS::Lambda::Function')!;

let dev: Synthesised;
let national: Synthesised;
let reserved: Synthesised;
beforeAll(() => {
  dev = synthesise();
  national = synthesise({
    context: {
      force: undefined,
      districts: undefined,
      nationalForces: { nottinghamshire: ['E07000174', 'E07000170'], derbyshire: ['E07000032'], 'west-yorkshire': ['E08000032', 'E08000033'] },
      importConcurrency: '8',
    },
  });
  reserved = synthesise({ context: { importerReservedConcurrency: 'true' } });
});
afterAll(() => {
  for (const s of [dev, national, reserved]) s?.cleanup();
});

describe('the national import state machine', () => {
  it('plans, maps over the forces, finishes, and fails the execution only after every force has had its turn', () => {
    const { definition } = machine(dev);
    const fnRef = `<${importerId(dev)}>`;
    expect(definition.StartAt).toBe('Plan');
    const { Plan, AnotherRunUnderWay, ImportEachForce, NoResults, Finish, AnyForceFailed, SomeForcesFailed, Skipped, Done } = definition.States;
    // The plan gets the configured forces, the run's id (the execution) for the lock, its lock time and the input.
    expect(Plan).toMatchObject({ Type: 'Task', Resource: fnRef, ResultPath: '$.plan', Next: 'AnotherRunUnderWay' });
    expect(Plan!.Parameters).toEqual({
      action: 'plan',
      'run.$': '$$.Execution.Id',
      forces: [{ force: 'nottinghamshire', districts: ['E07000174', 'E07000170'] }],
      lockSeconds: RUN_LOCK_SECONDS,
      'request.$': '$',
    });
    expect(AnotherRunUnderWay).toMatchObject({ Type: 'Choice', Choices: [{ Variable: '$.plan.skipped', IsPresent: true, Next: 'Skipped' }], Default: 'ImportEachForce' });
    expect(Skipped!.Type).toBe('Succeed');

    // One iteration per force of the plan, each given its force and districts and the run's months and id.
    expect(ImportEachForce).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.plan.forces',
      ItemSelector: { 'force.$': '$$.Map.Item.Value.force', 'districts.$': '$$.Map.Item.Value.districts', 'months.$': '$.plan.months', 'run.$': '$.plan.run' },
      MaxConcurrency: 4,
      ResultPath: '$.results',
      Next: 'Finish',
    });
    expect(ImportEachForce!.ItemProcessor!.ProcessorConfig.Mode).toBe('INLINE');
    // Should the Map itself fail, the lock is still given back by Finish.
    expect(ImportEachForce!.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'NoResults' }]);
    expect(NoResults).toMatchObject({ Type: 'Pass', Next: 'Finish', ResultPath: '$.results' });

    expect(Finish).toMatchObject({ Type: 'Task', Resource: fnRef, Parameters: { action: 'finish', 'run.$': '$$.Execution.Id', 'state.$': '$' }, ResultPath: '$.summary', Next: 'AnyForceFailed' });
    expect(AnyForceFailed).toMatchObject({ Type: 'Choice', Choices: [{ Variable: '$.summary.failed[0]', IsPresent: true, Next: 'SomeForcesFailed' }], Default: 'Done' });
    expect(SomeForcesFailed).toMatchObject({ Type: 'Fail', Error: 'ForcesFailed' });
    expect(Done!.Type).toBe('Succeed');
  });

  it("invokes the importer per force with retries on throttling (backoff, jitter) and time-outs, and records a force's failure without stopping the rest", () => {
    const { definition } = machine(dev);
    const processor = definition.States.ImportEachForce!.ItemProcessor!;
    expect(processor.StartAt).toBe('ImportForce');
    const task = processor.States.ImportForce!;
    // The whole item is the payload: {force, districts, months, run}.
    expect(task).toMatchObject({ Type: 'Task', Resource: `<${importerId(dev)}>`, End: true });
    expect(task.Parameters).toBeUndefined();
    expect(task.Retry).toEqual([
      {
        ErrorEquals: THROTTLE_RETRY.errors,
        IntervalSeconds: 5,
        MaxAttempts: 6,
        BackoffRate: 2,
        MaxDelaySeconds: 300,
        JitterStrategy: 'FULL',
      },
      { ErrorEquals: TIMEOUT_RETRY.errors, IntervalSeconds: 60, MaxAttempts: 1, BackoffRate: 1 },
    ]);
    expect(task.Retry![0]!.ErrorEquals).toContain('Lambda.TooManyRequestsException');
    expect(task.Retry![1]!.ErrorEquals).toEqual(['Sandbox.Timedout', 'States.Timeout']);
    // Nothing retries States.ALL: an error the importer throws itself (a bad district, police.uk down for good) is final.
    expect(task.Retry!.flatMap((r) => r.ErrorEquals)).not.toContain('States.ALL');
    expect(task.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ForceFailed' }]);
    expect(processor.States.ForceFailed).toMatchObject({
      Type: 'Pass',
      End: true,
      Parameters: { 'force.$': '$.force', ok: false, 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
    });
    // The plan and the finish are retried on throttling too.
    for (const name of ['Plan', 'Finish']) expect(definition.States[name]!.Retry).toEqual([expect.objectContaining({ ErrorEquals: THROTTLE_RETRY.errors, JitterStrategy: 'FULL' })]);
  });

  it('bounds the run: an execution timeout the lock outlasts, logging of every step, tracing', () => {
    const { properties } = machine(dev);
    expect(properties.StateMachineType).toBe('STANDARD');
    expect(properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    const { definition } = machine(dev);
    expect(definition.TimeoutSeconds).toBe(NATIONAL_RUN_TIMEOUT.toSeconds());
    // The lock must not expire while the run may still write, nor last much beyond it.
    expect(RUN_LOCK_SECONDS).toBeGreaterThan(NATIONAL_RUN_TIMEOUT.toSeconds());
    expect(RUN_LOCK_SECONDS).toBeLessThanOrEqual(NATIONAL_RUN_TIMEOUT.toSeconds() + 15 * 60);
    // Longer than any one force can take: 15 minutes and one retry after a time-out.
    expect(NATIONAL_RUN_TIMEOUT.toSeconds()).toBeGreaterThan(2 * 15 * 60 + 60);
  });

  it('carries the national table and its concurrency; reserved concurrency 1 runs the forces one at a time', () => {
    const { definition } = machine(national);
    expect(definition.States.Plan!.Parameters!.forces).toEqual([
      { force: 'nottinghamshire', districts: ['E07000174', 'E07000170'] },
      { force: 'derbyshire', districts: ['E07000032'] },
      { force: 'west-yorkshire', districts: ['E08000032', 'E08000033'] },
    ]);
    expect(definition.States.ImportEachForce!.MaxConcurrency).toBe(8);
    // No single force configured: the function has no FORCE/LADS, every run goes through the state machine.
    const [, importer] = Object.entries(resources(national.template)).find(([id, r]) => id.startsWith('ImporterHandlerFunction') && r.Type === 'AWS::Lambda::Function')!;
    expect(Object.keys(importer.Properties.Environment.Variables)).not.toContain('FORCE');
    expect(machine(reserved).definition.States.ImportEachForce!.MaxConcurrency).toBe(1);
  });

  it('may invoke the importer function and nothing else (least privilege)', () => {
    const [, policy] = Object.entries(resources(dev.template)).find(([id, r]) => id.startsWith('ImporterNationalStateMachineRoleDefaultPolicy') && r.Type === 'AWS::IAM::Policy')!;
    const statements = policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
    const invoke = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('lambda:')));
    const fnArn = { 'Fn::GetAtt': [importerId(dev), 'Arn'] };
    expect(invoke).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [fnArn, { 'Fn::Join': ['', [fnArn, ':*']] }] }]);
    // Everything else is log delivery and tracing; no table, queue or other function.
    const others = statements.filter((s) => s !== invoke[0]).flatMap((s) => [s.Action].flat());
    for (const a of others) expect(a).toMatch(/^(logs|xray):/);
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb|sqs|states:/);
  });
});

describe('compression at the edge', () => {
  it('compresses the static site and /api/* (gzip and brotli in the cache keys)', () => {
    const dist = Object.values(resources(dev.template)).find((r) => r.Type === 'AWS::CloudFront::Distribution')!;
    const cfg = dist.Properties.DistributionConfig;
    // The managed CachingOptimized policy has gzip and brotli in its cache key.
    expect(cfg.DefaultCacheBehavior).toMatchObject({ Compress: true, CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' });
    const api = cfg.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/*');
    expect(api.Compress).toBe(true);
    const policy = resources(dev.template)[api.CachePolicyId.Ref]!;
    expect(policy.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({ EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true });
  });
});
