import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/lifecycle.ts';
import { FakeDiscord } from '../fake-discord/index.ts';
import { startBot } from '../support/botProcess.ts';
import { openTestPostgres, testDatabaseUrl, type TestDatabase } from '../support/database.ts';
import { templateDir } from '../support/pgliteTemplate.ts';
import { ProcessGroup } from '../support/processGroup.ts';
import { holdTableLock } from '../support/tableLock.ts';
import { TcpProxy } from '../support/tcpProxy.ts';
import { startWorld, textOf, type World } from './world.ts';

const READY = /"msg":"ready"/;

function embeddedDataDir(): string {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-ops-'));
  cpSync(templateDir(), path.join(dataDir, 'pglite'), { recursive: true });
  return dataDir;
}

// Ceilings, not targets: each test starts the bot once or twice, which takes tens of seconds on a busy machine.
describe('the operator restarts, revokes and runs the bot as a container would', { timeout: 180_000 }, () => {
  let fake: FakeDiscord;
  const dataDirs: string[] = [];
  beforeAll(async () => {
    fake = await FakeDiscord.start();
    fake.createGuild({ name: 'Operations' });
  });
  afterAll(async () => {
    await fake?.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('as pid 1 of its own pid namespace (a container), it starts again after being killed with its lock left behind', async () => {
    const dataDir = embeddedDataDir();
    dataDirs.push(dataDir);
    const env = { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir };
    const asPidOne = () =>
      new ProcessGroup(
        'unshare',
        ['--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, '--import', 'tsx', 'src/main.ts'],
        env,
      );
    const first = asPidOne();
    try {
      await first.waitForLine(READY);
      expect(first.botPid()).toBe(1);
      first.killAll();
      await first.exited;
      expect(JSON.parse(readFileSync(path.join(dataDir, 'bot.lock'), 'utf8')).pid).toBe(1);

      const second = asPidOne();
      try {
        await second.waitForLine(READY);
        expect(second.lines.join('\n')).not.toMatch(/Another bot process/);
      } finally {
        second.killAll();
      }
    } finally {
      first.killAll();
    }
  });

  it('a Discord that cannot be reached at start-up is retried, saying so, and the bot gets ready once it is back', async () => {
    const dataDir = embeddedDataDir();
    dataDirs.push(dataDir);
    const api = new URL(fake.apiUrl);
    const proxy = await TcpProxy.start({ host: api.hostname, port: Number(api.port) });
    await proxy.cut();
    api.port = String(proxy.port);
    const group = new ProcessGroup(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: api.toString().replace(/\/$/, ''),
      DATA_DIR: dataDir,
    });
    try {
      expect(await group.waitForLine(/could not reach Discord; retrying/)).toMatch(/"code":"ECONNREFUSED"/);
      await proxy.resume();
      await group.waitForLine(READY);
      expect(group.lines.filter((line) => line.includes('connecting to Discord')).length).toBeGreaterThanOrEqual(2);
      // Each phase of the start says what it is doing, in order.
      const phases = [
        '"starting"',
        'opening the embedded database',
        'applying database migrations',
        '"database ready"',
        'connecting to Discord',
        'registering the slash commands',
        '"ready"',
      ];
      const firstLine = (phase: string) => group.lines.findIndex((line) => line.includes(phase));
      const order = phases.map(firstLine);
      expect(
        order.every((index) => index >= 0),
        `${phases.filter((_, i) => order[i]! < 0).join(', ')} missing`,
      ).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    } finally {
      group.killAll();
      await proxy.close();
    }
  });

  it('a Discord that takes the connection and never answers is not met with silence: the bot says it is still waiting', async () => {
    const dataDir = embeddedDataDir();
    dataDirs.push(dataDir);
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const group = new ProcessGroup(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
      DATA_DIR: dataDir,
    });
    try {
      const connecting = await group.waitForLine(/connecting to Discord/);
      const waiting = await group.waitForLine(/still waiting for Discord to answer/);
      expect(group.lines.indexOf(waiting)).toBeGreaterThan(group.lines.indexOf(connecting));
    } finally {
      group.killAll();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('after the token is reset, the gateway close (4004) is logged once with what to fix, and the bot exits 78', async () => {
    const dataDir = embeddedDataDir();
    dataDirs.push(dataDir);
    const bot = await startBot({
      env: { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir },
      readyTimeoutMs: 120_000,
    });
    try {
      const oldToken = fake.token;
      fake.resetToken();
      await bot.exited;
      expect(bot.exitCode).toBe(EXIT.needsOperator);
      const fatal = bot.logs.filter((line) => line.includes('"level":60'));
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toMatch(/Discord rejected DISCORD_TOKEN \(gateway close 4004\).*Reset Token/);
      expect(bot.logs.join('\n')).not.toContain(oldToken);
      expect(bot.logs.join('\n')).toMatch(/"msg":"stopped"/);
    } finally {
      await bot.kill();
    }
  });
});

describe.runIf(testDatabaseUrl)(
  'one PostgreSQL database under operators and other connections',
  { timeout: 180_000 },
  () => {
    let world: World;
    let database: TestDatabase & { url: string };
    beforeAll(async () => {
      database = await openTestPostgres(testDatabaseUrl!);
      world = await startWorld({ databaseUrl: database.url });
    });
    afterAll(async () => {
      await world?.close();
      await database?.destroy();
    });

    it('a second bot started by mistake on the same database refuses to start, and the first is unharmed', async () => {
      const second = startBot({
        env: {
          DISCORD_TOKEN: world.fake.token,
          DISCORD_API_URL: world.fake.apiUrl,
          DATABASE_URL: database.url,
          DATA_DIR: world.dataDir,
        },
        readyTimeoutMs: 120_000,
      });
      await expect(second).rejects.toThrow(
        /code 78[\s\S]*Another bot process is already running on the database of DATABASE_URL/,
      );
      const quiz = await world.students[0].run('quiz');
      expect(textOf(quiz.message)).toContain('Practice question');
      world.expectHealthy();
    });

    it('with another connection holding a lock on prompts, every answer gets a clear "try again" and /leaderboard its board, while the lock is still held', async () => {
      const students = Array.from({ length: 12 }, (_, i) => world.guild.addStudent(`Locked ${i + 1}`));
      for (const student of students) {
        const quiz = await student.run('quiz');
        await student.click(quiz.message!, 'Answer');
      }
      const lock = await holdTableLock(database.url, 'prompts');
      try {
        const [answers, board] = await Promise.all([
          Promise.all(students.map((student) => student.submitModal('An answer written while prompts is locked'))),
          world.students[1].run('leaderboard'),
        ]);
        for (const answer of answers) expect(textOf(answer.message)).toMatch(/NOT saved: the database is busy/);
        expect(textOf(board.message)).toMatch(/Leaderboard/i);
      } finally {
        await lock.release();
      }
      const timedOut = world.bot.logs.filter((line) => line.includes('answer not saved: the database was busy'));
      expect(timedOut).toHaveLength(12);
      expect(timedOut[0]).toMatch(/"code":"55P03","reason":"canceling statement due to lock timeout"/);
      const quiz = await students[0]!.run('quiz');
      await students[0]!.click(quiz.message!, 'Answer');
      expect(textOf((await students[0]!.submitModal('After the lock')).message)).toContain('Saved');
    });
  },
);
