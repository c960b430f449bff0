import type { Queryable } from '../../src/db/client.ts';
import { answers, grades, prompts } from '../../src/db/schema.ts';
import { cohortIdOf } from './cohortRows.ts';
import type { Grade } from '../../src/quiz/types.ts';
import { snowflake } from './fixtures.ts';

/**
 * Writes an answer straight into the tables, graded `grade` (or not graded: null), for statistics tests: on the
 * daily prompt `promptId`, or on a practice prompt of its own, in `cohortId` (default: the guild's first cohort). Returns
 * the answer's id.
 */
export async function insertAnswer(
  db: Queryable,
  input: {
    guildId: string;
    questionId: number;
    userId: string;
    grade: Grade | null;
    promptId?: number;
    cohortId?: number;
  },
): Promise<number> {
  const { guildId, questionId, userId, grade } = input;
  const cohortId = input.cohortId ?? (await cohortIdOf(db, guildId));
  const promptId =
    input.promptId ??
    (await db.insert(prompts).values({ guildId, cohortId, questionId, kind: 'practice', userId }).returning())[0]!.id;
  const [row] = await db
    .insert(answers)
    .values({
      promptId,
      guildId,
      cohortId,
      questionId,
      kind: 'practice',
      userId,
      userName: 'S',
      body: 'x',
      firstForQuestion: false,
      graded: grade !== null,
    })
    .returning();
  if (grade) await db.insert(grades).values({ answerId: row!.id, guildId, grade, graderId: snowflake(1) });
  return row!.id;
}
