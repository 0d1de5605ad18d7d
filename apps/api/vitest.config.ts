import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['test/**/*.test.ts'], env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, testTimeout: 120_000, hookTimeout: 300_000, benchmark: { include: ['test/**/*.bench.ts'] } } });
