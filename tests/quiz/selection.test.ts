import { describe, expect, it } from 'vitest';
import { type PracticeChoiceInput, type PracticeProgress, choosePracticeQuestion } from '../../src/quiz/selection.ts';
import { cardAfterAnswer } from '../../src/quiz/spacedRepetition.ts';
import type { Grade } from '../../src/quiz/types.ts';

const bank = [
  { id: 1, topic: 'Auth' },
  { id: 2, topic: 'Auth' },
  { id: 3, topic: 'SQL' },
  { id: 4, topic: 'SQL' },
  { id: 5, topic: 'Testing' },
];

const t0 = new Date('2026-01-05T10:00:00Z');
const minutes = (n: number): Date => new Date(t0.getTime() + n * 60_000);
const days = (n: number): Date => minutes(n * 24 * 60);

const graded = (questionId: number, grade: Grade, at: Date = t0): PracticeProgress => ({
  questionId,
  card: cardAfterAnswer(null, grade, at),
  lastAnsweredAt: at,
});
const unrated = (questionId: number, at: Date): PracticeProgress => ({ questionId, card: null, lastAnsweredAt: at });

const allCorrect = bank.map((q, i) => graded(q.id, 'correct', minutes(i)));

type Row = [behaviour: string, input: Partial<PracticeChoiceInput>, expected: number | null];

describe('choosePracticeQuestion', () => {
  it.each<Row>([
    ['a new student gets the first question of the bank', {}, 1],
    ['a new student gets a random unanswered question when random is given', { random: () => 0.5 }, 3],
    ['random just under 1 picks the last unanswered question', { random: () => 0.999999 }, 5],
    [
      'unanswered questions come before overdue ones',
      { progress: [graded(1, 'incorrect'), graded(2, 'incorrect')], now: days(30) },
      3,
    ],
    ['after answering everything once, the most overdue comes first', { progress: allCorrect, now: days(30) }, 1],
    [
      'when nothing is due, the one due soonest is offered',
      { progress: bank.map((q) => graded(q.id, 'correct', minutes(10 - q.id))), now: minutes(11) },
      5,
    ],
    [
      'a question graded incorrect comes back before one graded correct at the same time',
      { progress: [graded(1, 'correct'), graded(2, 'incorrect'), ...allCorrect.slice(2)], now: minutes(2) },
      2,
    ],
    [
      'the incorrect question still leads once both are overdue',
      { progress: [graded(1, 'correct'), graded(2, 'incorrect'), ...allCorrect.slice(2)], now: days(3) },
      2,
    ],
    [
      'an unrated answer counts as due since it was answered',
      { progress: [unrated(1, t0), graded(2, 'correct'), ...allCorrect.slice(2)], now: minutes(60) },
      1,
    ],
    [
      'a recent unrated answer waits behind an older due card',
      { progress: [unrated(1, minutes(50)), graded(2, 'correct'), ...allCorrect.slice(2)], now: minutes(60) },
      2,
    ],
    ['the topic filter ignores case', { topic: 'sql' }, 3],
    ['the topic filter ignores surrounding spaces', { topic: ' SQL ' }, 3],
    ['an unknown topic has no question', { topic: 'Docker' }, null],
    ['an empty bank has no question', { questions: [] }, null],
    ['the previous question is not repeated even when it is the only new one', { lastQuestionId: 1 }, 2],
    [
      'the previous question is not repeated even when it is the most overdue',
      { progress: allCorrect, lastQuestionId: 1, now: days(30) },
      2,
    ],
    ['no repeat within a topic', { topic: 'SQL', progress: allCorrect, lastQuestionId: 3, now: days(30) }, 4],
    ['a single-question topic repeats its question', { topic: 'testing', progress: allCorrect, lastQuestionId: 5 }, 5],
    [
      'progress on a question no longer in the bank is ignored',
      { questions: bank.slice(0, 1), progress: [graded(99, 'incorrect'), graded(1, 'correct')], now: days(30) },
      1,
    ],
  ])('%s', (_behaviour, overrides, expected) => {
    const input: PracticeChoiceInput = { questions: bank, progress: [], lastQuestionId: null, now: t0, ...overrides };
    expect(choosePracticeQuestion(input)).toBe(expected);
  });
});
