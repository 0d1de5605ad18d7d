import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Size } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import type { BaseMapConfig } from '@safer-places/schemas';
import type { StageConfig } from './config';

/**
 * The self-hosted base map on AWS (docs/operations/basemap.md): the PMTiles archive named by `-c basemapPmtiles=<file>`
 * is uploaded to the site bucket under basemap/ and served by CloudFront from the site's own origin, where the
 * browser reads it with HTTP range requests (S3 and CloudFront answer them; no tile server).
 *
 * The object key holds the archive's content hash (basemap/<hash>/<file name>): CloudFront caches each byte range
 * for an hour, so a replaced archive under the same key could hand one browser ranges of two versions (a directory
 * of the new one pointing into tiles of the old). A new archive gets a new key and URL, and the old object stays
 * (prune: false) for browsers still reading it until they reload the config.
 */

/** The bucket prefix and URL path of the archive. */
export const BASEMAP_KEY_PREFIX = 'basemap/';
export const BASEMAP_PATH_PATTERN = '/basemap/*';
/** Hex digits of the archive's SHA-256 in its key. */
export const BASEMAP_HASH_LENGTH = 10;

const hashes = new Map<string, string>();

/** The first BASEMAP_HASH_LENGTH hex digits of the file's SHA-256, read in 1 MiB pieces (memoised by size and mtime). */
export function basemapContentHash(file: string): string {
  const fd = openSync(resolve(file), 'r');
  try {
    const stat = fstatSync(fd);
    const memo = `${resolve(file)}\u0000${stat.size}\u0000${stat.mtimeMs}`;
    const known = hashes.get(memo);
    if (known) return known;
    const hash = createHash('sha256');
    const buf = Buffer.alloc(1024 * 1024);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
    const hex = hash.digest('hex').slice(0, BASEMAP_HASH_LENGTH);
    hashes.set(memo, hex);
    return hex;
  } finally {
    closeSync(fd);
  }
}

/** The bucket prefix the archive goes under: basemap/<content hash>/. */
export function basemapKeyPrefix(file: string): string {
  return `${BASEMAP_KEY_PREFIX}${basemapContentHash(file)}/`;
}

/** The archive's URL path on the site (MAP_PMTILES_URL, config.json): /basemap/<content hash>/<file name>. */
export function basemapUrlPath(file: string): string {
  return `/${basemapKeyPrefix(file)}${basename(file)}`;
}

/** What GET /api/config and config.json name as the base map for this stage's settings. */
export function basemapOf(config: Pick<StageConfig, 'mapStyleUrl' | 'basemapPmtiles' | 'basemapAttribution'>): BaseMapConfig {
  if (config.basemapPmtiles) return { kind: 'pmtiles', url: basemapUrlPath(config.basemapPmtiles), attribution: config.basemapAttribution };
  return config.mapStyleUrl ? { kind: 'style', url: config.mapStyleUrl } : { kind: 'none' };
}

/**
 * Copies the archive into the site bucket. The deployment's Lambda gets room for a county- or region-sized archive
 * (it unpacks the asset in /tmp): 2 GiB of memory, 10 GiB of ephemeral storage. Cached at the edge for an hour, which
 * is safe because the key names the content (basemapKeyPrefix): a changed archive is a new object, never new bytes
 * under a key already cached.
 */
export function deployBasemap(
  scope: Construct,
  props: { file: string; bucket: IBucket; role: IRole; logGroup: ILogGroup; recorded: (source: ISource) => ISource },
): BucketDeployment {
  return new BucketDeployment(scope, 'DeployBasemap', {
    // Only the archive from its folder (whatever else lies beside it stays on the machine).
    sources: [props.recorded(Source.asset(dirname(props.file), { exclude: ['*', `!${basename(props.file)}`] }))],
    destinationBucket: props.bucket,
    destinationKeyPrefix: basemapKeyPrefix(props.file),
    contentType: 'application/vnd.pmtiles',
    cacheControl: [CacheControl.fromString('public, max-age=3600')],
    prune: false,
    role: props.role,
    logGroup: props.logGroup,
    outputObjectKeys: false,
    memoryLimit: 2048,
    ephemeralStorageSize: Size.gibibytes(10),
  });
}
