import { gunzipSync, gzipSync } from 'node:zlib';
import type { AreaGeometry, BBox, Lsoa } from '@safer-places/schemas';

/**
 * The packed copy of a dataset's LSOAs (keys.lsoaPackPiece): what a new API instance reads on its first request, so
 * what it costs to read decides how long that request takes. Format 2, gzipped:
 *
 *   "SPL2" | u32 LE length of the header | header JSON | one record per LSOA
 *
 * The header holds the count, the coordinate scale and a table of the distinct strings. A record holds the LSOA's
 * string fields as varints (index into the table + 1; 0 for null), its two number fields (varint 0: null; 1: a float64
 * follows; n ≥ 2: the whole number n − 2), then its geometry: type, the sizes of its polygons and rings, its coordinates,
 * and its bbox. With a scale (1e5, 1e6 or 1e7: the smallest at which every coordinate and bbox value comes back as the
 * same double), those are whole multiples of 1/scale written as zig-zag varints of the difference from the record's
 * previous x or y; without one, as float64. Either way the copy decodes to LSOAs equal to those packed, field by field.
 *
 * LSOAs with fields this format does not know, or of another shape, are packed as format 1 (gzipped JSON array), which
 * decoding also reads: it is what earlier versions wrote.
 */
const MAGIC = [0x53, 0x50, 0x4c, 0x32]; // "SPL2"
const SCALES = [1e5, 1e6, 1e7];
const STRING_FIELDS = ['code', 'name', 'districtCode', 'districtName', 'wardName', 'cspCode', 'cspName', 'deprivationSource'] as const;
const NUMBER_FIELDS = ['population', 'imdDecile'] as const;
const NULLABLE = new Set<string>(['wardName', 'cspCode', 'cspName', 'deprivationSource', 'population', 'imdDecile']);
const FIELDS = new Set<string>([...STRING_FIELDS, ...NUMBER_FIELDS, 'geometry', 'bbox']);
const POLYGON = 0;
const MULTI_POLYGON = 1;

interface Header {
  count: number;
  /** 0: coordinates as float64. */
  scale: number;
  strings: string[];
}

/** Whole numbers written as varints; anything else as float64 (population and deciles are whole in practice). */
const MAX_WHOLE = 2 ** 40;

