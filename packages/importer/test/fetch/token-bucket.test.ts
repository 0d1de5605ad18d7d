import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/fetch/clock';
import { TokenBucket } from '../../src/fetch/token-bucket';

/**
 * Largest number of grants in any window of `windowMs` (grants at or after t and before t + windowMs); a nanosecond
 * of slack absorbs floating-point error in grant times such as 14 × 66.666… ms.
 */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs - 1e-6) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('TokenBucket (fake clock)', () => {
  it('lets a burst of 30 through at once, then exactly 15 per second', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(15, 30, clock);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 120 }, () => bucket.take().then(() => times.push(clock.now()))));
    expect(times.slice(0, 30).every((t) => t === 0)).toBe(true);
    expect(times[30]).toBeCloseTo(1000 / 15, 6);
    // 90 after the burst at 15/s: the last one 6 s in.
    expect(times[119]).toBeCloseTo(6000, 3);
    // After the burst no second holds more than 15 grants.
    const after = times.slice(30);
    expect(maxInWindow(after, 1000)).toBeLessThanOrEqual(15);
    // And over any window T, never more than 30 + 15·T.
    for (const w of [500, 1000, 2000, 4000]) expect(maxInWindow(times, w)).toBeLessThanOrEqual(30 + Math.ceil((15 * w) / 1000));
    // Grants come in call order.
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('refills while idle, but never above its capacity', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(15, 30, clock);
    for (let i = 0; i < 30; i++) await bucket.take();
    expect(bucket.available()).toBeCloseTo(0, 9);
    await clock.sleep(1000);
    expect(bucket.available()).toBeCloseTo(15, 9);
    await clock.sleep(60_000);
    expect(bucket.available()).toBe(30);
  });

  it('drain() makes the next caller wait a full token', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(15, 30, clock);
    bucket.drain();
    await bucket.take();
    expect(clock.now()).toBeCloseTo(1000 / 15, 6);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => new TokenBucket(0, 30)).toThrow(RangeError);
    expect(() => new TokenBucket(15, 0)).toThrow(RangeError);
  });
});
