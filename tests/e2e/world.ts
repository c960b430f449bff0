import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { openPglite, type Database, type Db } from '../../src/db/client.ts';
import { engines, openTestPostgres, testDatabaseUrl, type TestDatabase } from '../support/database.ts';
import { startBot, type BotProcess } from '../support/botProcess.ts';
import { expectHealthy } from '../support/health.ts';
import { templateDir } from '../support/pgliteTemplate.ts';
import { FakeDiscord, type Actor, type FakeMessage, type Guild } from '../fake-discord/index.ts';

/** A local Discord with one cohort (an instructor and three students) and the real bot process connected to it. */
export interface World {
  fake: FakeDiscord;
  guild: Guild;
  instructor: Actor;
  students: [Actor, Actor, Actor];
  bot: BotProcess;
  dataDir: string;
  restartBot(): Promise<void>;
  /** Stops the bot and opens its embedded database, to check what was stored. */
  inspectDatabase<T>(read: (database: Database) => Promise<T>): Promise<T>;
  /** Fails on anything a healthy run never shows: unhandled errors, Discord errors, unknown routes, possible pings. */
  expectHealthy(options?: { allowErrorCodes?: number[] }): void;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Run the bot on this PostgreSQL database instead of the embedded one. */
  databaseUrl?: string;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const fake = await FakeDiscord.start();
  const guild = fake.createGuild({ name: 'Bootcamp Cohort 7' });
  const instructor = guild.addInstructor('Grace (instructor)');
  const students: [Actor, Actor, Actor] = [
    guild.addStudent('Ada'),
    guild.addStudent('Linus'),
    guild.addStudent('Margaret'),
  ];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-e2e-'));
  // A migrated copy of the template saves PGlite's initdb; the bot still runs its own start-up on it.
  cpSync(templateDir(), path.join(dataDir, 'pglite'), { recursive: true });
  const env: Record<string, string> = {
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: guild.id,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  };
  const world: World = {
    fake,
    guild,
    instructor,
    students,
    bot: await startBot({ env }),
    dataDir,
    async restartBot() {
      await world.bot.stop();
      world.bot = await startBot({ env });
    },
    async inspectDatabase(read) {
      await world.bot.stop();
      const database = await openPglite(dataDir);
      try {
        return await read(database);
      } finally {
        await database.close();
      }
    },
    expectHealthy(options = {}) {
      expectHealthy(world.bot, fake, options);
    },
    async close() {
      await world.bot.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

/** A world whose bot runs on one engine, and the one way to change its database: with the bot stopped. */
export interface EngineWorld {
  world: World;
  /** Stops the bot, changes its database (the only way to move the bot's clock forward), and starts it again. */
  withBotStopped: (change: (db: Db) => Promise<unknown>) => Promise<void>;
}

/** Runs a suite against a fresh world on each engine: embedded PGlite, and PostgreSQL when TEST_DATABASE_URL is set. */
export function describeWorldOnEachEngine(title: string, suite: (get: () => EngineWorld) => void): void {
  for (const engine of engines) {
    describe(`${title} [${engine}]`, { timeout: 180_000 }, () => {
      let world: World | undefined;
      let postgres: (TestDatabase & { url: string }) | undefined;
      beforeAll(async () => {
        postgres = engine === 'postgres' ? await openTestPostgres(testDatabaseUrl!) : undefined;
        world = await startWorld({ databaseUrl: postgres?.url });
      });
      afterAll(async () => {
        await world?.close();
        await postgres?.destroy();
      });
      async function withBotStopped(change: (db: Db) => Promise<unknown>): Promise<void> {
        const current = world!;
        if (postgres) {
          await current.bot.stop();
          await change(postgres.db);
        } else {
          await current.inspectDatabase(({ db }) => change(db));
        }
        await current.restartBot();
      }
      suite(() => ({ world: world!, withBotStopped }));
    });
  }
}

/** All visible text of a message: content, embed titles, descriptions and fields. */
export function textOf(message: FakeMessage | undefined): string {
  if (!message) return '';
  const parts = [message.content];
  for (const embed of message.embeds as {
    title?: string;
    description?: string;
    fields?: { name: string; value: string }[];
  }[]) {
    parts.push(
      embed.title ?? '',
      embed.description ?? '',
      ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    );
  }
  return parts.join('\n');
}

export function buttonLabels(message: FakeMessage | undefined): string[] {
  const rows = (message?.components ?? []) as { components?: { label?: string; disabled?: boolean }[] }[];
  return rows.flatMap((row) =>
    (row.components ?? []).map((button) => `${button.label}${button.disabled ? ' (disabled)' : ''}`),
  );
}

/** The custom id of the button labelled `label`. */
export function buttonCustomId(message: FakeMessage | undefined, label: string): string {
  const rows = (message?.components ?? []) as { components?: { custom_id?: string; label?: string }[] }[];
  const button = rows.flatMap((row) => row.components ?? []).find((component) => component.label === label);
  if (!button?.custom_id) throw new Error(`no "${label}" button`);
  return button.custom_id;
}

/** The instructor schedules the daily question in the cohort channel and posts today's now; the post. */
export async function postDailyQuestion(world: World): Promise<FakeMessage> {
  const channelId = world.guild.cohortChannel.id;
  await world.instructor.run('setup daily', { channel: { id: channelId }, time: '09:00', timezone: 'UTC' });
  await world.instructor.run('daily post');
  return world.fake.lastChannelMessage(channelId)!;
}
