import { GatewayCloseCodes, type Client } from 'discord.js';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { explainDiscordFailure } from '../startupMessages.ts';

const TOKEN_FIX =
  'Copy the token again from the Developer Portal (your application, Bot tab, Reset Token) into DISCORD_TOKEN and start the bot again.';

/** What to fix when Discord closes the gateway for good: one sentence for the operator's log. */
export function explainGatewayClose(code: number): string {
  switch (code) {
    case GatewayCloseCodes.AuthenticationFailed:
      return `Discord rejected DISCORD_TOKEN (gateway close 4004): the token was reset or revoked. ${TOKEN_FIX}`;
    case GatewayCloseCodes.InvalidShard:
    case GatewayCloseCodes.ShardingRequired:
      return `Discord requires sharding (gateway close ${code}): the bot is in too many servers for this many gateway connections. Set SHARD_COUNT to one shard per 2,500 servers (GET /gateway/bot's "shards" is Discord's recommendation) and run gateway processes (PROCESS_ROLE=gateway, SHARD_IDS) for all of them; see "Gateway shards" in the README.`;
    case GatewayCloseCodes.InvalidAPIVersion:
      return 'Discord no longer accepts this gateway version (gateway close 4012): update the bot (git pull, npm ci).';
    case GatewayCloseCodes.InvalidIntents:
    case GatewayCloseCodes.DisallowedIntents:
      return `Discord refused the gateway intents (close ${code}). The bot needs only the Guilds intent; check the application's Bot tab in the Developer Portal.`;
    default:
      return `Discord closed the connection for good (gateway close ${code}).`;
  }
}

export type ConnectOutcome = { ok: true } | { ok: false; code: unknown; needsOperator: boolean; message: string };

/** Delays between attempts to reach Discord at start-up: five attempts over about 15 s before giving up. */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];
const WAITING_LOG_INTERVAL_MS = 10_000;

function errorCode(error: unknown): unknown {
  const fields = error as { code?: unknown; status?: unknown; cause?: { code?: unknown } };
  return fields.code ?? fields.status ?? fields.cause?.code;
}

function isRejectedToken(code: unknown): boolean {
  return code === 'TokenInvalid' || code === 401 || code === GatewayCloseCodes.AuthenticationFailed;
}

/**
 * Logs in, retrying a Discord that cannot be reached (refused, reset, timed out, 5xx) with a growing delay
 * and a line saying so; a rejected token is not retried, since only a person can fix it.
 */
export async function connectToDiscord(
  client: Client,
  config: Config,
  logger: Logger,
  stopping: () => boolean,
): Promise<ConnectOutcome> {
  for (let attempt = 0; ; attempt += 1) {
    logger.info({ api: config.discordApiUrl }, attempt === 0 ? 'connecting to Discord' : 'connecting to Discord again');
    // A Discord (or proxy) that takes the connection and never answers: say so while discord.js waits and retries.
    const started = Date.now();
    const waiting = setInterval(
      () => logger.warn({ seconds: Math.round((Date.now() - started) / 1000) }, 'still waiting for Discord to answer'),
      WAITING_LOG_INTERVAL_MS,
    );
    try {
      await client.login(config.discordToken);
      return { ok: true };
    } catch (error) {
      clearInterval(waiting);
      const code = errorCode(error);
      if (isRejectedToken(code))
        return { ok: false, code, needsOperator: true, message: explainDiscordFailure(error, config) };
      const cause =
        (error as Error).name === 'AbortError'
          ? 'no answer in time'
          : typeof code === 'string' || typeof code === 'number'
            ? String(code)
            : (error as Error).message;
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || stopping()) {
        return {
          ok: false,
          code,
          needsOperator: false,
          message: `${explainDiscordFailure(error, config)} (${attempt + 1} attempts)`,
        };
      }
      logger.warn({ code, cause, retryInSeconds: delay / 1000 }, 'could not reach Discord; retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopping()) return { ok: false, code, needsOperator: false, message: 'stopped while connecting to Discord' };
    } finally {
      clearInterval(waiting);
    }
  }
}
