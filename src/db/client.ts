import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import path from 'node:path';
import postgres from 'postgres';
import { lockDataDir } from './dataDirLock.ts';
import { PgliteThread, type PgliteThreadEvent } from './pgliteThread.ts';
import { HeldLocks, type AdvisoryLockHolders, type AdvisoryLockKey, type AdvisoryLockOptions } from './heldLocks.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: repository functions accept both. */
export type Queryable = Db | Tx;

/** The rows of a raw statement's result, whichever the driver: postgres.js returns them as an array, PGlite in `rows`. */
function rowsOf<T>(result: unknown): T[] {
  const rows = result as T[] | { rows: T[] };
  return Array.isArray(rows) ? rows : rows.rows;
}

/** The rows of a raw statement. */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/**
 * A raw statement whose text is built once: its values are `sql.placeholder(name)`s, filled per call. For the
 * hot statements, which `db.execute` would turn into text again on every call. On PostgreSQL it is prepared on
 * each connection the first time it runs there (the name marks it so): later calls send only its values, in one
 * round trip, and the server neither parses nor plans it again. Unprepared, a statement with values costs two round
 * trips (the driver asks the server for its parameter types first). PGlite ignores the name.
 */
export function rawStatement<T>(
  name: string,
  query: SQL,
): (db: Queryable, values: Record<string, unknown>) => Promise<T[]> {
  const built = new PgDialect().sqlToQuery(query);
  return async (db, values) =>
    rowsOf<T>(await db._.session.prepareQuery(built, undefined, name, false).execute(values));
}

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  /**
   * Opens every pooled connection now (PostgreSQL), so the first burst of answers after a daily post does
   * not wait for connections to be opened one by one. A no-op on PGlite.
   */
  openConnections(): Promise<void>;
  /** Runs `fn` while holding a session-level advisory lock (a no-op on PGlite, which has one connection). */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /**
   * Takes a session-level advisory lock for as long as the database stays open (or until released), and says
   * whether it got it (always true on PGlite, whose data directory is locked already). Every held lock lives on
   * one connection of their own, outside the pool: they all end together when it does.
   */
  holdAdvisoryLock(key: AdvisoryLockKey, options?: AdvisoryLockOptions): Promise<boolean>;
  releaseAdvisoryLock(key: AdvisoryLockKey, options?: AdvisoryLockOptions): Promise<void>;
  /** Whether other sessions hold the lock exclusively or shared (for saying who is in the way). */
  advisoryLockHolders(key: AdvisoryLockKey): Promise<AdvisoryLockHolders>;
  /**
   * Checks every `intervalMs` that the connection of the held locks is still the one that took them and still
   * holds them all; calls `onLost` once if not (the server restarted, the connection was cut or terminated):
   * another process may own them by then. Returns a function that stops the checks. A no-op on PGlite.
   */
  watchHeldLocks(onLost: (reason: string) => void, intervalMs?: number): () => void;
  /**
   * From now on, bound every embedded-database call and refuse writes when the disk is almost full (PGlite).
   * Called by the bot once migrations are done; PostgreSQL's bounds are set per connection already.
   */
  startGuards(): void;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** How long one statement may run (PostgreSQL's statement_timeout; the bound on the embedded thread). */
  timeoutMs: number;
  /** How long a statement waits for a row or table lock before failing (PostgreSQL's lock_timeout). */
  lockTimeoutMs: number;
  /** Free space below which the embedded database refuses writes. */
  minFreeBytes: number;
  /** What the embedded database's thread reports (stuck, restarted, low disk), for the operator's log. */
  onEvent?: (event: PgliteThreadEvent) => void;
}

const DEFAULT_DATABASE_OPTIONS: DatabaseOptions = {
  timeoutMs: 20_000,
  lockTimeoutMs: 3_000,
  minFreeBytes: 256 * 1024 * 1024,
};

const connections = new WeakMap<Queryable, number>();

/** How many statements the database runs at once: its pool's size (PGlite: one; a transaction: one). */
export function connectionCount(db: Queryable): number {
  return connections.get(db) ?? 1;
}

