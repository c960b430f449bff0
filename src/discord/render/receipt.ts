import { ActionRowBuilder, ButtonBuilder, ButtonStyle, Colors, EmbedBuilder } from 'discord.js';
import type { Suggestion } from '../../quiz/grading/suggest.ts';
import { componentIds } from '../componentIds.ts';
import { discordTime, fieldValue, plural, shorten, studentText } from './text.ts';

const GRADE_WORDS = { correct: 'correct', partial: 'partly correct', incorrect: 'not correct yet' } as const;

function pointsLine(points: number): string {
  return points > 0 ? `+${plural(points, 'point')}` : 'no points this time';
}

/**
 * What a student sees after a practice answer is stored: the reference answer and the key points, unless the
 * question is open as a daily question (`heldUntil`: its window's end, null if not yet posted), whose answers
 * they would give away before the reveal.
 */
export function practiceReceipt(input: {
  referenceAnswer: string | null;
  suggestion: Suggestion | null;
  pointsAdded: number;
  firstForQuestion: boolean;
  heldUntil?: Date | null;
}): EmbedBuilder {
  const embed = new EmbedBuilder().setTitle('Saved ✓').setColor(Colors.Green).setDescription('Your answer is saved.');
  if (input.heldUntil !== undefined) {
    const when = input.heldUntil ? ` ${discordTime(input.heldUntil, 'R')}` : '';
    embed.addFields({
      name: 'Reference answer',
      value: `This is also today's daily question: its reference answer and key points come with the daily reveal${when}.`,
    });
    embed.addFields({ name: 'Points', value: shorten(`${pointsLine(input.pointsAdded)}.`, 1024) });
    return embed;
  }
  embed.addFields({
    name: 'Reference answer',
    value: fieldValue(input.referenceAnswer ?? 'No reference answer for this question yet.'),
  });
  const suggestion = input.suggestion;
  if (suggestion) {
    embed.addFields(
      { name: 'Key points you covered', value: fieldValue(suggestion.matched.map((point) => `✓ ${point}`).join('\n')) },
      { name: 'Key points to review', value: fieldValue(suggestion.missing.map((point) => `✗ ${point}`).join('\n')) },
    );
  }
  const note = !input.firstForQuestion
    ? 'Practice points are earned the first time you answer a question.'
    : suggestion
      ? `Suggested grade: ${GRADE_WORDS[suggestion.grade]}. An instructor may review it.`
      : 'An instructor will grade it.';
  embed.addFields({ name: 'Points', value: shorten(`${pointsLine(input.pointsAdded)}. ${note}`, 1024) });
  return embed;
}

/**
 * What a student sees after answering the daily question, and again after each edit: the version saved, and an
 * Edit button while the window is open. The reference answer waits for the reveal.
 */
export function dailyReceipt(input: {
  answerId: number;
  version: number;
  body: string;
  closesAt: Date | null;
  pointsAdded: number;
}) {
  const reveal = input.closesAt
    ? ` The reference answer comes with the reveal ${discordTime(input.closesAt, 'R')}.`
    : '';
  const closes = input.closesAt ? ` (${discordTime(input.closesAt, 'R')})` : '';
  const saved =
    input.version === 1
      ? `Your answer to today's question is saved.${reveal} ${pointsLine(input.pointsAdded)} for answering.`
      : `Your edited answer is saved (version ${input.version}); instructors see this one.${reveal} Editing adds no points.`;
  // Built from data rather than setters: this is every answer's reply in a burst, and the setters' checks (which
  // run even with validation off) cost more than the rest of the view. The values are fitted above; the render
  // test checks the result against Discord's rules.
  const embed = new EmbedBuilder({
    title: 'Saved ✓',
    color: Colors.Green,
    description: saved,
    fields: [
      { name: 'Your answer', value: fieldValue(studentText(input.body, 1000)) },
      {
        name: 'Change it',
        value: `Click **Edit** until the question closes${closes} or an instructor grades your answer.`,
      },
    ],
  });
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder({
      customId: componentIds.quizEdit.encode({ answerId: input.answerId }),
      label: 'Edit',
      style: ButtonStyle.Secondary,
    }),
  );
  return { embeds: [embed], components: [row] };
}
