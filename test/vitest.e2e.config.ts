import { defineConfig } from 'vitest/config';

/** Browser tests: the real local server plus headless Chromium. Run with `npm run test:e2e` from the repository root. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
  },
});
