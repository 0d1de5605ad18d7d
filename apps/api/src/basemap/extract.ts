import { SharedPromiseCache, findTile, zxyToTileId, type Header, type Source } from 'pmtiles';
import { nodeDecompress } from './read';
import { PmtilesWriter, type TileDataSink } from './pmtiles-writer';

/**
 * Cuts a regional extract out of a (usually remote, planet-sized) PMTiles archive: every tile from `minZoom` to
 * `maxZoom` that touches the box, read with HTTP range requests through the pmtiles library's directory cache and
 * written, bytes unchanged, into a new clustered archive. Neighbouring tiles are fetched together (tiles of one area
 * sit close in the Hilbert order), so a county at zoom 15 takes tens of requests, not thousands.
 */

export type BBox = [number, number, number, number];

export interface ExtractOptions {
  source: Source;
  bbox: BBox;
  maxZoom: number;
  minZoom?: number;
  /** Bytes between two wanted tiles that are fetched rather than starting a new request (default 256 KiB). */
  maxGapBytes?: number;
  /** Largest single request (default 8 MiB). */
  maxRequestBytes?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Most tiles an extract may have: a guard against a box or zoom far bigger than meant (default 1,000,000). */
  maxTiles?: number;
  sink?: TileDataSink;
  log?: (line: string) => void;
}

export interface ExtractResult {
  writer: PmtilesWriter;
  sourceHeader: Header;
  sourceMetadata: Record<string, unknown>;
  tiles: number;
  requests: number;
  bytesFetched: number;
}

export class ExtractError extends Error {}

const lonToX = (lon: number, n: number) => Math.floor(((lon + 180) / 360) * n);
function latToY(lat: number, n: number): number {
  const clamped = Math.max(-85.0511, Math.min(85.0511, lat));
  const r = (clamped * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
}

/** Tile ids of every tile touching the box at each zoom, in increasing id order. */
export function tileIdsInBox(bbox: BBox, minZoom: number, maxZoom: number, maxTiles = Infinity): number[] {
  const [west, south, east, north] = bbox;
  const ids: number[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    const n = 2 ** z;
    const clamp = (v: number) => Math.max(0, Math.min(n - 1, v));
    const x0 = clamp(lonToX(west, n));
    const x1 = clamp(lonToX(east, n));
    const y0 = clamp(latToY(north, n));
    const y1 = clamp(latToY(south, n));
    if ((x1 - x0 + 1) * (y1 - y0 + 1) + ids.length > maxTiles) {
      throw new ExtractError(`the box ${bbox.join(',')} has more than ${maxTiles.toLocaleString('en-GB')} tiles by zoom ${z}: choose a smaller box or a lower --maxzoom`);
    }
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) ids.push(zxyToTileId(z, x, y));
  }
  return ids.sort((a, b) => a - b);
}

export function validateBBox(bbox: readonly number[]): BBox {
  if (bbox.length !== 4 || bbox.some((v) => !Number.isFinite(v))) throw new ExtractError('a box is four numbers: minLon,minLat,maxLon,maxLat');
  const [w, s, e, n] = bbox as BBox;
  if (w < -180 || e > 180 || s < -85.06 || n > 85.06) throw new ExtractError(`the box ${bbox.join(',')} is outside longitude -180…180 / latitude -85…85`);
  if (!(w < e && s < n)) throw new ExtractError(`the box ${bbox.join(',')} is empty: minLon must be below maxLon and minLat below maxLat`);
  return [w, s, e, n];
}

interface Wanted {
  tileId: number;
  /** Absolute offset and length in the source archive. */
  offset: number;
  length: number;
}

async function locate(source: Source, cache: SharedPromiseCache, header: Header, tileId: number): Promise<Wanted | null> {
  let offset = header.rootDirectoryOffset;
  let length = header.rootDirectoryLength;
  for (let depth = 0; depth <= 3; depth++) {
    const entries = await cache.getDirectory(source, offset, length, header);
    const entry = findTile(entries, tileId);
    if (!entry) return null;
    if (entry.runLength > 0) return { tileId, offset: header.tileDataOffset + entry.offset, length: entry.length };
    offset = header.leafDirectoryOffset + entry.offset;
    length = entry.length;
  }
  throw new ExtractError('the source archive nests its directories deeper than PMTiles allows (4 levels)');
}

