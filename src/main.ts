import { Events, type Interaction } from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import { commands } from '../commands/index.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { AppContext } from './context.ts';
import { openDatabase, type Database } from './db/client.ts';
import { explainDatabaseFailure } from './db/errors.ts';
import { logDatabaseEvent } from './db/events.ts';
import { createDiscordClient } from './discord/client.ts';
import { connectToDiscord, explainGatewayClose } from './discord/connection.ts';
import { registerCommands } from './discord/registerCommands.ts';
import { createRouter } from './discord/router.ts';
import { UserFacingStartupError } from './errors.ts';
import { closeDueDailyQuestions } from './jobs/dailyClosing.ts';
import { DailyAnswerCounter } from './jobs/dailyPostRefresh.ts';
import { postDueDailyQuestions } from './jobs/dailyPosting.ts';
import { sendDueReminders } from './jobs/dailyReminders.ts';
import { startScheduler } from './jobs/scheduler.ts';
import { EXIT, Lifecycle } from './lifecycle.ts';
import { createLogger, type Logger } from './logger.ts';
import { prepareDatabase } from './startup.ts';

/** One bot per database: a second process would answer every interaction a second time. */
const BOT_INSTANCE_LOCK_KEY = 720_311_403;
/** How long shutdown waits for interactions in progress (an answer being stored) before closing the database. */
const DRAIN_LIMIT_MS = 10_000;

function fail(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function readConfig(): Config {
  loadDotenv({ quiet: true });
  try {
    return loadConfig(process.env, { requireToken: true });
  } catch (error) {
    if (error instanceof ConfigError) fail(EXIT.needsOperator, error.message);
    throw error;
  }
}

async function openAndPrepareDatabase(config: Config, logger: Logger, lifecycle: Lifecycle): Promise<Database> {
  logger.info(
    config.databaseUrl ? 'opening the PostgreSQL database of DATABASE_URL' : { dataDir: config.dataDir },
    config.databaseUrl ? undefined : 'opening the embedded database in DATA_DIR (the first start creates it, up to a minute)',
  );
  let database: Database;
  try {
    database = await openDatabase(config, { ...config.database, onEvent: (event) => logDatabaseEvent(logger, event) });
  } catch (error) {
    const needsOperator = error instanceof UserFacingStartupError;
    return fail(needsOperator ? EXIT.needsOperator : EXIT.failed, explainDatabaseFailure(error, config.databaseUrl));
  }
  lifecycle.onStop('database', () => database.close());
  try {
    if (!(await database.holdAdvisoryLock(BOT_INSTANCE_LOCK_KEY))) {
      await database.close();
      fail(
        EXIT.needsOperator,
        'Another bot process is already running on the database of DATABASE_URL. Stop it first: two processes would answer every interaction twice.',
      );
    }
    logger.info('applying database migrations and loading the question bank');
    const bank = await prepareDatabase(database);
    // Not needed to run: a server that allows fewer connections is only slower in a burst.
    await database.openConnections().catch((error: unknown) => logger.warn({ err: error }, 'could not open every pooled database connection'));
    logger.info({ engine: database.engine, added: bank.added.length, updated: bank.updated.length, retired: bank.retired.length }, 'database ready');
  } catch (error) {
    await database.close().catch(() => undefined);
    fail(EXIT.failed, explainDatabaseFailure(error, config.databaseUrl));
  }
  return database;
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const lifecycle = new Lifecycle(logger);
  lifecycle.handleSignals();
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  logger.info({ node: process.version, pid: process.pid }, 'starting');

  const database = await openAndPrepareDatabase(config, logger, lifecycle);
  if (lifecycle.stopping) return;

  const client = createDiscordClient(config.discordApiUrl);
  const ctx: AppContext = { config, logger, database, db: database.db, client, now: () => new Date() };
  const answerCounts = new DailyAnswerCounter(ctx);
  ctx.dailyAnswerCounts = answerCounts;
  lifecycle.onStop('discord', async () => {
    answerCounts.stop();
    await client.destroy();
  });

  const route = createRouter(commands, ctx);
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    const handled = route(interaction).finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });
  lifecycle.onStop('interactions in progress', () =>
    Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, DRAIN_LIMIT_MS).unref())]).then(() => undefined),
  );
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardReconnecting, () => logger.warn('the connection to Discord was lost; reconnecting'));
  client.on(Events.ShardResume, () => logger.info('reconnected to Discord'));
  // Closes that reconnecting cannot heal (a reset token, intents, sharding): say what to fix, and exit.
  client.on(Events.ShardDisconnect, (event) => {
    logger.fatal({ closeCode: event.code }, explainGatewayClose(event.code));
    void lifecycle.stop(EXIT.needsOperator, `Discord closed the connection (${event.code})`);
  });

  client.once(Events.ClientReady, async (ready) => {
    try {
      logger.info('registering the slash commands');
      const registration = await registerCommands(
        ready.rest,
        ready.application.id,
        config.discordGuildId,
        commands.map((command) => command.data.toJSON()),
        { force: false },
      );
      const scheduler = startScheduler(ctx, [closeDueDailyQuestions, postDueDailyQuestions, sendDueReminders]);
      lifecycle.onStop('scheduler', () => scheduler.stop());
      logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size, commands: registration }, 'ready');
    } catch (error) {
      logger.fatal({ err: error }, 'start-up failed after connecting');
      await lifecycle.stop(EXIT.failed, 'start-up failed');
    }
  });

  const outcome = await connectToDiscord(client, config, logger, () => lifecycle.stopping);
  if (outcome.ok || lifecycle.stopping) return;
  logger.fatal({ code: outcome.code }, 'could not connect to Discord');
  process.stderr.write(`${outcome.message}\n`);
  await lifecycle.stop(outcome.needsOperator ? EXIT.needsOperator : EXIT.failed, 'could not connect to Discord');
}

await main();
