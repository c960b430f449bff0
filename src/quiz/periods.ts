import { addLocalDays, instantAtLocalTime, isoWeekday, localDateOf } from './schedule.ts';

export type LeaderboardPeriod = 'week' | 'month' | 'all';

/**
 * Start of the current ISO week (Monday) or month as an instant, taken in the guild's zone so
 * the board turns over at the cohort's midnight; null for 'all'. When midnight does not exist
 * that day (a DST change at 00:00) the period starts at the first moment after the gap.
 */
export function periodStart(now: Date, period: LeaderboardPeriod, timeZone: string): Date | null {
  if (period === 'all') return null;
  const today = localDateOf(now, timeZone);
  const firstDay = period === 'week' ? addLocalDays(today, 1 - isoWeekday(today)) : `${today.slice(0, 8)}01`;
  return instantAtLocalTime(firstDay, 0, 0, timeZone);
}

/**
 * The key of the period containing `at` in the running totals: 'all', 'week:<local Monday>' or
 * 'month:<YYYY-MM>'. The database computes the same keys (score_period_keys) when points are added.
 */
export function periodKey(at: Date, period: LeaderboardPeriod, timeZone: string): string {
  if (period === 'all') return 'all';
  if (period === 'month') return `month:${localDateOf(at, timeZone).slice(0, 7)}`;
  const today = localDateOf(at, timeZone);
  return `week:${addLocalDays(today, 1 - isoWeekday(today))}`;
}
