import { disableValidators, Events, type Interaction } from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import { commands } from '../commands/index.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { AppContext } from './context.ts';
import { openDatabase, openPostgres, type Database } from './db/client.ts';
import type { SyncReport } from './db/repo/questions.ts';
import { logDatabaseEvent } from './db/events.ts';
import { createDiscordClient } from './discord/client.ts';
import { useRestOnly } from './discord/restOnlyClient.ts';
import { createInteractionInbox } from './discord/interactionInbox.ts';
import { startInteractionsEndpoint } from './discord/interactionsEndpoint.ts';
import { createRouter } from './discord/router.ts';
import { databaseErrorSummary } from './db/errors.ts';
import { UserFacingStartupError } from './errors.ts';
import { DailyPostRefreshThrottle, refreshDailyPost } from './jobs/dailyPostRefresh.ts';
import { runGateway } from './gateway/gatewayProcess.ts';
import { takeInstanceLock } from './instanceLock.ts';
import { EXIT, Lifecycle } from './lifecycle.ts';
import { createLogger, type Logger } from './logger.ts';
import { checkNodeVersion } from './nodeVersion.ts';
import { preloadLexicon } from './quiz/grading/lexicon.ts';
import { warmAnswerPath } from './db/repo/warmUp.ts';
import { prepareDatabase } from './startup.ts';
import { explainDatabaseFailure, explainDiscordFailure } from './startupMessages.ts';

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

async function openAndPrepareDatabase(config: Config, logger: Logger, lifecycle: Lifecycle): Promise<Database | null> {
  logger.info(
    config.databaseUrl ? 'opening the PostgreSQL database of DATABASE_URL' : { dataDir: config.dataDir },
    config.databaseUrl
      ? undefined
      : 'opening the embedded database in DATA_DIR (the first start creates it, up to a minute)',
  );
  const opening = openDatabase(config, { ...config.database, onEvent: (event) => logDatabaseEvent(logger, event) });
  // A stop during the open waits for it (the first open of PGlite runs initdb), then closes what was opened.
  lifecycle.onStop('database', async () => (await opening.catch(() => null))?.close());
  let database: Database;
  try {
    database = await opening;
  } catch (error) {
    if (lifecycle.stopping) return null;
    const needsOperator = error instanceof UserFacingStartupError;
    return fail(needsOperator ? EXIT.needsOperator : EXIT.failed, explainDatabaseFailure(error, config.databaseUrl));
  }
  try {
    const refusal = await takeInstanceLock(database, config.role);
    if (refusal) {
      await database.close();
      fail(EXIT.needsOperator, refusal);
    }
    logger.info('applying database migrations and loading the question bank');
    const bank = await prepareWithoutTimeouts(config, database);
    database.startGuards();
    // Not needed to run: a server that allows fewer connections is only slower in a burst.
    await database
      .openConnections()
      .catch((error: unknown) => logger.warn({ err: error }, 'could not open every pooled database connection'));
    // Before Discord connects, so the first students of a burst do not pay for what is done only once. Not needed
    // to run either: a lock held by someone else at start only makes the first answers slower.
    await warmAnswerPath(database.db).catch((error: unknown) =>
      logger.warn({ err: error }, 'could not warm up the answer path'),
    );
    const questions = bank.added.length + bank.updated.length + bank.unchanged.length;
    logger.info(
      {
        engine: database.engine,
        questions,
        added: bank.added.length,
        updated: bank.updated.length,
        retired: bank.retired.length,
      },
      'database ready',
    );
  } catch (error) {
    if (lifecycle.stopping) return null;
    await database.close().catch(() => undefined);
    // No such database (3D000) or a role refused (28xxx): DATABASE_URL must be corrected, a restart will not help.
    const wrongUrl = /^(3D000|28)/.test(databaseErrorSummary(error).code ?? '');
    fail(wrongUrl ? EXIT.needsOperator : EXIT.failed, explainDatabaseFailure(error, config.databaseUrl));
  }
  return database;
}

