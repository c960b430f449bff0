import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, prompts } from '../../src/db/schema.ts';
import { startWorld, textOf, type World } from './world.ts';

describe('an interaction that reaches the bot after its 3 s', () => {
  let world: World;
  let postId: string;

  beforeAll(async () => {
    world = await startWorld();
    await world.instructor.run('setup daily', {
      channel: { id: world.guild.cohortChannel.id },
      time: '09:00',
      timezone: 'Europe/Berlin',
    });
    await world.instructor.run('daily post');
    postId = world.fake.lastChannelMessage(world.guild.cohortChannel.id)!.id;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('gets no work (nothing stored the student was never told about), and the student can simply submit again', async () => {
    const [late, onTime] = world.students;
    const post = world.fake.message(postId)!;
    await late.click(post, 'Answer');
    // The bot's process is stopped (a busy host) while the submit waits: it reads it only after Discord's 3 s.
    process.kill(world.bot.pid!, 'SIGSTOP');
    const submitted = late.submitModal('An answer nobody will hear about').then(
      () => 'answered',
      (error: unknown) => String(error),
    );
    await sleep(3500);
    process.kill(world.bot.pid!, 'SIGCONT');
    expect(await submitted).toMatch(/did not acknowledge/);

    // Back from the stop, the bot first catches up with its connection: wait until it answers clicks again.
    for (let attempt = 1; ; attempt++) {
      const opened = await onTime.click(post, 'Answer').then(
        () => true,
        () => false,
      );
      if (opened) break;
      if (attempt === 5) throw new Error('the bot never answered again after SIGCONT');
    }
    expect(textOf((await onTime.submitModal('On time')).message)).toMatch(/Saved/);
    await late.click(post, 'Answer');
    expect(textOf((await late.submitModal('Second try')).message)).toMatch(/Saved/);

    const stored = await world.inspectDatabase(async ({ db }) => {
      const [prompt] = await db.select().from(prompts).where(eq(prompts.messageId, postId));
      return db
        .select({ userId: answers.userId, body: answers.body })
        .from(answers)
        .where(eq(answers.promptId, prompt!.id));
    });
    expect(stored.filter((row) => row.userId === late.id).map((row) => row.body)).toEqual(['Second try']);
    expect(stored.filter((row) => row.userId === onTime.id).map((row) => row.body)).toEqual(['On time']);
  });
});
