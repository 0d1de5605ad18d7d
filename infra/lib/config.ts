import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
/**
 * Deployment settings, read from CDK context: `-c stage=prod -c force=nottinghamshire -c districts=E07000174,E07000170`
 * on the command line, or the "context" block of cdk.json. Checked up front so a typo fails `cdk synth` with a clear
 * message instead of deploying something half-configured.
 */
export type Stage = 'dev' | 'prod';

export interface StageConfig {
  stage: Stage;
  /** AWS region of the whole stack (CloudFront is global). Default eu-west-2 (London). */
  region: string;
  /** police.uk force id for the scheduled monthly import; with `districts`, or neither (no scheduled import). */
  force: string | null;
  /** LAD 2024 district codes the scheduled import fetches. */
  districts: string[];
  /**
   * Every force the import runs over, each with its districts: `force` and `districts` as one entry, plus those of
   * `nationalForces` (JSON: {"<force id>": ["<LAD>", …], …}). The national import (Step Functions) runs one importer
   * invocation per entry, in parallel; no district may sit under two forces (each force replaces its districts' data).
   */
  importForces: { force: string; districts: string[] }[];
  /** How many forces the national import runs at once (its Map state's MaxConcurrency), 1-40; default 4. */
  importConcurrency: number;
  /** Dataset the scheduled import writes (default "open-data", as `npm run import`). */
  importDataset: string | null;
  /** Where alarm notifications go (an SNS e-mail subscription you confirm once); none by default. */
  alarmEmail: string | null;
  /**
   * Base map style for the web app (served in /config.json and by /api/config): default DEFAULT_MAP_STYLE_URL, a
   * keyless public style; `-c mapStyleUrl=none` for none (the app's offline map and context layer only).
   */
  mapStyleUrl: string | null;
  /**
   * A PMTiles base map (Protomaps schema) on the deploying machine, e.g. from `npm run fetch-basemap`: uploaded to the
   * site bucket under /basemap/ and served by CloudFront with range requests; when set it is drawn instead of the style.
   */
  basemapPmtiles: string | null;
  /** What the map's attribution shows for that archive (plain text); default OpenStreetMap's. */
  basemapAttribution: string;
  /** Extra https origins the browser may fetch from (map tiles, glyphs, sprites named by the style). */
  cspConnectSrc: string[];
  /** Reserved concurrency for the API function; none by default (new accounts cannot reserve any). */
  apiReservedConcurrency: number | null;
  /** HTTP API throttling for every route (requests per second, burst). */
  apiRateLimit: number;
  apiBurstLimit: number;
  /**
   * The prefix of the Cognito managed login domain, https://<prefix>.auth.<region>.amazoncognito.com. Default (null):
   * safer-places-<stage>-<12 characters unique to the stack>, set at deploy time.
   */
  signInDomainPrefix: string | null;
  /** Further addresses the site is served at (a custom domain): also allowed as sign-in callback and sign-out URLs. */
  extraSiteUrls: string[];
  /**
   * A custom domain for the site, e.g. maps.example.gov.uk: served by CloudFront with `certificateArn` and TLS 1.2 or
   * later, allowed as sign-in callback and sign-out URL, and Cognito's e-mails sent through Amazon SES from it.
   */
  domainName: string | null;
  /** An issued ACM certificate in us-east-1 (CloudFront's region for certificates) covering `domainName`. */
  certificateArn: string | null;
  /** The address Cognito's e-mails come from through SES when a domain is set (default no-reply@<domainName>). */
  emailFrom: string | null;
  /** AWS WAF in front of CloudFront: AWS managed rule groups and a per-IP rate limit (a us-east-1 stack of its own). */
  waf: boolean;
  /** The WAF rate limit: requests per client IP address in any 5 minutes before it is blocked. */
  wafRateLimit: number;
  /**
   * Reserve concurrency 1 for the importer (at most one run at a time, enforced by Lambda as well as by the import
   * lock). Off by default: a new account with the minimum concurrency quota cannot reserve any.
   */
  importerReservedConcurrency: boolean;
  /** The API p95 latency (ms, over 5 minutes) that raises the ApiLatencyP95 alarm. */
  apiLatencyP95AlarmMs: number;
  /** Concurrent executions of the API function that raise the ApiConcurrency alarm (default 80 % of the reserved concurrency, or 100). */
  apiConcurrencyAlarm: number;
}

