import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { syncQuestions } from '../../src/db/repo/questions.ts';
import { warmAnswerPath } from '../../src/db/repo/warmUp.ts';
import { describeEachEngine } from '../support/database.ts';
import { bankQuestion, emptyRubric } from '../support/fixtures.ts';

const TABLES = ['cohorts', 'prompts', 'answers', 'points_ledger', 'score_totals', 'study_cards'] as const;

describeEachEngine('warming the answer path at start-up', (database) => {
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
    // Sequences are not rolled back: 12 answers were really written, then undone with their transaction.
    expect(Number(sequenceAfter[0]!.n) - Number(sequenceBefore[0]!.n)).toBe(13);
    expect(await rowCounts()).toEqual(before);
  });
});
