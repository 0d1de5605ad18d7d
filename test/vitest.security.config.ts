import { defineConfig } from 'vitest/config';

/** `npm run test:security`: bad-input corpus, route × role matrix, organisation isolation, faults and load. */
export default defineConfig({
  test: {
    include: ['security/**/*.test.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    globalSetup: ['security/figures-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The load test measures; nothing else should compete for the two cores while it runs.
    fileParallelism: false,
  },
});
