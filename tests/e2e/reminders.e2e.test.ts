import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { dailyReminders, prompts } from '../../src/db/schema.ts';
import type { FakeMessage } from '../fake-discord/index.ts';
import { buttonLabels, describeWorldOnEachEngine, textOf } from './world.ts';

const mentionedIn = (message: FakeMessage) => [...message.content.matchAll(/<@(\d+)>/g)].map((match) => match[1]!);
const customIdOf = (message: FakeMessage, index: number) =>
  (message.components[0] as { components: { custom_id: string }[] }).components[index]!.custom_id;

describeWorldOnEachEngine('reminders to students who have not answered, end to end', (get) => {
  it('students opt in on the daily post and in /me; one reminder at the set time, exactly once across a restart', async () => {
    const { world, withBotStopped } = get();
    const { fake, guild, instructor } = world;
    const [ada, linus, margaret] = world.students;
    const alan = guild.addStudent('Alan');
    const channelId = guild.cohortChannel.id;
    const setup = await instructor.run('setup daily', {
      channel: { id: channelId },
      time: '09:00',
      timezone: 'UTC',
      remind_hours: 3,
    });
    expect(textOf(setup.message)).toMatch(/Reminders\n3 h before closing/);
    await instructor.run('daily post');
    const post = fake.lastChannelMessage(channelId)!;
    expect(buttonLabels(post)).toEqual(['Answer', 'Remind me']);
    const remindId = customIdOf(post, 1);

    const on = await ada.click(post, 'Remind me');
    expect(on.ephemeral).toBe(true);
    expect(textOf(on.message)).toMatch(/Reminders on\. On: a mention in the daily channel, 3 h before/);
    await margaret.click(post, 'Remind me');
    const off = await margaret.click(post, 'Remind me');
    expect(textOf(off.message)).toMatch(/Reminders off\./);
    await alan.click(post, 'Remind me');
    await alan.click(post, 'Answer');
    expect(textOf((await alan.submitModal('A signed token with claims.')).message)).toMatch(/saved/);

    await linus.click(post, 'Remind me');
    const me = await linus.run('me');
    expect(textOf(me.message)).toMatch(/Reminders\nOn: a mention in the daily channel/);
    const dm = await linus.click(me.message!, 'Remind me by DM');
    expect(textOf(dm.message)).toMatch(/On: a direct message, 3 h before/);

    // Forged: a Remind me for a prompt that is no daily post of this server changes nothing.
    const practice = await margaret.run('quiz');
    const practiceId = customIdOf(practice.message!, 0).replace('answer', 'remind');
    for (const forged of [practiceId, 'quiz:remind:999999', 'quiz:remind:x']) {
      expect(textOf((await margaret.forgeComponentInteraction(post, forged)).message)).toMatch(/not valid/);
    }
    expect(textOf((await margaret.run('me')).message)).toMatch(/Reminders\nOff/);
    // A student of another server clicking (or forging) this server's Remind me changes nothing.
    const other = fake.createGuild({ name: 'Another cohort' });
    const eve = other.addStudent('Eve');
    expect(textOf((await eve.forgeComponentInteraction(null, remindId)).message)).toMatch(/not valid/);

    // Three hours before closing (the post is moved 21 hours into its window).
    const promptId = Number(customIdOf(post, 0).split(':')[2]);
    await withBotStopped((db) =>
      db
        .update(prompts)
        .set({
          postedAt: sql`now() - interval '21 hours 1 minute'`,
          closesAt: sql`now() + interval '2 hours 59 minutes'`,
        })
        .where(eq(prompts.id, promptId)),
    );
    await world.bot.waitForLog(/daily reminder sent/, 20_000);
    const reminders = () =>
      fake.channelMessages(channelId).filter((message) => message.content.includes('have not answered'));
    expect(reminders()).toHaveLength(1);
    const reminder = reminders()[0]!;
    expect(mentionedIn(reminder)).toEqual([ada.id]);
    expect(reminder.allowedMentions).toEqual({ parse: [], users: [ada.id] });
    expect(fake.messagesThatCouldPing().map((payload) => payload.allowedMentions)).toEqual([
      { parse: [], users: [ada.id] },
    ]);
    expect(linus.dms().filter((message) => message.content.includes('you have not answered'))).toHaveLength(1);
    expect(alan.dms()).toEqual([]);

    // A process that sent everything and died before recording it: after the lease the next start sends nothing new.
    await withBotStopped((db) =>
      db
        .update(dailyReminders)
        .set({ sentAt: null, channelPartsDone: 0, dmsDone: [], claimedAt: sql`now() - interval '10 minutes'` })
        .where(eq(dailyReminders.promptId, promptId)),
    );
    await world.bot.waitForLog(/daily reminder sent/, 20_000);
    expect(reminders()).toHaveLength(1);
    expect(linus.dms().filter((message) => message.content.includes('you have not answered'))).toHaveLength(1);
    // And a plain restart: the reminder is recorded as sent.
    await world.restartBot();
    await instructor.run('setup show');
    expect(reminders()).toHaveLength(1);

    // A closed post loses the button, and a stale click is refused.
    await instructor.run('daily close');
    await fake.waitFor(() => buttonLabels(fake.message(post.id)).length === 1, 5000, 'the closed post');
    expect(buttonLabels(fake.message(post.id))).toEqual(['Answer (disabled)']);
    const stale = await ada.forgeComponentInteraction(post, remindId);
    expect(textOf(stale.message)).toMatch(/has closed/);
    expect(world.bot.unhandledErrors()).toEqual([]);
  });
});
