import type { AnswerKind, Grade } from './types.ts';

/** Why points were given; each ledger row carries one. */
export const POINT_REASONS = ['daily_answer', 'daily_grade', 'practice_grade'] as const;
export type PointReason = (typeof POINT_REASONS)[number];

const DAILY_GRADE_POINTS: Record<Grade, number> = { correct: 3, partial: 1, incorrect: 0 };
const PRACTICE_GRADE_POINTS: Record<Grade, number> = { correct: 2, partial: 1, incorrect: 0 };

export interface AnswerForPoints {
  kind: AnswerKind;
  /** The student's first answer to this question in the guild: only that one earns practice points. */
  firstForQuestion: boolean;
  instructorGrade: Grade | null;
  suggestedGrade: Grade | null;
}

/**
 * The whole points policy: what an answer is worth, per reason, given what is known about it now.
 * A daily answer earns 1 for answering and 3/1/0 for the instructor's grade. A practice answer earns 2/1/0
 * only the first time the student answers that question, so /quiz cannot be farmed; until an instructor
 * grades it, the suggested grade stands in, and the instructor's grade replaces it.
 * The ledger stores differences from what was already given, so regrading adjusts by the difference.
 */
export function pointsTarget(answer: AnswerForPoints): Record<PointReason, number> {
  if (answer.kind === 'daily') {
    return {
      daily_answer: 1,
      daily_grade: answer.instructorGrade ? DAILY_GRADE_POINTS[answer.instructorGrade] : 0,
      practice_grade: 0,
    };
  }
  const grade = answer.instructorGrade ?? answer.suggestedGrade;
  return {
    daily_answer: 0,
    daily_grade: 0,
    practice_grade: answer.firstForQuestion && grade ? PRACTICE_GRADE_POINTS[grade] : 0,
  };
}

/** The ledger rows that bring what was already awarded up (or down) to the target. */
export function pointsDelta(
  target: Record<PointReason, number>,
  awarded: Partial<Record<PointReason, number>>,
): { reason: PointReason; points: number }[] {
  return POINT_REASONS.map((reason) => ({ reason, points: target[reason] - (awarded[reason] ?? 0) })).filter(
    (row) => row.points !== 0,
  );
}

export function totalPoints(points: Record<PointReason, number>): number {
  return POINT_REASONS.reduce((sum, reason) => sum + points[reason], 0);
}
