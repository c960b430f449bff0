import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonLabels, startWorld, textOf, type World } from './world.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';

describe('the daily question end to end', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('/setup daily validates its input and changes nothing on a bad time or zone', async () => {
    const channel = { id: world.guild.cohortChannel.id };
    const badTime = await world.instructor.run('setup daily', { channel, time: '25:00', timezone: 'Europe/Berlin' });
    expect(textOf(badTime.message)).toMatch(/HH:MM/);
    const badZone = await world.instructor.run('setup daily', { channel, time: '09:00', timezone: 'Mars/Olympus' });
    expect(textOf(badZone.message)).toMatch(/not a time zone/);
    const show = await world.instructor.run('setup show');
    expect(textOf(show.message)).toMatch(/not scheduled yet/);
    const zones = await world.instructor.autocomplete(
      'setup daily',
      { channel, time: '09:00', timezone: 'new_y' },
      'timezone',
    );
    expect(zones.map((zone) => zone.value)).toContain('America/New_York');
  });

  it('/setup daily schedules the post and shows the next post time as a Discord timestamp', async () => {
    const result = await world.instructor.run('setup daily', {
      channel: { id: world.guild.cohortChannel.id },
      time: '09:00',
      timezone: 'america/new_york',
      window_hours: 2,
    });
    const text = textOf(result.message);
    expect(result.ephemeral).toBe(true);
    expect(text).toMatch(/Next post <t:\d+:F>/);
    expect(text).toContain('09:00 America/New_York');
  });

  it('/setup pause and resume stop and restart the schedule', async () => {
    expect(textOf((await world.instructor.run('setup pause')).message)).toMatch(/Paused/);
    const resumed = await world.instructor.run('setup resume');
    expect(textOf(resumed.message)).toMatch(/Next post <t:\d+:F>/);
  });

  it('a student cannot use instructor commands, even when a server override shows them', async () => {
    const refused = await world.students[0].run('daily post', {}, { ignoreDefaultMemberPermissions: true });
    expect(textOf(refused.message)).toMatch(/Only instructors/);
    expect(world.fake.channelMessages(world.guild.cohortChannel.id)).toEqual([]);
  });

  it('posts once, takes three answers, closes with the button disabled, reveals, and refuses a late answer', async () => {
    const channelId = world.guild.cohortChannel.id;
    const posted = await world.instructor.run('daily post');
    expect(textOf(posted.message)).toMatch(/Posted today's daily question/);
    const again = await world.instructor.run('daily post');
    expect(textOf(again.message)).toMatch(/already posted/);
    const posts = world.fake.channelMessages(channelId);
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(textOf(post)).toMatch(/Daily question[\s\S]*Answers close[\s\S]*<t:\d+:R>/);

    const practice = await world.students[0].run('quiz', { topic: 'JWT' });
    expect(textOf(practice.message)).not.toContain('What is a JWT?');
    expect(textOf(post)).toContain('What is a JWT?');

    for (const [index, student] of world.students.entries()) {
      await student.click(post, 'Answer');
      const saved = await student.submitModal(`Answer number ${index + 1}: a signed token with claims.`);
      expect(textOf(saved.message)).toMatch(/saved[\s\S]*reveal <t:\d+:R>[\s\S]*\+1 point/);
    }

    const closed = await world.instructor.run('daily close');
    expect(textOf(closed.message)).toMatch(/Closed/);
    await world.fake.waitFor(
      () => world.fake.channelMessages(channelId).length === 2,
      CONDITION_TIMEOUT_MS,
      'the reveal',
    );
    expect(buttonLabels(world.fake.message(post.id))).toEqual(['Answer (disabled)']);
    expect(textOf(world.fake.message(post.id))).toMatch(/closed[\s\S]*Answers\n3/);
    expect(textOf(world.fake.message(post.id))).not.toContain('Answers so far');
    const reveal = world.fake.channelMessages(channelId)[1]!;
    expect(textOf(reveal)).toMatch(/Reveal[\s\S]*Reference answer[\s\S]*3 students/);

    const late = await world.students[0].forgeModalSubmit(
      (post.components[0] as { components: { custom_id: string }[] }).components[0]!.custom_id.replace(
        'answer',
        'submit',
      ),
      { answer: 'too late' },
    );
    expect(textOf(late.message)).toMatch(/closed/);
    const closeAgain = await world.instructor.run('daily close');
    expect(textOf(closeAgain.message)).toMatch(/no open daily question/);
    world.expectHealthy();
  });
});
