import { describe, expect, it } from 'vitest';
import { ConfigError, readStageConfig } from '../lib/config';
import { contentSecurityPolicy } from '../lib/web';

const read = (ctx: Record<string, unknown>) => readStageConfig((k) => ctx[k]);

describe('stage configuration from CDK context', () => {
  it('defaults to a dev stage in London with no scheduled import', () => {
    expect(read({})).toEqual({
      stage: 'dev',
      region: 'eu-west-2',
      force: null,
      districts: [],
      importForces: [],
      importConcurrency: 4,
      importDataset: null,
      alarmEmail: null,
      mapStyleUrl: 'https://tiles.openfreemap.org/styles/liberty',
      basemapPmtiles: null,
      basemapAttribution: '© OpenStreetMap contributors (ODbL)',
      cspConnectSrc: [],
      apiReservedConcurrency: null,
      apiRateLimit: 50,
      apiBurstLimit: 100,
      signInDomainPrefix: null,
      extraSiteUrls: [],
      domainName: null,
      certificateArn: null,
      emailFrom: null,
      waf: false,
      wafRateLimit: 3000,
      importerReservedConcurrency: false,
      apiLatencyP95AlarmMs: 3000,
      apiConcurrencyAlarm: 100,
    });
  });

  it('takes a custom domain with its us-east-1 certificate: a callback URL, and e-mail from it through SES', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0b7a3c1e-5f4d-4e8a-9c2b-1d6e8f0a2b3c';
    expect(read({ domainName: 'Maps.Example.gov.uk.', certificateArn, extraSiteUrls: 'https://maps.example.gov.uk/x,https://other.example.org' })).toMatchObject({
      domainName: 'maps.example.gov.uk',
      certificateArn,
      emailFrom: 'no-reply@maps.example.gov.uk',
      extraSiteUrls: ['https://maps.example.gov.uk/', 'https://other.example.org/'],
    });
    expect(read({ domainName: 'maps.example.gov.uk', certificateArn, emailFrom: 'csp@notts.example.gov.uk' }).emailFrom).toBe('csp@notts.example.gov.uk');
  });

  it('reads WAF, the importer reservation and the alarm thresholds; the concurrency alarm follows the reservation', () => {
    expect(read({ waf: 'true', wafRateLimit: '1200', importerReservedConcurrency: true, apiLatencyP95AlarmMs: '2000' })).toMatchObject({
      waf: true,
      wafRateLimit: 1200,
      importerReservedConcurrency: true,
      apiLatencyP95AlarmMs: 2000,
    });
    expect(read({ waf: false }).waf).toBe(false);
    expect(read({ apiReservedConcurrency: '20' }).apiConcurrencyAlarm).toBe(16);
    expect(read({ apiReservedConcurrency: '20', apiConcurrencyAlarm: '19' }).apiConcurrencyAlarm).toBe(19);
  });

  it('takes a sign-in domain prefix and extra site addresses, kept as the origin with a trailing slash', () => {
    expect(read({ signInDomainPrefix: 'notts-csp-maps', extraSiteUrls: 'https://maps.example.gov.uk, https://maps.example.gov.uk/login?x=1' })).toMatchObject({
      signInDomainPrefix: 'notts-csp-maps',
      extraSiteUrls: ['https://maps.example.gov.uk/'],
    });
  });

  it('reads -c values (strings) and cdk.json values (lists, numbers) alike', () => {
    const fromCli = read({ stage: 'prod', region: 'eu-west-1', force: 'Nottinghamshire', districts: 'e07000174, E07000170,E07000174', apiReservedConcurrency: '20' });
    const fromJson = read({ stage: 'prod', region: 'eu-west-1', force: 'nottinghamshire', districts: ['E07000174', 'E07000170'], apiReservedConcurrency: 20 });
    expect(fromCli).toEqual(fromJson);
    expect(fromCli).toMatchObject({ stage: 'prod', force: 'nottinghamshire', districts: ['E07000174', 'E07000170'], apiReservedConcurrency: 20 });
  });

  it.each([
    [{ stage: 'staging' }, /stage must be dev or prod/],
    [{ region: 'London' }, /not an AWS region/],
    [{ force: 'Nottinghamshire Police', districts: 'E07000174' }, /not a police.uk force id/],
    [{ force: 'nottinghamshire', districts: 'E07000174,Mansfield' }, /MANSFIELD not LAD 2024/],
    [{ force: 'nottinghamshire' }, /force and districts go together/],
    [{ districts: 'E07000174' }, /force and districts go together/],
    [{ alarmEmail: 'not-an-address' }, /not an e-mail address/],
    [{ mapStyleUrl: 'http://tiles.example.org/style.json' }, /must be an https:\/\/ URL/],
    [{ cspConnectSrc: 'https://a.example.org,ftp://b.example.org' }, /must be an https:\/\/ URL/],
    [{ apiReservedConcurrency: '0' }, /whole number from 1/],
    [{ apiRateLimit: 'fast' }, /whole number/],
    [{ importDataset: 'Open Data' }, /lower-case letters/],
    [{ signInDomainPrefix: 'Notts-CSP' }, /signInDomainPrefix 'Notts-CSP' must be lower-case letters, digits and hyphens/],
    [{ signInDomainPrefix: '-notts' }, /not starting or ending with a hyphen/],
    [{ signInDomainPrefix: 'notts_csp' }, /lower-case letters, digits and hyphens/],
    [{ signInDomainPrefix: 'x'.repeat(64) }, /at most 63/],
    [{ signInDomainPrefix: 'notts-aws-maps' }, /must not contain 'aws'/],
    [{ signInDomainPrefix: 'amazonmaps' }, /must not contain 'amazon'/],
    [{ signInDomainPrefix: 'my-cognito' }, /must not contain 'cognito'/],
    [{ extraSiteUrls: 'http://maps.example.gov.uk' }, /extraSiteUrls .* must be an https:\/\/ URL/],
    [{ domainName: 'maps.example.gov.uk' }, /domainName and certificateArn go together/],
    [{ certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b7a3c1e-5f4d-4e8a-9c2b-1d6e8f0a2b3c' }, /domainName and certificateArn go together/],
    [{ domainName: 'https://maps.example.gov.uk', certificateArn: 'x' }, /not a domain name/],
    [{ domainName: 'maps.example.gov.uk', certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/0b7a3c1e-5f4d-4e8a-9c2b-1d6e8f0a2b3c' }, /must be an ACM certificate in us-east-1/],
    [{ emailFrom: 'csp@example.gov.uk' }, /emailFrom needs domainName/],
    [{ waf: 'yes' }, /waf must be true or false/],
    [{ nationalForces: '{nottinghamshire: E07000174}' }, /nationalForces must be JSON/],
    [{ nationalForces: '["nottinghamshire"]' }, /nationalForces must be an object of force id/],
    [{ nationalForces: { 'Derbyshire Police': ['E07000032'] } }, /'Derbyshire Police' is not a police.uk force id/],
    [{ nationalForces: { derbyshire: [] } }, /force 'derbyshire' lists no districts/],
    [{ nationalForces: { derbyshire: 'E07000032,Amber Valley' } }, /nationalForces.derbyshire: AMBER VALLEY not LAD 2024/],
    [{ nationalForces: { derbyshire: ['E07000032', 'E07000174'], nottinghamshire: ['E07000174'] } }, /district E07000174 is listed under both 'derbyshire' and 'nottinghamshire'/],
    [{ force: 'nottinghamshire', districts: 'E07000174', nationalForces: { nottinghamshire: ['E07000170'] } }, /lists 'nottinghamshire' with other districts/],
    [{ importConcurrency: '41' }, /importConcurrency must be a whole number from 1 to 40/],
    [{ importConcurrency: '0' }, /importConcurrency must be a whole number from 1 to 40/],
    [{ wafRateLimit: '5' }, /wafRateLimit must be a whole number from 10/],
  ])('rejects %j with a clear message', (ctx, message) => {
    expect(() => read(ctx)).toThrow(ConfigError);
    expect(() => read(ctx)).toThrow(message);
  });

  it('runs the import over force + districts and the national table, from -c JSON or cdk.json alike', () => {
    expect(read({ force: 'nottinghamshire', districts: 'E07000174' }).importForces).toEqual([{ force: 'nottinghamshire', districts: ['E07000174'] }]);
    const table = { derbyshire: ['e07000032', 'E07000033'], 'West-Yorkshire': 'E08000032,E08000033' };
    const fromJson = read({ force: 'nottinghamshire', districts: 'E07000174', nationalForces: table, importConcurrency: 10 });
    const fromCli = read({ force: 'nottinghamshire', districts: 'E07000174', nationalForces: JSON.stringify(table), importConcurrency: '10' });
    expect(fromCli).toEqual(fromJson);
    expect(fromJson.importForces).toEqual([
      { force: 'nottinghamshire', districts: ['E07000174'] },
      { force: 'derbyshire', districts: ['E07000032', 'E07000033'] },
      { force: 'west-yorkshire', districts: ['E08000032', 'E08000033'] },
    ]);
    expect(fromJson.importConcurrency).toBe(10);
    // The configured force may be repeated in the table with the same districts; a national table alone is enough.
    expect(read({ force: 'nottinghamshire', districts: 'E07000174', nationalForces: { nottinghamshire: ['E07000174'] } }).importForces).toHaveLength(1);
    expect(read({ nationalForces: { derbyshire: ['E07000032'] } })).toMatchObject({ force: null, importForces: [{ force: 'derbyshire', districts: ['E07000032'] }] });
  });

  it('lets the browser reach the map hosts it is given, and nothing else but the Cognito sign-in domain and itself', () => {
    const config = read({ mapStyleUrl: 'https://tiles.example.org/styles/basic.json', cspConnectSrc: 'https://fonts.example.net/glyphs/' });
    const csp = contentSecurityPolicy('https://notts-maps.auth.eu-west-2.amazoncognito.com', config);
    const connect = csp.split('; ').find((d) => d.startsWith('connect-src'));
    expect(connect).toBe("connect-src 'self' https://notts-maps.auth.eu-west-2.amazoncognito.com https://tiles.example.org https://fonts.example.net");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval|\*/);
  });
});
