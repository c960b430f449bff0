import { Colors, EmbedBuilder, userMention } from 'discord.js';
import { answerButtonRow } from './question.ts';
import { remindButton } from './reminder.ts';
import { discordTime, fieldValue, plural, shorten, studentText } from './text.ts';

export interface DailyPostView {
  promptId: number;
  localDate: string;
  question: string;
  topic: string;
  closesAt: Date;
  answerCount: number;
  closed: boolean;
}

/**
 * The daily post: the question, the deadline, the answer count, the Answer and Remind me buttons. Once closed the
 * Answer button stays, disabled, so the channel still reads as a question that was asked and has closed; Remind me goes.
 */
export function dailyPostMessage(view: DailyPostView) {
  const embed = new EmbedBuilder()
    .setTitle(view.closed ? `Daily question · ${view.localDate} · closed` : `Daily question · ${view.localDate}`)
    .setDescription(shorten(view.question, 4000))
    .setColor(view.closed ? Colors.Greyple : Colors.Yellow)
    .addFields(
      { name: 'Topic', value: fieldValue(view.topic), inline: true },
      {
        name: view.closed ? 'Closed' : 'Answers close',
        value: view.closed ? discordTime(view.closesAt, 'f') : discordTime(view.closesAt, 'R'),
        inline: true,
      },
      { name: view.closed ? 'Answers' : 'Answers so far', value: String(view.answerCount), inline: true },
    );
  return {
    embeds: [embed],
    components: [
      view.closed
        ? answerButtonRow(view.promptId, { disabled: true })
        : answerButtonRow(view.promptId).addComponents(remindButton(view.promptId)),
    ],
  };
}

/** The reveal after the window: the reference answer, how many answered, and the answers instructors starred. */
export function revealMessage(input: {
  question: string;
  referenceAnswer: string | null;
  answerCount: number;
  starred: { userId: string; body: string }[];
}) {
  const embed = new EmbedBuilder()
    .setTitle('Reveal')
    .setColor(Colors.Green)
    .setDescription(shorten(input.question, 1000))
    .addFields(
      {
        name: 'Reference answer',
        value: fieldValue(input.referenceAnswer ?? 'No reference answer for this question.'),
      },
      { name: 'Answered', value: plural(input.answerCount, 'student'), inline: true },
    );
  for (const answer of input.starred) {
    embed.addFields({
      name: '⭐ Starred answer',
      value: shorten(`${userMention(answer.userId)}: ${studentText(answer.body, 600)}`, 640),
    });
  }
  return { embeds: [embed] };
}
