import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from 'hono';

/**
 * Serves one file with HTTP range requests (RFC 9110 §14), as PMTiles readers need: `Range: bytes=a-b`, `a-` or `-n`
 * answers 206 with Content-Range, a range starting past the end 416 with `Content-Range: bytes *\/<size>`, a Range
 * whose If-Range names another version the whole file (200). Strong ETag from size and modification time (a replaced
 * archive gets a new one, which the reader notices and reloads), If-None-Match → 304, HEAD without a body. Several
 * ranges in one request are answered with the whole file (allowed; PMTiles readers never ask for more than one).
 */
export function serveFileWithRanges(c: Context, path: string, contentType = 'application/vnd.pmtiles'): Response {
  let size: number;
  let mtimeMs: number;
  try {
    ({ size, mtimeMs } = statSync(path));
  } catch {
    return c.json({ error: 'not_found', detail: 'the base map file is missing on the server: check MAP_PMTILES' }, 404);
  }
  const etag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  const common: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': new Date(mtimeMs).toUTCString(),
    // Revalidated after five minutes; a replaced file has a new ETag, so a reader never mixes two versions.
    'Cache-Control': 'public, max-age=300',
    'Content-Type': contentType,
  };
  const head = c.req.method === 'HEAD';
  const body = (start: number, end: number) => (head || end < start ? null : (Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>));

  const range = c.req.header('range');
  const ifRange = c.req.header('if-range');
  const rangeApplies = range !== undefined && (ifRange === undefined || ifRange === etag);
  if (!rangeApplies) {
    const inm = c.req.header('if-none-match');
    if (inm !== undefined && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return new Response(null, { status: 304, headers: common });
    return new Response(body(0, size - 1), { status: 200, headers: { ...common, 'Content-Length': String(size) } });
  }
  const parsed = parseRange(range, size);
  if (parsed === 'whole') return new Response(body(0, size - 1), { status: 200, headers: { ...common, 'Content-Length': String(size) } });
  if (parsed === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...common, 'Content-Range': `bytes */${size}` } });
  const [start, end] = parsed;
  return new Response(body(start, end), {
    status: 206,
    headers: { ...common, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1) },
  });
}

/**
 * One byte range of a file of `size` bytes, inclusive; 'whole' for a header this server answers with the whole file
 * (not bytes, several ranges, malformed: a server may ignore Range), 'unsatisfiable' for a range wholly past the end.
 */
export function parseRange(header: string, size: number): [number, number] | 'whole' | 'unsatisfiable' {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return 'whole';
  const [, a, b] = m;
  if (a === '' && b === '') return 'whole';
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : [Math.max(0, size - n), size - 1];
  }
  const start = Number(a);
  if (start >= size) return 'unsatisfiable';
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return 'whole';
  return [start, end];
}