/**
 * How long a pooled connection waits before connecting again after failed connections. postgres.js counts failures
 * across the whole pool and waits up to 20 s by default (3^failures / 100 s): one outage closes all ten connections
 * with errors, so the bot went on refusing answers for 10 to 20 s after the database was back. Here at most 1 s.
 */
function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.05 * 2 ** failures, 1);
}

export async function openPostgres(
  url: string,
  options: DatabaseOptions = DEFAULT_DATABASE_OPTIONS,
): Promise<Database> {
  const poolSize = 10;
  // Connections live as long as the bot (postgres.js would otherwise recycle each after 30 to 60 minutes),
  // so the pool opened at start is still open when the daily post brings its burst of answers.
  // Every statement is bounded, so one held lock cannot keep the whole pool (and every interaction) waiting.
  const sql = postgres(url, {
    onnotice: () => {},
    connect_timeout: 10,
    backoff: reconnectDelaySeconds,
    max: poolSize,
    max_lifetime: null,
    connection: {
      statement_timeout: options.timeoutMs,
      lock_timeout: options.lockTimeoutMs,
      idle_in_transaction_session_timeout: options.timeoutMs,
    },
  });
  const db = drizzlePostgres(sql, { schema }) as unknown as Db;
  connections.set(db, poolSize);
  const locks = new HeldLocks(url);
  return {
    db,
    engine: 'postgres',
    // Queries in flight at once each take a connection of their own, opening it if need be.
    async openConnections() {
      await Promise.all(Array.from({ length: poolSize }, () => sql`select 1`));
    },
    startGuards: () => undefined,
    // An advisory lock belongs to one connection, so it is taken on a reserved one.
    async withAdvisoryLock(key, fn) {
      const reserved = await sql.reserve();
      try {
        // Waiting for another process's migrations is expected: no lock timeout for this wait.
        await reserved`set lock_timeout = 0`;
        try {
          await reserved`select pg_advisory_lock(${key})`;
        } finally {
          await reserved`reset lock_timeout`;
        }
        try {
          return await fn();
        } finally {
          await reserved`select pg_advisory_unlock(${key})`;
        }
      } finally {
        reserved.release();
      }
    },
    holdAdvisoryLock: (key, options) => locks.hold(key, options),
    releaseAdvisoryLock: (key, options) => locks.release(key, options),
    advisoryLockHolders: (key) => locks.holders(key),
    watchHeldLocks: (onLost, intervalMs) => locks.watch(onLost, intervalMs),
    async close() {
      await locks.close();
      await sql.end({ timeout: 5 });
    },
  };
}

export async function openPglite(
  dataDir: string,
  options: DatabaseOptions = DEFAULT_DATABASE_OPTIONS,
): Promise<Database> {
  const lock = lockDataDir(dataDir);
  try {
    // In a thread of its own: PGlite's queries are synchronous and would hold up Discord's events.
    const client = await PgliteThread.open(path.join(dataDir, 'pglite'), {
      timeoutMs: options.timeoutMs,
      minFreeBytes: options.minFreeBytes,
      onEvent: options.onEvent,
    });
    try {
      lock.verify();
    } catch (error) {
      await client.close();
      throw error;
    }
    const db = drizzlePglite(client as unknown as PGlite, { schema }) as unknown as Db;
    return {
      db,
      engine: 'pglite',
      openConnections: async () => undefined,
      withAdvisoryLock: (_key, fn) => fn(),
      holdAdvisoryLock: async () => true,
      releaseAdvisoryLock: async () => undefined,
      advisoryLockHolders: async () => null,
      watchHeldLocks: () => () => undefined,
      startGuards: () => client.startGuards(),
      async close() {
        try {
          await client.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

export function openDatabase(
  settings: { databaseUrl: string | undefined; dataDir: string },
  options: DatabaseOptions = DEFAULT_DATABASE_OPTIONS,
): Promise<Database> {
  return settings.databaseUrl ? openPostgres(settings.databaseUrl, options) : openPglite(settings.dataDir, options);
}
