import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from '../lib/bundling';
import { ConfigError, readStageConfig } from '../lib/config';
import { createStacks } from '../lib/stacks';

function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

const app = new App();
let config;
try {
  config = readStageConfig((key) => app.node.tryGetContext(key));
} catch (e) {
  if (e instanceof ConfigError) fail(`Safer Places: ${e.message}`);
  throw e;
}

// SAFER_PLACES_WEB_DIST: another build folder (the CLI synth test passes a stand-in so it needs no web build).
const webDistPath = resolve(process.env.SAFER_PLACES_WEB_DIST ?? join(REPO_ROOT, 'apps/web/dist'));
if (!existsSync(join(webDistPath, 'index.html'))) {
  fail(`Safer Places: the web app is not built (no ${join(webDistPath, 'index.html')}). Run npm run build -w @safer-places/web first (npm run deploy does it for you).`);
}

// SaferPlaces-<stage>, and SaferPlaces-<stage>-edge (us-east-1) when the stage has WAF on: `cdk deploy --all`.
createStacks(app, config, webDistPath, process.env.CDK_DEFAULT_ACCOUNT);

// cdk-nag's AWS Solutions checks on every synth and deploy: an unacknowledged finding fails it. Acknowledgements, each
// with its reason, sit next to the resources they concern (Validations.of(...).acknowledge).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
