import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import path from 'node:path';
import postgres from 'postgres';
import { lockDataDir } from './dataDirLock.ts';
import { PgliteThread } from './pgliteThread.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: repository functions accept both. */
export type Queryable = Db | Tx;

/** The rows of a raw statement, whichever the driver: postgres.js returns them as an array, PGlite in `rows`. */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
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
  close(): Promise<void>;
}

export async function openPostgres(url: string): Promise<Database> {
  const poolSize = 10;
  // Connections live as long as the bot (postgres.js would otherwise recycle each after 30 to 60 minutes),
  // so the pool opened at start is still open when the daily post brings its burst of answers.
  const sql = postgres(url, { onnotice: () => {}, connect_timeout: 10, max: poolSize, max_lifetime: null });
  const db = drizzlePostgres(sql, { schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    // Queries in flight at once each take a connection of their own, opening it if need be.
    async openConnections() {
      await Promise.all(Array.from({ length: poolSize }, () => sql`select 1`));
    },
    // An advisory lock belongs to one connection, so it is taken on a reserved one.
    async withAdvisoryLock(key, fn) {
      const reserved = await sql.reserve();
      try {
        await reserved`select pg_advisory_lock(${key})`;
        try {
          return await fn();
        } finally {
          await reserved`select pg_advisory_unlock(${key})`;
        }
      } finally {
        reserved.release();
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

export async function openPglite(dataDir: string): Promise<Database> {
  const lock = lockDataDir(dataDir);
  try {
    // In a thread of its own: PGlite's queries are synchronous and would hold up Discord's events.
    const client = await PgliteThread.open(path.join(dataDir, 'pglite'));
    const db = drizzlePglite(client as unknown as PGlite, { schema }) as unknown as Db;
    return {
      db,
      engine: 'pglite',
      openConnections: async () => undefined,
      withAdvisoryLock: (_key, fn) => fn(),
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

export function openDatabase(settings: { databaseUrl: string | undefined; dataDir: string }): Promise<Database> {
  return settings.databaseUrl ? openPostgres(settings.databaseUrl) : openPglite(settings.dataDir);
}
