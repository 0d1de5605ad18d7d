/** Time source and sleeper, injectable so rate limiting and back-off can be tested with a fake clock. */
export interface Clock {
  /** Milliseconds from an arbitrary origin; only differences are used. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.ceil(ms)))),
};

/** A clock whose time only moves when someone sleeps on it (deterministic tests). */
export function fakeClock(start = 0): Clock & { sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += Math.max(0, ms);
    },
  };
}