export const DEFAULT_REGION = 'eu-west-2';
/** OpenFreeMap's Liberty style: no key, no registration (as apps/api/src/basemap/config.ts, checked by a test). */
export const DEFAULT_MAP_STYLE_URL = 'https://tiles.openfreemap.org/styles/liberty';
export const DEFAULT_BASEMAP_ATTRIBUTION = '© OpenStreetMap contributors (ODbL)';
/** A base map archive's file name: it becomes the path /basemap/<name> on the site. */
const BASEMAP_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.pmtiles$/;

/** Same rules as `npm run fetch-data` (packages/importer/src/fetch/args.ts). */
const FORCE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LAD = /^(E0[6-9]|W06)\d{6}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATASET = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Cognito's rule for a prefix domain: lower-case letters, digits and hyphens, at most 63, not starting or ending with '-'. */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Words Cognito refuses in a prefix domain. */
const RESERVED_IN_PREFIX = ['aws', 'amazon', 'cognito'];
/** A DNS name of two labels or more, lower case (CloudFront alternate domain names). */
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** CloudFront takes certificates from ACM in us-east-1 only. */
const CLOUDFRONT_CERTIFICATE_ARN = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;

/**
 * The national import's default parallelism: police.uk asks for at most 15 requests a second per client, and each
 * force's download paces itself to that (packages/importer/src/fetch/run.ts); a few forces at once keep the total near
 * it (its 429 answers are retried with back-off) while a 43-force run still ends within the hour or two.
 */
export const DEFAULT_IMPORT_CONCURRENCY = 4;
/** An inline Map runs at most 40 iterations at once, whatever MaxConcurrency says. */
export const MAX_IMPORT_CONCURRENCY = 40;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Get = (key: string) => unknown;

function text(get: Get, key: string): string | null {
  const v = get(key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' && typeof v !== 'number') throw new ConfigError(`context ${key} must be a string, got ${JSON.stringify(v)}`);
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** A list given as "a,b" on the command line or ["a","b"] in cdk.json. */
function list(get: Get, key: string): string[] {
  const v = get(key);
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : null;
  if (!items) throw new ConfigError(`context ${key} must be a comma-separated list, got ${JSON.stringify(v)}`);
  return items.map((s) => s.trim()).filter(Boolean);
}

function int(get: Get, key: string, fallback: number | null, min: number, max: number): number | null {
  const t = text(get, key);
  if (t === null) return fallback;
  const n = Number(t);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`context ${key} must be a whole number from ${min} to ${max}, got '${t}'`);
  return n;
}

function bool(get: Get, key: string, fallback: boolean): boolean {
  const v = get(key);
  if (v === undefined || v === null || v === '') return fallback;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new ConfigError(`context ${key} must be true or false, got ${JSON.stringify(v)}`);
}

function httpsUrl(value: string, key: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`context ${key} '${value}' is not a URL`);
  }
  if (url.protocol !== 'https:') throw new ConfigError(`context ${key} '${value}' must be an https:// URL`);
  return url;
}

