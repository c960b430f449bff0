import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/lifecycle.ts';
import { MAIN_ENTRY, PROCESS_TEST_TIMEOUT_MS, runScript } from './support/botProcess.ts';
import { ProcessGroup } from './support/processGroup.ts';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.sEcReT_tOkEn-ValUe-1234567890abcdefgh';

/** Runs `src/main.ts` as `npm start` does, with only the given environment, and returns how it ended. */
function start(env: Record<string, string>) {
  // A start that hangs instead of exiting is killed at the process ceiling and fails on its exit code.
  return runScript(MAIN_ENTRY, [], env);
}

describe('starting the bot with bad settings', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('without a token it exits non-zero, naming DISCORD_TOKEN and where to get it', async () => {
    const result = await start({});
    expect(result.code).toBe(EXIT.needsOperator);
    expect(result.output).toMatch(/DISCORD_TOKEN is missing.*developers/);
  });

  it('with an unreachable DATABASE_URL it exits with a clear database message, not a stack trace', async () => {
    const result = await start({ DISCORD_TOKEN: TOKEN, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/Cannot reach the PostgreSQL server of DATABASE_URL \(127\.0\.0\.1:1\/x\)/);
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('reports every bad variable at once and never echoes the token', async () => {
    const result = await start({
      DISCORD_TOKEN: 'secret-Zq9',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      DISCORD_API_URL: 'nope',
    });
    expect(result.code).toBe(EXIT.needsOperator);
    for (const name of ['DISCORD_TOKEN', 'DATABASE_URL', 'LOG_LEVEL', 'DISCORD_API_URL'])
      expect(result.output).toContain(name);
    expect(result.output).not.toContain('secret-Zq9');
  });

  it('an unusable DATA_DIR is named in the message', async () => {
    // A path below a regular file cannot be created, even by root (file permissions would not stop root).
    const parent = mkdtempSync(path.join(os.tmpdir(), 'quizbot-ro-'));
    writeFileSync(path.join(parent, 'file'), '');
    try {
      const result = await start({ DISCORD_TOKEN: TOKEN, DATA_DIR: path.join(parent, 'file', 'data') });
      expect(result.code).toBe(EXIT.needsOperator);
      expect(result.output).toMatch(/DATA_DIR \(.*\) cannot be created \(ENOTDIR/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('a DATA_DIR on a special file system (/proc) stops at once instead of spinning', async () => {
    const result = await start({ DISCORD_TOKEN: TOKEN, DATA_DIR: '/proc/nope' });
    expect(result.code).toBe(EXIT.needsOperator);
    expect(result.output).toMatch(/DATA_DIR \(\/proc\/nope\) is on the proc file system/);
  });

  it('a DATA_DIR that is a file, or on a read-only file system, is named with the reason', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'quizbot-datadir-'));
    try {
      writeFileSync(path.join(parent, 'file'), '');
      const file = await start({ DISCORD_TOKEN: TOKEN, DATA_DIR: path.join(parent, 'file') });
      expect(file.code).toBe(EXIT.needsOperator);
      expect(file.output).toMatch(/DATA_DIR \(.*file\) is a file, not a directory/);

      // A read-only mount, made in a mount namespace of the bot's own (as a container's read-only volume is).
      const readOnly = path.join(parent, 'ro');
      const mounted = new ProcessGroup(
        'unshare',
        [
          '-m',
          'sh',
          '-c',
          'mkdir -p "$1" && mount -t tmpfs -o ro,size=1m tmpfs "$1" && exec "$2" --import tsx src/main.ts',
          'sh',
          readOnly,
          process.execPath,
        ],
        { DISCORD_TOKEN: TOKEN, DATA_DIR: readOnly },
      );
      expect((await mounted.exited).code).toBe(EXIT.needsOperator);
      expect(mounted.lines.join('\n')).toMatch(/DATA_DIR \(.*ro\) is not writable \(EROFS\)/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
