import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAnswer } from '../../src/db/repo/answers.ts';
import { CLAIM_LEASE_MS } from '../../src/db/repo/daily.ts';
import { claimReminder, findReminder, setReminderPreference } from '../../src/db/repo/reminders.ts';
import { sendDueReminders } from '../../src/jobs/dailyReminders.ts';
import type { Actor, FakeDiscord, FakeMessage, Guild } from '../fake-discord/index.ts';
import { engines } from '../support/database.ts';
import { suggesting } from '../support/fixtures.ts';
import { startJobWorld, type JobContext, type JobWorld } from '../support/jobContext.ts';
import { cohortIdOf } from '../support/cohortRows.ts';

const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;
const mentionedIn = (message: FakeMessage) => [...message.content.matchAll(/<@(\d+)>/g)].map((match) => match[1]!);

for (const engine of engines) {
  describe(`the daily reminder job [${engine}]`, () => {
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

    /** A guild whose daily question was posted at 09:00 UTC on `date` (a 24 h window: the reminder is due at 06:00 the next day). */
    async function postedGuild(date: string) {
      const guild = await world.scheduledGuild();
      ctx.setNow(at(`${date}T09:00:00Z`));
      const posted = await world.postDaily(guild, date);
      return { guild, posted, due: new Date(posted.prompt.closesAt!.getTime() - 3 * 3_600_000) };
    }
    async function optIn(guild: Guild, actors: Actor[], delivery: 'channel' | 'dm') {
      for (const actor of actors)
        await setReminderPreference(
          ctx.db,
          { guildId: guild.id, cohortId: await cohortIdOf(ctx.db, guild.id) },
          actor.id,
          delivery,
          ctx.now(),
        );
    }
    const reminders = (guild: Guild) =>
      fake.channelMessages(guild.cohortChannel.id).filter((m) => m.content.includes('have not answered'));
    const tick = async (when: Date) => {
      ctx.setNow(when);
      await sendDueReminders(ctx);
    };

    it('mentions exactly the opted-in students who have not answered, at most 100 a message, and DMs those who chose it', async () => {
      const { guild, posted, due } = await postedGuild('2026-08-01');
      const inChannel = Array.from({ length: 130 }, (_, i) => guild.addStudent(`Student ${i}`));
      const byDm = [guild.addStudent('Dora'), guild.addStudent('Dmitri')];
      const closedDms = guild.addStudent('Closed');
      fake.closeDms(closedDms);
      const answered = guild.addStudent('Early bird');
      const notOptedIn = guild.addStudent('Quiet');
      await optIn(guild, [...inChannel, answered], 'channel');
      await optIn(guild, [...byDm, closedDms], 'dm');
      const saved = await recordAnswer(ctx.db, {
        guildId: guild.id,
        promptId: posted.prompt.id,
        userId: answered.id,
        userName: 'E',
        body: 'Signed claims.',
        suggest: suggesting('correct'),
        now: ctx.now(),
      });
      expect(saved.status).toBe('saved');

      await tick(new Date(due.getTime() - minutes(1)));
      expect(reminders(guild)).toEqual([]);
      await tick(due);
      const sent = reminders(guild);
      expect(sent.length).toBeGreaterThanOrEqual(2);
      for (const message of sent) {
        expect(message.allowedMentions).toEqual({ parse: [], users: mentionedIn(message) });
        expect(mentionedIn(message).length).toBeLessThanOrEqual(100);
        expect(message.content.length).toBeLessThanOrEqual(2000);
        expect(message.content).toContain(posted.messageId);
      }
      // A student whose DMs are closed is mentioned in the channel instead.
      expect(sent.flatMap(mentionedIn).sort()).toEqual([...inChannel, closedDms].map((a) => a.id).sort());
      expect(sent.flatMap(mentionedIn)).not.toContain(notOptedIn.id);
      for (const student of byDm) {
        expect(student.dms()).toHaveLength(1);
        expect(student.dms()[0]!.content).toMatch(/closes <t:\d+:R> and you have not answered/);
      }
      expect(closedDms.dms()).toEqual([]);
      expect(answered.dms()).toEqual([]);
      expect((await findReminder(ctx.db, posted.prompt.id))?.sentAt).toEqual(due);

      // Later ticks, including one past any retry wait, send nothing more.
      await tick(new Date(due.getTime() + minutes(1)));
      await tick(new Date(due.getTime() + minutes(90)));
      expect(reminders(guild)).toHaveLength(sent.length);
      for (const student of byDm) expect(student.dms()).toHaveLength(1);
    });

    it('a crash after sending, before recording, does not show the reminder twice', async () => {
      const { guild, posted, due } = await postedGuild('2026-08-03');
      const ada = guild.addStudent('Ada');
      const dora = guild.addStudent('Dora');
      await optIn(guild, [ada], 'channel');
      await optIn(guild, [dora], 'dm');
      const claim = await claimReminder(ctx.db, posted.prompt.id, guild.id, due);
      expect(claim).toBeDefined();
      // The process sent the channel part and the DM, then died before recording either.
      const channel = await ctx.client.channels.fetch(guild.cohortChannel.id);
      if (!channel?.isSendable()) throw new Error('channel');
      await channel.send({
        content: 'sent, then the process died: have not answered',
        nonce: `remind-${posted.prompt.id}-0`,
        enforceNonce: true,
      });
      await ctx.client.users.send(dora.id, {
        content: 'sent, then the process died',
        nonce: `remind-${posted.prompt.id}`,
        enforceNonce: true,
      });

      await tick(new Date(due.getTime() + minutes(1)));
      expect(reminders(guild)).toHaveLength(1);
      await tick(new Date(due.getTime() + CLAIM_LEASE_MS + minutes(1)));
      expect(reminders(guild)).toHaveLength(1);
      expect(dora.dms()).toHaveLength(1);
      expect((await findReminder(ctx.db, posted.prompt.id))?.sentAt).not.toBeNull();
    });

    it('a Discord 500 is retried after the lease and sends once', async () => {
      const { guild, due } = await postedGuild('2026-08-05');
      const ada = guild.addStudent('Ada');
      await optIn(guild, [ada], 'channel');
      fake.faults.rest({
        method: 'POST',
        route: `/channels/${guild.cohortChannel.id}/messages`,
        status: 500,
        times: 10,
      });
      await tick(due);
      fake.clearFaults();
      expect(reminders(guild)).toEqual([]);
      await tick(new Date(due.getTime() + minutes(1)));
      expect(reminders(guild)).toEqual([]);
      await tick(new Date(due.getTime() + CLAIM_LEASE_MS + minutes(1)));
      await tick(new Date(due.getTime() + CLAIM_LEASE_MS + minutes(2)));
      expect(reminders(guild).map(mentionedIn)).toEqual([[ada.id]]);
    });
  });
}
