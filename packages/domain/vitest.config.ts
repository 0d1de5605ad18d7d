import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards only, generous so a loaded machine never fails a test: no verdict depends on speed.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    benchmark: { include: ['test/**/*.bench.ts'] },
  },
});
