import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/db/client.ts';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { claimPostRefresh } from '../../src/db/repo/daily.ts';
import { DailyPostRefreshThrottle, refreshDailyPost } from '../../src/jobs/dailyPostRefresh.ts';
import type { FakeDiscord, Guild } from '../fake-discord/index.ts';
import { engines, type TestDatabase } from '../support/database.ts';
import { snowflake, suggesting } from '../support/fixtures.ts';
import { startJobContext, startJobWorld, type JobContext, type JobWorld } from '../support/jobContext.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';

/** Long enough for a burst of requests to reach the database inside one window; the test never measures it. */
const WINDOW_MS = 1_500;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const engine of engines) {
  describe(`the answer count on a daily post, refreshed by two processes [${engine}]`, () => {
    let world: JobWorld;
    let fake: FakeDiscord;
    let ctx: JobContext;
    /** The second process: its own connection (PostgreSQL) and its own Discord client. */
    let other: JobContext;
    let otherDatabase: Database | undefined;

    beforeAll(async () => {
      world = await startJobWorld(engine);
      ({ fake, ctx } = world);
      otherDatabase =
        engine === 'postgres' ? await openPostgres((world.database as TestDatabase & { url: string }).url) : undefined;
      other = await startJobContext(otherDatabase ?? world.database, fake);
    });
    afterAll(async () => {
      await other?.close();
      await otherDatabase?.close();
      await world?.close();
    });

    /** A throttle of `process` that counts the refreshes it makes. */
    function throttleOf(process: JobContext) {
      const made: number[] = [];
      const throttle = new DailyPostRefreshThrottle(
        process.db,
        async (promptId) => {
          made.push(promptId);
          await refreshDailyPost(process, promptId);
        },
        process.logger,
        WINDOW_MS,
      );
      return { throttle, made };
    }
    async function answer(guild: Guild, promptId: number, from: number, count: number) {
      for (let i = from; i < from + count; i += 1) {
        const saved = await recordAnswer(ctx.db, {
          guildId: guild.id,
          promptId,
          userId: snowflake(500 + i),
          userName: `S${i}`,
          body: 'x',
          suggest: suggesting('correct'),
          now: ctx.now(),
        });
        expect(saved.status).toBe('saved');
      }
    }
    const shownCount = (messageId: string) =>
      /"name":"Answers so far","value":"(\d+)"/.exec(JSON.stringify(fake.message(messageId)?.embeds))?.[1];
    const editsOf = (messageId: string) => fake.message(messageId)?.history.length ?? 0;

    it('a burst of answers in one process asks the database once per window, not once per answer', async () => {
      const guild = await world.scheduledGuild();
      const posted = await world.postDaily(guild, '2026-05-03');
      let claims = 0;
      // Counts the claim statements (the throttle's only UPDATE) on the real connection.
      const counted = new Proxy(ctx.db, {
        get(target, key, receiver) {
          if (key === 'update') claims += 1;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
      const made: number[] = [];
      const throttle = new DailyPostRefreshThrottle(
        counted,
        async (promptId) => {
          made.push(promptId);
          await refreshDailyPost(ctx, promptId);
        },
        ctx.logger,
        WINDOW_MS,
      );
      try {
        await answer(guild, posted.prompt.id, 100, 5);
        for (let i = 0; i < 50; i += 1) throttle.request(posted.prompt.id);
        await fake.waitFor(() => editsOf(posted.messageId) >= 1, CONDITION_TIMEOUT_MS, 'the edit');
        expect({ claims, refreshes: made.length }).toEqual({ claims: 1, refreshes: 1 });
        expect(shownCount(posted.messageId)).toBe('5');
      } finally {
        throttle.stop();
      }
    });

    it('answers in both processes during one window give one refresh, showing the count at its end', async () => {
      const guild = await world.scheduledGuild();
      const posted = await world.postDaily(guild, '2026-05-01');
      const [first, second] = [throttleOf(ctx), throttleOf(other)];
      try {
        await answer(guild, posted.prompt.id, 0, 20);
        for (let i = 0; i < 20; i += 1) (i % 2 ? first : second).throttle.request(posted.prompt.id);
        await fake.waitFor(() => editsOf(posted.messageId) >= 1, CONDITION_TIMEOUT_MS, 'the first edit');
        await pause(WINDOW_MS);
        expect([first.made.length + second.made.length, editsOf(posted.messageId)]).toEqual([1, 1]);
        expect(shownCount(posted.messageId)).toBe('20');

        await answer(guild, posted.prompt.id, 20, 5);
        for (let i = 0; i < 5; i += 1) (i % 2 ? second : first).throttle.request(posted.prompt.id);
        await fake.waitFor(() => editsOf(posted.messageId) >= 2, CONDITION_TIMEOUT_MS, 'the second edit');
        await pause(WINDOW_MS);
        expect([first.made.length + second.made.length, editsOf(posted.messageId)]).toEqual([2, 2]);
        expect(shownCount(posted.messageId)).toBe('25');
      } finally {
        first.throttle.stop();
        second.throttle.stop();
      }
    });

    it('a process that dies holding the claim leaves the window to expire; the next answer refreshes with the full count', async () => {
      const guild = await world.scheduledGuild();
      const posted = await world.postDaily(guild, '2026-05-02');
      // The dying process: it claimed the window for its answer and never refreshed.
      await answer(guild, posted.prompt.id, 0, 3);
      expect(await claimPostRefresh(ctx.db, posted.prompt.id, WINDOW_MS)).toBe(true);
      const survivor = throttleOf(other);
      try {
        await answer(guild, posted.prompt.id, 3, 2);
        survivor.throttle.request(posted.prompt.id);
        await pause(WINDOW_MS * 2);
        expect([survivor.made.length, editsOf(posted.messageId)]).toEqual([0, 0]);

        await answer(guild, posted.prompt.id, 5, 1);
        survivor.throttle.request(posted.prompt.id);
        await fake.waitFor(() => editsOf(posted.messageId) === 1, CONDITION_TIMEOUT_MS, 'the edit after expiry');
        expect(survivor.made).toEqual([posted.prompt.id]);
        expect(shownCount(posted.messageId)).toBe('6');
      } finally {
        survivor.throttle.stop();
      }
    });
  });
}
