import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // Hang guards only, generous so a loaded machine never fails a test.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
