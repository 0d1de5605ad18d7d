import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readStageConfig } from '../lib/config';
import type { EdgeStack } from '../lib/edge';
import type { SaferPlacesStack } from '../lib/safer-places-stack';
import { createStacks } from '../lib/stacks';

export const INFRA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The context `cdk synth` uses (cdk.json: feature flags, telemetry off, defaults), so tests synthesise the same stack. */
export const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(join(INFRA_DIR, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** Settings of a county-like deployment, used unless a test says otherwise. */
export const TEST_CONTEXT = {
  force: 'nottinghamshire',
  districts: 'E07000174,E07000170',
  alarmEmail: 'alerts@example.org',
  mapStyleUrl: 'https://tiles.example.org/styles/basic.json',
};

/** A stand-in for apps/web/dist, so tests need no web build. */
export function makeWebDist(root: string): string {
  const dir = join(root, 'web-dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Safer Places</title><script type="module" src="/assets/app-abc123.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log("safer places")\n//# sourceMappingURL=app-abc123.js.map');
  // A source map, as the web build writes one: it must never be uploaded.
  writeFileSync(join(dir, 'assets', 'app-abc123.js.map'), '{"version":3,"sources":["../src/main.tsx"],"mappings":""}');
  return dir;
}

export interface Synthesised {
  app: App;
  stack: SaferPlacesStack;
  template: Template;
  /** The us-east-1 WAF stack and its template, when the context turns WAF on. */
  edge: { stack: EdgeStack; template: Template } | null;
  /** The cloud assembly folder (bundled Lambda code is in asset.<hash>/ here). */
  outdir: string;
  cleanup(): void;
}

/**
 * Synthesises the stack as `cdk synth` would (cdk.json context). Without `bundle`, NodejsFunction skips esbuild (the
 * template is the same apart from asset hashes), which keeps template tests fast.
 */
export function synthesise(options: { context?: Record<string, unknown>; bundle?: boolean; beforeSynth?: (app: App) => void } = {}): Synthesised {
  const root = mkdtempSync(join(tmpdir(), 'safer-places-synth-'));
  const outdir = join(root, 'cdk.out');
  const context: Record<string, unknown> = { ...CDK_JSON_CONTEXT, ...TEST_CONTEXT, ...options.context };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ outdir, context, analyticsReporting: false });
  const config = readStageConfig((key) => app.node.tryGetContext(key));
  // As bin/app.ts offline: no account (CDK_DEFAULT_ACCOUNT unset), the configured region.
  const { main: stack, edge } = createStacks(app, config, makeWebDist(root));
  options.beforeSynth?.(app);
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    template,
    edge: edge && { stack: edge, template: Template.fromStack(edge) },
    outdir,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: string[] | string; Metadata?: any; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

/** Every resource of the template with its logical id. */
export function resources(template: Template): Resources {
  return (template.toJSON() as { Resources: Resources }).Resources;
}

const CDK_CLI = createRequire(import.meta.url).resolve('aws-cdk/bin/cdk');

/**
 * Runs the real CDK CLI in infra/ as a partnership would, offline: no AWS credentials or account in the environment
 * (nothing can be looked up online), the web build from `webDist` (SAFER_PLACES_WEB_DIST, read by bin/app.ts).
 */
export function cdkCli(args: string[], webDist: string, env: Record<string, string> = {}) {
  const started = performance.now();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')));
  const r = spawnSync(process.execPath, [CDK_CLI, ...args], {
    cwd: INFRA_DIR,
    env: { ...clean, AWS_EC2_METADATA_DISABLED: 'true', SAFER_PLACES_WEB_DIST: webDist, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}`, ms: performance.now() - started };
}
