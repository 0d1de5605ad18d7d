import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FetchSource, SharedPromiseCache, type Source } from 'pmtiles';
import type { DatasetSummary } from '@safer-places/schemas';
import { DEFAULT_TABLE_NAME, DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { EMBEDDED_ENDPOINT_FILE, isProcessAlive, startEmbeddedDynamo } from '@safer-places/store/embedded';
import { ExtractError, extractArchive, validateBBox, type BBox, type ExtractResult } from './extract';
import { FileSink, writeArchiveFile, type ArchiveLayout } from './pmtiles-writer';
import { nodeDecompress } from './read';
import { archiveUrlPath } from './config';

/**
 * `npm run fetch-basemap -- --bbox minLon,minLat,maxLon,maxLat | --force <name> [--source <url>] [--maxzoom 15]
 * [--out <file>]`: downloads a regional base map extract (PMTiles, Protomaps schema) for the local server's
 * MAP_PMTILES or the stack's basemapPmtiles (docs/operations/basemap.md).
 */

export const USAGE = `Usage: npm run fetch-basemap -- (--bbox minLon,minLat,maxLon,maxLat | --force <name>) [--source <url>] [--maxzoom 15] [--out <file>]
  --bbox      the area to cut, in degrees (e.g. -1.35,52.78,-0.66,53.51 for Nottinghamshire)
  --force     the box of the imported dataset whose study area is that police force (e.g. nottinghamshire), read from
              the local store (DATA_DIR, default .data)
  --source    a PMTiles archive in the Protomaps base map schema, read with HTTP range requests
              (default: the newest Protomaps daily build, https://build.protomaps.com/<yyyymmdd>.pmtiles)
  --maxzoom   the deepest zoom to keep, 0-15 (default 15: streets and their names)
  --out       the file to write (default .data/basemap/<force or "extract">.pmtiles)`;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface FetchBasemapArgs {
  bbox: BBox | null;
  force: string | null;
  source: string | null;
  maxZoom: number;
  out: string;
}

export class UsageError extends Error {}

export function parseFetchBasemapArgs(argv: string[], cwd = process.cwd()): FetchBasemapArgs {
  let values;
  try {
    ({ values } = parseArgs({
      // "--bbox -1.35,…": a value that starts with a minus sign is still the option's value.
      args: argv.flatMap((arg, i) => (arg === '--bbox' && /^-\d/.test(argv[i + 1] ?? '') ? [] : i > 0 && argv[i - 1] === '--bbox' && /^-\d/.test(arg) ? [`--bbox=${arg}`] : [arg])),
      options: { bbox: { type: 'string' }, force: { type: 'string' }, source: { type: 'string' }, maxzoom: { type: 'string' }, out: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if ((values.bbox === undefined) === (values.force === undefined)) throw new UsageError('give either --bbox or --force (one of them)');
  let bbox: BBox | null = null;
  if (values.bbox !== undefined) {
    try {
      bbox = validateBBox(values.bbox.split(',').map((v) => (v.trim() === '' ? NaN : Number(v))));
    } catch (err) {
      throw new UsageError(`--bbox: ${(err as Error).message}`);
    }
  }
  const force = values.force?.trim().toLowerCase() ?? null;
  if (force !== null && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(force)) throw new UsageError(`--force '${values.force}' must be a police.uk force id such as nottinghamshire or west-yorkshire`);
  const maxZoom = values.maxzoom === undefined ? 15 : Number(values.maxzoom);
  if (!Number.isInteger(maxZoom) || maxZoom < 0 || maxZoom > 15) throw new UsageError(`--maxzoom '${values.maxzoom}' must be a whole number from 0 to 15`);
  if (values.source !== undefined && !/^https?:\/\//.test(values.source)) throw new UsageError(`--source '${values.source}' must be an http(s) URL of a PMTiles archive`);
  const out = resolve(cwd, values.out ?? join(REPO_ROOT, '.data/basemap', `${force ?? 'extract'}.pmtiles`));
  try {
    archiveUrlPath(out);
  } catch (err) {
    throw new UsageError(`--out: ${(err as Error).message}`);
  }
  return { bbox, force, source: values.source ?? null, maxZoom, out };
}

/** The Protomaps daily builds of the last week, newest first (a build is published each day and kept for a while). */
export function dailyBuildCandidates(now: Date, days = 7): string[] {
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - i));
    return `https://build.protomaps.com/${d.toISOString().slice(0, 10).replaceAll('-', '')}.pmtiles`;
  });
}

/** The first source whose PMTiles header can be read. */
export async function openSource(urls: readonly string[], log: (line: string) => void): Promise<{ url: string; source: Source }> {
  const problems: string[] = [];
  for (const url of urls) {
    const source = new FetchSource(url);
    try {
      await new SharedPromiseCache(1, false, nodeDecompress).getHeader(source);
      return { url, source };
    } catch (err) {
      problems.push(`${url}: ${(err as Error).message}`);
      log(`  not usable: ${url} (${(err as Error).message})`);
    }
  }
  throw new ExtractError(`no source archive could be read:\n  ${problems.join('\n  ')}`);
}

/** The study area's box of the imported dataset whose force matches `force` (its id or its name). */
export function forceBBox(datasets: readonly DatasetSummary[], force: string): BBox {
  const slug = (s: string) => s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const matches = datasets.filter((d) => {
    const f = d.studyArea?.force;
    return !!f && !!d.bbox && (slug(f.name) === force || slug(f.name).replace(/-police$/, '') === force || (f.code !== null && f.code.toLowerCase() === force));
  });
  const found = matches.find((d) => !d.synthetic) ?? matches[0];
  if (!found?.bbox) {
    const known = datasets.flatMap((d) => (d.studyArea?.force ? [`${slug(d.studyArea.force.name)} (dataset ${d.id})`] : []));
    throw new UsageError(
      `no imported dataset has the force '${force}' as its study area${known.length ? `; imported: ${known.join(', ')}` : ' (none has a force: import police.uk data first, or give --bbox)'}`,
    );
  }
  return found.bbox;
}

/** The local store's datasets: the running server's embedded store if there is one, else one started here. */
async function localDatasets(): Promise<DatasetSummary[]> {
  const dataDir = resolve(process.env.DATA_DIR ?? join(REPO_ROOT, '.data'));
  const tableName = process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME;
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  const marker = join(dataDir, EMBEDDED_ENDPOINT_FILE);
  if (!endpoint && existsSync(marker)) {
    const running = JSON.parse(readFileSync(marker, 'utf8')) as { endpoint: string; pid: number };
    if (isProcessAlive(running.pid)) endpoint = running.endpoint;
  }
  const embedded = endpoint ? undefined : await startEmbeddedDynamo({ dir: join(dataDir, 'dynamodb') });
  const doc = createDocumentClient({ endpoint: endpoint ?? embedded!.endpoint });
  try {
    await ensureTable(doc, tableName);
    return await new DynamoReferenceRepository(doc, tableName).listDatasets();
  } finally {
    doc.destroy();
    await embedded?.close();
  }
}

export async function fetchBasemap(args: FetchBasemapArgs, log: (line: string) => void, deps: { datasets?: () => Promise<DatasetSummary[]>; now?: Date } = {}): Promise<void> {
  const bbox = args.bbox ?? forceBBox(await (deps.datasets ?? localDatasets)(), args.force!);
  log(`Area: ${bbox.map((v) => v.toFixed(4)).join(', ')} (west, south, east, north), zoom 0–${args.maxZoom}.`);
  const { url, source } = await openSource(args.source ? [args.source] : dailyBuildCandidates(deps.now ?? new Date()), log);
  log(`Source: ${url}`);
  mkdirSync(dirname(args.out), { recursive: true });
  // The tile data goes to <out>.part, then the archive to <out>.tmp-<pid>, renamed over <out> only when complete: a
  // server reading <out> is never handed a part-written file, and a failed run leaves <out> as it was.
  const sink = new FileSink(`${args.out}.part`);
  let result: ExtractResult;
  let layout: ArchiveLayout;
  try {
    result = await extractArchive({ source, bbox, maxZoom: args.maxZoom, sink, log });
    layout = result.writer.layout();
    await writeArchiveFile(args.out, layout, sink);
  } finally {
    sink.remove();
  }
  const size = layout.head.length + layout.tileDataLength;
  log(
    `Wrote ${args.out}: ${result.tiles.toLocaleString('en-GB')} tiles (${layout.numTileContents.toLocaleString('en-GB')} distinct), ` +
      `${(size / 1e6).toFixed(1)} MB, from ${result.requests} requests.`,
  );
  log(`Attribution to show: ${typeof result.sourceMetadata.attribution === 'string' ? result.sourceMetadata.attribution : '© OpenStreetMap contributors'}`);
  log(`Use it: MAP_PMTILES=${args.out} npm start   (on AWS: -c basemapPmtiles=${args.out})`);
}

export async function main(argv: string[]): Promise<number> {
  const log = (line: string) => console.log(line);
  try {
    await fetchBasemap(parseFetchBasemapArgs(argv), log);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`fetch-basemap: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ExtractError) {
      console.error(`fetch-basemap: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
