import { ChannelType, PermissionFlagsBits } from 'discord.js';
import type { AppContext } from '../src/context.ts';
import { dailyPromptOn, lastPostedDate } from '../src/db/repo/daily.ts';
import { databaseKnowsTimeZone, getGuildSettings, hasDailySchedule, scheduleOf, takePauseNotice, updateGuildSettings } from '../src/db/repo/guildSettings.ts';
import { rebuildScoreTotals } from '../src/db/repo/leaderboard.ts';
import { slashCommand, type Command, type SlashInteraction } from '../src/discord/command.ts';
import { settingsEmbed } from '../src/discord/render/settings.ts';
import { UserError } from '../src/errors.ts';
import { addLocalDays, canonicalTimeZone, formatTime, isScheduledDay, localDateOf, parseTime, postInstantFor, timeZoneNames, type DailySchedule } from '../src/quiz/schedule.ts';

const REQUIRED_CHANNEL_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.ReadMessageHistory,
] as const;

export const setup: Command = {
  data: slashCommand('setup', 'Configure the daily question and the instructor role', 'instructors')
    .addSubcommand((sub) =>
      sub
        .setName('daily')
        .setDescription('Schedule the daily question')
        .addChannelOption((o) =>
          o.setName('channel').setDescription('Where to post it').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
        )
        .addStringOption((o) => o.setName('time').setDescription('Local time, HH:MM (24 h), e.g. 09:00').setRequired(true).setMaxLength(5))
        .addStringOption((o) =>
          o.setName('timezone').setDescription('IANA time zone, e.g. America/New_York').setRequired(true).setAutocomplete(true).setMaxLength(64),
        )
        .addIntegerOption((o) => o.setName('window_hours').setDescription('Hours to answer (default 24)').setMinValue(1).setMaxValue(72))
        .addStringOption((o) =>
          o.setName('days').setDescription('Every day (default) or weekdays only').addChoices({ name: 'every day', value: 'every' }, { name: 'weekdays', value: 'weekdays' }),
        )
        .addIntegerOption((o) =>
          o.setName('remind_hours').setDescription('Remind students who asked, this many hours before closing (default 3, 0: off)').setMinValue(0).setMaxValue(72),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('instructors')
        .setDescription('Set the instructor role')
        .addRoleOption((o) => o.setName('role').setDescription('Members with this role can grade and configure').setRequired(true)),
    )
    .addSubcommand((sub) => sub.setName('show').setDescription('Show the current settings and the next post time'))
    .addSubcommand((sub) => sub.setName('pause').setDescription('Stop posting the daily question'))
    .addSubcommand((sub) => sub.setName('resume').setDescription('Start posting the daily question again')),
  instructorOnly: true,

  execute: {
    mode: 'ephemeral',
    async run(interaction, ctx, respond) {
      const sub = interaction.options.getSubcommand();
      if (sub === 'daily') await configureDaily(interaction, ctx);
      else if (sub === 'instructors') {
        const role = interaction.options.getRole('role', true);
        await updateGuildSettings(ctx.db, interaction.guildId, { instructorRoleId: role.id });
      } else if (sub === 'pause' || sub === 'resume') {
        const settings = await getGuildSettings(ctx.db, interaction.guildId);
        if (!hasDailySchedule(settings)) throw new UserError('There is no daily question to pause or resume yet. Use /setup daily first.');
        await updateGuildSettings(ctx.db, interaction.guildId, { paused: sub === 'pause', pausedReason: null, pauseNoticeAt: null });
      }
      // The settings shown below give the reason of a pause the bot made: that tells this instructor of it.
      await takePauseNotice(ctx.db, interaction.guildId, ctx.now());
      await respond.send({ embeds: [await describeSettings(interaction, ctx)] });
    },
  },

  async autocomplete(interaction) {
    const typed = interaction.options.getFocused().toLowerCase().replace(/\s+/g, '_');
    const names = timeZoneNames().filter((name) => name.toLowerCase().includes(typed));
    await interaction.respond(names.slice(0, 25).map((name) => ({ name, value: name })));
  },
};

async function configureDaily(interaction: SlashInteraction, ctx: AppContext): Promise<void> {
  const time = parseTime(interaction.options.getString('time', true));
  if (!time) throw new UserError('The time must be HH:MM in 24-hour format, for example 09:00 or 17:30.');
  const rawZone = interaction.options.getString('timezone', true);
  const timeZone = canonicalTimeZone(rawZone);
  if (!timeZone || !(await databaseKnowsTimeZone(ctx.db, timeZone))) throw new UserError(`"${rawZone.slice(0, 64)}" is not a time zone. Pick one from the list, e.g. America/New_York or Europe/Berlin.`);
  const windowHours = interaction.options.getInteger('window_hours') ?? 24;
  if (windowHours < 1 || windowHours > 72) throw new UserError('The answer window must be between 1 and 72 hours.');
  const days = interaction.options.getString('days') === 'weekdays' ? 'weekdays' : 'every';
  // Left out, the reminder time stays as it was (3 hours at first).
  const remindHours = interaction.options.getInteger('remind_hours') ?? undefined;
  if (remindHours !== undefined && (remindHours < 0 || remindHours > 72)) throw new UserError('The reminder time must be between 0 (off) and 72 hours.');
  const channel = interaction.options.getChannel('channel', true);
  const resolved = interaction.guild?.channels.cache.get(channel.id);
  const me = interaction.guild?.members.me;
  if (!resolved || !resolved.isSendable() || !me || !REQUIRED_CHANNEL_PERMISSIONS.every((p) => resolved.permissionsFor(me).has(p))) {
    throw new UserError(`The bot cannot post in <#${channel.id}>: it needs View Channel, Send Messages, Embed Links and Read Message History there.`);
  }
  const postTime = formatTime(time);
  const now = ctx.now();
  const today = localDateOf(now, timeZone);
  // Set up after today's time has passed: start tomorrow rather than posting at once.
  const startsOn = now >= postInstantFor(today, { time: postTime, timeZone, days }) ? addLocalDays(today, 1) : today;
  const previous = await getGuildSettings(ctx.db, interaction.guildId);
  await ctx.db.transaction(async (tx) => {
    await updateGuildSettings(tx, interaction.guildId, {
      channelId: channel.id,
      postTime,
      timeZone,
      windowHours,
      days,
      startsOn,
      paused: false,
      pausedReason: null,
      pauseNoticeAt: null,
      ...(remindHours === undefined ? {} : { remindHours }),
    });
    // Weeks and months of the leaderboard follow the guild's zone: recount them when it changes.
    if ((previous?.timeZone ?? 'UTC') !== timeZone) await rebuildScoreTotals(tx, interaction.guildId);
  });
}

async function describeSettings(interaction: SlashInteraction, ctx: AppContext) {
  const settings = await getGuildSettings(ctx.db, interaction.guildId);
  if (!hasDailySchedule(settings)) return settingsEmbed({ settings, nextPost: null });
  if (settings.paused) return settingsEmbed({ settings, nextPost: null });
  const now = ctx.now();
  const today = localDateOf(now, settings.timeZone);
  const postedToday = Boolean(await dailyPromptOn(ctx.db, settings.guildId, today));
  const lastDate = await lastPostedDate(ctx.db, settings.guildId);
  // The first date that may still get a post: not before startsOn, and after the last date posted (in any zone).
  const earliest = [postedToday ? addLocalDays(today, 1) : today, settings.startsOn ?? today, lastDate ? addLocalDays(lastDate, 1) : today].sort().at(-1)!;
  return settingsEmbed({ settings, nextPost: firstPostFrom(now, scheduleOf(settings), earliest) });
}

/** When the first post on or after `earliest` happens: at once if that is today and its time has passed. */
function firstPostFrom(now: Date, schedule: DailySchedule, earliest: string): Date {
  let day = earliest;
  while (!isScheduledDay(day, schedule.days)) day = addLocalDays(day, 1);
  const at = postInstantFor(day, schedule);
  return at > now ? at : new Date(now.getTime());
}
