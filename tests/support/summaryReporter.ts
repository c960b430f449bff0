import type { Reporter, TestModule } from 'vitest/node';

const ENGINES = ['pglite', 'postgres'] as const;

/**
 * Ends the run with how many database tests ran on each engine (so a skipped PostgreSQL run shows),
 * then one plain line, `N passed, N failed`, that CI and people can read.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    const perEngine = new Map<string, number>(ENGINES.map((engine) => [engine, 0]));
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        // A test that never ran because its file's set-up failed (beforeAll timed out, say) failed too; one left
        // out on purpose (.skip, .todo, or not matching -t) did not run and did not fail.
        else if (
          state === 'failed' ||
          (module.state() === 'failed' && test.options.mode !== 'skip' && test.options.mode !== 'todo')
        )
          failed += 1;
        for (const engine of ENGINES) {
          if (state === 'passed' && test.fullName.includes(`[${engine}]`))
            perEngine.set(engine, perEngine.get(engine)! + 1);
        }
      }
    }
    const engines = ENGINES.map((engine) => `${perEngine.get(engine)} on ${engine}`).join(', ');
    process.stdout.write(`\nDatabase suites passed: ${engines}\n${passed} passed, ${failed} failed\n`);
  }
}
