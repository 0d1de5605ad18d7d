import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/index';
import { expectGolden, readInput } from './golden';

describe('seededRandom', () => {
  it('reproduces the golden sequences (generated demo data depends on them)', () => {
    const input = readInput('seeded-random', 'seeds');
    const features = input.features.map((f: any) => {
      const rng = seededRandom(f.properties.seed);
      const [x, y] = f.geometry.coordinates as [number, number];
      const points = Array.from({ length: 5 }, () => [x + rng.next() * 0.01, y + rng.next() * 0.01]);
      const ints = Array.from({ length: 5 }, () => rng.int(1, 6));
      const normals = Array.from({ length: 4 }, () => rng.normal());
      const pick = rng.pick(['north', 'south', 'east', 'west']);
      return { type: 'Feature', properties: { seed: f.properties.seed, ints, normals, pick }, geometry: { type: 'MultiPoint', coordinates: points } };
    });
    expectGolden('seeded-random', 'sequences', { type: 'FeatureCollection', features });
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const sa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(sa);
  });

  it('has sane distributions', () => {
    const r = seededRandom(123);
    const n = 100_000;
    let sum = 0, min = 1, max = 0;
    for (let i = 0; i < n; i++) {
      const v = r.next();
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);

    let s1 = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s1 += v;
      s2 += v * v;
    }
    expect(s1 / n).toBeCloseTo(0, 1);
    expect(s2 / n).toBeCloseTo(1, 1);

    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const k = r.int(1, 6);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of counts.values()) expect(c).toBeGreaterThan(9_000);
  });

  it('rejects bad arguments', () => {
    const r = seededRandom(1);
    expect(() => r.int(3, 1)).toThrow(RangeError);
    expect(() => r.int(0.5, 2)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(RangeError);
  });
});
