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
    // A worker keeps its modules from one test file to the next (no file relies on a fresh module state): the whole
    // suite took 764 s instead of 822 s on 2026-12-02 (2 cores; 738 s with 3 workers, within the noise, so 2).
    isolate: false,
    maxWorkers: 2,
  },
});
