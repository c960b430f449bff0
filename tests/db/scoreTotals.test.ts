import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rebuildScoreTotals } from '../../src/db/repo/leaderboard.ts';
import { pointsLedger, scoreTotals } from '../../src/db/schema.ts';
import type { Queryable } from '../../src/db/client.ts';
import { describeEachEngine } from '../support/database.ts';
import { snowflake } from '../support/fixtures.ts';
import { cohortIdOf, updateServerCohort } from '../support/cohortRows.ts';

/** The totals as the trigger keeps them, and as a plain aggregate of the ledger computes them. */
async function totalsBothWays(db: Queryable, guildId: string) {
  const kept = await db
    .select({ period: scoreTotals.period, userId: scoreTotals.userId, points: scoreTotals.points })
    .from(scoreTotals)
    .where(eq(scoreTotals.guildId, guildId))
    .orderBy(scoreTotals.period, scoreTotals.userId);
  const result = await db.execute(sql`
    select k.period, l.user_id as "userId", sum(l.points)::int as points
    from points_ledger l join cohorts c on c.id = l.cohort_id
    cross join lateral unnest(score_period_keys(l.created_at, coalesce(c.time_zone, 'UTC'))) as k(period)
    where l.guild_id = ${guildId} group by k.period, l.user_id order by k.period, l.user_id`);
  const computed = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return { kept, computed };
}

describeEachEngine('running score totals', (database) => {
  const guildId = snowflake(61);
  const give = async (userId: string, points: number, at: string) =>
    database()
      .db.insert(pointsLedger)
      .values({
        guildId,
        cohortId: await cohortIdOf(database().db, guildId),
        userId,
        points,
        reason: 'daily_grade',
        createdAt: new Date(at),
      });

  it('stay equal to the ledger under single, bulk and concurrent inserts', async () => {
    await updateServerCohort(database().db, guildId, { timeZone: 'Asia/Tokyo' });
    const cohortId = await cohortIdOf(database().db, guildId);
    await give(snowflake(1), 3, '2026-02-01T14:59:00Z'); // Sunday 23:59 in Tokyo
    await give(snowflake(1), 1, '2026-02-01T15:00:00Z'); // Monday 00:00 in Tokyo
    await database()
      .db.insert(pointsLedger)
      .values(
        Array.from({ length: 300 }, (_, i) => ({
          guildId,
          cohortId,
          userId: snowflake(i % 7),
          points: (i % 5) - 1,
          reason: 'daily_grade' as const,
          createdAt: new Date(Date.UTC(2026, 1, 1 + (i % 40))),
        })),
      );
    await Promise.all(Array.from({ length: 20 }, (_, i) => give(snowflake(i % 3), 2, '2026-03-10T10:00:00Z')));
    const { kept, computed } = await totalsBothWays(database().db, guildId);
    expect(kept.length).toBeGreaterThan(20);
    expect(kept).toEqual(computed);
    const weeks = kept.filter((row) => row.userId === snowflake(1) && row.period.startsWith('week:2026-01-26'));
    expect(weeks.map((row) => row.period)).toEqual(['week:2026-01-26']);
  });

  it('are recounted when the time zone changes, moving points across a week boundary', async () => {
    const before = await database()
      .db.select()
      .from(scoreTotals)
      .where(
        and(
          eq(scoreTotals.guildId, guildId),
          eq(scoreTotals.period, 'week:2026-02-02'),
          eq(scoreTotals.userId, snowflake(1)),
        ),
      );
    await updateServerCohort(database().db, guildId, { timeZone: 'UTC' });
    await rebuildScoreTotals(database().db, await cohortIdOf(database().db, guildId));
    const { kept, computed } = await totalsBothWays(database().db, guildId);
    expect(kept).toEqual(computed);
    const after = kept.find((row) => row.period === 'week:2026-02-02' && row.userId === snowflake(1));
    expect(after?.points).not.toBe(before[0]?.points);
  });
});
