import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Machine-code tests share one process-wide koffi instance; forks keep native state isolated per file.
    pool: 'forks',
    reporters: ['default', './tests/summary-reporter.ts'],
  },
});
