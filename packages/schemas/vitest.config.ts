import { defineConfig } from 'vitest/config';
// Timeouts are hang guards only, generous so a loaded machine never fails a test.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000 } });
