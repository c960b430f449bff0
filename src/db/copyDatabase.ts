import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { queryRows, type Db } from './client.ts';
import * as schema from './schema.ts';

/**
 * The tables to copy, parents before children. `score_totals` is not among them: the trigger on the points
 * ledger rebuilds it as the ledger rows arrive, in each cohort's own time zone, exactly as the bot built it.
 */
const TABLES: PgTable[] = [
  schema.guildSettings,
  schema.cohorts,
  schema.questions,
  schema.prompts,
  schema.answers,
  schema.answerVersions,
  schema.grades,
  schema.regradeRequests,
  schema.pointsLedger,
  schema.studyCards,
  schema.bulkAcceptances,
  schema.reminderPreferences,
  schema.dailyReminders,
];
const CHUNK_ROWS = 500;

export interface CopyReport {
  rows: Record<string, number>;
  /** Points per guild, period and student, summed: equal on both sides when the copy is complete. */
  totalPoints: { source: number; target: number };
}

const count = async (db: Db, table: string) =>
  (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
const pointsOf = async (db: Db) =>
  (await queryRows<{ n: number }>(db, sql`select coalesce(sum(points), 0)::int as n from score_totals`))[0]!.n;

/**
 * Copies every row of a migrated database into another migrated one that holds no data yet (the embedded
 * database into PostgreSQL), in one transaction: the target ends with all of it, or with none of it.
 */
export async function copyDatabase(source: Db, target: Db): Promise<CopyReport> {
  for (const table of [...TABLES, schema.scoreTotals]) {
    const name = getTableName(table);
    if ((await count(target, name)) > 0)
      throw new Error(`The target database already holds data (table ${name}); copy into an empty database.`);
  }
  const rows: Record<string, number> = {};
  await target.transaction(async (tx) => {
    for (const table of TABLES) {
      const name = getTableName(table);
      const all = (await source.select().from(table)) as Record<string, unknown>[];
      for (let start = 0; start < all.length; start += CHUNK_ROWS)
        await tx.insert(table).values(all.slice(start, start + CHUNK_ROWS));
      rows[name] = all.length;
      // Ids were copied as they were: the next id the target hands out must come after them.
      if ('id' in getTableColumns(table)) {
        await tx.execute(
          sql`select setval(pg_get_serial_sequence(${name}, 'id'), (select coalesce(max(id), 0) + 1 from ${sql.identifier(name)}), false)`,
        );
      }
    }
  });
  return { rows, totalPoints: { source: await pointsOf(source), target: await pointsOf(target) } };
}