export function encodeLsoaPack(lsoas: readonly Lsoa[]): Uint8Array {
  const scale = lsoas.every(hasPackedShape) ? scaleFor(lsoas) : null;
  if (scale === null) return gzipSync(Buffer.from(JSON.stringify(lsoas), 'utf8'));
  const strings: string[] = [];
  const index = new Map<string, number>();
  const w = new Writer(1024 + lsoas.length * 64);
  const xy = { x: 0, y: 0 };
  const value = scale === 0 ? (v: number) => w.float(v) : (v: number, axis: 'x' | 'y') => {
    const q = Math.round(v * scale);
    w.signed(q - xy[axis]);
    xy[axis] = q;
  };
  for (const l of lsoas) {
    for (const f of STRING_FIELDS) {
      const s = l[f];
      if (s === null) {
        w.unsigned(0);
        continue;
      }
      let i = index.get(s);
      if (i === undefined) index.set(s, (i = strings.push(s) - 1));
      w.unsigned(i + 1);
    }
    for (const f of NUMBER_FIELDS) {
      const n = l[f];
      if (n === null) w.unsigned(0);
      else if (Number.isInteger(n) && n >= 0 && n < MAX_WHOLE && !Object.is(n, -0)) w.unsigned(n + 2);
      else {
        w.unsigned(1);
        w.float(n);
      }
    }
    xy.x = 0;
    xy.y = 0;
    const polygons = l.geometry.type === 'Polygon' ? [l.geometry.coordinates] : l.geometry.coordinates;
    w.byte(l.geometry.type === 'Polygon' ? POLYGON : MULTI_POLYGON);
    if (l.geometry.type === 'MultiPolygon') w.unsigned(polygons.length);
    for (const rings of polygons) {
      w.unsigned(rings.length);
      for (const ring of rings) {
        w.unsigned(ring.length);
        for (const p of ring) {
          value(p[0]!, 'x');
          value(p[1]!, 'y');
        }
      }
    }
    value(l.bbox[0], 'x');
    value(l.bbox[1], 'y');
    value(l.bbox[2], 'x');
    value(l.bbox[3], 'y');
  }
  const header = Buffer.from(JSON.stringify({ count: lsoas.length, scale, strings } satisfies Header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return gzipSync(Buffer.concat([Buffer.from(MAGIC), length, header, w.bytes()]));
}

/**
 * The LSOAs of a packed copy (format 2, or format 1 as earlier versions wrote it). Throws on a damaged copy: format 2's
 * geometry bytes are walked through whole here, so a copy that would fail later is refused now.
 *
 * Format 2's boundaries are decoded when first read, each LSOA's on its own: a district's first request reads the boxes
 * of every LSOA but the boundaries of few, and England's 0.4 M vertices as arrays cost a new instance more in garbage
 * collection than anything else it does. `geometry` is an own, enumerable property like any other (JSON, spreading,
 * structured cloning and equality see it); reading it twice gives the same object; assigning it replaces it.
 */
export function decodeLsoaPack(gzipped: Uint8Array): Lsoa[] {
  const bytes = gunzipSync(gzipped);
  if (!MAGIC.every((b, i) => bytes[i] === b)) return (JSON.parse(bytes.toString('utf8')) as Lsoa[]).map(inLsoaOrder);
  const headerLength = bytes.readUInt32LE(4);
  const { count, scale, strings } = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as Header;
  // The records on their own, so the header's bytes are not kept alive by the boundaries not read yet.
  const source = new RecordSource(new Uint8Array(bytes.subarray(8 + headerLength)), scale, strings);
  const out: Lsoa[] = new Array<Lsoa>(count);
  for (let n = 0; n < count; n++) out[n] = source.next(n);
  source.end(count);
  return out;
}

/**
 * The LSOA with its fields in the order of the Lsoa type (any others after), as format 2 gives them: the same LSOA
 * read from the items, a format-1 copy or a format-2 copy then serialises to the same JSON (and the same ETag).
 */
export function inLsoaOrder<T extends Lsoa>(l: T): T {
  const { code, name, districtCode, districtName, wardName, cspCode, cspName, population, imdDecile, deprivationSource, geometry, bbox, ...rest } = l;
  return { code, name, districtCode, districtName, wardName, cspCode, cspName, population, imdDecile, deprivationSource, geometry, bbox, ...rest } as T;
}

/** Where an LSOA's boundary is in the geometry bytes, or the boundary once read (or assigned). */
interface Lazy {
  source: RecordSource;
  at: number;
  value?: AreaGeometry;
}
const LAZY = Symbol('packed LSOA boundary');
/** One getter and setter for every LSOA: objects built the same way share one hidden class. */
const GEOMETRY_PROPERTY: PropertyDescriptor = {
  get(this: { [LAZY]: Lazy }): AreaGeometry {
    const lazy = this[LAZY];
    if (!('value' in lazy)) lazy.value = lazy.source.read(lazy.at);
    return lazy.value!;
  },
  set(this: { [LAZY]: Lazy }, value: AreaGeometry) {
    this[LAZY].value = value;
  },
  enumerable: true,
  configurable: true,
};

/**
 * Format 2's records, read in order by `next`: the attributes, then the geometry (type, 0 Polygon or 1 MultiPolygon;
 * [polygon count]; per polygon its ring count; per ring its position count and positions) and the bbox. With a scale,
 * values are zig-zag varints of the difference from the record's previous x (or y), starting from 0; without, float64.
 */
class RecordSource {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    private readonly scale: number,
    private readonly strings: readonly string[],
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private at = 0;
  private x = 0;
  private y = 0;

  private byte(): number {
    if (this.at >= this.bytes.length) throw new Error('packed LSOAs: the copy ends early');
    return this.bytes[this.at++]!;
  }

  private unsigned(): number {
    const bytes = this.bytes;
    let at = this.at;
    let n = 0;
    let m = 1;
    for (;;) {
      if (at >= bytes.length) throw new Error('packed LSOAs: the copy ends early');
      const b = bytes[at++]!;
      n += (b & 127) * m;
      if (b < 128) break;
      m *= 128;
    }
    this.at = at;
    return n;
  }

  private float(): number {
    if (this.at + 8 > this.bytes.length) throw new Error('packed LSOAs: the copy ends early');
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }

  private nextX(): number {
    if (this.scale === 0) return this.float();
    const z = this.unsigned();
    return (this.x += z % 2 === 0 ? z / 2 : -(z + 1) / 2) / this.scale;
  }

  private nextY(): number {
    if (this.scale === 0) return this.float();
    const z = this.unsigned();
    return (this.y += z % 2 === 0 ? z / 2 : -(z + 1) / 2) / this.scale;
  }

  private start(at: number): number {
    this.at = at;
    this.x = 0;
    this.y = 0;
    return this.byte();
  }

  private text(): string | null {
    const i = this.unsigned();
    if (i === 0) return null;
    const s = this.strings[i - 1];
    if (s === undefined) throw new Error(`packed LSOAs: string ${i - 1} is not in the table`);
    return s;
  }

  private number(): number | null {
    const n = this.unsigned();
    return n === 0 ? null : n === 1 ? this.float() : n - 2;
  }

  /** The next record's LSOA: its attributes and bbox read now, its boundary when first asked for. */
  next(index: number): Lsoa {
    const code = this.text()!;
    const name = this.text()!;
    const districtCode = this.text()!;
    const districtName = this.text()!;
    const wardName = this.text();
    const cspCode = this.text();
    const cspName = this.text();
    const deprivationSource = this.text();
    const population = this.number();
    const imdDecile = this.number();
    // The fields in the order of the Lsoa type, as the items and format 1 give them.
    const lsoa = { code, name, districtCode, districtName, wardName, cspCode, cspName, population, imdDecile, deprivationSource } as Lsoa;
    const at = this.at;
    Object.defineProperty(lsoa, LAZY, { value: { source: this, at } satisfies Lazy });
    Object.defineProperty(lsoa, 'geometry', GEOMETRY_PROPERTY);
    lsoa.bbox = this.walk(at, index);
    return lsoa;
  }

  end(count: number): void {
    if (this.at !== this.bytes.length) throw new Error(`packed LSOAs: ${this.bytes.length - this.at} bytes left over after ${count} LSOAs`);
  }

  /** Checks the geometry at `at` and reads its bbox, without building its boundary; leaves the reader after the record. */
  private walk(at: number, index: number): BBox {
    const type = this.start(at);
    if (type !== POLYGON && type !== MULTI_POLYGON) throw new Error(`packed LSOAs: unknown geometry type ${type} at LSOA ${index}`);
    const polygons = type === MULTI_POLYGON ? this.unsigned() : 1;
    for (let p = 0; p < polygons; p++) {
      const rings = this.unsigned();
      for (let k = 0; k < rings; k++) {
        const n = this.unsigned();
        for (let v = 0; v < n; v++) {
          this.nextX();
          this.nextY();
        }
      }
    }
    return [this.nextX(), this.nextY(), this.nextX(), this.nextY()];
  }

  /** The boundary at `at` (checked by walk when the copy was read). */
  read(at: number): AreaGeometry {
    const resume = this.at;
    const type = this.start(at);
    const polygonCount = type === MULTI_POLYGON ? this.unsigned() : 1;
    const polygons: [number, number][][][] = new Array(polygonCount);
    for (let p = 0; p < polygonCount; p++) {
      const rings: [number, number][][] = new Array(this.unsigned());
      for (let k = 0; k < rings.length; k++) {
        const ring: [number, number][] = new Array(this.unsigned());
        for (let v = 0; v < ring.length; v++) ring[v] = [this.nextX(), this.nextY()];
        rings[k] = ring;
      }
      polygons[p] = rings;
    }
    this.at = resume;
    return type === POLYGON ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
  }
}

/** Exactly the fields of an LSOA, of the types the format writes, with 2-number positions. */
function hasPackedShape(l: Lsoa): boolean {
  const keys = Object.keys(l);
  if (keys.length !== FIELDS.size || !keys.every((k) => FIELDS.has(k))) return false;
  const record = l as unknown as Record<string, unknown>;
  for (const f of STRING_FIELDS) if (typeof record[f] !== 'string' && !(record[f] === null && NULLABLE.has(f))) return false;
  for (const f of NUMBER_FIELDS) if (typeof record[f] !== 'number' && record[f] !== null) return false;
  if (!Array.isArray(l.bbox) || l.bbox.length !== 4 || !l.bbox.every((v) => typeof v === 'number')) return false;
  const g = l.geometry as { type?: unknown; coordinates?: unknown };
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) return false;
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  return polygons.every((rings) => Array.isArray(rings) && rings.every((ring) => Array.isArray(ring) && ring.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'number')));
}

