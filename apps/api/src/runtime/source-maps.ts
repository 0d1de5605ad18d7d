import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack traces in source lines for the Lambda bundle, at no cost to a cold start. `--enable-source-maps` reads and
 * indexes the bundle's source map while the module loads (~50 ms of the API's ~300 ms init on the benchmark machine);
 * this reads it the first time a stack trace is formatted, which for most instances is never. A frame in a file with
 * a `<file>.map` beside it (esbuild writes `index.js.map`) is shown at its original source, line and column; other
 * frames as Node shows them.
 *
 * On Lambda only (AWS_LAMBDA_FUNCTION_NAME is set), and not when Node maps stacks already (`--enable-source-maps`):
 * elsewhere, such as a test runner loading the bundle, whoever formats stack traces keeps doing so.
 */
export function mapStackTracesOnFirstUse(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!env.AWS_LAMBDA_FUNCTION_NAME || process.sourceMapsEnabled) return false;
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (file: string): SourceMap | null => {
    let map = maps.get(file);
    if (map === undefined) {
      map = null;
      try {
        if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      } catch {
        // An unreadable map leaves the frames as they are.
      }
      maps.set(file, map);
    }
    return map;
  };
  Error.prepareStackTrace = (error, frames) => {
    const lines = frames.map((frame, i) => `    at ${originalFrame(frame, frames[i + 1], mapOf) ?? String(frame)}`);
    return [headline(error), ...lines].join('\n');
  };
  return true;
}

/**
 * The frame at its source position, or null when it has no map (or the map has no entry for it). Its function's name
 * is the one the map gives where the function starts, else where the next frame (its caller, same file) calls it.
 */
function originalFrame(frame: NodeJS.CallSite, caller: NodeJS.CallSite | undefined, mapOf: (file: string) => SourceMap | null): string | null {
  const file = frame.getFileName();
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (!file || !line || !column || file.startsWith('node:')) return null;
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  const map = mapOf(path);
  const entry = map?.findEntry(line - 1, column - 1);
  if (!entry || !('originalSource' in entry) || !entry.originalSource) return null;
  // Sources are named relative to the map (beside the bundle), as Node resolves them.
  const source = /^[a-z]+:/i.test(entry.originalSource) ? entry.originalSource : new URL(entry.originalSource, pathToFileURL(path)).href;
  const where = `${source.startsWith('file://') ? fileURLToPath(source) : source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const enclosing = frame as NodeJS.CallSite & { getEnclosingLineNumber?: () => number | null; getEnclosingColumnNumber?: () => number | null };
  const nameAt = (l: number | null | undefined, c: number | null | undefined) => {
    const e = l && c ? map!.findEntry(l - 1, c - 1) : null;
    return e && 'name' in e && e.name ? e.name : undefined;
  };
  const name =
    nameAt(enclosing.getEnclosingLineNumber?.(), enclosing.getEnclosingColumnNumber?.()) ??
    (caller && caller.getFileName() === file ? nameAt(caller.getLineNumber(), caller.getColumnNumber()) : undefined);
  const async = frame.isAsync() ? 'async ' : '';
  return name ? `${async}${name} (${where})` : `${async}${where}`;
}

/** The first line V8 gives a stack: "Name: message", or the name alone (also for objects given to captureStackTrace). */
function headline(error: unknown): string {
  try {
    if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return String(error);
    const { name, message } = error as { name?: unknown; message?: unknown };
    const n = name === undefined ? 'Error' : String(name);
    const m = message === undefined ? '' : String(message);
    return n && m ? `${n}: ${m}` : n || m;
  } catch {
    return '<error>';
  }
}
