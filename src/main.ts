import { Events } from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import { commands } from '../commands/index.ts';
import { ConfigError, loadConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { openDatabase, type Database } from './db/client.ts';
import { createDiscordClient } from './discord/client.ts';
import { registerCommands } from './discord/registerCommands.ts';
import { createRouter } from './discord/router.ts';
import { closeDueDailyQuestions } from './jobs/dailyClosing.ts';
import { DailyAnswerCounter } from './jobs/dailyPostRefresh.ts';
import { postDueDailyQuestions } from './jobs/dailyPosting.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { createLogger } from './logger.ts';
import { checkNodeVersion } from './nodeVersion.ts';
import { prepareDatabase } from './startup.ts';
import { explainDatabaseFailure, explainDiscordFailure } from './startupMessages.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  checkNodeVersion();
  loadDotenv({ quiet: true });
  let config;
  try {
    config = loadConfig(process.env, { requireToken: true });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel, config.logFormat);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  let database: Database;
  try {
    database = await openDatabase(config);
    const bank = await prepareDatabase(database);
    // Not needed to run: a server that allows fewer connections is only slower in a burst.
    await database.openConnections().catch((error: unknown) => logger.warn({ err: error }, 'could not open every pooled database connection'));
    logger.info({ engine: database.engine, questions: bank.added.length + bank.updated.length + bank.unchanged.length, added: bank.added.length, updated: bank.updated.length, retired: bank.retired.length }, 'database ready');
  } catch (error) {
    fail(explainDatabaseFailure(error, config.databaseUrl));
  }

  const client = createDiscordClient(config.discordApiUrl);
  const ctx: AppContext = { config, logger, database, db: database.db, client, now: () => new Date() };
  const answerCounts = new DailyAnswerCounter(ctx);
  ctx.dailyAnswerCounts = answerCounts;
  const route = createRouter(commands, ctx);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));

  let scheduler: { stop(): Promise<void> } | undefined;
  client.once(Events.ClientReady, async (ready) => {
    try {
      const registration = await registerCommands(
        ready.rest,
        ready.application.id,
        config.discordGuildId,
        commands.map((command) => command.data.toJSON()),
        { force: false },
      );
      scheduler = startScheduler(ctx, [closeDueDailyQuestions, postDueDailyQuestions]);
      logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size, commands: registration.count, scope: registration.scope, changed: registration.changed }, 'ready');
    } catch (error) {
      logger.fatal(explainDiscordFailure(error, config));
      await shutdown(1);
    }
  });

  let stopping = false;
  async function shutdown(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info('stopping');
    await scheduler?.stop();
    answerCounts.stop();
    await client.destroy();
    await database.close();
    process.exit(code);
  }
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    await client.login(config.discordToken);
  } catch (error) {
    const code = (error as { code?: unknown; status?: unknown }).code ?? (error as { status?: unknown }).status;
    logger.fatal({ code }, 'could not log in to Discord');
    await database.close();
    fail(explainDiscordFailure(error, config));
  }
}

await main();
