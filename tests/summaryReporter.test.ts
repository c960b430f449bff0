import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'summary-reporter-'));
const config = path.join(dir, 'vitest.config.mjs');
writeFileSync(
  config,
  `export default { test: { root: ${JSON.stringify(ROOT)}, include: ['tests/fixtures/reporter/sample.ts'], reporters: [${JSON.stringify(path.join(ROOT, 'tests/support/summaryReporter.ts'))}] } };\n`,
);

/** The last line the reporter printed for a run of the sample file with these arguments. */
async function summary(...args: string[]): Promise<string> {
  const run = await promisify(execFile)(
    process.execPath,
    [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config, ...args],
    { cwd: ROOT },
  ).catch((error: { stdout: string }) => error);
  return run.stdout.trim().split('\n').at(-1)!;
}

describe('the summary line', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts a failure and the tests a failed set-up kept from running', async () => {
    expect(await summary()).toBe('2 passed, 2 failed');
  });

  it('does not count tests left out by -t as failed', async () => {
    expect(await summary('-t', 'fails')).toBe('0 passed, 1 failed');
  });
});
