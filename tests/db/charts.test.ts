import { beforeAll, expect, it } from 'vitest';
import { progressChartData, statsChartData } from '../../src/db/repo/charts.ts';
import { cohortIdOf, updateServerCohort } from '../support/cohortRows.ts';
import { listQuestions, syncQuestions } from '../../src/db/repo/questions.ts';
import { guildStats } from '../../src/db/repo/stats.ts';
import { pointsLedger } from '../../src/db/schema.ts';
import type { Grade } from '../../src/quiz/types.ts';
import { describeEachEngine } from '../support/database.ts';
import { bankQuestion, snowflake } from '../support/fixtures.ts';
import { insertAnswer } from '../support/gradedAnswers.ts';
import { insertDailyPrompt } from '../support/dailyPrompts.ts';

const guildId = snowflake(701);
const otherGuild = snowflake(702);
const student = (n: number) => snowflake(800 + n);
// Wednesday 4 November 2026, noon in New York.
const now = new Date('2026-11-04T17:00:00Z');

describeEachEngine('chart data', (database) => {
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    const bank = [
      bankQuestion('jwt-a'),
      bankQuestion('test-a', { topic: 'Testing' }),
      bankQuestion('ci-a', { topic: 'CI' }),
    ];
    for (const guild of [guildId, otherGuild])
      await syncQuestions(database().db, guild, bank, { retireMissing: false });
    for (const q of await listQuestions(database().db, guildId, { activeOnly: false })) ids[q.slug] = q.id;
    await updateServerCohort(database().db, guildId, { timeZone: 'America/New_York' });
  });

  const answer = (
    slug: string,
    userId: string,
    grade: Grade | null,
    options: { guild?: string; promptId?: number } = {},
  ) =>
    insertAnswer(database().db, {
      guildId: options.guild ?? guildId,
      questionId: ids[slug]!,
      userId,
      grade,
      promptId: options.promptId,
    });

  const chartOf = async (userId: string, options: { now?: Date; timeZone?: string; weeks?: number } = {}) =>
    progressChartData(database().db, {
      cohortId: await cohortIdOf(database().db, guildId),
      userId,
      now,
      timeZone: 'America/New_York',
      ...options,
    });

  it("gives /stats's per-question counts with the ungraded ones, from this guild only", async () => {
    for (const [n, grade] of (['correct', 'correct', 'partial', 'incorrect', null, null] as const).entries())
      await answer('jwt-a', student(n), grade);
    await answer('test-a', student(1), null);
    await answer('jwt-a', student(9), 'incorrect', { guild: otherGuild });
    const data = await statsChartData(database().db, guildId);
    expect(data.questions).toEqual([
      { slug: 'jwt-a', correct: 2, partial: 1, incorrect: 1, ungraded: 2 },
      { slug: 'test-a', correct: 0, partial: 0, incorrect: 0, ungraded: 1 },
      { slug: 'ci-a', correct: 0, partial: 0, incorrect: 0, ungraded: 0 },
    ]);
    // The same figures as /stats's text.
    const stats = await guildStats(database().db, guildId);
    for (const [i, q] of stats.questions.entries()) {
      const drawn = data.questions[i]!;
      expect(drawn.correct + drawn.partial + drawn.incorrect + drawn.ungraded).toBe(q.answers);
    }
  });

  it('gives answers to the last 14 posted daily questions, oldest first', async () => {
    for (let day = 1; day <= 17; day += 1) {
      const prompt = await insertDailyPrompt(database().db, {
        guildId,
        questionId: ids['ci-a']!,
        localDate: `2026-10-${String(day).padStart(2, '0')}`,
        messageId: day === 17 ? null : `m${day}`,
      });
      for (let n = 0; n < day % 5; n += 1) await answer('ci-a', student(20 + n), null, { promptId: prompt!.id });
    }
    const { daily } = await statsChartData(database().db, guildId);
    expect(daily.map((d) => [d.localDate, d.answers])).toEqual(
      Array.from({ length: 14 }, (_, i) => i + 3).map((day) => [`2026-10-${String(day).padStart(2, '0')}`, day % 5]),
    );
  });

  it("gives a student's points per ISO week in the guild's time zone, the last 8 weeks with 0 for weeks without points", async () => {
    const give = async (userId: string, points: number, at: string, guild = guildId) =>
      database()
        .db.insert(pointsLedger)
        .values({
          guildId: guild,
          cohortId: await cohortIdOf(database().db, guild),
          userId,
          points,
          reason: 'daily_grade',
          createdAt: new Date(at),
        });
    const me = student(50);
    await give(me, 3, '2026-11-02T04:30:00Z'); // Sunday 1 November 23:30 in New York: the week of 26 October
    await give(me, 2, '2026-11-02T05:30:00Z'); // Monday 2 November 00:30 in New York: this week
    await give(me, 1, '2026-11-03T12:00:00Z');
    await give(me, 4, '2026-10-14T12:00:00Z');
    await give(me, -1, '2026-10-15T12:00:00Z'); // a regrade takes one back
    await give(me, 9, '2026-09-01T12:00:00Z'); // more than 8 weeks ago
    await give(student(51), 7, '2026-11-03T12:00:00Z');
    await give(me, 7, '2026-11-03T12:00:00Z', otherGuild);
    const { weeks } = await chartOf(me);
    expect(weeks).toEqual([
      { weekStart: '2026-09-14', points: 0 },
      { weekStart: '2026-09-21', points: 0 },
      { weekStart: '2026-09-28', points: 0 },
      { weekStart: '2026-10-05', points: 0 },
      { weekStart: '2026-10-12', points: 3 },
      { weekStart: '2026-10-19', points: 0 },
      { weekStart: '2026-10-26', points: 3 },
      { weekStart: '2026-11-02', points: 3 },
    ]);
    // Sunday 8 November 23:00 in New York is already Monday in UTC: the current week is still the one of 2 November.
    const sundayNight = await chartOf(me, { now: new Date('2026-11-09T04:00:00Z'), weeks: 2 });
    expect(sundayNight.weeks).toEqual([
      { weekStart: '2026-10-26', points: 3 },
      { weekStart: '2026-11-02', points: 3 },
    ]);
    const inUtc = await chartOf(me, { timeZone: 'UTC', weeks: 2 });
    expect(inUtc.weeks.map((w) => w.weekStart)).toEqual(['2026-10-26', '2026-11-02']);
  });

  it("gives a student's points per topic from the ledger, most first, this guild only", async () => {
    const me = student(60);
    const earn = async (slug: string, points: number[], guild = guildId) => {
      const answerId = await answer(slug, me, null, { guild });
      for (const p of points)
        await database()
          .db.insert(pointsLedger)
          .values({
            guildId: guild,
            cohortId: await cohortIdOf(database().db, guild),
            userId: me,
            answerId,
            points: p,
            reason: 'practice_grade',
            createdAt: now,
          });
    };
    await earn('jwt-a', [2]);
    await earn('test-a', [2, 1]);
    await earn('test-a', [3, -2]);
    await earn('ci-a', [1]);
    await earn('ci-a', [5], otherGuild);
    const { topics } = await chartOf(me);
    expect(topics).toEqual([
      { topic: 'Testing', points: 4 },
      { topic: 'JWT', points: 2 },
      { topic: 'CI', points: 1 },
    ]);
    const nobody = await chartOf(student(99));
    expect(nobody.topics).toEqual([]);
    expect(nobody.weeks.every((w) => w.points === 0)).toBe(true);
  });
});
