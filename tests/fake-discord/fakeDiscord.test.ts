import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAPIError } from 'discord.js';
import { startFakeDiscord, type Actor, type FakeDiscord, type Guild } from './index.ts';
import { startPingBot, type PingBot } from '../discord/pingBot.ts';
import { CONDITION_TIMEOUT_MS } from '../support/botProcess.ts';

let fake: FakeDiscord;
let guild: Guild;
let student: Actor;
let instructor: Actor;
let bot: PingBot;

function apiErrorCodes(errors: unknown[]): (number | string)[] {
  return errors
    .filter((error): error is DiscordAPIError => error instanceof DiscordAPIError)
    .map((error) => error.code);
}

beforeAll(async () => {
  fake = await startFakeDiscord();
  guild = fake.createGuild({ name: 'Bootcamp' });
  student = guild.addStudent('Ada Student');
  instructor = guild.addInstructor('Ian Instructor');
  bot = await startPingBot({ apiUrl: fake.apiUrl, token: fake.token, guildId: guild.id });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('fake Discord against a real discord.js client', () => {
  it('delivers READY and GUILD_CREATE so the guild, channel and members are cached', () => {
    const cached = bot.client.guilds.cache.get(guild.id);
    expect(cached?.name).toBe('Bootcamp');
    expect(cached?.channels.cache.has(guild.cohortChannel.id)).toBe(true);
    expect(cached?.members.cache.has(student.id)).toBe(true);
    expect(bot.client.user?.id).toBe(fake.botUserId);
    expect(fake.requests[0]?.route).toBe('/gateway/bot');
  });

  it('stores registered guild commands', () => {
    const [ping] = fake.registeredCommands(guild.id);
    expect(ping?.name).toBe('ping');
    expect(((ping?.options ?? []) as { name: string }[]).map((option) => option.name)).toEqual([
      'mode',
      'topic',
      'file',
    ]);
  });

  it('runs a slash command and gets the reply within 3 s', async () => {
    const result = await student.run('ping', { topic: 'JWT' });
    expect(result.kind).toBe('message');
    expect(result.ephemeral).toBe(false);
    expect(result.message?.content).toBe('pong JWT');
    expect(result.latencyMs).toBeLessThan(3000);
    expect(fake.lastChannelMessage(guild.cohortChannel.id)?.id).toBe(result.message?.id);
  });

  it('types subcommand options from the registered definition and resolves channels', async () => {
    const result = await instructor.run('setup daily', {
      channel: guild.cohortChannel.id,
      time: '09:00',
      timezone: 'Europe/Berlin',
      window_hours: 12,
    });
    expect(result.message?.content).toBe('daily in #cohort at 09:00 Europe/Berlin for 12h');
    await expect(
      instructor.run('setup daily', {
        channel: guild.cohortChannel.id,
        time: '09:00',
        timezone: 'UTC',
        window_hours: 100,
      }),
    ).rejects.toThrow(/<= 72/);
    await expect(instructor.run('setup daily', { time: '09:00', timezone: 'UTC' })).rejects.toThrow(
      /"channel" is required/,
    );
    await expect(instructor.run('setup')).rejects.toThrow(/needs a subcommand/);
  });

  it('hides commands behind default_member_permissions unless a server override is simulated', async () => {
    await expect(student.run('setup show')).rejects.toThrow(/default_member_permissions/);
    expect((await instructor.run('setup show')).message?.content).toBe('manage guild: true');
    const forced = await student.run('setup show', {}, { ignoreDefaultMemberPermissions: true });
    expect(forced.message?.content).toBe('manage guild: false');
  });

  it('answers autocomplete', async () => {
    const choices = await student.autocomplete('ping', { topic: 'j' }, 'topic');
    expect(choices.map((choice) => choice.value)).toEqual(['JWT', 'JSON', 'JavaScript']);
  });

  it('round-trips a button click, a modal and its submission', async () => {
    const { message } = await student.run('ping');
    const click = await student.click(message!, 'Answer');
    expect(click.kind).toBe('modal');
    expect(click.modal?.title).toBe('What is a JWT?');
    const submitted = await student.submitModal('A signed token');
    expect(submitted.kind).toBe('message');
    expect(submitted.ephemeral).toBe(true);
    expect(submitted.message?.content).toBe('saved: A signed token');
    await expect(student.submitModal('again')).rejects.toThrow(/no open modal/);
  });

  it('applies an update to the clicked message and keeps its edit history', async () => {
    const { message } = await student.run('ping');
    const update = await student.click(message!, 'Refresh');
    expect(update.kind).toBe('update');
    expect(fake.message(message!.id)?.content).toBe('refreshed');
    expect(fake.message(message!.id)?.history.map((version) => version.content)).toEqual(['pong']);
  });

  it('waits for the edit of a deferred reply', async () => {
    const result = await student.run('ping', { mode: 'defer' });
    expect(result.kind).toBe('deferred');
    expect(result.ephemeral).toBe(true);
    expect(result.message?.content).toBe('deferred result');
  });

  it('rejects a first response after 3 s with 10062 Unknown interaction', async () => {
    await expect(student.run('ping', { mode: 'late' })).rejects.toThrow(/did not acknowledge/);
    await fake.waitFor(() => apiErrorCodes(bot.caughtErrors).includes(10062), CONDITION_TIMEOUT_MS);
    expect(fake.errors.some((error) => error.code === 10062 && error.status === 404)).toBe(true);
  });

  it('rejects a second acknowledgement with 40060', async () => {
    const result = await student.run('ping', { mode: 'double' });
    expect(result.message?.content).toBe('first');
    await fake.waitFor(() => apiErrorCodes(bot.caughtErrors).includes(40060), CONDITION_TIMEOUT_MS);
    expect(fake.errors.at(-1)).toMatchObject({ status: 400, code: 40060 });
  });

  it('rejects content over 2000 characters with 50035', async () => {
    const result = await student.run('ping', { mode: 'long' });
    expect(result.message?.content).toBe('shortened');
    expect(apiErrorCodes(bot.caughtErrors)).toContain(50035);
    const error = fake.errors.find((item) => item.code === 50035);
    expect(error?.errors).toMatchObject({ data: { content: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } });
  });

  it('delivers DMs and refuses them with 50007 when DMs are closed', async () => {
    expect((await student.run('ping', { mode: 'dm' })).message?.content).toBe('dm sent');
    expect(student.dms().map((message) => message.content)).toEqual(['a direct message']);
    fake.closeDms(student);
    expect((await student.run('ping', { mode: 'dm' })).message?.content).toBe('dm failed');
    expect(apiErrorCodes(bot.caughtErrors)).toContain(50007);
    fake.openDms(student);
  });

  it('records allowed_mentions of channel messages', async () => {
    await student.run('ping', { mode: 'announce' });
    const announcement = fake.lastChannelMessage(guild.cohortChannel.id);
    expect(announcement?.content).toContain('@everyone');
    expect(announcement?.allowedMentions).toEqual({ parse: [] });
    expect(fake.messagesThatCouldPing()).toEqual([]);
  });

  it('lets discord.js retry after a 429 and succeed', async () => {
    fake.faults.rest({
      method: 'POST',
      route: '/interactions/:id/:token/callback',
      status: 429,
      times: 1,
      retryAfterSeconds: 1,
    });
    const result = await student.run('ping');
    expect(result.message?.content).toBe('pong');
    expect(result.latencyMs).toBeGreaterThanOrEqual(1000);
    expect(fake.errors.at(-1)?.status).toBe(429);
    fake.clearFaults();
  });

  it('resumes after a dropped gateway, replaying missed events', async () => {
    fake.dropGateway();
    const role = guild.createRole('Mentors');
    await fake.waitFor(
      () => fake.gatewayStats.resumes === 1 && fake.connectedSessions === 1,
      CONDITION_TIMEOUT_MS,
      'resume',
    );
    expect(fake.gatewayStats.identifies).toBe(1);
    await fake.waitFor(
      () => bot.client.guilds.cache.get(guild.id)?.roles.cache.has(role.id),
      CONDITION_TIMEOUT_MS,
      'replayed role',
    );
    expect((await student.run('ping')).message?.content).toBe('pong');
  });

  it('records unknown routes', async () => {
    await expect(bot.client.rest.get(`/guilds/${guild.id}/bans`)).rejects.toMatchObject({ status: 404 });
    expect(fake.unknownRoutes.map((route) => route.route)).toContain(`/guilds/${guild.id}/bans`);
  });

  it('refuses unrealistic actor calls', async () => {
    const { message } = await student.run('ping');
    await expect(student.click(message!, 'Delete everything')).rejects.toThrow(/no button labelled/);
    await expect(student.run('pong')).rejects.toThrow(/not registered/);
    await expect(student.run('ping', { colour: 'red' })).rejects.toThrow(/no option "colour"/);
    await expect(student.run('ping', { mode: 'loud' })).rejects.toThrow(/must be one of/);
  });

  it('delivers forged component interactions and modal submits', async () => {
    const forged = await student.forgeComponentInteraction(null, 'grade:correct:123');
    expect(forged.message?.content).toBe('unknown component grade:correct:123');
    const modal = await student.forgeModalSubmit('ping:modal', { answer: 'forged' });
    expect(modal.message?.content).toBe('saved: forged');
  });

  it('sends follow-ups, and refuses them once the interaction token expired', async () => {
    const result = await student.run('ping', { mode: 'followup' });
    const [followUp] = await result.waitForFollowUps(1);
    expect(followUp).toMatchObject({ content: 'follow-up', ephemeral: true, visibleToUserId: student.id });
    fake.configure({ tokenLifetimeMs: 100 });
    await student.run('ping', { mode: 'followup' });
    await fake.waitFor(
      () => apiErrorCodes(bot.caughtErrors).includes(50027),
      CONDITION_TIMEOUT_MS,
      'expired token error',
    );
    fake.configure({ tokenLifetimeMs: 15 * 60_000 });
  });

  it('keeps attachment bytes in both directions', async () => {
    const exported = await student.run('ping', { mode: 'export' });
    expect(exported.message?.attachments.map((file) => [file.filename, file.text()])).toEqual([
      ['grades.csv', 'student,grade\nada,correct\n'],
    ]);
    const imported = await student.run('ping', {
      file: { filename: 'exercise.md', content: '# Conceptual Exercise\nWhat is a JWT?' },
    });
    expect(imported.message?.content).toBe('exercise.md: # Conceptual Exercise');
  });

  it('announces guilds created after READY', async () => {
    const later = fake.createGuild({ name: 'Second cohort' });
    await fake.waitFor(() => bot.client.guilds.cache.get(later.id), CONDITION_TIMEOUT_MS, 'second guild cached');
  });

  it('caught only the Discord errors the scenarios provoked, and the fake never crashed', () => {
    const unexpected = bot.caughtErrors.filter(
      (error) =>
        !(error instanceof DiscordAPIError) || ![10062, 40060, 50035, 50007, 50027].includes(Number(error.code)),
    );
    expect(unexpected).toEqual([]);
    expect(fake.fakeInternalErrors).toEqual([]);
  });
});
