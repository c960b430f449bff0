import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyPromptOn, MAX_ATTEMPTS } from '../../src/db/repo/daily.ts';
import { serverCohort, takePauseNotice } from '../../src/db/repo/cohorts.ts';
import { closeDueDailyQuestions } from '../../src/jobs/dailyClosing.ts';
import { postDueDailyQuestions } from '../../src/jobs/dailyPosting.ts';
import { Permission } from '../fake-discord/index.ts';
import type { FakeDiscord, Guild } from '../fake-discord/index.ts';
import { engines } from '../support/database.ts';
import { startJobWorld, type JobContext, type JobWorld } from '../support/jobContext.ts';
import { textOf } from '../e2e/world.ts';
import { cohortIdOf, updateServerCohort } from '../support/cohortRows.ts';

const minutes = (n: number) => n * 60_000;

for (const engine of engines) {
  describe(`a daily channel Discord refuses [${engine}]`, () => {
    let world: JobWorld;
    let fake: FakeDiscord;
    let ctx: JobContext;
    beforeAll(async () => {
      world = await startJobWorld(engine);
      ({ fake, ctx } = world);
    });
    afterAll(async () => {
      await world?.close();
    });

    /** Every scheduler tick from `from` for `hours`, one a minute (as the bot's cron), returning the last time. */
    async function tickFor(from: Date, hours: number, step = 1): Promise<Date> {
      let now = from;
      for (let t = 0; t <= hours * 60; t += step) {
        now = new Date(from.getTime() + minutes(t));
        ctx.setNow(now);
        await closeDueDailyQuestions(ctx);
        await postDueDailyQuestions(ctx);
      }
      return now;
    }
    const channelWrites = (channelId: string) =>
      fake.requests.filter((r) => r.method === 'POST' && r.route === `/channels/${channelId}/messages`).length;
    const reason = async (guild: Guild) => (await serverCohort(ctx.db, guild.id))?.pausedReason ?? null;

    it('a deleted channel: no retries, the schedule paused with the reason, the owner told once by DM', async () => {
      const guild = await world.scheduledGuild();
      guild.deleteChannel(guild.cohortChannel.id);
      await fake.waitFor(
        () => !ctx.client.channels.cache.has(guild.cohortChannel.id),
        5000,
        'the channel gone from the cache',
      );
      const before = fake.requests.length;
      await tickFor(new Date('2026-08-01T09:00:00Z'), 15, 3);
      expect(await reason(guild)).toMatch(/no longer exists \(Unknown Channel\)[\s\S]*\/setup daily/);
      // One fetch of the channel, refused; nothing more for fifteen hours of ticks.
      expect(fake.requests.slice(before).filter((r) => r.route.includes(guild.cohortChannel.id))).toHaveLength(1);
      expect(guild.owner.dms()).toHaveLength(1);
      expect(textOf(guild.owner.dms()[0])).toMatch(/daily question is paused[\s\S]*Unknown Channel/);
      expect(await takePauseNotice(ctx.db, await cohortIdOf(ctx.db, guild.id), new Date())).toBeNull();
    });

    it('access removed after posting: the reveal is not retried, the schedule is paused, the owner told once', async () => {
      const guild = await world.scheduledGuild({ windowHours: 1 });
      ctx.setNow(new Date('2026-08-02T09:00:00Z'));
      await world.postDaily(guild, '2026-08-02');
      guild.revokeBotAccess(guild.cohortChannel.id);
      const writes = fake.requests.length;
      await tickFor(new Date('2026-08-02T10:00:00Z'), 24, 5);
      const prompt = await dailyPromptOn(ctx.db, await cohortIdOf(ctx.db, guild.id), '2026-08-02');
      expect(prompt).toMatchObject({ revealMessageId: null, revealAttempts: MAX_ATTEMPTS });
      expect(
        fake.requests.slice(writes).filter((r) => r.route.startsWith(`/channels/${guild.cohortChannel.id}`)),
      ).toHaveLength(1);
      expect(await reason(guild)).toMatch(/can no longer see[\s\S]*Missing Access/);
      expect(guild.owner.dms()).toHaveLength(1);
    });

    it('Send Messages taken away: Missing Permissions pauses the schedule with what to grant', async () => {
      const guild = await world.scheduledGuild();
      guild.denyBot(guild.cohortChannel.id, Permission.SendMessages);
      await tickFor(new Date('2026-08-03T09:00:00Z'), 1);
      expect(channelWrites(guild.cohortChannel.id)).toBe(1);
      expect(await reason(guild)).toMatch(/Missing Permissions[\s\S]*Send Messages/);
      expect(guild.owner.dms()).toHaveLength(1);
    });

    it('an owner whose DMs are closed is told by the next /setup or /daily instead, once', async () => {
      const guild = await world.scheduledGuild();
      fake.closeDms(guild.owner);
      fake.faults.rest({
        method: 'POST',
        route: `/channels/${guild.cohortChannel.id}/messages`,
        status: 403,
        code: 50013,
      });
      await tickFor(new Date('2026-08-04T09:00:00Z'), 0);
      fake.clearFaults();
      expect(await reason(guild)).toMatch(/Missing Permissions/);
      expect(await takePauseNotice(ctx.db, await cohortIdOf(ctx.db, guild.id), new Date())).toMatch(
        /Missing Permissions/,
      );
      expect(await takePauseNotice(ctx.db, await cohortIdOf(ctx.db, guild.id), new Date())).toBeNull();
    });

    it('transient failures are retried later and later, and given up after a bound', async () => {
      const guild = await world.scheduledGuild();
      fake.faults.rest({ method: 'POST', route: `/channels/${guild.cohortChannel.id}/messages`, status: 500 });
      const attempts: number[] = [];
      const start = new Date('2026-08-05T09:00:00Z');
      for (let t = 0; t <= 4 * 60; t += 1) {
        ctx.setNow(new Date(start.getTime() + minutes(t)));
        const before =
          (await dailyPromptOn(ctx.db, await cohortIdOf(ctx.db, guild.id), '2026-08-05'))?.postAttempts ?? 0;
        await postDueDailyQuestions(ctx);
        if (
          ((await dailyPromptOn(ctx.db, await cohortIdOf(ctx.db, guild.id), '2026-08-05'))?.postAttempts ?? 0) > before
        )
          attempts.push(t);
      }
      fake.clearFaults();
      expect(attempts).toHaveLength(MAX_ATTEMPTS);
      const gaps = attempts.slice(1).map((at, index) => at - attempts[index]!);
      for (const [index, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(gaps[index - 1] ?? 0);
      expect(gaps.at(-1)).toBeGreaterThanOrEqual(32);
      expect(await reason(guild)).toBeNull();
      expect(channelWrites(guild.cohortChannel.id)).toBeLessThanOrEqual(MAX_ATTEMPTS * 4);
    });

    it('/setup daily on a working channel clears the pause and the next tick posts', async () => {
      const guild = await world.scheduledGuild();
      guild.deleteChannel(guild.cohortChannel.id);
      await tickFor(new Date('2026-08-06T09:00:00Z'), 0);
      expect(await reason(guild)).not.toBeNull();
      const channel = guild.createTextChannel('cohort-2');
      await fake.waitFor(() => ctx.client.channels.cache.has(channel.id), 5000, 'the new channel');
      await updateServerCohort(ctx.db, guild.id, {
        channelId: channel.id,
        paused: false,
        pausedReason: null,
        pauseNoticeAt: null,
      });
      await tickFor(new Date('2026-08-06T09:05:00Z'), 0);
      expect(fake.channelMessages(channel.id)).toHaveLength(1);
    });
  });
}
