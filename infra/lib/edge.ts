import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** CloudFront takes its WAF web ACL (and certificates) from us-east-1 only, whatever the region of the rest. */
export const EDGE_REGION = 'us-east-1';

/**
 * AWS managed rule groups in the web ACL, in evaluation order after the rate limit. Their capacity (25 + 700 + 200
 * WCU) stays under the 1,500 WCU a web ACL gets without extra charge.
 */
export const MANAGED_RULE_GROUPS = [
  // Addresses Amazon's threat intelligence knows for bots, scanning and attacks.
  'AWSManagedRulesAmazonIpReputationList',
  // OWASP-style protection: cross-site scripting, local file inclusion, bad paths, missing user agent …
  'AWSManagedRulesCommonRuleSet',
  // Request patterns known to exploit vulnerabilities (Log4j, Java deserialisation, …).
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/**
 * Common rule set rules set to count instead of block: SizeRestrictions_BODY blocks request bodies over 8 KB, and the
 * API takes uploads (GeoJSON, CSV) of up to 1 MB (apps/api/src/app.ts MAX_BODY_BYTES), which the API checks itself.
 */
export const COUNTED_RULES = ['SizeRestrictions_BODY'] as const;

/** How far back the rate limit counts a client's requests (WAF's default window). */
export const RATE_WINDOW_SECONDS = 300;

export interface EdgeStackProps extends StackProps {
  stage: string;
  /** Requests per client IP address in RATE_WINDOW_SECONDS before WAF blocks it (until it falls below again). */
  rateLimit: number;
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/**
 * The optional AWS WAF web ACL in front of the CloudFront distribution (waf=true): a per-IP rate limit, then AWS's
 * managed rule groups. In a stack of its own because CloudFront web ACLs live in us-east-1; the main stack reads its
 * ARN from this stack's output (Fn::GetStackOutput), so deploy this one first (`cdk deploy --all` does).
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, { description: `Safer Places (${props.stage}): AWS WAF web ACL for CloudFront`, ...props });
    const prefix = `safer-places-${props.stage}`;
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: prefix,
      description: 'Safer Places: per-IP rate limit and AWS managed rule groups, in front of CloudFront',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(prefix),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: RATE_WINDOW_SECONDS } },
          visibilityConfig: visibility(`${prefix}-rate-limit`),
        },
        ...MANAGED_RULE_GROUPS.map((name, i) => ({
          name,
          priority: i + 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name,
              ...(name === 'AWSManagedRulesCommonRuleSet' && {
                ruleActionOverrides: COUNTED_RULES.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
              }),
            },
          },
          visibilityConfig: visibility(`${prefix}-${name}`),
        })),
      ],
    });
    // The main stack (another region) reads the ARN with Fn::GetStackOutput: native CloudFormation, no custom resource
    // copying it across regions. Set here, not left to the cdk.json default.
    CrossStackReferences.of(this.webAcl).produce(ReferenceStrength.WEAK);
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn, description: 'The WAF web ACL in front of the site' });
  }
}
