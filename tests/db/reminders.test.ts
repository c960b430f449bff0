import { beforeAll, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client.ts';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { CLAIM_LEASE_MS, claimClosings, claimDailyPost, markDailyPosted } from '../../src/db/repo/daily.ts';
import { syncQuestions } from '../../src/db/repo/questions.ts';
import {
  claimReminder,
  dueReminders,
  findReminder,
  markReminderDmDone,
  markReminderPartSent,
  markReminderSent,
  reminderPreference,
  setReminderPreference,
  toggleReminder,
} from '../../src/db/repo/reminders.ts';
import { describeEachEngine, type Engine } from '../support/database.ts';
import { bankQuestion, snowflake, suggesting } from '../support/fixtures.ts';
import { ensureServerCohort } from '../../src/db/repo/cohorts.ts';
import { updateServerCohort } from '../support/cohortRows.ts';

const channelId = snowflake(12);
const at = (iso: string) => new Date(iso);
const hours = (n: number) => n * 3_600_000;
let nextGuild = 100;

describeEachEngine('daily reminders', (database, engine: Engine) => {
  const cohortRef = async (guildId: string) => ({
    guildId,
    cohortId: (await ensureServerCohort(database().db, guildId)).id,
  });
  beforeAll(async () => {
    await syncQuestions(
      database().db,
      null,
      ['a', 'b'].map((slug) => bankQuestion(slug)),
      { retireMissing: true },
    );
  });

  /** A new guild with a 24 h window, posted at `postedAt`: closes 24 h later. */
  async function postedDaily(postedAt: Date, settings: { remindHours?: number; windowHours?: number } = {}) {
    const guildId = snowflake(nextGuild++);
    const windowHours = settings.windowHours ?? 24;
    await updateServerCohort(database().db, guildId, {
      channelId,
      postTime: '09:00',
      timeZone: 'UTC',
      windowHours,
      ...settings,
    });
    const claim = await claimDailyPost(database().db, {
      cohort: await ensureServerCohort(database().db, guildId),
      localDate: postedAt.toISOString().slice(0, 10),
      channelId,
      now: postedAt,
    });
    if (claim.status !== 'claimed') throw new Error(claim.status);
    const closesAt = new Date(postedAt.getTime() + hours(windowHours));
    await markDailyPosted(database().db, claim.prompt.id, {
      messageId: snowflake(nextGuild++),
      channelId,
      postedAt,
      closesAt,
    });
    return { guildId, promptId: claim.prompt.id, closesAt };
  }
  const students = (n: number) => Array.from({ length: n }, (_, i) => snowflake(5000 + i));

  it('Remind me toggles, and /me chooses the delivery; a student without a choice is off', async () => {
    const db = database().db;
    const guildId = snowflake(nextGuild++);
    const [ada] = students(1);
    expect(await reminderPreference(db, (await cohortRef(guildId)).cohortId, ada!)).toEqual({
      enabled: false,
      delivery: 'channel',
    });
    expect(await toggleReminder(db, await cohortRef(guildId), ada!, new Date())).toEqual({
      enabled: true,
      delivery: 'channel',
    });
    expect(await toggleReminder(db, await cohortRef(guildId), ada!, new Date())).toEqual({
      enabled: false,
      delivery: 'channel',
    });
    expect(await setReminderPreference(db, await cohortRef(guildId), ada!, 'dm', new Date())).toEqual({
      enabled: true,
      delivery: 'dm',
    });
    expect(await toggleReminder(db, await cohortRef(guildId), ada!, new Date())).toEqual({
      enabled: false,
      delivery: 'dm',
    });
    expect(await toggleReminder(db, await cohortRef(guildId), ada!, new Date())).toEqual({
      enabled: true,
      delivery: 'dm',
    });
    expect(await reminderPreference(db, (await cohortRef(snowflake(nextGuild++))).cohortId, ada!)).toEqual({
      enabled: false,
      delivery: 'channel',
    });
  });

  it('is due 3 hours before closing, not before, and names the opted-in students who have not answered', async () => {
    const db = database().db;
    const posted = at('2026-05-01T09:00:00Z');
    const { guildId, promptId } = await postedDaily(posted);
    const [ada, linus, grace, margaret] = students(4);
    await toggleReminder(db, await cohortRef(guildId), ada!, posted);
    await setReminderPreference(db, await cohortRef(guildId), linus!, 'dm', posted);
    await toggleReminder(db, await cohortRef(guildId), margaret!, posted);
    await toggleReminder(db, await cohortRef(snowflake(nextGuild++)), grace!, posted); // another guild
    const saved = await recordAnswer(db, {
      guildId,
      promptId,
      userId: margaret!,
      userName: 'M',
      body: 'A signed token.',
      suggest: suggesting('correct'),
      now: posted,
    });
    expect(saved.status).toBe('saved');

    expect(await dueReminders(db, at('2026-05-02T05:59:00Z'))).not.toContain(promptId);
    expect(await dueReminders(db, at('2026-05-02T06:00:00Z'))).toContain(promptId);
    const claim = await claimReminder(db, promptId, guildId, at('2026-05-02T06:00:00Z'));
    expect(claim?.recipients).toEqual(
      [
        { userId: ada!, delivery: 'channel' },
        { userId: linus!, delivery: 'dm' },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    );
  });

  it('is claimed once: a second tick, racing processes and a retake before the lease get nothing', async () => {
    const db = database().db;
    const { guildId, promptId } = await postedDaily(at('2026-05-03T09:00:00Z'));
    const due = at('2026-05-04T06:00:00Z');
    const others =
      engine === 'postgres'
        ? await Promise.all([1, 2, 3].map(() => openPostgres((database() as unknown as { url: string }).url)))
        : [];
    const dbs = others.length > 0 ? others.map((other) => other.db) : [db, db, db];
    const claims = await Promise.all(dbs.map((each) => claimReminder(each, promptId, guildId, due)));
    await Promise.all(others.map((other) => other.close()));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await dueReminders(db, new Date(due.getTime() + 60_000))).not.toContain(promptId);
    expect(await claimReminder(db, promptId, guildId, new Date(due.getTime() + 60_000))).toBeUndefined();
  });

  it('after a crash mid-send the claim is retaken after the lease, keeping what was sent; once sent, never again', async () => {
    const db = database().db;
    const { guildId, promptId } = await postedDaily(at('2026-05-05T09:00:00Z'));
    const [ada, linus] = students(2);
    await toggleReminder(db, await cohortRef(guildId), ada!, new Date());
    await setReminderPreference(db, await cohortRef(guildId), linus!, 'dm', new Date());
    const due = at('2026-05-06T06:00:00Z');
    const first = await claimReminder(db, promptId, guildId, due);
    await markReminderPartSent(db, promptId, 1);
    await markReminderDmDone(db, promptId, linus!, false);
    // The process dies here. A student who opts in now is not added to a reminder already claimed.
    await toggleReminder(db, await cohortRef(guildId), snowflake(7777), new Date());
    expect(await claimReminder(db, promptId, guildId, new Date(due.getTime() + CLAIM_LEASE_MS - 1000))).toBeUndefined();
    const later = new Date(due.getTime() + CLAIM_LEASE_MS + 1000);
    expect(await dueReminders(db, later)).toContain(promptId);
    const retaken = await claimReminder(db, promptId, guildId, later);
    expect(retaken).toMatchObject({
      attempts: 2,
      channelPartsDone: 1,
      dmsDone: [linus],
      recipients: first!.recipients,
    });
    await markReminderSent(db, promptId, later);
    const muchLater = new Date(later.getTime() + hours(1));
    expect(await dueReminders(db, muchLater)).not.toContain(promptId);
    expect(await claimReminder(db, promptId, guildId, muchLater)).toBeUndefined();
    expect((await findReminder(db, promptId))?.sentAt).toEqual(later);
  });

  it('none for a closed post, with reminders off (0), or when the reminder time is not inside the window', async () => {
    const db = database().db;
    const closed = await postedDaily(at('2026-05-07T09:00:00Z'));
    await claimClosings(db, at('2026-05-08T05:00:00Z'), (await cohortRef(closed.guildId)).cohortId);
    const off = await postedDaily(at('2026-05-07T09:00:00Z'), { remindHours: 0 });
    const tooLong = await postedDaily(at('2026-05-07T09:00:00Z'), { remindHours: 3, windowHours: 2 });
    const afterClose = await postedDaily(at('2026-05-07T09:00:00Z'));
    const due = await dueReminders(db, at('2026-05-08T06:30:00Z'));
    for (const post of [closed, off, tooLong]) expect(due).not.toContain(post.promptId);
    expect(due).toContain(afterClose.promptId);
    expect(await dueReminders(db, afterClose.closesAt)).not.toContain(afterClose.promptId);
  });
});
