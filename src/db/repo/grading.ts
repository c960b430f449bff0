import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Grade } from '../../quiz/types.ts';
import type { Db, Tx } from '../client.ts';
import { answers, bulkAcceptances, grades, regradeRequests } from '../schema.ts';
import type { AnswerRow } from './answers.ts';
import { settleAnswerPoints } from './points.ts';
import type { RegradeRequestRow } from './regrades.ts';
import { refreshStudyCard } from './studyCards.ts';

export type GradeRow = typeof grades.$inferSelect;

export type GradeResult =
  | { status: 'graded'; answer: AnswerRow; grade: GradeRow; pointsAdded: number; previous: Grade | null }
  /** The grade answered the student's regrade request: kept (the same grade) or changed. */
  | {
      status: 'regrade-decided';
      answer: AnswerRow;
      grade: GradeRow;
      request: RegradeRequestRow;
      pointsAdded: number;
      previous: Grade;
    }
  | { status: 'already'; grade: GradeRow }
  /** The student edited the answer after the instructor saw it: nothing graded, the new version is to be shown. */
  | { status: 'edited' }
  | { status: 'missing' };

/**
 * Grades an answer: the grade, its grader and time, the points and the study card, in one transaction.
 * Idempotent: the answer row is locked and the grade keyed by answer, so a double click or two instructors
 * give one grade and the second sees 'already'. With `regrade`, the grade changes and points move by the difference.
 */
export async function gradeAnswer(db: Db, input: GradeInput): Promise<GradeResult> {
  return db.transaction((tx) => gradeWithin(tx, input));
}

type GradeInput = {
  guildId: string;
  answerId: number;
  grade: Grade;
  graderId: string;
  now: Date;
  regrade: boolean;
  /** A grade button of a review card: it decides the answer's open regrade request, if any. */
  decidesRegrade?: boolean;
  /** The answer's version the instructor saw; an answer edited since is not graded. */
  seenVersion?: number;
};

async function gradeWithin(tx: Tx, input: GradeInput): Promise<GradeResult> {
  const answer = await lockAnswer(tx, input.guildId, input.answerId);
  if (!answer) return { status: 'missing' };
  const [existing] = await tx.select().from(grades).where(eq(grades.answerId, answer.id));
  if (existing && answer.regradeOpen && input.decidesRegrade) return decideRegrade(tx, answer, existing, input);
  if (!existing && input.seenVersion !== undefined && input.seenVersion !== answer.version) return { status: 'edited' };
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
    : await tx
        .insert(grades)
        .values({ answerId: answer.id, guildId: input.guildId, ...values })
        .returning();
  await tx.update(answers).set({ graded: true, feedbackDraft: null }).where(eq(answers.id, answer.id));
  // Card before points, the order an answer takes them in (study card, then the ledger's score totals), so
  // grading and answering for one student never wait on each other in a cycle.
  await refreshStudyCard(tx, answer.guildId, answer.userId, answer.questionId);
  const pointsAdded = await settleAnswerPoints(tx, { ...answer, instructorGrade: input.grade }, { at: input.now });
  return { status: 'graded', answer, grade: grade!, pointsAdded, previous: existing?.grade ?? null };
}

/**
 * Answers a regrade request with the grade clicked: the same grade keeps it, another changes it (points by the
 * difference, the study card). The request closes with the decision and the instructor's comment (the feedback
 * written on the card), under the answer's row lock, so one click decides it once.
 */
