import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Benchmarks one file at a time: parallel files on two cores make every figure noise.
    fileParallelism: process.argv.includes('bench') ? false : true,
    benchmark: { include: ['test/**/*.bench.ts'] },
  },
});
