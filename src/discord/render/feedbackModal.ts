import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { encodeCustomId } from '../customId.ts';

export const FEEDBACK_INPUT_ID = 'feedback';
export const FEEDBACK_MAX_LENGTH = 1000;

export function feedbackModal(answerId: number, filterArgs: string[]): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(encodeCustomId('review', 'feedback', answerId, ...filterArgs))
    .setTitle('Feedback for the student')
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder()
          .setCustomId(FEEDBACK_INPUT_ID)
          .setLabel('Sent with the grade by direct message')
          .setStyle(TextInputStyle.Paragraph)
          .setMinLength(1)
          .setMaxLength(FEEDBACK_MAX_LENGTH)
          .setRequired(true),
      ),
    );
}
