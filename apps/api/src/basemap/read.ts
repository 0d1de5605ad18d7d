import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Compression, PMTiles, type DecompressFunc, type RangeResponse, type Source } from 'pmtiles';

/** Decompression for the pmtiles library in Node (gzip and none; the only ones Protomaps archives use). */
export const nodeDecompress: DecompressFunc = async (buf, compression) => {
  if (compression === Compression.None || compression === Compression.Unknown) return buf;
  if (compression === Compression.Gzip) {
    const out = gunzipSync(new Uint8Array(buf));
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  }
  throw new Error(`PMTiles compression ${Compression[compression] ?? compression} is not supported here (gzip or none)`);
};

/** A PMTiles source on a local file, read with positional reads (no whole-file load). */
export class LocalFileSource implements Source {
  constructor(readonly path: string) {}
  getKey(): string {
    return this.path;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const fd = openSync(this.path, 'r');
    try {
      const buf = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const n = readSync(fd, buf, read, length - read, offset + read);
        if (n === 0) break;
        read += n;
      }
      return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + read) as ArrayBuffer };
    } finally {
      closeSync(fd);
    }
  }
}

export interface ArchiveSummary {
  minZoom: number;
  maxZoom: number;
  bounds: [number, number, number, number];
  tileType: number;
  attribution: string | null;
  vectorLayers: string[];
}

/** Where the archive's last section ends, by its header: the file must be at least this long. */
export function archiveEnd(header: {
  rootDirectoryOffset: number;
  rootDirectoryLength: number;
  jsonMetadataOffset: number;
  jsonMetadataLength: number;
  leafDirectoryOffset: number;
  leafDirectoryLength?: number;
  tileDataOffset: number;
  tileDataLength?: number;
}): number {
  return Math.max(
    header.rootDirectoryOffset + header.rootDirectoryLength,
    header.jsonMetadataOffset + header.jsonMetadataLength,
    header.leafDirectoryOffset + (header.leafDirectoryLength ?? 0),
    header.tileDataOffset + (header.tileDataLength ?? 0),
  );
}

/** Header and metadata of a local archive: checks that it is a PMTiles v3 file, with a clear error otherwise. */
export async function readArchiveSummary(path: string): Promise<ArchiveSummary> {
  const archive = new PMTiles(new LocalFileSource(path), undefined, nodeDecompress);
  let header;
  try {
    header = await archive.getHeader();
  } catch (err) {
    throw new Error(`${path} is not a PMTiles archive (${(err as Error).message})`, { cause: err });
  }
  if (header.specVersion !== 3) throw new Error(`${path} is PMTiles version ${header.specVersion}; version 3 is needed (convert it with the pmtiles tool)`);
  // A file cut short (a copy or a download that stopped) has a whole header but not the tiles it points at.
  const size = statSync(path).size;
  const end = archiveEnd(header);
  if (size < end) throw new Error(`${path} is truncated: ${size} bytes, but its header places data up to byte ${end} (copy or download it again)`);
  const metadata = ((await archive.getMetadata().catch(() => ({}))) ?? {}) as { attribution?: unknown; vector_layers?: { id?: unknown }[] };
  return {
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
    bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
    tileType: header.tileType,
    attribution: typeof metadata.attribution === 'string' ? metadata.attribution : null,
    vectorLayers: Array.isArray(metadata.vector_layers) ? metadata.vector_layers.map((l) => String(l.id)) : [],
  };
}