/** `force` + `districts` and the `nationalForces` table as one list, checked: ids, codes, no district under two forces. */
function forceTable(get: Get, force: string | null, districts: string[]): { force: string; districts: string[] }[] {
  const raw = get('nationalForces');
  let table: unknown = raw ?? {};
  if (typeof raw === 'string') {
    try {
      table = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      throw new ConfigError(`context nationalForces must be JSON such as {"nottinghamshire":["E07000174"]}, got '${raw}'`);
    }
  }
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw new ConfigError(`context nationalForces must be an object of force id → district codes, e.g. {"nottinghamshire":["E07000174"]}, got ${JSON.stringify(raw)}`);
  }
  const entries: { force: string; districts: string[] }[] = force ? [{ force, districts }] : [];
  for (const [id, value] of Object.entries(table)) {
    const f = id.trim().toLowerCase();
    if (!FORCE.test(f)) throw new ConfigError(`context nationalForces: '${id}' is not a police.uk force id (lower-case words joined by '-', e.g. west-yorkshire)`);
    const codes = [...new Set(list(() => value, `nationalForces.${f}`).map((d) => d.toUpperCase()))];
    if (codes.length === 0) throw new ConfigError(`context nationalForces: force '${f}' lists no districts`);
    const bad = codes.filter((d) => !LAD.test(d));
    if (bad.length > 0) throw new ConfigError(`context nationalForces.${f}: ${bad.join(', ')} not LAD 2024 district code(s)`);
    const same = entries.find((e) => e.force === f);
    if (same) {
      if ([...same.districts].sort().join() !== [...codes].sort().join()) {
        throw new ConfigError(`context nationalForces lists '${f}' with other districts than context force/districts: give them once`);
      }
      continue;
    }
    entries.push({ force: f, districts: codes });
  }
  // Each force replaces its own districts' crimes: a district under two forces would be overwritten by both.
  const owner = new Map<string, string>();
  for (const e of entries) {
    for (const d of e.districts) {
      const other = owner.get(d);
      if (other) throw new ConfigError(`context: district ${d} is listed under both '${other}' and '${e.force}'; a district belongs to one police force area`);
      owner.set(d, e.force);
    }
  }
  return entries;
}

