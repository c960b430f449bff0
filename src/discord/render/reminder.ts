import { ActionRowBuilder, ButtonBuilder, ButtonStyle, userMention } from 'discord.js';
import type { ReminderDelivery, ReminderPreference } from '../../db/repo/reminders.ts';
import { componentIds } from '../componentIds.ts';
import { discordTime } from './text.ts';

const REMIND_LABEL = 'Remind me';
/** Discord pings at most 100 users a message (allowed_mentions.users); a message holds 2000 characters. */
const MAX_MENTIONS_PER_MESSAGE = 100;
const MAX_CONTENT = 2000;

export function remindButton(promptId: number): ButtonBuilder {
  return new ButtonBuilder()
    .setCustomId(componentIds.quizRemind.encode({ promptId }))
    .setLabel(REMIND_LABEL)
    .setStyle(ButtonStyle.Secondary);
}

/**
 * The reminder in the daily channel: one message per up to 100 students (fewer when their mentions would pass 2000
 * characters), each pinging exactly the students it names and no one else.
 */
export function channelReminderMessages(input: { userIds: string[]; closesAt: Date; postUrl: string }) {
  const header = `⏰ The daily question closes ${discordTime(input.closesAt, 'R')} and these students have not answered yet: ${input.postUrl}\n`;
  const parts: string[][] = [];
  let current: string[] = [];
  let length = header.length;
  for (const userId of input.userIds) {
    const mention = `${userMention(userId)} `;
    if (current.length === MAX_MENTIONS_PER_MESSAGE || length + mention.length > MAX_CONTENT) {
      parts.push(current);
      current = [];
      length = header.length;
    }
    current.push(userId);
    length += mention.length;
  }
  if (current.length > 0) parts.push(current);
  return parts.map((users) => ({
    content: (header + users.map(userMention).join(' ')).trimEnd(),
    allowedMentions: { parse: [], users },
  }));
}

export function reminderDirectMessage(input: { closesAt: Date; postUrl: string; guildName: string }) {
  return {
    content:
      `⏰ The daily question in **${input.guildName.slice(0, 100)}** closes ${discordTime(input.closesAt, 'R')} and you have not answered yet: ${input.postUrl}\n` +
      'You get this because you asked to be reminded; change it with /me in the server.',
    allowedMentions: { parse: [] },
  };
}

const DELIVERY_TEXT: Record<ReminderDelivery, string> = {
  channel: 'a mention in the daily channel',
  dm: 'a direct message',
};

/** The student's reminder setting in words, with the guild's reminder time. */
export function reminderSettingText(preference: ReminderPreference, remindHours: number): string {
  if (!preference.enabled) return 'Off. Click **Remind me** on a daily post, or choose below.';
  const when =
    remindHours > 0
      ? `${remindHours} h before a daily question closes, if you have not answered it`
      : 'when instructors turn reminders on (they are off in this server now)';
  return `On: ${DELIVERY_TEXT[preference.delivery]}, ${when}.`;
}

/** `/me`'s choice of reminder for one cohort (named when there are several): the current one is shown selected and disabled. */
export function reminderChoiceRow(preference: ReminderPreference, cohort: { id: number; name?: string }) {
  const current: ReminderDelivery | 'off' = preference.enabled ? preference.delivery : 'off';
  const choices: { value: ReminderDelivery | 'off'; label: string }[] = cohort.name
    ? [
        { value: 'channel', label: `${cohort.name.slice(0, 50)}: remind in the channel` },
        { value: 'dm', label: `${cohort.name.slice(0, 50)}: remind by DM` },
        { value: 'off', label: `${cohort.name.slice(0, 50)}: no reminders` },
      ]
    : [
        { value: 'channel', label: 'Remind me in the channel' },
        { value: 'dm', label: 'Remind me by DM' },
        { value: 'off', label: 'No reminders' },
      ];
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    choices.map((choice) =>
      new ButtonBuilder()
        .setCustomId(componentIds.meReminders.encode({ cohortId: cohort.id, choice: choice.value }))
        .setLabel(choice.label)
        .setStyle(choice.value === current ? ButtonStyle.Success : ButtonStyle.Secondary)
        .setDisabled(choice.value === current),
    ),
  );
}
