import { systemClock, type Clock } from './clock';

/**
 * Token bucket shared by every request to one API: `ratePerSecond` tokens are added per second up to `capacity`;
 * each request takes one token, waiting when none is left. police.uk allows 15 requests/s with bursts of 30.
 *
 * Waiters are served strictly in arrival order (a promise chain), so concurrent callers cannot overtake each other
 * and the long-run rate never exceeds `ratePerSecond` after the initial burst.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond = 15,
    readonly capacity = 30,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(ratePerSecond > 0) || !(capacity >= 1)) throw new RangeError('TokenBucket: rate must be > 0 and capacity ≥ 1');
    this.tokens = capacity;
    this.last = clock.now();
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeInOrder());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Empties the bucket (after a 429 every waiting request should slow down, not only the one that was refused). */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  /** Tokens available now (for tests and diagnostics). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
      this.last = now;
    }
  }

  private async takeInOrder(): Promise<void> {
    this.refill();
    // A timer may fire a fraction of a millisecond early, so loop rather than trust one sleep.
    while (this.tokens < 1 - 1e-9) {
      await this.clock.sleep(((1 - this.tokens) * 1000) / this.ratePerSecond);
      this.refill();
    }
    this.tokens -= 1;
  }
}
