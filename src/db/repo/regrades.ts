import { and, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { regradeDeadline, regradeWindowStart } from '../../quiz/regrades.ts';
import type { Grade } from '../../quiz/types.ts';
import type { Db, Queryable } from '../client.ts';
import { answers, grades, questions, regradeRequests } from '../schema.ts';

export type RegradeRequestRow = typeof regradeRequests.$inferSelect;

/**
 * Why a regrade cannot be asked for: no such answer, someone else's, not graded yet, more than 7 days after the
 * grade, a request already waiting, or one already decided for this grade.
 */
export type RegradeRefusal = 'missing' | 'not-yours' | 'not-graded' | 'expired' | 'open' | 'decided';

export type RegradeCheck =
  | { status: 'allowed'; guildId: string; question: string; grade: Grade; deadline: Date }
  | { status: RegradeRefusal };

/**
 * Whether the student may ask for a regrade of this answer now. The answer is found by id alone (the button may
 * be clicked in a direct message); it must be the student's own. With `lock`, inside a transaction, the answer
 * row is held FOR UPDATE, so a grade changing meanwhile and a second request wait for this decision.
 */
async function checkRegrade(
  db: Queryable,
  input: { answerId: number; userId: string; now: Date },
  lock = false,
): Promise<RegradeCheck> {
  const query = db
    .select({ answer: answers, grade: grades.grade, gradedAt: grades.gradedAt, question: questions.text })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .leftJoin(grades, eq(grades.answerId, answers.id))
    .where(eq(answers.id, input.answerId));
  const [found] = lock ? await query.for('update', { of: answers }) : await query;
  if (!found) return { status: 'missing' };
  if (found.answer.userId !== input.userId) return { status: 'not-yours' };
  if (!found.grade || !found.gradedAt) return { status: 'not-graded' };
  if (found.answer.regradeOpen) return { status: 'open' };
  const deadline = regradeDeadline(found.gradedAt);
  if (input.now > deadline) return { status: 'expired' };
  // A decision on this grade (kept, or the change that made it) ends the student's say on it.
  const [decided] = await db
    .select({ id: regradeRequests.id })
    .from(regradeRequests)
    .where(and(eq(regradeRequests.answerId, input.answerId), gte(regradeRequests.decidedAt, found.gradedAt)))
    .limit(1);
  if (decided) return { status: 'decided' };
  return { status: 'allowed', guildId: found.answer.guildId, question: found.question, grade: found.grade, deadline };
}

/** Whether the form may open (read only; `requestRegrade` decides again in its transaction). */
export function findRegradable(
  db: Queryable,
  input: { answerId: number; userId: string; now: Date },
): Promise<RegradeCheck> {
  return checkRegrade(db, input);
}

export type RegradeRequestResult =
  | { status: 'requested'; request: RegradeRequestRow; question: string }
  | { status: RegradeRefusal };

/**
 * Opens a regrade request: the request and the answer's place back in the /review queue, in one transaction. At
 * most one open request per answer: the answer row lock orders two submits, and the partial unique key
 * (answer, open) refuses a second whatever happens.
 */
export async function requestRegrade(
  db: Db,
  input: { answerId: number; userId: string; reason: string; now: Date },
): Promise<RegradeRequestResult> {
  return db.transaction(async (tx) => {
    const check = await checkRegrade(tx, input, true);
    if (check.status !== 'allowed') return check;
    const [request] = await tx
      .insert(regradeRequests)
      .values({
        answerId: input.answerId,
        guildId: check.guildId,
        userId: input.userId,
        reason: input.reason,
        grade: check.grade,
        requestedAt: input.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!request) return { status: 'open' };
    await tx.update(answers).set({ regradeOpen: true }).where(eq(answers.id, input.answerId));
    return { status: 'requested', request, question: check.question };
  });
}

/** The student's graded answers of the last 7 days that may still get a regrade request, newest grade first. */
export async function regradableAnswers(
  db: Queryable,
  input: { guildId: string; userId: string; now: Date; limit: number },
) {
  return db
    .select({ answerId: answers.id, question: questions.text, grade: grades.grade, gradedAt: grades.gradedAt })
    .from(grades)
    .innerJoin(answers, eq(answers.id, grades.answerId))
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(
      and(
        eq(answers.guildId, input.guildId),
        eq(answers.userId, input.userId),
        gte(grades.gradedAt, regradeWindowStart(input.now)),
        sql`not ${answers.regradeOpen}`,
        sql`not exists (select 1 from ${regradeRequests} r where r.answer_id = ${answers.id} and r.decided_at >= ${grades.gradedAt})`,
      ),
    )
    .orderBy(desc(grades.gradedAt), desc(answers.id))
    .limit(input.limit);
}

/** Decisions whose direct message could not be delivered and that /me has not shown yet. */
export async function undeliveredDecisions(db: Queryable, guildId: string, userId: string) {
  return db
    .select({ request: regradeRequests, question: questions.text })
    .from(regradeRequests)
    .innerJoin(answers, eq(answers.id, regradeRequests.answerId))
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(
      and(
        eq(regradeRequests.guildId, guildId),
        eq(regradeRequests.userId, userId),
        isNotNull(regradeRequests.decidedAt),
        isNull(regradeRequests.notifiedAt),
        isNull(regradeRequests.seenAt),
      ),
    )
    .orderBy(desc(regradeRequests.decidedAt))
    .limit(5);
}

export async function markDecisionNotified(db: Queryable, requestId: number, at: Date): Promise<void> {
  await db.update(regradeRequests).set({ notifiedAt: at }).where(eq(regradeRequests.id, requestId));
}

export async function markDecisionsSeen(db: Queryable, requestIds: number[], at: Date): Promise<void> {
  if (requestIds.length === 0) return;
  await db
    .update(regradeRequests)
    .set({ seenAt: at })
    .where(and(inArray(regradeRequests.id, requestIds), isNull(regradeRequests.seenAt)));
}
