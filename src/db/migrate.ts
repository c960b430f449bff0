import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import path from 'node:path';
import type { Database } from './client.ts';

const MIGRATION_LOCK_KEY = 720_311_401;

/** The committed drizzle-kit migrations, resolved from the project root so it works however the code is run. */
const migrationsFolder = path.resolve(process.cwd(), 'drizzle');

/** Applies pending migrations; two processes starting at once on PostgreSQL take turns. */
export async function migrateDatabase(database: Database): Promise<void> {
  await database.withAdvisoryLock(MIGRATION_LOCK_KEY, async () => {
    if (database.engine === 'pglite') {
      await migratePglite(database.db as never, { migrationsFolder });
    } else {
      await migratePostgres(database.db as never, { migrationsFolder });
    }
  });
}
