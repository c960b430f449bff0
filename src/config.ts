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
  /** What this process does: everything (the default), or one part of a bot run as several processes. */
  role: ProcessRole;
  /** The gateway shards this process connects; null: one connection, Discord's default (shard 0 of 1). */
  shards: { count: number; ids: number[] } | null;
  /** Discord's "Interactions Endpoint URL" mode; null: interactions arrive over the gateway. */
  interactions: { port: number; publicKey: string } | null;
}

/**
 * `all`: one process does everything, alone on its database (the default). `gateway`: the shards of SHARD_IDS and
 * the scheduled jobs, beside other processes. `http`: only the interactions endpoint, stateless, as many as wanted.
 */
const PROCESS_ROLES = ['all', 'gateway', 'http'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

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
  'PROCESS_ROLE',
  'SHARD_COUNT',
  'SHARD_IDS',
  'INTERACTIONS_PORT',
  'DISCORD_PUBLIC_KEY',
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

const wholeNumberFrom = (min: number, max: number) =>
  z.coerce
    .number()
    .int()
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyAsUnset, wholeNumberFrom(min, max).default(fallback));

const optionalWholeNumber = (min: number, max: number) =>
  z.preprocess(emptyAsUnset, wholeNumberFrom(min, max).optional());

const shardIds = z.preprocess(
  emptyAsUnset,
  z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be shard numbers separated by commas, such as 0,1')
    .transform((value) => [...new Set(value.split(',').map((id) => Number(id.trim())))].sort((a, b) => a - b))
    .optional(),
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
  PROCESS_ROLE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined),
    z.enum(PROCESS_ROLES, { error: `must be one of ${PROCESS_ROLES.join(', ')}` }).default('all'),
  ),
  SHARD_COUNT: optionalWholeNumber(1, 65_535),
  SHARD_IDS: shardIds,
  INTERACTIONS_PORT: optionalWholeNumber(1, 65_535),
  DISCORD_PUBLIC_KEY: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/, "must be the 64 hexadecimal characters of the Developer Portal's Public Key")
      .transform((value) => value.toLowerCase())
      .optional(),
  ),
});

type Parsed = z.infer<typeof schema>;

/** The problems of a combination of roles, shards and endpoint that cannot work; each names its variables. */
function roleProblems(data: Parsed): string[] {
  const problems: string[] = [];
  const { PROCESS_ROLE: role, SHARD_COUNT: count, SHARD_IDS: ids } = data;
  if (ids !== undefined && count === undefined)
    problems.push('SHARD_IDS needs SHARD_COUNT, the total number of shards');
  if (count !== undefined && ids?.some((id) => id >= count))
    problems.push(`SHARD_IDS must be below SHARD_COUNT (shards are numbered 0 to ${count - 1})`);
  if (data.INTERACTIONS_PORT !== undefined && data.DISCORD_PUBLIC_KEY === undefined)
    problems.push(
      "INTERACTIONS_PORT needs DISCORD_PUBLIC_KEY, the Developer Portal's Public Key (General Information)",
    );
  if (role === 'http' && data.INTERACTIONS_PORT === undefined)
    problems.push('PROCESS_ROLE=http needs INTERACTIONS_PORT, the port Discord (or your load balancer) posts to');
  if (role === 'http' && count !== undefined)
    problems.push(
      'PROCESS_ROLE=http connects no gateway: remove SHARD_COUNT and SHARD_IDS, or use PROCESS_ROLE=gateway',
    );
  if (role === 'gateway' && count === undefined)
    problems.push('PROCESS_ROLE=gateway needs SHARD_COUNT (and SHARD_IDS for the shards this process connects)');
  if (role === 'all' && count !== undefined && ids !== undefined && ids.length < count && problems.length === 0)
    problems.push(
      'SHARD_IDS names only some of the shards, so other processes must connect the rest: set PROCESS_ROLE=gateway',
    );
  if (role !== 'all' && data.DATABASE_URL === undefined)
    problems.push(
      `PROCESS_ROLE=${role} runs beside other bot processes, and the embedded database serves one process only: set DATABASE_URL to a PostgreSQL database (npm run db:copy-to-postgres moves the embedded data there)`,
    );
  return problems;
}

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
    ? roleProblems(parsed.data)
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
    role: data.PROCESS_ROLE,
    shards:
      data.SHARD_COUNT === undefined
        ? null
        : {
            count: data.SHARD_COUNT,
            ids: data.SHARD_IDS ?? Array.from({ length: data.SHARD_COUNT }, (_, id) => id),
          },
    interactions:
      data.INTERACTIONS_PORT === undefined || data.DISCORD_PUBLIC_KEY === undefined
        ? null
        : { port: data.INTERACTIONS_PORT, publicKey: data.DISCORD_PUBLIC_KEY },
  };
}

function pick(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name]]));
}