async function decideRegrade(tx: Tx, answer: AnswerRow, existing: GradeRow, input: GradeInput): Promise<GradeResult> {
  const changed = existing.grade !== input.grade;
  let grade: GradeRow | undefined = existing;
  let pointsAdded = 0;
  if (changed) {
    [grade] = await tx
      .update(grades)
      .set({ grade: input.grade, graderId: input.graderId, gradedAt: input.now })
      .where(eq(grades.answerId, answer.id))
      .returning();
    await refreshStudyCard(tx, answer.guildId, answer.userId, answer.questionId);
    pointsAdded = await settleAnswerPoints(tx, { ...answer, instructorGrade: input.grade }, { at: input.now });
  }
  const [request] = await tx
    .update(regradeRequests)
    .set({
      decidedAt: input.now,
      decidedBy: input.graderId,
      outcome: changed ? 'changed' : 'kept',
      newGrade: input.grade,
      comment: answer.feedbackDraft,
    })
    .where(and(eq(regradeRequests.answerId, answer.id), isNull(regradeRequests.decidedAt)))
    .returning();
  await tx.update(answers).set({ regradeOpen: false, feedbackDraft: null }).where(eq(answers.id, answer.id));
  return { status: 'regrade-decided', answer, grade: grade!, request: request!, pointsAdded, previous: existing.grade };
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
 * with the grade; after grading it joins the grade (and the caller tells the student). The same feedback saved
 * again (a form delivered twice, two instructors sending the same words) is 'unchanged': only the write that
 * changed the grade's feedback tells the student.
 */
export async function saveFeedback(
  db: Db,
  input: { guildId: string; answerId: number; feedback: string },
): Promise<{ status: 'draft' | 'graded' | 'unchanged' | 'missing'; grade?: GradeRow; answer?: AnswerRow }> {
  return db.transaction(async (tx) => {
    const answer = await lockAnswer(tx, input.guildId, input.answerId);
    if (!answer) return { status: 'missing' };
    // On a regrade request, the comment waits for the decision, like feedback before a first grade.
    const [graded] = answer.regradeOpen
      ? []
      : await tx
          .update(grades)
          .set({ feedback: input.feedback, notifiedAt: null, seenAt: null })
          .where(and(eq(grades.answerId, answer.id), sql`${grades.feedback} is distinct from ${input.feedback}`))
          .returning();
    if (graded) return { status: 'graded', grade: graded, answer };
    if (answer.graded && !answer.regradeOpen) return { status: 'unchanged', answer };
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

/** `version`: the answer's version the instructor was shown (offers made before edits existed have none). */
export type BulkItem = { answerId: number; grade: Grade; version?: number };

/** Stores the confident suggestions shown to an instructor, so that confirming grades exactly those. */
export async function proposeBulkAcceptance(
  db: Db,
  input: { guildId: string; questionId: number; instructorId: string; items: BulkItem[]; now: Date },
): Promise<number> {
  const [row] = await db
    .insert(bulkAcceptances)
    .values({
      guildId: input.guildId,
      questionId: input.questionId,
      instructorId: input.instructorId,
      items: input.items,
      createdAt: input.now,
    })
    .returning({ id: bulkAcceptances.id });
  return row!.id;
}

export type BulkResult =
  | { status: 'missing' }
  | { status: 'confirmed-before' }
  | {
      status: 'graded';
      graded: Extract<GradeResult, { status: 'graded' }>[];
      alreadyGraded: number;
      editedMeanwhile: number;
    };

/**
 * Confirms an instructor's bulk acceptance: each answer shown gets the suggested grade as an ordinary grade by
 * that instructor (points, study card), all in one transaction. At most once: the offer is claimed by a
 * conditional update, so a double click finds it confirmed; an answer another instructor graded meanwhile keeps
 * that grade. Only the instructor it was shown to, in its guild, can confirm it.
 */
export async function confirmBulkAcceptance(
  db: Db,
  input: { guildId: string; proposalId: number; graderId: string; now: Date },
): Promise<BulkResult> {
  return db.transaction(async (tx) => {
    const mine = and(
      eq(bulkAcceptances.id, input.proposalId),
      eq(bulkAcceptances.guildId, input.guildId),
      eq(bulkAcceptances.instructorId, input.graderId),
    );
    const [claimed] = await tx
      .update(bulkAcceptances)
      .set({ confirmedAt: input.now })
      .where(and(mine, isNull(bulkAcceptances.confirmedAt)))
      .returning({ items: bulkAcceptances.items });
    if (!claimed) {
      const [seen] = await tx.select({ id: bulkAcceptances.id }).from(bulkAcceptances).where(mine);
      return seen ? { status: 'confirmed-before' } : { status: 'missing' };
    }
    const graded: Extract<GradeResult, { status: 'graded' }>[] = [];
    let alreadyGraded = 0;
    let editedMeanwhile = 0;
    // In answer id order, so two bulk acceptances lock the answers they share in the same order.
    for (const item of [...claimed.items].sort((a, b) => a.answerId - b.answerId)) {
      const { answerId, grade, version: seenVersion } = item;
      const result = await gradeWithin(tx, {
        guildId: input.guildId,
        answerId,
        grade,
        graderId: input.graderId,
        now: input.now,
        regrade: false,
        seenVersion,
      });
      if (result.status === 'graded') graded.push(result);
      else if (result.status === 'edited') editedMeanwhile += 1;
      else alreadyGraded += 1;
    }
    return { status: 'graded', graded, alreadyGraded, editedMeanwhile };
  });
}
