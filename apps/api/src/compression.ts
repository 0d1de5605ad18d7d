import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { createMiddleware } from 'hono/factory';
import { replaceResponse, type AppEnv } from './middleware';

/** Answers smaller than this are sent as they are: compressing them saves less than it costs. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/** What is worth compressing: JSON and GeoJSON, CSV and other text, GPX/HTML/XML, and vector tiles. */
const COMPRESSIBLE = /^\s*(?:text\/[\w.+-]+|application\/(?:json|geo\+json|xml|gpx\+xml|javascript|vnd\.mapbox-vector-tile|x-protobuf)|[\w.-]+\/[\w.-]+\+(?:json|xml))\s*(?:;|$)/i;

export type Encoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The encoding to answer in from an Accept-Encoding header: br or gzip, whichever the client weights higher (br when
 * equal; `*` stands for both), none when the header is absent or refuses both (`q=0`).
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (e: Encoding) => weights.get(e) ?? weights.get('*') ?? 0;
  const br = weightOf('br');
  const gz = weightOf('gzip');
  if (br <= 0 && gz <= 0) return null;
  return br >= gz ? 'br' : 'gzip';
}

/** Compresses off the event loop (zlib's thread pool). Brotli at quality 5: most of its gain at a fraction of 11's cost. */
export function compressBody(body: Uint8Array, encoding: Encoding): Promise<Uint8Array> {
  return encoding === 'br'
    ? brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
    : gzipAsync(body, { level: 6 });
}

function addVary(headers: Headers) {
  const vary = headers.get('Vary');
  if (vary === '*' || (vary && /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary))) return;
  headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}

/**
 * Compresses answers (br or gzip, per Accept-Encoding) of compressible types from COMPRESSION_THRESHOLD_BYTES up, with
 * `Vary: Accept-Encoding`; a strong ETag becomes weak since the bytes differ by encoding. Answers already encoded,
 * marked `no-transform`, partial or without a body are left alone. Locally and on Lambda alike (the Lambda adapter sends
 * an encoded body base64 as binary).
 */
export function compressAnswers(threshold = COMPRESSION_THRESHOLD_BYTES) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const res = c.res;
    if (!COMPRESSIBLE.test(res.headers.get('Content-Type') ?? '')) return;
    addVary(res.headers);
    if (!res.body || c.req.method === 'HEAD' || res.status === 204 || res.status === 206 || res.status === 304) return;
    if (res.headers.has('Content-Encoding') || /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('Cache-Control') ?? '')) return;
    const declared = Number(res.headers.get('Content-Length') ?? NaN);
    if (Number.isFinite(declared) && declared < threshold) return;
    const encoding = chooseEncoding(c.req.header('Accept-Encoding'));
    if (!encoding) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    let sent: Uint8Array = body;
    if (body.byteLength >= threshold) {
      sent = await compressBody(body, encoding);
      headers.set('Content-Encoding', encoding);
      headers.delete('Content-Length');
      const tag = headers.get('ETag');
      if (tag && !tag.startsWith('W/')) headers.set('ETag', `W/${tag}`);
    }
    replaceResponse(c, new Response(sent as Uint8Array<ArrayBuffer>, { status: res.status, statusText: res.statusText, headers }));
  });
}
