import { Events } from 'discord.js';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import type { AppContext } from '../../src/context.ts';
import type { Database } from '../../src/db/client.ts';
import { createDiscordClient } from '../../src/discord/client.ts';

export interface JobContext extends AppContext {
  /** Moves the clock the jobs see. */
  setNow(at: Date): void;
  close(): Promise<void>;
}

/**
 * What the scheduler hands its jobs: the bot's real discord.js client logged in to the local Discord (by its
 * address and token alone, so a separate process can build it too), a real database, and a clock the test sets.
 */
export async function startJobContext(
  database: Database,
  discord: { token: string; apiUrl: string },
): Promise<JobContext> {
  const config = loadConfig({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl }, { requireToken: true });
  const client = createDiscordClient(config.discordApiUrl);
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(config.discordToken);
  await ready;
  let now = new Date();
  const ctx: JobContext = {
    config,
    logger: pino({ level: process.env.JOB_LOG ?? 'silent' }),
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