/**
 * Migrations and the question bank's sync run without the statement and lock bounds of interactions: they may
 * take longer, and on PostgreSQL may wait for another process's migrations. PostgreSQL gets a connection of its
 * own for them; the embedded database is bounded only once `startGuards()` is called.
 */
async function prepareWithoutTimeouts(config: Config, database: Database): Promise<SyncReport> {
  if (database.engine === 'pglite' || !config.databaseUrl) return prepareDatabase(database);
  const setup = await openPostgres(config.databaseUrl, { ...config.database, timeoutMs: 0, lockTimeoutMs: 0 });
  try {
    return await prepareDatabase(setup);
  } finally {
    await setup.close();
  }
}

async function main(): Promise<void> {
  checkNodeVersion();
  // The builders re-checked the limits of every reply the bot builds, a part of each answer's CPU (their setters
  // still check types). Our messages are checked where it costs nothing at run time: the render tests build them
  // with validation on, and the end-to-end tests send them to the local Discord, which checks each request
  // against Discord's published schema. The commands were validated when they were imported.
  disableValidators();
  const config = readConfig();
  const logger = createLogger(config.logLevel, config.logFormat);
  const lifecycle = new Lifecycle(logger);
  lifecycle.handleSignals();
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  logger.info({ node: process.version, pid: process.pid }, 'starting');

  const database = await openAndPrepareDatabase(config, logger, lifecycle);
  if (!database || lifecycle.stopping) return;

  const client = createDiscordClient(config.discordApiUrl, config.shards);
  const dailyPostRefresh = new DailyPostRefreshThrottle(
    database.db,
    (promptId) => refreshDailyPost(ctx, promptId),
    logger,
  );
  const ctx: AppContext = {
    config,
    logger,
    database,
    db: database.db,
    client,
    now: () => new Date(),
    dailyPostRefresh,
  };
  lifecycle.onStop('discord', async () => {
    dailyPostRefresh.stop();
    await client.destroy();
  });

  const inbox = createInteractionInbox(createRouter(commands, ctx), () => lifecycle.stopping);
  // Every transport hands its interactions to discord.js as INTERACTION_CREATE: the gateway, and the HTTP endpoint.
  client.on(Events.InteractionCreate, (interaction: Interaction) => void inbox.receive(interaction));
  lifecycle.onStop('interactions in progress', () => inbox.drain(DRAIN_LIMIT_MS));
  // The suggester's dictionary and rubrics, loaded and warmed before any interaction can arrive and wait for them.
  preloadLexicon();
  if (config.interactions) {
    const endpoint = await startInteractionsEndpoint({ ...config.interactions, client, inbox, logger }).catch(
      (error: unknown) => error as Error,
    );
    if (endpoint instanceof Error) {
      const inUse = (endpoint as NodeJS.ErrnoException).code === 'EADDRINUSE';
      logger.fatal({ err: endpoint }, 'could not serve the interactions endpoint');
      process.stderr.write(
        `Could not listen on INTERACTIONS_PORT ${config.interactions.port}: ${inUse ? 'another program uses it; choose another port or stop that program' : endpoint.message}\n`,
      );
      return void (await lifecycle.stop(inUse ? EXIT.needsOperator : EXIT.failed, 'the endpoint could not start'));
    }
    lifecycle.onStop('interactions endpoint', () => endpoint.close());
    logger.info({ port: endpoint.port }, 'serving the interactions endpoint');
  }
  if (config.role === 'http') {
    // No gateway login: only REST (follow-ups, edits, DMs). Commands and jobs are the gateway processes' work.
    try {
      await useRestOnly(client, config.discordToken!);
    } catch (error) {
      logger.fatal(explainDiscordFailure(error, config));
      return void (await lifecycle.stop(EXIT.failed, 'could not reach Discord'));
    }
    logger.info({ role: config.role, user: client.user?.tag, port: config.interactions?.port }, 'ready');
    return;
  }
  await runGateway(
    ctx,
    lifecycle,
    commands.map((command) => command.data.toJSON()),
  );
}

await main();
