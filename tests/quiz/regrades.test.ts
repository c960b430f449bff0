import { describe, expect, it } from 'vitest';
import { regradeDeadline, regradeWindowStart } from '../../src/quiz/regrades.ts';

describe('the regrade window', () => {
  const gradedAt = new Date('2026-03-28T22:30:00Z');

  it('closes exactly 7 days (7 × 24 hours) after the grade, whatever the clocks of a time zone do meanwhile', () => {
    expect(regradeDeadline(gradedAt).toISOString()).toBe('2026-04-04T22:30:00.000Z');
  });

  it('a grade given at the window start is still open, one a millisecond older is not', () => {
    const now = new Date('2026-04-04T22:30:00Z');
    expect(regradeWindowStart(now).getTime()).toBe(gradedAt.getTime());
    expect(regradeDeadline(gradedAt).getTime() >= now.getTime()).toBe(true);
    expect(regradeDeadline(new Date(gradedAt.getTime() - 1)).getTime() >= now.getTime()).toBe(false);
  });
});
