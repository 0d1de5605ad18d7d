import type { App } from 'aws-cdk-lib';
import type { StageConfig } from './config';
import { EDGE_REGION, EdgeStack } from './edge';
import { SaferPlacesStack } from './safer-places-stack';

export interface SaferPlacesStacks {
  main: SaferPlacesStack;
  /** The us-east-1 stack with the WAF web ACL, when the stage has `waf` on. */
  edge: EdgeStack | null;
}

/**
 * Every stack of a stage, as `cdk synth` and `cdk deploy --all` see them (bin/app.ts; the tests synthesise the same):
 * SaferPlaces-<stage>, and with WAF on SaferPlaces-<stage>-edge in us-east-1, whose web ACL ARN the main stack reads
 * from the edge stack's output with Fn::GetStackOutput (CDK deploys the edge stack first).
 */
export function createStacks(app: App, config: StageConfig, webDistPath: string, account?: string): SaferPlacesStacks {
  const edge = config.waf
    ? new EdgeStack(app, `SaferPlaces-${config.stage}-edge`, { stage: config.stage, rateLimit: config.wafRateLimit, env: { account, region: EDGE_REGION } })
    : null;
  const main = new SaferPlacesStack(app, `SaferPlaces-${config.stage}`, {
    config,
    webDistPath,
    env: { account, region: config.region },
    ...(edge && { webAclArn: edge.webAcl.attrArn }),
  });
  return { main, edge };
}
