import { isAbsolute, join, resolve } from 'node:path';
import { addMonths, monthRange } from '@safer-places/schemas';
import type { AreaGeometry, BBox, Feature } from '@safer-places/schemas';
import { buildStudyArea } from './area';
import type { FetchArgs } from './args';
import { fetchMonthCrimes, type MonthCrimesOptions } from './crimes';
import {
  BOUNDARIES_FILE,
  LOOKUP_FILE,
  boundariesGeoJson,
  crimeToStreetRow,
  lookupCsv,
  streetCsv,
  streetCsvName,
  writeFileAtomic,
  type BoundaryProperties,
} from './files';
import { HttpClient, type HttpClientOptions } from './http';
import { DEFAULT_ONS_API, OnsApi, type OnsApiOptions } from './ons-api';
import { DEFAULT_POLICE_API, LookupError, PoliceApi } from './police-api';
import { TokenBucket } from './token-bucket';

export interface FetchIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: Record<string, string | undefined>;
  /** Folder that relative paths are resolved against (where the user ran npm). */
  cwd: string;
}

export interface FetchSettings {
  args: FetchArgs;
  /** Overrides for both HTTP clients (tests shorten back-off and timeouts). */
  http?: Partial<HttpClientOptions>;
  ons?: OnsApiOptions;
  crimes?: MonthCrimesOptions;
  /** Months downloaded at once after the first (the first month finds the tiling the others reuse). */
  monthConcurrency?: number;
}

export interface FetchResult {
  outDir: string;
  forceName: string;
  months: string[];
  /** Every file written, boundaries and lookup first, then one CSV per month. */
  files: string[];
  crimeFiles: string[];
  crimeCount: number;
  crimesPerMonth: Record<string, number>;
  lsoaCount: number;
  policeRequests: number;
  onsRequests: number;
  warnings: string[];
}

export const USER_AGENT = 'safer-places-fetch-data/0.1 (+Community Safety Partnership open-data tool)';

export const ATTRIBUTION = [
  'Sources and licences of the files in this folder',
  '',
  '*-street.csv: police.uk street-level crime, downloaded from the police.uk API (https://data.police.uk/api).',
  '  Contains public sector information licensed under the Open Government Licence v3.0.',
  '  Locations are anonymised snap points, never exact addresses. LSOA code and LSOA name are blank:',
  '  the API does not give them; the importer places each crime in an LSOA by its coordinates.',
  '',
  `${BOUNDARIES_FILE}: Lower layer Super Output Areas (December 2021) Boundaries EW BSC V4,`,
  `${LOOKUP_FILE}: LSOA (2021) to Electoral Ward (2024) to LAD (2024) best-fit lookup,`,
  '  both from the ONS Open Geography Portal (https://geoportal.statistics.gov.uk).',
  '  Source: Office for National Statistics licensed under the Open Government Licence v3.0.',
  '  Contains OS data © Crown copyright and database right.',
  '',
  'Open Government Licence v3.0: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
  '',
].join('\n');

const fmt = (n: number) => n.toLocaleString('en-GB');

