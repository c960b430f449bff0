import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client.ts';
import { claimDailyPost, CLAIM_LEASE_MS, dailyPromptOn } from '../../src/db/repo/daily.ts';
import { dailyPostMessage } from '../../src/discord/render/daily.ts';
import { getGuildSettings, updateGuildSettings, type DailySettings } from '../../src/db/repo/guildSettings.ts';
import { postDailyQuestion, postDueDailyQuestions } from '../../src/jobs/dailyPosting.ts';
import type { FakeDiscord, Guild } from '../fake-discord/index.ts';
import { engines, type TestDatabase } from '../support/database.ts';
import { startJobContext, startJobWorld, type JobContext, type JobWorld } from '../support/jobContext.ts';

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
      fake.faults.rest({ method: 'POST', route: `/channels/${guild.cohortChannel.id}/messages`, status: 500, times: 10 });
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
      fake.faults.rest({ method: 'POST', route: `/channels/${guild.cohortChannel.id}/messages`, status: 429, times: 1, retryAfterSeconds: 1 });
      await tick('2026-07-06T07:00:00Z');
      expect(posts()).toHaveLength(1);
      fake.clearFaults();
    });

    it('a crash between sending and recording the post does not show it twice', async () => {
      await scheduledGuild();
      const start = at('2026-07-07T07:00:00Z');
      const claim = await claimDailyPost(ctx.db, { guildId: guild.id, localDate: '2026-07-07', channelId: guild.cohortChannel.id, now: start });
      if (claim.status !== 'claimed') throw new Error(claim.status);
      const channel = await ctx.client.channels.fetch(guild.cohortChannel.id);
      if (!channel?.isSendable()) throw new Error('channel');
      await channel.send({ content: 'sent, then the process died', nonce: `daily-${claim.prompt.id}`, enforceNonce: true });
      await tick(new Date(start.getTime() + CLAIM_LEASE_MS + minutes(1)));
      expect(posts()).toHaveLength(1);
    });

    it('a post made before a crash is found and adopted after the nonce has expired, not sent again', async () => {
      await scheduledGuild();
      const start = at('2026-07-09T07:00:00Z');
      const claim = await claimDailyPost(ctx.db, { guildId: guild.id, localDate: '2026-07-09', channelId: guild.cohortChannel.id, now: start });
      if (claim.status !== 'claimed') throw new Error(claim.status);
      const channel = await ctx.client.channels.fetch(guild.cohortChannel.id);
      if (!channel?.isSendable()) throw new Error('channel');
      // Sent without a nonce: as if Discord had forgotten it by the time the claim is retaken.
      const view = { promptId: claim.prompt.id, localDate: '2026-07-09', question: 'Q?', topic: 'T', closesAt: start, answerCount: 0, closed: false };
      const sent = await channel.send(dailyPostMessage(view));
      await tick(new Date(start.getTime() + minutes(30)));
      expect(posts()).toHaveLength(1);
      expect((await dailyPromptOn(ctx.db, guild.id, '2026-07-09'))?.messageId).toBe(sent.id);
    });

    it('after a change of time zone, posts nothing until the new local date is past the last posted date', async () => {
      guild = await world.scheduledGuild({ timeZone: 'Pacific/Kiritimati' });
      // 09:00 on 2026-12-02 in Kiritimati (UTC+14) is 09:00 on 2026-12-01 in Honolulu (UTC-10).
      await tick('2026-12-01T19:00:00Z');
      expect(posts()).toHaveLength(1);
      expect(JSON.stringify(posts()[0]!.embeds)).toContain('2026-12-02');
      await updateGuildSettings(ctx.db, guild.id, { timeZone: 'Pacific/Honolulu' });
      await tick('2026-12-01T19:02:00Z');
      await tick('2026-12-02T19:00:00Z');
      expect(posts()).toHaveLength(1);
      const settings = (await getGuildSettings(ctx.db, guild.id))!;
      const manual = await postDailyQuestion(ctx, settings as DailySettings, '2026-12-01');
      expect(manual).toEqual({ status: 'behind', lastDate: '2026-12-02' });
      await tick('2026-12-03T19:00:00Z');
      expect(posts()).toHaveLength(2);
      expect(JSON.stringify(posts()[1]!.embeds)).toContain('2026-12-03');
    });

    // PGlite has one process by design (its lock file refuses a second), so this race is PostgreSQL's.
    // oxlint-disable-next-line vitest/no-conditional-tests -- registered only where the race can happen
    if (engine === 'postgres') it('two bot processes on one database post once', async () => {
      await scheduledGuild();
      const second = await openPostgres((database as TestDatabase & { url: string }).url);
      const other = await startJobContext(second, fake);
      try {
        const now = at('2026-07-08T07:00:00Z');
        ctx.setNow(now);
        other.setNow(now);
        await Promise.all([postDueDailyQuestions(ctx), postDueDailyQuestions(other), postDueDailyQuestions(ctx), postDueDailyQuestions(other)]);
        expect(posts()).toHaveLength(1);
      } finally {
        await other.close();
        await second.close();
      }
    });
  });
}
