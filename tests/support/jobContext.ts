import { Events } from 'discord.js';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import type { AppContext } from '../../src/context.ts';
import type { Database } from '../../src/db/client.ts';
import { createDiscordClient } from '../../src/discord/client.ts';
import { prepareDatabase } from '../../src/startup.ts';
import { FakeDiscord } from '../discord/fakeDiscord.ts';
import { openTestDatabase, type Engine, type TestDatabase } from './database.ts';

export interface JobContext extends AppContext {
  /** Moves the clock the jobs see. */
  setNow(at: Date): void;
  close(): Promise<void>;
}

/**
 * What the scheduler hands its jobs, built in the test process: the bot's real discord.js client logged in
 * to the local Discord, a real database, and a clock the test sets.
 */
export async function startJobContext(database: Database, fake: FakeDiscord): Promise<JobContext> {
  const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl }, { requireToken: true });
  const client = createDiscordClient(config.discordApiUrl);
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(config.discordToken);
  await ready;
  let now = new Date();
  const ctx: JobContext = {
    config,
    logger: pino({ level: 'silent' }),
    database,
    db: database.db,
    client,
    now: () => now,
    setNow(at) {
      now = at;
    },
    async close() {
      await client.destroy();
    },
  };
  return ctx;
}

export interface JobWorld {
  fake: FakeDiscord;
  database: TestDatabase;
  ctx: JobContext;
  close(): Promise<void>;
}

/** A local Discord, a fresh database with the bank, and a job context connected to both. */
export async function startJobWorld(engine: Engine = 'pglite'): Promise<JobWorld> {
  const fake = await FakeDiscord.start();
  const database = await openTestDatabase(engine);
  await prepareDatabase(database);
  const ctx = await startJobContext(database, fake);
  return {
    fake,
    database,
    ctx,
    async close() {
      await ctx.close();
      await fake.close();
      await database.destroy();
    },
  };
}
