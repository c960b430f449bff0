import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { DailyPostRefreshThrottle, refreshDailyPost } from '../../src/jobs/dailyPostRefresh.ts';
import type { FakeDiscord } from '../fake-discord/index.ts';
import { snowflake, suggesting } from '../support/fixtures.ts';
import { startJobWorld, type JobContext, type JobWorld } from '../support/jobContext.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';

describe('the answer count on a daily post', () => {
  let world: JobWorld;
  let fake: FakeDiscord;
  let ctx: JobContext;
  beforeAll(async () => {
    world = await startJobWorld();
    ({ fake, ctx } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a burst of answers leads to one edit showing the stored count', async () => {
    const guild = await world.scheduledGuild();
    const posted = await world.postDaily(guild, '2026-05-01');
    for (let i = 0; i < 25; i += 1) {
      const saved = await recordAnswer(ctx.db, {
        guildId: guild.id,
        promptId: posted.prompt.id,
        userId: snowflake(500 + i),
        userName: `S${i}`,
        body: 'x',
        suggest: suggesting('correct'),
        now: ctx.now(),
      });
      expect(saved.status).toBe('saved');
    }
    const throttle = new DailyPostRefreshThrottle((promptId) => refreshDailyPost(ctx, promptId), ctx.logger, 200);
    for (let i = 0; i < 25; i += 1) throttle.request(posted.prompt.id);
    const post = await fake.waitFor(
      () => {
        const message = fake.message(posted.messageId);
        return message?.editedAt ? message : undefined;
      },
      CONDITION_TIMEOUT_MS,
      'the edit',
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    throttle.stop();
    expect(post.history).toHaveLength(1);
    expect(JSON.stringify(post.embeds)).toContain('"name":"Answers so far","value":"25"');
  });
});
