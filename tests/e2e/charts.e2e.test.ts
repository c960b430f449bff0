import { expect, it } from 'vitest';
import { decodePng } from '../support/chartImage.ts';
import { describeWorldOnEachEngine, textOf } from './world.ts';

const imageUrl = (embed: unknown) => (embed as { image?: { url: string } }).image?.url;

describeWorldOnEachEngine('charts in /stats and /me, end to end', (get) => {
  it('are acknowledged first, then attached as PNGs shown in the embed, with their figures in words', async () => {
    const { world } = get();
    const [ada, linus] = world.students;
    const channelId = world.guild.cohortChannel.id;
    await world.instructor.run('setup daily', { channel: { id: channelId }, time: '09:00', timezone: 'UTC' });
    await world.instructor.run('daily post');
    const post = world.fake.lastChannelMessage(channelId)!;
    for (const [student, text] of [
      [ada, 'A signed token with claims about the user, used for authentication.'],
      [linus, 'No idea.'],
    ] as const) {
      await student.click(post, 'Answer');
      expect(textOf((await student.submitModal(text)).message)).toContain('saved');
    }
    const card = (await world.instructor.run('review')).message!;
    await world.instructor.click(card, 'Correct');

    const stats = await world.instructor.run('stats');
    expect(stats.kind).toBe('deferred');
    const [statsChart] = stats.message!.attachments;
    expect(statsChart?.filename).toBe('stats.png');
    expect(decodePng(statsChart!.bytes).width).toBe(900);
    expect(imageUrl(stats.message!.embeds[0])).toBe('attachment://stats.png');
    expect(statsChart?.description).toMatch(/jwt-what 1, 0, 0, 1;/);

    const me = await ada.run('me');
    expect(me.kind).toBe('deferred');
    const [meChart] = me.message!.attachments;
    expect(meChart?.filename).toMatch(/\.png$/);
    expect(decodePng(meChart!.bytes).width).toBeGreaterThan(300);
    expect(imageUrl(me.message!.embeds[0])).toBe(`attachment://${meChart!.filename}`);
    expect(meChart?.description).toMatch(/JWT[^.;]*4/);
    world.expectHealthy();
  });

  it('a student with no points yet gets /me without a chart rather than empty axes', async () => {
    const { world } = get();
    const newcomer = world.guild.addStudent('Newcomer');
    const me = await newcomer.run('me');
    expect(me.message!.attachments).toEqual([]);
    expect(imageUrl(me.message!.embeds[0])).toBeUndefined();
  });
});
