import type { Config } from './config.ts';
import { isDatabaseUnavailable } from './db/errors.ts';
import { UserFacingStartupError } from './errors.ts';

/**
 * The one plain sentence for each way start-up can fail, naming the setting to fix and how. `npm start`, the
 * command-line tools and `deploy-commands` all print these, so the same failure reads the same everywhere.
 * None of them echoes the token or a database password.
 */

const TOKEN_HELP =
  'copy the token again from the Discord Developer Portal (your application, Bot tab, Reset Token) into DISCORD_TOKEN';
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const HOST_NOT_FOUND = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** Every `code` (Node errno, SQLSTATE, Discord error code, discord.js code) along the error's `cause` chain. */
function codesOf(error: unknown): unknown[] {
  const codes: unknown[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (code !== undefined) codes.push(code);
    current = cause;
  }
  return codes;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why Discord could not be used: the token, the server of DISCORD_GUILD_ID, or the network. */
export function explainDiscordFailure(
  error: unknown,
  config: Pick<Config, 'discordApiUrl' | 'discordGuildId'>,
): string {
  const codes = codesOf(error);
  const status = (error as { status?: unknown }).status;
  if (status === 401 || codes.includes('TokenInvalid')) return `Discord rejected DISCORD_TOKEN: ${TOKEN_HELP}.`;
  const guild = config.discordGuildId;
  if (guild && codes.includes(50001)) {
    return (
      `Discord refused access to the server of DISCORD_GUILD_ID (${guild}): the bot is not in that server, or was invited ` +
      'without the applications.commands scope. Invite it with the link in the README (scopes bot and applications.commands), ' +
      'or correct DISCORD_GUILD_ID (leave it empty to register the commands globally).'
    );
  }
  if (guild && codes.includes(10004)) {
    return (
      `Discord knows no server with the id in DISCORD_GUILD_ID (${guild}): copy it again (right-click the server, Copy Server ID), ` +
      'or leave DISCORD_GUILD_ID empty to register the commands globally.'
    );
  }
  const networkCode = codes.find((code): code is string => typeof code === 'string' && NETWORK_CODES.has(code));
  const aborted = (error as { name?: unknown }).name === 'AbortError';
  if (networkCode !== undefined || aborted || messageOf(error) === 'fetch failed') {
    const detail = aborted ? 'no answer in time' : String(networkCode ?? messageOf(error));
    return `Could not connect to Discord at DISCORD_API_URL (${config.discordApiUrl}): ${detail}. Check the network connection, and DISCORD_API_URL if you set it.`;
  }
  const code = codes.find((value) => typeof value === 'number');
  return `Discord refused the request${typeof status === 'number' ? ` (${status}${code !== undefined ? `, code ${String(code)}` : ''})` : ''}: ${messageOf(error)}`;
}

/** Where DATABASE_URL points, without user or password. */
function safeLocation(databaseUrl: string): { where: string; database: string; user: string } {
  try {
    const url = new URL(databaseUrl);
    return {
      where: `${url.hostname}:${url.port || '5432'}${url.pathname}`,
      database: decodeURIComponent(url.pathname.slice(1)),
      user: decodeURIComponent(url.username),
    };
  } catch {
    return { where: 'unparseable URL', database: '', user: '' };
  }
}

/** True when an error means the database could not be opened or reached, rather than a failed query. */
export function isDatabaseOpeningFailure(error: unknown): boolean {
  if (error instanceof UserFacingStartupError || isDatabaseUnavailable(error)) return true;
  return codesOf(error).some(
    (code) => typeof code === 'string' && (NETWORK_CODES.has(code) || /^(3D000|28)/.test(code)),
  );
}

/** Why the database could not be opened: the embedded one in DATA_DIR, or the PostgreSQL of DATABASE_URL. */
export function explainDatabaseFailure(error: unknown, databaseUrl: string | undefined): string {
  if (error instanceof UserFacingStartupError) return error.message;
  const codes = codesOf(error);
  const detail = String(codes.find((code) => typeof code === 'string') ?? messageOf(error));
  if (!databaseUrl) return `The embedded database in DATA_DIR could not be opened: ${detail}`;
  const { where, database, user } = safeLocation(databaseUrl);
  const role = user ? `the user "${user}"` : 'the user';
  if (codes.includes('3D000')) {
    return `The database "${database}" of DATABASE_URL (${where}) does not exist: create it (for example \`createdb ${database}\`) or correct the name at the end of DATABASE_URL.`;
  }
  if (codes.includes('28000')) {
    return `PostgreSQL does not let ${role} of DATABASE_URL (${where}) connect: the role does not exist or may not log in there. Create the role (for example \`createuser ${user || 'NAME'}\`) or correct the user in DATABASE_URL.`;
  }
  if (codes.includes('28P01'))
    return `PostgreSQL rejected the password of ${role} of DATABASE_URL (${where}): correct the password in DATABASE_URL.`;
  if (codes.some((code) => typeof code === 'string' && HOST_NOT_FOUND.has(code))) {
    return `Cannot find the host of DATABASE_URL (${where}): ${detail}. Check the host name in DATABASE_URL.`;
  }
  if (isDatabaseUnavailable(error) || codes.some((code) => typeof code === 'string' && NETWORK_CODES.has(code))) {
    return `Cannot reach the PostgreSQL server of DATABASE_URL (${where}): ${detail}. Is it running, and is the URL right?`;
  }
  return `The database of DATABASE_URL (${where}) refused to start the bot: ${detail}`;
}
