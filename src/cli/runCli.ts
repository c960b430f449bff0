import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { UserError, UserFacingStartupError } from '../errors.ts';
import { checkNodeVersion } from '../nodeVersion.ts';
import { explainDatabaseFailure, isDatabaseOpeningFailure } from '../startupMessages.ts';

/** What a tool does, for its --help, and what to do instead while the bot holds the embedded database. */
export interface CliTool {
  usage: string;
  /** For example "or use /export in Discord", after "Stop the bot first". */
  whileBotRuns?: string;
}

/** Prints the usage and exits: 0 when asked for with --help or -h, 2 when the arguments were wrong. */
export function exitWithUsage(tool: CliTool, asked: boolean, problem?: string): never {
  if (problem) process.stderr.write(`${problem}\n`);
  (asked ? process.stdout : process.stderr).write(tool.usage);
  process.exit(asked ? 0 : 2);
}

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** Settings from the environment and `./.env`, as the bot reads them; a bad setting ends the tool with its message. */
export function cliConfig(options: { requireToken: boolean }): Config {
  checkNodeVersion();
  loadDotenv({ quiet: true });
  try {
    return loadConfig(process.env, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** The embedded database admits one process: the bot's lock file names it (see src/db/dataDirLock.ts). */
function heldByTheBot(error: unknown): boolean {
  return error instanceof UserFacingStartupError && /already using the embedded database/.test(error.message);
}

/**
 * Runs a command-line tool with the bot's configuration and database. Every failure ends as one clear line on
 * stderr and a non-zero exit code: a UserError as is, a database that cannot be opened as start-up explains it.
 */
export async function withDatabase(
  tool: CliTool,
  task: (database: Database, config: Config) => Promise<void>,
): Promise<void> {
  const config = cliConfig({ requireToken: false });
  let database: Database | undefined;
  try {
    database = await openDatabase(config, config.database);
    await task(database, config);
  } catch (error) {
    process.stderr.write(`${explainToolFailure(error, config, tool)}\n`);
    process.exitCode = 1;
  } finally {
    await database?.close();
  }
}

function explainToolFailure(error: unknown, config: Config, tool: CliTool): string {
  if (heldByTheBot(error)) {
    return (
      `The bot is running on the embedded database in DATA_DIR (${config.dataDir}), which only one process can open at a time. ` +
      `Stop the bot first (Ctrl-C where it runs)${tool.whileBotRuns ? `, ${tool.whileBotRuns}` : ', then run this again'}.`
    );
  }
  if (error instanceof UserError) return error.message;
  if (isDatabaseOpeningFailure(error)) return explainDatabaseFailure(error, config.databaseUrl);
  return (error as Error).message;
}
