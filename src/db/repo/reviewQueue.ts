import { and, asc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { AnswerKind } from '../../quiz/types.ts';
import type { Queryable } from '../client.ts';
import { answers, questions } from '../schema.ts';

export interface ReviewFilters {
  questionId: number | null;
  userId: string | null;
  kind: AnswerKind | null;
}

export type ReviewItem = { answer: typeof answers.$inferSelect; question: typeof questions.$inferSelect };

/** Counting stops here: "1000+ left" says enough, and the count stays fast on a huge queue. */
export const REVIEW_COUNT_CAP = 1000;

function ungraded(guildId: string, filters: ReviewFilters): SQL {
  return and(
    eq(answers.guildId, guildId),
    sql`not ${answers.graded}`,
    filters.questionId === null ? undefined : eq(answers.questionId, filters.questionId),
    filters.userId === null ? undefined : eq(answers.userId, filters.userId),
    filters.kind === null ? undefined : eq(answers.kind, filters.kind),
  )!;
}

/**
 * The first ungraded answer from `fromId` on (just after the one graded or skipped), oldest first, wrapping
 * around to the oldest, so skipped answers stay in the queue and come back at the end of the round.
 */
export async function nextForReview(
  db: Queryable,
  guildId: string,
  filters: ReviewFilters,
  fromId = 1,
): Promise<ReviewItem | undefined> {
  const find = async (from: number) => {
    const [row] = await db
      .select({ answer: answers, question: questions })
      .from(answers)
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(and(ungraded(guildId, filters), gte(answers.id, from)))
      .orderBy(asc(answers.id))
      .limit(1);
    return row;
  };
  return (await find(fromId)) ?? (fromId > 1 ? find(1) : undefined);
}

export async function countForReview(db: Queryable, guildId: string, filters: ReviewFilters): Promise<number> {
  const capped = db
    .select({ one: sql`1` })
    .from(answers)
    .where(ungraded(guildId, filters))
    .limit(REVIEW_COUNT_CAP)
    .as('capped');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  return row?.n ?? 0;
}
