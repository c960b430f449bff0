import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableLogs } from '../src/logger.ts';
import { FakeDiscord } from './fake-discord/index.ts';
import { MAIN_ENTRY, PROCESS_TEST_TIMEOUT_MS, runScript } from './support/botProcess.ts';
import { templateDir } from './support/pgliteTemplate.ts';

describe('log format', () => {
  it('is readable on a terminal and JSON elsewhere, unless LOG_FORMAT says otherwise', () => {
    expect(readableLogs('auto', true)).toBe(true);
    expect(readableLogs('auto', false)).toBe(false);
    expect(readableLogs('json', true)).toBe(false);
    expect(readableLogs('pretty', false)).toBe(true);
  });

  describe('of the real bot', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
    let fake: FakeDiscord;
    let dataDir: string;
    beforeAll(async () => {
      fake = await FakeDiscord.start();
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-logs-'));
      cpSync(templateDir(), path.join(dataDir, 'pglite'), { recursive: true });
    });
    afterAll(async () => {
      await fake?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    // A start that gets as far as Discord and is refused there: it logs the database line, then stops.
    const start = (env: Record<string, string>, terminal: boolean) =>
      runScript(
        MAIN_ENTRY,
        [],
        {
          DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.wrongwrongwrongwrong',
          DISCORD_API_URL: fake.apiUrl,
          DATA_DIR: dataDir,
          ...env,
        },
        { terminal },
      );

    it('on a terminal: one readable line per event, with time and level, no JSON, and the bank as counts', async () => {
      const result = await start({}, true);
      const output = stripVTControlCharacters(result.output);
      expect(output).toMatch(
        /^\[\d\d:\d\d:\d\d\] INFO: database ready \{"engine":"pglite","questions":\d+,"added":\d+,"updated":\d+,"retired":\d+\}\r?$/m,
      );
      expect(output).not.toMatch(/^\{"level"/m);
      expect(output).toMatch(/Discord rejected DISCORD_TOKEN/);
    });

    it('LOG_FORMAT=json keeps JSON lines on a terminal; a pipe gets JSON lines by default', async () => {
      for (const result of [await start({ LOG_FORMAT: 'json' }, true), await start({}, false)]) {
        expect(result.output).toMatch(
          /^\{"level":30,"time":\d+,"engine":"pglite","questions":\d+,.*"msg":"database ready"\}/m,
        );
      }
    });
  });
});
