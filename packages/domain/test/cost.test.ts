import { describe, expect, it } from 'vitest';
import { MAX_AREA_LSOAS } from '@safer-places/schemas';
import { checkAreaLsoas, checkReadCost, readCost } from '../src/cost';
import { LimitExceededError } from '../src/errors';

describe('pricing before the work', () => {
  it('refuses an area whose box meets more LSOAs than MAX_AREA_LSOAS, naming the limit, and lets one at the limit through', () => {
    expect(() => checkAreaLsoas(MAX_AREA_LSOAS, 'the area')).not.toThrow();
    const err = (() => {
      try {
        checkAreaLsoas(33_648, 'the area');
      } catch (e) {
        return e;
      }
      return null;
    })() as LimitExceededError;
    expect(err).toBeInstanceOf(LimitExceededError);
    expect({ limit: err.limit, asked: err.asked, max: err.max }).toEqual({ limit: 'MAX_AREA_LSOAS', asked: 33_648, max: MAX_AREA_LSOAS });
    expect(err.message).toMatch(/the area stretches over the boxes of 33,648 LSOAs; the limit is 3,000 per analysis \(MAX_AREA_LSOAS\)/);
  });

  it('prices months × partitions from the pointers’ sizes, a month without sizes counting none', () => {
    const sizes = new Map([
      ['2024-01', new Map([['A', 10], ['B', 5]])],
      ['2024-02', new Map([['A', 7]])],
    ]);
    expect(readCost(sizes, ['2024-01', '2024-02', '2024-03'], ['A', 'B'])).toEqual({ months: 3, partitions: 2, partitionReads: 6, crimes: 22 });
    expect(() => checkReadCost({ months: 3, partitions: 2, partitionReads: 6, crimes: 22 }, 'x')).not.toThrow();
  });
});
