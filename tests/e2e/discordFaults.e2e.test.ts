import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCohorts, type Cohort, type CohortsWorld } from '../support/cohorts.ts';
import { textOf } from './world.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';

const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;

/** Interaction callbacks Discord refused because the interaction was already acknowledged (a double acknowledgement). */
const doubleAcks = (world: CohortsWorld) => world.fake.errors.filter((error) => error.code === 40060);

describe('Discord misbehaving under a running bot: dropped gateway, 500s, slow responses', () => {
  let world: CohortsWorld;
  let faults = 0;
  // One guild per daily-question scenario: each guild posts at most once per local date.
  let gateway: Cohort;
  let replyFault: Cohort;
  let postFault: Cohort;
  let slow: Cohort;

  async function schedule(cohort: Cohort): Promise<void> {
    const set = await cohort.instructor.run('setup daily', {
      channel: { id: cohort.channelId },
      time: '09:00',
      timezone: 'Europe/Berlin',
    });
    expect(textOf(set.message)).toMatch(/Next post/);
  }

  beforeAll(async () => {
    world = await startCohorts({ guilds: 4, studentsPerGuild: 2 });
    [gateway, replyFault, postFault, slow] = world.cohorts as [Cohort, Cohort, Cohort, Cohort];
  });
  afterAll(async () => {
    await world?.close();
  });

  it('after a dropped gateway connection the bot resumes and answers an interaction sent while it was away', async () => {
    const since = world.checkpoint();
    const before = { ...world.fake.gatewayStats };
    for (let drop = 1; drop <= 3; drop += 1) {
      world.fake.dropGateway();
      faults += 1;
      // Sent at once: it waits in the session's replay buffer until the bot resumes.
      const quiz = await gateway.students[0]!.run('quiz');
      expect(textOf(quiz.message)).toMatch(/Practice question/);
      expect(quiz.latencyMs).toBeLessThan(3000);
      await world.fake.waitFor(
        () => world.fake.gatewayStats.resumes >= before.resumes + drop,
        CONDITION_TIMEOUT_MS,
        `resume ${drop}`,
      );
    }
    const after = world.fake.gatewayStats;
    expect(after.drops - before.drops).toBeGreaterThanOrEqual(3);
    expect(after.resumes - before.resumes).toBe(3);
    expect(after.identifies).toBe(before.identifies);
    expect(after.invalidSessions).toBe(before.invalidSessions);
    const next = await gateway.students[1]!.run('quiz');
    expect(textOf(next.message)).toMatch(/Practice question/);
    world.expectHealthy({ since });
  });

  it('a 500 on the reply to /daily post is retried: the instructor gets the reply and the channel one post', async () => {
    const since = world.checkpoint();
    await schedule(replyFault);
    world.fake.faults.rest({ method: 'POST', route: CALLBACK, status: 500, times: 1 });
    faults += 1;
    const posted = await replyFault.instructor.run('daily post');
    expect(textOf(posted.message)).toMatch(/Posted today's daily question/);
    expect(world.fake.channelMessages(replyFault.channelId)).toHaveLength(1);
    expect(world.fake.errors.slice(since.errors).map((error) => error.status)).toEqual([500]);
    const again = await replyFault.instructor.run('daily post');
    expect(textOf(again.message)).toMatch(/already posted/);
    expect(world.fake.channelMessages(replyFault.channelId)).toHaveLength(1);
    world.expectHealthy({ since, allowErrorCodes: [0] });
  });

  it('a 500 on the channel post: the instructor is told it failed, and the retry posts exactly once', async () => {
    await schedule(postFault);
    world.fake.faults.rest({
      method: 'POST',
      route: `/channels/${postFault.channelId}/messages`,
      status: 500,
      times: 10,
    });
    faults += 1;
    const failed = await postFault.instructor.run('daily post');
    world.fake.clearFaults();
    expect(failed.ephemeral).toBe(true);
    expect(failed.latencyMs).toBeLessThan(3000);
    expect(textOf(failed.message)).toMatch(/again/i);
    expect(textOf(failed.message)).not.toMatch(/Posted today's/);
    expect(world.fake.channelMessages(postFault.channelId)).toHaveLength(0);

    const retried = await postFault.instructor.run('daily post');
    expect(textOf(retried.message), 'the retry posts the daily question').toMatch(/Posted today's daily question/);
    expect(world.fake.channelMessages(postFault.channelId)).toHaveLength(1);
    const third = await postFault.instructor.run('daily post');
    expect(textOf(third.message)).toMatch(/already posted/);
    expect(world.fake.channelMessages(postFault.channelId)).toHaveLength(1);
  });

  it('slow Discord responses never make the bot acknowledge an interaction twice', async () => {
    const since = world.checkpoint();
    await schedule(slow);
    const student = slow.students[0]!;

    // A slow callback after a fast handler: the reply is in flight past the auto-defer time.
    world.fake.faults.slow({ method: 'POST', route: CALLBACK, delayMs: 1800, times: 1 });
    const quiz = await student.run('quiz');
    expect(quiz.kind).toBe('message');
    expect(textOf(quiz.message)).toMatch(/Practice question/);

    // A slow channel post: the handler outlives the auto-defer time, and the deferral itself is slow too.
    world.fake.faults.slow({ method: 'POST', route: `/channels/${slow.channelId}/messages`, delayMs: 1800, times: 1 });
    world.fake.faults.slow({ method: 'POST', route: CALLBACK, delayMs: 900, times: 1 });
    const posted = await slow.instructor.run('daily post');
    expect(posted.kind).toBe('deferred');
    expect(textOf(posted.message)).toMatch(/Posted today's daily question/);
    expect(world.fake.channelMessages(slow.channelId)).toHaveLength(1);

    // Slow modal and slow submit callbacks on the daily answer.
    const post = world.fake.lastChannelMessage(slow.channelId)!;
    world.fake.faults.slow({ method: 'POST', route: CALLBACK, delayMs: 1700, times: 2 });
    const modal = await student.click(post, 'Answer');
    expect(modal.kind).toBe('modal');
    const saved = await student.submitModal('Slowly: a signed token with claims');
    expect(textOf(saved.message)).toMatch(/is saved/);

    // A slow grade click (update in place) and a slow follow-up for the second click.
    const queue = await slow.instructor.run('review');
    world.fake.faults.slow({ method: 'POST', route: CALLBACK, delayMs: 2000, times: 1 });
    const graded = await slow.instructor.click(queue.message!, 'Correct');
    expect(graded.kind).toBe('update');
    expect(textOf(graded.message)).toMatch(/Graded/);
    world.fake.clearFaults();
    faults += 6;

    expect(doubleAcks(world)).toEqual([]);
    world.expectHealthy({ since });
  });

  it('the bot is still healthy after every fault: one more round of commands works', async () => {
    process.stdout.write(`Discord faults injected: ${faults}\n`);
    for (const cohort of world.cohorts) {
      const board = await cohort.students[0]!.run('leaderboard');
      expect(textOf(board.message)).toMatch(/Leaderboard|No points/i);
    }
    expect(world.bot.exitCode).toBeNull();
    expect(doubleAcks(world)).toEqual([]);
  });
});
