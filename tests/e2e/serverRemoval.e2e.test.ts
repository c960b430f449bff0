import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../support/botProcess.ts';
import { startCohorts, type Cohort, type CohortsWorld } from '../support/cohorts.ts';
import { textOf } from './world.ts';

/** The operator's log line for one server, as the bot writes it when it pauses that server's schedules. */
const pausedLine = (guildId: string) => (line: string) =>
  line.includes('removed from a server: its daily questions are paused') && line.includes(`"guildId":"${guildId}"`);

describe('a server that removes the bot', () => {
  let world: CohortsWorld;
  let a: Cohort;
  let b: Cohort;
  let c: Cohort;

  const settings = async (cohort: Cohort) => textOf((await cohort.instructor.run('setup show')).message);

  beforeAll(async () => {
    world = await startCohorts({ guilds: 3, studentsPerGuild: 1 });
    [a, b, c] = world.cohorts as [Cohort, Cohort, Cohort];
    for (const cohort of world.cohorts) {
      const set = await cohort.instructor.run('setup daily', {
        channel: { id: cohort.channelId },
        time: '09:00',
        timezone: 'UTC',
      });
      expect(textOf(set.message)).toMatch(/Next post/);
    }
  });
  afterAll(async () => {
    await world?.close();
  });

  it('removed while the bot runs: that server’s schedule is paused and the operator told once; the others keep theirs', async () => {
    a.guild.removeBot();
    const line = await world.bot.waitForLog(pausedLine(a.guild.id));
    expect(line).toContain('"cohorts":1');
    for (const other of [b, c]) expect(await settings(other)).toMatch(/Next post/);
    expect(world.bot.logs.filter(pausedLine(a.guild.id))).toHaveLength(1);
  });

  it('removed while the bot was stopped: paused as it connects again, and nothing else is', async () => {
    await world.bot.stop();
    b.guild.removeBot();
    // Started means ready: the servers the bot was left out of are paused before the scheduler starts.
    world.bot = await startBot({ env: world.env });
    expect(world.bot.logs.filter(pausedLine(b.guild.id))).toHaveLength(1);
    // A, paused before, is not paused (nor logged) again; C is still in, and still scheduled.
    expect(world.bot.logs.filter(pausedLine(a.guild.id))).toEqual([]);
    expect(await settings(c)).toMatch(/Next post/);
  });

  it('invited back: the first instructor to look is told why it stopped, once, and /setup resume starts it again', async () => {
    // GUILD_CREATE reaches the bot before the interaction below: one gateway session delivers both, in order.
    a.guild.addBotBack();
    const shown = await settings(a);
    expect(shown).toMatch(/Paused by the bot: The bot was removed from this server[\s\S]*\/setup resume/);
    const resumed = textOf((await a.instructor.run('setup resume')).message);
    expect(resumed).toMatch(/Next post/);
    expect(resumed).not.toMatch(/removed from this server/);
    world.expectHealthy();
  });
});
