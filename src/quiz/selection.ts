import type { SrsCard } from './spacedRepetition.ts';

export interface PracticeProgress {
  questionId: number;
  /** null: answered but never rated. */
  card: SrsCard | null;
  lastAnsweredAt: Date;
}

export interface PracticeChoiceInput {
  /** The active bank, in bank order. */
  questions: readonly { id: number; topic: string }[];
  progress: readonly PracticeProgress[];
  lastQuestionId: number | null;
  topic?: string;
  /** Earliest due first already means most overdue while any is due, so the order needs no clock. */
  now: Date;
  /** Picks among never-answered questions when given; bank order otherwise. */
  random?: () => number;
}

// An unrated answer says nothing about recall, so the question counts as due since it was answered.
function dueTime(progress: PracticeProgress): number {
  return progress.card ? Date.parse(progress.card.due) : progress.lastAnsweredAt.getTime();
}

/**
 * The next practice question: never-answered first, then the most overdue, and when nothing
 * is due the one due soonest, so a student can always practise. Never the previous question
 * again unless it is the only one in the topic; null when no question matches.
 */
export function choosePracticeQuestion(input: PracticeChoiceInput): number | null {
  const topic = input.topic?.trim().toLowerCase();
  const pool = topic ? input.questions.filter((q) => q.topic.trim().toLowerCase() === topic) : input.questions;
  const candidates = pool.length > 1 ? pool.filter((q) => q.id !== input.lastQuestionId) : pool;
  if (candidates.length === 0) return null;

  const progressById = new Map(input.progress.map((p) => [p.questionId, p]));
  const unanswered = candidates.filter((q) => !progressById.has(q.id));
  if (unanswered.length > 0) {
    const index = input.random ? Math.floor(input.random() * unanswered.length) : 0;
    return unanswered[Math.min(Math.max(index, 0), unanswered.length - 1)]!.id;
  }

  const answered = candidates.map((q) => progressById.get(q.id)!);
  // Earliest due first: that is the most overdue when some are due, else the soonest due; ties go to the longest unseen.
  answered.sort((a, b) => dueTime(a) - dueTime(b) || a.lastAnsweredAt.getTime() - b.lastAnsweredAt.getTime());
  return answered[0]!.questionId;
}
