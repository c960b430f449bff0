import { type Card, type Grade as FsrsRating, Rating, createEmptyCard, fsrs, generatorParameters } from 'ts-fsrs';
import type { Grade } from './types.ts';

/** A ts-fsrs Card in JSON-safe form (ISO strings for dates), as stored in a jsonb column. */
export interface SrsCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  /** Absent in cards stored before ts-fsrs 5; read as 0. */
  learningSteps?: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 New, 1 Learning, 2 Review, 3 Relearning. */
  state: number;
  lastReview: string | null;
}

// No fuzz: the same history must always give the same schedule.
const scheduler = fsrs(generatorParameters({ enable_fuzz: false }));

const RATING_BY_GRADE: Record<Grade, FsrsRating> = {
  incorrect: Rating.Again,
  partial: Rating.Hard,
  correct: Rating.Good,
};

export function ratingForGrade(grade: Grade): FsrsRating {
  return RATING_BY_GRADE[grade];
}

function toSrsCard(card: Card): SrsCard {
  return {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review ? card.last_review.toISOString() : null,
  };
}

function toFsrsCard(card: SrsCard): Card {
  return {
    due: new Date(card.due),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsedDays,
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps ?? 0,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    ...(card.lastReview ? { last_review: new Date(card.lastReview) } : {}),
  };
}

/** The card after one graded answer at `at`; `null` means the student's first rated answer. */
export function cardAfterAnswer(card: SrsCard | null, grade: Grade, at: Date): SrsCard {
  const current = card ? toFsrsCard(card) : createEmptyCard(at);
  return toSrsCard(scheduler.next(current, at, ratingForGrade(grade)).card);
}

/** Recomputes a card from every graded answer, since a later instructor grade may replace a suggestion. */
export function replayCard(reviews: readonly { grade: Grade; at: Date }[]): SrsCard | null {
  const inTimeOrder = [...reviews].sort((a, b) => a.at.getTime() - b.at.getTime());
  return inTimeOrder.reduce<SrsCard | null>((card, review) => cardAfterAnswer(card, review.grade, review.at), null);
}

export function isDue(card: SrsCard, now: Date): boolean {
  return Date.parse(card.due) <= now.getTime();
}
