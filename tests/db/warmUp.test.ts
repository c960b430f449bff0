import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { connectionCount, queryRows } from '../../src/db/client.ts';
import { syncQuestions } from '../../src/db/repo/questions.ts';
import { warmAnswerPath } from '../../src/db/repo/warmUp.ts';
import { describeEachEngine } from '../support/database.ts';
import { bankQuestion, emptyRubric } from '../support/fixtures.ts';

const TABLES = ['cohorts', 'prompts', 'answers', 'points_ledger', 'score_totals', 'study_cards'] as const;

describeEachEngine('warming the answer path at start-up', (database, engine) => {
  beforeAll(async () => {
    await syncQuestions(database().db, null, [bankQuestion('jwt-what', { rubric: emptyRubric })], {
      retireMissing: true,
    });
  });

  const rowCounts = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(
          async (table) =>
            [
              table,
              (await queryRows<{ n: number }>(database().db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n,
            ] as const,
        ),
      ),
    );

  it('runs the answers through the real statements and leaves nothing behind', async () => {
    const before = await rowCounts();
    const sequenceBefore = await queryRows<{ n: string }>(
      database().db,
      sql`select nextval('answers_id_seq')::text as n`,
    );
    await warmAnswerPath(database().db, 12);
    const sequenceAfter = await queryRows<{ n: string }>(
      database().db,
      sql`select nextval('answers_id_seq')::text as n`,
    );
    // Sequences are not rolled back: 12 answers per connection were really written, then undone with their transaction.
    expect(Number(sequenceAfter[0]!.n) - Number(sequenceBefore[0]!.n)).toBe(12 * connectionCount(database().db) + 1);
    expect(await rowCounts()).toEqual(before);
  });

  // PGlite has one connection; PostgreSQL's pool has several.
  // oxlint-disable-next-line vitest/no-conditional-tests -- registered only where there is a pool
  if (engine === 'postgres')
    it('warms every pooled connection, each a server process with caches of its own', async () => {
      await warmAnswerPath(database().db, 3);
      // Each connection's last statement is the rollback of its own warm-up (but the one that runs this query).
      const [row] = await queryRows<{ n: number }>(
        database().db,
        sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and query = 'rollback'`,
      );
      expect(connectionCount(database().db)).toBeGreaterThan(1);
      expect(row!.n).toBe(connectionCount(database().db) - 1);
    });
});
