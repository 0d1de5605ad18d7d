import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 600_000,
    benchmark: { include: ['bench/**/*.bench.ts'] },
  },
});
