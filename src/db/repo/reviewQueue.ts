import { and, asc, desc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { AnswerKind, Grade } from '../../quiz/types.ts';
import type { Queryable } from '../client.ts';
import { answers, grades, questions, regradeRequests } from '../schema.ts';

export interface ReviewFilters {
  /** Only this cohort's answers; null: the whole server's. */
  cohortId: number | null;
  questionId: number | null;
  userId: string | null;
  /** Daily or practice answers, or only regrade requests; null: everything to review. */
  kind: AnswerKind | 'regrade' | null;
}

/** What the instructor reviews: an answer to grade, or a graded answer whose student asked for a regrade (`regrade`). */
export type ReviewItem = {
  answer: typeof answers.$inferSelect;
  question: typeof questions.$inferSelect;
  regrade: { reason: string; grade: Grade; requestedAt: Date } | null;
};

/** Counting stops here: "1000+ left" says enough, and the count stays fast on a huge queue. */
const REVIEW_COUNT_CAP = 1000;

function ungraded(guildId: string, filters: ReviewFilters): SQL {
  return and(
    eq(answers.guildId, guildId),
    sql`not ${answers.graded}`,
    filters.cohortId === null ? undefined : eq(answers.cohortId, filters.cohortId),
    filters.questionId === null ? undefined : eq(answers.questionId, filters.questionId),
    filters.userId === null ? undefined : eq(answers.userId, filters.userId),
    filters.kind === null || filters.kind === 'regrade' ? undefined : eq(answers.kind, filters.kind),
  )!;
}

/** Answers to grade and regrade requests to decide (the partial index answers_review_or_regrade). */
function toReview(guildId: string, filters: ReviewFilters): SQL {
  return and(
    eq(answers.guildId, guildId),
    filters.kind === 'regrade' ? sql`${answers.regradeOpen}` : sql`(not ${answers.graded} or ${answers.regradeOpen})`,
    filters.cohortId === null ? undefined : eq(answers.cohortId, filters.cohortId),
    filters.questionId === null ? undefined : eq(answers.questionId, filters.questionId),
    filters.userId === null ? undefined : eq(answers.userId, filters.userId),
    filters.kind === null || filters.kind === 'regrade' ? undefined : eq(answers.kind, filters.kind),
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
      .select({
        answer: answers,
        question: questions,
        regrade: sql<{ reason: string; grade: Grade; requestedAt: string } | null>`(
          select json_build_object('reason', r.reason, 'grade', r.grade, 'requestedAt', r.requested_at)
          from ${regradeRequests} r where r.answer_id = ${answers.id} and r.decided_at is null)`.mapWith(
          (value: { reason: string; grade: Grade; requestedAt: string } | null) =>
            value && { ...value, requestedAt: new Date(value.requestedAt) },
        ),
      })
      .from(answers)
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(and(toReview(guildId, filters), gte(answers.id, from)))
      .orderBy(asc(answers.id))
      .limit(1);
    return row;
  };
  return (await find(fromId)) ?? (fromId > 1 ? find(1) : undefined);
}

/** How many answers are left to review: counted up to REVIEW_COUNT_CAP, beyond which `more` says there are more. */
export interface ReviewCount {
  left: number;
  more: boolean;
}

export async function countForReview(db: Queryable, guildId: string, filters: ReviewFilters): Promise<ReviewCount> {
  const capped = db
    .select({ one: sql`1` })
    .from(answers)
    .where(toReview(guildId, filters))
    .limit(REVIEW_COUNT_CAP)
    .as('capped');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  const counted = row?.n ?? 0;
  return counted >= REVIEW_COUNT_CAP ? { left: REVIEW_COUNT_CAP - 1, more: true } : { left: counted, more: false };
}

/** How many graded answers a suggestion learns from: the latest ones, so a card stays fast on a big cohort. */
const LEARN_FROM_LATEST = 200;

/**
 * The graded answers of one question in one guild, with each answer's current grade (a regrade replaces the
 * grade row, so it counts as the latest), most recently graded first. Never another guild's.
 */
export async function gradedAnswersOf(
  db: Queryable,
  guildId: string,
  questionId: number,
  limit = LEARN_FROM_LATEST,
): Promise<{ answer: string; grade: Grade }[]> {
  return db
    .select({ answer: answers.body, grade: grades.grade })
    .from(grades)
    .innerJoin(answers, eq(answers.id, grades.answerId))
    .where(and(eq(grades.guildId, guildId), eq(answers.guildId, guildId), eq(answers.questionId, questionId)))
    .orderBy(desc(grades.gradedAt), desc(grades.answerId))
    .limit(limit);
}

/** Ungraded answers of one question in one guild (or one of its cohorts), oldest first: the candidates for bulk acceptance. */
export async function ungradedAnswersOf(
  db: Queryable,
  guildId: string,
  questionId: number,
  limit: number,
  cohortId: number | null = null,
) {
  return db
    .select({
      id: answers.id,
      body: answers.body,
      userId: answers.userId,
      userName: answers.userName,
      version: answers.version,
    })
    .from(answers)
    .where(ungraded(guildId, { cohortId, questionId, userId: null, kind: null }))
    .orderBy(asc(answers.id))
    .limit(limit);
}
