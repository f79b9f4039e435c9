// Unit, CLI and integration tests run in Node; the browser is covered by Playwright (e2e/).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/setupFastCheck.ts'],
  },
});
