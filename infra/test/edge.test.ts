/**
 * The edge options, synthesised as `cdk synth` would with cdk-nag on: WAF (a us-east-1 stack of its own) and a custom
 * domain (certificate, TLS 1.2, SES for Cognito's e-mails), each on and off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTED_RULES, EDGE_REGION, MANAGED_RULE_GROUPS, RATE_WINDOW_SECONDS } from '../lib/edge';
import { resources, synthesise, type Synthesised } from './helpers';

const DOMAIN = 'maps.example.gov.uk';
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0b7a3c1e-5f4d-4e8a-9c2b-1d6e8f0a2b3c';
const withNag = (app: App) => Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

let wafAndDomain: Synthesised;
let domainOnly: Synthesised;
let wafOnly: Synthesised;
beforeAll(() => {
  wafAndDomain = synthesise({ context: { stage: 'prod', waf: 'true', wafRateLimit: '1200', domainName: DOMAIN, certificateArn: CERTIFICATE }, beforeSynth: withNag });
  domainOnly = synthesise({ context: { domainName: DOMAIN, certificateArn: CERTIFICATE, emailFrom: 'safer-places@notts.example.gov.uk' }, beforeSynth: withNag });
  wafOnly = synthesise({ context: { waf: 'true' }, beforeSynth: withNag });
});
afterAll(() => {
  for (const s of [wafAndDomain, domainOnly, wafOnly]) s?.cleanup();
});

const distribution = (s: Synthesised) => Object.values(resources(s.template)).find((r) => r.Type === 'AWS::CloudFront::Distribution')!.Properties.DistributionConfig;
const ofType = (s: Synthesised, type: string) => Object.values(resources(s.template)).filter((r) => r.Type === type);
const acknowledged = (app: App) =>
  app.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data as object)))
    .map((id) => id.replace(/^annotation::/i, ''));

describe('cdk-nag with the edge options', () => {
  it.each([
    ['WAF and a custom domain', () => wafAndDomain],
    ['a custom domain only', () => domainOnly],
    ['WAF only', () => wafOnly],
  ])('reports nothing unacknowledged (%s), in every stack', (_name, get) => {
    const { app, outdir } = get();
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect((JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] }).pluginReports).toEqual([]);
  });

  it('needs no acknowledgement for WAF (CFR2) or TLS (CFR4) once they are there', () => {
    expect(acknowledged(wafAndDomain.app)).not.toContain('AwsSolutions-CFR2');
    expect(acknowledged(wafAndDomain.app)).not.toContain('AwsSolutions-CFR4');
    expect(acknowledged(domainOnly.app)).toContain('AwsSolutions-CFR2');
    expect(acknowledged(domainOnly.app)).not.toContain('AwsSolutions-CFR4');
    expect(acknowledged(wafOnly.app)).not.toContain('AwsSolutions-CFR2');
    expect(acknowledged(wafOnly.app)).toContain('AwsSolutions-CFR4');
  });
});

describe('AWS WAF', () => {
  it('is a web ACL for CloudFront in a us-east-1 stack: a per-IP rate limit, then AWS managed rule groups', () => {
    const edge = wafAndDomain.edge!;
    expect(edge.stack.stackName).toBe('SaferPlaces-prod-edge');
    expect(edge.stack.region).toBe(EDGE_REGION);
    const [acl] = Object.values(resources(edge.template)).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
    expect(acl!.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} }, VisibilityConfig: { CloudWatchMetricsEnabled: true } });
    const rules = acl!.Properties.Rules as any[];
    expect(rules[0]).toMatchObject({
      Name: 'RateLimitPerIp',
      Priority: 0,
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: 1200, AggregateKeyType: 'IP', EvaluationWindowSec: RATE_WINDOW_SECONDS } },
    });
    expect(rules.slice(1).map((r) => r.Statement.ManagedRuleGroupStatement.Name)).toEqual([...MANAGED_RULE_GROUPS]);
    for (const r of rules.slice(1)) expect(r).toMatchObject({ OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS' } } });
    // Uploads of up to 1 MB must get through the common rule set's 8 KB body limit (the API checks sizes itself).
    const common = rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual(COUNTED_RULES.map((Name) => ({ Name, ActionToUse: { Count: {} } })));
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
  });

  it("guards the distribution: its web ACL id is the edge stack's output, read across regions by CloudFormation itself", () => {
    const edge = wafAndDomain.edge!;
    const webAclId = distribution(wafAndDomain).WebACLId;
    expect(webAclId).toEqual({ 'Fn::GetStackOutput': { StackName: 'SaferPlaces-prod-edge', Region: EDGE_REGION, OutputName: expect.any(String) } });
    const [aclId] = Object.entries(resources(edge.template)).find(([, r]) => r.Type === 'AWS::WAFv2::WebACL')!;
    const outputs = (edge.template.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(outputs[webAclId['Fn::GetStackOutput'].OutputName]!.Value).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    // No custom resource or SSM parameter copies it over.
    for (const s of [wafAndDomain, wafOnly]) expect(Object.values(resources(s.template)).filter((r) => r.Type.startsWith('Custom::CrossRegion'))).toEqual([]);
    expect(wafAndDomain.stack.dependencies.map((d) => d.stackName)).toEqual(['SaferPlaces-prod-edge']);
    expect(distribution(wafOnly).WebACLId).toBeDefined();
    // Without WAF there is no edge stack.
    expect(domainOnly.edge).toBeNull();
    expect(distribution(domainOnly).WebACLId).toBeUndefined();
  });
});

describe('custom domain', () => {
  it('serves the domain with its ACM certificate, SNI only, TLS 1.2 (2021 ciphers) at least', () => {
    for (const s of [wafAndDomain, domainOnly]) {
      const cfg = distribution(s);
      expect(cfg.Aliases).toEqual([DOMAIN]);
      expect(cfg.ViewerCertificate).toEqual({ AcmCertificateArn: CERTIFICATE, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    }
    expect(distribution(wafOnly).Aliases).toBeUndefined();
    expect(distribution(wafOnly).ViewerCertificate).toBeUndefined();
  });

  it('is the site URL and a sign-in callback next to the CloudFront address', () => {
    const outputs = (domainOnly.template.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(outputs.SiteUrl!.Value).toBe(`https://${DOMAIN}`);
    const [client] = ofType(domainOnly, 'AWS::Cognito::UserPoolClient');
    expect(client!.Properties.CallbackURLs).toHaveLength(2);
    expect(client!.Properties.CallbackURLs[1]).toBe(`https://${DOMAIN}/`);
    expect(JSON.stringify(client!.Properties.CallbackURLs[0])).toContain('DomainName');
  });

  it("sends Cognito's e-mails through SES from the domain (or the address given), and through Cognito without one", () => {
    const [prodPool] = ofType(wafAndDomain, 'AWS::Cognito::UserPool');
    expect(prodPool!.Properties.EmailConfiguration).toMatchObject({ EmailSendingAccount: 'DEVELOPER', From: `Safer Places <no-reply@${DOMAIN}>` });
    expect(JSON.stringify(prodPool!.Properties.EmailConfiguration.SourceArn)).toContain(`:identity/${DOMAIN}`);
    const [pool] = ofType(domainOnly, 'AWS::Cognito::UserPool');
    expect(pool!.Properties.EmailConfiguration).toMatchObject({ From: 'Safer Places <safer-places@notts.example.gov.uk>' });
    expect(JSON.stringify(pool!.Properties.EmailConfiguration.SourceArn)).toContain(':identity/notts.example.gov.uk');
    const [plain] = ofType(wafOnly, 'AWS::Cognito::UserPool');
    expect(plain!.Properties.EmailConfiguration?.EmailSendingAccount ?? 'COGNITO_DEFAULT').toBe('COGNITO_DEFAULT');
  });
});
