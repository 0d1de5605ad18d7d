import { describe, expect, it } from 'vitest';
import { classIndex, quantileBreaks } from '../src/features/map/breaks';

describe('quantileBreaks', () => {
  it('splits evenly spread values into five equal classes', () => {
    const c = quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(c.lowerBounds).toEqual([1, 3, 5, 7, 9]);
    expect(c.classes.map((k) => [k.min, k.max, k.count])).toEqual([[1, 2, 2], [3, 4, 2], [5, 6, 2], [7, 8, 2], [9, 10, 2]]);
    expect(c.noData).toBe(0);
  });

  it('does not depend on input order', () => {
    expect(quantileBreaks([10, 4, 1, 8, 2, 9, 3, 7, 5, 6]).lowerBounds).toEqual([1, 3, 5, 7, 9]);
    expect(quantileBreaks([9, 3, 0, 7, 1, 8, 2, 6, 4, 5]).lowerBounds).toEqual(quantileBreaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).lowerBounds);
  });

  it('never splits tied values across classes and drops duplicate bounds', () => {
    const c = quantileBreaks([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]);
    expect(c.lowerBounds).toEqual([1, 2, 4]);
    expect(c.classes.map((k) => [k.min, k.max, k.count])).toEqual([[1, 1, 6], [2, 3, 2], [4, 5, 2]]);
  });

  it('makes 0 a class of its own and splits the positive values into the other four', () => {
    const c = quantileBreaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(c.lowerBounds).toEqual([0, 1, 4, 6, 8]);
    expect(c.classes.map((k) => [k.min, k.max, k.count])).toEqual([[0, 0, 1], [1, 3, 3], [4, 5, 2], [6, 7, 2], [8, 9, 2]]);
  });

  it('keeps 0 apart on sparse data, where quantiles over every value collapsed to two classes', () => {
    // 70 % zeros: every quantile position up to 60 % is 0.
    const values = [...Array(70).fill(0), ...Array(12).fill(1), ...Array(8).fill(2), 3, 3, 4, 5, 6, 7, 9, 11, 15, 30];
    const c = quantileBreaks(values);
    expect(c.classes[0]).toEqual({ lower: 0, min: 0, max: 0, count: 70 });
    expect(c.lowerBounds).toEqual([0, 1, 2, 5]);
    expect(c.classes.reduce((s, k) => s + k.count, 0)).toBe(values.length);
  });

  it('keeps 0 apart when zeros are few (no "0–2" class)', () => {
    const values = [0, 0, ...Array(10).fill(1), ...Array(10).fill(2), ...Array.from({ length: 28 }, (_, i) => 3 + i)];
    const c = quantileBreaks(values);
    expect(c.classes[0]).toMatchObject({ min: 0, max: 0, count: 2 });
    expect(c.classes[1]!.min).toBe(1);
  });

  it('has no 0 class when there is no zero, or only zeros, or one class was asked for', () => {
    expect(quantileBreaks([2, 3, 4]).lowerBounds[0]).toBe(2);
    expect(quantileBreaks([0, 0]).lowerBounds).toEqual([0]);
    expect(quantileBreaks([0, 1, 2], 1).lowerBounds).toEqual([0]);
  });

  it('puts all-zero data in a single class', () => {
    const c = quantileBreaks([0, 0, 0, 0]);
    expect(c.lowerBounds).toEqual([0]);
    expect(c.classes).toEqual([{ lower: 0, min: 0, max: 0, count: 4 }]);
  });

  it('treats null, NaN and infinities as no data', () => {
    const c = quantileBreaks([null, 5, undefined, Number.NaN, 10, Infinity, 15]);
    expect(c.noData).toBe(4);
    expect(c.classes.reduce((s, k) => s + k.count, 0)).toBe(3);
    expect(c.lowerBounds).toEqual([5, 10, 15]);
  });

  it('returns no classes when nothing has data', () => {
    expect(quantileBreaks([null, null])).toEqual({ lowerBounds: [], classes: [], noData: 2 });
    expect(quantileBreaks([])).toEqual({ lowerBounds: [], classes: [], noData: 0 });
  });

  it('handles skewed crime-like counts with a long tail', () => {
    const values = [...Array(50).fill(1), ...Array(30).fill(2), 3, 4, 5, 6, 8, 10, 12, 15, 20, 40, 80, 150, 300, 500, 900, 1000, 1200, 2000, 2500, 4000];
    const c = quantileBreaks(values);
    // Ties at 1 and 2 collapse the lower quantiles; the tail still gets its own classes.
    expect(c.lowerBounds).toEqual([1, 2, 3]);
    expect(c.classes.at(-1)).toMatchObject({ min: 3, max: 4000, count: 20 });
    expect(c.classes.reduce((s, k) => s + k.count, 0)).toBe(values.length);
  });

  it('rejects a non-positive class count', () => {
    expect(() => quantileBreaks([1, 2, 3], 0)).toThrow(RangeError);
  });
});

describe('classIndex', () => {
  const bounds = [0, 2, 4, 6, 8];
  it('finds the class whose lower bound is the largest not above the value', () => {
    expect(classIndex(0, bounds)).toBe(0);
    expect(classIndex(1.99, bounds)).toBe(0);
    expect(classIndex(2, bounds)).toBe(1);
    expect(classIndex(7.5, bounds)).toBe(3);
    expect(classIndex(1000, bounds)).toBe(4);
  });
  it('puts values below the first bound in the first class', () => {
    expect(classIndex(-3, bounds)).toBe(0);
  });
  it('returns -1 for no data', () => {
    expect(classIndex(null, bounds)).toBe(-1);
    expect(classIndex(Number.NaN, bounds)).toBe(-1);
    expect(classIndex(3, [])).toBe(-1);
  });
});
