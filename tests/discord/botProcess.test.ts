import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startBot, type BotProcess } from '../support/botProcess.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/readyLoggingProcess.ts', import.meta.url));
let bot: BotProcess | undefined;

afterEach(async () => {
  await bot?.kill();
  bot = undefined;
});

describe('startBot', () => {
  it('resolves on the ready line, does not inherit the developer env, and stops on SIGTERM', async () => {
    const developerToken = process.env.DISCORD_TOKEN;
    process.env.DISCORD_TOKEN = 'developer-token-that-must-not-leak';
    try {
      bot = await startBot({ env: { LOG_LEVEL: 'info' }, entry: FIXTURE });
    } finally {
      if (developerToken === undefined) delete process.env.DISCORD_TOKEN;
      else process.env.DISCORD_TOKEN = developerToken;
    }
    expect(bot.logs.some((line) => line.includes('"hasDiscordToken":false'))).toBe(true);
    await bot.stop();
    expect(bot.exitCode).toBe(0);
    expect(bot.logs.at(-1)).toContain('"msg":"stopping"');
    expect(bot.unhandledErrors()).toEqual([]);
  });

  it('reports unhandled rejections', async () => {
    bot = await startBot({ env: { FIXTURE_MODE: 'crash' }, entry: FIXTURE });
    await bot.exited;
    expect(bot.exitCode).not.toBe(0);
    expect(bot.unhandledErrors().length).toBeGreaterThan(0);
  });

  it('kills with SIGKILL when SIGTERM is ignored', async () => {
    bot = await startBot({ env: { FIXTURE_MODE: 'ignore-sigterm' }, entry: FIXTURE });
    await bot.stop();
    expect(bot.signal).toBe('SIGKILL');
  });

  it('rejects with the captured output when the process exits before ready', async () => {
    await expect(startBot({ env: {}, entry: '/nonexistent/main.ts' })).rejects.toThrow(
      /exited|nonexistent|Cannot find/,
    );
  });
});
