import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Compression, TileType, zxyToTileId, type Entry } from 'pmtiles';

/**
 * A PMTiles version 3 writer (the format's specification: github.com/protomaps/PMTiles, spec/v3): a 127-byte header,
 * the root directory, the JSON metadata, the leaf directories and the tile data, in that order. Tiles must be added
 * in increasing tile id (the Hilbert order the format is read in), which makes the archive "clustered"; a tile whose
 * bytes repeat an earlier one's is stored once, and a run of consecutive tile ids with the same bytes (sea, empty
 * country) is one directory entry. Directories and metadata are gzip-compressed; the tile bytes are stored as given,
 * so a caller hands in tiles already compressed with `tileCompression`.
 */

/** The bytes PMTiles readers fetch first: the root directory must end within them (spec v3, "Root directory"). */
export const FIRST_FETCH_BYTES = 16_384;
export const HEADER_BYTES = 127;

export interface ArchiveInfo {
  tileType: TileType;
  /** How the tile bytes handed to addTile are compressed (gzip for Protomaps-schema vector tiles). */
  tileCompression: Compression;
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north] in degrees. */
  bounds: [number, number, number, number];
  /** [lon, lat, zoom]; default the middle of `bounds` at `minZoom`. */
  center?: [number, number, number];
  /** Written as the archive's JSON metadata (name, attribution, vector_layers …). */
  metadata: Record<string, unknown>;
}

/** Where the tile data goes while the archive is being written: memory for fixtures, a file for real extracts. */
export interface TileDataSink {
  append(bytes: Uint8Array): void;
  /** Bytes appended so far. */
  readonly size: number;
}

export class MemorySink implements TileDataSink {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  append(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }
}

export class FileSink implements TileDataSink {
  private fd: number | null;
  size = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  append(bytes: Uint8Array): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    writeAll(this.fd, bytes);
    this.size += bytes.length;
  }
  /** Closes the file (again: nothing). */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }
  /** Closes and deletes the file (the extract is done, or failed). */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

/** The archive's first bytes (header, root directory, metadata, leaf directories); the tile data follows them. */
export interface ArchiveLayout {
  head: Uint8Array;
  tileDataLength: number;
  numAddressedTiles: number;
  numTileEntries: number;
  numTileContents: number;
  /** Leaf directories written (0 when the root directory holds every entry). */
  leafDirectories: number;
}

export class PmtilesWriter {
  private readonly entries: Entry[] = [];
  private readonly offsetsByHash = new Map<string, { offset: number; length: number }>();
  private lastTileId = -1;
  private addressed = 0;

  constructor(
    private readonly info: ArchiveInfo,
    private readonly sink: TileDataSink = new MemorySink(),
  ) {
    if (!(info.minZoom >= 0 && info.minZoom <= info.maxZoom && info.maxZoom <= 30)) throw new RangeError(`zoom levels ${info.minZoom}–${info.maxZoom} are not valid`);
  }

  /** Adds one tile; tile ids must increase from call to call (zxyToTileId). Empty tiles are left out, as readers expect. */
  addTile(z: number, x: number, y: number, bytes: Uint8Array): void {
    this.addTileId(zxyToTileId(z, x, y), bytes);
  }

  addTileId(tileId: number, bytes: Uint8Array): void {
    if (tileId <= this.lastTileId) throw new RangeError(`tiles must be added in increasing tile id order: ${tileId} after ${this.lastTileId}`);
    this.lastTileId = tileId;
    if (bytes.length === 0) return;
    this.addressed++;
    const hash = createHash('sha256').update(bytes).digest('base64');
    let stored = this.offsetsByHash.get(hash);
    if (!stored) {
      stored = { offset: this.sink.size, length: bytes.length };
      this.sink.append(bytes);
      this.offsetsByHash.set(hash, stored);
    }
    const last = this.entries.at(-1);
    if (last && last.offset === stored.offset && last.tileId + last.runLength === tileId) {
      last.runLength++;
    } else {
      this.entries.push({ tileId, offset: stored.offset, length: stored.length, runLength: 1 });
    }
  }

  /**
   * The header and directories for the tiles added so far. `rootDirectoryMaxBytes` (default: what fits in the first
   * 16 KiB with the header) is lowered by tests to force leaf directories on a small archive.
   */
  layout(options: { rootDirectoryMaxBytes?: number } = {}): ArchiveLayout {
    const { root, leaves, leafCount } = buildDirectories(this.entries, options.rootDirectoryMaxBytes ?? FIRST_FETCH_BYTES - HEADER_BYTES);
    const metadata = gzipSync(Buffer.from(JSON.stringify(this.info.metadata), 'utf8'));
    const rootOffset = HEADER_BYTES;
    const metadataOffset = rootOffset + root.length;
    const leafOffset = metadataOffset + metadata.length;
    const tileDataOffset = leafOffset + leaves.length;
    const [west, south, east, north] = this.info.bounds;
    const center = this.info.center ?? [(west + east) / 2, (south + north) / 2, this.info.minZoom];
    const header = new DataView(new ArrayBuffer(HEADER_BYTES));
    const bytes = new Uint8Array(header.buffer);
    bytes.set(new TextEncoder().encode('PMTiles'), 0);
    header.setUint8(7, 3);
    const u64 = (at: number, n: number) => header.setBigUint64(at, BigInt(n), true);
    u64(8, rootOffset);
    u64(16, root.length);
    u64(24, metadataOffset);
    u64(32, metadata.length);
    u64(40, leafOffset);
    u64(48, leaves.length);
    u64(56, tileDataOffset);
    u64(64, this.sink.size);
    u64(72, this.addressed);
    u64(80, this.entries.length);
    u64(88, this.offsetsByHash.size);
    header.setUint8(96, 1); // clustered
    header.setUint8(97, Compression.Gzip);
    header.setUint8(98, this.info.tileCompression);
    header.setUint8(99, this.info.tileType);
    header.setUint8(100, this.info.minZoom);
    header.setUint8(101, this.info.maxZoom);
    const e7 = (at: number, deg: number) => header.setInt32(at, Math.round(deg * 1e7), true);
    e7(102, west);
    e7(106, south);
    e7(110, east);
    e7(114, north);
    header.setUint8(118, Math.round(center[2]));
    e7(119, center[0]);
    e7(123, center[1]);
    const head = new Uint8Array(tileDataOffset);
    head.set(bytes, 0);
    head.set(root, rootOffset);
    head.set(metadata, metadataOffset);
    head.set(leaves, leafOffset);
    return {
      head,
      tileDataLength: this.sink.size,
      numAddressedTiles: this.addressed,
      numTileEntries: this.entries.length,
      numTileContents: this.offsetsByHash.size,
      leafDirectories: leafCount,
    };
  }
}

