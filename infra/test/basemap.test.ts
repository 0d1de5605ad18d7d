import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromEnv } from '@safer-places/api/local-server';
import { createHash } from 'node:crypto';
import { basemapUrlPath } from '../lib/basemap';
import { ConfigError, DEFAULT_MAP_STYLE_URL, readStageConfig } from '../lib/config';
import { RUNTIME_CONFIG_FILE } from '../lib/web';
import { resources, synthesise, type Synthesised } from './helpers';

const read = (ctx: Record<string, unknown>) => readStageConfig((k) => ctx[k]);

let dir: string;
let archive: string;
let withArchive: Synthesised;
const ARCHIVE_BYTES = Buffer.from('PMTiles\u0003 stand-in archive');
/** The first 10 hex digits of the stand-in's SHA-256: its key and URL name its content. */
const HASH = createHash('sha256').update(ARCHIVE_BYTES).digest('hex').slice(0, 10);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'basemap-infra-'));
  mkdirSync(join(dir, 'maps'));
  archive = join(dir, 'maps', 'nottinghamshire.pmtiles');
  writeFileSync(archive, ARCHIVE_BYTES);
  // Something else in the same folder: it must not be uploaded.
  writeFileSync(join(dir, 'maps', 'private-notes.txt'), 'not for the bucket');
  const withNag = (app: App) => Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  withArchive = synthesise({ context: { basemapPmtiles: archive, basemapAttribution: '© OpenStreetMap contributors' }, beforeSynth: withNag });
});
afterAll(() => {
  withArchive?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('base map settings from CDK context', () => {
  it('default to the same keyless public style as the local server; "none" turns it off', () => {
    expect(optionsFromEnv({}).basemap).toMatchObject({ kind: 'style', url: DEFAULT_MAP_STYLE_URL });
    expect(read({}).mapStyleUrl).toBe(DEFAULT_MAP_STYLE_URL);
    expect(read({ mapStyleUrl: 'none' }).mapStyleUrl).toBeNull();
  });

  it('take an existing .pmtiles file with a safe name, and plain-text attribution', () => {
    expect(read({ basemapPmtiles: archive })).toMatchObject({ basemapPmtiles: archive, basemapAttribution: '© OpenStreetMap contributors (ODbL)' });
    expect(() => read({ basemapPmtiles: join(dir, 'missing.pmtiles') })).toThrow(/does not exist/);
    expect(() => read({ basemapPmtiles: join(dir, 'maps', 'private-notes.txt') })).toThrow(/must end in .pmtiles/);
    expect(() => read({ basemapAttribution: '<a href="x">OSM</a>' })).toThrow(ConfigError);
  });
});

describe('a stack with a self-hosted PMTiles base map', () => {
  const ofType = (type: string) => Object.entries(resources(withArchive.template)).filter(([, r]) => r.Type === type);

  it('uploads only the archive to basemap/<content hash>/ in the site bucket, typed and cached for an hour', () => {
    const deployments = ofType('Custom::CDKBucketDeployment').map(([, d]) => d.Properties);
    expect(deployments).toHaveLength(3);
    const basemap = deployments.find((d) => d.DestinationBucketKeyPrefix === `basemap/${HASH}/`);
    expect(basemap).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=3600', 'content-type': 'application/vnd.pmtiles' } });
    // The staged asset of that folder holds the archive and nothing else from beside it.
    const staged = readdirSync(withArchive.outdir).filter((d) => d.startsWith('asset.') && existsSync(join(withArchive.outdir, d, 'nottinghamshire.pmtiles')));
    expect(staged).toHaveLength(1);
    expect(readdirSync(join(withArchive.outdir, staged[0]!))).toEqual(['nottinghamshire.pmtiles']);
  });

  it('serves /basemap/* from the bucket through CloudFront, uncompressed (range requests), with the security headers', () => {
    const distributions = ofType('AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(1);
    const cfg = distributions[0]![1].Properties.DistributionConfig as { CacheBehaviors: Record<string, unknown>[]; DefaultCacheBehavior: Record<string, unknown> };
    const behaviour = cfg.CacheBehaviors.find((b) => b.PathPattern === '/basemap/*');
    expect(behaviour).toMatchObject({ Compress: false, AllowedMethods: ['GET', 'HEAD'], ViewerProtocolPolicy: 'redirect-to-https' });
    expect(behaviour!.TargetOriginId).toBe(cfg.DefaultCacheBehavior.TargetOriginId);
    expect(behaviour!.ResponseHeadersPolicyId).toEqual(cfg.DefaultCacheBehavior.ResponseHeadersPolicyId);
  });

  it('tells the API and config.json to draw it, with its attribution', () => {
    const api = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('ApiHandler'))![1];
    expect(api.Properties.Environment.Variables).toMatchObject({
      MAP_PMTILES_URL: `/basemap/${HASH}/nottinghamshire.pmtiles`,
      MAP_PMTILES_ATTRIBUTION: '© OpenStreetMap contributors',
    });
    const configDir = readdirSync(withArchive.outdir).find((d) => existsSync(join(withArchive.outdir, d, RUNTIME_CONFIG_FILE)))!;
    const config = JSON.parse(readFileSync(join(withArchive.outdir, configDir, RUNTIME_CONFIG_FILE), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ mapStyleUrl: null, basemap: { kind: 'pmtiles', url: `/basemap/${HASH}/nottinghamshire.pmtiles`, attribution: '© OpenStreetMap contributors' } });
  });
});

describe('the archive\'s key', () => {
  it('changes with its content, so CloudFront never serves ranges of two versions under one URL', () => {
    const other = join(dir, 'other', 'nottinghamshire.pmtiles');
    mkdirSync(join(dir, 'other'), { recursive: true });
    writeFileSync(other, Buffer.from('PMTiles\u0003 stand-in archive, replaced'));
    expect(basemapUrlPath(archive)).toBe(`/basemap/${HASH}/nottinghamshire.pmtiles`);
    expect(basemapUrlPath(other)).toMatch(/^\/basemap\/[0-9a-f]{10}\/nottinghamshire\.pmtiles$/);
    expect(basemapUrlPath(other)).not.toBe(basemapUrlPath(archive));
  });
});
