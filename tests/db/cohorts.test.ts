import { assert, beforeAll, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client.ts';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import {
  addCohort,
  callerCohort,
  editCohort,
  ensureServerCohort,
  findCohort,
  listCohorts,
  pauseServers,
  removeCohort,
  scheduledCohorts,
  type CohortRow,
} from '../../src/db/repo/cohorts.ts';
import { claimClosings, claimDailyPost, markDailyPosted } from '../../src/db/repo/daily.ts';
import { exportAnswerBatches } from '../../src/db/repo/exportAnswers.ts';
import { gradeAnswer } from '../../src/db/repo/grading.ts';
import { serverInstructorRole, setServerInstructorRole } from '../../src/db/repo/guildSettings.ts';
import { updateServerCohort } from '../support/cohortRows.ts';
import { leaderboardFor } from '../../src/db/repo/leaderboard.ts';
import { progressOf } from '../../src/db/repo/progress.ts';
import { syncQuestions } from '../../src/db/repo/questions.ts';
import { claimReminder, dueReminders, setReminderPreference } from '../../src/db/repo/reminders.ts';
import { countForReview, nextForReview } from '../../src/db/repo/reviewQueue.ts';
import { guildStats } from '../../src/db/repo/stats.ts';
import { describeEachEngine, type Engine } from '../support/database.ts';
import { bankQuestion, snowflake, suggesting } from '../support/fixtures.ts';

const at = (iso: string) => new Date(iso);
let nextGuild = 8000;

