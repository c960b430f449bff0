import { checkpoint, expectHealthy, type Checkpoint } from './health.ts';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite, openPostgres, type Database } from '../../src/db/client.ts';
import { FakeDiscord, type Actor, type Guild } from '../fake-discord/index.ts';
import type { FakeUser } from '../fake-discord/index.ts';
import { startBot, type BotProcess } from './botProcess.ts';
import { templateDir } from './pgliteTemplate.ts';

/** One guild of the local Discord with its instructor and students. */
export interface Cohort {
  guild: Guild;
  instructor: Actor;
  students: Actor[];
  channelId: string;
}

/**
 * Several guilds on one local Discord, served by ONE real bot process on one database. The bot starts without
 * DISCORD_GUILD_ID, so it registers its commands globally and they can be run in every guild.
 */
export interface CohortsWorld {
  fake: FakeDiscord;
  cohorts: Cohort[];
  bot: BotProcess;
  dataDir: string;
  env: Record<string, string>;
  restartBot(): Promise<void>;
  /** Reads the bot's database. On PGlite the bot is stopped first (its lock forbids a second opener); on PostgreSQL it keeps running. */
  inspectDatabase<T>(read: (database: Database) => Promise<T>): Promise<T>;
  /** Changes the bot's database directly, as an operator would, and leaves the bot running (restarted on PGlite). */
  editDatabase<T>(edit: (database: Database) => Promise<T>): Promise<T>;
  /** A point in the run; `expectHealthy({ since })` then looks only at what happened after it. */
  checkpoint(): Checkpoint;
  /** The same checks as the single-guild world: no bot errors, no Discord errors, no unknown routes, no pings, no token in logs. */
  expectHealthy(options?: { allowErrorCodes?: number[]; since?: Checkpoint }): void;
  close(): Promise<void>;
}

export interface CohortsOptions {
  guilds?: number;
  studentsPerGuild?: number;
  /** Run the bot on this PostgreSQL database instead of the embedded one. */
  databaseUrl?: string;
  logLevel?: string;
}

export async function startCohorts(options: CohortsOptions = {}): Promise<CohortsWorld> {
  const fake = await FakeDiscord.start();
  const cohorts: Cohort[] = [];
  for (let index = 0; index < (options.guilds ?? 2); index += 1) {
    const guild = fake.createGuild({ name: `Cohort ${String.fromCharCode(65 + index)}` });
    const instructor = guild.addInstructor(`Instructor ${String.fromCharCode(65 + index)}`);
    const students = Array.from({ length: options.studentsPerGuild ?? 3 }, (_, n) =>
      guild.addStudent(`Student ${String.fromCharCode(65 + index)}${n + 1}`),
    );
    cohorts.push({ guild, instructor, students, channelId: guild.cohortChannel.id });
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quizbot-cohorts-'));
  cpSync(templateDir(), path.join(dataDir, 'pglite'), { recursive: true });
  const env: Record<string, string> = {
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: options.logLevel ?? 'info',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  };
  const open = () => (options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(dataDir));
  const world: CohortsWorld = {
    fake,
    cohorts,
    bot: await startBot({ env }),
    dataDir,
    env,
    async restartBot() {
      await world.bot.stop();
      world.bot = await startBot({ env });
    },
    async inspectDatabase(read) {
      if (!options.databaseUrl) await world.bot.stop();
      const database = await open();
      try {
        return await read(database);
      } finally {
        await database.close();
      }
    },
    async editDatabase(edit) {
      const result = await world.inspectDatabase(edit);
      if (!options.databaseUrl) world.bot = await startBot({ env });
      return result;
    },
    checkpoint() {
      return checkpoint(world.bot, fake);
    },
    expectHealthy(check = {}) {
      expectHealthy(world.bot, fake, check);
    },
    async close() {
      await world.bot.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

/**
 * Makes a member of one guild a member of another too (one person in two cohorts). The fake's Guild only adds
 * new users publicly, so this reaches its private `addMember`; the returned actor acts in `guild`.
 */
export function joinGuild(guild: Guild, person: Actor): Actor {
  const internal = guild as unknown as { addMember(user: FakeUser, roleIds: string[]): Actor };
  return internal.addMember(person.user, []);
}

/** The custom id of the button labelled `label` on a message. */
export function customIdOf(message: { components: unknown[] } | undefined, label: string): string {
  const rows = (message?.components ?? []) as { components?: { label?: string; custom_id?: string }[] }[];
  const button = rows.flatMap((row) => row.components ?? []).find((component) => component.label === label);
  if (!button?.custom_id) throw new Error(`no button "${label}" on the message`);
  return button.custom_id;
}
