import type { CrimeBlock, CrimeRecord } from '@safer-places/domain';
import { CATEGORY_COUNT } from '@safer-places/domain';
import { CATEGORY_INDEX, CRIME_CATEGORY_SLUGS } from '@safer-places/schemas';
import { keys, type Key } from './keys';

/**
 * Crimes are packed: the crimes of a month × partition (a district, crime.ts), sorted by LSOA, are cut into chunks of
 * at most CHUNK_SIZE crimes, one item each (~1–3 items for a district month, ~14 for a county month, instead of one per
 * crime or per LSOA). DynamoDB, and the embedded store even more, pay per item written, so this is what makes
 * county-scale imports fast; a request reads the chunks of the partitions its scope touches, whole. Coordinates are
 * integer micro-degrees: police.uk publishes 6 decimal places, so this is lossless.
 */
export const CHUNK_SIZE = 1500;
const NO_COORDINATE = -2147483648;
const NO_VALUE = 0xffff;

export interface CrimeChunkItem {
  pk: string;
  sk: string;
  month: string;
  n: number;
  ids: string;
  xy: Uint8Array;
  cat: Uint8Array;
  /** Per crime: index into dict.lsoa, dict.loc, dict.pub, dict.out. */
  lx: Uint8Array;
  li: Uint8Array;
  pi: Uint8Array;
  oi: Uint8Array;
  dict: string;
}

