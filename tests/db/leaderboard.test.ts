import { expect, it } from 'vitest';
import { leaderboardFor } from '../../src/db/repo/leaderboard.ts';
import { pointsLedger } from '../../src/db/schema.ts';
import type { LeaderboardPeriod } from '../../src/quiz/periods.ts';
import { describeEachEngine } from '../support/database.ts';
import { snowflake } from '../support/fixtures.ts';
import { ensureServerCohort } from '../../src/db/repo/cohorts.ts';
import { cohortIdOf, updateServerCohort } from '../support/cohortRows.ts';

// Wednesday 14 January 2026, noon in New York.
const now = new Date('2026-01-14T17:00:00Z');
const user = (n: number) => snowflake(1000 + n);

describeEachEngine('the leaderboard', (database) => {
  const give = async (guildId: string, userId: string, points: number, at: string) =>
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
  const board = async (guildId: string, period: LeaderboardPeriod, userId = user(0)) =>
    leaderboardFor(database().db, await ensureServerCohort(database().db, guildId), { period, now, userId });
  const ranking = (result: Awaited<ReturnType<typeof board>>) => result.top.map((s) => [s.rank, s.userId, s.points]);

  it("starts the week at Monday midnight in the guild's time zone, not in UTC", async () => {
    const guildId = snowflake(1);
    await updateServerCohort(database().db, guildId, { timeZone: 'America/New_York' });
    await give(guildId, user(1), 5, '2026-01-12T04:30:00Z'); // Sunday 23:30 in New York: last week
    await give(guildId, user(2), 2, '2026-01-12T05:30:00Z'); // Monday 00:30 in New York: this week
    const week = await board(guildId, 'week');
    expect(week.since?.toISOString()).toBe('2026-01-12T05:00:00.000Z');
    expect(ranking(week)).toEqual([[1, user(2), 2]]);
    expect(ranking(await board(guildId, 'all'))).toEqual([
      [1, user(1), 5],
      [2, user(2), 2],
    ]);
    expect(ranking(await board(guildId, 'month'))).toHaveLength(2);
  });

  it('uses UTC midnight when the guild has no time zone', async () => {
    const guildId = snowflake(2);
    await give(guildId, user(1), 5, '2026-01-12T04:30:00Z');
    expect((await board(guildId, 'week')).since?.toISOString()).toBe('2026-01-12T00:00:00.000Z');
    expect(ranking(await board(guildId, 'week'))).toEqual([[1, user(1), 5]]);
  });

  it('breaks a tie in favour of whoever reached the score first, whatever their id', async () => {
    const guildId = snowflake(3);
    await give(guildId, user(1), 1, '2026-01-12T10:00:00Z');
    await give(guildId, user(1), 3, '2026-01-13T12:00:00Z'); // reaches 4 on Tuesday noon
    await give(guildId, user(2), 4, '2026-01-13T09:00:00Z'); // reaches 4 on Tuesday morning
    await give(guildId, user(3), 5, '2026-01-12T09:00:00Z');
    await give(guildId, user(3), -1, '2026-01-14T09:00:00Z'); // a regrade brings it down to 4 on Wednesday
    await give(guildId, user(4), 6, '2026-01-14T10:00:00Z');
    const result = await board(guildId, 'week');
    expect(ranking(result)).toEqual([
      [1, user(4), 6],
      [2, user(2), 4],
      [3, user(1), 4],
      [4, user(3), 4],
    ]);
  });

  it('breaks a tie at the same instant by user id, so ranks never change between two looks', async () => {
    const guildId = snowflake(4);
    for (const n of [7, 5, 6]) await give(guildId, user(n), 3, '2026-01-13T09:00:00Z');
    expect(ranking(await board(guildId, 'week')).map(([, id]) => id)).toEqual([user(5), user(6), user(7)]);
  });

  it('does not list students with no points or a total of 0 or less, and gives the caller none', async () => {
    const guildId = snowflake(5);
    await give(guildId, user(1), 2, '2026-01-13T09:00:00Z');
    await give(guildId, user(2), 2, '2026-01-13T09:00:00Z');
    await give(guildId, user(2), -2, '2026-01-13T10:00:00Z');
    const result = await board(guildId, 'week', user(2));
    expect(ranking(result)).toEqual([[1, user(1), 2]]);
    expect(result.caller).toBeNull();
    expect((await board(guildId, 'week', user(9))).caller).toBeNull();
    expect((await board(snowflake(9), 'week', user(2))).top).toEqual([]);
  });

  it("gives the top 10 and the caller's own rank when outside it", async () => {
    const guildId = snowflake(6);
    for (let n = 1; n <= 12; n += 1) await give(guildId, user(n), 100 - n, '2026-01-13T09:00:00Z');
    const result = await board(guildId, 'week', user(12));
    expect(result.top).toHaveLength(10);
    expect(result.top.at(-1)).toEqual({ rank: 10, userId: user(10), points: 90 });
    expect(result.caller).toEqual({ rank: 12, userId: user(12), points: 88 });
    const inside = await board(guildId, 'week', user(3));
    expect(inside.caller).toEqual({ rank: 3, userId: user(3), points: 97 });
  });

  it("ignores other guilds' points", async () => {
    const guildId = snowflake(7);
    await give(guildId, user(1), 1, '2026-01-13T09:00:00Z');
    await give(snowflake(8), user(2), 50, '2026-01-13T09:00:00Z');
    await give(snowflake(8), user(1), 50, '2026-01-13T09:00:00Z');
    expect(ranking(await board(guildId, 'all', user(2)))).toEqual([[1, user(1), 1]]);
    expect((await board(guildId, 'all', user(2))).caller).toBeNull();
  });
});
