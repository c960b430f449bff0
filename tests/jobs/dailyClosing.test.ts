import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS } from '../../src/db/repo/daily.ts';
import { closeDueDailyQuestions } from '../../src/jobs/dailyClosing.ts';
import type { FakeDiscord } from '../fake-discord/index.ts';
import { startJobWorld, type JobContext, type JobWorld } from '../support/jobContext.ts';
import { buttonLabels } from '../e2e/world.ts';

describe('closing a daily question', () => {
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

  it('when Discord fails at the closing minute, the closed state and the reveal come later, once', async () => {
    const guild = await world.scheduledGuild({ windowHours: 1 });
    ctx.setNow(new Date('2026-06-01T09:00:00Z'));
    const posted = await world.postDaily(guild, '2026-06-01');
    const channelMessages = () => fake.channelMessages(guild.cohortChannel.id);
    const answerButton = () => JSON.stringify(fake.message(posted.messageId)!.components);

    fake.faults.rest({ route: /\/channels\/\d+\/messages/, status: 500, times: 20 });
    ctx.setNow(new Date('2026-06-01T10:00:00Z'));
    await closeDueDailyQuestions(ctx);
    fake.clearFaults();
    expect(channelMessages()).toHaveLength(1);
    expect(answerButton()).not.toContain('"disabled":true');

    ctx.setNow(new Date(Date.parse('2026-06-01T10:00:00Z') + CLAIM_LEASE_MS + 60_000));
    await closeDueDailyQuestions(ctx);
    await closeDueDailyQuestions(ctx);
    expect(answerButton()).toContain('"disabled":true');
    expect(buttonLabels(fake.message(posted.messageId))).toEqual(['Answer (disabled)']);
    expect(channelMessages()).toHaveLength(2);
    expect(JSON.stringify(channelMessages()[1]!.embeds)).toContain('Reveal');
  });
});
