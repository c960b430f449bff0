import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fake-discord/index.ts';
import { startWorld, textOf, type World } from './world.ts';

/** What an unclosed slug comment made the parser do: backtrack over the whole line for every "slug:". */
const hostileFile = `- What is a closure?\n  <!-- slug: ${'slug: '.repeat(Math.ceil((1024 * 1024 - 64) / 6))}\n`;

describe('the daily channel, the reveal and imports under a real bot', () => {
  let world: World;
  /** A practice question given to a student before any daily post: the bank's first, as the first daily post's. */
  let practice: FakeMessage;
  beforeAll(async () => {
    world = await startWorld();
    practice = (await world.students[0].run('quiz')).message!;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('/daily post refused for good (Missing Permissions): says what happened and what to do, and pauses; /setup resume clears it', async () => {
    const channelId = world.guild.cohortChannel.id;
    const set = await world.instructor.run('setup daily', {
      channel: { id: channelId },
      time: '00:00',
      timezone: 'UTC',
    });
    expect(textOf(set.message)).toMatch(/Next post/);
    world.fake.faults.rest({
      method: 'POST',
      route: `/channels/${channelId}/messages`,
      status: 403,
      code: 50013,
      times: 1,
    });
    const refused = await world.instructor.run('daily post');
    expect(textOf(refused.message)).toMatch(
      /Nothing was posted, and the daily question is paused[\s\S]*Missing Permissions[\s\S]*Send Messages[\s\S]*\/setup resume/,
    );
    expect(textOf(refused.message)).not.toMatch(/in a minute/);
    const shown = await world.instructor.run('setup show');
    expect(textOf(shown.message)).toMatch(/Paused by the bot[\s\S]*Missing Permissions/);
    // The instructor was told in the reply: the owner gets no DM about it.
    expect(world.guild.owner.dms()).toEqual([]);

    const resumed = await world.instructor.run('setup resume');
    expect(textOf(resumed.message)).toMatch(/Next post/);
  });

  it('a practice question given before the daily post shows no reference answer or key points while it is the open daily question', async () => {
    const student = world.students[0];
    const posted = await world.instructor.run('daily post');
    expect(textOf(posted.message)).toMatch(/Posted today's daily question/);
    const post = world.fake.lastChannelMessage(world.guild.cohortChannel.id)!;
    // The case of the issue: the practice question is the one the daily post asks.
    expect((post.embeds[0] as { description: string }).description).toBe(
      (practice.embeds[0] as { description: string }).description,
    );

    await student.click(practice, 'Answer');
    const saved = await student.submitModal('A signed token with claims about the user.');
    const receipt = textOf(saved.message);
    expect(receipt).toMatch(/saved/);
    expect(receipt).toMatch(
      /also today's daily question: its reference answer and key points come with the daily reveal <t:\d+:R>/,
    );
    expect(receipt).not.toMatch(/JSON Web Token|Key points you covered|Key points to review|Suggested grade/);
  });

  it('a 1 MB hostile file is imported or refused at once, and other interactions keep being answered meanwhile', async () => {
    const since = Date.now();
    const [imported, other] = await Promise.all([
      world.instructor.run('questions import', { file: { filename: 'hostile.md', content: hostileFile } }),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => world.students[1].run('leaderboard')),
    ]);
    process.stdout.write(
      `1 MB hostile import answered in ${imported.latencyMs} ms; a leaderboard meanwhile in ${other.latencyMs} ms\n`,
    );
    expect(textOf(imported.message)).toMatch(/Import of hostile\.md/);
    expect(other.latencyMs).toBeLessThan(3000);
    expect(Date.now() - since).toBeLessThan(20_000);
  });

  it('the channel deleted under an open post: /daily close says the reveal cannot be posted and why; /setup show keeps the reason', async () => {
    const elsewhere = { channelId: world.guild.createTextChannel('staff').id };
    world.guild.deleteChannel(world.guild.cohortChannel.id);
    const closed = await world.instructor.run('daily close', {}, elsewhere);
    expect(textOf(closed.message)).toMatch(
      /Closed, but the reveal could not be posted and will not be retried[\s\S]*Unknown Channel[\s\S]*\/setup daily/,
    );
    const shown = await world.instructor.run('setup show', {}, elsewhere);
    expect(textOf(shown.message)).toMatch(/Paused by the bot[\s\S]*no longer exists/);
    expect(world.guild.owner.dms()).toEqual([]);
    world.expectHealthy({ allowErrorCodes: [10003, 50013] });
  });
});
