import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/globalSetup.ts'],
    reporters: ['default', './tests/support/summaryReporter.ts'],
    // Ceilings for a hang on a 2-core machine busy with other work, not speed targets (those are benchmarks):
    // a test waits for conditions (tests/support/botProcess.ts: CONDITION_TIMEOUT_MS), never for a fixed time.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
