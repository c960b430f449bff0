import { channelMention, Colors, EmbedBuilder, roleMention } from 'discord.js';
import type { GuildSettings } from '../../db/repo/guildSettings.ts';
import { discordTime, shorten } from './text.ts';

/** The guild's settings as `/setup` shows them after every change. */
export function settingsEmbed(input: { settings: GuildSettings | undefined; nextPost: Date | null }): EmbedBuilder {
  const s = input.settings;
  const embed = new EmbedBuilder().setTitle('Settings').setColor(Colors.Blurple);
  const instructors = s?.instructorRoleId ? `${roleMention(s.instructorRoleId)} and Manage Server` : 'members with Manage Server';
  if (!s?.channelId || !s.postTime || !s.timeZone) {
    return embed
      .setDescription('The daily question is not scheduled yet. Use `/setup daily`.')
      .addFields({ name: 'Instructors', value: instructors });
  }
  const status = s.pausedReason
    ? shorten(`Paused by the bot, because Discord refused the channel. ${s.pausedReason}`, 1024)
    : s.paused
      ? 'Paused (use `/setup resume`)'
      : input.nextPost ? `Next post ${discordTime(input.nextPost, 'F')} (${discordTime(input.nextPost, 'R')})` : '—';
  return embed.addFields(
    { name: 'Daily question', value: status },
    { name: 'Channel', value: channelMention(s.channelId), inline: true },
    { name: 'Time', value: `${s.postTime} ${s.timeZone}`, inline: true },
    { name: 'Days', value: s.days === 'weekdays' ? 'Weekdays' : 'Every day', inline: true },
    { name: 'Answer window', value: `${s.windowHours} h`, inline: true },
    { name: 'Reminders', value: reminderTiming(s.remindHours, s.windowHours), inline: true },
    { name: 'Instructors', value: instructors, inline: true },
  );
}

/** When reminders go, as instructors read it; a reminder time not shorter than the window sends none. */
function reminderTiming(remindHours: number, windowHours: number): string {
  if (remindHours === 0) return 'Off';
  if (remindHours >= windowHours) return `${remindHours} h before closing: none, the window is not longer`;
  return `${remindHours} h before closing`;
}
