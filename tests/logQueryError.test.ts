import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the log', () => {
  it('keeps the failed statement of a database error but never the parameters, which hold what students wrote', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'tests/fixtures/logQueryError.ts'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
      timeout: 60_000,
    });
    expect(result.stdout).toContain('Failed query: insert into answers (body) values ($1)');
    expect(result.stdout).not.toMatch(/MY ANSWER|over two lines/);
  });
});
