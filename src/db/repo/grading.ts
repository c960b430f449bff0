import { and, eq } from 'drizzle-orm';
import type { Grade } from '../../quiz/types.ts';
import type { Db, Tx } from '../client.ts';
import { answers, grades } from '../schema.ts';
import type { AnswerRow } from './answers.ts';
import { settleAnswerPoints } from './points.ts';
import { refreshStudyCard } from './studyCards.ts';

export type GradeRow = typeof grades.$inferSelect;

export type GradeResult =
  | { status: 'graded'; answer: AnswerRow; grade: GradeRow; pointsAdded: number; previous: Grade | null }
  | { status: 'already'; grade: GradeRow }
  | { status: 'missing' };

/**
 * Grades an answer: the grade, its grader and time, the points and the study card, in one transaction.
 * Idempotent: the answer row is locked and the grade keyed by answer, so a double click or two instructors
 * give one grade and the second sees 'already'. With `regrade`, the grade changes and points move by the difference.
 */
export async function gradeAnswer(
  db: Db,
  input: { guildId: string; answerId: number; grade: Grade; graderId: string; now: Date; regrade: boolean },
): Promise<GradeResult> {
  return db.transaction(async (tx) => {
    const answer = await lockAnswer(tx, input.guildId, input.answerId);
    if (!answer) return { status: 'missing' };
    const [existing] = await tx.select().from(grades).where(eq(grades.answerId, answer.id));
    if (existing && (!input.regrade || existing.grade === input.grade)) return { status: 'already', grade: existing };
    const values = {
      grade: input.grade,
      graderId: input.graderId,
      gradedAt: input.now,
      feedback: answer.feedbackDraft ?? existing?.feedback ?? null,
      notifiedAt: null,
      seenAt: null,
    };
    const [grade] = existing
      ? await tx.update(grades).set(values).where(eq(grades.answerId, answer.id)).returning()
      : await tx.insert(grades).values({ answerId: answer.id, guildId: input.guildId, ...values }).returning();
    await tx.update(answers).set({ graded: true, feedbackDraft: null }).where(eq(answers.id, answer.id));
    // Card before points, the order an answer takes them in (study card, then the ledger's score totals), so
    // grading and answering for one student never wait on each other in a cycle.
    await refreshStudyCard(tx, answer.guildId, answer.userId, answer.questionId);
    const pointsAdded = await settleAnswerPoints(tx, { ...answer, instructorGrade: input.grade }, { at: input.now });
    return { status: 'graded', answer, grade: grade!, pointsAdded, previous: existing?.grade ?? null };
  });
}

async function lockAnswer(tx: Tx, guildId: string, answerId: number): Promise<AnswerRow | undefined> {
  const [row] = await tx
    .select()
    .from(answers)
    .where(and(eq(answers.id, answerId), eq(answers.guildId, guildId)))
    .for('update');
  return row;
}

/**
 * Stores an instructor's written feedback. Before grading it waits on the answer as a draft and goes out
 * with the grade; after grading it joins the grade (and the caller tells the student).
 */
export async function saveFeedback(
  db: Db,
  input: { guildId: string; answerId: number; feedback: string },
): Promise<{ status: 'draft' | 'graded' | 'missing'; grade?: GradeRow; answer?: AnswerRow }> {
  return db.transaction(async (tx) => {
    const answer = await lockAnswer(tx, input.guildId, input.answerId);
    if (!answer) return { status: 'missing' };
    const [graded] = await tx
      .update(grades)
      .set({ feedback: input.feedback, notifiedAt: null, seenAt: null })
      .where(eq(grades.answerId, answer.id))
      .returning();
    if (graded) return { status: 'graded', grade: graded, answer };
    await tx.update(answers).set({ feedbackDraft: input.feedback }).where(eq(answers.id, answer.id));
    return { status: 'draft', answer: { ...answer, feedbackDraft: input.feedback } };
  });
}

export async function toggleStar(db: Db, guildId: string, answerId: number): Promise<boolean | null> {
  return db.transaction(async (tx) => {
    const answer = await lockAnswer(tx, guildId, answerId);
    if (!answer) return null;
    await tx.update(answers).set({ starred: !answer.starred }).where(eq(answers.id, answer.id));
    return !answer.starred;
  });
}

export async function markNotified(db: Db, answerId: number, at: Date): Promise<void> {
  await db.update(grades).set({ notifiedAt: at }).where(eq(grades.answerId, answerId));
}