class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  add(value: string | null): number {
    if (value === null) return NO_VALUE;
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      if (i >= NO_VALUE) throw new Error('too many distinct strings in one crime chunk');
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

const bytes = (a: Int32Array | Uint16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The legacy layout (months stored before partitions): the whole month in one partition key. `version`: the month's
 * version id; without it, the unversioned keys of months stored before versions. Kept to write legacy months in tests.
 */
export function encodeCrimeMonth(datasetId: string, month: string, blocks: CrimeBlock[], version?: string): CrimeChunkItem[] {
  return encodeCrimeChunks(month, blocks, (chunk) =>
    version === undefined ? keys.crimeChunk(datasetId, month, chunk) : keys.crimeChunkVersioned(datasetId, month, version, chunk),
  );
}

/** The chunks of one month × partition under a version (the partitioned layout). */
export function encodeCrimePartition(datasetId: string, month: string, partition: string, version: string, blocks: CrimeBlock[]): CrimeChunkItem[] {
  return encodeCrimeChunks(month, blocks, (chunk) => keys.crimePartitionChunk(datasetId, month, partition, version, chunk));
}

/** Packs blocks of one month, sorted by LSOA, into chunks of at most CHUNK_SIZE crimes at the keys `keyOf(chunk)` gives. */
export function encodeCrimeChunks(month: string, blocks: CrimeBlock[], keyOf: (chunk: number) => Key): CrimeChunkItem[] {
  const crimes: CrimeRecord[] = [];
  for (const b of [...blocks].sort((x, y) => x.lsoaCode.localeCompare(y.lsoaCode))) {
    if (b.month !== month) throw new Error(`block for ${b.month} packed as ${month}`);
    for (const c of b.crimes) crimes.push(c.lsoaCode === b.lsoaCode ? c : { ...c, lsoaCode: b.lsoaCode });
  }
  const items: CrimeChunkItem[] = [];
  for (let start = 0, chunk = 0; start < crimes.length; start += CHUNK_SIZE, chunk++) {
    const part = crimes.slice(start, start + CHUNK_SIZE);
    const n = part.length;
    const xy = new Int32Array(n * 2);
    const cat = new Uint8Array(n);
    const [lx, li, pi, oi] = [new Uint16Array(n), new Uint16Array(n), new Uint16Array(n), new Uint16Array(n)];
    const [lsoa, loc, pub, out] = [new Dictionary(), new Dictionary(), new Dictionary(), new Dictionary()];
    part.forEach((c, i) => {
      if (c.id.includes('\n')) throw new Error(`crime id ${JSON.stringify(c.id)} contains a line break`);
      const located = c.lon !== null && c.lat !== null;
      xy[2 * i] = located ? Math.round(c.lon! * 1e6) : NO_COORDINATE;
      xy[2 * i + 1] = located ? Math.round(c.lat! * 1e6) : NO_COORDINATE;
      cat[i] = CATEGORY_INDEX[c.category];
      lx[i] = lsoa.add(c.lsoaCode);
      li[i] = loc.add(c.location);
      pi[i] = pub.add(c.publishedLsoaCode);
      oi[i] = out.add(c.outcome);
    });
    items.push({
      ...keyOf(chunk),
      month,
      n,
      ids: part.map((c) => c.id).join('\n'),
      xy: bytes(xy),
      cat,
      lx: bytes(lx),
      li: bytes(li),
      pi: bytes(pi),
      oi: bytes(oi),
      dict: JSON.stringify({ lsoa: lsoa.values, loc: loc.values, pub: pub.values, out: out.values }),
    });
  }
  return items;
}

/** Copies into an aligned buffer: binary attributes come back as views at arbitrary offsets. */
function int32s(b: Uint8Array): Int32Array {
  return new Int32Array(new Uint8Array(b).buffer);
}
function uint16s(b: Uint8Array): Uint16Array {
  return new Uint16Array(new Uint8Array(b).buffer);
}

/** Unpacks chunk items into one block per month × LSOA, keeping only the wanted LSOAs when a set is given. */
export function decodeCrimeItems(items: CrimeChunkItem[], wanted?: Set<string>): CrimeBlock[] {
  const blocks = new Map<string, CrimeBlock>();
  for (const item of items) {
    const dict = JSON.parse(item.dict) as { lsoa: string[]; loc: string[]; pub: string[]; out: string[] };
    const ids = item.ids.split('\n');
    const xy = int32s(item.xy);
    const [lx, li, pi, oi] = [uint16s(item.lx), uint16s(item.li), uint16s(item.pi), uint16s(item.oi)];
    const lookup = (values: string[], i: number) => (i === NO_VALUE ? null : values[i]!);
    for (let i = 0; i < item.n; i++) {
      const lsoaCode = dict.lsoa[lx[i]!]!;
      if (wanted && !wanted.has(lsoaCode)) continue;
      const key = `${item.month}|${lsoaCode}`;
      let block = blocks.get(key);
      if (!block) blocks.set(key, (block = { month: item.month, lsoaCode, crimes: [] }));
      const x = xy[2 * i]!;
      block.crimes.push({
        id: ids[i]!,
        month: item.month,
        category: CRIME_CATEGORY_SLUGS[item.cat[i]!]!,
        lon: x === NO_COORDINATE ? null : x / 1e6,
        lat: x === NO_COORDINATE ? null : xy[2 * i + 1]! / 1e6,
        location: lookup(dict.loc, li[i]!) ?? '',
        lsoaCode,
        publishedLsoaCode: lookup(dict.pub, pi[i]!),
        outcome: lookup(dict.out, oi[i]!),
      });
    }
  }
  return [...blocks.values()];
}

/** Category counts per LSOA for one month, chunked so that even all of England's LSOAs stay far below 400 KB. */
export const COUNTS_CHUNK = 1000;

export interface CountsItem {
  pk: string;
  sk: string;
  month: string;
  codes: string;
  counts: Uint8Array;
}

export function countBlocks(blocks: CrimeBlock[]): Map<string, number[]> {
  const counts = new Map<string, number[]>();
  for (const block of blocks) {
    let row = counts.get(block.lsoaCode);
    if (!row) counts.set(block.lsoaCode, (row = new Array<number>(CATEGORY_COUNT).fill(0)));
    for (const c of block.crimes) row[CATEGORY_INDEX[c.category]]! += 1;
  }
  return counts;
}

/** Legacy layout: a month's counts in the dataset's one counts partition (tests write legacy months with it). */
export function encodeCounts(datasetId: string, month: string, counts: Map<string, number[]>, version?: string): CountsItem[] {
  return encodeCountsAt(month, counts, (chunk) => (version === undefined ? keys.counts(datasetId, month, chunk) : keys.countsVersioned(datasetId, month, version, chunk)));
}

/** The counts of one month × partition under a version (the partitioned layout). */
export function encodePartitionCounts(datasetId: string, month: string, partition: string, version: string, counts: Map<string, number[]>): CountsItem[] {
  return encodeCountsAt(month, counts, (chunk) => keys.countsPartition(datasetId, partition, month, version, chunk));
}

function encodeCountsAt(month: string, counts: Map<string, number[]>, keyOf: (chunk: number) => Key): CountsItem[] {
  const codes = [...counts.keys()].sort();
  const items: CountsItem[] = [];
  for (let start = 0, chunk = 0; start < codes.length; start += COUNTS_CHUNK, chunk++) {
    const slice = codes.slice(start, start + COUNTS_CHUNK);
    const packed = new Uint32Array(slice.length * CATEGORY_COUNT);
    slice.forEach((code, i) => packed.set(counts.get(code)!, i * CATEGORY_COUNT));
    items.push({
      ...keyOf(chunk),
      month,
      codes: slice.join(','),
      counts: new Uint8Array(packed.buffer),
    });
  }
  return items;
}

/** Counts items to month → LSOA → counts; a code found in several items (the unplaced crimes of several forces) is summed. */
export function decodeCounts(items: CountsItem[]): Map<string, Map<string, number[]>> {
  const byMonth = new Map<string, Map<string, number[]>>();
  for (const item of items) {
    const month = byMonth.get(item.month) ?? new Map<string, number[]>();
    byMonth.set(item.month, month);
    const packed = new Uint32Array(new Uint8Array(item.counts).buffer);
    if (item.codes === '') continue;
    item.codes.split(',').forEach((code, i) => {
      const row = Array.from(packed.subarray(i * CATEGORY_COUNT, (i + 1) * CATEGORY_COUNT));
      // UNPLACED_LSOA is in every force's unplaced partition (crime.ts): its rows add up; any other code is in one.
      const seen = month.get(code);
      if (seen) row.forEach((n, k) => (seen[k]! += n));
      else month.set(code, row);
    });
  }
  return byMonth;
}
