import { config as loadDotenv } from 'dotenv';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { explainDatabaseFailure, isDatabaseUnavailable } from '../db/errors.ts';
import { UserFacingStartupError } from '../errors.ts';

/** Runs a command-line tool with the bot's configuration and database, turning failures into one clear line. */
export async function withDatabase(task: (database: Database, config: Config) => Promise<void>): Promise<void> {
  loadDotenv({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env, { requireToken: false });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  let database: Database | undefined;
  try {
    database = await openDatabase(config, config.database);
    await task(database, config);
  } catch (error) {
    const known = error instanceof UserFacingStartupError || isDatabaseUnavailable(error);
    process.stderr.write(`${known ? explainDatabaseFailure(error, config.databaseUrl) : (error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await database?.close();
  }
}