export function readStageConfig(get: Get): StageConfig {
  const stage = text(get, 'stage') ?? 'dev';
  if (stage !== 'dev' && stage !== 'prod') throw new ConfigError(`context stage must be dev or prod, got '${stage}'`);

  const region = text(get, 'region') ?? DEFAULT_REGION;
  if (!REGION.test(region)) throw new ConfigError(`context region '${region}' is not an AWS region such as eu-west-2`);

  const forceText = text(get, 'force');
  const force = forceText?.toLowerCase() ?? null;
  if (force !== null && !FORCE.test(force)) {
    throw new ConfigError(`context force '${forceText}' is not a police.uk force id (lower-case words joined by '-', e.g. west-yorkshire)`);
  }
  const districts = [...new Set(list(get, 'districts').map((d) => d.toUpperCase()))];
  const bad = districts.filter((d) => !LAD.test(d));
  if (bad.length > 0) {
    throw new ConfigError(`context districts: ${bad.join(', ')} not LAD 2024 district code(s) (E06/E07/E08/E09/W06 and 6 digits, e.g. E07000174)`);
  }
  if ((force === null) !== (districts.length === 0)) {
    throw new ConfigError('context force and districts go together: set both for the monthly import (e.g. -c force=nottinghamshire -c districts=E07000174), or neither');
  }

  const importForces = forceTable(get, force, districts);
  const importConcurrency = int(get, 'importConcurrency', DEFAULT_IMPORT_CONCURRENCY, 1, MAX_IMPORT_CONCURRENCY)!;

  const importDataset = text(get, 'importDataset');
  if (importDataset !== null && !DATASET.test(importDataset)) {
    throw new ConfigError(`context importDataset '${importDataset}' must be lower-case letters, digits and hyphens (at most 64)`);
  }

  const alarmEmail = text(get, 'alarmEmail');
  if (alarmEmail !== null && !EMAIL.test(alarmEmail)) throw new ConfigError(`context alarmEmail '${alarmEmail}' is not an e-mail address`);

  const mapStyleText = text(get, 'mapStyleUrl') ?? DEFAULT_MAP_STYLE_URL;
  const mapStyleUrl = mapStyleText.toLowerCase() === 'none' ? null : mapStyleText;
  if (mapStyleUrl !== null) httpsUrl(mapStyleUrl, 'mapStyleUrl');
  const basemapPmtiles = text(get, 'basemapPmtiles');
  if (basemapPmtiles !== null) {
    if (!BASEMAP_FILE.test(basename(basemapPmtiles))) {
      throw new ConfigError(`context basemapPmtiles '${basemapPmtiles}': the file name must end in .pmtiles and hold only letters, digits, '.', '-' and '_'`);
    }
    if (!existsSync(basemapPmtiles)) throw new ConfigError(`context basemapPmtiles '${basemapPmtiles}' does not exist (download an extract with npm run fetch-basemap)`);
  }
  const basemapAttribution = text(get, 'basemapAttribution') ?? DEFAULT_BASEMAP_ATTRIBUTION;
  if (/[<>]/.test(basemapAttribution) || basemapAttribution.length > 300) throw new ConfigError('context basemapAttribution must be plain text (no < or >), at most 300 characters');
  const cspConnectSrc = list(get, 'cspConnectSrc').map((o) => httpsUrl(o, 'cspConnectSrc').origin);

  const signInDomainPrefix = text(get, 'signInDomainPrefix');
  if (signInDomainPrefix !== null) {
    if (!DOMAIN_PREFIX.test(signInDomainPrefix)) {
      throw new ConfigError(
        `context signInDomainPrefix '${signInDomainPrefix}' must be lower-case letters, digits and hyphens (at most 63, not starting or ending with a hyphen)`,
      );
    }
    const reserved = RESERVED_IN_PREFIX.find((w) => signInDomainPrefix.includes(w));
    if (reserved) throw new ConfigError(`context signInDomainPrefix '${signInDomainPrefix}' must not contain '${reserved}' (Cognito refuses aws, amazon and cognito)`);
  }
  const domainText = text(get, 'domainName');
  const domainName = domainText?.toLowerCase().replace(/\.$/, '') ?? null;
  if (domainName !== null && !DOMAIN_NAME.test(domainName)) throw new ConfigError(`context domainName '${domainText}' is not a domain name such as maps.example.gov.uk`);
  const certificateArn = text(get, 'certificateArn');
  if ((domainName === null) !== (certificateArn === null)) {
    throw new ConfigError('context domainName and certificateArn go together: a custom domain needs an issued ACM certificate for it in us-east-1, or set neither');
  }
  if (certificateArn !== null && !CLOUDFRONT_CERTIFICATE_ARN.test(certificateArn)) {
    throw new ConfigError(`context certificateArn '${certificateArn}' must be an ACM certificate in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>), the only region CloudFront takes certificates from`);
  }
  const emailFromText = text(get, 'emailFrom');
  if (emailFromText !== null && domainName === null) throw new ConfigError('context emailFrom needs domainName: Cognito sends through SES only for a custom domain');
  if (emailFromText !== null && !EMAIL.test(emailFromText)) throw new ConfigError(`context emailFrom '${emailFromText}' is not an e-mail address`);
  const emailFrom = emailFromText ?? (domainName ? `no-reply@${domainName}` : null);

  // The web app's redirect URI is its origin + '/', so each extra address is kept as exactly that; the custom domain is one.
  const extraSiteUrls = [
    ...new Set([...(domainName ? [`https://${domainName}`] : []), ...list(get, 'extraSiteUrls')].map((u) => `${httpsUrl(u, 'extraSiteUrls').origin}/`)),
  ];

  const apiRateLimit = int(get, 'apiRateLimit', 50, 1, 10_000)!;
  const apiBurstLimit = int(get, 'apiBurstLimit', 100, 1, 5_000)!;
  const apiReservedConcurrency = int(get, 'apiReservedConcurrency', null, 1, 1000);
  return {
    stage,
    region,
    force,
    districts,
    importForces,
    importConcurrency,
    importDataset,
    alarmEmail,
    mapStyleUrl,
    basemapPmtiles: basemapPmtiles === null ? null : resolve(basemapPmtiles),
    basemapAttribution,
    cspConnectSrc,
    apiReservedConcurrency,
    apiRateLimit,
    apiBurstLimit,
    signInDomainPrefix,
    extraSiteUrls,
    domainName,
    certificateArn,
    emailFrom,
    waf: bool(get, 'waf', false),
    // WAF's limits for a rate-based rule: 10 to 2,000,000,000 requests per evaluation window.
    wafRateLimit: int(get, 'wafRateLimit', 3000, 10, 2_000_000_000)!,
    importerReservedConcurrency: bool(get, 'importerReservedConcurrency', false),
    apiLatencyP95AlarmMs: int(get, 'apiLatencyP95AlarmMs', 3000, 100, 30_000)!,
    apiConcurrencyAlarm: int(get, 'apiConcurrencyAlarm', apiReservedConcurrency !== null ? Math.max(1, Math.ceil(apiReservedConcurrency * 0.8)) : 100, 1, 10_000)!,
  };
}
