import { and, asc, desc, eq, gt, lt, or, sql } from 'drizzle-orm';
import { periodKey, periodStart, type LeaderboardPeriod } from '../../quiz/periods.ts';
import type { Queryable } from '../client.ts';
import { scoreTotals } from '../schema.ts';
import { cohortTimeZone, type CohortRow } from './cohorts.ts';

export interface Standing {
  rank: number;
  userId: string;
  points: number;
}

export interface Leaderboard {
  /** The first instant counted, in the cohort's time zone; null for all time. */
  since: Date | null;
  top: Standing[];
  /** The caller's standing; null when they have no points (0 or less) in the period. */
  caller: Standing | null;
}

const LEADERBOARD_SIZE = 10;

/**
 * The top `limit` of a cohort in a period and the caller's own standing, from the running totals (score_totals):
 * the top is one index scan, the caller's rank one count of the students ahead. Users with 0 points or
 * less are not ranked. Ties go to whoever reached their total first, then to the smaller user id.
 */
export async function rankStandings(
  db: Queryable,
  cohortId: number,
  options: { period: string; userId: string; limit: number },
): Promise<{ top: Standing[]; caller: Standing | null }> {
  const inPeriod = and(
    eq(scoreTotals.cohortId, cohortId),
    eq(scoreTotals.period, options.period),
    gt(scoreTotals.points, 0),
  );
  const [rows, [own]] = await Promise.all([
    options.limit > 0
      ? db
          .select({ userId: scoreTotals.userId, points: scoreTotals.points })
          .from(scoreTotals)
          .where(inPeriod)
          .orderBy(desc(scoreTotals.points), asc(scoreTotals.reachedAt), asc(scoreTotals.userId))
          .limit(options.limit)
      : [],
    db
      .select({ points: scoreTotals.points, reachedAt: scoreTotals.reachedAt })
      .from(scoreTotals)
      .where(and(inPeriod, eq(scoreTotals.userId, options.userId))),
  ]);
  const top = rows.map((row, index) => ({ rank: index + 1, ...row }));
  const listed = top.find((row) => row.userId === options.userId);
  if (listed || !own) return { top, caller: listed ?? null };
  const reachedAt = own.reachedAt ?? new Date(0);
  const [ahead] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(scoreTotals)
    .where(
      and(
        inPeriod,
        or(
          gt(scoreTotals.points, own.points),
          and(eq(scoreTotals.points, own.points), lt(scoreTotals.reachedAt, reachedAt)),
          and(
            eq(scoreTotals.points, own.points),
            eq(scoreTotals.reachedAt, reachedAt),
            lt(scoreTotals.userId, options.userId),
          ),
        ),
      ),
    );
  return { top, caller: { rank: (ahead?.n ?? 0) + 1, userId: options.userId, points: own.points } };
}

/** The cohort's leaderboard of a period; week and month start at the cohort's local midnight. */
export async function leaderboardFor(
  db: Queryable,
  cohort: Pick<CohortRow, 'id' | 'timeZone'>,
  input: { period: LeaderboardPeriod; now: Date; userId: string; limit?: number },
): Promise<Leaderboard> {
  const timeZone = cohortTimeZone(cohort);
  const since = periodStart(input.now, input.period, timeZone);
  const period = periodKey(input.now, input.period, timeZone);
  const standings = await rankStandings(db, cohort.id, {
    period,
    userId: input.userId,
    limit: input.limit ?? LEADERBOARD_SIZE,
  });
  return { since, ...standings };
}

/** Recomputes a cohort's running totals from its ledger: after its time zone (and so its weeks) changed. */
export async function rebuildScoreTotals(db: Queryable, cohortId: number): Promise<void> {
  await db.execute(sql`select rebuild_score_totals(${cohortId}::int)`);
}
