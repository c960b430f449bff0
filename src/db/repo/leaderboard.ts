import { and, asc, eq, gt, gte, lte, or, sql } from 'drizzle-orm';
import { periodStart, type LeaderboardPeriod } from '../../quiz/periods.ts';
import type { Queryable } from '../client.ts';
import { pointsLedger } from '../schema.ts';
import { getGuildSettings } from './guildSettings.ts';

export interface Standing {
  rank: number;
  userId: string;
  points: number;
}

export interface Leaderboard {
  /** The first instant counted, in the guild's time zone; null for all time. */
  since: Date | null;
  top: Standing[];
  /** The caller's standing; null when they have no points (0 or less) in the period. */
  caller: Standing | null;
}

export const LEADERBOARD_SIZE = 10;

/**
 * Points per user since `since`, ranked, in one aggregate query over the ledger (an index-only range scan of
 * `ledger_guild_time`). Users with 0 points or less are not ranked. Ties go to whoever reached their total
 * first: the time of their last ledger row that changed it, then the user id, so a rank never flickers.
 * Returns the first `limit` ranks plus the caller's own row, wherever it is.
 */
export async function rankStandings(
  db: Queryable,
  guildId: string,
  options: { since: Date | null; userId: string; limit: number },
): Promise<{ top: Standing[]; caller: Standing | null }> {
  const totals = db
    .select({
      userId: pointsLedger.userId,
      total: sql<number>`sum(${pointsLedger.points})::int`.as('total'),
      reachedAt: sql<Date>`max(${pointsLedger.createdAt}) filter (where ${pointsLedger.points} <> 0)`.as('reached_at'),
    })
    .from(pointsLedger)
    .where(and(eq(pointsLedger.guildId, guildId), options.since ? gte(pointsLedger.createdAt, options.since) : undefined))
    .groupBy(pointsLedger.userId)
    .as('totals');
  const ranked = db
    .select({
      userId: totals.userId,
      points: totals.total,
      rank: sql<number>`(row_number() over (order by ${totals.total} desc, ${totals.reachedAt} asc, ${totals.userId} collate "C" asc))::int`.as('rank'),
    })
    .from(totals)
    .where(gt(totals.total, 0))
    .as('ranked');
  const rows = await db
    .select({ rank: ranked.rank, userId: ranked.userId, points: ranked.points })
    .from(ranked)
    .where(or(lte(ranked.rank, options.limit), eq(ranked.userId, options.userId)))
    .orderBy(asc(ranked.rank));
  return {
    top: rows.filter((row) => row.rank <= options.limit),
    caller: rows.find((row) => row.userId === options.userId) ?? null,
  };
}

/** The guild's time zone for periods and dates: its daily schedule's zone, or UTC before one is set. */
export async function guildTimeZone(db: Queryable, guildId: string): Promise<string> {
  return (await getGuildSettings(db, guildId))?.timeZone ?? 'UTC';
}

/** The leaderboard of a period; week and month start at the guild's local midnight. */
export async function leaderboardFor(
  db: Queryable,
  guildId: string,
  input: { period: LeaderboardPeriod; now: Date; userId: string; limit?: number },
): Promise<Leaderboard> {
  const since = periodStart(input.now, input.period, await guildTimeZone(db, guildId));
  const standings = await rankStandings(db, guildId, { since, userId: input.userId, limit: input.limit ?? LEADERBOARD_SIZE });
  return { since, ...standings };
}