/** The whole archive in memory (fixtures and tests): a writer whose tile data went to a MemorySink. */
export function archiveBytes(layout: ArchiveLayout, sink: MemorySink): Uint8Array {
  const out = new Uint8Array(layout.head.length + sink.size);
  out.set(layout.head, 0);
  let at = layout.head.length;
  for (const c of sink.chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Writes the archive to `path` without ever leaving a part-written file there: the head and the tile data (copied
 * from the sink's temporary file) go to `${path}.tmp-<pid>`, which is flushed to disk (fsync) and then renamed over
 * `path`. A server reading the old archive keeps its open file; one that opens `path` gets the old archive or the
 * whole new one; a crash leaves `path` as it was. The sink's file and the temporary file are removed whatever happens.
 */
export async function writeArchiveFile(path: string, layout: ArchiveLayout, sink: FileSink): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  let renamed = false;
  try {
    sink.close();
    const out = openSync(tmp, 'w');
    try {
      writeAll(out, layout.head);
      const data = openSync(sink.path, 'r');
      try {
        const buf = Buffer.alloc(1024 * 1024);
        let copied = 0;
        for (let n; (n = readSync(data, buf, 0, buf.length, null)) > 0; copied += n) writeAll(out, buf.subarray(0, n));
        if (copied !== layout.tileDataLength) throw new Error(`${sink.path} holds ${copied} bytes of tile data, not ${layout.tileDataLength}`);
      } finally {
        closeSync(data);
      }
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(tmp, path);
    renamed = true;
    syncDirectory(dirname(path));
  } finally {
    if (!renamed) rmSync(tmp, { force: true });
    sink.remove();
  }
}

/** Flushes a rename to disk where the platform allows a directory to be opened (not Windows): best effort. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A tile set built in memory: tiles in any order (sorted here), one archive back. */
export function buildArchive(info: ArchiveInfo, tiles: Iterable<{ z: number; x: number; y: number; data: Uint8Array }>, options: { rootDirectoryMaxBytes?: number } = {}): { bytes: Uint8Array; layout: ArchiveLayout } {
  const sorted = [...tiles].map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  const sink = new MemorySink();
  const writer = new PmtilesWriter(info, sink);
  for (const t of sorted) writer.addTileId(t.id, t.data);
  const layout = writer.layout(options);
  return { bytes: archiveBytes(layout, sink), layout };
}

// ---- directories ----

function writeVarint(out: number[], n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot write ${n} as a varint`);
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

/** One directory, as the specification lays it out (counts, id deltas, run lengths, lengths, offsets), gzip-compressed. */
export function serializeDirectory(entries: readonly Entry[]): Uint8Array {
  const out: number[] = [];
  writeVarint(out, entries.length);
  let lastId = 0;
  for (const e of entries) {
    writeVarint(out, e.tileId - lastId);
    lastId = e.tileId;
  }
  for (const e of entries) writeVarint(out, e.runLength);
  for (const e of entries) writeVarint(out, e.length);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    // 0: "right after the previous entry's bytes"; otherwise offset + 1.
    writeVarint(out, i > 0 && prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  });
  return new Uint8Array(gzipSync(Uint8Array.from(out)));
}

/**
 * The root directory, and leaf directories when the root alone would be too big: entries are cut into leaves of
 * `leafSize` entries (growing until the root of leaf pointers fits), each root entry pointing at a leaf (run length 0).
 */
function buildDirectories(entries: readonly Entry[], rootMaxBytes: number): { root: Uint8Array; leaves: Uint8Array; leafCount: number } {
  const whole = serializeDirectory(entries);
  if (whole.length <= rootMaxBytes) return { root: whole, leaves: new Uint8Array(0), leafCount: 0 };
  for (let leafSize = Math.max(64, Math.ceil(entries.length / 1000)); ; leafSize = Math.ceil(leafSize * 1.5)) {
    const leafParts: Uint8Array[] = [];
    const rootEntries: Entry[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const part = serializeDirectory(entries.slice(i, i + leafSize));
      rootEntries.push({ tileId: entries[i]!.tileId, offset, length: part.length, runLength: 0 });
      leafParts.push(part);
      offset += part.length;
    }
    const root = serializeDirectory(rootEntries);
    if (root.length <= rootMaxBytes || rootEntries.length === 1) {
      const leaves = new Uint8Array(offset);
      let at = 0;
      for (const p of leafParts) {
        leaves.set(p, at);
        at += p.length;
      }
      return { root, leaves, leafCount: leafParts.length };
    }
  }
}
