/**
 * A small seeded pseudo-random generator (sfc32: 128 bits of state, period ≥ 2^32, fast in JavaScript's 32-bit
 * integer arithmetic), so the national generator's output depends only on its seed and never on Math.random.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  /** A generator for one stream of the data set, named by its parts (e.g. seed, "crimes", month, force). */
  constructor(...parts: (string | number)[]) {
    const key = parts.join('\u0001');
    this.a = fnv1a(key, 0x811c9dc5);
    this.b = fnv1a(key, 0x01000193);
    this.c = fnv1a(key, 0x5bd1e995);
    this.d = 1;
    // Discard the first outputs: sfc32 mixes its state in a dozen rounds.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A standard normal draw (Box–Muller, the second value of each pair kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche so nearby keys give unrelated states.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Walker's alias table: draws an index in proportion to its weight in constant time, whatever the number of weights
 * (33,755 LSOAs, or a force's few hundred).
 */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new Error('an alias table needs at least one weight');
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    if (!(total > 0)) throw new Error('an alias table needs a positive total weight');
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sample(rng: Random): number {
    const n = this.prob.length;
    const u = rng.next() * n;
    const i = Math.min(n - 1, Math.floor(u));
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }
}
