import { Events, ShardClientUtil } from 'discord.js';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { AppContext } from '../context.ts';
import { connectToDiscord, explainGatewayClose } from '../discord/connection.ts';
import { registerCommands } from '../discord/registerCommands.ts';
import { closeDueDailyQuestions } from '../jobs/dailyClosing.ts';
import { postDueDailyQuestions } from '../jobs/dailyPosting.ts';
import { sendDueReminders } from '../jobs/dailyReminders.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { pauseRemovedServers, serversLeftWhileAway } from '../jobs/serverRemoval.ts';
import { EXIT, type Lifecycle } from '../lifecycle.ts';
import { explainDiscordFailure } from '../startupMessages.ts';
import { takeShards } from './shardOwnership.ts';

/**
 * Before connecting, a gateway process takes its shards' locks, waiting while another process owns them. Once they
 * are held, losing the connection that holds them stops the process at once: another may own its shards by then.
 */
async function ownShards(
  shardIds: number[],
  { database, logger }: AppContext,
  lifecycle: Lifecycle,
  client: AppContext['client'],
): Promise<boolean> {
  const waiting = new AbortController();
  lifecycle.onStop('waiting for shards', () => waiting.abort());
  let owned: boolean;
  try {
    owned = await takeShards(database, shardIds, logger, waiting.signal);
  } catch (error) {
    if (lifecycle.stopping) return false;
    logger.fatal({ err: error }, 'could not take the shard locks in the database');
    return lifecycle.stop(EXIT.failed, 'could not take the shard locks');
  }
  if (!owned || lifecycle.stopping) return false;
  logger.info({ shards: shardIds }, 'this process owns its shards');
  const stopWatching = database.watchHeldLocks((reason) => {
    logger.fatal(
      { shards: shardIds, reason },
      'lost the database connection that holds the shard locks: disconnecting the shards now (another process may own them), and exiting so the supervisor restarts this one',
    );
    void client.destroy();
    void lifecycle.stop(EXIT.failed, 'lost the shard locks');
  });
  lifecycle.onStop('shard lock checks', stopWatching);
  return true;
}

/**
 * The gateway side of the bot (PROCESS_ROLE all or gateway): its shards' events, the slash commands' registration,
 * the scheduled jobs, and the connection to Discord with what to do when it fails for good.
 */
export async function runGateway(
  ctx: AppContext,
  lifecycle: Lifecycle,
  commandData: RESTPostAPIChatInputApplicationCommandsJSONBody[],
): Promise<void> {
  const { client, config, logger } = ctx;
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardReconnecting, (shard) =>
    logger.warn({ shard }, 'the connection to Discord was lost; reconnecting'),
  );
  client.on(Events.ShardResume, (shard) => logger.info({ shard }, 'reconnected to Discord'));
  // Closes that reconnecting cannot heal (a reset token, intents, sharding): say what to fix, and exit.
  client.on(Events.ShardDisconnect, (event, shard) => {
    logger.fatal({ closeCode: event.code, shard }, explainGatewayClose(event.code));
    void lifecycle.stop(EXIT.needsOperator, `Discord closed the connection (${event.code})`);
  });

  // Removed from a server (kicked, or the server deleted; an outage is GuildUnavailable, not this).
  client.on(Events.GuildDelete, (guild) => {
    pauseRemovedServers(ctx, [guild.id]).catch((error: unknown) =>
      logger.warn({ err: error, guildId: guild.id }, 'could not pause the daily questions of a server the bot left'),
    );
  });

  client.once(Events.ClientReady, async (ready) => {
    try {
      // Once per deployment, not per process: by the process of shard 0 (or the all-in-one process).
      const registers = config.role === 'all' || (config.shards?.ids.includes(0) ?? true);
      if (registers) logger.info('registering the slash commands');
      const registration = registers
        ? await registerCommands(ready.rest, ready.application.id, config.discordGuildId, commandData, { force: false })
        : null;
      const shards = config.shards;
      const ownsGuild = (guildId: string) =>
        !shards || shards.ids.includes(ShardClientUtil.shardIdForGuildId(guildId, shards.count));
      await serversLeftWhileAway(ctx, new Set(ready.guilds.cache.keys()), ownsGuild)
        .then((guildIds) => pauseRemovedServers(ctx, guildIds))
        .catch((error: unknown) => logger.warn({ err: error }, 'could not check for servers the bot left while away'));
      const scheduler = startScheduler(ctx, [closeDueDailyQuestions, postDueDailyQuestions, sendDueReminders]);
      lifecycle.onStop('scheduler', () => scheduler.stop());
      logger.info(
        {
          user: ready.user.tag,
          guilds: ready.guilds.cache.size,
          ...(config.shards ? { shards: config.shards.ids, shardCount: config.shards.count } : {}),
          ...(registration
            ? { commands: registration.count, scope: registration.scope, changed: registration.changed }
            : {}),
        },
        'ready',
      );
    } catch (error) {
      logger.fatal(explainDiscordFailure(error, config));
      // Missing Access (50001) or Unknown Guild (10004): DISCORD_GUILD_ID or the invitation must be fixed.
      const wrongGuild = [50001, 10004].includes((error as { code?: unknown }).code as number);
      await lifecycle.stop(wrongGuild ? EXIT.needsOperator : EXIT.failed, 'start-up failed');
    }
  });

  if (config.role === 'gateway' && config.shards && !(await ownShards(config.shards.ids, ctx, lifecycle, client)))
    return;
  const outcome = await connectToDiscord(client, config, logger, () => lifecycle.stopping);
  if (outcome.ok || lifecycle.stopping) return;
  logger.fatal({ code: outcome.code }, 'could not connect to Discord');
  process.stderr.write(`${outcome.message}\n`);
  await lifecycle.stop(outcome.needsOperator ? EXIT.needsOperator : EXIT.failed, 'could not connect to Discord');
}