/** The smallest scale at which every coordinate and bbox value is a whole number of steps that divides back exactly; 0 if none. */
function scaleFor(lsoas: readonly Lsoa[]): number {
  let s = 0;
  const fits = (v: number) => {
    // Negative zero would come back as 0 from a whole number of steps: float64 keeps it.
    if (Object.is(v, -0)) return false;
    while (s < SCALES.length) {
      const scale = SCALES[s]!;
      const q = Math.round(v * scale);
      if (Number.isFinite(v) && Math.abs(q) < 2 ** 40 && q / scale === v) return true;
      s++;
    }
    return false;
  };
  for (const l of lsoas) {
    if (!l.bbox.every(fits)) return 0;
    const polygons = l.geometry.type === 'Polygon' ? [l.geometry.coordinates] : l.geometry.coordinates;
    for (const rings of polygons) for (const ring of rings) for (const p of ring) if (!fits(p[0]!) || !fits(p[1]!)) return 0;
  }
  // A value that fitted an earlier scale also fits a later one (each is a multiple of the one before).
  return SCALES[s] ?? 0;
}

class Writer {
  private buf: Buffer;
  private at = 0;
  constructor(size: number) {
    this.buf = Buffer.alloc(size);
  }
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }
  unsigned(n: number): void {
    this.room(8);
    while (n >= 128) {
      this.buf[this.at++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    this.buf[this.at++] = n;
  }
  signed(n: number): void {
    this.unsigned(n >= 0 ? n * 2 : -n * 2 - 1);
  }
  float(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.at);
    this.at += 8;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}
