import type { Database } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { syncQuestions, type SyncReport } from './db/repo/questions.ts';
import { loadShippedBank } from './quiz/bank/bank.ts';

const BANK_SYNC_LOCK_KEY = 720_311_402;

/** Migrations, then the shipped question bank: run at every start, safe when two processes start together. */
export async function prepareDatabase(database: Database): Promise<SyncReport> {
  await migrateDatabase(database);
  const bank = loadShippedBank();
  return database.withAdvisoryLock(BANK_SYNC_LOCK_KEY, () =>
    database.db.transaction((tx) => syncQuestions(tx, null, bank, { retireMissing: true })),
  );
}
