import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Colors,
  EmbedBuilder,
  ModalBuilder,
  TextInputBuilder,
  type Message,
} from 'discord.js';
import { componentIds } from '../componentIds.ts';
import { textInput, type TextField } from '../modalFields.ts';
import { shorten } from './text.ts';

const ANSWER_LABEL = 'Answer';
const ANSWER_MAX_LENGTH = 4000;
export const answerField: TextField = {
  inputId: 'answer',
  label: 'Your answer',
  maxLength: ANSWER_MAX_LENGTH,
  refusals: {
    missing: componentIds.quizSubmit.refusal,
    blank: 'Your answer is empty. Write a few words and submit again.',
    nul: 'Your answer contains a NUL character, which cannot be stored. Remove it and submit again.',
    tooLong: `Your answer is longer than ${ANSWER_MAX_LENGTH} characters. Shorten it and submit again.`,
  },
};
const MODAL_TITLE_MAX = 45;

/** The question's embed: its text leads the description, so the Answer button can title its modal from it. */
export function questionEmbed(input: {
  title: string;
  question: string;
  topic: string;
  footer?: string;
}): EmbedBuilder {
  const embed = new EmbedBuilder()
    .setTitle(shorten(input.title, 256))
    .setDescription(shorten(input.question, 4000))
    .addFields({ name: 'Topic', value: shorten(input.topic, 1024), inline: true })
    .setColor(Colors.Blurple);
  return input.footer ? embed.setFooter({ text: shorten(input.footer, 2048) }) : embed;
}

export function answerButtonRow(promptId: number, options: { disabled?: boolean; label?: string } = {}) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(componentIds.quizAnswer.encode({ promptId }))
      .setLabel(options.label ?? ANSWER_LABEL)
      .setStyle(ButtonStyle.Primary)
      .setDisabled(options.disabled ?? false),
  );
}

/** The question text as shown on the message whose Answer button was clicked (no database before the modal). */
export function questionFromMessage(message: Pick<Message, 'embeds'>): string {
  return message.embeds[0]?.description ?? 'Your answer';
}

export function answerModal(promptId: number, question: string): ModalBuilder {
  const title = shorten(question.replace(/\s+/g, ' ').trim(), MODAL_TITLE_MAX, '…');
  return new ModalBuilder()
    .setCustomId(componentIds.quizSubmit.encode({ promptId }))
    .setTitle(title || 'Your answer')
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(textInput(answerField)));
}

/** The Edit form of a daily answer, filled with its latest version. */
export function editModal(answerId: number, version: number, body: string): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(componentIds.quizRevise.encode({ answerId, version }))
    .setTitle('Edit your answer')
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(textInput(answerField).setValue(body)));
}
