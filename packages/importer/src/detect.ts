import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { CSV_KINDS, GEOJSON_KINDS, expectedFilesMessage, type FileKind } from './file-kinds';
import { mapColumns, readHeader } from './csv';
import { ImportInputError } from './errors';

export interface DetectedFile {
  path: string;
  kind: FileKind;
  label: string;
  /** For CSV kinds: where each field sits in the header. */
  columns?: Record<string, number>;
}

export interface Detection {
  files: DetectedFile[];
  /** Files found inside folders that are not a recognised kind: listed in the report, not imported. */
  skipped: { path: string; reason: string }[];
}

const DATA_EXTENSIONS = new Set(['.csv', '.geojson', '.json']);

/** A file that is clearly meant as one kind but cannot be used: refused even inside a folder, never skipped. */
class Unusable {
  constructor(readonly reason: string) {}
}

const POLICE = CSV_KINDS.find((k) => k.kind === 'police-street')!;

async function detectOne(path: string): Promise<DetectedFile | Unusable | string> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') {
    const header = await readHeader(path);
    if (!header) return 'the file is empty';
    for (const k of CSV_KINDS) {
      const { index, missing } = mapColumns(header, k.columns);
      if (missing.length === 0) return { path, kind: k.kind, label: k.label, columns: { ...mapColumns(header, k.optional ?? []).index, ...index } };
    }
    // Most of the police.uk columns but not all: a street-crime file with a column lost, which must not pass unseen.
    const { missing } = mapColumns(header, POLICE.columns);
    if (missing.length <= POLICE.columns.length / 2) {
      const names = missing.map((m) => `"${m}"`).join(', ');
      return new Unusable(`it looks like ${POLICE.label} but has no ${names} column${missing.length > 1 ? 's' : ''} (its header: ${header.join(', ')})`);
    }
    return `its header (${header.slice(0, 8).join(', ')}${header.length > 8 ? ', …' : ''}) matches no known file`;
  }
  if (ext === '.geojson' || ext === '.json') {
    let parsed: { type?: string; features?: { properties?: Record<string, unknown> }[] };
    try {
      parsed = JSON.parse(await readFile(path, 'utf8')) as typeof parsed;
    } catch {
      return 'it is not valid JSON';
    }
    if (parsed.type !== 'FeatureCollection' || !Array.isArray(parsed.features)) return 'it is not a GeoJSON FeatureCollection';
    const keys = Object.keys(parsed.features[0]?.properties ?? {});
    for (const k of GEOJSON_KINDS) if (keys.some((key) => k.property.test(key))) return { path, kind: k.kind, label: k.label };
    return `its features' properties (${keys.slice(0, 6).join(', ')}) name no LSOA or district code`;
  }
  return `"${ext || basename(path)}" is not a data file this importer reads (.csv, .geojson, .json)`;
}

/**
 * Expands folders and recognises every file. A file named on the command line that is not recognised stops the whole
 * import before anything is written; files inside folders that are not recognised are skipped and listed, except a
 * police.uk file missing a column, which stops the import wherever it is.
 */
export async function detectFiles(paths: string[]): Promise<Detection> {
  if (paths.length === 0) throw new ImportInputError(`no files given.\n${expectedFilesMessage()}`);
  const files: DetectedFile[] = [];
  const skipped: Detection['skipped'] = [];
  const unknown: string[] = [];
  const visit = async (path: string, explicit: boolean) => {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new ImportInputError(`${path}: no such file or folder`);
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path)).filter((e) => !e.startsWith('.')).sort();
      for (const e of entries) await visit(join(path, e), false);
      return;
    }
    if (!explicit && !DATA_EXTENSIONS.has(extname(path).toLowerCase())) return;
    const result = await detectOne(path);
    if (result instanceof Unusable) unknown.push(`${path}: ${result.reason}`);
    else if (typeof result !== 'string') files.push(result);
    else if (explicit) unknown.push(`${path}: ${result}`);
    else skipped.push({ path, reason: result });
  };
  for (const p of paths) await visit(resolve(p), true);
  if (unknown.length > 0) {
    throw new ImportInputError(`nothing was imported: ${unknown.length === 1 ? 'this file is' : 'these files are'} not recognised:\n${unknown.map((u) => `  ${u}`).join('\n')}\n${expectedFilesMessage()}`);
  }
  if (files.length === 0) throw new ImportInputError(`no recognised files in ${paths.join(', ')}.\n${expectedFilesMessage()}`);
  return { files, skipped };
}
