import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { USAGE, UsageError, parseFetchArgs } from './fetch/args';
import { HttpError } from './fetch/http';
import { LookupError } from './fetch/police-api';
import { downloadData, type FetchSettings } from './fetch/run';

interface Out {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface FetchCliOptions {
  /** Environment (POLICE_API_URL, ONS_API_URL, INIT_CWD); process.env by default. */
  env?: Record<string, string | undefined>;
  /** Folder relative paths are resolved against; default INIT_CWD (where the user ran npm) or the process's cwd. */
  cwd?: string;
  /** Tuning for tests (back-off, page sizes …); the command line never sets these. */
  settings?: Omit<FetchSettings, 'args'>;
}

/**
 * `npm run fetch-data`: downloads police.uk crime and ONS boundaries, writes them as files, then imports them.
 * Returns the exit code: 0 done, 2 bad flags or an unknown force/district (nothing downloaded or imported),
 * 1 a download or the import failed.
 */
export async function main(
  argv: string[],
  out: Out = process.stdout,
  err: Out = process.stderr,
  options: FetchCliOptions = {},
): Promise<number> {
  let args;
  try {
    args = parseFetchArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`fetch-data: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? env.INIT_CWD ?? process.cwd();

  let result;
  try {
    result = await downloadData(
      { ...options.settings, args },
      { stdout: (l) => out.write(`${l}\n`), stderr: (l) => err.write(`${l}\n`), env, cwd },
    );
  } catch (e) {
    if (e instanceof LookupError) {
      err.write(`fetch-data: ${e.message}\n`);
      return 2;
    }
    if (e instanceof HttpError) {
      err.write(`fetch-data: download failed: ${e.message}\nFiles already written are complete; run the command again to retry.\n`);
      return 1;
    }
    err.write(`fetch-data: failed: ${(e as Error).stack ?? e}\n`);
    return 1;
  }

  if (args.skipImport) {
    out.write(`Not imported (--skip-import). To import later: npm run import -- ${quote(result.outDir)}\n`);
    return 0;
  }

  // Loaded only when importing, so --skip-import never starts a store.
  const { importFiles, openStore, formatReport, ImportInputError } = await import('./index');
  const { progressPrinter } = await import('./progress-bar');
  const store = await openStore({
    ...(args.dataDir && { dataDir: isAbsolute(args.dataDir) ? args.dataDir : resolve(cwd, args.dataDir) }),
    ...(args.endpoint && { endpoint: args.endpoint }),
    ...(args.table && { tableName: args.table }),
  });
  try {
    err.write(`Importing ${result.files.length} files into ${store.description}\n`);
    const report = await importFiles(result.files, {
      reference: store.reference,
      ...(args.dataset && { datasetId: args.dataset }),
      onProgress: progressPrinter(err as NodeJS.WriteStream),
    });
    out.write(`${formatReport(report)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ImportInputError) {
      err.write(`\nfetch-data: the downloaded files were not imported: ${e.message}\nThey are in ${result.outDir}.\n`);
      return 2;
    }
    err.write(`\nfetch-data: import failed: ${(e as Error).stack ?? e}\nThe downloaded files are in ${result.outDir}.\n`);
    return 1;
  } finally {
    await store.close();
  }
}

function quote(p: string): string {
  return /^[\w./:@-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
