import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Colors,
  EmbedBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Message,
} from 'discord.js';
import { encodeCustomId } from '../customId.ts';
import { shorten } from './text.ts';

export const ANSWER_LABEL = 'Answer';
export const ANSWER_INPUT_ID = 'answer';
export const ANSWER_MAX_LENGTH = 4000;
const MODAL_TITLE_MAX = 45;

/** The question's embed: its text leads the description, so the Answer button can title its modal from it. */
export function questionEmbed(input: { title: string; question: string; topic: string; footer?: string }): EmbedBuilder {
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
      .setCustomId(encodeCustomId('quiz', 'answer', promptId))
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
    .setCustomId(encodeCustomId('quiz', 'submit', promptId))
    .setTitle(title || 'Your answer')
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder()
          .setCustomId(ANSWER_INPUT_ID)
          .setLabel('Your answer')
          .setStyle(TextInputStyle.Paragraph)
          .setMinLength(1)
          .setMaxLength(ANSWER_MAX_LENGTH)
          .setRequired(true),
      ),
    );
}