/** Groups byte ranges sorted by offset into requests: a gap up to maxGap is fetched along, no request beyond maxBytes. */
export function planRequests(ranges: readonly { offset: number; length: number }[], maxGap: number, maxBytes: number): { offset: number; length: number }[] {
  const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
  const out: { offset: number; length: number }[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    const end = r.offset + r.length;
    if (last && r.offset - (last.offset + last.length) <= maxGap && Math.max(end, last.offset + last.length) - last.offset <= maxBytes) {
      last.length = Math.max(end, last.offset + last.length) - last.offset;
    } else {
      out.push({ offset: r.offset, length: r.length });
    }
  }
  return out;
}

export async function extractArchive(options: ExtractOptions): Promise<ExtractResult> {
  const log = options.log ?? (() => undefined);
  const source = options.source;
  const cache = new SharedPromiseCache(4096, false, nodeDecompress);
  const header = await cache.getHeader(source);
  const minZoom = Math.max(options.minZoom ?? 0, header.minZoom);
  const maxZoom = Math.min(options.maxZoom, header.maxZoom);
  if (minZoom > maxZoom) throw new ExtractError(`the source archive has zooms ${header.minZoom}–${header.maxZoom}; nothing between ${minZoom} and ${options.maxZoom}`);
  const ids = tileIdsInBox(options.bbox, minZoom, maxZoom, options.maxTiles ?? 1_000_000);
  log(`Looking up ${ids.length.toLocaleString('en-GB')} tiles (zoom ${minZoom}–${maxZoom}) in the source's directories…`);

  const wanted: Wanted[] = [];
  for (const id of ids) {
    const w = await locate(source, cache, header, id);
    if (w) wanted.push(w);
  }
  const unique = new Map<number, { offset: number; length: number }>();
  for (const w of wanted) unique.set(w.offset, { offset: w.offset, length: w.length });
  const requests = planRequests([...unique.values()], options.maxGapBytes ?? 256 * 1024, options.maxRequestBytes ?? 8 * 1024 * 1024);
  const totalBytes = requests.reduce((s, r) => s + r.length, 0);
  log(`Fetching ${wanted.length.toLocaleString('en-GB')} tiles in ${requests.length} requests (${(totalBytes / 1e6).toFixed(1)} MB)…`);

  // Tile bytes by their offset in the source (a tile shared by many ids is fetched and kept once).
  const tileBytes = new Map<number, Uint8Array>();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < requests.length) {
      const req = requests[next++]!;
      const res = await source.getBytes(req.offset, req.length, undefined, header.etag);
      const data = new Uint8Array(res.data);
      if (data.length !== req.length) throw new ExtractError(`the source answered ${data.length} bytes for a range of ${req.length}: does it support HTTP range requests?`);
      for (const u of unique.values()) {
        if (u.offset >= req.offset && u.offset + u.length <= req.offset + req.length) {
          tileBytes.set(u.offset, data.slice(u.offset - req.offset, u.offset - req.offset + u.length));
        }
      }
      done++;
      if (done % 20 === 0 || done === requests.length) log(`  ${done}/${requests.length} requests`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, requests.length)) }, worker));

  const metadataRes = await source.getBytes(header.jsonMetadataOffset, header.jsonMetadataLength, undefined, header.etag);
  const sourceMetadata = JSON.parse(new TextDecoder().decode(await nodeDecompress(metadataRes.data, header.internalCompression))) as Record<string, unknown>;

  const [w, s, e, n] = options.bbox;
  const writer = new PmtilesWriter(
    {
      tileType: header.tileType,
      tileCompression: header.tileCompression,
      minZoom,
      maxZoom,
      bounds: [w, s, e, n],
      center: [(w + e) / 2, (s + n) / 2, Math.min(maxZoom, Math.max(minZoom, 10))],
      metadata: { ...sourceMetadata, bounds: [w, s, e, n].join(','), 'safer-places:extract': { bbox: options.bbox, minzoom: minZoom, maxzoom: maxZoom } },
    },
    options.sink,
  );
  for (const t of wanted) writer.addTileId(t.tileId, tileBytes.get(t.offset)!);
  return { writer, sourceHeader: header, sourceMetadata, tiles: wanted.length, requests: requests.length + 1, bytesFetched: totalBytes };
}
