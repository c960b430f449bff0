import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARD_LOCK_KEY } from '../../src/gateway/shardOwnership.ts';
import { EXIT } from '../../src/lifecycle.ts';
import { FakeDiscord, shardOfGuild, type Guild } from '../fake-discord/index.ts';
import { PROCESS_TEST_TIMEOUT_MS, startBot, type BotProcess } from '../support/botProcess.ts';
import { openTestPostgres, testDatabaseUrl, type TestDatabase } from '../support/database.ts';
import { expectHealthy } from '../support/health.ts';
import { textOf } from './world.ts';

const WAITING = /is connected by another gateway process; this process waits/;

/**
 * Three guilds over two shards (one on shard 0, two on shard 1), on a local Discord that allows two guilds per
 * shard, served by gateway processes that share one PostgreSQL database.
 */
describe.runIf(testDatabaseUrl)(
  'gateway shards owned through PostgreSQL [postgres]',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    let fake: FakeDiscord;
    let database: TestDatabase & { url: string };
    let admin: postgres.Sql;
    let guilds: Guild[];
    let dataDir: string;
    const bots: BotProcess[] = [];
    let zero: BotProcess;
    let one: BotProcess;
    let zeroAgain: BotProcess;

    const env = (extra: Record<string, string>) => ({
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...extra,
    });
    const gateway = (shardIds: string) => ({ PROCESS_ROLE: 'gateway', SHARD_COUNT: '2', SHARD_IDS: shardIds });
    const start = async (extra: Record<string, string>, until?: RegExp) => {
      const bot = await startBot({ env: env(extra), until });
      bots.push(bot);
      return bot;
    };
    /** Runs /quiz in a guild and returns the sessions of its shard that received it. */
    const quizIn = async (guild: Guild) => {
      const result = await guild.addStudent(`Student ${Math.random().toString(36).slice(2, 6)}`).run('quiz');
      expect(textOf(result.message)).toContain('Practice question');
      const shard = shardOfGuild(guild.id, 2);
      return {
        receivedBy: fake.shardStats(shard).interactions.get(result.interactionId) ?? [],
        onOtherShard: fake.shardStats(1 - shard).interactions.has(result.interactionId),
      };
    };

    beforeAll(async () => {
      fake = await FakeDiscord.start({ maxGuildsPerShard: 2 });
      guilds = [
        fake.createGuild({ name: 'Zero', onShard: [0, 2] }),
        fake.createGuild({ name: 'One', onShard: [1, 2] }),
        fake.createGuild({ name: 'One too', onShard: [1, 2] }),
      ];
      database = await openTestPostgres(testDatabaseUrl!);
      admin = postgres(database.url, { onnotice: () => {}, max: 1 });
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-shards-'));
    });
    afterAll(async () => {
      for (const bot of bots) await bot.kill();
      await admin?.end();
      await database?.destroy();
      await fake?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("two gateway processes own one shard each, and each guild's /quiz is answered once, by its shard's process", async () => {
      [zero, one] = await Promise.all([start(gateway('0')), start(gateway('1'))]);
      expect(fake.connectedShardSessions(0)).toBe(1);
      expect(fake.connectedShardSessions(1)).toBe(1);
      const [zeroSession] = fake.shardStats(0).sessionIds;
      const [oneSession] = fake.shardStats(1).sessionIds;
      for (const guild of guilds) {
        const { receivedBy, onOtherShard } = await quizIn(guild);
        expect(receivedBy).toEqual([shardOfGuild(guild.id, 2) === 0 ? zeroSession : oneSession]);
        expect(onOtherShard).toBe(false);
      }
      // Commands are registered once, by the process of shard 0.
      expect(zero.logs.join('\n')).toContain('registering the slash commands');
      expect(one.logs.join('\n')).not.toContain('registering the slash commands');
      expect(fake.registeredCommands().map((command) => command.name)).toContain('quiz');
      expectHealthy(zero, fake);
      expectHealthy(one, fake);
    });

    it('a third process for shard 0 waits without connecting (a signal stops such a wait at once), and takes over when the owner is killed', async () => {
      // A process that waits stops at once on a signal, having connected nothing.
      const spareForOne = await start(gateway('1'), WAITING);
      await spareForOne.stop();
      expect(spareForOne.exitCode).toBe(EXIT.stopped);
      expect(fake.shardStats(1).identifies).toBe(1);

      zeroAgain = await start(gateway('0'), WAITING);
      expect(zeroAgain.logs.filter((line) => WAITING.test(line))).toHaveLength(1);
      expect(fake.shardStats(0).identifies).toBe(1);

      await zero.kill();
      await zeroAgain.waitForLog(/"msg":"ready"/);
      expect(zeroAgain.logs.join('\n')).toContain('took over the shards');
      expect(fake.shardStats(0).identifies).toBe(2);
      expect(fake.connectedShardSessions(0)).toBe(1);
      const { receivedBy } = await quizIn(guilds[0]!);
      expect(receivedBy).toEqual([fake.shardStats(0).sessionIds[1]]);
      expectHealthy(zeroAgain, fake);
      expectHealthy(one, fake);
    });

    it('a gateway process whose lock connection is cut disconnects its shards and exits for a restart', async () => {
      await admin`
      select pg_terminate_backend(pid) from pg_locks
      where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())
        and classid = ${SHARD_LOCK_KEY} and objid = 1 and objsubid = 2`;
      await one.exited;
      expect(one.exitCode).toBe(EXIT.failed);
      expect(one.logs.join('\n')).toContain('lost the database connection that holds the shard locks');
      expect(fake.connectedShardSessions(1)).toBe(0);
    });

    it('an all-in-one process is refused while gateway processes run, and gateway processes while it runs', async () => {
      await expect(start({ SHARD_COUNT: '2' })).rejects.toThrow(
        new RegExp(
          `code ${EXIT.needsOperator}[\\s\\S]*Gateway or HTTP bot processes \\(PROCESS_ROLE=gateway or http\\) are running`,
        ),
      );
      await zeroAgain.stop();
      const all = await start({ SHARD_COUNT: '2' });
      expect(fake.connectedShardSessions(0)).toBe(1);
      expect(fake.connectedShardSessions(1)).toBe(1);
      await expect(start(gateway('1'))).rejects.toThrow(
        new RegExp(
          `code ${EXIT.needsOperator}[\\s\\S]*An all-in-one bot process \\(PROCESS_ROLE=all, the default\\) is running`,
        ),
      );
      const { receivedBy } = await quizIn(guilds[2]!);
      expect(receivedBy).toHaveLength(1);
      expectHealthy(all, fake);
      await all.stop();
    });

    it('an unsharded bot on a Discord that requires sharding exits 78, saying to set SHARD_COUNT', async () => {
      await expect(start({})).rejects.toThrow(
        new RegExp(
          `code ${EXIT.needsOperator}[\\s\\S]*Discord requires sharding \\(gateway close 4011\\)[^\\n]*Set SHARD_COUNT`,
        ),
      );
    });
  },
);
