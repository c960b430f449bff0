import { channelMention, Colors, EmbedBuilder, roleMention } from 'discord.js';
import type { CohortRow } from '../../db/repo/cohorts.ts';
import { databaseState, discordTime, shorten } from './text.ts';
import type { DatabaseProblem } from '../../db/errors.ts';

export type CohortSettings = Pick<
  CohortRow,
  | 'name'
  | 'channelId'
  | 'postTime'
  | 'timeZone'
  | 'days'
  | 'windowHours'
  | 'remindHours'
  | 'paused'
  | 'pausedReason'
  | 'studentRoleId'
  | 'instructorRoleId'
  | 'topics'
>;

/**
 * A cohort's settings as `/setup` shows them after every change. `named`: the server has several cohorts, so the
 * title names this one and its roles and topics are shown; a server with one cohort sees the settings it always had.
 */
export function settingsEmbed(input: {
  cohort: CohortSettings | undefined;
  serverInstructorRoleId: string | null;
  nextPost: Date | null;
  named: boolean;
}): EmbedBuilder {
  const s = input.cohort;
  const embed = new EmbedBuilder()
    .setTitle(shorten(input.named && s ? `Settings · ${s.name}` : 'Settings', 256))
    .setColor(Colors.Blurple);
  const roles = [input.serverInstructorRoleId, s?.instructorRoleId ?? null].filter(
    (role): role is string => role !== null,
  );
  const instructors =
    roles.length > 0 ? `${roles.map(roleMention).join(', ')} and Manage Server` : 'members with Manage Server';
  if (!s?.channelId || !s.postTime || !s.timeZone) {
    return embed
      .setDescription(
        input.named
          ? 'The daily question is not scheduled yet. Use `/setup cohort edit`.'
          : 'The daily question is not scheduled yet. Use `/setup daily`.',
      )
      .addFields({ name: 'Instructors', value: instructors });
  }
  const status = s.pausedReason
    ? shorten(`Paused by the bot: ${s.pausedReason}`, 1024)
    : s.paused
      ? 'Paused (use `/setup resume`)'
      : input.nextPost
        ? `Next post ${discordTime(input.nextPost, 'F')} (${discordTime(input.nextPost, 'R')})`
        : '—';
  embed.addFields(
    { name: 'Daily question', value: status },
    { name: 'Channel', value: channelMention(s.channelId), inline: true },
    { name: 'Time', value: `${s.postTime} ${s.timeZone}`, inline: true },
    { name: 'Days', value: s.days === 'weekdays' ? 'Weekdays' : 'Every day', inline: true },
    { name: 'Answer window', value: `${s.windowHours} h`, inline: true },
    { name: 'Reminders', value: reminderTiming(s.remindHours, s.windowHours), inline: true },
    { name: 'Instructors', value: instructors, inline: true },
  );
  if (input.named) {
    embed.addFields(
      {
        name: 'Students',
        value: s.studentRoleId ? roleMention(s.studentRoleId) : 'everyone in the server',
        inline: true,
      },
      { name: 'Topics', value: s.topics?.length ? shorten(s.topics.join(', '), 1024) : 'all', inline: true },
    );
  }
  return embed;
}

/** When reminders go, as instructors read it; a reminder time not shorter than the window sends none. */
function reminderTiming(remindHours: number, windowHours: number): string {
  if (remindHours === 0) return 'Off';
  if (remindHours >= windowHours) return `${remindHours} h before closing: none, the window is not longer`;
  return `${remindHours} h before closing`;
}

/** The change is saved but the settings could not be read to show it: say both, and how to see them later. */
export function settingsUnavailable(note: string | undefined, problem: DatabaseProblem): string {
  return [note, `Saved. The settings could not be shown (${databaseState(problem)} right now): /setup show shows them.`]
    .filter(Boolean)
    .join('\n');
}
