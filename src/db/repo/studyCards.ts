import { and, asc, eq, sql } from 'drizzle-orm';
import { replayCard, type SrsCard } from '../../quiz/spacedRepetition.ts';
import type { Grade } from '../../quiz/types.ts';
import type { Queryable } from '../client.ts';
import { answers, grades, studyCards } from '../schema.ts';

export interface StudyProgress {
  questionId: number;
  card: SrsCard | null;
  lastAnsweredAt: Date;
}

/** One of a student's answers to a question, rated by the instructor's grade or else the suggestion. */
export interface RatedAnswer {
  at: Date;
  grade: Grade | null;
}

export interface StudyCardValues {
  card: SrsCard | null;
  due: Date | null;
  lastAnsweredAt: Date;
}

/** The rating an answer counts with: a later instructor grade replaces the suggestion. */
const answerRating = sql<Grade | null>`coalesce(${grades.grade}, ${answers.suggestedGrade})`;

/** A student's card for one question, replayed from all their answers to it (oldest first); null without answers. */
export function studyCardValues(history: readonly RatedAnswer[]): StudyCardValues | null {
  const last = history.at(-1);
  if (!last) return null;
  const card = replayCard(history.flatMap((row) => (row.grade ? [{ grade: row.grade, at: row.at }] : [])));
  return { card, due: card ? new Date(card.due) : null, lastAnsweredAt: last.at };
}

/**
 * Recomputes a student's card for one question from all their answers to it, each rated by the
 * instructor's grade or else the suggestion: a later grade may replace a suggestion, so we replay.
 */
export async function refreshStudyCard(
  tx: Queryable,
  guildId: string,
  userId: string,
  questionId: number,
): Promise<void> {
  const history = await tx
    .select({ at: answers.createdAt, grade: answerRating })
    .from(answers)
    .leftJoin(grades, eq(grades.answerId, answers.id))
    .where(and(eq(answers.guildId, guildId), eq(answers.userId, userId), eq(answers.questionId, questionId)))
    .orderBy(asc(answers.createdAt), asc(answers.id));
  const values = studyCardValues(history);
  if (!values) return;
  await tx
    .insert(studyCards)
    .values({ guildId, userId, questionId, ...values })
    .onConflictDoUpdate({ target: [studyCards.guildId, studyCards.userId, studyCards.questionId], set: values });
}

export function studyProgress(db: Queryable, guildId: string, userId: string): Promise<StudyProgress[]> {
  return db
    .select({ questionId: studyCards.questionId, card: studyCards.card, lastAnsweredAt: studyCards.lastAnsweredAt })
    .from(studyCards)
    .where(and(eq(studyCards.guildId, guildId), eq(studyCards.userId, userId)));
}