/** "2022-01 to 2022-09, 2025-11" */
export function describeMonths(months: readonly string[]): string {
  const sorted = [...months].sort();
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && addMonths(sorted[j]!, 1) === sorted[j + 1]) j++;
    parts.push(i === j ? sorted[i]! : `${sorted[i]} to ${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function resolvePath(p: string, cwd: string): string {
  return isAbsolute(p) ? p : resolve(cwd, p);
}

/**
 * Downloads police.uk crime and ONS boundaries for the districts and writes them as ordinary files the importer reads.
 * Throws LookupError for an unknown force or district (a caller mistake) and HttpError when a download fails for good.
 */
export async function downloadData(settings: FetchSettings, io: FetchIo): Promise<FetchResult> {
  const { args } = settings;
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    io.stderr(`warning: ${message}`);
  };
  const onRetry: HttpClientOptions['onRetry'] = (r) =>
    io.stderr(`  retrying ${r.what} in ${(r.delayMs / 1000).toFixed(1)} s (${r.reason}; retry ${r.attempt})`);

  const policeHttp = new HttpClient({
    bucket: new TokenBucket(15, 30, settings.http?.clock),
    maxConcurrent: 6,
    userAgent: USER_AGENT,
    onRetry,
    ...settings.http,
  });
  const onsHttp = new HttpClient({
    bucket: new TokenBucket(5, 10, settings.http?.clock),
    maxConcurrent: 2,
    userAgent: USER_AGENT,
    onRetry,
    ...settings.http,
  });
  const police = new PoliceApi(args.policeApi ?? io.env.POLICE_API_URL ?? DEFAULT_POLICE_API, policeHttp);
  const ons = new OnsApi(args.onsApi ?? io.env.ONS_API_URL ?? DEFAULT_ONS_API, onsHttp, settings.ons);

  // 1. The force and the months police.uk has.
  const force = await police.getForce(args.force);
  io.stdout(`Force: ${force.name} (${args.force})`);
  const available = new Set(await police.getAvailableMonths());
  if (available.size === 0) throw new LookupError('police.uk lists no months of street-level crime; try again later');
  const newest = [...available].sort().at(-1)!;
  const oldest = [...available].sort()[0]!;
  const to = args.to ?? newest;
  // A default start never reaches before what police.uk holds; only months the user named are worth a warning.
  const from = args.from ?? (to >= oldest ? [addMonths(to, -11), oldest].sort().at(-1)! : addMonths(to, -11));
  const requested = from <= to ? monthRange(from, to) : [];
  const months = requested.filter((m) => available.has(m));
  const missing = requested.filter((m) => !available.has(m));
  if (missing.length > 0) {
    warn(
      `police.uk has no street-level crime for ${describeMonths(missing)} (the API holds ${oldest} to ${newest}; ` +
        'months appear about two months in arrears and older months drop off after about three years: ' +
        'download older months as archive files from https://data.police.uk/data/ and import them with npm run import)',
    );
  }
  if (requested.length === 0) {
    throw new LookupError(`--from ${from} is after the newest month police.uk has (${newest})`);
  }
  if (months.length === 0) {
    throw new LookupError(`none of the months ${from} to ${to} is available from police.uk (it holds ${oldest} to ${newest})`);
  }

  // 2. The districts' LSOAs and their boundaries (ONS).
  const lookup = await ons.lookupLsoas(args.lads);
  const foundLads = new Set(lookup.map((r) => r.lad24cd));
  const unknownLads = args.lads.filter((l) => !foundLads.has(l));
  if (unknownLads.length > 0) {
    throw new LookupError(
      `--lad: the ONS LSOA 2021 → LAD 2024 lookup has no LSOAs for ${unknownLads.join(', ')}; ` +
        'use 2024 local authority district codes (e.g. E07000174 for Mansfield)',
    );
  }
  for (const lad of args.lads) {
    const rows = lookup.filter((r) => r.lad24cd === lad);
    io.stdout(`District: ${rows[0]!.lad24nm} (${lad}), ${fmt(rows.length)} LSOAs`);
  }
  const boundaries = await ons.boundaries(lookup.map((r) => r.lsoa21cd));
  const byCode = new Map(boundaries.map((b) => [b.code, b]));
  const noBoundary = lookup.filter((r) => !byCode.has(r.lsoa21cd)).map((r) => r.lsoa21cd);
  if (noBoundary.length > 0) warn(`ONS returned no boundary for ${noBoundary.length} LSOA(s): ${noBoundary.slice(0, 10).join(', ')}${noBoundary.length > 10 ? ', …' : ''}`);
  const features: Feature<AreaGeometry, BoundaryProperties>[] = lookup
    .filter((r) => byCode.has(r.lsoa21cd))
    .map((r) => ({
      type: 'Feature',
      properties: {
        LSOA21CD: r.lsoa21cd,
        LSOA21NM: byCode.get(r.lsoa21cd)!.name || r.lsoa21nm,
        WD24CD: r.wd24cd,
        WD24NM: r.wd24nm,
        LAD24CD: r.lad24cd,
        LAD24NM: r.lad24nm,
      },
      geometry: byCode.get(r.lsoa21cd)!.geometry,
    }));
  if (features.length === 0) throw new LookupError(`ONS returned no LSOA boundaries for ${args.lads.join(', ')}`);

  const outDir = resolvePath(args.out ?? join('data', 'fetched', `${args.force}-${months[0]}-to-${months.at(-1)}`), io.cwd);
  const lookupPath = join(outDir, LOOKUP_FILE);
  const boundariesPath = join(outDir, BOUNDARIES_FILE);
  await writeFileAtomic(lookupPath, lookupCsv(lookup));
  await writeFileAtomic(boundariesPath, boundariesGeoJson(features));
  await writeFileAtomic(join(outDir, 'SOURCES.txt'), ATTRIBUTION);
  io.stdout(`Wrote ${fmt(features.length)} LSOA boundaries and the LSOA → ward → district lookup to ${outDir}`);

  const area = buildStudyArea(features.map((f) => ({ code: f.properties.LSOA21CD, lad: f.properties.LAD24CD, geometry: f.geometry })));

  // 3. Sanity check: is each district policed by the force named? (police.uk gives no force per crime.)
  for (const lad of args.lads) {
    const point = area.interiorPoint(lad);
    if (!point) continue;
    const found = await police.locateNeighbourhood(point[1], point[0]);
    if (found && found.force !== args.force) {
      warn(
        `police.uk places ${lad} in force '${found.force}', not '${args.force}': its crimes are written as ` +
          `reported by ${force.name}. Check --force.`,
      );
    }
  }

  // 4. Crimes, month by month.
  const areaName = args.lads.join(',');
  const crimesPerMonth: Record<string, number> = {};
  const crimeFiles = new Map<string, string>();
  const skippedCategories = new Map<string, number>();
  let seed: BBox[] | undefined;
  const doMonth = async (month: string) => {
    const result = await fetchMonthCrimes(police, area, month, { areaName, ...settings.crimes, ...(seed && { startTiles: seed }) });
    if (!seed || result.tiles.length > seed.length) seed = result.tiles;
    const rows: string[][] = [];
    for (const crime of result.crimes) {
      const { row, skipped } = crimeToStreetRow(crime, force.name, month);
      if (row) rows.push(row);
      else if (skipped === 'unknown-category') skippedCategories.set(crime.category, (skippedCategories.get(crime.category) ?? 0) + 1);
    }
    const path = join(outDir, streetCsvName(month, args.force));
    await writeFileAtomic(path, streetCsv(rows));
    crimeFiles.set(month, path);
    crimesPerMonth[month] = rows.length;
    io.stdout(
      `${month}: ${fmt(rows.length).padStart(7)} crimes  (${result.requests} request${result.requests === 1 ? '' : 's'}, ` +
        `${fmt(result.outside)} outside the districts left out)`,
    );
  };
  await doMonth(months[0]!);
  const queue = months.slice(1);
  let failed = false; // after one month fails for good, start no other
  const workers = Array.from({ length: Math.max(1, settings.monthConcurrency ?? 3) }, async () => {
    for (let m = queue.shift(); m !== undefined && !failed; m = queue.shift()) {
      try {
        await doMonth(m);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  });
  await Promise.all(workers);

  for (const [slug, n] of skippedCategories) {
    warn(`${fmt(n)} crime(s) in the category '${slug}', which police.uk street CSVs do not use, were left out`);
  }

  const orderedCrimeFiles = months.map((m) => crimeFiles.get(m)!);
  const crimeCount = Object.values(crimesPerMonth).reduce((a, b) => a + b, 0);
  io.stdout(
    `Wrote ${months.length} month file(s) with ${fmt(crimeCount)} crimes (${fmt(policeHttp.requests)} police.uk and ` +
      `${fmt(onsHttp.requests)} ONS requests).`,
  );
  return {
    outDir,
    forceName: force.name,
    months,
    files: [boundariesPath, lookupPath, ...orderedCrimeFiles],
    crimeFiles: orderedCrimeFiles,
    crimeCount,
    crimesPerMonth,
    lsoaCount: features.length,
    policeRequests: policeHttp.requests,
    onsRequests: onsHttp.requests,
    warnings,
  };
}
