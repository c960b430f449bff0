import { describe, expect, it } from 'vitest';
import { pointsDelta, pointsTarget, totalPoints, type AnswerForPoints } from '../../src/quiz/points.ts';

const daily = (instructorGrade: AnswerForPoints['instructorGrade']): AnswerForPoints => ({
  kind: 'daily',
  firstForQuestion: true,
  instructorGrade,
  suggestedGrade: 'correct',
});
const practice = (
  first: boolean,
  instructorGrade: AnswerForPoints['instructorGrade'],
  suggestedGrade: AnswerForPoints['suggestedGrade'],
): AnswerForPoints => ({
  kind: 'practice',
  firstForQuestion: first,
  instructorGrade,
  suggestedGrade,
});

describe('points policy', () => {
  it.each([
    ['an ungraded daily answer earns 1 for answering, never the suggestion', daily(null), 1],
    ['a daily answer graded correct earns 1 + 3', daily('correct'), 4],
    ['a daily answer graded partial earns 1 + 1', daily('partial'), 2],
    ['a daily answer graded incorrect earns 1', daily('incorrect'), 1],
    ['a first practice answer earns its suggested grade until graded', practice(true, null, 'correct'), 2],
    ['the instructor grade replaces the suggestion', practice(true, 'partial', 'correct'), 1],
    ['a first practice answer graded incorrect earns nothing', practice(true, 'incorrect', 'correct'), 0],
    ['a repeated practice answer earns nothing, so /quiz cannot be farmed', practice(false, 'correct', 'correct'), 0],
    ['a practice answer without rubric or grade earns nothing yet', practice(true, null, null), 0],
  ])('%s', (_name, answer, expected) => {
    expect(totalPoints(pointsTarget(answer))).toBe(expected);
  });

  it('regrading gives only the difference', () => {
    const first = pointsDelta(pointsTarget(daily('correct')), {});
    expect(first).toEqual([
      { reason: 'daily_answer', points: 1 },
      { reason: 'daily_grade', points: 3 },
    ]);
    const regrade = pointsDelta(pointsTarget(daily('partial')), { daily_answer: 1, daily_grade: 3 });
    expect(regrade).toEqual([{ reason: 'daily_grade', points: -2 }]);
  });

  it('grading twice the same way adds nothing', () => {
    expect(pointsDelta(pointsTarget(daily('correct')), { daily_answer: 1, daily_grade: 3 })).toEqual([]);
  });
});
