import { describe, expect, it } from 'vitest';
import { type DailyPostOutcome, dailyStreaks } from '../../src/quiz/streaks.ts';

const answered: DailyPostOutcome = { answered: true, closed: true };
const missed: DailyPostOutcome = { answered: false, closed: true };
const openUnanswered: DailyPostOutcome = { answered: false, closed: false };
const openAnswered: DailyPostOutcome = { answered: true, closed: false };

describe('dailyStreaks', () => {
  it.each([
    ['no posts give no streak', [], 0, 0],
    ['every post answered', [answered, answered, answered], 3, 3],
    ['one missed in the middle restarts the count', [answered, answered, missed, answered], 1, 2],
    ['a missed latest post ends the streak', [answered, answered, missed], 0, 2],
    ['an open unanswered latest post does not break it yet', [answered, answered, openUnanswered], 2, 2],
    ['an open answered latest post counts', [answered, answered, openAnswered], 3, 3],
    ['best is kept when longer than current', [answered, answered, answered, missed, answered], 1, 3],
    [
      'several open posts (long windows): only the unanswered are skipped',
      [answered, openUnanswered, openAnswered],
      2,
      2,
    ],
    ['nothing answered', [missed, missed, openUnanswered], 0, 0],
  ])('%s', (_behaviour, posts: DailyPostOutcome[], current, best) => {
    expect(dailyStreaks(posts)).toEqual({ current, best });
  });
});