describeEachEngine('cohorts', (database, engine: Engine) => {
  beforeAll(async () => {
    await syncQuestions(
      database().db,
      null,
      ['c1', 'c2', 'c3'].map((slug, i) => bankQuestion(slug, { topic: i === 2 ? 'SQL' : 'JWT' })),
      { retireMissing: true },
    );
  });

  async function saved(result: Awaited<ReturnType<typeof addCohort>>): Promise<CohortRow> {
    assert(result.status === 'saved', result.status);
    return result.cohort;
  }

  it('are added and edited with clear refusals: a name (in any case) or a channel taken, an unknown or foreign cohort', async () => {
    const db = database().db;
    const guildId = snowflake(nextGuild++);
    const morning = await saved(await addCohort(db, guildId, { name: 'Morning', channelId: snowflake(1) }));
    expect((await addCohort(db, guildId, { name: 'mORNING', channelId: snowflake(2) })).status).toBe('duplicate-name');
    expect((await addCohort(db, guildId, { name: 'Evening', channelId: snowflake(1) })).status).toBe(
      'duplicate-channel',
    );
    const evening = await saved(await addCohort(db, guildId, { name: 'Evening', channelId: snowflake(2) }));
    expect((await editCohort(db, guildId, evening.id, { name: 'morning' })).status).toBe('duplicate-name');
    expect((await editCohort(db, guildId, evening.id, { channelId: snowflake(1) })).status).toBe('duplicate-channel');
    expect((await editCohort(db, guildId, evening.id, { postTime: '18:00', timeZone: 'Asia/Tokyo' })).status).toBe(
      'saved',
    );
    // Another server may use the same name; a cohort id of another server is unknown here.
    const elsewhere = snowflake(nextGuild++);
    const foreign = await saved(await addCohort(db, elsewhere, { name: 'Morning', channelId: snowflake(3) }));
    expect((await editCohort(db, guildId, foreign.id, { name: 'Stolen' })).status).toBe('missing');
    expect(await findCohort(db, guildId, foreign.id)).toBeUndefined();
    expect((await removeCohort(db, guildId, foreign.id, new Date())).status).toBe('missing');
    expect((await listCohorts(db, guildId)).map((c) => [c.name, c.postTime])).toEqual([
      ['Morning', null],
      ['Evening', '18:00'],
    ]);
    expect(morning.guildId).toBe(guildId);
  });

  it('a removed cohort keeps its data, frees its name and channel, and the last cohort cannot be removed', async () => {
    const db = database().db;
    const guildId = snowflake(nextGuild++);
    const first = await saved(await addCohort(db, guildId, { name: 'First', channelId: snowflake(11) }));
    const second = await saved(await addCohort(db, guildId, { name: 'Second', channelId: snowflake(12) }));
    expect((await removeCohort(db, guildId, first.id, new Date())).status).toBe('removed');
    expect((await removeCohort(db, guildId, first.id, new Date())).status).toBe('missing');
    expect((await removeCohort(db, guildId, second.id, new Date())).status).toBe('last-cohort');
    expect((await editCohort(db, guildId, first.id, { name: 'Back' })).status).toBe('missing');
    expect((await listCohorts(db, guildId)).map((c) => c.name)).toEqual(['Second']);
    expect((await listCohorts(db, guildId, { includeRemoved: true })).map((c) => c.name)).toEqual(['First', 'Second']);
    expect((await findCohort(db, guildId, first.id))?.removedAt).not.toBeNull();
    // Name and channel are free again.
    expect((await addCohort(db, guildId, { name: 'first', channelId: snowflake(11) })).status).toBe('saved');
  });

  it('a server the bot left: its running schedules are paused with the reason, counted per server, once', async () => {
    const db = database().db;
    const [left, alsoLeft, stayed] = [snowflake(nextGuild++), snowflake(nextGuild++), snowflake(nextGuild++)];
    const running = await saved(await addCohort(db, left, { name: 'Running', channelId: snowflake(21) }));
    const paused = await saved(await addCohort(db, left, { name: 'Paused', channelId: snowflake(22), paused: true }));
    const unscheduled = await saved(await addCohort(db, left, { name: 'No channel' }));
    const removed = await saved(await addCohort(db, left, { name: 'Removed', channelId: snowflake(23) }));
    await removeCohort(db, left, removed.id, new Date());
    await saved(await addCohort(db, alsoLeft, { name: 'Other', channelId: snowflake(24) }));
    const kept = await saved(await addCohort(db, stayed, { name: 'Kept', channelId: snowflake(25) }));

    const counts = await pauseServers(db, [left, alsoLeft, snowflake(nextGuild++)], 'gone');
    expect(Object.fromEntries(counts)).toEqual({ [left]: 1, [alsoLeft]: 1 });
    expect(await findCohort(db, left, running.id)).toMatchObject({ paused: true, pausedReason: 'gone' });
    // An instructor's own pause keeps no reason of the bot's; a cohort without a channel or removed is left as it was.
    expect(await findCohort(db, left, paused.id)).toMatchObject({ paused: true, pausedReason: null });
    expect(await findCohort(db, left, unscheduled.id)).toMatchObject({ paused: false, pausedReason: null });
    expect(await findCohort(db, stayed, kept.id)).toMatchObject({ paused: false, pausedReason: null });
    // Said once: a second call pauses nothing more.
    expect((await pauseServers(db, [left, alsoLeft], 'gone')).size).toBe(0);
    expect(await pauseServers(db, [], 'gone')).toEqual(new Map());
  });

  it('two removals at once never remove the last cohort', async () => {
    const guildId = snowflake(nextGuild++);
    const a = await saved(await addCohort(database().db, guildId, { name: 'A' }));
    const b = await saved(await addCohort(database().db, guildId, { name: 'B' }));
    const others =
      engine === 'postgres'
        ? await Promise.all([1, 2].map(() => openPostgres((database() as unknown as { url: string }).url)))
        : [];
    const [dbA, dbB] = others.length > 0 ? others.map((o) => o.db) : [database().db, database().db];
    const results = await Promise.all([
      removeCohort(dbA!, guildId, a.id, new Date()),
      removeCohort(dbB!, guildId, b.id, new Date()),
    ]);
    await Promise.all(others.map((o) => o.close()));
    expect(results.map((r) => r.status).sort()).toEqual(['last-cohort', 'removed']);
    expect(await listCohorts(database().db, guildId)).toHaveLength(1);
  });

  it('a server’s first cohort is made once even when two callers race, and the default cohort follows channel, then role', async () => {
    const db = database().db;
    const guildId = snowflake(nextGuild++);
    const [x, y] = await Promise.all([ensureServerCohort(db, guildId), ensureServerCohort(db, guildId)]);
    expect(x.id).toBe(y.id);
    const settings = await updateServerCohort(db, guildId, {
      channelId: snowflake(21),
      postTime: '09:00',
      timeZone: 'Europe/Paris',
    });
    await setServerInstructorRole(db, guildId, snowflake(22));
    expect(settings).toMatchObject({
      id: x.id,
      name: 'Cohort 1',
      channelId: snowflake(21),
      timeZone: 'Europe/Paris',
      instructorRoleId: null,
    });
    expect(await serverInstructorRole(db, guildId)).toBe(snowflake(22));
    expect((await scheduledCohorts(db)).filter((c) => c.guildId === guildId).map((c) => c.id)).toEqual([x.id]);
    const second = await saved(
      await addCohort(db, guildId, { name: 'Evening', channelId: snowflake(23), studentRoleId: snowflake(24) }),
    );
    expect((await callerCohort(db, guildId, { channelId: snowflake(23), roleIds: [] })).id).toBe(second.id);
    expect((await callerCohort(db, guildId, { channelId: null, roleIds: [snowflake(24)] })).id).toBe(second.id);
    expect((await callerCohort(db, guildId, { channelId: null, roleIds: [] })).id).toBe(x.id);
  });

  it('each cohort has its own daily post per local date, rotation, topics, leaderboard, streaks, queue, stats, export and reminders', async () => {
    const db = database().db;
    const guildId = snowflake(nextGuild++);
    const [student, both] = [snowflake(31), snowflake(32)];
    const morning = await saved(
      await addCohort(db, guildId, {
        name: 'Morning',
        channelId: snowflake(33),
        postTime: '09:00',
        timeZone: 'Europe/Berlin',
      }),
    );
    const evening = await saved(
      await addCohort(db, guildId, {
        name: 'Evening',
        channelId: snowflake(34),
        postTime: '19:00',
        timeZone: 'America/New_York',
        topics: ['SQL'],
      }),
    );
    const post = async (cohort: CohortRow, localDate: string, postedAt: Date) => {
      const claim = await claimDailyPost(db, { cohort, localDate, channelId: cohort.channelId!, now: postedAt });
      assert(claim.status === 'claimed', claim.status);
      await markDailyPosted(db, claim.prompt.id, {
        messageId: snowflake(40 + claim.prompt.id),
        channelId: cohort.channelId!,
        postedAt,
        closesAt: new Date(postedAt.getTime() + 4 * 3_600_000),
      });
      return claim.prompt;
    };
    // The same local date in both cohorts: one post each, and a second claim of either is taken.
    const m1 = await post(morning, '2026-06-01', at('2026-06-01T07:00:00Z'));
    const e1 = await post(evening, '2026-06-01', at('2026-06-01T23:00:00Z'));
    expect(
      (
        await claimDailyPost(db, {
          cohort: morning,
          localDate: '2026-06-01',
          channelId: morning.channelId!,
          now: at('2026-06-01T08:00:00Z'),
        })
      ).status,
    ).toBe('taken');
    expect(m1.cohortId).toBe(morning.id);
    expect(e1.cohortId).toBe(evening.id);
    // Evening's topics hold only the SQL question; morning rotates through all three on its own.
    const e2 = await post(evening, '2026-06-02', at('2026-06-02T23:00:00Z'));
    expect(e2.questionId).toBe(e1.questionId);
    const m2 = await post(morning, '2026-06-02', at('2026-06-02T07:00:00Z'));
    expect(m2.questionId).not.toBe(m1.questionId);

    const answer = async (promptId: number, userId: string, now: Date) => {
      const result = await recordAnswer(db, {
        guildId,
        promptId,
        userId,
        userName: 'S',
        body: 'x',
        suggest: suggesting('correct'),
        now,
      });
      assert(result.status === 'saved', result.status);
      return result.answer;
    };
    const a1 = await answer(m1.id, both, at('2026-06-01T08:00:00Z'));
    await answer(m2.id, both, at('2026-06-02T08:00:00Z'));
    const a3 = await answer(e1.id, both, at('2026-06-01T23:30:00Z'));
    await answer(e1.id, student, at('2026-06-01T23:40:00Z'));
    await gradeAnswer(database().db, {
      guildId,
      answerId: a1.id,
      grade: 'correct',
      graderId: snowflake(39),
      now: at('2026-06-03T10:00:00Z'),
      regrade: false,
    });

    const now = at('2026-06-03T12:00:00Z');
    const board = async (cohort: CohortRow) =>
      (await leaderboardFor(db, cohort, { period: 'all', now, userId: both })).top.map((s) => [s.userId, s.points]);
    expect(await board(morning)).toEqual([[both, 5]]);
    // Equal points: whoever reached them first ranks first.
    expect(await board(evening)).toEqual([
      [both, 1],
      [student, 1],
    ]);
    const progress = (cohort: CohortRow, userId: string) =>
      progressOf(db, { guildId, cohortId: cohort.id, userId, now, weekStart: at('2026-06-01T00:00:00Z') });
    expect((await progress(morning, both)).streak).toEqual({ current: 2, best: 2 });
    expect((await progress(evening, both)).streak).toEqual({ current: 0, best: 1 });
    expect((await progress(morning, both)).answers).toBe(2);
    expect((await progress(evening, both)).points.allTime).toBe(1);
    expect((await progress(morning, student)).points.allTime).toBe(0);

    const filters = { questionId: null, userId: null, kind: null };
    expect((await countForReview(db, guildId, { ...filters, cohortId: evening.id })).left).toBe(2);
    expect((await countForReview(db, guildId, { ...filters, cohortId: morning.id })).left).toBe(1);
    expect((await countForReview(db, guildId, { ...filters, cohortId: null })).left).toBe(3);
    expect((await nextForReview(db, guildId, { ...filters, cohortId: evening.id }))?.answer.id).toBe(a3.id);
    const stats = await guildStats(db, guildId, { cohortId: evening.id });
    expect(stats.daily.map((d) => [d.localDate, d.answers])).toEqual([
      ['2026-06-01', 2],
      ['2026-06-02', 0],
    ]);
    const exported = [];
    for await (const batch of exportAnswerBatches(db, guildId, { cohortId: morning.id })) exported.push(...batch);
    expect(exported.map((row) => [row.answerId, row.cohortName])).toEqual([
      [a1.id, 'Morning'],
      [a1.id + 1, 'Morning'],
    ]);

    expect((await claimClosings(db, now)).map((p) => p.id).sort((x, y) => x - y)).toEqual(
      [m1.id, e1.id, e2.id, m2.id].sort((x, y) => x - y),
    );

    // Reminders: the student opted in for the evening cohort only; the morning post reminds nobody.
    await setReminderPreference(db, { guildId, cohortId: evening.id }, snowflake(35), 'channel', now);
    const e3 = await post(evening, '2026-06-03', at('2026-06-03T23:00:00Z'));
    const m3 = await post(morning, '2026-06-03', at('2026-06-03T07:00:00Z'));
    const due = await dueReminders(db, at('2026-06-04T02:30:00Z'));
    expect(due).toContain(e3.id);
    expect((await claimReminder(db, e3.id, guildId, at('2026-06-04T02:30:00Z')))?.recipients).toEqual([
      { userId: snowflake(35), delivery: 'channel' },
    ]);
    expect((await claimReminder(db, m3.id, guildId, at('2026-06-03T08:30:00Z')))?.recipients).toEqual([]);

    // Closing one cohort's post now leaves the other's open.
    expect((await claimClosings(db, at('2026-06-04T00:00:00Z'), evening.id)).map((p) => p.id)).toEqual([e3.id]);
    expect((await claimClosings(db, at('2026-06-04T00:00:00Z'), morning.id)).map((p) => p.id)).toEqual([m3.id]);
  });
});
