import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Colors,
  EmbedBuilder,
  ModalBuilder,
  type TextInputBuilder,
} from 'discord.js';
import { regradeDeadline } from '../../quiz/regrades.ts';
import type { Grade, RegradeOutcome } from '../../quiz/types.ts';
import { componentIds } from '../componentIds.ts';
import { textInput, type TextField } from '../modalFields.ts';
import { GRADE_LABELS, signedPoints } from './review.ts';
import { discordTime, fieldValue, shorten, studentText } from './text.ts';

const REASON_MAX_LENGTH = 1000;
export const regradeReasonField: TextField = {
  inputId: 'reason',
  label: 'Why should the grade change?',
  maxLength: REASON_MAX_LENGTH,
  refusals: {
    missing: componentIds.meRegradeForm.refusal,
    blank: 'Your reason is empty. Say in a few words why the grade should change, and submit again.',
    nul: 'Your reason contains a NUL character, which cannot be stored. Remove it and submit again.',
    tooLong: `Your reason is longer than ${REASON_MAX_LENGTH} characters. Shorten it and submit again.`,
  },
};

const MODAL_TITLE_MAX = 45;

export function regradeModal(answerId: number, question: string): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(componentIds.meRegradeForm.encode({ answerId }))
    .setTitle(shorten(`Regrade: ${question.replace(/\s+/g, ' ').trim()}`, MODAL_TITLE_MAX, '…'))
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(textInput(regradeReasonField)));
}

/** One Ask for a regrade button per answer (at most 5, one row). */
export function regradeRow(buttons: { answerId: number; label: string }[]) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    buttons.slice(0, 5).map(({ answerId, label }) =>
      new ButtonBuilder()
        .setCustomId(componentIds.meRegrade.encode({ answerId }))
        .setLabel(shorten(label, 80, '…'))
        .setStyle(ButtonStyle.Secondary),
    ),
  );
}

/** Told to the student once the request is stored. */
export function regradeRequested(question: string): string {
  return shorten(
    `Your regrade request for "${question}" is with the instructors. Their decision comes by direct message (or in /me).`,
    2000,
  );
}

/** The instructor's decision, sent to the student by direct message (or shown in /me). */
export function regradeDecision(input: {
  outcome: RegradeOutcome;
  previous: Grade;
  grade: Grade;
  question: string;
  comment: string | null;
  pointsAdded: number;
  guildName: string;
}) {
  const title =
    input.outcome === 'kept'
      ? `Regrade request: the grade stays ${GRADE_LABELS[input.grade]}`
      : `Regrade request: changed from ${GRADE_LABELS[input.previous]} to ${GRADE_LABELS[input.grade]}`;
  const embed = new EmbedBuilder()
    .setTitle(title)
    .setColor(input.outcome === 'kept' ? Colors.Greyple : Colors.Green)
    .addFields(
      { name: 'Question', value: fieldValue(shorten(input.question, 1000)) },
      { name: 'Points', value: input.outcome === 'kept' ? 'unchanged' : signedPoints(input.pointsAdded), inline: true },
      { name: 'Server', value: fieldValue(shorten(input.guildName, 100)), inline: true },
    );
  if (input.comment) embed.addFields({ name: "Instructor's comment", value: fieldValue(input.comment) });
  return { embeds: [embed] };
}

/** The /me lines of regrade decisions whose direct message could not be delivered. */
export function decisionsText(
  decisions: {
    outcome: RegradeOutcome | null;
    grade: Grade;
    newGrade: Grade | null;
    question: string;
    comment: string | null;
    decidedAt: Date | null;
  }[],
): string {
  return decisions
    .map((d) => {
      const what =
        d.outcome === 'changed' && d.newGrade
          ? `changed from ${GRADE_LABELS[d.grade]} to **${GRADE_LABELS[d.newGrade]}**`
          : `kept **${GRADE_LABELS[d.grade]}**`;
      const comment = d.comment ? `\n> ${studentText(d.comment, 200).replace(/\n/g, '\n> ')}` : '';
      return `${shorten(d.question, 80)}: ${what}${d.decidedAt ? ` ${discordTime(d.decidedAt, 'R')}` : ''}${comment}`;
    })
    .join('\n');
}

/** The /me list of recent grades that can get a regrade request, numbered like their buttons. */
export function regradableText(rows: { question: string; grade: Grade; gradedAt: Date }[]): string {
  return rows
    .map(
      (row, i) =>
        `**${i + 1}.** ${GRADE_LABELS[row.grade]} · ${shorten(row.question, 80)} · ask by ${discordTime(regradeDeadline(row.gradedAt), 'f')}`,
    )
    .join('\n');
}
