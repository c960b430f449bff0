export interface DailyPostOutcome {
  answered: boolean;
  closed: boolean;
}

/**
 * Current and best streak of consecutive answered daily posts, given in chronological order.
 * A post still open and unanswered is skipped, not missed: the student may still answer it.
 */
export function dailyStreaks(posts: readonly DailyPostOutcome[]): { current: number; best: number } {
  let current = 0;
  let best = 0;
  for (const post of posts) {
    if (!post.answered && !post.closed) continue;
    current = post.answered ? current + 1 : 0;
    best = Math.max(best, current);
  }
  return { current, best };
}
