import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setReminderPreference } from '../../src/db/repo/reminders.ts';
import { prompts } from '../../src/db/schema.ts';
import type { Actor, FakeDiscord, Guild, RecordedRequest } from '../fake-discord/index.ts';
import { CONDITION_TIMEOUT_MS, PROCESS_TEST_TIMEOUT_MS } from '../support/botProcess.ts';
import { cohortIdOf } from '../support/cohortRows.ts';
import { engines, type TestDatabase } from '../support/database.ts';
import { startJobWorld, type JobWorld } from '../support/jobContext.ts';
import { JobTicker, tickTogether } from '../support/jobTickers.ts';

const PROCESSES = 3;
const DATES = ['2026-09-01', '2026-09-02'];
/** Each date: the post (09:00), its reminder (3 h before it closes), its closing and reveal (21:00), each ticked twice. */
const TICKS = DATES.flatMap((date) =>
  ['09:00', '09:00', '09:01', '18:00', '18:00', '21:00', '21:00', '21:01'].map(
    (time) => new Date(`${date}T${time}:00Z`),
  ),
);
const SCHEDULE = { postTime: '09:00', timeZone: 'UTC', days: 'every' as const, windowHours: 12, remindHours: 3 };

const messageCreates = (requests: RecordedRequest[]) =>
  requests.filter((request) => request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.route));
const nonceOf = (request: RecordedRequest) => String((request.body as { nonce?: unknown }).nonce);

// Several processes on one database is PostgreSQL's case: PGlite refuses a second process by design.
for (const engine of engines.filter((each) => each === 'postgres')) {
  describe(`three job processes ticking at the same instants on one database [${engine}]`, () => {
    let world: JobWorld;
    let fake: FakeDiscord;
    let tickers: JobTicker[] = [];
    const cohortChannels: string[] = [];
    const byDm: Actor[] = [];
    const inChannel: Actor[] = [];

    async function optIn(guild: Guild, cohortId: number, actor: Actor, delivery: 'dm' | 'channel') {
      await setReminderPreference(world.ctx.db, { guildId: guild.id, cohortId }, actor.id, delivery, new Date());
      (delivery === 'dm' ? byDm : inChannel).push(actor);
    }

    beforeAll(async () => {
      world = await startJobWorld(engine);
      fake = world.fake;
      const first = await world.scheduledGuild(SCHEDULE);
      const second = await world.scheduledGuild(SCHEDULE);
      const evening = await world.addCohort(first, { name: 'Evening', ...SCHEDULE });
      cohortChannels.push(first.cohortChannel.id, second.cohortChannel.id, evening.channelId);
      await optIn(first, await cohortIdOf(world.ctx.db, first.id), first.addStudent('Ada'), 'dm');
      await optIn(first, await cohortIdOf(world.ctx.db, first.id), first.addStudent('Bo'), 'channel');
      await optIn(first, evening.cohort.id, first.addStudent('Cy'), 'dm');
      await optIn(second, await cohortIdOf(world.ctx.db, second.id), second.addStudent('Di'), 'dm');
      await optIn(second, await cohortIdOf(world.ctx.db, second.id), second.addStudent('Ed'), 'channel');
      const url = (world.database as TestDatabase & { url: string }).url;
      tickers = await Promise.all(
        Array.from({ length: PROCESSES }, () =>
          JobTicker.start({ databaseUrl: url, apiUrl: fake.apiUrl, token: fake.token }, CONDITION_TIMEOUT_MS),
        ),
      );
      for (const at of TICKS) await tickTogether(tickers, at, CONDITION_TIMEOUT_MS);
    }, PROCESS_TEST_TIMEOUT_MS);
    afterAll(async () => {
      await Promise.all(tickers.map((ticker) => ticker.stop()));
      await world?.close();
    });

    it('one daily post per cohort and local date, each sent to Discord once', async () => {
      const rows = await world.ctx.db.select().from(prompts).where(eq(prompts.kind, 'daily'));
      expect(rows.map((row) => `${row.channelId} ${row.localDate}`).sort()).toEqual(
        cohortChannels.flatMap((channelId) => DATES.map((date) => `${channelId} ${date}`)).sort(),
      );
      const posts = messageCreates(fake.requests).filter((request) => nonceOf(request).startsWith('daily-'));
      expect(posts.map(nonceOf).sort()).toEqual(rows.map((row) => `daily-${row.id}`).sort());
      for (const row of rows) expect(fake.message(row.messageId!)?.channelId).toBe(row.channelId);
    });

    it('one closing edit and one reveal per post', async () => {
      const rows = await world.ctx.db.select().from(prompts).where(eq(prompts.kind, 'daily'));
      for (const row of rows) {
        const edits = fake.requests.filter(
          (request) =>
            request.method === 'PATCH' && request.route === `/channels/${row.channelId}/messages/${row.messageId}`,
        );
        expect(edits, `closing edits of prompt ${row.id}`).toHaveLength(1);
        expect(row.revealMessageId).not.toBeNull();
      }
      const reveals = messageCreates(fake.requests).filter((request) => nonceOf(request).startsWith('reveal-'));
      expect(reveals.map(nonceOf).sort()).toEqual(rows.map((row) => `reveal-${row.id}`).sort());
    });

    it('one reminder per student and post: one DM each, one mention each in the channel', async () => {
      for (const student of byDm) expect(student.dms(), student.name).toHaveLength(DATES.length);
      // Counted as requests too: Discord would fold a repeated nonce into one message only for a few minutes.
      const dmSends = messageCreates(fake.requests).filter((request) => /^remind-\d+$/.test(nonceOf(request)));
      expect(dmSends).toHaveLength(byDm.length * DATES.length);
      const reminderParts = messageCreates(fake.requests).filter((request) =>
        /^remind-\d+-\d+$/.test(nonceOf(request)),
      );
      for (const student of inChannel) {
        const mentions = reminderParts.filter((request) => JSON.stringify(request.body).includes(`<@${student.id}>`));
        expect(mentions, student.name).toHaveLength(DATES.length);
      }
      expect(new Set(reminderParts.map(nonceOf)).size).toBe(reminderParts.length);
    });

    it('nothing refused by Discord, and no job failed or retried in any process', () => {
      expect(fake.errors).toEqual([]);
      expect(tickers.flatMap((ticker) => ticker.stderr)).toEqual([]);
    });
  });
}
