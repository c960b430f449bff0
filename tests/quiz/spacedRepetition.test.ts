import { Rating } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { type SrsCard, isDue, ratingForGrade, replayCard, cardAfterAnswer } from '../../src/quiz/spacedRepetition.ts';
import type { Grade } from '../../src/quiz/types.ts';

const start = new Date('2026-01-05T10:00:00Z');
const hoursLater = (hours: number): Date => new Date(start.getTime() + hours * 3_600_000);
const dueMs = (card: SrsCard): number => Date.parse(card.due);

/** A card reviewed correctly three times, each when due: in long-term review by then. */
function matureCard(): SrsCard {
  let card = cardAfterAnswer(null, 'correct', start);
  for (let i = 0; i < 2; i += 1) card = cardAfterAnswer(card, 'correct', new Date(card.due));
  return card;
}

describe('ratingForGrade', () => {
  it.each([
    ['incorrect', Rating.Again],
    ['partial', Rating.Hard],
    ['correct', Rating.Good],
  ] as const)('%s rates as %i', (grade, rating) => {
    expect(ratingForGrade(grade)).toBe(rating);
  });
});

describe('cardAfterAnswer', () => {
  it.each([
    ['a new card', (): SrsCard | null => null, start],
    ['a mature card', matureCard, hoursLater(24 * 30)],
  ])('on %s, incorrect is due sooner than partial, and partial sooner than correct', (_name, makeCard, at) => {
    const card = makeCard();
    const [incorrect, partial, correct] = (['incorrect', 'partial', 'correct'] as const).map((grade) =>
      dueMs(cardAfterAnswer(card, grade, at)),
    );
    expect(incorrect).toBeLessThan(partial!);
    expect(partial).toBeLessThan(correct!);
  });

  it('schedules a reviewed card after the review and records it', () => {
    const card = cardAfterAnswer(null, 'correct', start);
    expect(dueMs(card)).toBeGreaterThan(start.getTime());
    expect(card.lastReview).toBe(start.toISOString());
    expect(card.reps).toBe(1);
  });

  it('counts a lapse when a mature card is answered incorrectly', () => {
    const mature = matureCard();
    const lapsed = cardAfterAnswer(mature, 'incorrect', new Date(mature.due));
    expect(lapsed.lapses).toBe(mature.lapses + 1);
  });

  it('pushes a correct card further out each time it is answered correctly when due', () => {
    const first = cardAfterAnswer(null, 'correct', start);
    const second = cardAfterAnswer(first, 'correct', new Date(first.due));
    const third = cardAfterAnswer(second, 'correct', new Date(second.due));
    expect(dueMs(third) - dueMs(second)).toBeGreaterThan(dueMs(second) - dueMs(first));
  });
});

describe('isDue', () => {
  it.each([
    [-1, false],
    [0, true],
    [1, true],
  ])('a card checked %i ms from its due time is due: %s', (offsetMs, due) => {
    const card = cardAfterAnswer(null, 'correct', start);
    expect(isDue(card, new Date(dueMs(card) + offsetMs))).toBe(due);
  });
});

describe('replayCard', () => {
  const history: { grade: Grade; at: Date }[] = [
    { grade: 'incorrect', at: start },
    { grade: 'partial', at: hoursLater(1) },
    { grade: 'correct', at: hoursLater(26) },
    { grade: 'correct', at: hoursLater(24 * 5) },
  ];

  it('gives nothing for no graded answers', () => {
    expect(replayCard([])).toBeNull();
  });

  it('equals reviewing the answers one after another', () => {
    let sequential: SrsCard | null = null;
    for (const review of history) sequential = cardAfterAnswer(sequential, review.grade, review.at);
    expect(replayCard(history)).toEqual(sequential);
  });

  it('folds the answers in time order whatever order they arrive in', () => {
    expect(replayCard([...history].reverse())).toEqual(replayCard(history));
  });

  it('changes when an instructor grade replaces a suggestion', () => {
    const regraded = history.map((review, i) => (i === 3 ? { ...review, grade: 'incorrect' as const } : review));
    expect(dueMs(replayCard(regraded)!)).toBeLessThan(dueMs(replayCard(history)!));
  });
});

describe('serialisation', () => {
  it.each([
    ['a new card', () => cardAfterAnswer(null, 'partial', start)],
    ['a mature card', matureCard],
  ])('%s survives a JSON round trip and reviews the same afterwards', (_name, makeCard) => {
    const card = makeCard();
    const stored = JSON.parse(JSON.stringify(card)) as SrsCard;
    expect(stored).toEqual(card);
    const at = new Date(card.due);
    expect(cardAfterAnswer(stored, 'correct', at)).toEqual(cardAfterAnswer(card, 'correct', at));
  });

  it('reads a stored learning card without learning steps as step 0', () => {
    const { learningSteps: _dropped, ...older } = cardAfterAnswer(null, 'correct', start);
    const at = new Date(older.due);
    expect(cardAfterAnswer(older, 'correct', at)).toEqual(
      cardAfterAnswer({ ...older, learningSteps: 0 }, 'correct', at),
    );
  });
});
