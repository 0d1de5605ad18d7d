/** bin/app.ts (what `cdk synth` runs): a wrong setting or a missing web build stops it with a clear message. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFRA_DIR, makeWebDist } from './helpers';

let root: string;
let webDist: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'safer-places-app-'));
  webDist = makeWebDist(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The app as the CLI starts it: context in CDK_CONTEXT_JSON, the assembly folder in CDK_OUTDIR. */
function app(context: Record<string, string>, web: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: INFRA_DIR,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: join(root, 'out'), SAFER_PLACES_WEB_DIST: web },
    encoding: 'utf8',
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('bin/app.ts refuses to go on', () => {
  it('with a wrong setting', () => {
    const r = app({ stage: 'staging' }, webDist);
    expect(r.code).toBe(1);
    expect(r.out).toContain("Safer Places: context stage must be dev or prod, got 'staging'");
  });

  it('without a web build, saying how to make one', () => {
    const r = app({}, join(root, 'not-built'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('the web app is not built');
    expect(r.out).toContain('Run npm run build -w @safer-places/web first');
  });
});
