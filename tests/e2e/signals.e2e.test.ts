import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/lifecycle.ts';
import { FakeDiscord } from '../fake-discord/index.ts';
import { templateDir } from '../support/pgliteTemplate.ts';
import { ended, ProcessGroup } from '../support/processGroup.ts';

const READY = /"msg":"ready"/;

describe('stopping the bot as operators do', { timeout: 180_000 }, () => {
  let fake: FakeDiscord;
  let dataDir: string;
  let running: ProcessGroup | undefined;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
    fake.createGuild({ name: 'Signals' });
  });
  afterEach(() => {
    running?.killAll();
    running = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await fake?.close();
  });

  function env(): Record<string, string> {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-signals-'));
    cpSync(templateDir(), path.join(dataDir, 'pglite'), { recursive: true });
    return { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  }

  /** The bot stopped cleanly; npm, when it leads the group, ends by the same signal (which supervisors count as a stop). */
  async function expectCleanStop(group: ProcessGroup, botPid: number): Promise<void> {
    const { code, signal } = await group.exited;
    expect(await group.waitForLine(/"msg":"stopped"/, 5_000)).toContain(`"code":${EXIT.stopped}`);
    const stoppedAsExpected = group.pid === botPid ? code === EXIT.stopped : code === 0 || signal !== null;
    expect(stoppedAsExpected, `${group.pid === botPid ? 'the bot' : 'npm'} ended with ${code ?? signal}`).toBe(true);
    expect(await ended(botPid)).toBe(true);
    expect(existsSync(path.join(dataDir, 'bot.lock')), 'the lock is released').toBe(false);
    expect(group.lines.join('\n')).not.toMatch(/forced|unhandled/i);
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} to the whole process group of \`npm start\` (${signal === 'SIGINT' ? 'Ctrl-C in a terminal' : 'systemd'}) closes Discord and the database and exits 0`, async () => {
      const group = (running = new ProcessGroup('npm', ['start'], env()));
      await group.waitForLine(READY);
      const botPid = group.botPid()!;
      group.signalGroup(signal);
      await expectCleanStop(group, botPid);
      // npm relays the signal it got to the bot, which therefore sees it twice: one request, not two.
      expect(group.lines.filter((line) => line.includes('"msg":"stopping"'))).toHaveLength(1);
    });
  }

  it('SIGTERM to npm alone (`docker stop` when `npm start` is the command) stops the bot too, cleanly', async () => {
    const group = (running = new ProcessGroup('npm', ['start'], env()));
    await group.waitForLine(READY);
    const botPid = group.botPid()!;
    group.signalLeader('SIGTERM');
    await expectCleanStop(group, botPid);
  });

  it('the built bot runs as one process that gets the signal itself, and stops cleanly on it', async () => {
    const build = new ProcessGroup('npm', ['run', '-s', 'build'], {}, { inProject: true });
    expect((await build.exited).code).toBe(0);
    const group = (running = new ProcessGroup(process.execPath, ['dist/main.js'], env()));
    await group.waitForLine(READY);
    expect(group.botPid()).toBe(group.pid);
    group.signalLeader('SIGTERM');
    await expectCleanStop(group, group.pid);
  });

  it('while shutdown waits for an interaction in progress, a second Ctrl-C only says so and a third forces the exit', async () => {
    const guild = fake.guilds[0]!;
    const student = guild.addStudent('Slow Sam');
    const group = (running = new ProcessGroup('npm', ['start'], env()));
    await group.waitForLine(READY);
    // Discord answers the bot's reply slowly, so the interaction is still in progress when the stop begins.
    fake.faults.slow({ method: 'POST', route: /\/interactions\/.*\/callback/, delayMs: 20_000, times: 1 });
    void student.run('quiz').catch(() => undefined);
    await fake.waitFor(
      () => fake.requests.some((request) => request.route.includes('/callback')),
      10_000,
      'the reply is on its way',
    );
    group.signalGroup('SIGINT');
    await group.waitForLine(/"msg":"stopping"/, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    group.signalGroup('SIGINT');
    await group.waitForLine(/still stopping/, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    group.signalGroup('SIGINT');
    await group.exited;
    expect(await group.waitForLine(/forced to exit by SIGINT/, 5_000)).toContain(`"code":${EXIT.forced}`);
    expect(group.lines.join('\n')).not.toMatch(/"msg":"stopped"/);
    fake.clearFaults();
  });
});
