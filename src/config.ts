import { z } from 'zod';

/** Every setting the bot reads. This module is the only reader of the environment. */
export interface Config {
  discordToken: string | undefined;
  discordGuildId: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  discordApiUrl: string;
  logLevel: LogLevel;
  database: {
    /** How long one database statement may run before it fails as "try again". */
    timeoutMs: number;
    /** How long a statement waits for another's lock (PostgreSQL). */
    lockTimeoutMs: number;
    /** Free space on DATA_DIR's disk below which the embedded database refuses writes. */
    minFreeBytes: number;
  };
  logFormat: LogFormat;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: readable lines when stdout is a terminal, JSON lines otherwise (a file, a pipe, a log collector). */
const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The variables, with what each must look like; `.env.example` documents the same names. */
export const CONFIG_VARIABLES = [
  'DISCORD_TOKEN',
  'DISCORD_GUILD_ID',
  'DATABASE_URL',
  'DATA_DIR',
  'DISCORD_API_URL',
  'LOG_LEVEL',
  'DATABASE_TIMEOUT_SECONDS',
  'MIN_FREE_DISK_MB',
  'LOG_FORMAT',
] as const;

const emptyAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
const tokenShape = z
  .string()
  .trim()
  .min(1, { error: 'is empty: paste the bot token from the Developer Portal, Bot tab', abort: true })
  .regex(
    /^[\w-]+\.[\w-]+\.[\w-]+$/,
    'does not look like a bot token (three dot-separated parts); copy it again from the Developer Portal, Bot tab',
  );

const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'must be a URL like postgres://user:password@host:5432/database');

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL such as https://discord.com/api');

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce
      .number()
      .int()
      .min(min, `must be a whole number from ${min} to ${max}`)
      .max(max, `must be a whole number from ${min} to ${max}`)
      .default(fallback),
  );

const schema = z.object({
  DISCORD_TOKEN: tokenShape.optional(),
  DISCORD_GUILD_ID: z.preprocess(emptyAsUnset, snowflake.optional()),
  DATABASE_URL: z.preprocess(emptyAsUnset, postgresUrl.optional()),
  DATA_DIR: z.preprocess(emptyAsUnset, z.string().default('./data')),
  DISCORD_API_URL: z.preprocess(emptyAsUnset, httpUrl.default('https://discord.com/api')),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  DATABASE_TIMEOUT_SECONDS: wholeNumber(1, 600, 20),
  MIN_FREE_DISK_MB: wholeNumber(0, 1_000_000, 256),
  LOG_FORMAT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
    z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }).default('auto'),
  ),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the settings. All problems are reported at once, each naming its variable;
 * values are never echoed, so a mistyped token cannot leak into a log.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: { requireToken: boolean }): Config {
  const parsed = schema.safeParse(pick(env));
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  if (options.requireToken && env.DISCORD_TOKEN === undefined) {
    problems.push(
      'DISCORD_TOKEN is missing: create a bot at https://discord.com/developers/applications (Bot tab, Reset Token) and put it in .env',
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const data = parsed.data;
  return {
    discordToken: data.DISCORD_TOKEN,
    discordGuildId: data.DISCORD_GUILD_ID,
    databaseUrl: data.DATABASE_URL,
    dataDir: data.DATA_DIR,
    discordApiUrl: data.DISCORD_API_URL.replace(/\/+$/, ''),
    logLevel: data.LOG_LEVEL,
    database: {
      timeoutMs: data.DATABASE_TIMEOUT_SECONDS * 1000,
      // Short, and below the statement bound: a held lock fails fast as "busy" instead of filling the pool.
      lockTimeoutMs: Math.min(3_000, data.DATABASE_TIMEOUT_SECONDS * 1000),
      minFreeBytes: data.MIN_FREE_DISK_MB * 1024 * 1024,
    },
    logFormat: data.LOG_FORMAT,
  };
}

function pick(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name]]));
}
