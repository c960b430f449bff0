import type { Client } from 'discord.js';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import type { Logger } from './logger.ts';

/** Everything a handler or job needs, built once in main.ts and passed explicitly. */
export interface AppContext {
  config: Config;
  logger: Logger;
  database: Database;
  db: Db;
  client: Client;
  /** The current time; a parameter so that rules and jobs can be tested at any instant. */
  now: () => Date;
  /** Asks for a (throttled) refresh of a daily post's answer count; absent in job tests. */
  dailyPostRefresh?: { request(promptId: number): void };
}
