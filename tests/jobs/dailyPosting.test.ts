import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client.ts';
import { claimDailyPost, CLAIM_LEASE_MS, dailyPromptOn } from '../../src/db/repo/daily.ts';
import { dailyPostMessage } from '../../src/discord/render/daily.ts';
import { postDailyQuestion, postDueDailyQuestions } from '../../src/jobs/dailyPosting.ts';
import type { FakeDiscord, Guild } from '../fake-discord/index.ts';
import { engines, type TestDatabase } from '../support/database.ts';
import { startJobContext, startJobWorld, type JobContext, type JobWorld } from '../support/jobContext.ts';
import { cohortIdOf, updateServerCohort } from '../support/cohortRows.ts';
import { ensureServerCohort, removeCohort } from '../../src/db/repo/cohorts.ts';

const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

for (const engine of engines) {
  describe(`the daily posting job [${engine}]`, () => {
    let world: JobWorld;
    let fake: FakeDiscord;
    let database: TestDatabase;
    let ctx: JobContext;
    let guild: Guild;

    beforeAll(async () => {
      world = await startJobWorld(engine);
      ({ fake, database, ctx } = world);
    });
    afterAll(async () => {
      await world?.close();
    });

    /** A new guild (so each test starts clean) scheduled at 09:00 in Berlin, every day. */
    async function scheduledGuild(): Promise<Guild> {
      guild = await world.scheduledGuild({ timeZone: 'Europe/Berlin' });
      return guild;
    }
    const posts = () => fake.channelMessages(guild.cohortChannel.id);
    const tick = async (iso: string | Date) => {
      ctx.setNow(typeof iso === 'string' ? at(iso) : iso);
      await postDueDailyQuestions(ctx);
    };

    it('posts at the local time, once, however often the tick runs', async () => {
      await scheduledGuild();
      await tick('2026-07-01T06:59:00Z');
      expect(posts()).toHaveLength(0);
      await tick('2026-07-01T07:00:00Z');
      await tick('2026-07-01T07:01:00Z');
      await Promise.all([tick('2026-07-01T07:02:00Z'), postDueDailyQuestions(ctx)]);
      expect(posts()).toHaveLength(1);
      expect(JSON.stringify(posts()[0]!.embeds)).toContain('2026-07-01');
    });

    it('after downtime it posts the same local day, and never a past day', async () => {
      await scheduledGuild();
      await tick('2026-07-02T21:59:00Z');
      expect(posts()).toHaveLength(1);
      await tick('2026-07-04T05:00:00Z');
      expect(posts()).toHaveLength(1);
      expect(JSON.stringify(posts()[0]!.embeds)).toContain('2026-07-02');
    });

    it('a Discord 500 on the post is retried after the lease and posts once, late', async () => {
      await scheduledGuild();
      fake.faults.rest({
        method: 'POST',
        route: `/channels/${guild.cohortChannel.id}/messages`,
        status: 500,
        times: 10,
      });
      const start = at('2026-07-05T07:00:00Z');
      await tick(start);
      expect(posts()).toHaveLength(0);
      fake.clearFaults();
      await tick(new Date(start.getTime() + minutes(1)));
      expect(posts()).toHaveLength(0);
      await tick(new Date(start.getTime() + CLAIM_LEASE_MS + minutes(1)));
      await tick(new Date(start.getTime() + CLAIM_LEASE_MS + minutes(2)));
      expect(posts()).toHaveLength(1);
    });

    it('a 429 with retry-after is waited out and posts once', async () => {
      await scheduledGuild();
      fake.faults.rest({
        method: 'POST',
        route: `/channels/${guild.cohortChannel.id}/messages`,
        status: 429,
        times: 1,
        retryAfterSeconds: 1,
      });
      await tick('2026-07-06T07:00:00Z');
      expect(posts()).toHaveLength(1);
      fake.clearFaults();
    });

    it('a crash between sending and recording the post does not show it twice', async () => {
      await scheduledGuild();
      const start = at('2026-07-07T07:00:00Z');
      const claim = await claimDailyPost(ctx.db, {
        cohort: await ensureServerCohort(ctx.db, guild.id),
        localDate: '2026-07-07',
        channelId: guild.cohortChannel.id,
        now: start,
      });
      if (claim.status !== 'claimed') throw new Error(claim.status);
      const channel = await ctx.client.channels.fetch(guild.cohortChannel.id);
      if (!channel?.isSendable()) throw new Error('channel');
      await channel.send({
        content: 'sent, then the process died',
        nonce: `daily-${claim.prompt.id}`,
        enforceNonce: true,
      });
      await tick(new Date(start.getTime() + CLAIM_LEASE_MS + minutes(1)));
      expect(posts()).toHaveLength(1);
    });

    it('a post made before a crash is found and adopted after the nonce has expired, not sent again', async () => {
      await scheduledGuild();
      const start = at('2026-07-09T07:00:00Z');
      const claim = await claimDailyPost(ctx.db, {
        cohort: await ensureServerCohort(ctx.db, guild.id),
        localDate: '2026-07-09',
        channelId: guild.cohortChannel.id,
        now: start,
      });
      if (claim.status !== 'claimed') throw new Error(claim.status);
      const channel = await ctx.client.channels.fetch(guild.cohortChannel.id);
      if (!channel?.isSendable()) throw new Error('channel');
      // Sent without a nonce: as if Discord had forgotten it by the time the claim is retaken.
      const view = {
        promptId: claim.prompt.id,
        localDate: '2026-07-09',
        question: 'Q?',
        topic: 'T',
        closesAt: start,
        answerCount: 0,
        closed: false,
      };
      const sent = await channel.send(dailyPostMessage(view));
      await tick(new Date(start.getTime() + minutes(30)));
      expect(posts()).toHaveLength(1);
      expect((await dailyPromptOn(ctx.db, await cohortIdOf(ctx.db, guild.id), '2026-07-09'))?.messageId).toBe(sent.id);
    });

    it('after a change of time zone, posts nothing until the new local date is past the last posted date', async () => {
      guild = await world.scheduledGuild({ timeZone: 'Pacific/Kiritimati' });
      // 09:00 on 2026-12-02 in Kiritimati (UTC+14) is 09:00 on 2026-12-01 in Honolulu (UTC-10).
      await tick('2026-12-01T19:00:00Z');
      expect(posts()).toHaveLength(1);
      expect(JSON.stringify(posts()[0]!.embeds)).toContain('2026-12-02');
      const moved = await updateServerCohort(ctx.db, guild.id, { timeZone: 'Pacific/Honolulu' });
      await tick('2026-12-01T19:02:00Z');
      await tick('2026-12-02T19:00:00Z');
      expect(posts()).toHaveLength(1);
      const manual = await postDailyQuestion(ctx, { ...moved, channelId: moved.channelId! }, '2026-12-01');
      expect(manual).toEqual({ status: 'behind', lastDate: '2026-12-02' });
      await tick('2026-12-03T19:00:00Z');
      expect(posts()).toHaveLength(2);
      expect(JSON.stringify(posts()[1]!.embeds)).toContain('2026-12-03');
    });

    it('two cohorts of one server, in different zones and channels, each post at their own local time, once', async () => {
      await scheduledGuild(); // the server's first cohort: 09:00 in Berlin, in the cohort channel
      const { cohort: evening, channelId } = await world.addCohort(guild, {
        name: 'Evening',
        postTime: '18:30',
        timeZone: 'America/New_York',
      });
      const eveningPosts = () => fake.channelMessages(channelId);
      await tick('2026-07-10T06:59:00Z');
      expect([posts().length, eveningPosts().length]).toEqual([0, 0]);
      await tick('2026-07-10T07:00:00Z'); // 09:00 in Berlin, 03:00 in New York
      await tick('2026-07-10T07:01:00Z');
      expect([posts().length, eveningPosts().length]).toEqual([1, 0]);
      await tick('2026-07-10T22:29:00Z');
      expect(eveningPosts()).toHaveLength(0);
      await Promise.all([tick('2026-07-10T22:30:00Z'), postDueDailyQuestions(ctx)]); // 18:30 in New York
      await tick('2026-07-10T23:00:00Z');
      expect([posts().length, eveningPosts().length]).toEqual([1, 1]);
      expect(JSON.stringify(eveningPosts()[0]!.embeds)).toContain('2026-07-10');
      // 01:00 on the 11th in Berlin is still the 10th in New York: nothing more for either.
      await tick('2026-07-10T23:30:00Z');
      expect([posts().length, eveningPosts().length]).toEqual([1, 1]);
      expect((await dailyPromptOn(ctx.db, evening.id, '2026-07-10'))?.channelId).toBe(channelId);
    });

    it('a paused or removed cohort posts nothing, and does not hold up the others', async () => {
      await scheduledGuild();
      const { cohort: paused, channelId: pausedChannel } = await world.addCohort(guild, {
        name: 'Paused',
        postTime: '09:00',
        timeZone: 'Europe/Berlin',
        paused: true,
      });
      const { cohort: removed, channelId: removedChannel } = await world.addCohort(guild, {
        name: 'Removed',
        postTime: '09:00',
        timeZone: 'Europe/Berlin',
      });
      expect((await removeCohort(ctx.db, guild.id, removed.id, new Date())).status).toBe('removed');
      await tick('2026-07-11T07:00:00Z');
      expect([
        posts().length,
        fake.channelMessages(pausedChannel).length,
        fake.channelMessages(removedChannel).length,
      ]).toEqual([1, 0, 0]);
      expect(paused.paused).toBe(true);
    });

    // PGlite has one process by design (its lock file refuses a second), so this race is PostgreSQL's.
    // oxlint-disable-next-line vitest/no-conditional-tests -- registered only where the race can happen
    if (engine === 'postgres')
      it('two bot processes on one database post once per cohort', async () => {
        await scheduledGuild();
        const second = await world.addCohort(guild, { name: 'Second', postTime: '09:00', timeZone: 'Europe/Berlin' });
        const secondDb = await openPostgres((database as TestDatabase & { url: string }).url);
        const other = await startJobContext(secondDb, fake);
        try {
          const now = at('2026-07-08T07:00:00Z');
          ctx.setNow(now);
          other.setNow(now);
          await Promise.all([
            postDueDailyQuestions(ctx),
            postDueDailyQuestions(other),
            postDueDailyQuestions(ctx),
            postDueDailyQuestions(other),
          ]);
          expect(posts()).toHaveLength(1);
          expect(fake.channelMessages(second.channelId)).toHaveLength(1);
        } finally {
          await other.close();
          await secondDb.close();
        }
      });
  });
}
