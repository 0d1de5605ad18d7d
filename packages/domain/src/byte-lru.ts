/**
 * A least-recently-used cache bounded by bytes rather than entries: each value's size is measured when it is stored,
 * and the least recently used values are dropped until the total fits. Loads are shared: two requests asking for the
 * same key at once wait on one load (one read of the store), and a load that fails is not kept, so the next request
 * tries again. A value larger than the whole budget is handed to its callers but not kept.
 *
 * Single-threaded JavaScript makes every method atomic; the only interleaving is across `await`, which the in-flight
 * map covers.
 */
export class ByteLru<V> {
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private readonly inFlight = new Map<string, Promise<V>>();
  private used = 0;
  private evictions = 0;

  constructor(
    /** The most bytes kept at once. */
    readonly maxBytes: number,
    /** Measures a value (typed arrays' byteLength plus an estimate for strings and objects). */
    private readonly sizeOf: (value: V) => number,
  ) {
    if (!(maxBytes >= 0)) throw new Error(`a byte-bounded cache needs a size of at least 0 bytes, not ${maxBytes}`);
  }

  /** The cached value (marking it most recently used), or undefined. */
  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /** Whether a value is cached or being loaded (does not change recency). */
  has(key: string): boolean {
    return this.entries.has(key) || this.inFlight.has(key);
  }

  /** Stores a value, then drops the least recently used values until the total fits. */
  set(key: string, value: V): void {
    this.delete(key);
    const bytes = Math.max(0, this.sizeOf(value));
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    for (const [k, e] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(k);
      this.used -= e.bytes;
      this.evictions++;
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.used -= e.bytes;
  }

  /** Drops every key the predicate accepts (e.g. an older version of a dataset). */
  deleteWhere(predicate: (key: string) => boolean): void {
    for (const k of [...this.entries.keys()]) if (predicate(k)) this.delete(k);
  }

  /**
   * The cached value, or the one being loaded for the key, or a new load: one load per key at a time, its value kept
   * when it succeeds, nothing kept when it fails.
   */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        try {
          const value = await load();
          this.set(key, value);
          return value;
        } finally {
          this.inFlight.delete(key);
        }
      })();
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** What the cache holds now: entries, bytes and how many were evicted so far. */
  stats(): { entries: number; bytes: number; maxBytes: number; evictions: number; loading: number } {
    return { entries: this.entries.size, bytes: this.used, maxBytes: this.maxBytes, evictions: this.evictions, loading: this.inFlight.size };
  }

  /** Keys from least to most recently used (for tests and diagnostics). */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}

/** Bytes a string takes in memory, roughly (two bytes a character plus a header). */
export function stringBytes(s: string): number {
  return 24 + 2 * s.length;
}

/** Mebibytes to bytes, for cache-size options. */
export const MB = 1024 * 1024;
