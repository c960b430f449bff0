import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, FakeMessage } from '../fake-discord/index.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';
import { parseCsv } from '../support/csvParse.ts';
import { buttonLabels, startWorld, textOf, type World } from './world.ts';

/** The wall clock in `timeZone` at `at`, as HH:MM. */
function localTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    at,
  );
}

/** When Discord made a message, from its snowflake. */
const sentAt = (message: FakeMessage) => new Date(Number((BigInt(message.id) >> 22n) + 1420070400000n));
/** A list in a fixed order, to compare lists whose order does not matter. */
const sorted = <T>(items: T[]) => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const mentioned = (message: FakeMessage | undefined) =>
  [...textOf(message).matchAll(/<@(\d+)>/g)].map((match) => match[1]!);

describe('two cohorts in one server, end to end', { timeout: 600_000 }, () => {
  let world: World;
  let ada: Actor; // morning only
  let linus: Actor; // evening only
  let margaret: Actor; // in both
  let eveningChannelId: string;
  let generalChannelId: string;
  let roles: { morning: { id: string }; evening: { id: string } };
  const posts: { morning?: FakeMessage; evening?: FakeMessage } = {};
  const due: { morning?: Date; evening?: Date } = {};

  beforeAll(async () => {
    world = await startWorld();
    [ada, linus, margaret] = world.students;
    const morningRole = world.guild.createRole('Morning cohort');
    const eveningRole = world.guild.createRole('Evening cohort');
    roles = { morning: morningRole, evening: eveningRole };
    ada.addRole(morningRole);
    margaret.addRole(morningRole);
    linus.addRole(eveningRole);
    margaret.addRole(eveningRole);
    eveningChannelId = world.guild.createTextChannel('evening-cohort').id;
    generalChannelId = world.guild.createTextChannel('general').id;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('the server’s first cohort is set up with /setup daily, renamed, and a second added in its own channel, time and zone', async () => {
    const { instructor, guild } = world;
    // Each cohort posts within the next minutes at its own local time: 05:30 h apart and 15 minutes apart in their zones.
    // The first whole minute at least 20 s away (the set-up below takes about a second), then the one after it.
    const minute = Math.ceil((Date.now() + 20_000) / 60_000) * 60_000;
    due.morning = new Date(minute);
    due.evening = new Date(minute + 60_000);
    const daily = await instructor.run('setup daily', {
      channel: { id: guild.cohortChannel.id },
      time: localTime(due.morning, 'Asia/Kolkata'),
      timezone: 'Asia/Kolkata',
    });
    expect(textOf(daily.message)).toMatch(/Next post <t:\d+:F>/);
    const renamed = await instructor.run('setup cohort edit', {
      cohort: 'Cohort 1',
      name: 'Morning',
      student_role: { id: roles.morning.id },
    });
    expect(textOf(renamed.message)).toMatch(/Asia\/Kolkata/);
    // The channel reaches the bot's cache through the gateway; until then /setup says it cannot post there.
    const evening = {
      name: 'Evening',
      channel: { id: eveningChannelId },
      time: localTime(due.evening, 'America/New_York'),
      timezone: 'America/New_York',
      student_role: { id: roles.evening.id },
    };
    let added = await instructor.run('setup cohort add', evening);
    for (let tries = 0; /cannot post/.test(textOf(added.message)) && tries < 20; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      added = await instructor.run('setup cohort add', evening);
    }
    expect(textOf(added.message)).toMatch(/Added \*\*Evening\*\*[\s\S]*Settings · Evening[\s\S]*America\/New_York/);
    // Refusals: a name taken (in any case), a channel taken, the pre-cohort options when there are several.
    expect(
      textOf(
        (
          await instructor.run('setup cohort add', {
            name: 'evening',
            channel: { id: guild.cohortChannel.id },
            time: '10:00',
            timezone: 'UTC',
          })
        ).message,
      ),
    ).toMatch(/has that name/);
    expect(
      textOf(
        (
          await instructor.run('setup cohort add', {
            name: 'Night',
            channel: { id: eveningChannelId },
            time: '10:00',
            timezone: 'UTC',
          })
        ).message,
      ),
    ).toMatch(/posts in that channel/);
    expect(textOf((await instructor.run('setup pause')).message)).toMatch(/2 cohorts: name the one to pause/);
    const list = await instructor.run('setup cohort list');
    expect(list.message!.embeds.map((embed) => embed.title)).toEqual(['Settings · Morning', 'Settings · Evening']);
    const choices = await instructor.autocomplete('review', { cohort: 'eve' }, 'cohort');
    expect(choices.map((choice) => choice.name)).toEqual(['Evening']);
  });

  it('each cohort gets its post in its own channel at its own local time, and not before', async () => {
    const { fake, guild } = world;
    await fake.waitFor(() => fake.channelMessages(guild.cohortChannel.id).length === 1, 4 * 60_000, 'the morning post');
    posts.morning = fake.channelMessages(guild.cohortChannel.id)[0]!;
    expect(sentAt(posts.morning).getTime()).toBeGreaterThanOrEqual(due.morning!.getTime());
    await fake.waitFor(() => fake.channelMessages(eveningChannelId).length === 1, 4 * 60_000, 'the evening post');
    posts.evening = fake.channelMessages(eveningChannelId)[0]!;
    expect(sentAt(posts.evening).getTime()).toBeGreaterThanOrEqual(due.evening!.getTime());
    // Exactly one post per cohort: a minute later there is still one in each channel.
    await new Promise((resolve) => setTimeout(resolve, 61_000));
    expect([
      fake.channelMessages(guild.cohortChannel.id).length,
      fake.channelMessages(eveningChannelId).length,
    ]).toEqual([1, 1]);
  });

  it('answers, points, leaderboards and streaks stay in their cohort; a student in both sees both in /me', async () => {
    const answer = async (student: Actor, post: FakeMessage, body: string) => {
      await student.click(post, 'Answer');
      expect(textOf((await student.submitModal(body)).message)).toMatch(/saved/);
    };
    await answer(ada, posts.morning!, 'A signed token with claims.');
    await answer(margaret, posts.morning!, 'A token signed by the server.');
    await answer(linus, posts.evening!, 'It returns the changed rows.');
    await answer(margaret, posts.evening!, 'It gives back rows.');

    const morningBoard = await ada.run('leaderboard', { period: 'all' }, { channelId: world.guild.cohortChannel.id });
    expect(textOf(morningBoard.message)).toMatch(/Leaderboard · Morning/);
    expect(sorted(mentioned(morningBoard.message))).toEqual(sorted([ada.id, margaret.id]));
    const eveningBoard = await linus.run('leaderboard', { period: 'all' }, { channelId: eveningChannelId });
    expect(textOf(eveningBoard.message)).toMatch(/Leaderboard · Evening/);
    expect(sorted(mentioned(eveningBoard.message))).toEqual(sorted([linus.id, margaret.id]));
    // Outside the cohort channels the caller's cohort role decides; another cohort only if they are in it.
    expect(
      textOf((await linus.run('leaderboard', { period: 'all' }, { channelId: generalChannelId })).message),
    ).toMatch(/Leaderboard · Evening/);
    expect(textOf((await ada.run('leaderboard', { period: 'all' }, { channelId: generalChannelId })).message)).toMatch(
      /Leaderboard · Morning/,
    );
    expect(textOf((await linus.run('leaderboard', { cohort: 'Morning' })).message)).toMatch(
      /not in the cohort "Morning"/,
    );

    const both = await margaret.run('me');
    expect(sorted(both.message!.embeds.map((embed) => embed.title))).toEqual([
      'Your progress · Evening',
      'Your progress · Morning',
    ]);
    for (const embed of both.message!.embeds) expect(JSON.stringify(embed)).toMatch(/1 now · best 1/);
    expect(buttonLabels(both.message)).toContain('Evening: remind by DM');
    // Each panel shows its own cohort's chart.
    expect(both.message!.attachments.map((file) => file.filename)).toEqual(
      both.message!.embeds.map((embed) =>
        (embed.image as { url?: string } | undefined)?.url?.replace('attachment://', ''),
      ),
    );
    expect(new Set(both.message!.attachments.map((file) => file.filename)).size).toBe(2);
    const adaMe = await ada.run('me');
    expect(adaMe.message!.embeds.map((embed) => embed.title)).toEqual(['Your progress']);
    expect(textOf(adaMe.message)).toMatch(/\*\*1\*\* all time/);
  });

  it('an instructor filters /review by cohort; closing one cohort reveals only its post', async () => {
    const { instructor, fake, guild } = world;
    const all = await instructor.run('review');
    expect(textOf(all.message)).toMatch(/4 left/);
    const evening = await instructor.run('review', { cohort: 'Evening' });
    expect(textOf(evening.message)).toMatch(/2 left/);
    const graded = await instructor.click(evening.message!, 'Correct');
    expect(textOf(graded.message)).toMatch(/Graded[\s\S]*1 left/);
    const eveningBoard = await linus.run('leaderboard', { period: 'all', cohort: 'Evening' });
    expect(textOf(eveningBoard.message)).toMatch(/4 points/);
    const morningBoard = await ada.run('leaderboard', { period: 'all', cohort: 'Morning' });
    expect(textOf(morningBoard.message)).not.toMatch(/4 points/);

    expect(textOf((await instructor.run('daily close', { cohort: 'Evening' })).message)).toMatch(/Closed/);
    // The channels also hold the public /leaderboard replies: the reveal is found by its text.
    const reveals = (channelId: string) =>
      fake.channelMessages(channelId).filter((message) => /Reveal/.test(textOf(message)));
    await fake.waitFor(() => reveals(eveningChannelId).length === 1, CONDITION_TIMEOUT_MS, 'the evening reveal');
    expect(textOf(reveals(eveningChannelId)[0])).toMatch(/Reveal[\s\S]*2 students/);
    expect(reveals(guild.cohortChannel.id)).toEqual([]);
    expect(buttonLabels(fake.message(posts.morning!.id))).toContain('Answer');
    expect(buttonLabels(fake.message(posts.evening!.id))).toContain('Answer (disabled)');
  });

  it('/export filters by cohort, and a removed cohort’s answers stay exportable', async () => {
    const { instructor } = world;
    const exportRows = async (options: Record<string, string>) => {
      const result = await instructor.run('export', options);
      const file = result.message!.attachments[0]!;
      return parseCsv(file.text().replace(/^\uFEFF/, '')).slice(1);
    };
    const morning = await exportRows({ cohort: 'Morning' });
    expect(sorted(morning.map((row) => [row[3], row.at(-1)]))).toEqual(
      sorted([
        [ada.id, 'Morning'],
        [margaret.id, 'Morning'],
      ]),
    );
    expect((await exportRows({})).length).toBe(4);

    const removed = await instructor.run('setup cohort remove', { cohort: 'Evening' });
    expect(textOf(removed.message)).toMatch(/Removed \*\*Evening\*\*[\s\S]*answers and points stay/);
    expect(textOf((await instructor.run('setup cohort remove', { cohort: 'Morning' })).message)).toMatch(/only cohort/);
    const choices = await instructor.autocomplete('export', { cohort: 'even' }, 'cohort');
    expect(choices.map((choice) => choice.name)).toEqual(['Evening (removed)']);
    const kept = await exportRows({ cohort: String(choices[0]!.value) });
    expect(sorted(kept.map((row) => [row[3], row.at(-1)]))).toEqual(
      sorted([
        [linus.id, 'Evening'],
        [margaret.id, 'Evening'],
      ]),
    );
    expect(sorted(kept.map((row) => row[8]))).toEqual(['', 'correct']);
    world.expectHealthy();
  });
});
